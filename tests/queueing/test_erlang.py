"""Erlang B / C against mpmath (50 digits), identities, input handling."""

import math

import mpmath as mp
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from availcalc.queueing import erlang_b, erlang_c, log_erlang_b, log_erlang_c
from tests.queueing import mpref

SERVERS = [1, 2, 3, 5, 10, 16, 50, 100, 500, 1000, 5000, 10**4, 10**5, 10**6]
RHOS = [1e-6, 0.01, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999]
# offered loads a = rho*c are doubles; the references use exactly these doubles
GRID = [(c, rho * c) for c in SERVERS for rho in RHOS]
OVERLOAD = [(c, r * c) for c in [1, 3, 10, 100, 1000, 10**5] for r in [1.0, 1.01, 1.3, 2.0, 10.0]]


@pytest.fixture(scope="module")
def grid_arrays():
    c = np.array([g[0] for g in GRID], dtype=float)
    a = np.array([g[1] for g in GRID])
    return c, a


def test_reference_methods_agree():
    # the two mpmath references (recursion, incomplete gamma) agree to ~1e-45
    for c, a in [(1, 0.5), (10, 8.0), (500, 450.0), (3000, 2999.7), (50, 120.0)]:
        r1, r2 = mpref.erlang_b_recursion(c, a), mpref.erlang_b_gamma(c, a)
        assert abs(r1 - r2) / r1 < mp.mpf(10) ** -40


def test_erlang_c_grid_vs_mpmath(grid_arrays):
    """C and log C: relative error <= 1e-12 on 168 cases, c = 1..1e6, rho <= 0.9999."""
    c, a = grid_arrays
    got_c = erlang_c(c, a)
    got_log = log_erlang_c(c, a)
    worst_c = worst_log = 0.0
    for i, (ci, ai) in enumerate(GRID):
        ref = mpref.erlang_c(ci, ai)
        worst_log = max(worst_log, mpref.rel(got_log[i], mp.log(ref)))
        if ref > mp.mpf("1e-300"):  # representable: compare C itself
            worst_c = max(worst_c, mpref.rel(got_c[i], ref))
        else:
            assert got_c[i] == 0.0 or got_c[i] < 1e-299
        # scalar path agrees with the vectorised one
        assert erlang_c(int(ci), float(ai)) == pytest.approx(got_c[i], rel=1e-14, abs=0)
        assert log_erlang_c(int(ci), float(ai)) == pytest.approx(got_log[i], rel=1e-14)
    assert worst_c <= 1e-12
    assert worst_log <= 1e-12


def test_erlang_b_grid_vs_mpmath(grid_arrays):
    c, a = grid_arrays
    c = np.concatenate([c, [o[0] for o in OVERLOAD]])
    a = np.concatenate([a, [o[1] for o in OVERLOAD]])
    got = erlang_b(c, a)
    got_log = log_erlang_b(c, a)
    for i in range(c.size):
        ref = mpref.erlang_b(int(c[i]), float(a[i]))
        assert mpref.rel(got_log[i], mp.log(ref)) <= 1e-12
        if ref > mp.mpf("1e-300"):
            assert mpref.rel(got[i], ref) <= 1e-12, (c[i], a[i])
        assert erlang_b(int(c[i]), float(a[i])) == pytest.approx(got[i], rel=1e-14, abs=1e-300)


def test_log_erlang_c_is_finite_where_c_underflows():
    # c = 1e6 at rho = 0.5: C ~ exp(-193000), far below the double range
    lc = log_erlang_c(10**6, 5e5)
    ref = mp.log(mpref.erlang_c(10**6, 5e5))
    assert erlang_c(10**6, 5e5) == 0.0
    assert math.isfinite(lc) and lc < -1e5
    assert mpref.rel(lc, ref) <= 1e-14


def test_erlang_b_deep_overload_is_accurate():
    # a >> c: gammaincc underflows; the continued fraction keeps B exact
    for c, a in [(10, 1e4), (1000, 5000.0), (10**5, 2e5), (1, 1e9)]:
        assert mpref.rel(erlang_b(c, a), mpref.erlang_b_gamma(c, a)) <= 1e-13


def test_textbook_values():
    # Erlang B recursion by hand: B(1, 2) = 2/3, B(2, 2) = 2/5, B(3, 2) = 4/19
    np.testing.assert_allclose(erlang_b([1, 2, 3], 2.0), [2 / 3, 2 / 5, 4 / 19], rtol=1e-15)
    # M/M/1: C = rho
    assert erlang_c(1, 0.75) == pytest.approx(0.75, rel=1e-15)
    # M/M/2 with a = 1: C = a^2/(2 (2 - a) ... ) = 1/3 (p0 = 1/3, C = 2 p0 a^2 / (2 (2 - a)))
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3, rel=1e-15)


def test_overload_gives_one():
    assert erlang_c(5, 5.0) == 1.0
    assert erlang_c(5, 7.5) == 1.0
    assert log_erlang_c(5, 7.5) == 0.0
    np.testing.assert_array_equal(erlang_c(2, [2.0, 3.0]), [1.0, 1.0])


@given(
    c=st.integers(min_value=1, max_value=2000),
    rho=st.floats(min_value=1e-4, max_value=0.9999),
)
def test_c_at_least_b_and_in_unit_interval(c, rho):
    a = rho * c
    b, cw = erlang_b(c, a), erlang_c(c, a)
    assert 0.0 <= b <= cw <= 1.0


@given(
    c=st.integers(min_value=1, max_value=500),
    a=st.floats(min_value=1e-3, max_value=400.0),
)
def test_erlang_b_decreasing_in_servers(c, a):
    assert erlang_b(c + 1, a) <= erlang_b(c, a)


def test_input_types():
    assert isinstance(erlang_c(10, 8.0), float)
    assert isinstance(erlang_c(np.int64(10), np.float64(8.0)), float)
    out = erlang_c(np.array([9, 10]), 8.0)
    assert isinstance(out, np.ndarray) and out.shape == (2,)
    s = pd.Series([8.0, 9.0], index=["x", "y"])
    res = erlang_c(10, s)
    assert isinstance(res, pd.Series) and list(res.index) == ["x", "y"]
    assert res["x"] == pytest.approx(erlang_c(10, 8.0), rel=1e-15)
    # 2-d broadcasting
    assert erlang_b(np.arange(1, 4)[:, None], np.array([1.0, 2.0])).shape == (3, 2)


@pytest.mark.parametrize(
    ("servers", "load", "match"),
    [
        (0, 1.0, "servers"),
        (2.5, 1.0, "servers"),
        (-1, 1.0, "servers"),
        (float("nan"), 1.0, "servers"),
        (True, 1.0, "servers"),
        (2, 0.0, "offered_load"),
        (2, -1.0, "offered_load"),
        (2, float("nan"), "offered_load"),
        (2, float("inf"), "offered_load"),
        ([1, 0], 1.0, "servers"),
        (2, [1.0, np.nan], "offered_load"),
    ],
)
def test_bad_input(servers, load, match):
    for f in (erlang_b, erlang_c, log_erlang_b, log_erlang_c):
        with pytest.raises(ValueError, match=match):
            f(servers, load)
