"""Block diagrams: shared components, the bridge, hierarchical composition, extreme precision.

References: closed forms of Rausand & Høyland (2004) ch. 4 (pivotal decomposition of the bridge)
evaluated in mpmath, and the joint (product-space) CTMC of the leaves built and solved in mpmath
(``mpref.product_chain``), which needs no structure-function reasoning at all.
"""

from __future__ import annotations

import itertools
import math

import mpmath as mp
import numpy as np
import pandas as pd
import pytest

from availcalc.reliability import (
    ActivePassive,
    Component,
    KofN,
    NLBPool,
    k_of_n,
    parallel,
    series,
)
from availcalc.reliability.markov import StateSpaceTooLarge
from tests.reliability import mpref

BRIDGE = mpref.BRIDGE


def _mp_avail(mttf, mttr):
    return mp.mpf(mttf) / (mp.mpf(mttf) + mp.mpf(mttr))


def _bridge():
    c = {i: Component(f"c{i}", *BRIDGE[i]) for i in BRIDGE}
    # minimal path sets {1,3}, {2,4}, {1,5,4}, {2,5,3}; c5 is the bridge element
    d = parallel(
        series(c[1], c[3]), series(c[2], c[4]), series(c[1], c[5], c[4]), series(c[2], c[5], c[3])
    )
    return c, d


def _bridge_up(x):  # x = dict i -> bool
    return (
        (x[1] and x[3]) or (x[2] and x[4]) or (x[1] and x[5] and x[4]) or (x[2] and x[5] and x[3])
    )


def test_bridge_closed_form_and_not_naive(check_rel):
    _, d = _bridge()
    a = {i: _mp_avail(*BRIDGE[i]) for i in BRIDGE}
    # Rausand & Høyland (2004) ch. 4, pivotal decomposition on the bridge element c5
    ref = a[5] * (1 - (1 - a[1]) * (1 - a[2])) * (1 - (1 - a[3]) * (1 - a[4])) + (1 - a[5]) * (
        1 - (1 - a[1] * a[3]) * (1 - a[2] * a[4])
    )
    check_rel("A", d.availability, ref)
    check_rel("U", d.unavailability, 1 - ref)
    # the naive product over "independent" paths is wrong and must not be returned
    paths = [(1, 3), (2, 4), (1, 5, 4), (2, 5, 3)]
    naive = 1 - mp.fprod(1 - mp.fprod(a[i] for i in p) for p in paths)
    assert abs(d.unavailability - float(1 - naive)) > 1e-3 * d.unavailability


def test_bridge_against_product_chain(check_rel):
    _, d = _bridge()
    chains = [mpref.component_chain(*BRIDGE[i]) for i in BRIDGE]
    prod = mpref.product_chain(chains, lambda up: _bridge_up(dict(zip(BRIDGE, up, strict=True))))
    ref = prod.measures()
    check_rel("U", d.unavailability, ref["U"])
    check_rel("omega", d.failure_frequency_per_h, ref["omega"])
    check_rel("MUT", d.mut_h, ref["MUT"])
    check_rel("MDT", d.mdt_h, ref["MDT"])
    check_rel("MTTF", d.mttf_h, prod.mttf())


def test_bridge_importance_against_enumeration(check_rel):
    """Birnbaum, criticality, cut-set Fussell–Vesely, RAW and RRW by brute force over 2^5
    states, with the minimal cut sets of the bridge written out: {1,2}, {3,4}, {1,5,4},
    {2,5,3}."""
    _, d = _bridge()
    a = {i: _mp_avail(*BRIDGE[i]) for i in BRIDGE}
    cuts = [{1, 2}, {3, 4}, {1, 4, 5}, {2, 3, 5}]

    def prob(event, fixed=None):
        fixed = fixed or {}
        tot = mp.mpf(0)
        for bits in itertools.product([True, False], repeat=5):
            x = dict(zip(BRIDGE, bits, strict=True))
            if any(x[i] != v for i, v in fixed.items()):
                continue
            p = mp.fprod((a[i] if x[i] else 1 - a[i]) for i in BRIDGE if i not in fixed)
            if event(x):
                tot += p
        return tot

    u_s = prob(lambda x: not _bridge_up(x))
    imp = d.importance()
    assert list(imp.columns) == ["birnbaum", "criticality", "fussell_vesely", "raw", "rrw"]
    assert list(imp.index) == [f"c{i}" for i in (1, 3, 2, 4, 5)]  # first appearance
    for i in BRIDGE:
        row = imp.loc[f"c{i}"]
        a1 = prob(_bridge_up, {i: True})
        a0 = prob(_bridge_up, {i: False})
        u1 = prob(lambda x: not _bridge_up(x), {i: True})
        u0 = prob(lambda x: not _bridge_up(x), {i: False})
        check_rel("birnbaum", row.birnbaum, a1 - a0)
        check_rel("criticality", row.criticality, (a1 - a0) * (1 - a[i]) / u_s)
        fv = prob(lambda x, i=i: any(all(not x[j] for j in cs) for cs in cuts if i in cs))
        check_rel("fussell_vesely", row.fussell_vesely, fv / u_s)
        check_rel("raw", row.raw, u0 / u_s)
        check_rel("rrw", row.rrw, u_s / u1)


LB, W1, W2, DB = (8760.0, 1.0), (2190.0, 0.5), (3000.0, 2.0), (8760.0, 4.0)


def _shared():
    lb, w1, w2, db = (
        Component(n, *p) for n, p in zip(("lb", "w1", "w2", "db"), (LB, W1, W2, DB), strict=True)
    )
    return (lb, w1, w2, db), parallel(series(lb, w1, db), series(lb, w2, db))


def test_shared_lb_and_db_are_one_component(check_rel):
    (lb, w1, w2, db), d = _shared()
    a = [_mp_avail(*p) for p in (LB, W1, W2, DB)]
    ref = a[0] * a[3] * (1 - (1 - a[1]) * (1 - a[2]))
    naive = 1 - (1 - a[0] * a[1] * a[3]) * (1 - a[0] * a[2] * a[3])
    check_rel("A", d.availability, ref)
    check_rel("U", d.unavailability, 1 - ref)
    assert abs(d.availability - float(naive)) > 1e-5  # the naive value is NOT returned
    assert d.leaves == (lb, w1, db, w2)
    # the same structure written without repetition gives the same numbers
    flat = series(lb, parallel(w1, w2), db)
    for attr in ("unavailability", "failure_frequency_per_h", "mttf_h"):
        assert getattr(d, attr) == pytest.approx(getattr(flat, attr), rel=1e-14)
    # equal-valued but distinct objects are distinct components (identity, not equality)
    lb2, db2 = Component("lb'", *LB), Component("db'", *DB)
    two = parallel(series(lb, w1, db), series(lb2, w2, db2))
    check_rel("A", two.availability, naive)


def test_shared_components_transients_against_product_chain(check_rel):
    _, d = _shared()
    chains = [mpref.component_chain(*p) for p in (LB, W1, W2, DB)]
    prod = mpref.product_chain(chains, lambda x: x[0] and x[3] and (x[1] or x[2]))
    ref = prod.measures()
    check_rel("omega", d.failure_frequency_per_h, ref["omega"])
    check_rel("MTTF", d.mttf_h, prod.mttf())
    for t in (0.5, 5000.0):
        check_rel("R(t)", d.reliability(t), prod.reliability(t))
        check_rel("A(t)", d.point_availability(t), prod.point(t))
        check_rel("interval A", d.interval_availability(t), prod.interval(t))


AP_ARGS = (2000.0, 4.0, 0.95, 60.0, 0.0, 1)  # no manual-failover state: 4 states
NLB_ARGS = (2, 1, 2190.0, 0.5, 10.0, None)  # 5 states


def test_series_of_markov_blocks_against_product_chain(check_rel):
    ap = ActivePassive(
        *AP_ARGS[:2],
        coverage=AP_ARGS[2],
        switchover_s=AP_ARGS[3],
        manual_failover_h=AP_ARGS[4],
        crews=AP_ARGS[5],
        name="sql",
    )
    nlb = NLBPool(*NLB_ARGS[:5], crews=NLB_ARGS[5], name="nlb")
    d = series(nlb, ap)
    ch_ap, _ = mpref.ap_chain(*AP_ARGS)
    ch_nlb, _ = mpref.nlb_chain(*NLB_ARGS)
    prod = mpref.product_chain([ch_nlb, ch_ap], lambda x: x[0] and x[1])
    ref = prod.measures()
    check_rel("U", d.unavailability, ref["U"])
    check_rel("omega", d.failure_frequency_per_h, ref["omega"])
    check_rel("MTTF", d.mttf_h, prod.mttf())
    for t in (0.01, 3000.0):
        r = prod.reliability(t)
        check_rel("R(t)", d.reliability(t), r)
        check_rel("R(t)", d.reliability(t), ch_ap.reliability(t) * ch_nlb.reliability(t))
        check_rel("A(t)", d.point_availability(t), prod.point(t))
        check_rel("interval A", d.interval_availability(t), prod.interval(t))


def test_series_of_three_markov_blocks_and_reused_leaves(check_rel):
    """Three leaves in series (Kronecker sum of their up-chains, built in two steps) against
    the mpmath product chain. A second diagram over the same leaf objects reuses their cached
    up-chains and gives exactly the numbers of a diagram over fresh copies."""

    def leaves():
        return (
            NLBPool(*NLB_ARGS[:5], crews=NLB_ARGS[5], name="nlb"),
            ActivePassive(
                *AP_ARGS[:2],
                coverage=AP_ARGS[2],
                switchover_s=AP_ARGS[3],
                manual_failover_h=AP_ARGS[4],
                crews=AP_ARGS[5],
                name="sql",
            ),
            KofN(4, 1, 4380.0, 2.0, crews=1, name="hosts"),
        )

    blocks = leaves()
    d = series(*blocks)
    prod = mpref.product_chain(
        [
            mpref.nlb_chain(*NLB_ARGS)[0],
            mpref.ap_chain(*AP_ARGS)[0],
            mpref.kofn_chain(4, 1, 4380.0, 2.0, 1),
        ],
        all,
    )
    check_rel("MTTF", d.mttf_h, prod.mttf())
    check_rel("R(t)", d.reliability(1000.0), prod.reliability(1000.0))
    t = np.array([0.5, 1000.0, 20000.0])
    again, fresh = series(*blocks, name="again"), series(*leaves())
    assert again.mttf_h == fresh.mttf_h == d.mttf_h
    np.testing.assert_array_equal(again.reliability(t), fresh.reliability(t))


def test_parallel_of_markov_blocks_against_product_chain(check_rel):
    """A non-series node: MTTF and R(t) need the full product of the leaves' chains."""
    k = KofN(2, 1, 1000.0, 10.0, crews=1, name="pair")
    ap = ActivePassive(
        500.0, 20.0, coverage=0.9, switchover_s=120.0, manual_failover_h=0.0, crews=1
    )
    d = parallel(k, ap)
    ch_k = mpref.kofn_chain(2, 1, 1000.0, 10.0, 1)
    ch_ap, _ = mpref.ap_chain(500.0, 20.0, 0.9, 120.0, 0.0, 1)
    prod = mpref.product_chain([ch_k, ch_ap], lambda x: x[0] or x[1])
    ref = prod.measures()
    check_rel("U", d.unavailability, ref["U"])
    check_rel("omega", d.failure_frequency_per_h, ref["omega"])
    check_rel("MTTF", d.mttf_h, prod.mttf())
    for t in (10.0, 20000.0):
        check_rel("R(t)", d.reliability(t), prod.reliability(t))
        check_rel("A(t)", d.point_availability(t), prod.point(t))
        check_rel("interval A", d.interval_availability(t), prod.interval(t))


def test_shared_compound_block():
    """The same KofN object on two paths is one subsystem: k AND (c1 OR c2)."""
    k = KofN(3, 2, 1000.0, 5.0, name="hosts")
    c1, c2 = Component("c1", 500.0, 2.0), Component("c2", 700.0, 3.0)
    d = parallel(series(k, c1), series(k, c2))
    ref = series(k, parallel(c1, c2))
    assert d.unavailability == pytest.approx(ref.unavailability, rel=1e-14)
    assert d.failure_frequency_per_h == pytest.approx(ref.failure_frequency_per_h, rel=1e-14)
    assert d.mttf_h == pytest.approx(ref.mttf_h, rel=1e-12)
    assert len(d.leaves) == 3


def test_point_availability_is_structure_of_leaf_point_availabilities():
    a = Component("a", 100.0, 10.0, initially_up=False)
    b = Component("b", 200.0, 5.0)
    c = KofN(3, 2, 300.0, 6.0, crews=1)
    d = k_of_n(2, [a, b, c])
    t = np.array([0.0, 0.3, 7.0, 400.0])
    pa, pb, pc = (x.point_availability(t) for x in (a, b, c))
    expected = pa * pb + pa * pc + pb * pc - 2 * pa * pb * pc
    np.testing.assert_allclose(d.point_availability(t), expected, rtol=1e-14)
    assert d.point_availability(0.0) == 1.0  # b and c up, a down: 2 of 3


# ------------------------------------------------------------------ 1e-16 and beyond
def test_parallel_of_four_gives_1e_16_exactly(check_rel):
    comps = [Component(f"h{i}", 9999.0, 1.0) for i in range(4)]  # U_i = 1e-4 exactly
    d = parallel(*comps)
    check_rel("U 1e-16", d.unavailability, mp.mpf(10) ** -16, tol=1e-12)
    assert d.nines == pytest.approx(16.0, rel=1e-14)
    assert abs((1.0 - d.availability) - 1e-16) / 1e-16 > 0.1  # why U is never 1 - A
    k = KofN(4, 1, 9999.0, 1.0)
    check_rel("U 1e-16", k.unavailability, mp.mpf(10) ** -16, tol=1e-12)
    check_rel("omega", d.failure_frequency_per_h, k.failure_frequency_per_h, tol=1e-13)


@pytest.mark.parametrize(("n", "crews", "exp10"), [(3, None, -30), (4, None, -40), (4, 1, None)])
def test_kofn_tiny_unavailability(check_rel, n, crews, exp10):
    mttf, mttr = 9999999999.0, 1.0  # U_c = 1e-10
    k = KofN(n, 1, mttf, mttr, crews=crews)
    ref = mpref.cf_kofn(n, 1, mttf, mttr, n if crews is None else crews)
    check_rel("U tiny", k.unavailability, ref["U"], tol=1e-12)
    check_rel("omega", k.failure_frequency_per_h, ref["omega"], tol=1e-12)
    check_rel("MTTF", k.mttf_h, ref["MTTF"], tol=1e-12)
    if exp10 is not None:
        check_rel("U tiny", k.unavailability, mp.mpf(10) ** exp10, tol=1e-12)
    d = parallel(*(Component(f"c{i}", mttf, mttr) for i in range(n)))
    if crews is None:
        check_rel("U tiny", d.unavailability, ref["U"], tol=1e-12)


def test_unavailability_below_double_range_keeps_its_nines():
    k = KofN(200, 1, 1000.0, 1.0)  # U = (1/1001)^200 ~ 1e-600: underflows a double
    assert k.unavailability == 0.0
    assert k.nines == pytest.approx(200 * math.log10(1001.0), rel=1e-13)


def test_product_space_limit_is_reported():
    d = parallel(*(Component(f"c{i}", 1000.0, 1.0) for i in range(18)))
    assert d.unavailability > 0  # steady state needs no product space
    with pytest.raises(StateSpaceTooLarge, match="product state space"):
        _ = d.mttf_h
    s = d.summary().set_index("measure")
    assert math.isnan(s.loc["mttf_h", "value"])
    assert isinstance(d.reliability, object)


def test_long_series_stays_small():
    """A series of 60 components has one up state: MTTF = 1/Σλ without a 2^60 product."""
    comps = [Component(f"c{i}", 1000.0 + i, 1.0) for i in range(60)]
    d = series(*comps)
    assert d.mttf_h == pytest.approx(1 / sum(1 / (1000.0 + i) for i in range(60)), rel=1e-13)
    t = np.array([1.0, 10.0])
    np.testing.assert_allclose(
        d.reliability(t), np.exp(-t * sum(1 / (1000.0 + i) for i in range(60))), rtol=1e-13
    )


def test_importance_of_series_and_single_block():
    a, b = Component("a", 1000.0, 1.0), Component("b", 100.0, 10.0)
    imp = series(a, b).importance()
    assert imp.loc["a", "fussell_vesely"] == pytest.approx(
        a.unavailability / series(a, b).unavailability
    )
    assert imp.loc["b", "birnbaum"] == pytest.approx(a.availability, rel=1e-15)
    single = KofN(3, 2, 100.0, 1.0, name="trio").importance()
    assert list(single.index) == ["trio"]
    row = single.loc["trio"]
    assert (row.birnbaum, row.criticality, row.fussell_vesely) == (1.0, 1.0, 1.0)
    assert row.raw == pytest.approx(1 / KofN(3, 2, 100.0, 1.0).unavailability)
    assert row.rrw == math.inf
    assert isinstance(single, pd.DataFrame)
