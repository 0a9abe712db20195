"""Private numerical kernels: tables vs mpmath, and scalar path == vectorised path."""

import math

import mpmath as mp
import numpy as np
import pytest

from availcalc.queueing import _kernels as K

mp.mp.dps = 50


def test_stirlerr_table_matches_mpmath():
    # stirlerr(n) = log(n!) - [(n + 1/2) log n - n + log(2 pi)/2], mpmath at 50 digits
    for n in range(1, 16):
        ref = mp.loggamma(n + 1) - (n + mp.mpf(1) / 2) * mp.log(n) + n - mp.log(2 * mp.pi) / 2
        assert K.stirlerr_s(float(n)) == pytest.approx(float(ref), rel=1e-15, abs=0)


@pytest.mark.parametrize("n", [16.0, 17.0, 35.0, 80.0, 81.0, 499.0, 501.0, 1e4, 1e6, 1e9])
def test_stirlerr_series_matches_mpmath(n):
    ref = mp.loggamma(n + 1) - (n + mp.mpf(1) / 2) * mp.log(n) + n - mp.log(2 * mp.pi) / 2
    # enters log pmf as an absolute term: absolute accuracy is what matters
    assert K.stirlerr_s(n) == pytest.approx(float(ref), rel=1e-14, abs=1e-18)
    assert K.stirlerr_v(np.array([n]))[0] == pytest.approx(K.stirlerr_s(n), rel=1e-15, abs=1e-19)


@pytest.mark.parametrize(
    "rho", [1e-8, 0.01, 0.3, 0.5, 0.51, 0.6, 0.9, 0.99, 1.0, 1.01, 1.9, 2.1, 50]
)
@pytest.mark.parametrize("k", [1.0, 7.0, 100.0, 1e6])
def test_log_poisson_pmf_matches_mpmath(k, rho):
    m = k * rho
    ref = k * mp.log(mp.mpf(m)) - m - mp.loggamma(k + 1)
    got = K.log_poisson_pmf_s(k, m)
    assert abs(got - float(ref)) <= 2e-15 * max(1.0, abs(float(ref)))
    assert K.log_poisson_pmf_v(np.array([k]), np.array([m]))[0] == pytest.approx(got, rel=1e-15)


def test_log_poisson_pmf_at_zero():
    assert K.log_poisson_pmf_s(0.0, 2.5) == -2.5
    assert K.log_poisson_pmf_v(np.array([0.0]), np.array([2.5]))[0] == -2.5


@pytest.mark.parametrize("ell", [-5.0, -0.3, -1e-3, -1e-9, 0.0, 1e-12, 1e-4, 0.2, 3.0])
@pytest.mark.parametrize("m", [1, 2, 5, 100, 700])
def test_truncated_geometric_helpers(ell, m):
    # G = sum_{j=1}^m rho^j and its mean index, by brute force at 50 digits
    rho = mp.exp(mp.mpf(ell))
    terms = [rho**j for j in range(1, m + 1)]
    g = mp.fsum(terms)
    mean = mp.fsum(j * t for j, t in enumerate(terms, start=1)) / g
    assert K.log_geom_s(ell, float(m)) == pytest.approx(float(mp.log(g)), rel=1e-14, abs=1e-15)
    assert K.geom_mean_s(ell, float(m)) == pytest.approx(float(mean), rel=1e-13)
    v = K.log_geom_v(np.array([ell]), np.array([float(m)]))[0]
    assert v == pytest.approx(K.log_geom_s(ell, float(m)), rel=1e-15, abs=1e-300)
    gm = K.geom_mean_v(np.array([ell]), np.array([float(m)]))[0]
    assert gm == pytest.approx(K.geom_mean_s(ell, float(m)), rel=1e-15)


def test_log_geom_empty_is_minus_inf():
    assert K.log_geom_s(0.3, 0.0) == -math.inf
    assert K.log_geom_v(np.array([0.3]), np.array([0.0]))[0] == -math.inf


def test_solver_finds_exponential_quantile():
    # log sf of Exp(2) is -2x; the pdf/sf ratio is 2
    def fun(x, rate):
        return -rate * x, np.log(rate) - rate * x

    x = K.solve_logsf_v(
        fun, np.array([-1.0, -10.0]), np.array([0.0, 0.0]), np.array([9.0, 9.0]), (2.0,)
    )
    np.testing.assert_allclose(x, [0.5, 5.0], rtol=1e-15)
    xs = K.solve_logsf_s(lambda x: (-2.0 * x, math.log(2.0) - 2.0 * x), -1.0, 0.0, 9.0)
    assert xs == pytest.approx(0.5, rel=1e-15)


def _erlang_c_mp(c: int, a: float) -> mp.mpf:
    """Erlang C from the Erlang B recurrence B_k = a B_{k-1} / (k + a B_{k-1}) at 50 digits."""
    a = mp.mpf(a)
    b = mp.mpf(1)
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b / (1 - (a / c) * (1 - b))


@pytest.mark.parametrize(
    ("c", "a"),
    [
        (1, 1e-12),  # the recurrence (c <= 8)
        (1, 0.999999),
        (2, 1.5),
        (8, 1e-9),
        (8, 1e-40),  # B below 1e-280: log space
        (8, 7.9999),
        (9, 1e-9),  # direct Poisson term from here
        (10, 8.0),
        (10, 9.999999),
        (40, 1e-3),  # Poisson term ~1e-168: still direct
        (100, 0.25),  # Poisson term below 1e-280: falls back to log space
        (120, 63.999),
        (170, 63.5),
        (170, 169.9),  # a >= 64: log space
        (171, 100.0),  # c > 170: log space
    ],
)
def test_erlang_c_fast_path_matches_mpmath(c, a):
    """The plain-float Erlang C (direct Poisson term for small systems) vs mpmath."""
    ref = _erlang_c_mp(c, a)
    logc, pw = K.erlang_c_s(float(c), a)
    assert logc == pytest.approx(float(mp.log(ref)), rel=1e-13, abs=1e-15)
    if ref > mp.mpf("1e-300"):
        assert pw == pytest.approx(float(ref), rel=2e-13, abs=0)
    assert math.exp(logc) == pytest.approx(pw, rel=1e-13, abs=0)
