"""Accuracy of every block against two independent 50-digit references.

For each model: (1) the closed form from the literature, evaluated in mpmath, and (2) a generic
CTMC built from the model definition and solved in mpmath (LU for the steady state and
absorption times, ``mpmath.expm`` for transients); see ``mpref.py``. The two references are
first checked against each other (1e-35), then the library against them (1e-10 relative).
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest

from availcalc.reliability import ActivePassive, Component, KofN, NLBPool
from tests.reliability import mpref

TOL = 1e-10
AGREE = 1e-35


def _steady_checks(check_rel, block, ref, label):
    check_rel("U", block.unavailability, ref["U"])
    check_rel("A", block.availability, ref["A"])
    check_rel("omega", block.failure_frequency_per_h, ref["omega"])
    check_rel("MUT", block.mut_h, ref["MUT"])
    check_rel("MDT", block.mdt_h, ref["MDT"])
    check_rel("MTBF", block.mtbf_h, 1 / ref["omega"])
    check_rel("downtime", block.downtime_min_per_year, ref["U"] * 525600)
    check_rel("nines", block.nines, -mp.log10(ref["U"]))


# ============================================================ Component
COMPONENTS = [(8760.0, 4.0), (1e5, 0.1), (2190.0, 0.5), (50.0, 50.0)]


@pytest.mark.parametrize(("mttf", "mttr"), COMPONENTS)
def test_component_steady_and_transient(check_rel, mttf, mttr):
    c = Component("c", mttf, mttr)
    cf = mpref.cf_component(mttf, mttr)
    ch = mpref.component_chain(mttf, mttr)
    gen = ch.measures()
    for q in ("A", "U", "omega", "MUT", "MDT"):
        assert mpref.rel(gen[q], cf[q]) < AGREE
    _steady_checks(check_rel, c, cf, "component")
    check_rel("MTTF", c.mttf_h, ch.mttf())
    for t in (0.1, 4.0, 1000.0, 8760.0):
        check_rel("A(t)", c.point_availability(t), mpref.cf_component_point(mttf, mttr, t))
        assert mpref.rel(ch.point(t), mpref.cf_component_point(mttf, mttr, t)) < AGREE
        down = Component("d", mttf, mttr, initially_up=False)
        check_rel(
            "A(t)", down.point_availability(t), mpref.cf_component_point(mttf, mttr, t, False)
        )
        check_rel(
            "interval A", c.interval_availability(t), mpref.cf_component_interval(mttf, mttr, t)
        )
        assert mpref.rel(ch.interval(t), mpref.cf_component_interval(mttf, mttr, t)) < AGREE
        check_rel("R(t)", c.reliability(t), mp.exp(-mp.mpf(t) / mttf))


# ============================================================ KofN
KOFN = [
    # n, k, mttf, mttr, crews
    (2, 1, 4380.0, 2.0, 1),
    (2, 1, 4380.0, 2.0, 2),
    (3, 1, 2000.0, 8.0, 1),
    (3, 2, 1000.0, 5.0, None),
    (5, 3, 500.0, 10.0, 2),
    (4, 1, 9999.0, 1.0, None),
    (10, 7, 300.0, 12.0, 3),
    (4, 4, 2000.0, 3.0, 1),
    (6, 2, 100.0, 30.0, 1),  # heavily loaded crew
]


@pytest.mark.parametrize(("n", "k", "mttf", "mttr", "crews"), KOFN)
def test_kofn_steady_two_references(check_rel, n, k, mttf, mttr, crews):
    b = KofN(n, k, mttf, mttr, crews=crews)
    cf = mpref.cf_kofn(n, k, mttf, mttr, n if crews is None else crews)
    ch = mpref.kofn_chain(n, k, mttf, mttr, crews)
    gen = ch.measures()
    for q in ("A", "U", "omega"):
        assert mpref.rel(gen[q], cf[q]) < AGREE
    assert mpref.rel(ch.mttf(), cf["MTTF"]) < AGREE
    _steady_checks(check_rel, b, cf, "kofn")
    check_rel("MTTF", b.mttf_h, cf["MTTF"])
    p = b.up_count_probabilities
    for j in range(n + 1):
        check_rel("pi", p[j], gen["pi"][n - j])
    if crews is None:  # independent repair: the binomial formula
        bino = mpref.cf_binomial_kofn(n, k, mttf, mttr)
        for q in ("A", "U", "omega"):
            assert mpref.rel(bino[q], cf[q]) < AGREE


@pytest.mark.parametrize(("n", "k", "mttf", "mttr", "crews"), KOFN[:6])
def test_kofn_transient(check_rel, n, k, mttf, mttr, crews):
    b = KofN(n, k, mttf, mttr, crews=crews)
    ch = mpref.kofn_chain(n, k, mttf, mttr, crews)
    for t in (1.0, 500.0, 20000.0):
        check_rel("R(t)", b.reliability(t), ch.reliability(t))
        check_rel("A(t)", b.point_availability(t), ch.point(t))
        check_rel("interval A", b.interval_availability(t), ch.interval(t))


@pytest.mark.parametrize("crews", [1, 2])
@pytest.mark.parametrize(("mttf", "mttr"), [(4380.0, 2.0), (100.0, 10.0), (1e5, 0.05)])
def test_one_of_two_closed_forms(check_rel, mttf, mttr, crews):
    """Trivedi (2002) ch. 8: U = 2ρ²/(1+2ρ+2ρ²) (1 crew), ρ²/(1+ρ)² (2 crews);
    MTTF = (3λ+μ)/(2λ²) and R(t) = (a1 e^{-a2 t} - a2 e^{-a1 t})/(a1 - a2) for both."""
    b = KofN(2, 1, mttf, mttr, crews=crews)
    check_rel("U", b.unavailability, mpref.cf_1of2_u(mttf, mttr, crews))
    check_rel("MTTF", b.mttf_h, mpref.cf_1of2_mttf(mttf, mttr))
    for t in (1.0, mttf, 10 * mttf, 1000 * mttf):
        check_rel("R(t)", b.reliability(t), mpref.cf_1of2_reliability(mttf, mttr, t))


def test_one_of_three_and_two_of_three_closed_forms(check_rel):
    check_rel(
        "U", KofN(3, 1, 2000.0, 8.0, crews=1).unavailability, mpref.cf_1of3_one_crew_u(2000, 8)
    )
    for crews in (1, 2, 3):
        check_rel("MTTF", KofN(3, 2, 1000.0, 5.0, crews=crews).mttf_h, mpref.cf_2of3_mttf(1000, 5))


def test_kofn_without_repair_mttf(check_rel):
    """Rausand & Høyland (2004) ch. 8 / formula sheet §4: MTTF = (1/λ) Σ_{i=k}^{n} 1/i."""
    b = KofN(5, 2, 1000.0, math.inf)
    check_rel("MTTF", b.mttf_h, 1000 * mp.fsum(mp.mpf(1) / i for i in range(2, 6)))
    assert b.availability == 0.0 and b.unavailability == 1.0 and b.failure_frequency_per_h == 0.0


# ============================================================ ActivePassive
AP = [
    # mttf, mttr, coverage, switchover_s, manual_failover_h, crews
    (2000.0, 4.0, 0.95, 60.0, 0.5, 1),
    (2000.0, 4.0, 0.95, 60.0, 0.5, 2),
    (1e5, 8.0, 0.99, 1.0, 0.25, 1),  # stiff: 10^5 h vs 1 s
    (500.0, 24.0, 0.5, 600.0, 2.0, 1),
    (2000.0, 4.0, 1.0, 0.0, 0.5, 1),  # = KofN(2, 1, crews=1)
    (2000.0, 4.0, 0.9, 0.0, 0.0, 2),  # both delays removed
    (2000.0, 4.0, 0.0, 30.0, 0.5, 1),
    (3000.0, 6.0, 0.8, 45.0, 0.0, 1),
]


@pytest.mark.parametrize(("mttf", "mttr", "c", "ts", "tm", "r"), AP)
def test_active_passive_two_references(check_rel, mttf, mttr, c, ts, tm, r):
    b = ActivePassive(mttf, mttr, coverage=c, switchover_s=ts, manual_failover_h=tm, crews=r)
    cf = mpref.cf_ap(mttf, mttr, c, ts, tm, r)
    ch, names = mpref.ap_chain(mttf, mttr, c, ts, tm, r)
    gen = ch.measures()
    for q in ("A", "U", "omega"):
        assert mpref.rel(gen[q], cf[q]) < AGREE
    _steady_checks(check_rel, b, cf, "ap")
    check_rel("MTTF", b.mttf_h, ch.mttf())
    sp_ = b.state_probabilities
    for name, p in zip(names, gen["pi"], strict=True):
        check_rel("pi", sp_[name], p)
    for name in set(mpref.AP_NAMES) - set(names):
        assert sp_[name] == 0.0
    for t in (0.01, 10.0, 5000.0):
        check_rel("R(t)", b.reliability(t), ch.reliability(t))
        check_rel("A(t)", b.point_availability(t), ch.point(t))
        check_rel("interval A", b.interval_availability(t), ch.interval(t))


@pytest.mark.parametrize("crews", [1, 2])
def test_active_passive_perfect_instant_failover_is_one_of_two(crews):
    """c = 1 and t_s = 0 remove the outage states: the model is KofN(2, 1) exactly."""
    ap = ActivePassive(2000.0, 4.0, coverage=1.0, switchover_s=0.0, crews=crews)
    k = KofN(2, 1, 2000.0, 4.0, crews=crews)
    for attr in ("availability", "unavailability", "failure_frequency_per_h", "mttf_h"):
        assert getattr(ap, attr) == pytest.approx(getattr(k, attr), rel=1e-14, abs=0)
    t = np.array([0.5, 100.0, 10000.0])
    np.testing.assert_allclose(ap.reliability(t), k.reliability(t), rtol=1e-13)
    np.testing.assert_allclose(ap.point_availability(t), k.point_availability(t), rtol=1e-13)


# default crews=None: one repair crew per node (independent repair), the rule of every block
AP_DEFAULT = [
    # mttf, mttr, coverage, switchover_s, manual_failover_h
    (2000.0, 4.0, 0.95, 60.0, 0.5),
    (500.0, 24.0, 0.5, 600.0, 2.0),  # both nodes down often enough to tell 1 crew from 2
    (2000.0, 4.0, 0.9, 0.0, 0.5),  # no switchover state
    (3000.0, 6.0, 0.8, 45.0, 0.0),  # no manual-failover state
]


@pytest.mark.parametrize(("mttf", "mttr", "c", "ts", "tm"), AP_DEFAULT)
def test_active_passive_default_is_one_crew_per_node(check_rel, mttf, mttr, c, ts, tm):
    """The default against a node-level CTMC in which each node has its own crew."""
    b = ActivePassive(mttf, mttr, coverage=c, switchover_s=ts, manual_failover_h=tm)
    assert b.crews is None and b.effective_crews == 2
    ch, lumped = mpref.ap_node_chain(mttf, mttr, c, ts, tm)
    gen = ch.measures()
    # the node-level chain lumps to the five-state chain with r = 2 (and not r = 1)
    cf2 = mpref.cf_ap(mttf, mttr, c, ts, tm, 2)
    for q in ("A", "U", "omega"):
        assert mpref.rel(gen[q], cf2[q]) < AGREE
    assert mpref.rel(gen["U"], mpref.cf_ap(mttf, mttr, c, ts, tm, 1)["U"]) > 1e-6
    _steady_checks(check_rel, b, gen, "ap default")
    check_rel("MTTF", b.mttf_h, ch.mttf())
    sp_ = b.state_probabilities
    for name in mpref.AP_NAMES:
        ref = mp.fsum(p for p, s in zip(gen["pi"], lumped, strict=True) if s == name)
        if ref == 0:
            assert sp_[name] == 0.0
        else:
            check_rel("pi", sp_[name], ref)
    for t in (0.01, 10.0, 5000.0):
        check_rel("R(t)", b.reliability(t), ch.reliability(t))
        check_rel("A(t)", b.point_availability(t), ch.point(t))
        check_rel("interval A", b.interval_availability(t), ch.interval(t))
    # and it is exactly the explicit two-crew model
    two = ActivePassive(mttf, mttr, coverage=c, switchover_s=ts, manual_failover_h=tm, crews=2)
    for attr in ("availability", "unavailability", "failure_frequency_per_h", "mttf_h"):
        assert getattr(b, attr) == getattr(two, attr)
    assert b.state_probability_array.tolist() == two.state_probability_array.tolist()


def test_active_passive_default_matches_kofn_default():
    """Perfect, instantaneous failover with the default crews is KofN(2, 1)'s default."""
    ap = ActivePassive(2000.0, 4.0, coverage=1.0, switchover_s=0.0, crews=None)
    k = KofN(2, 1, 2000.0, 4.0, crews=None)
    assert ap.effective_crews == k.effective_crews == 2
    for attr in ("availability", "unavailability", "failure_frequency_per_h", "mttf_h"):
        assert getattr(ap, attr) == pytest.approx(getattr(k, attr), rel=1e-14, abs=0)
    t = np.array([0.5, 100.0, 10000.0])
    np.testing.assert_allclose(ap.reliability(t), k.reliability(t), rtol=1e-13)
    np.testing.assert_allclose(ap.point_availability(t), k.point_availability(t), rtol=1e-13)
    # independent repair: the binomial formula, U = U_c² (Trivedi 2002 ch. 8)
    u_c = mp.mpf(4) / 2004
    assert mpref.rel(ap.unavailability, u_c**2) < TOL


def test_active_passive_crews_one_stays_available_and_more_act_as_two():
    one = ActivePassive(500.0, 24.0, coverage=0.5, switchover_s=600.0, crews=1)
    assert (one.crews, one.effective_crews) == (1, 1)
    assert one.unavailability > ActivePassive(500.0, 24.0, 0.5, 600.0).unavailability
    many = ActivePassive(500.0, 24.0, coverage=0.5, switchover_s=600.0, crews=5)
    assert many.effective_crews == 2
    assert many.unavailability == ActivePassive(500.0, 24.0, 0.5, 600.0).unavailability
    assert "crews=None" in repr(ActivePassive(500.0, 24.0))
    assert "crews=1" in repr(one)


def test_active_passive_first_order_approximation():
    """Formula sheet §5: U ≈ cλt_s + (1-c)λt_m + 2ρ²/r, to first order."""
    lam, c, ts, tm = 1 / 2000, 0.95, 60 / 3600, 0.5
    ap = ActivePassive(2000.0, 4.0, coverage=c, switchover_s=60.0, manual_failover_h=tm, crews=1)
    approx = c * lam * ts + (1 - c) * lam * tm + 2 * (4 / 2000) ** 2  # r = 1
    assert ap.unavailability == pytest.approx(approx, rel=0.02)
    assert ap.mut_h == pytest.approx(2000.0, rel=1e-14)  # every active failure is an outage


# ============================================================ NLBPool
NLB = [
    # nodes, needed, mttf, mttr, convergence_s, crews
    (3, 2, 2190.0, 0.5, 3.0, None),
    (2, 1, 2190.0, 0.5, 10.0, None),
    (5, 3, 1000.0, 4.0, 5.0, 2),
    (4, 1, 1e5, 2.0, 1.0, 1),  # stiff
    (6, 2, 200.0, 20.0, 30.0, 1),
]


@pytest.mark.parametrize("scope", ["failed_node", "whole_pool"])
@pytest.mark.parametrize(("n", "k", "mttf", "mttr", "conv", "crews"), NLB)
def test_nlb_two_references(check_rel, n, k, mttf, mttr, conv, crews, scope):
    b = NLBPool(n, k, mttf, mttr, conv, crews=crews, outage_scope=scope)
    cf = mpref.cf_nlb(n, k, mttf, mttr, conv, crews, scope)
    ch, states = mpref.nlb_chain(n, k, mttf, mttr, conv, crews, scope)
    gen = ch.measures()
    for q in ("A", "U", "omega"):
        assert mpref.rel(gen[q], cf[q]) < AGREE
    _steady_checks(check_rel, b, cf, "nlb")
    check_rel("MTTF", b.mttf_h, ch.mttf())
    df = b.state_probabilities
    for (i, f), p in zip(states, gen["pi"], strict=True):
        row = df[(df.nodes_up == n - i) & (df.converging == bool(f))]
        check_rel("pi", row.probability.item(), p)
    if ch.n <= 16:
        for t in (0.001, 10.0, 3000.0):
            check_rel("R(t)", b.reliability(t), ch.reliability(t))
            check_rel("A(t)", b.point_availability(t), ch.point(t))
            check_rel("interval A", b.interval_availability(t), ch.interval(t))


def test_nlb_two_nodes_first_order():
    """Formula sheet §6: 2 nodes, 1 needed: U ≈ U_c² + 2λA_c²t_conv (whole pool down).

    Losing only the failed node's share (half of two nodes' traffic) halves the window term.
    """
    mttf, mttr, conv = 2190.0, 0.5, 10.0
    uc = mttr / (mttf + mttr)
    window = 2 / mttf * (1 - uc) ** 2 * conv / 3600
    whole = NLBPool(2, 1, mttf, mttr, conv, outage_scope="whole_pool")
    assert whole.unavailability == pytest.approx(uc**2 + window, rel=1e-3)
    assert NLBPool(2, 1, mttf, mttr, conv).unavailability == pytest.approx(
        uc**2 + window / 2, rel=1e-3
    )


@pytest.mark.parametrize(("n", "k", "mttf", "mttr", "conv", "crews"), NLB)
def test_nlb_failed_node_share_is_the_traffic_lost(n, k, mttf, mttr, conv, crews):
    """The equivalent outage loses what the mechanism loses: the failed node's share for w.

    The reference is a reward model of the mechanism itself (the window keeps the share of
    the nodes up when it opened, whatever repairs happen inside it); the block's lumped chain
    differs only by a repair inside the window, of relative order w·μ on the window's term.
    """
    b = NLBPool(n, k, mttf, mttr, conv, crews=crews)
    served = mpref.nlb_served_fraction(n, k, mttf, mttr, conv, crews)
    kofn_u = KofN(n, k, mttf, mttr, crews=crews).unavailability
    window_ref = (1 - served) - kofn_u
    window = b.unavailability - kofn_u
    bound = 2 * conv / 3600 / mttr
    assert abs(window - float(window_ref)) <= bound * float(window_ref)


@pytest.mark.parametrize(("n", "k", "crews"), [(3, 2, None), (4, 1, 1), (5, 5, 2)])
def test_nlb_zero_convergence_is_kofn(n, k, crews):
    a = NLBPool(n, k, 1000.0, 4.0, 0.0, crews=crews)
    b = KofN(n, k, 1000.0, 4.0, crews=crews)
    for attr in ("availability", "unavailability", "failure_frequency_per_h", "mttf_h"):
        assert getattr(a, attr) == getattr(b, attr)
    t = np.array([1.0, 1000.0])
    np.testing.assert_allclose(a.reliability(t), b.reliability(t), rtol=1e-14)
    np.testing.assert_allclose(a.point_availability(t), b.point_availability(t), rtol=1e-13)


@pytest.mark.parametrize(("n", "k", "crews"), [(1000, 980, 50), (10000, 9870, 200)])
def test_kofn_large_n_log_space(check_rel, n, k, crews):
    """Large pools: the log-space sums against the plain recursion p_i = p_{i-1} b/d at 40+
    digits (the cumulative sum of logs loses a little with n: 4e-14 observed at n = 10^4)."""
    mttf, mttr = 1000.0, 8.0
    rho, lam = mp.mpf(mttr) / mttf, 1 / mp.mpf(mttf)
    p = [mp.mpf(1)]
    for i in range(1, n + 1):
        p.append(p[-1] * (n - i + 1) * rho / min(i, crews))
    tot = mp.fsum(p)
    b = KofN(n, k, mttf, mttr, crews=crews)
    check_rel("U large n", b.unavailability, mp.fsum(p[n - k + 1 :]) / tot, tol=1e-12)
    check_rel("omega large n", b.failure_frequency_per_h, p[n - k] / tot * k * lam, tol=1e-12)
