"""The ``sharepoint_full_path`` preset: the whole send path, and its availability by hand.

The path is MessageBox (SQL Server failover cluster + shared storage) → scaled-out SharePoint
send host instances → SharePoint web front ends behind Windows NLB. Its unavailability must be
the series formula U = 1 − ∏(1 − U_i) of the three parts, each computed here with the blocks'
own classes from values typed in (not read from the preset), so a change of a preset value or
of the way the model wires the blocks shows up.
"""

from __future__ import annotations

import math

import pytest

from availcalc import ActivePassive, Component, KofN, NLBPool, evaluate, load_preset
from availcalc.model.schema import NLBDestination
from availcalc.ui import model_assumptions

NAME = "sharepoint_full_path"
#: The MessageBox SQL cluster follows the rule of every block: one repair crew per node.
SQL_CREWS = None


def _series_unavailability(*u: float) -> float:
    """U = 1 − ∏(1 − U_i), evaluated as −expm1(Σ log1p(−U_i)) (no cancellation)."""
    return -math.expm1(sum(math.log1p(-x) for x in u))


def test_preset_has_the_three_parts():
    s = load_preset(NAME)
    mb = s.messagebox
    assert mb is not None and mb.ha == "failover_cluster"
    assert mb.storage_mttf_h is not None and mb.storage_mttr_h is not None
    assert s.send_host.handler == "scaled_out" and s.send_host.instances >= 2
    assert isinstance(s.destination, NLBDestination) and s.destination.nodes >= 2
    parts = {r["component"] for _, r in evaluate(s).downtime_breakdown.iterrows()}
    assert parts == {
        "MessageBox SQL cluster",
        "MessageBox shared storage",
        "send host instances",
        "destination NLB pool",
    }


def test_path_unavailability_is_the_series_of_the_three_parts():
    # MessageBox: SQL FCI, 4 380 h / 2 h nodes, 98 % coverage; an outage is the 60 s failover
    # plus the 30 s host-instance recycle; 45 min manual recovery; SAN 500 000 h / 8 h
    sql = ActivePassive(
        4380.0, 2.0, coverage=0.98, switchover_s=60.0 + 30.0, manual_failover_h=0.75,
        crews=SQL_CREWS,
    )  # fmt: skip
    storage = Component("san", 500_000.0, 8.0)
    u_messagebox = _series_unavailability(sql.unavailability, storage.unavailability)
    # send tier: 3 scaled-out instances (server + host process: 1 460 h / 0.69 h), 1 needed
    u_send = KofN(3, 1, 1460.0, 0.69).unavailability
    # destination: 3 SharePoint front ends, 1 needed, 2 190 h / 0.5 h; after each failure the
    # failed node's requests fail for 5 s detection + 3 s convergence (TechNet cc739690)
    u_farm = NLBPool(3, 1, 2190.0, 0.5, convergence_s=3.0, detection_s=5.0).unavailability

    ev = evaluate(load_preset(NAME))
    expected = _series_unavailability(u_messagebox, u_send, u_farm)
    assert ev.unavailability == pytest.approx(expected, rel=1e-12)
    assert ev.availability == pytest.approx(1.0 - expected, rel=1e-15)
    # the same three parts, one by one, in the downtime breakdown
    rows = ev.downtime_breakdown.set_index("component")["unavailability"]
    assert rows["MessageBox SQL cluster"] == pytest.approx(sql.unavailability, rel=1e-12)
    assert rows["MessageBox shared storage"] == pytest.approx(storage.unavailability, rel=1e-12)
    assert rows["send host instances"] == pytest.approx(u_send, rel=1e-12)
    assert rows["destination NLB pool"] == pytest.approx(u_farm, rel=1e-12)
    # every part matters: the storage and SQL dominate, the 1-of-3 send tier is negligible
    assert u_send < 1e-8 < u_farm < u_messagebox


def test_preset_carries_its_load_with_one_instance_down():
    ev = evaluate(load_preset(NAME))
    assert ev.stable and ev.meets_latency_target
    assert ev.latency_with_instances_down(1) <= 5.0


def test_assumptions_panel_states_the_repair_crews_in_effect():
    text = " ".join(model_assumptions(load_preset(NAME)))
    assert "3 repair crews (one per instance) for the send host instances" in text
    assert "3 repair crews (one per node) for the destination NLB pool" in text
    assert "2 repair crews (one per node) for the MessageBox SQL cluster" in text
    limited = load_preset(NAME).replace(**{"destination.repair_crews": 2})
    text = " ".join(model_assumptions(limited))
    assert "2 repair crews (shared by 3 nodes) for the destination NLB pool" in text
