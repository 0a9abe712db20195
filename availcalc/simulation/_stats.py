r"""Confidence intervals from independent replications (Law 2015, ch. 9).

Each replication gives one i.i.d. observation :math:`X_r` of a metric; the interval is the
Student-t interval :math:`\bar X \pm t_{R-1,1-\alpha/2}\, s/\sqrt{R}` [1]_ (§9.4.1). Counts of
rare events pooled over all replications use the exact (Garwood) Poisson interval [2]_.

References
----------
.. [1] A. M. Law, *Simulation Modeling and Analysis*, 5th ed., McGraw-Hill, 2015, ch. 9
   (output analysis for a single system; §9.4.1 fixed-sample-size procedure).
.. [2] F. Garwood, "Fiducial limits for the Poisson distribution", Biometrika 28, 437–442, 1936.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

__all__ = ["Estimate", "poisson_interval", "t_interval"]


@dataclass(frozen=True)
class Estimate:
    r"""A simulated metric: mean over replications and its confidence interval.

    Attributes
    ----------
    mean : float
        Mean of the replication values (inf if any replication is inf).
    low, high : float
        Confidence interval [same unit as the metric].
    std_error : float
        Standard error of the mean, :math:`s/\sqrt{R}`.
    replications : int
        Number of replications :math:`R`.
    confidence : float
        Confidence level of the interval (e.g. 0.95).
    """

    mean: float
    low: float
    high: float
    std_error: float
    replications: int
    confidence: float

    def __contains__(self, value: float) -> bool:
        if math.isinf(self.mean) or math.isinf(value):
            return bool(value == self.mean)
        return bool(self.low <= value <= self.high)

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a plain dict."""
        return dict(self.__dict__)


def t_interval(values: Any, confidence: float = 0.95) -> Estimate:
    """Student-t interval of the mean of i.i.d. replication values.

    Parameters
    ----------
    values : array_like
        One value per replication (at least 2 for a finite interval).
    confidence : float
        Confidence level in (0, 1).

    Examples
    --------
    >>> e = t_interval([1.0, 2.0, 3.0])
    >>> e.mean, round(e.low, 4), round(e.high, 4)
    (2.0, -0.4841, 4.4841)
    """
    x = np.asarray(values, dtype=float).ravel()
    r = x.size
    if r == 0:
        raise ValueError("values must contain at least one replication")
    if not (0.0 < confidence < 1.0):
        raise ValueError(f"confidence must be in (0, 1); got {confidence!r}")
    if np.any(np.isinf(x)):
        m = float(np.inf) if np.all(x > 0) or np.any(x == np.inf) else float(-np.inf)
        return Estimate(m, m, m, math.inf, r, confidence)
    mean = float(x.mean())
    if r < 2:
        return Estimate(mean, -math.inf, math.inf, math.inf, r, confidence)
    se = float(x.std(ddof=1)) / math.sqrt(r)
    half = float(stats.t.ppf(0.5 + confidence / 2.0, r - 1)) * se
    return Estimate(mean, mean - half, mean + half, se, r, confidence)


def poisson_interval(count: int, exposure: float, confidence: float = 0.95) -> tuple[float, float]:
    """Exact two-sided interval of a Poisson rate from ``count`` events in ``exposure``.

    Examples
    --------
    >>> lo, hi = poisson_interval(0, 1.0)
    >>> lo, round(hi, 4)
    (0.0, 3.6889)
    """
    a = 1.0 - confidence
    lo = 0.0 if count == 0 else float(stats.chi2.ppf(a / 2.0, 2 * count)) / 2.0
    hi = float(stats.chi2.ppf(1.0 - a / 2.0, 2 * count + 2)) / 2.0
    return lo / exposure, hi / exposure
