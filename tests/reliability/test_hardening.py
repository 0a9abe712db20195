"""Issue 14 regression tests: the fuzz reproducers of the reliability blocks, answered now.

Each test is a reproducer the fuzz harness found (``tests/test_fuzz_api.py``), checked against
an independent reference or an exact limit: a clean ``ValueError`` naming the parameter, an
immediate ``StateSpaceTooLarge`` instead of a hang, or the right value. RuntimeWarnings from
availcalc are errors in every test (``pyproject.toml``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import scipy.linalg

from availcalc.reliability import (
    ActivePassive,
    Component,
    Diagram,
    KofN,
    NLBPool,
    Standby,
    StateSpaceTooLarge,
    k_of_n,
    parallel,
    series,
)


def _blocks():
    return [
        Component("c", 100.0, 1.0),
        KofN(3, 2, 100.0, 1.0, name="k"),
        ActivePassive(100.0, 1.0, coverage=0.9, switchover_s=30.0, name="ap"),
        Standby(3, 100.0, 1.0, 0.5, coverage=0.9, switchover_s=30.0, name="sb"),
        NLBPool(3, 1, 100.0, 1.0, convergence_s=5.0, name="nlb"),
        parallel(Component("a", 100.0, 1.0), Component("b", 50.0, 2.0)),
    ]


# ------------------------------------------------------------------ times
@pytest.mark.parametrize("block", _blocks(), ids=lambda b: type(b).__name__)
@pytest.mark.parametrize("method", ["reliability", "point_availability", "interval_availability"])
def test_empty_times_give_empty_results(block, method):
    """Was "need at least one array to concatenate" (Diagram.reliability)."""
    fn = getattr(block, method)
    out = fn(np.array([]))
    assert isinstance(out, np.ndarray) and out.shape == (0,)
    out = fn(pd.Series([], dtype=float, index=pd.Index([], name="t")))
    assert isinstance(out, pd.Series) and out.empty and out.index.name == "t"


@pytest.mark.parametrize("block", _blocks(), ids=lambda b: type(b).__name__)
@pytest.mark.parametrize("t", [10**400, [1.0, 10**400]])
def test_huge_integer_time_names_t_h(block, t):
    """Was OverflowError: int too large to convert to float (Block._over_time)."""
    with pytest.raises(ValueError, match=r"t_h must be a number a double can hold"):
        block.reliability(t)


@pytest.mark.parametrize(
    "block",
    [
        Component("fast", 1e-9, 1e-9),
        Standby(3, 1e-9, 1e-9, switchover_s=1e-9, coverage=0.5, manual_failover_h=1e-9),
        ActivePassive(1e-9, 1e-9, coverage=0.5, switchover_s=1e-9, manual_failover_h=1e-9, nodes=3),
    ],
    ids=lambda b: type(b).__name__,
)
def test_longest_times_of_the_fastest_chains_are_the_limits(block):
    """q t beyond the double range (rates 3.6e12/h at t = 1e300 h): exactly the limits."""
    t = np.array([1e300, 1.797e308])
    np.testing.assert_allclose(block.point_availability(t), block.availability, rtol=1e-12)
    np.testing.assert_allclose(block.interval_availability(t), block.availability, rtol=1e-12)
    assert (block.reliability(t) == 0.0).all()


# ------------------------------------------------------------------ hangs
def _hang_kofn_blocks():
    """The k_of_n reproducer: 7 leaves, 21 120 product states, 15 936 up (LU ran 67 s)."""
    return [
        series(
            ActivePassive(1e7, 0.2899314870071522, 0.0, 0.45694775863751075, name="ap"),
            NLBPool(6, 3, 1.0, 0.001, convergence_s=100000.0, name="nlb"),
            Standby(4, 1e7, 1000.0, 0.0, coverage=1e-17, name="sb"),
        ),
        Component("c1", 1.0, 0.001),
        parallel(
            Component("c2", 0.001, 0.3063674150499684),
            Standby(3, 1.0137978599195439, 203.764758976269, 0.0, coverage=0.0, name="sb2"),
            Component("c3", 8.018904064091084, 0.00904767387710108),
        ),
    ]


def test_large_product_chain_is_refused_at_once():
    d = k_of_n(1, _hang_kofn_blocks())
    assert 0.0 < d.unavailability < 1.0  # the steady state needs no product chain
    with pytest.raises(StateSpaceTooLarge, match=r"15936 up states \(limit 1000"):
        _ = d.mttf_h
    with pytest.raises(StateSpaceTooLarge, match="limit 1000"):
        d.reliability(1.0)
    s = d.summary().set_index("measure")["value"]
    assert math.isnan(s["mttf_h"]) and s["mdt_h"] > 0.0


def test_stiff_product_mttf_is_refused_not_garbage():
    """10 components in parallel: the sparse LU gave MTTF 5.8e17 h; the birth–death chain of
    the number failed (KofN, log space) gives 1.0e29 h. Above 1000 up states: refused."""
    comps = [Component(f"c{i}", 1000.0, 1.0) for i in range(10)]
    with pytest.raises(StateSpaceTooLarge, match="1023 up states"):
        _ = parallel(*comps).mttf_h


def test_product_mttf_up_to_the_limit_is_exact(check_rel):
    """9 components in parallel (511 up states, was the sparse path): the MTTF equals the
    birth–death first-passage time of KofN(9, 1) with one crew per unit."""
    d = parallel(*(Component(f"c{i}", 1000.0, 1.0) for i in range(9)))
    check_rel("MTTF product", d.mttf_h, KofN(9, 1, 1000.0, 1.0).mttf_h, tol=1e-11)


def _hang_diagram():
    """The Diagram.reliability reproducer: a 774-state up-chain with rates up to 1.2e4/h."""
    return parallel(
        Standby(3, 1e7, 0.27896345192761407, 0.0, coverage=0.22295662377145314, name="sb"),
        series(ActivePassive(1.7371513187437746, 0.07384975182660887, 0.0, 11223.17, name="ap")),
        series(
            Component("c", 0.001, 1.7371513187437746),
            NLBPool(2, 2, 5404756.581404084, 0.0024879833807394456, 17.833709700345388),
            KofN(6, 4, 0.001, 0.001, name="k"),
        ),
    )


def test_long_transient_of_a_large_chain_is_refused_at_once():
    """expm_multiply needed ~1e9 steps at t = 5.4e6 h; small times still solve, and agree with
    a dense matrix exponential of the up-chain's sub-generator (scipy.linalg.expm)."""
    d = _hang_diagram()
    with pytest.raises(StateSpaceTooLarge, match=r"t_h up to 5\.40476e\+06 is too long"):
        d.reliability(pd.Series([0.0, 5404756.581404084, 0.0]))
    uc = d._up_chain
    q = np.asarray(uc.rates.toarray())
    np.fill_diagonal(q, -(q.sum(axis=1) + uc.exit))
    ref = scipy.linalg.expm(q * 0.1)[uc.init].sum()
    assert d.reliability(0.1) == pytest.approx(ref, rel=1e-12)


# ------------------------------------------------------------------ blocks, kind, name
@pytest.mark.parametrize("blocks", [3.0, 0, pd.NA, -math.inf, "ab", None])
def test_blocks_must_be_a_sequence(blocks):
    with pytest.raises(ValueError, match=r"^blocks must be a sequence .*; got "):
        k_of_n(1, blocks)
    with pytest.raises(ValueError, match=r"^blocks must be a sequence"):
        Diagram("series", 1, blocks)


def test_blocks_elements_must_be_blocks():
    with pytest.raises(ValueError, match=r"^blocks\[0\] must be a Component.*; got 1\.0"):
        Diagram("series", 1, pd.Series([1.0, 2.0]))
    with pytest.raises(ValueError, match=r"^blocks\[1\] must be"):
        k_of_n(1, [Component("c", 10.0, 1.0), 3])


@pytest.mark.parametrize("kind", [pd.NA, pd.Series([1.0, 2.0]), "bridge", None])
def test_diagram_kind_is_checked_by_name(kind):
    rule = r"^kind must be one of series, parallel, k_of_n, network; got "
    with pytest.raises(ValueError, match=rule):
        Diagram(kind, 1, (Component("c", 10.0, 1.0),))


def test_diagram_name_error_is_one_line():
    with pytest.raises(ValueError, match=r"name must be a string or None") as err:
        series(Component("c", 10.0, 1.0), name=np.array([[1.0], [2.0]]))
    assert "\n" not in str(err.value)


# ------------------------------------------------------------------ counts and names
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"nodes": np.array([1.0, 2.0])}, r"^nodes must be a single number"),
        ({"needed": np.array([])}, r"^needed must be a single number"),
        ({"nodes": pd.Series([3.0])}, r"^nodes must be a single number"),
        ({"name": np.array([])}, r"^name must be a non-empty string"),
        ({"name": np.array([[1.0], [2.0]])}, r"^name must be a non-empty string"),
        ({"crews": 2.5}, r"^crews must be an integer >= 1; got 2\.5"),
        ({"crews": np.array([1.0, 2.0])}, r"^crews must be a single number"),
    ],
)
def test_nlb_counts_and_name_are_single_values(kwargs, match):
    args = {"nodes": 4, "needed": 1, "mttf_h": 100.0, "mttr_h": 1.0, "convergence_s": 1.0}
    with pytest.raises(ValueError, match=match):
        NLBPool(**(args | kwargs))


def test_default_names_still_apply():
    assert KofN(3, 2, 10.0, 1.0).name == "2-of-3"
    assert KofN(3.0, 2.0, 10.0, 1.0, name="").name == "2-of-3"
    assert NLBPool(3, 1, 10.0, 1.0, 1.0).name == "NLB 1-of-3"
    assert k_of_n(1.0, [Component("c", 10.0, 1.0)]).k == 1


# ------------------------------------------------------------------ durations
@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: ActivePassive(1e300, 0.001), r"^mttf_h must be between 1e-09 and 1e\+15 h"),
        (lambda: Standby(4, 5e-324, 1.0), r"^mttf_h must be between 1e-09"),
        (lambda: NLBPool(4, 1, 1e7, 5e-324, 0.0), r"^mttr_h must be between 1e-09 .*math.inf"),
        (lambda: Component("c", 1.797e308, 1.0), r"^mttf_h must be between"),
        (lambda: ActivePassive(10.0, 1.0, switchover_s=1e300), r"^switchover_s must be between"),
    ],
)
def test_durations_outside_the_solvable_range_are_refused(make, match):
    """Were ZeroDivisionError (MTTF of ActivePassive at MTTF 1e300 h) and RuntimeWarnings of
    GTH (a rate 1/5e-324 = inf)."""
    with pytest.raises(ValueError, match=match):
        make()


def test_negligible_switch_times_are_the_instantaneous_limit():
    """manual_failover_h = 5e-324 gave NaN from GTH (rate inf); below 1e-280 it is taken as 0,
    the d -> 0 limit, so the block equals the one without that state."""
    kw = {"coverage": 0.37, "crews": 6, "nodes": 3}
    tiny = ActivePassive(
        1e7, 0.005185330175481217, switchover_s=1e5, manual_failover_h=5e-324, **kw
    )
    zero = ActivePassive(1e7, 0.005185330175481217, switchover_s=1e5, manual_failover_h=0.0, **kw)
    assert tiny.manual_failover_h == 0.0
    assert (tiny.unavailability, tiny.failure_frequency_per_h, tiny.mttf_h) == (
        zero.unavailability,
        zero.failure_frequency_per_h,
        zero.mttf_h,
    )
    assert NLBPool(3, 1, 10.0, 1.0, convergence_s=1e-300).convergence_s == 0.0


# ------------------------------------------------------------------ MUT, MDT
def test_mut_without_repair_is_the_mttf():
    """A block never repaired has A = omega = 0: its one up period is the first (was NaN)."""
    c = Component("fuse", 100.0, math.inf)
    assert c.mut_h == 100.0 and c.mdt_h == math.inf and c.mtbf_h == math.inf
    k = KofN(3, 1, 100.0, math.inf)
    assert k.mut_h == pytest.approx(100.0 * (1 + 1 / 2 + 1 / 3), rel=1e-15)
    nlb = NLBPool(1, 1, 35086.86874867818, math.inf, convergence_s=0.0099, crews=1)
    assert nlb.mut_h == 35086.86874867818
    # the limit MTTR -> inf of a component's A / omega = MTTF as well
    assert Component("c", 100.0, 1e15).mut_h == pytest.approx(100.0, rel=1e-15)


@pytest.mark.parametrize("make", [KofN, lambda *a: NLBPool(*a, convergence_s=0.0)])
def test_mdt_when_u_and_omega_underflow(make, check_rel):
    """1-of-20 with U ~ 1e-480 and omega ~ 1e-450 (both 0.0): MDT = U / omega from logs (was
    NaN). The only down state is "all failed", left at 20 mu: MDT = MTTR / 20 exactly."""
    b = make(20, 1, 1e15, 1e-9)
    assert b.unavailability == 0.0 and b.failure_frequency_per_h == 0.0
    check_rel("MDT underflow", b.mdt_h, 1e-9 / 20, tol=1e-12)
    assert b.nines == pytest.approx(480.0, rel=1e-12)


def test_mdt_of_three_units_unchanged(check_rel):
    """KofN.mdt_h fuzz case (MTTR 1e-300 h) is refused now; the normal path is unchanged."""
    with pytest.raises(ValueError, match=r"^mttr_h must be between"):
        KofN(3, 1, 1e7, 1e-300)
    check_rel("MDT", KofN(3, 1, 1e7, 1e-3).mdt_h, 1e-3 / 3, tol=1e-13)


def test_nlb_state_probabilities_stay_a_distribution_when_convergence_dominates():
    """Convergence 1e15 s after each failure: pi_i - x_i rounded to -1.6e-30 (probability < 0)."""
    nlb = NLBPool(3, 1, 1e7, 1e-9, convergence_s=1e15)
    p = nlb.state_probabilities["probability"]
    assert (p >= 0.0).all() and p.sum() == pytest.approx(1.0, rel=1e-14)
    assert 0.0 <= nlb.availability <= 1.0 and nlb.failure_frequency_per_h >= 0.0


# --- probabilities below the double range: taken from logarithms (issue 14) -------------------


def test_parallel_diagram_below_the_double_range_keeps_nines_mdt_and_importance():
    """20 parallel units with U_i ≈ 1e-24: U_s ≈ 1e-480 underflows; the answers must not."""
    import mpmath as mp

    units = [Component(f"u{i}", 1e15, 1e-9) for i in range(20)]
    d = parallel(*units)
    assert d.unavailability == 0.0  # below the double range
    u_i = mp.mpf("1e-9") / (mp.mpf("1e15") + mp.mpf("1e-9"))
    assert d.nines == pytest.approx(float(-20 * mp.log10(u_i)), rel=1e-12)
    # parallel of independent units: down only when all are, so MDT = 1 / sum(mu_i)
    assert d.mdt_h == pytest.approx(1e-9 / 20, rel=1e-10)
    imp = d.importance()
    assert np.allclose(imp["criticality"], 1.0) and np.allclose(imp["fussell_vesely"], 1.0)
    assert np.allclose(imp["raw"], float(1 / u_i), rtol=1e-12)
    assert np.isinf(imp["rrw"]).all()  # one perfect unit makes the pool perfect


def test_importance_from_logarithms_agrees_with_the_direct_evaluation():
    """A second method on a model that does not underflow: both paths give the same table."""
    c = [Component(f"x{i}", 100.0 * (i + 1), 1.0 + i) for i in range(4)]
    d = k_of_n(2, [c[0], series(c[1], parallel(c[2], c[3])), c[3]])
    direct = d.importance()
    logs = d._importance_from_logs(d._structure_cached)
    np.testing.assert_allclose(logs.to_numpy(), direct.to_numpy(), rtol=1e-12, atol=0)
