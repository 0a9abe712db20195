"""Unreliability F(t) and point unavailability U(t), computed directly (issue 19).

References: mpmath chains of :mod:`tests.reliability.mpref` (the generators written out again
from the model definitions), evaluated as ``1 - R(t)`` and ``1 - A(t)`` at 320 digits — enough
for every digit of a value of 1e-200 — and, where one exists, a closed form typed in from the
textbooks (Rausand & Høyland, *System Reliability Theory*, 2nd ed., Wiley 2004, ch. 8:
:math:`F(t) = 1 - e^{-\\lambda t}`, :math:`U(t) = \\frac{\\lambda}{\\lambda+\\mu}(1 -
e^{-(\\lambda+\\mu)t})`; Trivedi 2002 ch. 8 for R(t) of 1-of-2 with one crew).
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from availcalc.reliability import (
    ActivePassive,
    Component,
    KofN,
    MarkovModel,
    NLBPool,
    Standby,
    parallel,
    series,
)
from tests.reliability import mpref as R

EPS = np.finfo(float).eps  # one ulp of 1 (2.2e-16); values just below 1 are spaced eps/2
HIGH_DPS = 320


def _mp_f(chain: R.MpChain, t: float):
    with mp.workdps(HIGH_DPS):
        return 1 - chain.reliability(t)


def _mp_u(chain: R.MpChain, t: float):
    with mp.workdps(HIGH_DPS):
        return 1 - chain.point(t)


def _diagram():
    a = Component("a", 8760.0, 1.0)
    b = Component("b", 2190.0, 0.5)
    c = Component("c", 3000.0, 2.0)
    chain = R.product_chain(
        [R.component_chain(m, r) for m, r in ((8760.0, 1.0), (2190.0, 0.5), (3000.0, 2.0))],
        lambda s: s[0] and (s[1] or s[2]),
    )
    return series(a, parallel(b, c)), chain


def _parallel():
    b = Component("b", 2190.0, 0.5)
    c = Component("c", 3000.0, 2.0)
    chain = R.product_chain(
        [R.component_chain(2190.0, 0.5), R.component_chain(3000.0, 2.0)],
        lambda s: s[0] or s[1],
    )
    return parallel(b, c), chain


# (block, mpmath chain, times): the smallest time puts F(t) near 1e-200
CASES = {
    "component": (
        lambda: (Component("c", 1e9, 5.0), R.component_chain(1e9, 5.0)),
        [1e-191, 1e-100, 1e-4, 1.0, 1e3, 1e9],
    ),
    "component_no_repair": (
        lambda: (Component("c", 1e6, math.inf), R.MpChain(2, {(0, 1): mp.mpf(1) / 10**6}, {0})),
        [1e-194, 1e-20, 1.0, 1e6],
    ),
    "kofn_1of2_one_crew": (
        lambda: (KofN(2, 1, 1000.0, 2.0, crews=1), R.kofn_chain(2, 1, 1000.0, 2.0, 1)),
        [1e-97, 1e-50, 1e-5, 1.0, 100.0, 1e5],
    ),
    "kofn_2of4": (
        lambda: (KofN(4, 2, 500.0, 3.0, crews=2), R.kofn_chain(4, 2, 500.0, 3.0, 2)),
        [1e-65, 1e-30, 1e-3, 10.0, 1e4],
    ),
    "active_passive": (
        lambda: (
            ActivePassive(2000.0, 4.0, coverage=0.95, switchover_s=60.0, crews=1),
            R.ap_chain(2000.0, 4.0, 0.95, 60.0, 0.5, 1)[0],
        ),
        [1e-196, 1e-50, 1e-5, 1.0, 100.0, 1e4],
    ),
    "active_passive_perfect": (
        lambda: (
            ActivePassive(2000.0, 4.0, coverage=1.0, switchover_s=0.0, manual_failover_h=0.0),
            R.ap_chain(2000.0, 4.0, 1.0, 0.0, 0.0, 2)[0],
        ),
        [1e-97, 1e-50, 1e-5, 1.0, 100.0],
    ),
    "series_parallel_diagram": (_diagram, [1e-196, 1e-50, 1e-3, 10.0, 1e4]),
    "parallel_diagram": (_parallel, [1e-97, 1e-50, 1e-3, 10.0, 1e4]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_tails_match_mpmath(case, check_rel):
    """F(t) and U(t) to 1e-12 relative from 1e-200 up (measured: at most 3e-14)."""
    build, times = CASES[case]
    block, chain = build()
    t = np.array(times)
    f = block.unreliability(t)
    u = block.point_unavailability(t)
    smallest = 1.0
    for ti, fi, ui in zip(times, f, u, strict=True):
        check_rel("F(t) tail", fi, _mp_f(chain, ti), tol=1e-12)
        check_rel("U(t) tail", ui, _mp_u(chain, ti), tol=1e-12)
        smallest = min(smallest, fi)
    assert smallest < 1e-195  # the tail really reaches ~1e-200


def test_component_closed_forms(check_rel):
    """Rausand & Høyland ch. 8: F = 1 - e^{-λt}, U = λ/(λ+μ)(1 - e^{-(λ+μ)t})."""
    mttf, mttr = 4380.0, 2.0
    c = Component("c", mttf, mttr)
    lam, mu = 1 / mp.mpf(mttf), 1 / mp.mpf(mttr)
    for t in [1e-250, 1e-12, 0.3, 7.0, 4380.0, 1e6]:
        tt = mp.mpf(t)
        check_rel("F component", c.unreliability(t), -mp.expm1(-lam * tt), tol=1e-15)
        u_ref = lam / (lam + mu) * -mp.expm1(-(lam + mu) * tt)
        check_rel("U component", c.point_unavailability(t), u_ref, tol=1e-15)


def test_1of2_closed_form(check_rel):
    """1-of-2, one crew: R(t) of Trivedi 2002 ch. 8 (mpref.cf_1of2_reliability), as 1 - R."""
    b = KofN(2, 1, 1000.0, 2.0, crews=1)
    for t in [1e-3, 1.0, 50.0, 1e4]:
        with mp.workdps(60):
            ref = 1 - R.cf_1of2_reliability(1000.0, 2.0, t)
        check_rel("F 1-of-2 closed form", b.unreliability(t), ref, tol=1e-13)


def test_improvement_over_subtraction():
    """The losses the issue measured: 1 - R at 1.8e-13 and 1 - A at 1.4e-9."""
    c = Component("c", 1e9, 5.0)
    t = 1.8e-4
    ref = -mp.expm1(-mp.mpf(t) / 10**9)
    assert R.rel(c.unreliability(t), ref) < 1e-15
    assert R.rel(1.0 - c.reliability(t), ref) > 1e-5
    k = KofN(2, 1, 1000.0, 2.0, crews=1)
    chain = R.kofn_chain(2, 1, 1000.0, 2.0, 1)
    t = 3e-2
    assert R.rel(k.point_unavailability(t), _mp_u(chain, t)) < 1e-14
    assert R.rel(1.0 - k.point_availability(t), _mp_u(chain, t)) > 1e-9


def _blocks():
    d, _ = _diagram()
    return [
        Component("c", 1000.0, 5.0),
        Component("cd", 1000.0, 5.0, initially_up=False),
        Component("nr", 1000.0, math.inf),
        KofN(3, 2, 1000.0, 4.0, crews=1),
        KofN(5, 1, 100.0, 10.0, crews=2),
        KofN(3, 1, 1000.0, math.inf),
        ActivePassive(2000.0, 4.0, coverage=0.9, switchover_s=60.0),
        ActivePassive(2000.0, 4.0, coverage=0.9, switchover_s=60.0, nodes=3),
        Standby(3, 1000.0, 2.0, coverage=0.9, switchover_s=30.0),
        NLBPool(3, 2, 2190.0, 0.5, convergence_s=3.0),
        NLBPool(3, 2, 2190.0, 0.5, convergence_s=0.0),
        MarkovModel(
            ["ok", "deg", "down"],
            {("ok", "deg"): 0.01, ("deg", "ok"): 1.0, ("deg", "down"): 0.1, ("down", "ok"): 0.5},
            ["ok", "deg"],
        ),
        d,
    ]


BLOCKS = _blocks()
IDS = [type(b).__name__ + str(i) for i, b in enumerate(BLOCKS)]


@pytest.mark.parametrize("block", BLOCKS, ids=IDS)
def test_zero_time_and_identities(block):
    t = np.array([0.0, 1e-300, 1e-9, 0.1, 3.0, 100.0, 1e4, 1e300])
    f, r = block.unreliability(t), block.reliability(t)
    u, a = block.point_unavailability(t), block.point_availability(t)
    assert f[0] == 0.0 and r[0] == 1.0
    assert u[0] == (0.0 if a[0] == 1.0 else 1.0)
    assert np.all(np.abs(r + f - 1.0) <= EPS)  # to one ulp of 1
    assert np.all(np.abs(a + u - 1.0) <= EPS)
    assert np.all((f >= 0) & (f <= 1) & (u >= 0) & (u <= 1))


@pytest.mark.parametrize("block", BLOCKS, ids=IDS)
def test_same_types_and_validation_as_reliability(block):
    assert isinstance(block.unreliability(2.0), float)
    assert isinstance(block.point_unavailability(2), float)
    s = pd.Series([0.0, 1.0, 2.0], index=["a", "b", "c"])
    out = block.unreliability(s)
    assert isinstance(out, pd.Series) and list(out.index) == ["a", "b", "c"]
    assert block.point_unavailability(np.zeros((2, 3))).shape == (2, 3)
    assert block.unreliability(np.array([])).shape == (0,)
    for bad in (-1.0, math.nan, [1.0, -2.0], "x", 10**400):
        with pytest.raises(ValueError) as want:
            block.reliability(bad)
        for fn in (block.unreliability, block.point_unavailability):
            with pytest.raises(ValueError) as got:
                fn(bad)
            assert str(got.value) == str(want.value)
            assert "t_h" in str(got.value)


def test_no_warning_at_extremes():
    """Longest and shortest times, huge rates: no RuntimeWarning (pytest -W error in CI)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = np.array([0.0, 5e-324, 1e-300, 1e300, np.finfo(float).max])
        for b in (Component("x", 1e-9, 1e-9), Component("y", 1e15, math.inf), *BLOCKS):
            assert np.all(np.isfinite(b.unreliability(t)))
            assert np.all(np.isfinite(b.point_unavailability(t)))


def test_sparse_path_agrees_with_dense():
    """A 300-state up-chain (expm_multiply) against the dense method on the same chain."""
    from availcalc.reliability.transient import _absorbing_expm

    b = KofN(300, 1, 1000.0, 2.0, crews=1)
    uc = b._up_chain
    t = np.array([1.0, 1e3])
    ref = _absorbing_expm(uc.rates.toarray(), uc.exit, t)[:, uc.init, -1]
    f = b.unreliability(t)
    assert f[0] == 0.0 == ref[0]  # below the double range
    assert abs(f[1] / ref[1] - 1) < 1e-12


# -------------------------------------------------------------------- hypothesis
mttfs = st.floats(10.0, 1e6)
mttrs = st.floats(0.01, 100.0)
times = st.lists(st.floats(0.0, 1e6), min_size=2, max_size=8)


@st.composite
def block(draw):
    kind = draw(st.sampled_from(["component", "kofn", "ap", "diagram"]))
    mttf, mttr = draw(mttfs), draw(mttrs)
    if kind == "component":
        return Component("c", mttf, mttr)
    if kind == "kofn":
        n = draw(st.integers(1, 6))
        return KofN(n, draw(st.integers(1, n)), mttf, mttr, crews=draw(st.integers(1, n)))
    if kind == "ap":
        return ActivePassive(
            mttf, mttr, coverage=draw(st.floats(0, 1)), switchover_s=draw(st.floats(0, 600))
        )
    return parallel(Component("a", mttf, mttr), Component("b", draw(mttfs), draw(mttrs)))


@given(block(), times)
def test_unreliability_monotone_and_identity(b, ts):
    t = np.sort(np.array(ts))
    f, r = b.unreliability(t), b.reliability(t)
    assert np.all(np.diff(f) >= -1e-13 * f[1:])  # non-decreasing, to rounding
    assert np.all(np.abs(r + f - 1.0) <= EPS)


@given(mttfs, mttrs, st.integers(1, 5), times)
def test_point_unavailability_monotone_from_all_up(mttf, mttr, n, ts):
    """From all-up a birth-death chain is stochastically monotone: U(t) non-decreasing."""
    t = np.sort(np.array(ts))
    for b in (Component("c", mttf, mttr), KofN(n, 1, mttf, mttr, crews=1)):
        u, a = b.point_unavailability(t), b.point_availability(t)
        assert np.all(np.diff(u) >= -1e-13 * u[1:])
        assert np.all(np.abs(a + u - 1.0) <= EPS)


# -------------------------------------------------------------------- from_unavailability
@pytest.mark.parametrize("q", [1e-12, 1e-9, 4.56413e-4, 0.01, 0.5, 0.9, 1 - 1e-6])
@pytest.mark.parametrize("mttr", [0.01, 4.0, 1000.0])
def test_from_unavailability_round_trip(q, mttr, check_rel):
    c = Component.from_unavailability("c", q, mttr)
    check_rel("from_unavailability U", c.unavailability, q, tol=1e-14)
    check_rel(
        "from_unavailability MTTF", c.unit_mttf_h, mp.mpf(mttr) * (1 - mp.mpf(q)) / q, tol=1e-15
    )
    assert c.mttr_h == mttr and c.name == "c"


@given(st.floats(1e-13, 1 - 1e-9), st.floats(1e-3, 1e4))
def test_from_unavailability_round_trip_hypothesis(q, mttr):
    mttf = mttr * (1 - q) / q
    assume(1e-9 <= mttf <= 1e15)
    c = Component.from_unavailability("c", q, mttr)
    assert abs(c.unavailability - q) <= 1e-14 * q


def test_from_unavailability_rejects():
    for bad in (0.0, 1.0, -0.1, 1.5, math.nan, math.inf, [0.1, 0.2], "0.1", None):
        with pytest.raises(ValueError, match="q"):
            Component.from_unavailability("c", bad, 1.0)
    for bad in (0.0, -1.0, math.inf, math.nan, 1e16):
        with pytest.raises(ValueError, match="mttr_h"):
            Component.from_unavailability("c", 0.01, bad)
    with pytest.raises(ValueError, match=r"q=1e-300 .* mttf_h"):  # MTTF beyond 1e15 h
        Component.from_unavailability("c", 1e-300, 1.0)
    with pytest.raises(ValueError, match="mttf_h"):  # MTTF below 1e-9 h
        Component.from_unavailability("c", 1 - 1e-12, 1e-6)
    with pytest.raises(ValueError, match="name"):
        Component.from_unavailability("", 0.01, 1.0)


def test_initially_up_must_be_a_bool():
    """Found by the API fuzz: an empty array reached ``bool()`` (a ValueError naming nothing)."""
    assert Component("c", 10.0, 1.0, np.bool_(False)).initially_up is False
    for bad in (np.array([]), np.array([True, False]), "no", None, 1.0):
        with pytest.raises(ValueError, match="initially_up"):
            Component("c", 10.0, 1.0, bad)
