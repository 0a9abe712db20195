r"""Units and unit conversions used everywhere in availcalc (one place for each constant).

A year is 365 days: 8760 h, 525 600 min, 31 536 000 s. Reliability blocks work in hours; the
queueing engine is unit-agnostic (times in the unit of 1/rate); scenarios name the unit in
every field (``_per_s``, ``_s``, ``_h``, ``_min``).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "HOURS_PER_YEAR",
    "MINUTES_PER_YEAR",
    "SECONDS_PER_HOUR",
    "SECONDS_PER_MINUTE",
    "nines",
]

#: A year of 365 days [h].
HOURS_PER_YEAR = 8760.0
#: A year of 365 days [min].
MINUTES_PER_YEAR = 525_600.0
#: [s/h]
SECONDS_PER_HOUR = 3600.0
#: [s/min]
SECONDS_PER_MINUTE = 60.0


def nines(unavailability: float | np.ndarray) -> float | np.ndarray:
    r"""Return the number of nines :math:`-\log_{10} U` of an unavailability :math:`U`.

    Computed from the unavailability itself (never from :math:`1 - A`), ``inf`` when
    :math:`U = 0`; works on floats and arrays alike.

    .. math:: \text{nines} = -\log_{10} U

    Examples
    --------
    >>> nines(1e-3), nines(0.0)
    (3.0, inf)
    >>> nines(np.array([0.1, 1e-5]))
    array([1., 5.])
    """
    if isinstance(unavailability, np.ndarray):
        u = unavailability.astype(float)
        with np.errstate(divide="ignore"):
            return np.where(u > 0, 0.0 - np.log10(np.where(u > 0, u, 1.0)), np.inf)
    u = float(unavailability)
    # np.log10 on scalars too, so one point and a batch agree to the last bit
    return 0.0 - float(np.log10(u)) if u > 0 else math.inf  # 0.0 - x: no "-0.0" at U = 1
