r"""Sizing: the smallest number of servers that meets service-level targets (M/M/c)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from availcalc._validation import (
    _short,
    broadcast,
    check_nonnegative,
    check_positive,
    check_probability,
    is_scalar,
)
from availcalc.queueing._common import plain
from availcalc.queueing._kernels import log_erlang_c_s, log_erlang_c_v

__all__ = ["min_servers"]

#: Largest offered load (erlang) ``min_servers`` sizes for: the answer, about ``a + O(sqrt a)``,
#: must stay below 2**53, the largest count a double holds exactly (beyond it ``c + 1 == c``
#: and no search can step).
MAX_SIZING_LOAD = 1e15


def _check_sizing_load(largest: float) -> None:
    """Refuse an offered load above :data:`MAX_SIZING_LOAD` (names both rates and the limit)."""
    if not largest <= MAX_SIZING_LOAD:
        raise ValueError(
            "arrival_rate / service_rate (the offered load) must be <= "
            f"{MAX_SIZING_LOAD:g} erlang for min_servers; got {largest:g}: the answer would "
            "exceed 2**53 servers, the largest count a double holds exactly"
        )


def _feasible_s(c: float, lam: float, mu: float, t: dict[str, float]) -> bool:
    """All targets met by M/M/c with ``c`` servers (same formulas as :class:`MMc`)."""
    a = lam / mu
    theta = c * mu - lam
    if not (theta > 0.0 and a < c):
        return False
    if "max_utilization" in t and not a / c <= t["max_utilization"]:
        return False
    logc = log_erlang_c_s(c, a)
    if "max_mean_wait" in t:
        wq = math.exp(logc) / theta
        if wq > 0.0:
            if not wq <= t["max_mean_wait"]:
                return False
        elif not logc - math.log(theta) <= math.log(t["max_mean_wait"]):
            return False
    if "max_prob_wait_exceeds" in t:
        if not math.exp(logc - theta * t["wait_threshold"]) <= t["max_prob_wait_exceeds"]:
            return False
    if "max_wait_percentile" in t:
        wp = max(0.0, (logc - math.log1p(-t["percentile"])) / theta)
        if not wp <= t["max_wait_percentile"]:
            return False
    return True


def _feasible_v(c: np.ndarray, lam: np.ndarray, mu: np.ndarray, t: dict[str, np.ndarray]):
    """Vectorised :func:`_feasible_s`."""
    a = lam / mu
    theta = c * mu - lam
    ok = (theta > 0.0) & (a < c)
    th = np.where(ok, theta, 1.0)
    logc = log_erlang_c_v(c, np.where(ok, a, 0.5 * c))
    if "max_utilization" in t:
        ok &= a / c <= t["max_utilization"]
    if "max_mean_wait" in t:
        wq = np.exp(logc) / th
        with np.errstate(divide="ignore"):
            under = logc - np.log(th) <= np.log(t["max_mean_wait"])
        ok &= np.where(wq > 0.0, wq <= t["max_mean_wait"], under)
    if "max_prob_wait_exceeds" in t:
        ok &= np.exp(logc - th * t["wait_threshold"]) <= t["max_prob_wait_exceeds"]
    if "max_wait_percentile" in t:
        wp = np.maximum(0.0, (logc - np.log1p(-t["percentile"])) / th)
        ok &= wp <= t["max_wait_percentile"]
    return ok


def _start_s(a: float, t: dict[str, float]) -> float:
    """Smallest c allowed by stability (c > a) and the utilization cap."""
    c = math.floor(a) + 1.0
    if "max_utilization" in t:
        cu = max(1.0, math.ceil(a / t["max_utilization"]))
        while a / cu > t["max_utilization"]:
            cu += 1.0
        while cu > 1.0 and a / (cu - 1.0) <= t["max_utilization"]:
            cu -= 1.0
        c = max(c, cu)
    return c


def _search_s(lam: float, mu: float, t: dict[str, float]) -> int:
    a = lam / mu
    lo = _start_s(a, t)
    if _feasible_s(lo, lam, mu, t):
        return int(lo)
    step = max(1.0, math.ceil(math.sqrt(a)))
    hi = lo + step
    while not _feasible_s(hi, lam, mu, t):
        lo = hi
        step *= 2.0
        hi = lo + step
    while hi - lo > 1.0:
        mid = math.floor(0.5 * (lo + hi))
        if _feasible_s(mid, lam, mu, t):
            hi = mid
        else:
            lo = mid
    return int(hi)


def _search_v(lam: np.ndarray, mu: np.ndarray, t: dict[str, np.ndarray]) -> np.ndarray:
    a = lam / mu
    lo = np.floor(a) + 1.0
    if "max_utilization" in t:
        u = t["max_utilization"]
        cu = np.maximum(1.0, np.ceil(a / u))
        for _ in range(3):  # fix rounding of a/u either way (at most one step is ever needed)
            cu = np.where(a / cu > u, cu + 1.0, cu)
            cu = np.where((cu > 1.0) & (a / np.maximum(cu - 1.0, 1.0) <= u), cu - 1.0, cu)
        lo = np.maximum(lo, cu)
    done = _feasible_v(lo, lam, mu, t)
    hi = lo.copy()
    step = np.maximum(1.0, np.ceil(np.sqrt(a)))
    active = ~done
    while active.any():
        cand = np.where(active, lo + step, hi)
        f = _feasible_v(cand, lam, mu, t)
        hi = np.where(active, cand, hi)
        newly = active & f
        lo = np.where(active & ~f, cand, lo)
        step = np.where(active & ~f, 2.0 * step, step)
        active &= ~f
        del newly
    # invariant for not-done cases: lo infeasible, hi feasible
    lo = np.where(done, hi - 1.0, lo)
    while (hi - lo > 1.0).any():
        mid = np.floor(0.5 * (lo + hi))
        gap = hi - lo > 1.0
        f = _feasible_v(mid, lam, mu, t) & gap
        hi = np.where(f, mid, hi)
        lo = np.where(gap & ~f, mid, lo)
    return hi.astype(np.int64)


def min_servers(
    arrival_rate: Any,
    service_rate: Any,
    *,
    max_mean_wait: Any = None,
    max_prob_wait_exceeds: Any = None,
    wait_threshold: Any = None,
    max_wait_percentile: Any = None,
    percentile: Any = 0.95,
    max_utilization: Any = None,
) -> Any:
    r"""Smallest number of M/M/c servers that meets every given target.

    Parameters
    ----------
    arrival_rate : numeric
        Mean arrival rate λ > 0. [1/time]
    service_rate : numeric
        Mean service rate per server μ > 0. [1/time]
    max_mean_wait : numeric, optional
        Target mean wait in queue, :math:`W_q \le` this (> 0). [time]
    max_prob_wait_exceeds : numeric, optional
        Target tail probability in (0, 1): :math:`P(W_q > \text{wait\_threshold}) \le` this.
        Requires ``wait_threshold``. [-]
    wait_threshold : numeric, optional
        Waiting-time threshold t >= 0 for ``max_prob_wait_exceeds``. [time]
    max_wait_percentile : numeric, optional
        Target for the ``percentile`` quantile of the wait in queue (>= 0). [time]
    percentile : numeric, default 0.95
        Probability level in (0, 1) for ``max_wait_percentile``. [-]
    max_utilization : numeric, optional
        Cap on ρ = λ/(cμ), in (0, 1]. [-]

    Every numeric argument may be a float, an ndarray or a Series; they broadcast.

    Returns
    -------
    int or ndarray of int or Series of int
        The smallest integer ``c > λ/μ`` (stability is always required) meeting every target.

    Raises
    ------
    ValueError
        If no target is given, if ``max_prob_wait_exceeds`` comes without ``wait_threshold``
        (or ``wait_threshold`` without it), if a value is outside its range (the message
        names the parameter), or if the offered load exceeds :data:`MAX_SIZING_LOAD` (1e15
        erlang: the answer would not be an exactly representable count).

    See Also
    --------
    MMc

    Notes
    -----
    Each metric (:math:`W_q`, :math:`P(W_q > t) = C e^{-θ t}`, the wait quantile
    :math:`\max(0, \ln(C/(1-q))/θ)` and ρ) decreases in ``c``, so the answer is the first
    feasible ``c``. The search starts at :math:`\lfloor a \rfloor + 1` (or the utilization
    bound), gallops upward in steps :math:`\lceil\sqrt{a}\rceil, 2\lceil\sqrt{a}\rceil, \dots`
    (square-root staffing: the answer is :math:`a + β\sqrt{a}` with β of order 1 [2]_) and
    bisects: O(log c) evaluations of the O(1) Erlang C, a few tens of microseconds even at
    :math:`c \approx 10^6`. The feasibility test uses the same formulas as :class:`MMc`
    (tiny values in log space), so the result is exact: ``c`` meets the targets and ``c - 1``
    does not.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, *Fundamentals of Queueing
       Theory*, 4th ed., Wiley, 2008, §2.3 (M/M/c measures).
    .. [2] S. Halfin, W. Whitt, "Heavy-traffic limits for queues with many exponential
       servers", *Operations Research* 29(3), 1981, pp. 567–588.

    Examples
    --------
    >>> min_servers(8.0, 1.0, max_mean_wait=0.1)
    11
    >>> min_servers(8.0, 1.0, max_prob_wait_exceeds=0.05, wait_threshold=0.5)
    12
    >>> min_servers(1e6, 1.0, max_wait_percentile=1e-3, percentile=0.99)
    1001701
    >>> min_servers([4.0, 8.0, 16.0], 1.0, max_utilization=0.7)
    array([ 6, 12, 23])
    """
    given = {
        "max_mean_wait": max_mean_wait,
        "max_prob_wait_exceeds": max_prob_wait_exceeds,
        "max_wait_percentile": max_wait_percentile,
        "max_utilization": max_utilization,
    }
    targets = {k: v for k, v in given.items() if v is not None}
    if not targets:
        raise ValueError(
            "min_servers needs at least one target: max_mean_wait, max_prob_wait_exceeds "
            "(with wait_threshold), max_wait_percentile or max_utilization"
        )
    if max_prob_wait_exceeds is not None and wait_threshold is None:
        raise ValueError("wait_threshold is required with max_prob_wait_exceeds")
    if wait_threshold is not None and max_prob_wait_exceeds is None:
        raise ValueError("wait_threshold is only used with max_prob_wait_exceeds; give both")
    check_positive("arrival_rate", arrival_rate)
    check_positive("service_rate", service_rate)
    if max_mean_wait is not None:
        check_positive("max_mean_wait", max_mean_wait)
    if max_prob_wait_exceeds is not None:
        check_probability("max_prob_wait_exceeds", max_prob_wait_exceeds)
        check_nonnegative("wait_threshold", wait_threshold)
        targets["wait_threshold"] = wait_threshold
    if max_wait_percentile is not None:
        check_nonnegative("max_wait_percentile", max_wait_percentile)
        check_probability("percentile", percentile)
        targets["percentile"] = percentile
    if max_utilization is not None:
        check_positive("max_utilization", max_utilization)
        if np.any(np.asarray(max_utilization, dtype=float) > 1.0):
            raise ValueError(
                f"max_utilization must be in (0, 1]; got {_short(max_utilization)} "
                "(stability already requires utilization < 1)"
            )
    args = (arrival_rate, service_rate, *targets.values())
    if plain(*args):
        t = {k: float(v) for k, v in targets.items()}
        lam, mu = float(arrival_rate), float(service_rate)
        _check_sizing_load(lam / mu)
        return _search_s(lam, mu, t)
    arrays, _ = broadcast(*args, names=("arrival_rate", "service_rate", *targets))
    lam, mu = arrays[0], arrays[1]
    with np.errstate(over="ignore"):
        _check_sizing_load(float(np.max(lam / mu, initial=0.0)))
    t = dict(zip(targets, arrays[2:], strict=True))
    shape = lam.shape
    out = _search_v(lam.ravel(), mu.ravel(), {k: np.ravel(v) for k, v in t.items()}).reshape(shape)
    series = next((x for x in args if isinstance(x, pd.Series)), None)
    if series is not None:
        return pd.Series(out, index=series.index)
    if all(is_scalar(x) for x in args):
        return int(out)
    return out
