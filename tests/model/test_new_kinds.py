"""The two additions made through the tier-kind seams, wherever a user meets the model.

1. A clustered host on an n-node failover cluster (``send_host.instances`` = nodes >= 2);
2. a standby MessageBox server (``messagebox.ha = "cold_standby"``, the Standby block).

References: the blocks themselves are checked at 50 digits in
``tests/reliability/test_one_active.py``; here the scenario must use exactly those blocks, and
the simulation (the blocks' own jump-chain simulation) must contain the analytic values.
"""

from __future__ import annotations

import pytest

import availcalc as ac
from availcalc.cli import main
from availcalc.simulation import validate

CLUSTER3 = {
    "name": "cluster3",
    "workload": {"arrival_rate_per_s": 20.0, "latency_target_s": 2.0},
    "send_host": {
        "handler": "clustered",
        "instances": 3,
        "concurrency": 10,
        "service_time_s": 0.2,
        "mttf_h": 300.0,
        "mttr_h": 6.0,
        "coverage": 0.9,
        "failover_s": 600.0,
        "manual_failover_h": 1.0,
    },
    "messagebox": None,
}
STANDBY_MB = {
    "name": "standby MessageBox",
    "workload": {"arrival_rate_per_s": 20.0},
    "send_host": {"instances": 3},
    "messagebox": {
        "ha": "cold_standby",
        "mttf_h": 400.0,
        "mttr_h": 8.0,
        "standby_failure_ratio": 0.2,
        "coverage": 0.9,
        "failover_s": 900.0,
        "host_restart_s": 30.0,
        "manual_failover_h": 1.5,
    },
}


@pytest.fixture
def cluster3():
    return ac.Scenario.from_dict(CLUSTER3)


@pytest.fixture
def standby_mb():
    return ac.Scenario.from_dict(STANDBY_MB)


def test_three_node_cluster_uses_the_n_node_block(cluster3):
    ev = ac.evaluate(cluster3)
    h = cluster3.send_host
    block = ac.ActivePassive(
        h.mttf_h, h.mttr_h, h.coverage, h.failover_s, h.manual_failover_h, nodes=3
    )
    assert ev.send_block.nodes == 3
    assert ev.send_tier_availability == pytest.approx(block.availability, rel=1e-15)
    # one node sends: capacity is one instance's, whatever the node count
    pair = ac.evaluate(cluster3.replace(**{"send_host.instances": 2}))
    assert ev.capacity_per_s == pair.capacity_per_s
    assert ev.unavailability < pair.unavailability
    assert list(ev.states["active_instances"]) == [int(v) for v in block.serving]
    assert ev.states["probability"].sum() == pytest.approx(1.0, rel=1e-12)
    assert ev.latency_with_instances_down(2) == ev.latency_percentile_s
    with pytest.raises(ValueError, match=r"with 3 nodes \(clustered\), at most 2"):
        ev.latency_with_instances_down(3)


def test_three_node_cluster_in_sweep_tornado_sizing(cluster3):
    df = ac.sweep(cluster3, {"send_host.instances": [2, 3, 4]})
    assert df["unavailability"].is_monotonic_decreasing
    assert df["capacity_per_s"].nunique() == 1
    tor = ac.tornado(cluster3, metric="downtime_min_per_year")
    assert "send_host.failover_s" in set(tor["parameter"])
    sz = ac.size_instances(cluster3, instances_down=2)
    assert sz.feasible and sz.instances == 3
    no = ac.size_instances(cluster3.replace(**{"send_host.instances": 2}), instances_down=2)
    assert not no.feasible and "cannot lose 2" in no.reason


def test_standby_messagebox_uses_the_standby_block(standby_mb):
    ev = ac.evaluate(standby_mb)
    mb = standby_mb.messagebox
    block = ac.Standby(
        2,
        mb.mttf_h,
        mb.mttr_h,
        standby_failure_ratio=mb.standby_failure_ratio,
        coverage=mb.coverage,
        switchover_s=mb.failover_s + mb.host_restart_s,
        manual_failover_h=mb.manual_failover_h,
    )
    assert ev.messagebox_availability == pytest.approx(block.availability, rel=1e-15)
    hot = ac.evaluate(standby_mb.replace(**{"messagebox.standby_failure_ratio": 1.0}))
    assert hot.messagebox_availability < ev.messagebox_availability
    assert "messagebox.standby_failure_ratio" in ac.numeric_fields(standby_mb)
    fci = standby_mb.replace(**{"messagebox.ha": "failover_cluster"})
    assert "messagebox.standby_failure_ratio" not in ac.numeric_fields(fci)
    imp = ac.parameter_importance(standby_mb)
    assert "messagebox.failover_s" in set(imp["parameter"])


@pytest.mark.parametrize("fixture", ["cluster3", "standby_mb"])
def test_files_round_trip(fixture, request, tmp_path):
    s = request.getfixturevalue(fixture)
    for ext in ("toml", "json"):
        path = ac.save_scenario(s, tmp_path / f"s.{ext}")
        assert ac.load_scenario(path) == s


def test_cli_evaluates_both(capsys, tmp_path):
    argv = ["evaluate", "msmq_clustered_active_passive", "--set", "send_host.instances=3"]
    code = main([*argv, "--json"])
    out, _ = capsys.readouterr()
    three = ac.evaluate(
        ac.load_preset("msmq_clustered_active_passive").replace(**{"send_host.instances": 3})
    )
    assert code == 0 and f'"send_tier_availability": {three.send_tier_availability!r}' in out
    path = ac.save_scenario(ac.Scenario.from_dict(STANDBY_MB), tmp_path / "mb.toml")
    code = main(["evaluate", str(path), "--json"])
    out, _ = capsys.readouterr()
    assert code == 0 and '"availability"' in out


@pytest.mark.slow
@pytest.mark.parametrize("spec", [CLUSTER3, STANDBY_MB], ids=["cluster3", "standby_mb"])
def test_simulation_contains_the_analytic_values(spec):
    df = validate(
        ac.Scenario.from_dict(spec),
        replications=20,
        years=300,
        messages=4_000,
        confidence=0.999,
        seed=12,
        n_jobs=2,
    ).set_index("metric")
    for metric in ("availability", "downtime_min_per_year", "failures_per_year"):
        row = df.loc[metric]
        assert row["ci_low"] <= row["analytic"] <= row["ci_high"], (metric, row.to_dict())
