"""NLB client affinity decides how many nodes carry the senders' traffic (issue 19.3).

Windows NLB (TechNet cc739690, "Network Load Balancing Technical Overview") maps a client to
one host by its address under Single affinity (the default) and a class C network to one
host under Network affinity; with None every connection is balanced. The clients of a
SharePoint farm behind NLB are the BizTalk servers that send to it.
"""

from __future__ import annotations

import pytest

import availcalc as ac
from availcalc.simulation.scenario_sim import _configs, _Plan

#: The destination is the bottleneck: 3 nodes of 5 msg/s, the send host fast (2 x 50 msg/s).
FARM = {"kind": "nlb_pool", "nodes": 3, "needed": 1, "capacity_per_node_per_s": 5.0}


def _scenario(affinity: str, instances: int = 2, ordered: bool = False) -> ac.Scenario:
    return ac.Scenario.from_dict(
        {
            "workload": {"arrival_rate_per_s": 4.0, "latency_target_s": 5.0},
            "send_host": {"instances": instances, "concurrency": 5, "service_time_s": 0.1},
            "send_port": {"ordered_delivery": ordered, "ordered_overhead_s": 0.0},
            "destination": {**FARM, "affinity": affinity},
        }
    )


def test_the_default_is_windows_nlbs_single_affinity():
    assert ac.Scenario().replace(destination=dict(FARM)).destination.affinity == "single"


@pytest.mark.parametrize(
    ("affinity", "instances", "ordered", "serving"),
    [
        ("none", 2, False, 3),  # every node up carries traffic
        ("single", 2, False, 2),  # one node per sending server
        ("single", 4, False, 3),  # more servers than nodes: all nodes
        ("single", 2, True, 1),  # an ordered port sends from one instance
        ("network", 2, False, 1),  # one subnet, one node
    ],
)
def test_affinity_sets_the_destination_stage(affinity, instances, ordered, serving):
    s = _scenario(affinity, instances, ordered)
    ev = ac.evaluate(s)
    dest = ev.stages.set_index("stage").loc["destination"]
    assert dest["capacity_per_s"] == pytest.approx(5.0 * serving, rel=1e-15)
    # a second method: the destination's own M/M/c with the serving nodes, from the engine
    lam = s.workload.arrival_rate_per_s
    if lam < 5.0 * serving:
        mmc = ac.MMc(lam, 5.0, serving)
        assert dest["mean_response_s"] == pytest.approx(mmc.mean_response, rel=1e-12)
    else:
        assert not ev.stable
    # the simulation builds the same station
    plan = _Plan.of(s, "gamma", 1e-9)
    stations = _configs(s, plan.tier, "gamma")[plan.full_key].stations
    assert stations[-1].servers == serving
