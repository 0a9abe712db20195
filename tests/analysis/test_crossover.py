"""Crossovers and handler_comparison, checked against direct evaluate() calls."""

import math

import pytest

from availcalc import (
    evaluate,
    failover_time_where_clustering_loses,
    handler_comparison,
    load_at_latency_target,
    load_preset,
    scaled_out_beats_clustered_at,
)
from availcalc.analysis.crossover import HANDLER_COMPARISON_COLUMNS

MSMQ = load_preset("msmq_clustered_active_passive")


def _as(scenario, handler, n):
    return scenario.replace(**{"send_host.handler": handler, "send_host.instances": n})


def test_load_at_latency_target_is_max_load():
    s = load_preset("sharepoint_2x_nlb3")
    ev = evaluate(s)
    for k in (0, 1):
        assert load_at_latency_target(s, k) == ev.max_load_per_s(k)
    with pytest.raises(ValueError, match="instances_down"):
        load_at_latency_target(s, 2)  # both instances down: no answer, not a silent 0


def test_scaled_out_beats_clustered_at_is_the_smallest_count():
    n = scaled_out_beats_clustered_at(MSMQ, "availability").value
    # one scaled-out server has no standby: less available than the pair; two have no
    # failover outage: more available
    assert n == 2
    ref = evaluate(MSMQ).availability
    assert evaluate(_as(MSMQ, "scaled_out", 1)).availability < ref
    assert evaluate(_as(MSMQ, "scaled_out", 2)).availability > ref
    # "lower is better" metrics give the same crossing
    assert scaled_out_beats_clustered_at(MSMQ, "downtime_min_per_year").value == 2
    # the MessageBox (600 msg/s) caps both handlers' capacity: scaling out never beats it
    never = scaled_out_beats_clustered_at(MSMQ, "capacity_per_s", max_instances=3)
    assert never.value is None and never.verdict == "never" and not never.found
    assert (never.low, never.high) == (1, 3)
    assert "no scaled-out count in 1–3 beats" in repr(never)


def test_scaled_out_beats_clustered_on_capacity_when_the_send_host_limits():
    # bare tier: one clustered node has N·c/S with N = 1; scaled out on 2 doubles it
    s = _as(load_preset("msmq_nonclustered_3x").replace(messagebox=None), "clustered", 2)
    assert scaled_out_beats_clustered_at(s, "capacity_per_s").value == 2
    with pytest.raises(ValueError, match="metric"):
        scaled_out_beats_clustered_at(s, "bottleneck")
    with pytest.raises(ValueError, match="max_instances"):
        scaled_out_beats_clustered_at(s, max_instances=0)


def test_failover_time_root_equalises_unavailabilities():
    # against a single scaled-out server the pair wins while its failovers are short
    found = failover_time_where_clustering_loses(MSMQ, instances=1)
    assert found.verdict == "crosses" and found.found and found.unit == "s"
    assert "loses on availability above a failover time of" in str(found)
    t = found.value
    assert 100 < t < 10_000
    single = evaluate(_as(MSMQ, "scaled_out", 1)).unavailability

    def u_cl(x):
        return evaluate(MSMQ.replace(**{"send_host.failover_s": x})).unavailability

    assert u_cl(t) == pytest.approx(single, rel=1e-8)
    assert u_cl(0.9 * t) < single < u_cl(1.1 * t)
    # SLA availability: here every up state meets the target, so the same crossing
    t_sla = failover_time_where_clustering_loses(MSMQ, "sla_availability", instances=1).value
    assert t_sla == pytest.approx(t, rel=1e-6)
    # never within a short search range; always against two scaled-out servers
    wins = failover_time_where_clustering_loses(MSMQ, instances=1, max_failover_s=100)
    assert wins.value is None and wins.verdict == "always_wins" and wins.high == 100
    loses = failover_time_where_clustering_loses(MSMQ)  # default: 2 instances
    assert loses.value is None and loses.verdict == "always_loses"
    assert loses.to_dict()["verdict"] == "always_loses"
    with pytest.raises(ValueError, match="metric"):
        failover_time_where_clustering_loses(MSMQ, "capacity_per_s")
    with pytest.raises(ValueError, match="max_failover_s"):
        failover_time_where_clustering_loses(MSMQ, max_failover_s=math.inf)


def test_handler_comparison_matches_evaluate():
    s = load_preset("sharepoint_2x_nlb3").replace(**{"send_host.repair_crews": 2})
    df = handler_comparison(s, [1, 3])
    assert list(df.columns) == HANDLER_COMPARISON_COLUMNS
    assert df[["instances", "handler", "nodes"]].values.tolist() == [
        [1, "scaled_out", 1],
        [1, "clustered", 2],
        [3, "scaled_out", 3],
        [3, "clustered", 2],
    ]
    # repair crews (2) are clamped to the instance count (1) where needed
    evs = {
        (1, "scaled_out"): evaluate(
            s.replace(**{"send_host.instances": 1, "send_host.repair_crews": 1})
        ),
        (3, "scaled_out"): evaluate(s.replace(**{"send_host.instances": 3})),
        (1, "clustered"): evaluate(_as(s, "clustered", 2)),
    }
    evs[(3, "clustered")] = evs[(1, "clustered")]
    for r in df.itertuples():
        ev = evs[(r.instances, r.handler)]
        for col in HANDLER_COMPARISON_COLUMNS[3:]:
            want = getattr(ev, col)
            got = getattr(r, col)
            if isinstance(want, bool):
                assert got == want, col
            else:
                assert got == pytest.approx(want, rel=1e-9, abs=1e-300), (r.instances, col)
    with pytest.raises(ValueError, match="instances"):
        handler_comparison(s, [])
    with pytest.raises(ValueError, match="instances"):
        handler_comparison(s, [0, 1])
