r"""M/M/c: Poisson arrivals, exponential service, ``c`` servers, FCFS, unlimited queue.

Layer 1 (pure vectorised functions, private ``_v``/``_s`` kernels) and layer 2 (the :class:`MMc`
dataclass). Times are in the unit of ``1/rate``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import special as sc

from availcalc._validation import (
    broadcast,
    check_integer,
    check_nonnegative,
    check_positive,
    check_probability,
)
from availcalc.queueing._common import (
    PLAIN_TYPES,
    check_load_finite,
    check_rates_servers_s,
    describe,
    fmt,
    plain,
)
from availcalc.queueing._kernels import (
    erlang_c_s,
    log_erlang_c_v,
    log_phi_s,
    log_phi_v,
    log_poisson_cdf_s,
    log_poisson_cdf_v,
    log_poisson_pmf_s,
    log_poisson_pmf_v,
    logaddexp_s,
    solve_logsf_s,
    solve_logsf_v,
)

__all__ = ["MMc"]

_INF = math.inf
_NAMES = ("arrival_rate", "service_rate", "servers")


# --------------------------------------------------------------------------------------------
# layer 1: kernels
# --------------------------------------------------------------------------------------------
def mmc_core_s(lam: float, mu: float, c: float) -> tuple[float, ...]:
    """Scalar M/M/c: ``(a, rho, stable, theta, logC, C, Lq, Wq, W, L, X)``."""
    a = lam / mu
    theta = c * mu - lam
    if theta > 0.0 and a < c:
        logc, pw = erlang_c_s(c, a)
        wq = pw / theta
        w = wq + 1.0 / mu
        return a, a / c, True, theta, logc, pw, lam * wq, wq, w, lam * w, lam
    return a, a / c, False, theta, 0.0, 1.0, _INF, _INF, _INF, _INF, c * mu


def mmc_core_v(lam: np.ndarray, mu: np.ndarray, c: np.ndarray) -> dict[str, np.ndarray]:
    """Vectorised :func:`mmc_core_s` (dict of arrays)."""
    a = lam / mu
    with np.errstate(over="ignore"):  # c·μ beyond a double is +inf: the right limit
        theta = c * mu - lam
        cmu = c * mu
    stable = (theta > 0.0) & (a < c)
    if stable.all():  # the usual batch: no masking passes
        logc = log_erlang_c_v(c, a)
        pw = np.exp(logc)
        wq = pw / theta
    else:
        logc = np.where(stable, log_erlang_c_v(c, np.where(stable, a, 0.5 * c)), 0.0)
        pw = np.exp(logc)
        wq = np.where(stable, pw / np.where(stable, theta, 1.0), _INF)
    w = wq + 1.0 / mu
    return {
        "a": a,
        "rho": a / c,
        "stable": stable,
        "theta": theta,
        "logc": logc,
        "pw": pw,
        "lq": lam * wq,
        "wq": wq,
        "w": w,
        "l": lam * w,
        "x": np.where(stable, lam, cmu),
    }


def wait_quantile_v(logq1: np.ndarray, logc: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """Quantile of ``Wq`` = atom ``1 - P_w`` at 0 + ``P_w * Exp(rate)``; ``logq1 = log(1 - q)``."""
    return np.maximum(0.0, (logc - logq1) / rate)


def exp_response_logsf_v(x, logc, mu, eta):
    r"""``log P(T > x)`` for ``T = Wq + S``, ``S ~ Exp(mu)``, ``Wq`` atom + ``P_w Exp(eta)``.

    ``P(T > x) = e^{-mu x} + P_w mu x e^{-lo x} phi((hi - lo) x)``, ``lo/hi = min/max(mu, eta)``.
    """
    lo = np.minimum(mu, eta)
    d = np.abs(mu - eta)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t2 = logc + np.log(mu * x) - lo * x + log_phi_v(d * x)
        huge = np.isinf(mu * x) | np.isinf(d * x)
        if huge.any():  # x near the float limit: the same term without the overflow
            t2 = np.where(huge, logc + _log_mu_x_phi_v(x, mu, d) - lo * x, t2)
        out = np.logaddexp(-mu * x, t2)
    return np.where(np.isinf(x), -_INF, out)


def _log_mu_x_phi_v(x, mu, d):
    r"""``log(mu x) + log_phi(d x)`` for ``x`` so large that ``mu x`` or ``d x`` overflows.

    .. math:: \ln(\mu x) + \ln\frac{1 - e^{-dx}}{dx} = \ln\mu + \ln(1 - e^{-dx}) - \ln d
       \quad (d > 0), \qquad \ln\mu + \ln x \quad (d = 0).
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.log(mu) + np.where(
            d > 0.0, np.log(-np.expm1(-d * x)) - np.log(np.where(d > 0.0, d, 1.0)), np.log(x)
        )


def exp_response_logpdf_v(x, logc, mu, eta):
    """Log density of ``T`` in :func:`exp_response_logsf_v`."""
    lo = np.minimum(mu, eta)
    d = np.abs(mu - eta)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t1 = np.log1p(-np.exp(logc)) + np.log(mu) - mu * x
        t2 = logc + np.log(eta * mu * x) - lo * x + log_phi_v(d * x)
        return np.logaddexp(t1, t2)


def exp_response_logsf_s(x: float, logc: float, mu: float, eta: float) -> float:
    """Scalar :func:`exp_response_logsf_v`."""
    if x == _INF:
        return -_INF
    if x <= 0.0:
        return 0.0
    lo = mu if mu < eta else eta
    d = abs(mu - eta)
    if mu * x < _INF and d * x < _INF:
        t2 = logc + math.log(mu * x) - lo * x + log_phi_s(d * x)
    else:  # x near the float limit: the same term without the overflow (_log_mu_x_phi_v)
        t2 = logc + float(_log_mu_x_phi_v(x, mu, d)) - lo * x
    return logaddexp_s(-mu * x, t2)


def exp_response_logpdf_s(x: float, logc: float, mu: float, eta: float) -> float:
    """Scalar :func:`exp_response_logpdf_v`."""
    lo = mu if mu < eta else eta
    pw = math.exp(logc)
    t1 = math.log1p(-pw) + math.log(mu) - mu * x if pw < 1.0 else -_INF
    t2 = logc + math.log(eta * mu * x) - lo * x + log_phi_s(abs(mu - eta) * x) if x > 0.0 else -_INF
    return logaddexp_s(t1, t2)


def exp_response_quantile_v(logq1, logc, mu, eta):
    """Quantile of ``T`` in :func:`exp_response_logsf_v` at ``q = 1 - exp(logq1)``.

    Bracket: ``T >= Wq`` and ``T >= S`` give the lower end ``max(w_q, s_q)``; the union bound
    ``P(T > w + s) <= P(Wq > w) + P(S > s)`` with both at ``(1 - q)/2`` gives the upper end.
    """
    nowait = np.isneginf(logc) | np.isinf(eta)  # P_w = 0 (c·μ beyond a double): T = S
    if nowait.any():
        out = exp_response_quantile_v(
            logq1, np.where(nowait, -1.0, logc), mu, np.where(nowait, 1.0, eta)
        )
        return np.where(nowait, -logq1 / mu, out)
    half = logq1 - math.log(2.0)
    lo = np.maximum(wait_quantile_v(logq1, logc, eta), -logq1 / mu)
    hi = wait_quantile_v(half, logc, eta) - half / mu

    def fun(x, logc, mu, eta):
        return exp_response_logsf_v(x, logc, mu, eta), exp_response_logpdf_v(x, logc, mu, eta)

    return solve_logsf_v(fun, logq1, lo, hi, (logc, mu, eta))


def exp_response_quantile_s(logq1: float, logc: float, mu: float, eta: float) -> float:
    """Scalar :func:`exp_response_quantile_v`."""
    half = logq1 - math.log(2.0)
    lo = max(0.0, (logc - logq1) / eta, -logq1 / mu)
    hi = max(0.0, (logc - half) / eta) - half / mu

    def fun(x):
        return exp_response_logsf_s(x, logc, mu, eta), exp_response_logpdf_s(x, logc, mu, eta)

    return solve_logsf_s(fun, logq1, lo, hi)


# --------------------------------------------------------------------------------------------
# layer 1: state probabilities P(N = n), P(N > n) (stable queues; computed in log space)
# --------------------------------------------------------------------------------------------
#: Depth of the backward-evaluated continued fraction for the Poisson upper tail, used from
#: ``s - z >= 4 sqrt(z)`` on (measured against mpmath: relative error < 1e-15 for z <= 1e6).
_UPPER_CF_DEPTH = 64
_UPPER_CF_Z = 4.0


def _upper_cf_s(s: float, z: float) -> float:
    r"""``ln(P(X >= s)/P(X = s))`` for ``X ~ Poisson(z)`` from a continued fraction.

    The ratio is :math:`M = {}_1F_1(1; s + 1; z)`; with the continued fraction of the lower
    incomplete gamma function (DLMF 8.9.2), :math:`M = f_1/(f_1 - z)`,
    :math:`f_j = s + j + n_j/f_{j+1}`, :math:`n_{2k-1} = kz`, :math:`n_{2k} = -(s + k)z`.
    :math:`f_1 - z` is formed as :math:`(s + 1 - z) + z/f_2` (no cancellation).
    """
    f = s + _UPPER_CF_DEPTH
    for j in range(_UPPER_CF_DEPTH - 1, 1, -1):
        f = (s + j) + ((j + 1) // 2) * z / f if j % 2 else (s + j) - (s + j // 2) * z / f
    return math.log((s + 1.0) + z / f) - math.log((s + 1.0 - z) + z / f)


def log_poisson_upper_s(s: float, z: float) -> float:
    """``ln P(X >= s)`` for ``X ~ Poisson(z)``, integer-valued ``s >= 1``, ``z > 0``.

    ``scipy.special.gammainc`` up to ``s - z < 4 sqrt(z)`` (a value above ~3e-5, where it is
    accurate); beyond, the Poisson term times :func:`_upper_cf_s` (``gammainc`` loses relative
    accuracy there, by whole percent at ``z = 1e8``, and underflows).
    """
    if s - z >= _UPPER_CF_Z * math.sqrt(z):
        return log_poisson_pmf_s(s, z) + _upper_cf_s(s, z)
    return math.log(sc.gammainc(s, z))


def log_poisson_upper_v(s: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Vectorised :func:`log_poisson_upper_s`."""
    cf = (s - z) >= _UPPER_CF_Z * np.sqrt(z)
    with np.errstate(divide="ignore"):
        out = np.log(sc.gammainc(np.where(cf, 1.0, s), z))
    if cf.any():
        ss, zz = s[cf], z[cf]
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            f = ss + _UPPER_CF_DEPTH
            for j in range(_UPPER_CF_DEPTH - 1, 1, -1):
                num = ((j + 1) // 2) * zz if j % 2 else -(ss + j // 2) * zz
                f = (ss + j) + num / f
            lm = np.log((ss + 1.0) + zz / f) - np.log((ss + 1.0 - zz) + zz / f)
            out[cf] = log_poisson_pmf_v(ss, zz) + lm
    return out


def _log_rho_s(c: float, a: float) -> float:
    """``ln(a/c)``, via ``log1p`` near 1 (``c - a`` is exact there)."""
    return math.log1p(-(c - a) / c) if a > 0.5 * c else math.log(a / c)


def _log_denominator_s(c: float, a: float) -> float:
    """Return ``ln D``, ``D = P(X <= c-1) + P(X = c)/(1 - rho)``, ``X ~ Poisson(a)``.

    So that ``p_n = P(X = n)/D`` for ``n < c`` (and ``p_0 = e^{-a}/D``).
    """
    if c - a >= _UPPER_CF_Z * math.sqrt(a):  # F(c - 1) = 1 - P(X >= c), the latter tiny
        logf = math.log1p(-math.exp(log_poisson_upper_s(c, a)))
    else:
        logf = log_poisson_cdf_s(c - 1.0, a)
    return logaddexp_s(logf, log_poisson_pmf_s(c, a) - math.log((c - a) / c))


def _log_denominator_v(c: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Vectorised :func:`_log_denominator_s`."""
    far = (c - a) >= _UPPER_CF_Z * np.sqrt(a)  # F(c - 1) = 1 - P(X >= c), the latter tiny
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        lp = log_poisson_pmf_v(c, a) - np.log((c - a) / c)
        logf = log_poisson_cdf_v(np.where(far, 1.0, c - 1.0), np.where(far, 0.5, a))
        if far.any():
            logf = np.where(far, np.log1p(-np.exp(log_poisson_upper_v(c, a))), logf)
        return np.logaddexp(logf, lp)


def log_state_pmf_s(n: float, a: float, c: float, logc: float) -> float:
    """``ln P(N = n)`` of a stable M/M/c (``logc = ln C(c, a)``)."""
    if n < c:
        return log_poisson_pmf_s(n, a) - _log_denominator_s(c, a)
    return logc + math.log((c - a) / c) + (n - c) * _log_rho_s(c, a)


def log_state_sf_s(n: float, a: float, c: float, logc: float) -> float:
    """``ln P(N > n)`` of a stable M/M/c: geometric tail from ``c - 1`` on, else three tails."""
    if n >= c - 1.0:
        return min(0.0, logc + (n - c + 1.0) * _log_rho_s(c, a))
    l1 = log_poisson_upper_s(n + 1.0, a)
    l2 = log_poisson_upper_s(c, a)
    l3 = log_poisson_pmf_s(c, a) - math.log((c - a) / c)
    m = max(l1, l3)
    if m == -_INF:
        return -_INF
    s = math.exp(l1 - m) - math.exp(l2 - m) + math.exp(l3 - m)
    return min(0.0, m + math.log(s) - _log_denominator_s(c, a))


def log_state_pmf_v(n, a, c, logc):
    """Vectorised :func:`log_state_pmf_s` (stable cases only: mask the others first)."""
    below = n < c
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        lr = np.where(a > 0.5 * c, np.log1p(-(c - a) / c), np.log(a / c))
        above = logc + np.log((c - a) / c) + np.where(below, 0.0, n - c) * lr
        if not below.any():
            return above
        low = log_poisson_pmf_v(np.where(below, n, 0.0), a) - _log_denominator_v(c, a)
    return np.where(below, low, above)


def log_state_sf_v(n, a, c, logc):
    """Vectorised :func:`log_state_sf_s` (stable cases only: mask the others first)."""
    geo = n >= c - 1.0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        lr = np.where(a > 0.5 * c, np.log1p(-(c - a) / c), np.log(a / c))
        tail = np.minimum(0.0, logc + np.where(geo, n - c + 1.0, 0.0) * lr)
        if geo.all():
            return tail
        l1 = log_poisson_upper_v(np.where(geo, 1.0, n + 1.0), a)
        l2 = log_poisson_upper_v(c, a)
        l3 = log_poisson_pmf_v(c, a) - np.log((c - a) / c)
        m = np.maximum(l1, l3)
        fin = np.isfinite(m)
        ms = np.where(fin, m, 0.0)
        s = np.exp(l1 - ms) - np.exp(l2 - ms) + np.exp(l3 - ms)
        body = np.minimum(0.0, ms + np.log(s) - _log_denominator_v(c, a))
        body = np.where(fin, body, -_INF)
    return np.where(geo, tail, body)


# --------------------------------------------------------------------------------------------
# layer 2: model objects (shared machinery for MMc and MGc)
# --------------------------------------------------------------------------------------------
def _wrap_bool(inputs: tuple[Any, ...]):
    series = next((x for x in inputs if isinstance(x, pd.Series)), None)
    if series is not None:
        return lambda r: pd.Series(np.asarray(r, dtype=bool), index=series.index)
    return lambda r: np.asarray(r, dtype=bool)


class _WaitingQueue:
    """Methods shared by :class:`MMc` and :class:`MGc` (FCFS queue with an Erlang-C-type wait).

    Subclasses set, in ``__post_init__``, either ``_s`` (a tuple of floats
    ``(lam, mu, c, logc, eta, stable, *extra)`` for the plain-float path) or ``_v`` (the same
    as broadcast arrays), plus ``_inputs`` (the original arguments, for output types).
    ``eta`` is the exponential decay rate of the conditional wait (``theta = c mu - lam`` for
    M/M/c).
    """

    _OUTPUTS: tuple[str, ...] = ()
    _PARAMS: tuple[str, ...] = _NAMES

    # ---- helpers -------------------------------------------------------------------------
    def _arrays(self, extra: Any, name: str):
        """Broadcast stored parameter arrays with argument ``name``; return arrays and a wrap."""
        (x, *_), wrap = broadcast(extra, *self._inputs, names=(name, *self._PARAMS))
        v = self._v if self._v is not None else tuple(np.asarray(p, dtype=float) for p in self._s)
        return np.broadcast_arrays(x, *v), wrap

    def _response_logsf_v(self, x, arrs):
        mu, logc, eta = arrs[1], arrs[3], arrs[4]
        return exp_response_logsf_v(x, logc, mu, eta)

    def _response_logsf_s(self, x: float) -> float:
        mu, logc, eta = self._s[1], self._s[3], self._s[4]
        return exp_response_logsf_s(x, logc, mu, eta)

    def _response_quantile_v(self, logq1, arrs):
        mu, logc, eta = arrs[1], arrs[3], arrs[4]
        return exp_response_quantile_v(logq1, logc, mu, eta)

    def _response_quantile_s(self, logq1: float) -> float:
        mu, logc, eta = self._s[1], self._s[3], self._s[4]
        return exp_response_quantile_s(logq1, logc, mu, eta)

    # ---- waiting time ----------------------------------------------------------------------
    def log_prob_wait_exceeds(self, t: Any) -> Any:
        r"""Natural log of :meth:`prob_wait_exceeds`; finite far below the float range.

        Parameters
        ----------
        t : numeric
            Waiting-time threshold >= 0 (``inf`` allowed). [time]

        Returns
        -------
        numeric
            :math:`\ln P(W_q > t) = \ln P_w - \eta t`; 0 when unstable.

        Raises
        ------
        ValueError
            If ``t`` is negative or NaN.
        """
        check_nonnegative("t", t, allow_inf=True)
        if self._v is None and plain(t):
            logc, eta, stable = self._s[3:6]
            if not stable:
                return 0.0
            if t == 0.0:  # eta may be inf (c mu overflows): no inf * 0
                return logc
            return logc - eta * t if t < _INF else -_INF
        arrs, wrap = self._arrays(t, "t")
        t, logc, eta, stable = arrs[0], arrs[4], arrs[5], arrs[6]
        infinite = np.isinf(t)
        with np.errstate(invalid="ignore", over="ignore"):  # eta t overflows: -inf, the limit
            out = logc - eta * np.where(infinite, 0.0, t) if infinite.any() else logc - eta * t
        if infinite.any() or np.isinf(eta).any():  # t = inf gives -inf; eta = inf with t = 0
            out = np.where(infinite, -_INF, np.where(t == 0.0, logc, out))
        return wrap(out if stable.all() else np.where(stable, out, 0.0))

    def prob_wait_exceeds(self, t: Any) -> Any:
        r"""Probability that an arrival waits longer than ``t`` before service.

        Parameters
        ----------
        t : numeric
            Waiting-time threshold >= 0 (``inf`` allowed); broadcasts against the model
            parameters. [time]

        Returns
        -------
        numeric
            :math:`P(W_q > t)`, computed as :math:`\exp(\ln P_w - \eta t)` so that it is
            accurate far below 1e-16 (no ``1 - x``). 1.0 when unstable.

        Raises
        ------
        ValueError
            If ``t`` is negative or NaN.
        """
        out = self.log_prob_wait_exceeds(t)
        return math.exp(out) if isinstance(out, float) else np.exp(out)

    def wait_percentile(self, q: Any) -> Any:
        r"""Quantile of the waiting time in queue.

        Parameters
        ----------
        q : numeric
            Probability level in (0, 1), e.g. 0.95. [-]

        Returns
        -------
        numeric
            :math:`w_q = \max(0, \ln(P_w/(1 - q))/\eta)` (0 when :math:`P_w \le 1 - q`);
            ``inf`` when unstable.

        Raises
        ------
        ValueError
            If ``q`` is not in the open interval (0, 1).
        """
        check_probability("q", q)
        if self._v is None and plain(q):
            logc, eta, stable = self._s[3:6]
            if not stable:
                return _INF
            return max(0.0, (logc - math.log1p(-q)) / eta)
        arrs, wrap = self._arrays(q, "q")
        q, logc, eta, stable = arrs[0], arrs[4], arrs[5], arrs[6]
        eta_safe = np.where(stable, eta, 1.0)
        out = wait_quantile_v(np.log1p(-q), logc, eta_safe)
        return wrap(np.where(stable, out, _INF))

    # ---- response (sojourn) time -----------------------------------------------------------
    def log_prob_response_exceeds(self, t: Any) -> Any:
        r"""Natural log of :meth:`prob_response_exceeds`.

        Parameters
        ----------
        t : numeric
            Response-time threshold >= 0 (``inf`` allowed). [time]

        Returns
        -------
        numeric
            :math:`\ln P(T > t)`; 0 when unstable.

        Raises
        ------
        ValueError
            If ``t`` is negative or NaN.
        """
        check_nonnegative("t", t, allow_inf=True)
        if self._v is None and plain(t):
            if not self._s[5]:
                return 0.0
            return self._response_logsf_s(float(t))
        arrs, wrap = self._arrays(t, "t")
        t, stable = arrs[0], arrs[6]
        safe = _safe_params(arrs)
        out = self._response_logsf_v(t, safe)
        return wrap(np.where(stable, out, 0.0))

    def prob_response_exceeds(self, t: Any) -> Any:
        r"""Probability that the response (sojourn) time exceeds ``t``.

        Parameters
        ----------
        t : numeric
            Response-time threshold >= 0 (``inf`` allowed). [time]

        Returns
        -------
        numeric
            :math:`P(T > t)` with :math:`T = W_q + S`; 1.0 when unstable.

        Raises
        ------
        ValueError
            If ``t`` is negative or NaN.
        """
        out = self.log_prob_response_exceeds(t)
        return math.exp(out) if isinstance(out, float) else np.exp(out)

    def response_percentile(self, q: Any) -> Any:
        r"""Quantile of the response (sojourn) time :math:`T = W_q + S`.

        Parameters
        ----------
        q : numeric
            Probability level in (0, 1). [-]

        Returns
        -------
        numeric
            :math:`t_q` with :math:`P(T > t_q) = 1 - q`, found by a safeguarded Newton
            iteration on :math:`\ln P(T > t)` inside the bracket
            :math:`[\max(w_q, s_q),\ w_{(1+q)/2} + s_{(1+q)/2}]`; ``inf`` when unstable.

        Raises
        ------
        ValueError
            If ``q`` is not in the open interval (0, 1).
        """
        check_probability("q", q)
        if self._v is None and plain(q):
            if not self._s[5]:
                return _INF
            return self._response_quantile_s(math.log1p(-float(q)))
        arrs, wrap = self._arrays(q, "q")
        q, stable = arrs[0], arrs[6]
        safe = _safe_params(arrs)
        out = self._response_quantile_v(np.log1p(-q), safe)
        return wrap(np.where(stable, out, _INF))

    # ---- tables ----------------------------------------------------------------------------
    def _frame_columns(self) -> dict[str, Any]:
        raise NotImplementedError

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per case, inputs and outputs as columns.

        Returns
        -------
        pandas.DataFrame
            Columns: the inputs, then ``offered_load``, ``utilization``, ``stable``,
            ``prob_wait``, ``mean_queue_length``, ``mean_wait``, ``mean_response``,
            ``mean_in_system``, ``throughput``. The index is that of a Series input, if any.
        """
        cols = self._frame_columns()
        shape = np.broadcast_shapes(*(np.shape(v) for v in cols.values()))
        data = {k: np.broadcast_to(np.asarray(v), shape).ravel() for k, v in cols.items()}
        series = next((x for x in self._inputs if isinstance(x, pd.Series)), None)
        index = series.index if series is not None else None
        return pd.DataFrame(data, index=index)


def _safe_params(arrs):
    """Replace unstable cases' parameters by harmless values (masked out afterwards)."""
    lam, mu, c, logc, eta, stable = arrs[1:7]
    st = stable.astype(bool)
    return (lam, mu, c, np.where(st, logc, -1.0), np.where(st, eta, mu), st, *arrs[7:])


@dataclass(frozen=True, eq=False, repr=False, init=False)
class MMc(_WaitingQueue):
    r"""M/M/c queue: Poisson arrivals, exponential service, ``c`` servers, FCFS, infinite queue.

    Parameters
    ----------
    arrival_rate : numeric
        Mean arrival rate λ > 0. [1/time]
    service_rate : numeric
        Mean service rate per server μ > 0 (mean service time 1/μ). [1/time]
    servers : numeric
        Number of parallel servers c, an integer >= 1. [-]

    Every parameter may be a float, an ndarray or a Series; they broadcast against each other
    (e.g. ``servers=np.arange(1, 50)``) and every attribute then has the broadcast shape.

    Attributes
    ----------
    offered_load : numeric
        a = λ/μ. [erlang]
    utilization : numeric
        ρ = λ/(cμ); ρ >= 1 means overload. [-]
    stable : bool or ndarray of bool
        ρ < 1 (a steady state exists).
    prob_wait : numeric
        Erlang C, P(Wq > 0); 1.0 when unstable. [-]
    log_prob_wait : numeric
        ln P(Wq > 0), finite where ``prob_wait`` underflows. [-]
    mean_queue_length : numeric
        Lq, mean number waiting (inf when unstable). [-]
    mean_wait : numeric
        Wq, mean wait in queue (inf when unstable). [time]
    mean_response : numeric
        W = Wq + 1/μ, mean sojourn time (inf when unstable). [time]
    mean_in_system : numeric
        L = λW (inf when unstable). [-]
    throughput : numeric
        λ when stable, cμ (all servers saturated) otherwise. [1/time]

    Raises
    ------
    ValueError
        If a rate is not a finite number > 0 or ``servers`` is not an integer >= 1 (the message
        names the parameter). An overloaded queue (ρ >= 1) is not an error: ``stable`` is
        False, waits and lengths are ``inf``, tail probabilities 1.0.

    See Also
    --------
    erlang_c, MMcK, MGc, min_servers

    Notes
    -----
    With :math:`a = λ/μ`, :math:`ρ = a/c`, :math:`θ = cμ - λ` and :math:`C = C(c, a)`
    (:func:`erlang_c`):

    .. math::

        W_q = \frac{C}{θ}, \quad L_q = λ W_q, \quad W = W_q + \frac{1}{μ}, \quad L = λ W,

        P(W_q > t) = C e^{-θ t}, \qquad
        P(T > t) = e^{-μ t} + C\, μ t\, e^{-\ell t}\,
                   φ\big((h - \ell) t\big), \quad φ(y) = \frac{1 - e^{-y}}{y},

    with :math:`\ell = \min(μ, θ)`, :math:`h = \max(μ, θ)`. The response time
    :math:`T = W_q + S` (FCFS: the wait and the own service time are independent) has the exact
    distribution above; the :math:`φ` form has no 0/0 when :math:`θ = μ`. Tails are evaluated
    as :math:`\exp(\ln C - θ t)` (and a log-sum-exp for :math:`T`), so they stay accurate far
    below 1e-16; ``log_prob_*`` methods go beyond the float range.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, *Fundamentals of Queueing
       Theory*, 4th ed., Wiley, 2008, §2.3 (M/M/c measures and waiting-time distribution).
    .. [2] L. Kleinrock, *Queueing Systems, Volume 1: Theory*, Wiley, 1975, §3.5.

    Examples
    --------
    >>> q = MMc(arrival_rate=8.0, service_rate=1.0, servers=10)
    >>> round(q.prob_wait, 6), round(q.mean_wait, 6), round(q.mean_response, 6)
    (0.40918, 0.20459, 1.20459)
    >>> round(q.prob_wait_exceeds(1.0), 6)
    0.055377
    >>> round(q.response_percentile(0.95), 4)
    3.3283
    >>> MMc(8.0, 1.0, servers=np.arange(9, 13)).mean_wait.round(4)
    array([0.6533, 0.2046, 0.0817, 0.035 ])
    >>> MMc(12.0, 1.0, 10).stable, MMc(12.0, 1.0, 10).mean_wait
    (False, inf)
    """

    arrival_rate: Any
    service_rate: Any
    servers: Any
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

    def __init__(self, arrival_rate: Any, service_rate: Any, servers: Any) -> None:
        # Written by hand (not generated by the dataclass) so that the plain-float path pays
        # for nothing it does not use: one dict store per result, no ``object.__setattr__``.
        d = self.__dict__
        d["arrival_rate"], d["service_rate"], d["servers"] = arrival_rate, service_rate, servers
        lam, mu, c = arrival_rate, service_rate, servers
        if type(lam) in PLAIN_TYPES and type(mu) in PLAIN_TYPES and type(c) in PLAIN_TYPES:
            if type(c) is int and 0 < c and 1e-150 < lam < 1e150 and 1e-150 < mu < 1e150:
                lam, mu, c = float(lam), float(mu), float(c)  # valid, and lam / mu a double
            else:
                lam, mu, c = check_rates_servers_s(lam, mu, c)  # raises, or converts
            (
                d["offered_load"],
                d["utilization"],
                d["stable"],
                theta,
                d["log_prob_wait"],
                d["prob_wait"],
                d["mean_queue_length"],
                d["mean_wait"],
                d["mean_response"],
                d["mean_in_system"],
                d["throughput"],
            ) = mmc_core_s(lam, mu, c)
            d["_s"] = (lam, mu, c, d["log_prob_wait"], theta, d["stable"])
            return
        check_positive("arrival_rate", lam)
        check_positive("service_rate", mu)
        check_integer("servers", c, minimum=1)
        (lam, mu, c), wrap = broadcast(lam, mu, c, names=_NAMES)
        check_load_finite(lam, mu)
        r = mmc_core_v(lam, mu, c)
        d["offered_load"] = wrap(r["a"])
        d["utilization"] = wrap(r["rho"])
        d["stable"] = _wrap_bool(self._inputs)(r["stable"])
        d["prob_wait"] = wrap(r["pw"])
        d["log_prob_wait"] = wrap(r["logc"])
        d["mean_queue_length"] = wrap(r["lq"])
        d["mean_wait"] = wrap(r["wq"])
        d["mean_response"] = wrap(r["w"])
        d["mean_in_system"] = wrap(r["l"])
        d["throughput"] = wrap(r["x"])
        d["_s"] = None
        d["_v"] = (lam, mu, c, r["logc"], r["theta"], r["stable"])

    _v = None  # the plain-float path leaves the class defaults (no per-instance stores)

    @property
    def _inputs(self) -> tuple[Any, Any, Any]:
        return (self.arrival_rate, self.service_rate, self.servers)

    def _frame_columns(self) -> dict[str, Any]:
        return {
            "arrival_rate": self.arrival_rate,
            "service_rate": self.service_rate,
            "servers": self.servers,
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

    # ---- state probabilities (computed on demand: construction pays nothing for them) ------
    def _state_arrays(self, n: Any):
        """Broadcast ``n`` with the parameters; stable cases' ``(n, a, c, logc)`` made safe."""
        arrs, wrap = self._arrays(n, "n")
        n, lam, mu, c, logc, stable = arrs[0], arrs[1], arrs[2], arrs[3], arrs[4], arrs[6]
        st = stable.astype(bool)
        a = lam / mu
        if not st.all():  # harmless values for the unstable cases (masked out afterwards)
            a, logc = np.where(st, a, 0.5 * c), np.where(st, logc, -1.0)
        return n, a, c, logc, st, wrap

    @property
    def p0(self) -> Any:
        r"""Probability that the system is empty, :math:`p_0 = P(N = 0)`.

        Returns
        -------
        numeric
            :math:`p_0` (0.0 when unstable); see :meth:`prob_in_system`.

        Examples
        --------
        >>> round(MMc(8.0, 1.0, 10).p0, 8)
        0.00027657
        """
        if self._v is None:
            lam, mu, c, _, _, stable = self._s
            if not stable:
                return 0.0
            a = lam / mu
            return math.exp(-a - _log_denominator_s(c, a))
        lam, mu, c, _, _, stable = self._v
        st = stable.astype(bool)
        a = np.where(st, lam / mu, 0.5 * c)
        out = np.where(st, np.exp(-a - _log_denominator_v(c, a)), 0.0)
        (_, *_), wrap = broadcast(0.0, *self._inputs, names=("n", *self._PARAMS))
        return wrap(out)

    def prob_in_system(self, n: Any) -> Any:
        r"""Probability of exactly ``n`` customers in the system (waiting plus in service).

        Parameters
        ----------
        n : int or array of int
            Number in system, an integer >= 0; broadcasts against the model parameters. [-]

        Returns
        -------
        numeric
            :math:`P(N = n)`; 0.0 when unstable (no steady state).

        Raises
        ------
        ValueError
            If ``n`` is not an integer >= 0.

        See Also
        --------
        prob_more_than, p0

        Notes
        -----
        With :math:`a = λ/μ`, :math:`ρ = a/c`, :math:`X \sim \mathrm{Poisson}(a)` and
        :math:`C = C(c, a)` (:func:`erlang_c`), the stationary distribution [1]_ is

        .. math::

            p_n = \begin{cases} \dfrac{a^n}{n!}\, p_0 = \dfrac{P(X = n)}{D}, & n < c, \\[1ex]
                  \dfrac{a^n}{c!\, c^{n-c}}\, p_0 = C (1 - ρ)\, ρ^{n-c}, & n \ge c,
                  \end{cases}
            \qquad D = P(X \le c - 1) + \frac{P(X = c)}{1 - ρ} = \frac{e^{-a}}{p_0}.

        The Poisson terms are taken in log space (Loader's saddle-point form, as in
        :func:`erlang_b`) and :math:`D` is a sum of two positive terms (:math:`D \ge 1/2`
        roughly, never under- or overflowing), so :math:`p_n` is accurate to ~1e-14 relative
        at :math:`c = 10^6` and far into the tail (``exp`` of a logarithm; 0 only where the
        true value is below the double range).

        References
        ----------
        .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, *Fundamentals of
           Queueing Theory*, 4th ed., Wiley, 2008, §2.3, eq. (2.27)-(2.30), pp. 66-69.
        .. [2] L. Kleinrock, *Queueing Systems, Volume 1: Theory*, Wiley, 1975, §3.5,
           eq. (3.37)-(3.39), pp. 102-103.

        Examples
        --------
        >>> q = MMc(8.0, 1.0, 10)
        >>> round(q.prob_in_system(10), 8)
        0.08183603
        >>> q.prob_in_system(np.arange(3)).round(6)
        array([0.000277, 0.002213, 0.00885 ])
        >>> MMc(1.0, 1.0, 1).prob_in_system(0)  # unstable: no steady state
        0.0
        """
        check_integer("n", n, minimum=0)
        if self._v is None and plain(n):
            lam, mu, c, logc, _, stable = self._s
            if not stable:
                return 0.0
            return math.exp(log_state_pmf_s(float(n), lam / mu, c, logc))
        n, a, c, logc, st, wrap = self._state_arrays(n)
        out = np.exp(log_state_pmf_v(n, a, c, logc))
        return wrap(out if st.all() else np.where(st, out, 0.0))

    def prob_more_than(self, n: Any) -> Any:
        r"""Probability of more than ``n`` customers in the system.

        Parameters
        ----------
        n : int or array of int
            Number in system, an integer >= 0; broadcasts against the model parameters. [-]

        Returns
        -------
        numeric
            :math:`P(N > n)`, computed directly (never as :math:`1 - \sum p_k`), so it is
            accurate far below 1e-16; 1.0 when unstable (the queue grows without bound).

        Raises
        ------
        ValueError
            If ``n`` is not an integer >= 0.

        See Also
        --------
        prob_in_system, prob_wait_exceeds

        Notes
        -----
        From :math:`n \ge c - 1` on the tail is geometric [1]_:

        .. math::

            P(N > n) = \sum_{k > n} C (1 - ρ) ρ^{k-c} = C\, ρ^{\,n-c+1}, \qquad n \ge c - 1,

        (:math:`P(N > c - 1) = P(N \ge c) = C`, Erlang's C formula). Below, with
        :math:`X \sim \mathrm{Poisson}(a)` and :math:`D` as in :meth:`prob_in_system`,

        .. math::

            P(N > n) = \frac{1}{D}\Big(\sum_{k=n+1}^{c-1} P(X = k) + \frac{P(X = c)}{1 - ρ}
                     \Big) = \frac{P(X > n) + E}{D}, \qquad
            E = \frac{P(X = c)}{1 - ρ} - P(X \ge c) \ge 0,

        (:math:`E \ge 0` because the Poisson tail beyond :math:`c` decays at the ratios
        :math:`a/(k+1) \le ρ`), so the three tails add up to a total at least as large as each
        of them: no cancellation costs more than a few ulps. The Poisson upper tails come from
        ``scipy.special.gammainc`` near the mean and, from :math:`s - a \ge 4\sqrt{a}` on,
        from the continued fraction of the lower incomplete gamma function (DLMF 8.9.2) in
        log space, so tails of 1e-200 and below keep their relative accuracy.

        References
        ----------
        .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, *Fundamentals of
           Queueing Theory*, 4th ed., Wiley, 2008, §2.3, eq. (2.27)-(2.30), pp. 66-69.
        .. [2] NIST Digital Library of Mathematical Functions, eq. 8.9.2 (continued fraction
           of the lower incomplete gamma function), https://dlmf.nist.gov/8.9.

        Examples
        --------
        >>> q = MMc(8.0, 1.0, 10)
        >>> round(q.prob_more_than(9), 6) == round(q.prob_wait, 6)  # P(N >= c) = C
        True
        >>> round(q.prob_more_than(20), 8)
        0.03514831
        >>> f"{MMc(500.0, 1.0, 1000).prob_more_than(1200):.4e}"
        '1.0283e-146'
        """
        check_integer("n", n, minimum=0)
        if self._v is None and plain(n):
            lam, mu, c, logc, _, stable = self._s
            if not stable:
                return 1.0
            return math.exp(log_state_sf_s(float(n), lam / mu, c, logc))
        n, a, c, logc, st, wrap = self._state_arrays(n)
        out = np.exp(log_state_sf_v(n, a, c, logc))
        return wrap(out if st.all() else np.where(st, out, 1.0))

    def __repr__(self) -> str:
        head = (
            f"MMc(arrival_rate={describe(self.arrival_rate)}, "
            f"service_rate={describe(self.service_rate)}, servers={describe(self.servers)})"
        )
        if self._v is None:
            return (
                f"{head}: utilization={fmt(self.utilization)}, stable={self.stable}, "
                f"prob_wait={fmt(self.prob_wait)}, mean_wait={fmt(self.mean_wait)}, "
                f"mean_response={fmt(self.mean_response)}"
            )
        st = np.asarray(self.stable)
        return f"{head}: {st.size} cases, {int(st.sum())} stable"
