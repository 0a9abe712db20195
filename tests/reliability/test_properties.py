"""Hypothesis properties: monotonicity, probability axioms, k-of-n limits.

Monotonicity holds for components, k-of-n pools and diagrams of them. It does **not** hold in
general for ActivePassive and NLBPool: there a faster repair (or an extra NLB node) means more
time in states where the next failure causes a switchover or convergence outage. For
ActivePassive the closed form gives dU/dMTTR > 0 iff (one crew, first order)
4·MTTR > c·t_switch + (1−c)·t_manual; the property below assumes MTTR above that bound. For
NLBPool the properties are "convergence only adds downtime"; the counter-examples (one found
by hypothesis) are pinned as explicit tests.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from availcalc.reliability import (
    ActivePassive,
    Component,
    KofN,
    NLBPool,
    k_of_n,
    parallel,
    series,
)

mttfs = st.floats(min_value=10.0, max_value=1e5)
mttrs = st.floats(min_value=0.01, max_value=200.0)
shrink = st.floats(min_value=0.05, max_value=0.999)


def _not_worse(better, worse, slack=1e-12):
    """U(better) <= U(worse) up to rounding (relative slack)."""
    assert better.unavailability <= worse.unavailability * (1 + slack) + 1e-300
    assert better.availability >= worse.availability - 4e-16


@st.composite
def kofn_params(draw):
    n = draw(st.integers(1, 8))
    k = draw(st.integers(1, n))
    crews = draw(st.integers(1, n))
    return n, k, draw(mttfs), draw(mttrs), crews


@given(kofn_params(), shrink)
def test_kofn_faster_repair_never_hurts(p, f):
    n, k, mttf, mttr, crews = p
    _not_worse(KofN(n, k, mttf, mttr * f, crews), KofN(n, k, mttf, mttr, crews))


@given(kofn_params())
def test_kofn_extra_crew_and_extra_unit_never_hurt(p):
    n, k, mttf, mttr, crews = p
    base = KofN(n, k, mttf, mttr, crews)
    _not_worse(KofN(n, k, mttf, mttr, crews + 1), base)
    _not_worse(KofN(n + 1, k, mttf, mttr, crews), base)


@given(kofn_params())
def test_kofn_probabilities_are_a_distribution(p):
    b = KofN(*p)
    pr = b.up_count_probabilities
    assert pr.shape == (p[0] + 1,)
    assert np.all((pr >= 0) & (pr <= 1))
    assert pr.sum() == pytest.approx(1.0, abs=4e-15)
    assert b.availability + b.unavailability == pytest.approx(1.0, abs=4e-15)
    assert 0.0 <= b.unavailability <= 1.0 and 0.0 <= b.availability <= 1.0
    assert pr[: p[1]].sum() == pytest.approx(b.unavailability, rel=1e-12, abs=1e-300)


@st.composite
def ap_params(draw):
    c = draw(st.floats(0.0, 1.0))
    ts = draw(st.sampled_from([0.0, 1.0, 30.0, 120.0, 600.0]))
    tm = draw(st.sampled_from([0.0, 0.1, 0.5, 2.0]))
    crews = draw(st.integers(1, 2))
    return draw(mttfs), draw(mttrs), c, ts, tm, crews


def _ap(mttf, mttr, c, ts, tm, crews):
    return ActivePassive(mttf, mttr, coverage=c, switchover_s=ts, manual_failover_h=tm, crews=crews)


@given(ap_params(), shrink)
def test_active_passive_faster_repair_helps_when_repair_outlasts_failover(p, f):
    mttf, mttr, c, ts, tm, crews = p
    assume(mttr * f > c * ts / 3600 + (1 - c) * tm)
    _not_worse(_ap(mttf, mttr * f, c, ts, tm, crews), _ap(mttf, mttr, c, ts, tm, crews))


@given(ap_params())
def test_active_passive_second_crew_and_probabilities(p):
    mttf, mttr, c, ts, tm, _ = p
    one, two = _ap(mttf, mttr, c, ts, tm, 1), _ap(mttf, mttr, c, ts, tm, 2)
    _not_worse(two, one)
    sp = one.state_probabilities
    assert list(sp.index) == [
        "both_up",
        "switchover",
        "awaiting_manual_failover",
        "one_up_one_in_repair",
        "both_down",
    ]
    assert np.all((sp >= 0) & (sp <= 1))
    assert sp.sum() == pytest.approx(1.0, abs=1e-14)
    assert sp["both_up"] + sp["one_up_one_in_repair"] == pytest.approx(one.availability, rel=1e-14)


def test_active_passive_counter_example_slow_manual_failover():
    """Coverage 20 %, 8 h manual failover, MTTF 100 h: 4·MTTR < (1−c)·t_manual = 6.4 h, and
    repairing in 0.5 h instead of 1 h *lowers* availability (more time in both_up, where an
    uncovered failure of the active node costs a long manual failover)."""
    kw = {"coverage": 0.2, "switchover_s": 60.0, "manual_failover_h": 8.0, "crews": 1}
    fast = ActivePassive(100.0, 0.5, **kw)
    slow = ActivePassive(100.0, 1.0, **kw)
    assert fast.unavailability > slow.unavailability


@st.composite
def nlb_params(draw):
    n = draw(st.integers(1, 6))
    k = draw(st.integers(1, n))
    conv = draw(st.floats(0.0, 30.0))
    crews = draw(st.integers(1, n))
    return n, k, draw(mttfs), draw(st.floats(0.1, 200.0)), conv, crews


@given(nlb_params(), shrink)
def test_nlb_convergence_only_adds_downtime(p, f):
    n, k, mttf, mttr, conv, crews = p
    pool = NLBPool(n, k, mttf, mttr, conv, crews)
    _not_worse(NLBPool(n, k, mttf, mttr, conv * f, crews), pool)
    _not_worse(KofN(n, k, mttf, mttr, crews), pool)
    # losing the failed node's share is never worse than losing the whole pool
    _not_worse(pool, NLBPool(n, k, mttf, mttr, conv, crews, outage_scope="whole_pool"))


@given(nlb_params(), st.floats(0.0, 30.0))
def test_nlb_window_is_detection_plus_convergence(p, detection):
    n, k, mttf, mttr, conv, crews = p
    split = NLBPool(n, k, mttf, mttr, conv, crews, detection_s=detection)
    one = NLBPool(n, k, mttf, mttr, conv + detection, crews)
    assert split.unavailability == pytest.approx(one.unavailability, rel=1e-12, abs=1e-300)


def test_nlb_counter_example_faster_repair():
    """Found by hypothesis: 1-of-5, MTTF 21 h, 1 s convergence. The k-of-n part is negligible
    and the convergence outages scale with the number of nodes up, so halving the MTTR
    *raises* unavailability."""
    fast = NLBPool(5, 1, 21.0, 0.5, 1.0, crews=2, outage_scope="whole_pool")
    slow = NLBPool(5, 1, 21.0, 1.0, 1.0, crews=2, outage_scope="whole_pool")
    assert fast.unavailability > slow.unavailability


@given(nlb_params())
def test_nlb_probabilities_are_a_distribution(p):
    b = NLBPool(*p)
    df = b.state_probabilities
    assert list(df.columns) == ["nodes_up", "converging", "probability"]
    assert df.converging.dtype == bool
    assert np.all((df.probability >= 0) & (df.probability <= 1))
    assert df.probability.sum() == pytest.approx(1.0, abs=1e-14)
    up = df[(~df.converging) & (df.nodes_up >= p[1])].probability.sum()
    assert up == pytest.approx(b.availability, rel=1e-13)


def test_nlb_counter_example_more_nodes_more_outages():
    """Every node failure re-converges the pool, so a third node adds whole-pool outages.

    When only the failed node's share is lost, a third node fails more often but each failure
    loses a third instead of a half: the traffic lost stays about λw, and the third node helps.
    """
    scope = {"outage_scope": "whole_pool"}
    two, three = (
        NLBPool(2, 1, 1000.0, 1.0, 10.0, **scope),
        NLBPool(3, 1, 1000.0, 1.0, 10.0, **scope),
    )
    assert three.unavailability > two.unavailability
    two, three = NLBPool(2, 1, 1000.0, 1.0, 10.0), NLBPool(3, 1, 1000.0, 1.0, 10.0)
    assert three.unavailability < two.unavailability
    assert three.failure_frequency_per_h > two.failure_frequency_per_h


comps = st.lists(st.tuples(mttfs, mttrs), min_size=1, max_size=5)


def _components(spec, prefix="c"):
    return [Component(f"{prefix}{i}", f, r) for i, (f, r) in enumerate(spec)]


@given(comps)
def test_k_of_n_limits_are_series_and_parallel(spec):
    cs = _components(spec)
    for a, b in ((k_of_n(len(cs), cs), series(*cs)), (k_of_n(1, cs), parallel(*cs))):
        assert a.unavailability == pytest.approx(b.unavailability, rel=1e-13, abs=1e-300)
        assert a.availability == pytest.approx(b.availability, rel=1e-14)
        assert a.failure_frequency_per_h == pytest.approx(b.failure_frequency_per_h, rel=1e-13)
        if len(cs) <= 4:
            assert a.mttf_h == pytest.approx(b.mttf_h, rel=1e-11)


@given(comps, st.tuples(mttfs, mttrs), shrink, st.integers(0, 4))
def test_diagram_monotonicity(spec, extra, f, which):
    cs = _components(spec)
    k = max(1, len(cs) // 2)
    base = k_of_n(k, cs)
    # one more redundant block
    _not_worse(k_of_n(k, [*cs, Component("extra", *extra)]), base)
    # one component repaired faster
    i = which % len(cs)
    faster = list(cs)
    faster[i] = Component(cs[i].name, cs[i].unit_mttf_h, cs[i].unit_mttr_h * f)
    _not_worse(k_of_n(k, faster), base)
    # A + U = 1 and both in [0, 1]
    assert 0 <= base.unavailability <= 1 and 0 <= base.availability <= 1
    assert base.availability + base.unavailability == pytest.approx(1.0, abs=4e-15)


@given(comps, st.floats(0.0, 1e5))
def test_transients_are_probabilities(spec, t):
    d = parallel(series(*_components(spec[:2], "a")), *_components(spec[2:], "b"))
    for v in (d.reliability(t), d.point_availability(t), d.interval_availability(t)):
        assert 0.0 <= v <= 1.0
    assert d.reliability(t) <= d.point_availability(t) + 1e-15
    assert d.point_availability(t) >= d.availability - 1e-12  # starts up: A(t) >= A
    assert math.isfinite(d.mttf_h)
