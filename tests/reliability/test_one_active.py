"""n-node ActivePassive and Standby against independent references.

References: a 50-digit CTMC built from per-unit rules with named units and an ordered crew queue
(:func:`mpref.one_active_unit_chain`, written independently of the lumped chain availcalc
solves), the textbook cold-standby birth–death closed form, :class:`KofN` (its own log-space
birth–death solution) and the two-node product form of ActivePassive.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import availcalc as ac
from tests.reliability.mpref import cf_cold_standby_u, one_active_unit_chain, rel

CASES = [
    # n, mttf, mttr, rho, coverage, switch_s, manual_h, crews
    (2, 1460.0, 0.69, 1.0, 0.98, 60.0, 0.75, None),
    (3, 1460.0, 0.69, 1.0, 0.98, 60.0, 0.75, None),
    (3, 500.0, 8.0, 1.0, 0.9, 120.0, 1.0, 1),
    (4, 500.0, 8.0, 1.0, 0.8, 30.0, 0.0, 2),
    (3, 2000.0, 4.0, 0.0, 1.0, 0.0, 0.5, 1),
    (3, 2000.0, 4.0, 0.3, 0.95, 300.0, 2.0, 1),
    (4, 100.0, 10.0, 0.5, 0.7, 3600.0, 4.0, 2),
]


def _block(n, mttf, mttr, rho, c, ts, tm, crews):
    if rho == 1.0 and n >= 2:
        return ac.ActivePassive(
            mttf, mttr, coverage=c, switchover_s=ts, manual_failover_h=tm, crews=crews, nodes=n
        )
    return ac.Standby(
        n, mttf, mttr, standby_failure_ratio=rho, coverage=c, switchover_s=ts, crews=crews,
        manual_failover_h=tm,
    )  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_matches_the_unit_level_ctmc_at_50_digits(case):
    ref = one_active_unit_chain(*case).measures()
    b = _block(*case)
    assert rel(b.unavailability, ref["U"]) < 1e-11
    assert rel(b.availability, ref["A"]) < 1e-14
    assert rel(b.failure_frequency_per_h, ref["omega"]) < 1e-11
    assert rel(b.mttf_h, one_active_unit_chain(*case).mttf()) < 1e-9


@pytest.mark.parametrize("case", CASES[:3])
def test_standby_with_ratio_one_is_the_cluster(case):
    n, mttf, mttr, _, c, ts, tm, crews = case
    ap = ac.ActivePassive(
        mttf, mttr, coverage=c, switchover_s=ts, manual_failover_h=tm, crews=crews, nodes=n
    )
    sb = ac.Standby(n, mttf, mttr, 1.0, c, ts, crews, manual_failover_h=tm)
    assert sb.unavailability == pytest.approx(ap.unavailability, rel=1e-11)
    np.testing.assert_allclose(sb.state_probability_array, ap.state_probability_array, rtol=1e-9)


@pytest.mark.parametrize("n", [2, 3, 5, 8])
@pytest.mark.parametrize("crews", [1, 2, None])
def test_perfect_instant_hot_standby_is_kofn(n, crews):
    kofn = ac.KofN(n, 1, 1000.0, 5.0, crews=crews)
    ap = ac.ActivePassive(1000.0, 5.0, coverage=1.0, switchover_s=0.0, crews=crews, nodes=n)
    hot = ac.Standby(n, 1000.0, 5.0, standby_failure_ratio=1.0, crews=crews)
    for b in (ap, hot):
        assert b.unavailability == pytest.approx(kofn.unavailability, rel=1e-9)
        assert b.failure_frequency_per_h == pytest.approx(kofn.failure_frequency_per_h, rel=1e-9)
        assert b.mttf_h == pytest.approx(kofn.mttf_h, rel=1e-9)


@pytest.mark.parametrize("n", [1, 2, 3, 6])
@pytest.mark.parametrize("crews", [1, 2, None])
def test_cold_standby_closed_form(n, crews):
    b = ac.Standby(n, 4380.0, 2.0, crews=crews)
    assert rel(b.unavailability, cf_cold_standby_u(n, 4380.0, 2.0, crews)) < 1e-11


def test_two_node_cluster_keeps_its_closed_form_and_names():
    ap = ac.ActivePassive(1460.0, 0.69, coverage=0.98, switchover_s=60.0, manual_failover_h=0.75)
    assert ap.state_names == ac.ActivePassive.STATES
    assert list(ap.units_up) == [2, 1, 1, 1, 0] and list(ap.serving) == [1, 0, 0, 1, 0]
    three = ac.ActivePassive(1460.0, 0.69, nodes=3)
    assert three.state_names[0] == "3 of 3 up" and three.state_names[-1] == "0 of 3 up"
    assert "nodes=3" in repr(three) and "nodes" not in repr(ap)


def test_tiny_unavailability_is_computed_directly():
    # 6 nodes, repair 1000 times faster than failure: U ~ 1e-17 is not 1 - A
    b = ac.ActivePassive(10_000.0, 10.0, coverage=1.0, nodes=6)
    ref = one_active_unit_chain(6, 10_000.0, 10.0, 1.0, 1.0, 0.0, 0.5, None).measures()
    assert 0 < b.unavailability < 1e-15
    assert rel(b.unavailability, ref["U"]) < 1e-9


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(2, 6),
    rho=st.floats(0.0, 1.0),
    c=st.floats(0.0, 1.0),
    crews=st.sampled_from([1, 2, None]),
)
def test_properties(n, rho, c, crews):
    b = ac.Standby(n, 1000.0, 4.0, rho, c, 60.0, crews, manual_failover_h=0.5)
    p = b.state_probability_array
    assert np.all((p >= 0) & (p <= 1)) and math.isclose(p.sum(), 1.0, rel_tol=1e-12)
    assert 0.0 < b.unavailability < 1.0
    # a standby that fails less often, or one more unit, never hurts
    colder = ac.Standby(n, 1000.0, 4.0, rho / 2, c, 60.0, crews, manual_failover_h=0.5)
    assert colder.unavailability <= b.unavailability * (1 + 1e-12)
    more = ac.Standby(n + 1, 1000.0, 4.0, rho, c, 60.0, crews, manual_failover_h=0.5)
    assert more.unavailability <= b.unavailability * (1 + 1e-12)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"nodes": 1}, r"nodes must be an integer in \[2, 64\]; got 1"),
        ({"nodes": 65}, r"nodes must be an integer in \[2, 64\]; got 65"),
        ({"nodes": 2.5}, r"nodes must be an integer"),
    ],
)
def test_cluster_nodes_are_checked(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ac.ActivePassive(100.0, 1.0, **kwargs)


@pytest.mark.parametrize(
    "args, match",
    [
        ((0, 100.0, 1.0), r"units must be an integer in \[1, 10000\]; got 0"),
        (
            (2, 100.0, 1.0, 1.5),
            r"standby_failure_ratio must be in the closed interval \[0, 1\]; got 1.5",
        ),
        ((2, 100.0, 1.0, 0.0, -0.1), r"coverage must be in the closed interval \[0, 1\]; got -0.1"),
        ((2, 100.0, 1.0, 0.0, 1.0, -1.0), r"switchover_s"),
        ((2, 100.0, 1.0, 0.0, 1.0, 0.0, 0), r"crews must be an integer >= 1"),
    ],
)
def test_standby_rejects_bad_input_by_name(args, match):
    with pytest.raises(ValueError, match=match):
        ac.Standby(*args)
