"""High-precision references (mpmath, 50 digits) for the queueing tests.

Everything here is computed from the textbook formulas at 50 significant digits, from the exact
double inputs the library receives, so a comparison measures the library's own rounding error:

* Erlang B two ways: the classic recursion B(k) = a B(k-1)/(k + a B(k-1)) (O(c), used for
  c <= 5000) and P(N = c)/P(N <= c) with mpmath's regularised upper incomplete gamma (any c);
  ``test_erlang.py`` checks that the two agree.
* Erlang C = B/(1 - rho(1 - B)); M/M/c means from GSTH (4th ed.) §2.3.
* P(Wq > t) = C exp(-theta t); P(T > t) = e^{-mu t} + C mu (e^{-theta t} - e^{-mu t})/(mu - theta)
  (the plain two-exponential form: at 50 digits its cancellation is harmless), with the
  theta = mu limit e^{-mu t}(1 + C mu t).
* Percentiles by Newton's method on the 50-digit tail (checked to bracket a sign change).
"""

from __future__ import annotations

from functools import cache

import mpmath as mp

mp.mp.dps = 50


def mpf(x) -> mp.mpf:
    return mp.mpf(float(x))


@cache
def erlang_b_recursion(c: int, a: float) -> mp.mpf:
    a = mpf(a)
    b = mp.mpf(1)
    for k in range(1, int(c) + 1):
        b = a * b / (k + a * b)
    return b


def poisson_cdf(c: int, a: mp.mpf) -> mp.mpf:
    """P(N <= c), N ~ Poisson(a), via mpmath's regularised incomplete gamma functions.

    Below the mean (a < c) use 1 - P(c + 1, a) (lower function): mpmath's upper function with
    an integer first argument takes seconds at c = 1e6, rho = 0.7; at 50 digits the subtraction
    costs nothing.
    """
    c = mp.mpf(int(c))
    if a < c:
        return 1 - mp.gammainc(c + 1, 0, a, regularized=True)
    return mp.gammainc(c + 1, a, mp.inf, regularized=True)


@cache
def erlang_b_gamma(c: int, a: float) -> mp.mpf:
    cc = mp.mpf(int(c))
    a = mpf(a)
    log_pmf = cc * mp.log(a) - a - mp.loggamma(cc + 1)
    return mp.exp(log_pmf) / poisson_cdf(c, a)


def erlang_b(c: int, a: float) -> mp.mpf:
    return erlang_b_recursion(c, a) if c <= 5000 else erlang_b_gamma(c, a)


def erlang_c(c: int, a: float) -> mp.mpf:
    b = erlang_b(c, a)
    rho = mpf(a) / int(c)
    return b / (1 - rho * (1 - b))


def mmc(lam: float, mu: float, c: int) -> dict[str, mp.mpf]:
    """Means of M/M/c (stable case) at 50 digits; a = lam/mu computed exactly from the doubles."""
    lam_, mu_ = mpf(lam), mpf(mu)
    a = lam_ / mu_
    b = _b_exact(int(c), a)
    rho = a / int(c)
    cw = b / (1 - rho * (1 - b))
    theta = int(c) * mu_ - lam_
    wq = cw / theta
    return {
        "C": cw,
        "theta": theta,
        "mu": mu_,
        "prob_wait": cw,
        "log_prob_wait": mp.log(cw),
        "mean_wait": wq,
        "mean_queue_length": lam_ * wq,
        "mean_response": wq + 1 / mu_,
        "mean_in_system": lam_ * (wq + 1 / mu_),
    }


def _b_exact(c: int, a: mp.mpf) -> mp.mpf:
    if c <= 5000:
        b = mp.mpf(1)
        for k in range(1, c + 1):
            b = a * b / (k + a * b)
        return b
    cc = mp.mpf(c)
    return mp.exp(cc * mp.log(a) - a - mp.loggamma(cc + 1)) / poisson_cdf(c, a)


def response_sf(ref: dict, t) -> mp.mpf:
    cw, theta, mu = ref["C"], ref["theta"], ref["mu"]
    t = mpf(t) if not isinstance(t, mp.mpf) else t
    if theta == mu:
        return mp.exp(-mu * t) * (1 + cw * mu * t)
    return mp.exp(-mu * t) + cw * mu * (mp.exp(-theta * t) - mp.exp(-mu * t)) / (mu - theta)


def response_pdf(ref: dict, t) -> mp.mpf:
    cw, theta, mu = ref["C"], ref["theta"], ref["mu"]
    t = mpf(t) if not isinstance(t, mp.mpf) else t
    if theta == mu:
        return (1 - cw) * mu * mp.exp(-mu * t) + cw * mu**2 * t * mp.exp(-mu * t)
    hypo = theta * mu * (mp.exp(-theta * t) - mp.exp(-mu * t)) / (mu - theta)
    return (1 - cw) * mu * mp.exp(-mu * t) + cw * hypo


def response_quantile(ref: dict, q: float, x0: float) -> mp.mpf:
    """Root of log P(T > x) = log(1 - q) by Newton at 50 digits, started at x0.

    log P(T > x) is monotone, so the root is unique; from a start within ~1e-12 three or four
    quadratic steps reach 50 digits. The result is checked to be a sign change.
    """
    target = mp.log(1 - mpf(q))
    x = mpf(x0)
    for _ in range(30):
        sf = response_sf(ref, x)
        step = (mp.log(sf) - target) * sf / response_pdf(ref, x)
        x = x + step
        if abs(step) < mp.mpf("1e-45") * x:
            break
    lo, hi = x * (1 - mp.mpf("1e-40")), x * (1 + mp.mpf("1e-40"))
    assert mp.log(response_sf(ref, lo)) >= target >= mp.log(response_sf(ref, hi))
    return x


def wait_quantile(ref: dict, q: float) -> mp.mpf:
    v = mp.log(ref["C"] / (1 - mpf(q))) / ref["theta"]
    return max(mp.mpf(0), v)


def rel(got, ref) -> float:
    """Relative error |got - ref|/|ref| as a float (0 when both are 0)."""
    ref = mp.mpf(ref)
    if ref == 0:
        return 0.0 if got == 0 else float("inf")
    return float(abs(mp.mpf(float(got)) - ref) / abs(ref))
