"""Numerical kernels shared by the queueing models (private).

Everything here is unvalidated and comes in two flavours with the same formulas:

* ``*_v`` functions take float ndarrays of a common shape (already broadcast) and return arrays;
* ``*_s`` functions take plain Python floats and return floats (``math`` + ``scipy.special`` on
  floats, no array overhead). They serve the plain-float paths of the public API.

The tests check that both flavours agree.

Numerical notes
---------------
The Poisson pmf is computed with Loader's saddle-point form
``log p(k; m) = -log(2 pi k)/2 - stirlerr(k) - bd0(k, m)`` instead of
``k log m - m - lgamma(k + 1)``: the latter cancels catastrophically for large ``k`` (three terms
of size ~1e7 giving a result of size ~1e2 at k = 1e6), which would cost ~1e-9 relative accuracy.
``bd0(k, m) = k log(k/m) + m - k`` itself is computed with a series in
``v = (m - k)/(m + k)`` near ``k = m``.

The Poisson cdf ``P(N <= c) = Q(c + 1, a)`` comes from ``scipy.special.gammaincc`` (relative
error ~1e-15 for ``a <= c``), except far in the overloaded region ``a - c >= 4 sqrt(a)``, where
``gammaincc`` loses relative accuracy and eventually underflows; there Erlang B is taken from the
(terminating, all-positive) Legendre continued fraction of the upper incomplete gamma function.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special as sc

try:  # the Cython-level functions are also callable from Python on floats, ~3x faster
    from scipy.special.cython_special import gammaincc as _gammaincc_s
except ImportError:  # pragma: no cover - very old scipy
    _gammaincc_s = sc.gammaincc

LOG_2PI_HALF = 0.5 * math.log(2.0 * math.pi)

# stirlerr(n) = log(n!) - [(n + 1/2) log n - n + log(2 pi)/2] for n = 1..15, computed with
# mpmath at 40 digits (tests/queueing/test_kernels.py regenerates and checks them).
_STIRLERR_TABLE = (
    0.0,  # n = 0 is never used (log pmf at k = 0 is handled separately)
    0.08106146679532726,
    0.0413406959554093,
    0.02767792568499834,
    0.020790672103765093,
    0.016644691189821193,
    0.013876128823070748,
    0.01189670994589177,
    0.010411265261972096,
    0.009255462182712733,
    0.00833056343336287,
    0.007573675487951841,
    0.00694284010720953,
    0.006408994188004207,
    0.0059513701127588475,
    0.005554733551962801,
)
_STIRLERR_ARRAY = np.array(_STIRLERR_TABLE)
# Stirling series coefficients of 1/n^3, 1/n^5, 1/n^7, 1/n^9 (signs alternate, see stirlerr_s).
_S3, _S5, _S7, _S9 = 1.0 / 360.0, 1.0 / 1260.0, 1.0 / 1680.0, 1.0 / 1188.0
_S11, _S13 = 691.0 / 360360.0, 1.0 / 156.0

# Series coefficients 1/(2j+1), j = 1..17, for bd0 near k = m (|v| < 1/3 gives v^36/37 < 1e-19).
_ODD_RECIP = tuple(1.0 / (2 * j + 1) for j in range(17, 0, -1))  # highest order first (Horner)
_ODD_RECIP_9 = _ODD_RECIP[-9:]  # enough for v^2 < 0.015 (0.015^10/21 < 1e-19)
_V_SERIES = 1.0 / 3.0

# Fixed depth of the backward-evaluated continued fraction for Erlang B when a - c >= 4 sqrt(a)
# (measured against mpmath: relative error < 1e-16 from z = (a - c)/sqrt(a) = 3 up, c <= 1e6).
_CF_DEPTH = 64
_CF_Z = 4.0


# --------------------------------------------------------------------------------------------
# stirlerr, bd0, log Poisson pmf
# --------------------------------------------------------------------------------------------
def stirlerr_s(n: float) -> float:
    """Stirling-series remainder of log(n!) for an integer-valued ``n >= 1``."""
    if n <= 15.0:
        return _STIRLERR_TABLE[int(n)]
    r = 1.0 / (n * n)
    if n > 500.0:
        return (1.0 / 12.0 - r * (_S3 - r * _S5)) / n
    return (1.0 / 12.0 - r * (_S3 - r * (_S5 - r * (_S7 - r * (_S9 - r * (_S11 - r * _S13)))))) / n


def stirlerr_v(n: np.ndarray) -> np.ndarray:
    """Vectorised :func:`stirlerr_s` (``n >= 1`` integer-valued)."""
    small = n <= 15.0
    ns = np.where(small, 16.0, n)
    r = 1.0 / (ns * ns)
    big = (1.0 / 12.0 - r * (_S3 - r * (_S5 - r * (_S7 - r * (_S9 - r * (_S11 - r * _S13)))))) / ns
    if small.any():
        idx = np.where(small, n, 0.0).astype(np.intp)
        return np.where(small, _STIRLERR_ARRAY[idx], big)
    return big


def bd0_s(k: float, m: float) -> float:
    """Deviance term ``k log(k/m) + m - k >= 0`` for ``k > 0, m > 0``, without cancellation."""
    d = m - k
    v = d / (m + k)
    if abs(v) < _V_SERIES:
        w = v * v
        s = 0.0
        for coef in _ODD_RECIP_9 if w < 0.015 else _ODD_RECIP:
            s = s * w + coef
        return d * v - 2.0 * k * v * w * s
    if m < k:  # rho <= 1/2: c log(c/a) dominates
        return d - k * math.log(m / k)
    return k * (d / k - math.log1p(d / k))


def _odd_series_terms(wmax: float) -> tuple[float, ...]:
    """Horner coefficients of sum_j v^(2j)/(2j+1) enough for v^2 <= wmax (relative 1e-17)."""
    if wmax <= 0.0:
        return _ODD_RECIP[-1:]
    n = math.ceil(math.log(1e-17) / math.log(wmax))
    return _ODD_RECIP[-min(max(n, 1), len(_ODD_RECIP)) :]


def bd0_v(k: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Vectorised :func:`bd0_s` (series length adapted to the largest ``|v|`` that uses it)."""
    d = m - k
    v = d / (m + k)
    w = v * v
    near = w < _V_SERIES * _V_SERIES
    coefs = _odd_series_terms(float(np.max(w, where=near, initial=0.0)))
    s = np.full_like(w, coefs[0])
    for coef in coefs[1:]:  # Horner, in place (this loop dominates the cost of bd0)
        s *= w
        s += coef
    s *= w
    s *= k
    s *= v
    series = d * v
    series -= 2.0 * s
    if near.all():
        return series
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        r = m / k
        far = np.where(m < k, d - k * np.log(r), k * ((r - 1.0) - np.log(r)))
    return np.where(near, series, far)


def log_poisson_pmf_s(k: float, m: float) -> float:
    """``log P(N = k)`` for ``N ~ Poisson(m)``, integer-valued ``k >= 0``, ``m > 0``."""
    if k == 0.0:
        return -m
    return -LOG_2PI_HALF - 0.5 * math.log(k) - stirlerr_s(k) - bd0_s(k, m)


def log_poisson_pmf_v(k: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Vectorised :func:`log_poisson_pmf_s`."""
    kk = np.where(k == 0.0, 1.0, k)
    out = -LOG_2PI_HALF - 0.5 * np.log(kk) - stirlerr_v(kk) - bd0_v(kk, m)
    return np.where(k == 0.0, -m, out)


# --------------------------------------------------------------------------------------------
# Erlang B and C in log space
# --------------------------------------------------------------------------------------------
def _cf_inv_b_s(c: float, a: float) -> float:
    """``log(1/B(c, a))`` from the Legendre continued fraction (use for a - c >= 4 sqrt(a))."""
    f = a - c + 2.0 * _CF_DEPTH
    for k in range(_CF_DEPTH, 0, -1):
        f = (a - c + 2.0 * (k - 1)) + max(k * (c - k + 1.0), 0.0) / f
    return math.log(a) - math.log(f)


def log_erlang_b_s(c: float, a: float) -> float:
    """``log B(c, a)`` (Erlang B), integer-valued ``c >= 0``, ``a > 0``."""
    if c == 0.0:
        return 0.0
    if a - c >= _CF_Z * math.sqrt(a):
        return -_cf_inv_b_s(c, a)
    lp = log_poisson_pmf_s(c, a)
    if lp == -math.inf:  # c so large that the Poisson term is below the float range: B -> 0
        return lp
    return lp - math.log(_gammaincc_s(c + 1.0, a))


def log_erlang_b_v(c: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Vectorised :func:`log_erlang_b_s`."""
    # c so large that its Poisson term is below the float range (log pmf = -inf): B = 0 in
    # the limit, and the overflow on the way to it is expected
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        lp = log_poisson_pmf_v(c, a)
        out = lp - np.fmin(np.log(sc.gammaincc(c + 1.0, a)), 0.0)  # fmin: NaN there -> 0
    cf = (a - c) >= _CF_Z * np.sqrt(a)
    if cf.any():
        cc, aa = c[cf], a[cf]
        f = aa - cc + 2.0 * _CF_DEPTH
        for k in range(_CF_DEPTH, 0, -1):
            f = (aa - cc + 2.0 * (k - 1)) + np.maximum(k * (cc - k + 1.0), 0.0) / f
        out = out.copy() if out.base is not None else out
        out[cf] = np.log(f) - np.log(aa)
    zero = c == 0.0
    return np.where(zero, 0.0, out) if zero.any() else out


def log_poisson_cdf_s(c: float, a: float) -> float:
    """``log P(N <= c)`` for ``N ~ Poisson(a)``.

    ``gammaincc``, or pmf/B from the continued fraction deep in overload (``a - c >= 4 sqrt(a)``)
    where ``gammaincc`` loses relative accuracy.
    """
    if c > 0.0 and a - c >= _CF_Z * math.sqrt(a):
        return log_poisson_pmf_s(c, a) + _cf_inv_b_s(c, a)
    return math.log(_gammaincc_s(c + 1.0, a))


def log_poisson_cdf_v(c: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Vectorised :func:`log_poisson_cdf_s`."""
    with np.errstate(divide="ignore"):
        direct = np.log(sc.gammaincc(c + 1.0, a))
    cf = (c > 0.0) & ((a - c) >= _CF_Z * np.sqrt(a))
    if cf.any():
        direct = np.where(cf, log_poisson_pmf_v(c, a) - log_erlang_b_v(c, a), direct)
    return direct


def log_erlang_c_s(c: float, a: float) -> float:
    """``log C(c, a)`` (Erlang C); 0 (C = 1) when ``a >= c``.

    Uses ``1/C = 1 + (1 - rho)(1/B - 1)`` so that log C stays accurate when C is close to 1.
    """
    if a >= c:
        return 0.0
    lb = log_erlang_b_s(c, a)
    if lb > -700.0:
        return -math.log1p((c - a) / c * math.expm1(-lb))
    return lb - math.log((c - a) / c)


#: ``k!`` as floats for ``k <= 170`` (exact integers rounded once; 171! overflows a double).
_FACTORIALS = tuple(float(math.factorial(k)) for k in range(171))


def erlang_c_s(c: float, a: float) -> tuple[float, float]:
    r"""``(log C, C)`` (Erlang C) for a stable queue, integer-valued ``c >= 1``, ``0 < a < c``.

    Up to 8 servers Erlang B comes from its recurrence :math:`B_k = a B_{k-1}/(k + a B_{k-1})`,
    :math:`B_0 = 1` (each step a ratio of positive terms, stable). Up to 170 servers and
    ``a < 64`` the Poisson term is formed directly,
    :math:`p = e^{-a} a^c / c!` (each factor within an ulp, no overflow: :math:`64^{170} <
    2^{1021}`), and

    .. math::

        B = \frac{p}{Q(c + 1, a)}, \qquad x = (1 - ρ)(1 - B), \qquad
        C = \frac{B}{B + x}, \qquad \ln C = -\operatorname{log1p}(x / B),

    sums of positive terms (no cancellation; :math:`1 - ρ = (c - a)/c`; the ``log1p`` keeps
    :math:`\ln C` accurate when C is close to 1). This is the plain-float fast path;
    elsewhere, or when B (or p) is below 1e-280 (near the subnormal range), it returns
    :func:`log_erlang_c_s`. Source: Gross et al., *Fundamentals of Queueing Theory*, 4th ed.,
    2008, eq. (2.32)-(2.33) (Erlang B and C).
    """
    b = 0.0
    if c <= 8.0:  # the Erlang B recurrence is cheaper than three transcendental calls
        b = 1.0
        k = 1.0
        while k <= c:
            b = a * b / (k + a * b)
            k += 1.0
    elif c <= 170.0 and a < 64.0:
        b = math.exp(-a) * a**c / _FACTORIALS[int(c)]
        b = b / _gammaincc_s(c + 1.0, a) if b > 1e-280 else 0.0
    if b > 1e-280:
        x = (c - a) / c * (1.0 - b)
        return -math.log1p(x / b), b / (b + x)
    logc = log_erlang_c_s(c, a)
    return logc, math.exp(logc)


def log_erlang_c_v(c: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Vectorised :func:`log_erlang_c_s`."""
    stable = a < c
    every = bool(stable.all())
    aa = a if every else np.where(stable, a, 0.5 * c)
    lb = log_erlang_b_v(c, aa)
    r = (c - aa) / c
    deep = lb <= -700.0
    with np.errstate(over="ignore"):
        out = -np.log1p(r * np.expm1(-np.maximum(lb, -700.0)))
    if deep.any():
        out = np.where(deep, lb - np.log(r), out)
    return out if every else np.where(stable, out, 0.0)


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------
def log_phi_v(y: np.ndarray) -> np.ndarray:
    """``log((1 - exp(-y))/y)`` for ``y >= 0`` (0 at y = 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log(-np.expm1(-y)) - np.log(y)
    return np.where(y > 0.0, out, 0.0)


def log_phi_s(y: float) -> float:
    """Scalar :func:`log_phi_v`."""
    if y <= 0.0:
        return 0.0
    return math.log(-math.expm1(-y)) - math.log(y)


def logaddexp_s(x: float, y: float) -> float:
    """``log(exp(x) + exp(y))`` for floats (``-inf`` allowed)."""
    if x < y:
        x, y = y, x
    if y == -math.inf:
        return x
    return x + math.log1p(math.exp(y - x))


# --------------------------------------------------------------------------------------------
# root finding for quantiles: solve logsf(x) = target on a bracket, logsf decreasing
# --------------------------------------------------------------------------------------------
_RTOL = 4.0 * np.finfo(float).eps
_NEWTON_TOL = 1e-14


def solve_logsf_v(fun, target, lo, hi, params, maxiter: int = 100) -> np.ndarray:
    """Vectorised safeguarded Newton: ``x`` in ``[lo, hi]`` with ``logsf(x) = target``.

    ``fun(x, *params)`` returns ``(logsf(x), logpdf(x))`` elementwise; ``logsf`` must be
    decreasing with ``logsf(lo) >= target >= logsf(hi)``. Newton steps on
    ``g = logsf - target`` (derivative ``-pdf/sf``) fall back to bisection whenever they leave
    the current bracket, so the iteration always converges; near the root it converges
    quadratically, and a Newton step below 1e-14 relative means the root is reached to a few
    ulps. Converged elements are dropped from the working set.
    """
    shape = np.broadcast_shapes(np.shape(target), np.shape(lo), np.shape(hi))
    ta, loa, hia = (np.broadcast_to(v, shape).ravel() for v in (target, lo, hi))
    pa = [np.broadcast_to(p, shape).ravel() for p in params]
    xa = 0.5 * (loa + hia)
    out = xa.copy()
    idx = np.arange(xa.size)
    for _ in range(maxiter):
        ls, lp = fun(xa, *pa)
        g = ls - ta
        pos = g > 0.0
        loa = np.where(pos, xa, loa)
        hia = np.where(pos, hia, xa)
        with np.errstate(over="ignore", invalid="ignore"):
            xn = xa + g * np.exp(ls - lp)
        newton_done = (np.abs(xn - xa) <= _NEWTON_TOL * np.abs(xa)) | (g == 0.0)
        # a step that lands on (or within rounding of) an end of the bracket is kept: the
        # root may sit exactly at the analytic lower bound (e.g. T ~ S when P_w underflows)
        xc = np.clip(xn, loa, hia)
        inside = np.abs(xn - xc) <= _NEWTON_TOL * np.abs(xc)
        xn = np.where(inside | newton_done, xc, 0.5 * (loa + hia))
        conv = newton_done | (hia - loa <= _RTOL * hia)
        out[idx[conv]] = xn[conv]
        keep = ~conv
        if not keep.any():
            break
        idx, xa, loa, hia, ta = idx[keep], xn[keep], loa[keep], hia[keep], ta[keep]
        pa = [p[keep] for p in pa]
    else:
        out[idx] = xa
    return out.reshape(shape)


def solve_logsf_s(fun, target: float, lo: float, hi: float, maxiter: int = 200) -> float:
    """Scalar :func:`solve_logsf_v`."""
    x = 0.5 * (lo + hi)
    for _ in range(maxiter):
        ls, lp = fun(x)
        g = ls - target
        if g == 0.0:
            return x
        if g > 0.0:
            lo = x
        else:
            hi = x
        try:
            xn = x + g * math.exp(ls - lp)
        except OverflowError:
            xn = math.inf
        if abs(xn - x) <= _NEWTON_TOL * abs(x):
            return xn
        xc = min(max(xn, lo), hi)
        xn = xc if abs(xn - xc) <= _NEWTON_TOL * abs(xc) else 0.5 * (lo + hi)
        if hi - lo <= _RTOL * hi:
            return xn
        x = xn
    return x


# --------------------------------------------------------------------------------------------
# truncated geometric sums (M/M/c/K queue part), stable for rho -> 1 and for huge m
# --------------------------------------------------------------------------------------------
# h(x) = x/(1 - e^{-x}) = sum b_n x^n; b_n for n = 1..14 (Bernoulli numbers B_n^+ / n!).
_H_COEF = (
    (1, 1.0 / 2.0),
    (2, 1.0 / 12.0),
    (4, -1.0 / 720.0),
    (6, 1.0 / 30240.0),
    (8, -1.0 / 1209600.0),
    (10, 1.0 / 47900160.0),
    (12, -691.0 / 1307674368000.0),
    (14, 1.0 / 74724249600.0),
)


def log_abs_expm1_v(y: np.ndarray) -> np.ndarray:
    """``log|e^y - 1|`` without overflow (``-inf`` at y = 0)."""
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        pos = y + np.log(-np.expm1(-np.abs(y)))
        neg = np.log(-np.expm1(np.minimum(y, 0.0)))
    return np.where(y > 0.0, pos, neg)


def log_abs_expm1_s(y: float) -> float:
    """Scalar :func:`log_abs_expm1_v`."""
    if y > 0.0:
        return y + math.log(-math.expm1(-y))
    if y < 0.0:
        return math.log(-math.expm1(y))
    return -math.inf


def log_geom_v(ell: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``log sum_{j=1}^{m} e^{j ell}`` (``-inf`` for m = 0); ``ell = log(rho)``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        gen = ell + (log_abs_expm1_v(m * ell) - log_abs_expm1_v(ell))
        return np.where(m == 0.0, -np.inf, np.where(ell == 0.0, np.log(m), gen))


def log_geom_s(ell: float, m: float) -> float:
    """Scalar :func:`log_geom_v`."""
    if m == 0.0:
        return -math.inf
    if ell == 0.0:
        return math.log(m)
    return ell + (log_abs_expm1_s(m * ell) - log_abs_expm1_s(ell))


def _h_v(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return x / -np.expm1(-x)


def geom_mean_v(ell: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Mean of ``j`` under weights ``e^{j ell}``, ``j = 1..m`` (m >= 1).

    ``1 + (h(m ell) - h(ell))/ell`` with ``h(x) = x/(1 - e^{-x})``; a series near ``m ell = 0``.
    """
    x = m * ell
    small = np.abs(x) < 0.5
    es = np.where(small, 0.0, ell)
    with np.errstate(divide="ignore", invalid="ignore"):
        direct = 1.0 + (_h_v(m * es) - _h_v(es)) / es
    ser = np.zeros_like(x)
    ls = np.where(small, ell, 0.0)
    for n, b in _H_COEF:
        ser = ser + b * (m**n - 1.0) * ls ** (n - 1)
    return np.where(small, 1.0 + ser, direct)


def geom_mean_s(ell: float, m: float) -> float:
    """Scalar :func:`geom_mean_v`."""
    x = m * ell
    if abs(x) < 0.5:
        s = 0.0
        for n, b in _H_COEF:
            s += b * (m**n - 1.0) * ell ** (n - 1)
        return 1.0 + s

    def h(z: float) -> float:
        if z < -700.0:
            return 0.0
        return z / -math.expm1(-z)

    return 1.0 + (h(x) - h(ell)) / ell
