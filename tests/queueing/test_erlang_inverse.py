"""max_offered_load and min_servers(max_blocking=): mpmath inverses, tables, round trips.

References: Erlang B tables, R. B. Cooper, *Introduction to Queueing Theory*, 2nd ed., North
Holland, 1981, Table I (p. 316 ff.; 10 trunks at 1 % blocking carry 4.4612 erlang, 100 trunks
84.06 erlang); the c = 1 closed form B = a/(1 + a) (Gross et al., *Fundamentals of Queueing
Theory*, 4th ed., 2008, §2.6). The 50-digit inverses are found by mpmath's root finder on the
Erlang B recursion / the incomplete-gamma form (tests/queueing/mpref.py).
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

from availcalc import max_offered_load as top_level
from availcalc.queueing import erlang_c, log_erlang_b, max_offered_load, min_servers
from tests.queueing import mpref

mp.mp.dps = 50


def _mp_b(c: int, a: mp.mpf) -> mp.mpf:
    if c <= 2000:
        b = mp.mpf(1)
        for k in range(1, c + 1):
            b = a * b / (k + a * b)
        return b
    cc = mp.mpf(c)
    return mp.exp(cc * mp.log(a) - a - mp.loggamma(cc + 1)) / mpref.poisson_cdf(c, a)


def _mp_c(c: int, a: mp.mpf) -> mp.mpf:
    b = _mp_b(c, a)
    return b / (1 - a / c * (1 - b))


def mp_inverse(c: int, target: float, wait: bool, a0: float) -> mp.mpf:
    """Root of ln B(c, a) = ln target (or C) at 50 digits, by the secant method from a0."""
    f = _mp_c if wait else _mp_b
    lt = mp.log(mp.mpf(target))
    x = mp.findroot(lambda x: mp.log(f(c, mp.exp(x))) - lt, mp.log(mp.mpf(a0)), tol=1e-40)
    return mp.exp(x)


def _tol(c, a, b):
    """1e-13, widened by the conditioning of the problem as b -> 1.

    ln B is evaluated to an absolute ~4e-16 (1 + |ln a|) (it is a difference of logarithms of
    size ln a), and d ln B/d ln a = c - a(1 - B) tends to 0 as b -> 1: the relative error of
    the root is their ratio.
    """
    return 1e-13 + 4e-16 * (1.0 + abs(math.log(a))) / (c - a * (1.0 - b))


CASES = [
    (1, 1e-300),
    (1, 0.3),
    (2, 1e-6),
    (10, 0.01),
    (10, 0.5),
    (10, 0.999),
    (57, 1e-100),
    (100, 0.01),
    (1000, 1e-12),
    (1000, 0.9),
    (10_000, 1e-50),
    (10_000, 0.01),
]


@pytest.mark.parametrize(("c", "target"), CASES)
@pytest.mark.parametrize("wait", [False, True])
def test_against_mpmath_inverse(c, target, wait):
    kw = {"max_prob_wait": target} if wait else {"max_blocking": target}
    got = max_offered_load(c, **kw)
    want = mp_inverse(c, target, wait, got)
    assert float(abs(mp.mpf(got) - want) / want) <= _tol(c, got, target)
    assert max_offered_load(np.array([c]), **kw)[0] == pytest.approx(got, rel=_tol(c, got, target))


@pytest.mark.parametrize(("c", "target"), CASES)
def test_round_trip(c, target):
    """erlang_b(c, a*) == b to 1e-12 (relative), within the conditioning of B in a.

    A double a* carries a rounding of 1.1e-16 relative, which moves ln B by
    (d ln B / d ln a) * 1.1e-16 = (c - a(1 - B)) * 1.1e-16: the tolerance adds that.
    """
    a = max_offered_load(c, max_blocking=target)
    slope = c - a * (1.0 - target)
    assert abs(log_erlang_b(c, a) - math.log(target)) <= 1e-12 + 4e-16 * slope
    w = max_offered_load(c, max_prob_wait=target)
    assert erlang_c(c, w) == pytest.approx(target, rel=1e-12 + 4e-16 * c)


def test_round_trip_large_c():
    for c in (10_000, 1_000_000):
        for b in (1e-300, 1e-6, 0.01, 0.5):
            a = max_offered_load(c, max_blocking=b)
            slope = c - a * (1.0 - b)
            assert abs(log_erlang_b(c, a) - math.log(b)) <= 1e-12 + 4e-16 * slope
            if b <= 1e-6:
                assert a < c  # the tight targets: the answer is below c (bracketed, not searched)


def test_published_table_values():
    """Cooper (1981) Table I / any Erlang B table: 4.4612 erlang at c = 10, 84.06 at c = 100."""
    assert round(max_offered_load(10, max_blocking=0.01), 4) == 4.4612
    assert round(max_offered_load(100, max_blocking=0.01), 2) == 84.06
    assert round(max_offered_load(5, max_blocking=0.01), 3) == 1.361
    assert round(max_offered_load(20, max_blocking=0.01), 2) == 12.03
    assert round(max_offered_load(50, max_blocking=0.01), 2) == 37.90


@settings(max_examples=60, deadline=None)
@given(b=st.floats(1e-300, 0.999))
def test_single_server_closed_form(b):
    """c = 1: B = a/(1 + a), so a* = b/(1 - b); C = a for a < 1, so a* = p."""
    want = mp.mpf(b) / (1 - mp.mpf(b))
    got = max_offered_load(1, max_blocking=b)
    assert float(abs(mp.mpf(got) - want) / want) <= _tol(1, got, b)
    assert max_offered_load(1, max_prob_wait=b) == pytest.approx(b, rel=1e-13)


@settings(max_examples=60, deadline=None)
@given(c=st.integers(1, 5000), b=st.floats(1e-200, 0.99))
def test_monotone_in_servers_and_target(c, b):
    """More servers carry more load at the same target; a looser target, more load."""
    loads = max_offered_load(np.array([c, c + 1, c + 7]), max_blocking=b)
    assert loads[0] < loads[1] < loads[2]
    assert max_offered_load(c, max_blocking=min(0.999, 2 * b)) > loads[0]
    w = max_offered_load(np.array([c, c + 1]), max_prob_wait=b)
    assert w[0] < w[1] <= c + 1
    assert w[0] <= loads[0]  # C >= B: waiting is the tighter of the two


def test_both_targets_take_the_smaller_load_and_types():
    both = max_offered_load(10, max_blocking=0.01, max_prob_wait=0.5)
    assert both == min(
        max_offered_load(10, max_blocking=0.01), max_offered_load(10, max_prob_wait=0.5)
    )
    assert isinstance(max_offered_load(10, max_blocking=0.01), float)
    out = max_offered_load(np.array([[1], [10]]), max_blocking=np.array([0.01, 0.1, 0.5]))
    assert out.shape == (2, 3)
    assert out[1, 0] == pytest.approx(max_offered_load(10, max_blocking=0.01), rel=1e-15)
    s = max_offered_load(pd.Series([10, 100], index=["x", "y"]), max_blocking=0.01)
    assert isinstance(s, pd.Series) and list(s.index) == ["x", "y"]
    assert top_level is max_offered_load


def test_no_warnings_at_the_edges():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for c in (1, 1e6, 1e15):
            for b in (5e-324, 1e-300, 1 - 1e-16):
                a = max_offered_load(c, max_blocking=b)
                assert math.isfinite(a) and a > 0
                w = max_offered_load(c, max_prob_wait=b)
                assert math.isfinite(w) and 0 < w <= c
        v = max_offered_load(np.array([1.0, 1e15]), max_blocking=np.array([5e-324, 0.5]))
        assert np.isfinite(v).all()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"servers": 10}, "target"),
        ({"servers": 0, "max_blocking": 0.1}, "servers"),
        ({"servers": 2.5, "max_blocking": 0.1}, "servers"),
        ({"servers": 1e16, "max_blocking": 0.1}, "servers"),
        ({"servers": 10, "max_blocking": 1.0}, "max_blocking"),
        ({"servers": 10, "max_blocking": 0.0}, "max_blocking"),
        ({"servers": 10, "max_prob_wait": math.nan}, "max_prob_wait"),
        ({"servers": 10, "max_prob_wait": "0.1"}, "max_prob_wait"),
    ],
)
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        max_offered_load(**kwargs)


# ---- min_servers(max_blocking=...): trunk sizing ----------------------------------------------
@pytest.mark.parametrize("a", [0.05, 1.0, 4.4612, 45.5, 84.06, 1000.0, 12345.6, 987654.25])
@pytest.mark.parametrize("b", [1e-200, 1e-6, 0.01, 0.2, 0.7])
def test_min_servers_blocking_exact_against_mpmath(a, b):
    """c meets B(c, a) <= b and c - 1 does not (50-digit Erlang B; no c > a required)."""
    c = min_servers(a, 1.0, max_blocking=b)
    assert min_servers(np.array([a, a]), 1.0, max_blocking=b).tolist() == [c, c]
    assert mpref.erlang_b(c, a) <= b
    assert c == 1 or mpref.erlang_b(c - 1, a) > b
    if b >= 0.2 and a >= 40.0:
        assert c < a  # a loss system may run overloaded


def test_min_servers_blocking_inverts_max_offered_load():
    for c in (1, 10, 100, 1000, 10**5):
        for b in (1e-9, 0.01, 0.3):
            a = max_offered_load(c, max_blocking=b)
            assert min_servers(a * (1 - 1e-12), 1.0, max_blocking=b) == c
            assert min_servers(a * (1 + 1e-9), 1.0, max_blocking=b) == c + 1


def test_min_servers_blocking_with_other_targets():
    """Combined with a waiting target, stability is required again and both must hold."""
    c = min_servers(8.0, 1.0, max_blocking=0.5, max_mean_wait=0.1)
    assert c == max(
        min_servers(8.0, 1.0, max_blocking=0.5), min_servers(8.0, 1.0, max_mean_wait=0.1)
    )
    assert c == 11
    assert min_servers(8.0, 1.0, max_blocking=1e-12, max_utilization=0.9) == min_servers(
        8.0, 1.0, max_blocking=1e-12
    )
    with pytest.raises(ValueError, match="max_blocking"):
        min_servers(8.0, 1.0, max_blocking=1.5)
    with pytest.raises(ValueError, match="offered load"):
        min_servers(1e300, 1.0, max_blocking=0.01)
