r"""Sizing: the fewest servers for service-level targets (M/M/c, Erlang B), and its inverse."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import gammaln

from availcalc._validation import (
    _short,
    broadcast,
    check_integer,
    check_nonnegative,
    check_positive,
    check_probability,
    is_scalar,
)
from availcalc.queueing._common import plain
from availcalc.queueing._kernels import (
    log_erlang_b_s,
    log_erlang_b_v,
    log_erlang_c_s,
    log_erlang_c_v,
)

__all__ = ["max_offered_load", "min_servers"]

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
    if "max_blocking" in t and not log_erlang_b_s(c, a) <= math.log(t["max_blocking"]):
        return False
    theta = c * mu - lam
    if not (theta > 0.0 and a < c):
        return _blocking_only(t)
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
    if _blocking_only(t):  # a loss system needs no steady queue: Erlang B alone decides
        return log_erlang_b_v(c, a) <= np.log(t["max_blocking"])
    th = np.where(ok, theta, 1.0)
    logc = log_erlang_c_v(c, np.where(ok, a, 0.5 * c))
    if "max_blocking" in t:
        ok &= log_erlang_b_v(c, a) <= np.log(t["max_blocking"])
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


def _blocking_only(t: dict[str, Any]) -> bool:
    """Tell whether Erlang B is the only target (trunk sizing: ``c <= a`` is allowed)."""
    return len(t) == 1 and "max_blocking" in t


def _start_s(a: float, t: dict[str, float]) -> float:
    r"""Smallest c allowed by stability (c > a) and the utilization cap.

    With only a blocking target, the lower bound :math:`B(c, a) \ge 1 - c/a` (the carried load
    :math:`a(1 - B)` is at most c) gives :math:`c \ge a(1 - b)`, less a margin for rounding.
    """
    if _blocking_only(t):
        return max(1.0, math.floor(a * (1.0 - t["max_blocking"]) * (1.0 - 1e-9)))
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
    if _blocking_only(t):
        lo = np.maximum(1.0, np.floor(a * (1.0 - t["max_blocking"]) * (1.0 - 1e-9)))
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
    max_blocking: Any = None,
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
    max_blocking : numeric, optional
        Target Erlang B blocking probability in (0, 1): :math:`B(c, a) \le` this (trunk
        sizing of the loss system M/M/c/c). Alone, it does not require ``c > a``. [-]

    Every numeric argument may be a float, an ndarray or a Series; they broadcast.

    Returns
    -------
    int or ndarray of int or Series of int
        The smallest integer ``c > λ/μ`` (stability is required) meeting every target; with
        ``max_blocking`` as the only target, the smallest ``c >= 1`` with
        :math:`B(c, a) \le` ``max_blocking`` (a loss system has no queue to keep stable).

    Raises
    ------
    ValueError
        If no target is given, if ``max_prob_wait_exceeds`` comes without ``wait_threshold``
        (or ``wait_threshold`` without it), if a value is outside its range (the message
        names the parameter), or if the offered load exceeds :data:`MAX_SIZING_LOAD` (1e15
        erlang: the answer would not be an exactly representable count).

    See Also
    --------
    MMc, erlang_b, max_offered_load

    Notes
    -----
    Each metric (:math:`W_q`, :math:`P(W_q > t) = C e^{-θ t}`, the wait quantile
    :math:`\max(0, \ln(C/(1-q))/θ)`, ρ and the Erlang B blocking

    .. math:: B(c, a) = \frac{a^c/c!}{\sum_{k=0}^{c} a^k/k!}

    [3]_) decreases in ``c``, so the answer is the first feasible ``c``. The search starts
    at :math:`\lfloor a \rfloor + 1` (or the utilization bound; with only ``max_blocking``
    at :math:`a(1 - b)`, as :math:`B \ge 1 - c/a`), gallops upward in steps
    :math:`\lceil\sqrt{a}\rceil, 2\lceil\sqrt{a}\rceil, \dots`
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
    .. [3] R. B. Cooper, *Introduction to Queueing Theory*, 2nd ed., North Holland, 1981,
       §3.4 (Erlang's loss formula, trunk sizing), pp. 79-88.

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
    >>> min_servers(84.06, 1.0, max_blocking=0.01)  # Erlang B table: 100 trunks
    100
    """
    given = {
        "max_mean_wait": max_mean_wait,
        "max_prob_wait_exceeds": max_prob_wait_exceeds,
        "max_wait_percentile": max_wait_percentile,
        "max_utilization": max_utilization,
        "max_blocking": max_blocking,
    }
    targets = {k: v for k, v in given.items() if v is not None}
    if not targets:
        raise ValueError(
            "min_servers needs at least one target: max_mean_wait, max_prob_wait_exceeds "
            "(with wait_threshold), max_wait_percentile, max_utilization or max_blocking"
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
    if max_blocking is not None:
        check_probability("max_blocking", max_blocking)
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


# --------------------------------------------------------------------------------------------
# the inverse: the largest offered load c servers carry at a blocking or waiting target
# --------------------------------------------------------------------------------------------
#: Largest ``servers`` for :func:`max_offered_load` (the count a double holds exactly, with
#: margin, as for :data:`MAX_SIZING_LOAD`).
MAX_SERVERS_INVERSE = 1e15


def _log_target_s(c: float, a: float, wait: bool) -> tuple[float, float]:
    r"""``(ln B, d ln B/d ln a)`` or the same for Erlang C (``wait``), at ``a < c`` for C.

    :math:`d\ln B/d\ln a = c - a(1 - B)`; with :math:`u = 1 - ρ(1 - B)`, :math:`\ln C =
    \ln B - \ln u` and :math:`d\ln C/d\ln a = d\ln B/d\ln a - (ρ B\, d\ln B/d\ln a -
    ρ(1 - B))/u`.
    """
    lb = log_erlang_b_s(c, a)
    b = math.exp(lb)
    slope = c - a * (1.0 - b)
    if not wait:
        return lb, slope
    rho = a / c
    u = 1.0 - rho * (1.0 - b)
    return lb - math.log(u), slope - (rho * b * slope - rho * (1.0 - b)) / u


def _log_target_v(c, a, wait: bool):
    """Vectorised :func:`_log_target_s`."""
    lb = log_erlang_b_v(c, a)
    b = np.exp(lb)
    slope = c - a * (1.0 - b)
    if not wait:
        return lb, slope
    rho = a / c
    u = 1.0 - rho * (1.0 - b)
    return lb - np.log(u), slope - (rho * b * slope - rho * (1.0 - b)) / u


def _bracket_s(c: float, logt: float, wait: bool) -> tuple[float, float]:
    r"""``(ln a_lo, ln a_hi)`` around the root of :math:`\ln B(c, a) = \ln b` (or C).

    :math:`B \le a^c/c!` (drop all but the last term of the sum) gives the lower end
    :math:`\ln a = (\ln b + \ln c!)/c` (with :math:`b/2`, capped at :math:`c/2`, for C:
    :math:`C \le B/(1 - ρ) \le 2B` there); :math:`B \ge 1 - c/a` gives the upper end
    :math:`c/(1 - b)`, and C (1 at :math:`a = c`) is below 1 only for :math:`a < c`.
    """
    lgam = math.lgamma(c + 1.0)
    if wait:
        return min(math.log(0.5 * c), (logt - math.log(2.0) + lgam) / c), math.log(c)
    return (logt + lgam) / c, math.log(c) - math.log1p(-math.exp(logt))


def _bracket_v(c: np.ndarray, logt: np.ndarray, wait: bool) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`_bracket_s`."""
    lgam = gammaln(c + 1.0)
    if wait:
        return np.minimum(np.log(0.5 * c), (logt - math.log(2.0) + lgam) / c), np.log(c)
    return (logt + lgam) / c, np.log(c) - np.log1p(-np.exp(logt))


_X_TOL = 1e-15  # |Δ ln a| that ends the iteration (relative change of a, a few ulps)


def _solve_s(c: float, logt: float, wait: bool) -> float:
    """Safeguarded Newton in ``x = ln a`` on the increasing ``ln B`` (or ``ln C``)."""
    lo, hi = _bracket_s(c, logt, wait)
    x = 0.5 * (lo + hi)
    for _ in range(200):
        a = math.exp(x)
        if wait and a >= c:
            g, slope = 1.0, 1.0  # beyond the end: C = 1 > target
        else:
            g, slope = _log_target_s(c, a, wait)
            g -= logt
        if g == 0.0:
            return a
        if g > 0.0:
            hi = x
        else:
            lo = x
        xn = x - g / slope if slope > 0.0 else 0.5 * (lo + hi)
        if not lo <= xn <= hi:
            xn = 0.5 * (lo + hi)
        if abs(xn - x) <= _X_TOL * max(1.0, abs(x)) or hi - lo <= _X_TOL * max(1.0, abs(x)):
            return _polish_s(c, math.exp(xn), logt, wait)
        x = xn
    return math.exp(x)  # pragma: no cover - the bracket halves at worst


def _polish_s(c: float, a: float, logt: float, wait: bool) -> float:
    """Two Newton steps in ``a`` itself: ``x = ln a`` resolves ``a`` only to ``ulp(ln a)``."""
    for _ in range(2):
        if wait and a >= c:
            return a
        g, slope = _log_target_s(c, a, wait)
        if not slope > 0.0:
            return a
        a -= a * (g - logt) / slope
    return a


def _solve_v(c: np.ndarray, logt: np.ndarray, wait: bool) -> np.ndarray:
    """Vectorised :func:`_solve_s` (converged elements leave the working set)."""
    lo, hi = _bracket_v(c, logt, wait)
    lo, hi = np.broadcast_to(lo, c.shape).copy(), np.broadcast_to(hi, c.shape).copy()
    x = 0.5 * (lo + hi)
    out = np.empty_like(x)
    idx = np.arange(x.size)
    cc, tt = c.copy(), logt.copy()
    for _ in range(200):
        a = np.exp(x)
        beyond = (a >= cc) if wait else np.zeros(a.shape, dtype=bool)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            g, slope = _log_target_v(cc, np.where(beyond, 0.5 * cc, a), wait)
        g = np.where(beyond, 1.0, g - tt)
        slope = np.where(beyond, 1.0, slope)
        lo = np.where(g < 0.0, x, lo)
        hi = np.where(g > 0.0, x, hi)
        with np.errstate(divide="ignore", invalid="ignore"):
            xn = np.where(slope > 0.0, x - g / slope, 0.5 * (lo + hi))
        xn = np.where((xn >= lo) & (xn <= hi), xn, 0.5 * (lo + hi))
        scale = np.maximum(1.0, np.abs(x))
        conv = (g == 0.0) | (np.abs(xn - x) <= _X_TOL * scale) | (hi - lo <= _X_TOL * scale)
        out[idx[conv]] = np.where(g == 0.0, x, xn)[conv]
        keep = ~conv
        if not keep.any():
            break
        idx, x, lo, hi, cc, tt = idx[keep], xn[keep], lo[keep], hi[keep], cc[keep], tt[keep]
    else:  # pragma: no cover - the bracket halves at worst
        out[idx] = x
    a = np.exp(out)
    for _ in range(2):  # Newton in a itself (x = ln a resolves a only to ulp(ln a))
        inside = (a < c) if wait else np.ones(a.shape, dtype=bool)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            g, slope = _log_target_v(c, np.where(inside, a, 0.5 * c), wait)
            step = a * (g - logt) / slope
        a = np.where(inside & (slope > 0.0) & np.isfinite(step), a - step, a)
    return a


def max_offered_load(servers: Any, *, max_blocking: Any = None, max_prob_wait: Any = None) -> Any:
    r"""Largest offered load that ``servers`` servers carry at a blocking or waiting target.

    The inverse of :func:`erlang_b` / :func:`erlang_c` in the offered load: the Erlang B and
    C tables read backwards ("how much traffic do 100 trunks carry at 1 % blocking?").

    Parameters
    ----------
    servers : numeric
        Number of servers (trunks) c, an integer in [1, 1e15]. [-]
    max_blocking : numeric, optional
        Target Erlang B blocking probability in (0, 1) of the loss system M/M/c/c. [-]
    max_prob_wait : numeric, optional
        Target Erlang C probability of waiting in (0, 1) of the M/M/c queue. [-]

    Every numeric argument may be a float, an ndarray or a Series; they broadcast.

    Returns
    -------
    numeric
        The offered load :math:`a^* = λ/μ` [erlang] with :math:`B(c, a^*) = b` (or
        :math:`C(c, a^*) = p`); with both targets, the smaller of the two loads (both are
        met). Every :math:`a \le a^*` meets the target.

    Raises
    ------
    ValueError
        If no target is given, if a target is not in (0, 1) or ``servers`` is not an integer in
        [1, 1e15] (the message names the parameter).

    See Also
    --------
    erlang_b, erlang_c, min_servers

    Notes
    -----
    :math:`B(c, a)` and :math:`C(c, a)` increase strictly in :math:`a` (from 0 to 1, C
    reaching 1 at :math:`a = c`), so the root is unique. It is found in :math:`x = \ln a`
    with Newton's method on :math:`\ln B(c, e^x) - \ln b`, using

    .. math::

        \frac{d \ln B}{d \ln a} = c - a\,(1 - B), \qquad
        \ln C = \ln B - \ln\big(1 - ρ (1 - B)\big),

    each step kept inside a bracket that is known in closed form,
    :math:`a^c/c! \ge B \ge 1 - c/a`:

    .. math::

        (b\, c!)^{1/c} \le a^* \le \frac{c}{1 - b}

    (for C: :math:`\min(c/2, (b\,c!/2)^{1/c}) \le a^* < c`); a step that leaves the bracket
    is replaced by bisection. The bracket holds for every c and target, so no upward search
    from a guess is needed (at :math:`c = 10^4` and :math:`b = 10^{-100}` the answer is far
    below c; at :math:`b \to 1` far above it). Erlang B and C are evaluated in log space
    (:func:`log_erlang_b`), so targets down to 1e-300 work; about 5-8 iterations of an O(1)
    evaluation per case.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, *Fundamentals of Queueing
       Theory*, 4th ed., Wiley, 2008, §2.3 (Erlang C) and §2.6 (Erlang B), pp. 69-72 and
       82-84.
    .. [2] R. B. Cooper, *Introduction to Queueing Theory*, 2nd ed., North Holland, 1981,
       §3.4 and Table I (Erlang B: 10 trunks carry 4.4612 erlang at 1 % blocking).

    Examples
    --------
    >>> round(max_offered_load(10, max_blocking=0.01), 4)
    4.4612
    >>> round(max_offered_load(100, max_blocking=0.01), 2)
    84.06
    >>> round(max_offered_load(10, max_prob_wait=0.2), 4)
    6.8528
    >>> max_offered_load([1, 2, 5], max_blocking=0.5).round(4)
    array([1.    , 2.7321, 8.4369])
    """
    if max_blocking is None and max_prob_wait is None:
        raise ValueError("max_offered_load needs a target: max_blocking or max_prob_wait")
    check_integer("servers", servers, minimum=1, maximum=int(MAX_SERVERS_INVERSE))
    given = {"max_blocking": max_blocking, "max_prob_wait": max_prob_wait}
    targets = {k: v for k, v in given.items() if v is not None}
    for name, value in targets.items():
        check_probability(name, value)
    args = (servers, *targets.values())
    if plain(*args):
        c = float(servers)
        return min(
            _solve_s(c, math.log(float(v)), k == "max_prob_wait") for k, v in targets.items()
        )
    arrays, wrap = broadcast(*args, names=("servers", *targets))
    c = arrays[0]
    shape = c.shape
    outs = [
        _solve_v(c.ravel(), np.log(v).ravel(), k == "max_prob_wait").reshape(shape)
        for k, v in zip(targets, arrays[1:], strict=True)
    ]
    return wrap(outs[0] if len(outs) == 1 else np.minimum(*outs))
