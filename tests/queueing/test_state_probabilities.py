"""MMc state probabilities p0, P(N = n), P(N > n): mpmath at 50 digits, identities, limits.

References: the stationary distribution of M/M/c, Gross, Shortle, Thompson, Harris,
*Fundamentals of Queueing Theory*, 4th ed., Wiley, 2008, §2.3, eq. (2.27)-(2.30); the
reference values below are computed from those formulas at 50 digits (mpmath), with the finite
sums written out term by term (independent of the library's incomplete-gamma tails).
"""

from __future__ import annotations

import math
import warnings

import mpmath as mp
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from availcalc.queueing import MMc
from tests.queueing import mpref

mp.mp.dps = 50
RTOL = 1e-12


def _ref(a: float, c: int):
    """(log pois(k) function, D, rho) at 50 digits for offered load a (exact double), c servers."""
    am = mp.mpf(a)
    rho = am / c

    def lpois(k):
        k = mp.mpf(k)
        return k * mp.log(am) - am - mp.loggamma(k + 1)

    d = mpref.poisson_cdf(c - 1, am) + mp.exp(lpois(c)) / (1 - rho)
    return lpois, d, rho


def ref_pmf(a: float, c: int, n: int) -> mp.mpf:
    """GSTH (2.27)-(2.28): p_n = a^n/n! p0 (n < c), a^n/(c! c^(n-c)) p0 (n >= c)."""
    lpois, d, rho = _ref(a, c)
    if n < c:
        return mp.exp(lpois(n)) / d
    return mp.exp(lpois(c)) * rho ** (n - c) / d


def ref_sf(a: float, c: int, n: int) -> mp.mpf:
    """P(N > n) as the explicit sum over n < k < c plus the geometric series beyond c."""
    lpois, d, rho = _ref(a, c)
    if n >= c - 1:
        return mp.exp(lpois(c)) * rho ** (n + 1 - c) / (1 - rho) / d
    s = mp.fsum(mp.exp(lpois(k)) for k in range(n + 1, c))
    return (s + mp.exp(lpois(c)) / (1 - rho)) / d


def rel(got: float, ref: mp.mpf) -> float:
    return float(abs(mp.mpf(got) - ref) / ref)


# (a, c, n values) chosen to cover every branch: n < c, n >= c, the Poisson tail near the mean
# (gammainc) and far above it (continued fraction), c = 1e6, tails far below 1e-300.
CASES = [
    (0.3, 1, [0, 1, 2, 50, 500]),
    (0.9, 1, [0, 3, 100, 6000]),
    (3.7, 4, [0, 1, 2, 3, 4, 10, 400]),
    (8.0, 10, [0, 1, 5, 8, 9, 10, 20, 2000]),
    (10.0, 1000, [0, 5, 10, 40, 150, 300, 998, 999, 1000, 1500]),
    (50.0, 100, [0, 30, 50, 70, 98, 99, 100, 764, 1100]),
    (999.0, 1000, [0, 900, 990, 998, 999, 1000, 50000, 700000]),
    (4000.0, 5000, [3000, 4000, 4200, 4500, 4999, 5000, 7000]),
    (7e5, 10**6, [699_000, 700_000, 702_000, 704_000, 710_000, 999_998, 999_999, 10**6 + 500]),
    (999_000.0, 10**6, [998_000, 999_000, 999_990, 999_999, 1_200_000]),
]


def _expand():
    for a, c, ns in CASES:
        for n in ns:
            yield a, c, n


@pytest.mark.parametrize(("a", "c", "n"), list(_expand()))
def test_against_mpmath(a, c, n):
    q = MMc(a, 1.0, c)
    want_p, want_s = ref_pmf(a, c, n), ref_sf(a, c, n)
    if c - n > 30_000 and n < c - 1:  # the explicit sum would be slow; pmf only
        want_s = None
    got_p = q.prob_in_system(n)
    if want_p > mp.mpf("1e-300"):
        assert rel(got_p, want_p) <= RTOL, (got_p, want_p)
    else:  # below the double range: 0 or a subnormal, never a wrong normal number
        assert got_p <= 1e-300
    if want_s is not None:
        got_s = q.prob_more_than(n)
        if want_s > mp.mpf("1e-300"):
            assert rel(got_s, want_s) <= RTOL, (got_s, want_s)
        else:
            assert got_s <= 1e-300
    # the vector path gives the same numbers
    arr = MMc(np.array([a]), 1.0, c)
    assert arr.prob_in_system(np.array([n]))[0] == pytest.approx(got_p, rel=1e-13, abs=0)


def test_tails_far_below_1e_200_keep_relative_accuracy():
    """Tails around 1e-200 .. 1e-300, on both sides of c - 1."""
    checked = 0
    for a, c, n in [
        (50.0, 100, 764),
        (10.0, 1000, 210),
        (10.0, 1000, 250),
        (100.0, 1000, 560),
        (0.9, 1, 5500),
    ]:
        want = ref_sf(a, c, n)
        assert mp.mpf("1e-305") < want < mp.mpf("1e-190")
        assert rel(MMc(a, 1.0, c).prob_more_than(n), want) <= RTOL
        assert rel(MMc(a, 1.0, c).prob_in_system(n), ref_pmf(a, c, n)) <= RTOL
        checked += 1
    assert checked == 5


def test_p0_against_mpmath_and_non_unit_rates():
    for lam, mu, c in [(8.0, 1.0, 10), (37.0, 0.7, 60), (1234.5, 2.5, 520), (0.2, 3.0, 1)]:
        a = float(mp.mpf(lam) / mp.mpf(mu))  # the library's a = lam / mu, one rounding
        assert a == lam / mu
        q = MMc(lam, mu, c)
        assert rel(q.p0, ref_pmf(a, c, 0)) <= RTOL
        assert q.p0 == q.prob_in_system(0)
        for n in (1, c - 1, c, c + 7):
            assert rel(q.prob_in_system(n), ref_pmf(a, c, n)) <= RTOL
            assert rel(q.prob_more_than(n), ref_sf(a, c, n)) <= RTOL


@pytest.mark.parametrize(("a", "c"), [(0.4, 1), (3.7, 4), (8.0, 10), (45.0, 60), (180.0, 200)])
def test_identities(a, c):
    """sum p_n = 1, P(N > n) = sum_{k>n} p_k, P(N >= c) = C, Little: sum n p_n = L."""
    q = MMc(a, 1.0, c)
    rho = a / c
    big = c + math.ceil(80.0 / -math.log(rho)) + 10  # rho^(big - c) < 1e-34
    ns = np.arange(big + 1)
    p = q.prob_in_system(ns)
    assert math.fsum(p) == pytest.approx(1.0, rel=1e-13)
    sf = q.prob_more_than(ns)
    for n in [0, 1, c // 2, c - 1, c, c + 3]:
        assert sf[n] == pytest.approx(math.fsum(p[n + 1 :]), rel=1e-12)
    assert q.prob_more_than(c - 1) == pytest.approx(q.prob_wait, rel=1e-14)
    assert math.fsum(ns * p) == pytest.approx(q.mean_in_system, rel=1e-12)
    assert math.fsum(np.maximum(ns - c, 0) * p) == pytest.approx(q.mean_queue_length, rel=1e-12)
    assert q.p0 + sf[0] == pytest.approx(1.0, rel=1e-14)


@settings(max_examples=60, deadline=None)
@given(rho=st.floats(1e-3, 0.999), n=st.integers(0, 3000))
def test_single_server_closed_form(rho, n):
    """c = 1: p_n = (1 - rho) rho^n, P(N > n) = rho^(n+1) (GSTH §2.2, eq. 2.9)."""
    q = MMc(rho, 1.0, 1)
    r = mp.mpf(rho)
    pn, sf = (1 - r) * r**n, r ** (n + 1)
    if pn > mp.mpf("1e-300"):
        assert rel(q.prob_in_system(n), pn) <= 1e-12
    if sf > mp.mpf("1e-300"):
        assert rel(q.prob_more_than(n), sf) <= 1e-12
    assert rel(q.p0, 1 - r) <= 1e-14


def test_unstable_is_a_reported_state():
    q = MMc(12.0, 1.0, 10)
    assert q.p0 == 0.0 and q.prob_in_system(3) == 0.0 and q.prob_more_than(3) == 1.0
    v = MMc(np.array([8.0, 12.0, 10.0]), 1.0, 10)
    np.testing.assert_array_equal(v.p0 > 0, [True, False, False])
    np.testing.assert_array_equal(v.prob_more_than(50) == 1.0, [False, True, True])
    np.testing.assert_array_equal(v.prob_in_system(50) == 0.0, [False, True, True])


def test_broadcasting_types_and_scalar_equals_vector():
    q = MMc(8.0, 1.0, 10)
    assert isinstance(q.prob_in_system(3), float) and isinstance(q.p0, float)
    assert isinstance(q.prob_more_than(np.int64(3)), float)
    ns = np.arange(0, 40)
    vec_p, vec_s = q.prob_in_system(ns), q.prob_more_than(ns)
    for n in ns:
        assert vec_p[n] == pytest.approx(q.prob_in_system(int(n)), rel=1e-14)
        assert vec_s[n] == pytest.approx(q.prob_more_than(int(n)), rel=1e-14)
    grid = MMc(8.0, 1.0, np.arange(9, 13))
    out = grid.prob_more_than(np.array([[5], [20]]))
    assert out.shape == (2, 4)
    for j, c in enumerate(range(9, 13)):
        assert out[1, j] == pytest.approx(MMc(8.0, 1.0, c).prob_more_than(20), rel=1e-14)
    s = MMc(pd.Series([4.0, 8.0], index=["a", "b"]), 1.0, 10)
    got = s.prob_in_system(2)
    assert isinstance(got, pd.Series) and list(got.index) == ["a", "b"]
    assert isinstance(s.p0, pd.Series)
    assert s.p0["b"] == pytest.approx(q.p0, rel=1e-14)


def test_extreme_arguments_no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        q = MMc(7e5, 1.0, 10**6)
        assert q.prob_more_than(1e300) == 0.0 and q.prob_in_system(1e300) == 0.0
        assert q.prob_in_system(0) == 0.0  # e^-700000 / D: below the double range
        v = MMc(np.array([7e5, 2.0]), 1.0, 10**6)
        out = v.prob_more_than(np.array([1e300, 0.0]))
        assert out[0] == 0.0 and out[1] == pytest.approx(1.0 - math.exp(-2.0), rel=1e-14)
        assert np.isfinite(v.prob_in_system(np.array([0, 10**6]))).all()
        big = MMc(1.0, 1.0, 1e300)
        assert big.prob_more_than(5) == pytest.approx(float(ref_sf(1.0, 40, 5)), rel=1e-12)


@pytest.mark.parametrize("bad", [-1, 2.5, math.nan, math.inf, "3", None, 10**400])
def test_bad_n(bad):
    q = MMc(8.0, 1.0, 10)
    for fn in (q.prob_in_system, q.prob_more_than):
        with pytest.raises(ValueError, match="n must be"):
            fn(bad)
    with pytest.raises(ValueError, match="n must be"):
        MMc(np.array([8.0]), 1.0, 10).prob_more_than(np.array([1.0, -2.0]))
