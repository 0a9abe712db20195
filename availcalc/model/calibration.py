r"""Turn measurements into scenario inputs: incident logs → MTTF/MTTR, load tests → service time.

Every default tagged *estimate* should be replaced by numbers from the user's own systems
(`docs/calibration.md`). These helpers do the arithmetic and say how uncertain the result is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special

from availcalc._validation import (
    as_float_array,
    check_integer,
    check_positive,
    check_probability,
    scalar,
    sequence,
)

__all__ = ["IncidentFit", "ServiceFit", "reliability_from_incidents", "service_from_samples"]


@dataclass(frozen=True)
class IncidentFit:
    """MTTF and MTTR estimated from an incident log, with confidence intervals.

    Attributes
    ----------
    failures : int
        Number of incidents.
    exposure_h : float
        Total up time observed over all units [h].
    mttf_h, mttf_low_h, mttf_high_h : float
        Point estimate and two-sided confidence interval of the mean time to failure [h]
        (``mttf_high_h`` is inf with no failures).
    mttr_h : float or None
        Point estimate of the mean time to repair [h]; None with no failures (nothing was
        repaired, so there is no estimate).
    mttr_low_h, mttr_high_h : float
        Confidence interval of the mean time to repair [h]; ``(0, inf)`` with no failures
        (every repair time is consistent with an empty log).
    confidence : float
        Confidence level of the intervals.
    """

    failures: int
    exposure_h: float
    mttf_h: float
    mttf_low_h: float
    mttf_high_h: float
    mttr_h: float | None
    mttr_low_h: float
    mttr_high_h: float
    confidence: float


def reliability_from_incidents(
    outage_durations_h: Sequence[float],
    observed_h: float,
    units: int = 1,
    confidence: float = 0.9,
) -> IncidentFit:
    r"""Estimate MTTF and MTTR of one kind of unit from its incident log.

    Parameters
    ----------
    outage_durations_h : sequence of float
        Duration of every unplanned outage in the observation window [h] (detection to restore).
    observed_h : float
        Length of the observation window [h] (e.g. 8760 for a year).
    units : int
        How many identical units the log covers (e.g. 4 servers).
    confidence : float
        Two-sided confidence level of the intervals, in (0, 1).

    Returns
    -------
    IncidentFit

    Notes
    -----
    With exponential times, r failures in a total up time T (time-terminated observation) give
    :math:`\hat\theta = T/r` and the two-sided interval

    .. math::

        \frac{2T}{\chi^2_{1-\alpha/2}(2r+2)} \le \theta \le \frac{2T}{\chi^2_{\alpha/2}(2r)},

    and the mean of r exponential repair times :math:`\bar d` has
    :math:`2 r \bar d / \chi^2_{1-\alpha/2}(2r) \le m \le 2 r \bar d / \chi^2_{\alpha/2}(2r)`.
    Exposure T = units × window − total outage time (units do not fail while down).

    References
    ----------
    .. [1] W. Q. Meeker, L. A. Escobar, *Statistical Methods for Reliability Data*, Wiley 1998,
       ch. 7 (exponential distribution, time-censored data).

    Examples
    --------
    >>> fit = reliability_from_incidents([2.0, 0.5, 1.5, 0.1], observed_h=8760, units=2)
    >>> round(fit.mttf_h), round(fit.mttr_h, 3)
    (4379, 1.025)
    """
    observed_h = scalar("observed_h", observed_h, check_positive)
    confidence = scalar("confidence", confidence, check_probability)
    check_integer("units", scalar("units", units))
    units = int(units)
    d = _durations("outage_durations_h", outage_durations_h, min_size=0)
    r = int(d.size)
    exposure = units * observed_h - float(d.sum())
    if exposure <= 0:
        raise ValueError(
            f"outage_durations_h must sum to less than units × observed_h (the exposure); got "
            f"{d.sum():g} h of outages in {units} × {observed_h:g} h"
        )
    a = 1.0 - confidence

    def chi2_ppf(q: float, df: int) -> float:  # chi-square quantile (scipy.stats.chi2.ppf)
        return float(special.chdtri(df, 1.0 - q))

    mttf_low = 2 * exposure / chi2_ppf(1 - a / 2, 2 * r + 2)
    if r == 0:
        return IncidentFit(
            0, exposure, math.inf, mttf_low, math.inf, None, 0.0, math.inf, confidence
        )
    mttf = exposure / r
    mttf_high = 2 * exposure / chi2_ppf(a / 2, 2 * r)
    total = float(d.sum())
    return IncidentFit(
        failures=r,
        exposure_h=exposure,
        mttf_h=mttf,
        mttf_low_h=mttf_low,
        mttf_high_h=mttf_high,
        mttr_h=total / r,
        mttr_low_h=2 * total / chi2_ppf(1 - a / 2, 2 * r),
        mttr_high_h=2 * total / chi2_ppf(a / 2, 2 * r),
        confidence=confidence,
    )


@dataclass(frozen=True)
class ServiceFit:
    """Service-time inputs estimated from measured send durations.

    Attributes
    ----------
    samples : int
        Number of measurements.
    service_time_s : float
        Mean send time [s] → ``send_host.service_time_s``.
    service_scv : float
        Squared coefficient of variation (variance / mean²) → ``send_host.service_scv``.
    p95_s : float
        Empirical 95th percentile [s], for comparison with the model's latency.
    """

    samples: int
    service_time_s: float
    service_scv: float
    p95_s: float


def service_from_samples(durations_s: Sequence[float]) -> ServiceFit:
    """Estimate the mean send time and its variability from measured send durations.

    Measure the time one send occupies a sending thread (e.g. the adapter's request/response
    time at low load, from LoadGen or perfmon), not the end-to-end latency under load, which
    includes queueing.

    Parameters
    ----------
    durations_s : sequence of float
        At least two measured send durations [s].

    Returns
    -------
    ServiceFit

    Examples
    --------
    >>> fit = service_from_samples([0.1, 0.2, 0.3])
    >>> round(fit.service_time_s, 3), round(fit.service_scv, 4)
    (0.2, 0.25)
    """
    x = _durations("durations_s", durations_s, min_size=2)
    mean = float(x.mean())
    return ServiceFit(
        samples=int(x.size),
        service_time_s=mean,
        service_scv=float(x.var(ddof=1)) / mean**2,
        p95_s=float(np.quantile(x, 0.95)),
    )


def _durations(name: str, values: Sequence[float], min_size: int) -> np.ndarray:
    """Measured durations as a 1-d float array: at least ``min_size``, each finite and > 0."""
    x = as_float_array(name, sequence(name, values, min_size=min_size))
    check_positive(name, x)
    return x
