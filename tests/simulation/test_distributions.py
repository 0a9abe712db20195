"""Distribution: input errors name the parameter (issue 14)."""

import math

import numpy as np
import pytest

from availcalc.simulation import Distribution


@pytest.mark.parametrize(
    ("scv", "match"),
    [
        (-1.0, r"scv must be a finite number >= 0; got -1\.0"),
        (np.array([1.0, 2.0]), "scv must be a single number"),
        ("x", "scv must be a number; got 'x'"),
        (math.nan, "scv must be a finite number >= 0; got nan"),
    ],
)
def test_from_scv_names_scv_in_its_errors(scv, match):
    """Issue 14: these spoke of the internal 'shape of a gamma distribution' or of an array's
    ambiguous truth value."""
    with pytest.raises(ValueError, match=match):
        Distribution.from_scv(scv)
