"""Public API wiring: names, broadcasting, summaries, reprs, derived measures."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import availcalc
from availcalc.reliability import (
    ActivePassive,
    Component,
    Diagram,
    KofN,
    MarkovModel,
    NLBPool,
    k_of_n,
    parallel,
    series,
)

MEASURES = (
    "availability",
    "unavailability",
    "nines",
    "downtime_min_per_year",
    "failure_frequency_per_h",
    "mut_h",
    "mdt_h",
    "mtbf_h",
    "mttf_h",
)


def _blocks():
    c = Component("db", 8760.0, 4.0)
    return [
        c,
        KofN(4, 1, 4380.0, 2.0, crews=1, name="hosts"),
        ActivePassive(2000.0, 4.0, coverage=0.95, switchover_s=60.0, name="sql"),
        NLBPool(3, 2, 2190.0, 0.5, 3.0, name="nlb"),
        MarkovModel(["u", "d"], {("u", "d"): 0.01, ("d", "u"): 1.0}, up_states=["u"], name="m"),
        series(c, Component("lb", 8760.0, 1.0)),
        parallel(Component("a", 100.0, 1.0), Component("b", 100.0, 1.0)),
        k_of_n(2, [Component(f"h{i}", 100.0, 1.0) for i in range(3)]),
    ]


def test_public_names_are_exported_at_top_level():
    for name in availcalc.reliability.__all__:
        assert getattr(availcalc, name) is getattr(availcalc.reliability, name)
    assert {"Component", "KofN", "ActivePassive", "NLBPool", "MarkovModel"} <= set(
        availcalc.reliability.__all__
    )
    assert {"series", "parallel", "k_of_n"} <= set(availcalc.reliability.__all__)


@pytest.mark.parametrize("block", _blocks(), ids=lambda b: type(b).__name__)
def test_every_block_has_every_measure(block):
    for m in MEASURES:
        v = getattr(block, m)
        assert isinstance(v, float), m
    a, u, w = block.availability, block.unavailability, block.failure_frequency_per_h
    assert block.nines == pytest.approx(-math.log10(u))
    assert block.downtime_min_per_year == pytest.approx(u * 525_600)
    assert block.mut_h == pytest.approx(a / w)
    assert block.mdt_h == pytest.approx(u / w)
    assert block.mtbf_h == pytest.approx(block.mut_h + block.mdt_h)
    s = block.summary()
    assert list(s.columns) == ["measure", "value", "unit"]
    assert s.set_index("measure").loc["downtime_min_per_year", "unit"] == "min/yr"
    assert len(s) == 10
    imp = block.importance()
    assert list(imp.columns) == ["birnbaum", "criticality", "fussell_vesely", "raw", "rrw"]
    assert imp.index.name == "component"
    assert repr(block)


@pytest.mark.parametrize("block", _blocks(), ids=lambda b: type(b).__name__)
def test_time_functions_broadcast(block):
    for fn in (block.reliability, block.point_availability, block.interval_availability):
        scalar = fn(10.0)
        assert isinstance(scalar, float)
        arr = fn(np.array([[0.0, 10.0], [100.0, 1000.0]]))
        assert isinstance(arr, np.ndarray) and arr.shape == (2, 2)
        assert arr[0, 1] == pytest.approx(scalar, rel=1e-14)
        ser = fn(pd.Series([10.0, 100.0], index=["a", "b"]))
        assert isinstance(ser, pd.Series) and list(ser.index) == ["a", "b"]
        assert fn(0.0) == pytest.approx(1.0)
        assert fn(5) == pytest.approx(fn(5.0))


def test_reprs():
    assert repr(Component("db", 8760.0, 4.0)) == "Component('db', mttf_h=8760.0, mttr_h=4.0)"
    assert "initially_up=False" in repr(Component("x", 1.0, 1.0, initially_up=False))
    assert repr(Component("x", 1.0, math.inf)) == "Component('x', mttf_h=1.0, mttr_h=math.inf)"
    assert (
        repr(KofN(4, 1, 4380.0, 2.0, crews=1))
        == "KofN(n=4, k=1, mttf_h=4380.0, mttr_h=2.0, crews=1, name='1-of-4')"
    )
    a, b = Component("a", 1.0, 1.0), Component("b", 1.0, 1.0)
    assert repr(series(a, parallel(a, b), name="x")) == (
        "series(Component('a', mttf_h=1.0, mttr_h=1.0), parallel(Component('a', mttf_h=1.0, "
        "mttr_h=1.0), Component('b', mttf_h=1.0, mttr_h=1.0)), name='x')"
    )
    assert repr(k_of_n(1, [a, b])).startswith("k_of_n(1, [")
    assert "MarkovModel(states=['u', 'd']" in repr(
        MarkovModel(["u", "d"], {("u", "d"): 1.0, ("d", "u"): 1.0}, up_states=["u"])
    )


def test_blocks_are_frozen_and_compared_by_identity():
    c = Component("db", 8760.0, 4.0)
    with pytest.raises(AttributeError):
        c.unit_mttr_h = 1.0  # type: ignore[misc]
    assert c != Component("db", 8760.0, 4.0)  # another physical component
    assert c == c
    assert isinstance(series(c), Diagram)


def test_unit_parameters_versus_system_measures():
    """Constructor mttf_h/mttr_h describe one unit; .mttf_h is the system's MTTF."""
    k = KofN(2, 1, 1000.0, 10.0, crews=1)
    assert k.unit_mttf_h == 1000.0 and k.unit_mttr_h == 10.0
    assert k.mttf_h == pytest.approx((3e-3 + 0.1) / (2e-6))
    c = Component("c", 1000.0, 10.0)
    assert c.mttf_h == 1000.0 and c.mttr_h == 10.0


def test_one_block_counts():
    c = Component("c", 100.0, 1.0)
    assert c.outages_per_year == pytest.approx(8760 / 101)
    nlb = NLBPool(3, 2, 2190.0, 0.5, 3.0)
    assert nlb.mttf_h == pytest.approx(2190.0 / 3)  # every node failure is an outage
    assert nlb.reliability(100.0) == pytest.approx(math.exp(-300 / 2190), rel=1e-14)


def test_non_repairable_component():
    c = Component("fuse", 100.0, math.inf)
    assert (c.availability, c.unavailability, c.failure_frequency_per_h) == (0.0, 1.0, 0.0)
    assert c.mtbf_h == math.inf and c.mdt_h == math.inf and c.mut_h == 100.0
    assert c.nines == 0.0
    assert c.point_availability(100.0) == pytest.approx(math.exp(-1.0), rel=1e-14)
    assert c.interval_availability(100.0) == pytest.approx(1 - math.exp(-1.0), rel=1e-14)
    p = parallel(c, Component("spare", 100.0, math.inf))
    assert p.mttf_h == pytest.approx(150.0, rel=1e-13)  # (1/λ)(1 + 1/2)


def test_perfect_model_has_infinite_nines():
    m = MarkovModel(["a", "b"], {("a", "b"): 1.0, ("b", "a"): 1.0}, up_states=["a", "b"])
    assert m.unavailability == 0.0 and m.nines == math.inf and m.failure_frequency_per_h == 0.0
    assert m.mttf_h == math.inf


def test_pickle_and_deepcopy_keep_sharing():
    import copy
    import pickle

    db = Component("db", 8760.0, 4.0)
    d = parallel(series(db, Component("w1", 100.0, 1.0)), series(db, Component("w2", 100.0, 1.0)))
    u, mttf = d.unavailability, d.mttf_h
    for clone in (pickle.loads(pickle.dumps(d)), copy.deepcopy(d)):
        assert len(clone.leaves) == 3  # db is still one shared component
        assert clone.unavailability == u and clone.mttf_h == mttf
        assert clone.importance().shape == (3, 5)
    m = MarkovModel(["u", "d"], {("u", "d"): 1.0, ("d", "u"): 2.0}, up_states=["u"])
    assert pickle.loads(pickle.dumps(m)).availability == pytest.approx(2 / 3)


def test_active_passive_state_array_matches_the_series():
    from availcalc.reliability import ActivePassive

    for kw in ({}, {"coverage": 0.9, "switchover_s": 30.0}, {"manual_failover_h": 0.0}):
        ap = ActivePassive(1000.0, 2.0, **kw)
        sp = ap.state_probabilities
        assert list(sp.index) == list(ActivePassive.STATES)
        assert sp.to_numpy().tolist() == ap.state_probability_array.tolist()


def test_nlb_without_convergence_is_the_plain_k_of_n():
    from availcalc.reliability import KofN, NLBPool

    pool = NLBPool(3, 2, 2190.0, 0.5, 8.0, crews=1)
    plain = pool.without_convergence
    ref = KofN(3, 2, 2190.0, 0.5, crews=1)
    assert plain.unavailability == ref.unavailability
    assert plain.failure_frequency_per_h == ref.failure_frequency_per_h
    assert NLBPool(3, 2, 2190.0, 0.5, 0.0, crews=1).unavailability == pytest.approx(
        ref.unavailability, rel=1e-12
    )
