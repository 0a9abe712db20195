"""Small helpers shared by the queueing models (private)."""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np
import pandas as pd

from availcalc._validation import check_integer, check_positive

#: The largest integer a double holds (``servers`` beyond it cannot be converted).
_MAX_SERVERS = int(sys.float_info.max)

#: Types that take the plain-float path (``math`` on floats, no array overhead).
PLAIN_TYPES = frozenset({float, int, np.float64, np.int64, np.int32, np.float32})


def plain(*xs: Any) -> bool:
    """Return True when every argument is a plain Python / numpy scalar number (not a bool)."""
    for x in xs:
        if type(x) not in PLAIN_TYPES:
            return False
    return True


def check_rates_servers_s(lam: Any, mu: Any, c: Any) -> tuple[float, float, float]:
    """Fast checks for plain scalars ``arrival_rate``, ``service_rate``, ``servers``.

    Returns the three as floats; defers to the shared checks (which raise) on anything unusual.
    """
    if not (0.0 < lam < math.inf) or type(lam) is int:
        check_positive("arrival_rate", lam)  # also refuses an int no double holds (10**400)
    if not (0.0 < mu < math.inf) or type(mu) is int:
        check_positive("service_rate", mu)
    if type(c) is not int or not 1 <= c <= _MAX_SERVERS:
        check_integer("servers", c, minimum=1)
    lam, mu = float(lam), float(mu)
    a = lam / mu
    if a == math.inf or a == 0.0:
        check_load_finite(lam, mu)
    return lam, mu, float(c)


def check_load_finite(lam: Any, mu: Any) -> None:
    """Reject ``arrival_rate/service_rate`` that overflows or underflows a double."""
    with np.errstate(over="ignore", under="ignore", divide="ignore"):
        a = np.asarray(lam, dtype=float) / np.asarray(mu, dtype=float)
    if not (np.isfinite(a) & (a > 0.0)).all():
        raise ValueError(
            "arrival_rate / service_rate (the offered load) must be a finite number > 0; "
            "it overflows or underflows a double: rescale the time unit"
        )


def describe(x: Any) -> str:
    """Short text for a parameter value in a ``repr`` (arrays summarised by shape)."""
    if plain(x):
        return repr(float(x)) if not isinstance(x, (int, np.integer)) else repr(int(x))
    if isinstance(x, pd.Series):
        return f"<Series len={len(x)}>"
    arr = np.asarray(x)
    if arr.ndim == 0:
        return repr(float(arr))
    return f"<array shape={arr.shape}>"


def fmt(x: float) -> str:
    """Format a scalar result with 6 significant digits (``inf`` stays ``inf``)."""
    return f"{x:.6g}"
