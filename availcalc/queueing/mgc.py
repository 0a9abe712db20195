r"""M/G/c and G/G/c: Pollaczek–Khinchine (exact, c = 1) and Allen–Cunneen (approximate).

The domain layer uses :class:`MGc` for send stages whose service time is not exponential, e.g.
HTTP endpoints with a service-time squared coefficient of variation (SCV) of 2–4.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import special as sc

from availcalc._validation import broadcast, check_integer, check_nonnegative, check_positive
from availcalc.queueing._common import (
    check_load_finite,
    check_rates_servers_s,
    describe,
    fmt,
    plain,
)
from availcalc.queueing._kernels import solve_logsf_v
from availcalc.queueing.mmc import (
    _WaitingQueue,
    _wrap_bool,
    exp_response_logsf_s,
    exp_response_logsf_v,
    exp_response_quantile_s,
    exp_response_quantile_v,
    mmc_core_s,
    mmc_core_v,
    wait_quantile_v,
)

__all__ = ["MGc"]

_INF = math.inf
_NAMES = ("arrival_rate", "service_rate", "servers", "service_scv", "arrival_scv")
#: Service SCVs below this are treated as deterministic service (the gamma law with shape
#: 1/SCV > 1e8 is numerically indistinguishable from it, and its special functions degrade).
DETERMINISTIC_SCV = 1e-8


# --------------------------------------------------------------------------------------------
# layer 1: response time with gamma-distributed service
# --------------------------------------------------------------------------------------------
def _gamma_j_v(x, mu, eta, k):
    """``J(x) = int_0^x f_S(s) e^{-eta (x - s)} ds`` for ``S ~ Gamma(k, rate k mu)``.

    ``J = e^{-beta x} (beta x)^k / Gamma(k + 1) M(1, k + 1, (beta - eta) x)`` (Kummer's M) for
    ``(beta - eta) x <= 1``, and ``e^{-eta x} (beta/(beta - eta))^k P(k, (beta - eta) x)``
    (regularised lower incomplete gamma) above, where M grows exponentially.
    """
    beta = k * mu
    z = (beta - eta) * x
    big = z > 1.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        zs = np.where(big, 1.0, z)
        small_j = np.exp(-beta * x + sc.xlogy(k, beta * x) - sc.gammaln(k + 1.0)) * sc.hyp1f1(
            1.0, k + 1.0, zs
        )
        bs = np.where(big, beta - eta, 1.0)
        big_j = np.exp(-eta * x + k * np.log(beta / bs)) * sc.gammainc(k, np.where(big, z, 1.0))
    return np.where(big, big_j, small_j)


def gamma_response_logsf_v(x, logc, mu, eta, k):
    """``log P(T > x)``, ``T = Wq + S``: ``S ~ Gamma(k, k mu)``, ``Wq`` atom + ``P_w Exp(eta)``.

    ``P(T > x) = P(S > x) + P_w J(x)`` (the wait adds ``J`` to the service tail).
    """
    beta = k * mu
    with np.errstate(divide="ignore"):
        out = np.log(sc.gammaincc(k, beta * x) + np.exp(logc) * _gamma_j_v(x, mu, eta, k))
    return np.where(np.isinf(x), -_INF, np.where(x <= 0.0, 0.0, out))


def gamma_response_logpdf_v(x, logc, mu, eta, k):
    """Log density of ``T`` in :func:`gamma_response_logsf_v`."""
    beta = k * mu
    pw = np.exp(logc)
    with np.errstate(divide="ignore", invalid="ignore"):
        fs = np.exp(sc.xlogy(k, beta) + sc.xlogy(k - 1.0, x) - beta * x - sc.gammaln(k))
        return np.log((1.0 - pw) * fs + pw * eta * _gamma_j_v(x, mu, eta, k))


def gamma_response_quantile_v(logq1, logc, mu, eta, k):
    """Quantile of ``T`` in :func:`gamma_response_logsf_v` (bracketed safeguarded Newton)."""
    beta = k * mu
    q1 = np.exp(logq1)
    half = logq1 - math.log(2.0)
    lo = np.maximum(wait_quantile_v(logq1, logc, eta), sc.gammainccinv(k, q1) / beta)
    hi = wait_quantile_v(half, logc, eta) + sc.gammainccinv(k, 0.5 * q1) / beta

    def fun(x, logc, mu, eta, k):
        return (
            gamma_response_logsf_v(x, logc, mu, eta, k),
            gamma_response_logpdf_v(x, logc, mu, eta, k),
        )

    return solve_logsf_v(fun, logq1, lo, hi, (logc, mu, eta, k))


def _det_response_logsf_v(x, logc, mu, eta):
    """Deterministic service ``1/mu``: ``P(T > x) = P(Wq > x - 1/mu)``."""
    s = 1.0 / mu
    with np.errstate(invalid="ignore"):
        tail = np.where(np.isinf(x), -_INF, logc - eta * np.where(np.isinf(x), 0.0, x - s))
    return np.where(x < s, 0.0, tail)


# --------------------------------------------------------------------------------------------
# layer 2
# --------------------------------------------------------------------------------------------
def _method_of(c, ca2, cs2):
    if ca2 == 1.0 and cs2 == 1.0:
        return "erlang-c"
    if c == 1.0 and ca2 == 1.0:
        return "pollaczek-khinchine"
    return "allen-cunneen"


_method_v = np.vectorize(_method_of, otypes=[object])


@dataclass(frozen=True, eq=False, repr=False)
class MGc(_WaitingQueue):
    r"""G/G/c queue by Pollaczek–Khinchine (exact M/G/1) or Allen–Cunneen (approximation).

    Parameters
    ----------
    arrival_rate : numeric
        Mean arrival rate λ > 0. [1/time]
    service_rate : numeric
        Mean service rate per server μ > 0 (mean service time 1/μ). [1/time]
    servers : numeric
        Number of servers c, an integer >= 1. [-]
    service_scv : numeric, default 1.0
        Squared coefficient of variation of the service time,
        :math:`c_s^2 = \mathrm{Var}(S)/E[S]^2 \ge 0` (0 deterministic, 1 exponential). [-]
    arrival_scv : numeric, default 1.0
        SCV of the inter-arrival times :math:`c_a^2 \ge 0` (1 for Poisson arrivals). [-]

    Attributes
    ----------
    method : str or ndarray of str
        ``"erlang-c"`` (both SCVs 1: exactly M/M/c), ``"pollaczek-khinchine"`` (c = 1 and
        Poisson arrivals: exact M/G/1 means) or ``"allen-cunneen"`` (approximation).
    offered_load, utilization, stable, throughput : numeric
        As for :class:`MMc` (same units).
    prob_wait, log_prob_wait : numeric
        The Erlang C value and its log (exact for M/G/1, where it equals ρ; an approximation
        for c > 1), or 0 (``-inf``) when both SCVs are 0 (D/D/c: no one waits). [-]
    mean_queue_length, mean_in_system : numeric
        Lq = λWq and L = λW. [-]
    mean_wait, mean_response : numeric
        Wq (formula below) and W = Wq + 1/μ. [time]

    Raises
    ------
    ValueError
        If a rate is not a finite number > 0, ``servers`` is not an integer >= 1, or an SCV is
        negative, infinite or NaN.

    See Also
    --------
    MMc

    Notes
    -----
    Mean wait (Allen–Cunneen; for c = 1 and :math:`c_a^2 = 1` it is the exact
    Pollaczek–Khinchine formula, for :math:`c_a^2 = c_s^2 = 1` exactly M/M/c):

    .. math::

        W_q \approx W_q^{M/M/c}\,\frac{c_a^2 + c_s^2}{2}, \qquad
        W_q^{M/M/1}\frac{1 + c_s^2}{2} = \frac{ρ\,E[S]\,(1 + c_s^2)}{2 (1 - ρ)},

    then :math:`L_q = λW_q`, :math:`W = W_q + 1/μ`, :math:`L = λW`.

    Distributions (**an approximation** beyond the exact cases, stated here so results can be
    read with care): the wait is taken as an atom :math:`1 - P_w` at 0 plus, with probability
    :math:`P_w = C(c, a)`, an exponential with the mean that matches :math:`W_q`, i.e. rate
    :math:`η = P_w/W_q = 2θ/(c_a^2 + c_s^2)`, :math:`θ = cμ - λ`:

    .. math::

        P(W_q > t) \approx P_w\, e^{-η t}.

    The service time is a gamma variable with mean :math:`1/μ` and SCV :math:`c_s^2`
    (shape :math:`k = 1/c_s^2`, rate :math:`β = kμ`; deterministic for :math:`c_s^2 < 10^{-8}`,
    exponential for 1), independent of the wait (FCFS). The response-time tail is the exact
    convolution of these two laws, in closed form:

    .. math::

        P(T > x) = Q(k, βx) + P_w J(x), \quad
        J(x) = \frac{e^{-βx}(βx)^k}{Γ(k+1)}\, M\big(1, k + 1, (β - η)x\big),

    with :math:`Q` the regularised upper incomplete gamma function and :math:`M` Kummer's
    function (evaluated as :math:`e^{-ηx}(β/(β-η))^k P(k, (β-η)x)` when
    :math:`(β - η)x > 1`). When both SCVs are 1 this is the exact M/M/c law of :class:`MMc`
    (the same code path). Percentiles come from the same bracketed Newton iteration as M/M/c.
    For the general gamma case the tail methods use the vectorised path also for scalars.

    The approximation is good in heavy traffic and for :math:`c_s^2` of order 1; for light
    traffic with many servers its error in :math:`W_q` can reach tens of percent, see [3]_.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, *Fundamentals of Queueing
       Theory*, 4th ed., Wiley, 2008, §6.1 (M/G/1, Pollaczek–Khinchine formula), §7.2
       (G/G/c approximations).
    .. [2] A. O. Allen, *Probability, Statistics, and Queueing Theory with Computer Science
       Applications*, 2nd ed., Academic Press, 1990, §6 (Allen–Cunneen approximation).
    .. [3] W. Whitt, "Approximations for the GI/G/m queue", *Production and Operations
       Management* 2(2), 1993, pp. 114–161.

    Examples
    --------
    >>> q = MGc(arrival_rate=0.8, service_rate=1.0, servers=1, service_scv=0.0)  # M/D/1
    >>> q.method, round(q.mean_wait, 6)
    ('pollaczek-khinchine', 2.0)
    >>> q = MGc(8.0, 1.0, 10, service_scv=3.0)
    >>> q.method, round(q.mean_wait, 6), round(q.response_percentile(0.95), 4)
    ('allen-cunneen', 0.40918, 5.1499)
    """

    _PARAMS = _NAMES

    arrival_rate: Any
    service_rate: Any
    servers: Any
    service_scv: Any = 1.0
    arrival_scv: Any = 1.0
    method: Any = field(init=False)
    offered_load: Any = field(init=False)
    utilization: Any = field(init=False)
    stable: Any = field(init=False)
    prob_wait: Any = field(init=False)
    log_prob_wait: Any = field(init=False)
    mean_queue_length: Any = field(init=False)
    mean_wait: Any = field(init=False)
    mean_response: Any = field(init=False)
    mean_in_system: Any = field(init=False)
    throughput: Any = field(init=False)

    def __post_init__(self) -> None:
        lam, mu, c = self.arrival_rate, self.service_rate, self.servers
        cs2, ca2 = self.service_scv, self.arrival_scv
        d = self.__dict__
        d["_inputs"] = (lam, mu, c, cs2, ca2)
        if plain(lam, mu, c, cs2, ca2):
            lam, mu, c = check_rates_servers_s(lam, mu, c)
            check_nonnegative("service_scv", cs2)
            check_nonnegative("arrival_scv", ca2)
            cs2, ca2 = float(cs2), float(ca2)
            a, rho, st, theta, logc, pw, lq, wq, w, ln, x = mmc_core_s(lam, mu, c)
            f = 0.5 * (ca2 + cs2)
            eta = theta
            if st:
                if f == 0.0:
                    logc, pw = -_INF, 0.0
                else:
                    eta = theta / f
                wq = wq * f if f else 0.0  # D/D/c waits 0, even where the M/M/c wait overflows
                lq, w = lam * wq, wq + 1.0 / mu
                ln = lam * w
            d["method"] = _method_of(c, ca2, cs2)
            d["offered_load"] = a
            d["utilization"] = rho
            d["stable"] = st
            d["prob_wait"] = pw
            d["log_prob_wait"] = logc
            d["mean_queue_length"] = lq
            d["mean_wait"] = wq
            d["mean_response"] = w
            d["mean_in_system"] = ln
            d["throughput"] = x
            d["_s"] = (lam, mu, c, logc, eta, st, cs2)
            d["_v"] = None
            return
        check_positive("arrival_rate", lam)
        check_positive("service_rate", mu)
        check_integer("servers", c, minimum=1)
        check_nonnegative("service_scv", cs2)
        check_nonnegative("arrival_scv", ca2)
        (lam, mu, c, cs2, ca2), wrap = broadcast(lam, mu, c, cs2, ca2, names=_NAMES)
        check_load_finite(lam, mu)
        r = mmc_core_v(lam, mu, c)
        f = 0.5 * (ca2 + cs2)
        det = f == 0.0
        st = r["stable"]
        logc = np.where(st & det, -_INF, r["logc"])
        eta = np.where(det | ~st, r["theta"], r["theta"] / np.where(det, 1.0, f))
        # D/D/c waits 0, even where the M/M/c wait overflows (inf * 0 must not give NaN).
        wq = np.where(st, np.where(det, 0.0, np.where(st, r["wq"], 0.0) * f), _INF)
        w = wq + 1.0 / mu
        methods = _method_v(c, ca2, cs2)
        series = next((v for v in self._inputs if isinstance(v, pd.Series)), None)
        d["method"] = methods if series is None else pd.Series(methods, index=series.index)
        d["offered_load"] = wrap(r["a"])
        d["utilization"] = wrap(r["rho"])
        d["stable"] = _wrap_bool(self._inputs)(st)
        d["prob_wait"] = wrap(np.exp(logc))
        d["log_prob_wait"] = wrap(logc)
        d["mean_queue_length"] = wrap(lam * wq)
        d["mean_wait"] = wrap(wq)
        d["mean_response"] = wrap(w)
        d["mean_in_system"] = wrap(lam * w)
        d["throughput"] = wrap(r["x"])
        d["_s"] = None
        d["_v"] = (lam, mu, c, logc, eta, st, cs2)

    # ---- response-time dispatch by service SCV ----------------------------------------------
    def _response_logsf_v(self, x, arrs):
        mu, logc, eta, cs2 = arrs[1], arrs[3], arrs[4], arrs[6]
        out = exp_response_logsf_v(x, logc, mu, eta)
        det = cs2 < DETERMINISTIC_SCV
        if det.any():
            out = np.where(det, _det_response_logsf_v(x, logc, mu, eta), out)
        gam = ~det & (cs2 != 1.0)
        if gam.any():
            k = 1.0 / np.where(gam, cs2, 1.0)
            xg, lg, mg, eg, kg = (np.broadcast_to(v, gam.shape)[gam] for v in (x, logc, mu, eta, k))
            out = out.copy()
            with np.errstate(over="ignore"):  # x near the float limit: the tail is 0 (-inf)
                out[gam] = gamma_response_logsf_v(xg, lg, mg, eg, kg)
        return out

    def _response_quantile_v(self, logq1, arrs):
        mu, logc, eta, cs2 = arrs[1], arrs[3], arrs[4], arrs[6]
        out = exp_response_quantile_v(logq1, logc, mu, eta)
        det = cs2 < DETERMINISTIC_SCV
        if det.any():
            out = np.where(det, 1.0 / mu + wait_quantile_v(logq1, logc, eta), out)
        gam = ~det & (cs2 != 1.0)
        if gam.any():
            k = 1.0 / np.where(gam, cs2, 1.0)
            sel = (np.broadcast_to(v, gam.shape)[gam] for v in (logq1, logc, mu, eta, k))
            out = out.copy()
            out[gam] = gamma_response_quantile_v(*sel)
        return out

    def _response_logsf_s(self, x: float) -> float:
        _, mu, _, logc, eta, _, cs2 = self._s
        if cs2 == 1.0:
            return exp_response_logsf_s(x, logc, mu, eta)
        if cs2 < DETERMINISTIC_SCV:
            if x < 1.0 / mu:
                return 0.0
            return logc - eta * (x - 1.0 / mu) if x < _INF else -_INF
        arrs = tuple(np.asarray(v, dtype=float) for v in self._s)
        return float(self._response_logsf_v(np.asarray(x), arrs))

    def _response_quantile_s(self, logq1: float) -> float:
        _, mu, _, logc, eta, _, cs2 = self._s
        if cs2 == 1.0:
            return exp_response_quantile_s(logq1, logc, mu, eta)
        if cs2 < DETERMINISTIC_SCV:
            return 1.0 / mu + max(0.0, (logc - logq1) / eta)
        arrs = tuple(np.asarray(v, dtype=float) for v in self._s)
        return float(self._response_quantile_v(np.asarray(logq1), arrs))

    def _frame_columns(self) -> dict[str, Any]:
        return {
            "arrival_rate": self.arrival_rate,
            "service_rate": self.service_rate,
            "servers": self.servers,
            "service_scv": self.service_scv,
            "arrival_scv": self.arrival_scv,
            "method": self.method,
            "offered_load": self.offered_load,
            "utilization": self.utilization,
            "stable": self.stable,
            "prob_wait": self.prob_wait,
            "mean_queue_length": self.mean_queue_length,
            "mean_wait": self.mean_wait,
            "mean_response": self.mean_response,
            "mean_in_system": self.mean_in_system,
            "throughput": self.throughput,
        }

    def __repr__(self) -> str:
        head = (
            f"MGc(arrival_rate={describe(self.arrival_rate)}, "
            f"service_rate={describe(self.service_rate)}, servers={describe(self.servers)}, "
            f"service_scv={describe(self.service_scv)}, "
            f"arrival_scv={describe(self.arrival_scv)})"
        )
        if self._v is None:
            return (
                f"{head}: method={self.method!r}, utilization={fmt(self.utilization)}, "
                f"stable={self.stable}, mean_wait={fmt(self.mean_wait)}, "
                f"mean_response={fmt(self.mean_response)}"
            )
        st = np.asarray(self.stable)
        return f"{head}: {st.size} cases, {int(st.sum())} stable"
