"""tornado(): the ends chosen, the ranking on cases solved by hand, agreement with evaluate()."""

import math

import pytest

from availcalc import evaluate, load_preset, tornado
from availcalc.analysis.tornado import TORNADO_COLUMNS, _clip
from availcalc.model.metrics import METRICS
from availcalc.model.schema import FieldSpec, Scenario, ScenarioError, numeric_fields
from availcalc.reliability import KofN

# a bare send tier: no MessageBox, no destination; only the send stage limits capacity
BARE = Scenario.from_dict(
    {
        "workload": {"arrival_rate_per_s": 40.0, "latency_target_s": 0.5},
        "send_host": {"instances": 3, "concurrency": 20, "service_time_s": 0.15},
    }
)


def test_capacity_depends_only_on_concurrency_and_service_time():
    # capacity = N·c/S (N = 3 instances, c = 20 sends each, S = 0.15 s). With ±20 %:
    #   service time: N·c·(1/0.12 − 1/0.18) = 60 · 2.7778 = 166.67 msg/s
    #   concurrency:  N·(24 − 16)/0.15      = 3 · 53.333 = 160.00 msg/s
    # and every other input leaves the capacity alone (instances = 3 rounds to 2 and 4:
    # 3·0.8 = 2.4 → 2, 3·1.2 = 3.6 → 4, so it moves too: N·c/S·(4 − 2)/3 = 266.67 msg/s).
    t = tornado(BARE, "capacity_per_s")
    assert list(t.columns) == TORNADO_COLUMNS
    top = t.set_index("parameter")["swing"]
    assert top.index[:3].tolist() == [
        "send_host.instances",
        "send_host.service_time_s",
        "send_host.concurrency",
    ]
    assert top["send_host.instances"] == pytest.approx(20 / 0.15 * 2, rel=1e-12)
    assert top["send_host.service_time_s"] == pytest.approx(60 * (1 / 0.12 - 1 / 0.18), rel=1e-12)
    assert top["send_host.concurrency"] == pytest.approx(3 * 8 / 0.15, rel=1e-12)
    assert (top.iloc[3:] == 0).all()
    row = t.set_index("parameter").loc["send_host.instances"]
    assert (row["low_value"], row["high_value"]) == (2, 4)
    assert row["base_metric"] == pytest.approx(3 * 20 / 0.15, rel=1e-12)


def test_series_system_largest_unavailability_dominates():
    # Path = single SQL server (MTTF 4380 h, MTTR 2 h) × 3 scaled-out instances × endpoint.
    # U_s ≈ U_sql + U_send + U_ep with U_sql = 2/4382 = 4.56e-4, U_ep = 1e-3 and
    # U_send ≈ (0.69/1460)^3 ≈ 1e-10. A ±20 % change of the endpoint's unavailability moves
    # U_s by 0.4 × 1e-3; of the SQL MTTF by (1/0.8 − 1/1.2) × 4.56e-4 = 1.90e-4; of the SQL
    # MTTR by 0.4 × 4.56e-4 = 1.83e-4 (slightly less: U = r/(f + r) is not quite linear);
    # the send tier's MTTF/MTTR by ~1e-10 (≈ 1e-4 min/yr), and dropping to 2 instances
    # (3 × 0.8 rounds to 2) by U(1-of-2) ≈ (0.69/1460)² ≈ 2.2e-7 (0.12 min/yr). Exact swings
    # from the series product below.
    s = BARE.replace(
        messagebox={"ha": "none", "mttf_h": 4380.0, "mttr_h": 2.0},
        destination={"kind": "endpoint", "availability": 0.999, "mttr_h": 0.5},
    )
    t = tornado(s, "downtime_min_per_year")
    assert t["parameter"].tolist()[:3] == [
        "destination.availability",
        "messagebox.mttf_h",
        "messagebox.mttr_h",
    ]
    a_send = KofN(3, 1, 1460.0, 0.69).availability

    def downtime(f, r, a_ep):
        return (1 - f / (f + r) * a_send * a_ep) * 525_600

    swing = t.set_index("parameter")["swing"]
    assert swing["destination.availability"] == pytest.approx(
        downtime(4380, 2, 0.9988) - downtime(4380, 2, 0.9992), rel=1e-9
    )
    assert swing["messagebox.mttf_h"] == pytest.approx(
        downtime(3504, 2, 0.999) - downtime(5256, 2, 0.999), rel=1e-9
    )
    assert swing["messagebox.mttr_h"] == pytest.approx(
        downtime(4380, 2.4, 0.999) - downtime(4380, 1.6, 0.999), rel=1e-9
    )
    assert swing.index[3] == "send_host.instances"
    assert 0.05 < swing["send_host.instances"] < 0.2
    assert swing["send_host.mttf_h"] < 1e-3 and swing["send_host.mttr_h"] < 1e-3


def test_metrics_match_direct_evaluations():
    s = load_preset("sharepoint_2x_nlb3")
    paths = ["workload.arrival_rate_per_s", "destination.convergence_s", "destination.nodes"]
    t = tornado(s, "sla_availability", parameters=paths)
    assert sorted(t["parameter"]) == sorted(paths)
    base = evaluate(s).sla_availability
    for r in t.itertuples():
        assert r.base_metric == base
        for end, got in ((r.low_value, r.metric_at_low), (r.high_value, r.metric_at_high)):
            want = evaluate(s.replace(**{r.parameter: end})).sla_availability
            assert got == pytest.approx(want, rel=1e-9, abs=1e-15), (r.parameter, end)
        assert r.swing == pytest.approx(abs(r.metric_at_high - r.metric_at_low), abs=1e-15)
    assert t["swing"].is_monotonic_decreasing


def test_probabilities_vary_their_complement():
    s = load_preset("http_scaled_out_2node_tuned")
    t = tornado(
        s,
        "downtime_min_per_year",
        parameters=["destination.availability", "workload.latency_percentile"],
    ).set_index("parameter")
    # 0.999 ± 20 % of its unavailability 0.001; p95 ± 20 % of its tail 0.05
    assert t.loc["destination.availability", "low_value"] == pytest.approx(0.9988, abs=1e-15)
    assert t.loc["destination.availability", "high_value"] == pytest.approx(0.9992, abs=1e-15)
    assert t.loc["workload.latency_percentile", "low_value"] == pytest.approx(0.94, abs=1e-15)
    assert t.loc["workload.latency_percentile", "high_value"] == pytest.approx(0.96, abs=1e-15)
    # the percentile does not change the downtime
    assert t.loc["workload.latency_percentile", "swing"] == 0.0


def test_ends_are_clipped_rounded_or_skipped():
    s = BARE.replace(**{"workload.arrival_scv": 24.0, "send_host.repair_crews": 3})
    t = tornado(
        s,
        "latency_percentile_s",
        parameters=["workload.arrival_scv", "send_host.instances", "send_host.failover_s"],
    ).set_index("parameter")
    # c²ₐ 24 × 1.2 = 28.8 is clipped to its closed upper bound 25
    assert t.loc["workload.arrival_scv", "low_value"] == pytest.approx(19.2, rel=1e-15)
    assert t.loc["workload.arrival_scv", "high_value"] == 25.0
    # 3 instances → 2 would be below repair_crews = 3: that end goes back to the base
    assert t.loc["send_host.instances", ["low_value", "high_value"]].tolist() == [3, 4]
    # a failover time varies nothing here, but it is 60 s, so it is kept with a zero swing
    assert t.loc["send_host.failover_s", "swing"] == 0.0
    # a field at zero cannot move by a relative spread, nor an instance count of 2 by 20 %,
    # nor a clustered pair's: left out
    c = BARE.replace(**{"send_host.handler": "clustered", "send_host.instances": 2})
    assert c.send_host.planned_failovers_per_year == 0.0
    t2 = tornado(
        c,
        "capacity_per_s",
        parameters=[
            "send_host.instances",
            "send_host.planned_failovers_per_year",
            "send_host.concurrency",
        ],
    )
    assert t2["parameter"].tolist() == ["send_host.concurrency"]


def test_clip_at_an_open_bound_goes_halfway():
    spec = FieldSpec("x", "", "", "", low=0.0, high=1.0, low_open=True, high_open=True)
    assert _clip(spec, 0.9, 1.2) == pytest.approx(0.95)
    assert _clip(spec, 0.1, -0.5) == pytest.approx(0.05)
    closed = FieldSpec("x", "", "", "", low=0.0, high=25.0)
    assert _clip(closed, 24.0, 28.8) == 25.0


def test_unstable_end_gives_an_infinite_swing_ranked_first():
    # capacity 3·20/0.15 = 400 msg/s; at λ = 350, +20 % (420 msg/s) overloads the tier
    s = BARE.replace(**{"workload.arrival_rate_per_s": 350.0})
    t = tornado(
        s,
        "latency_percentile_s",
        parameters=["send_host.concurrency", "workload.arrival_rate_per_s", "send_host.mttr_h"],
    )
    assert t["parameter"].tolist()[:2] == ["workload.arrival_rate_per_s", "send_host.concurrency"]
    assert math.isinf(t.loc[0, "metric_at_high"]) and math.isinf(t.loc[0, "swing"])
    assert math.isinf(t.loc[1, "metric_at_low"]) and math.isinf(t.loc[1, "swing"])
    assert t.loc[2, "swing"] == 0.0
    # once unstable at the base, the load's two ends can both be infinite: no swing
    s2 = BARE.replace(**{"workload.arrival_rate_per_s": 600.0})
    t2 = tornado(s2, "latency_percentile_s", parameters=["workload.latency_target_s"])
    assert math.isinf(t2.loc[0, "base_metric"]) and t2.loc[0, "swing"] == 0.0


def test_explicit_ranges():
    t = tornado(BARE, "capacity_per_s", ranges={"send_host.instances": (1, 6)}, parameters=[])
    assert t["parameter"].tolist() == ["send_host.instances"]
    assert t.loc[0, "swing"] == pytest.approx(5 * 20 / 0.15, rel=1e-12)
    with pytest.raises(ScenarioError, match=r"send_host\.instances"):
        tornado(BARE, "capacity_per_s", ranges={"send_host.instances": (0, 6)})
    with pytest.raises(ScenarioError, match=r"messagebox\.mttf_h"):
        tornado(BARE, "capacity_per_s", ranges={"messagebox.mttf_h": (1, 6)})


def test_bad_arguments():
    with pytest.raises(ValueError, match="metric must be one of"):
        tornado(BARE, "bottleneck")
    with pytest.raises(ValueError, match="metric must be one of"):
        tornado(BARE, "latency")
    with pytest.raises(ValueError, match="spread"):
        tornado(BARE, "capacity_per_s", spread=1.0)
    with pytest.raises(ScenarioError, match=r"send_host\.nope"):
        tornado(BARE, "capacity_per_s", parameters=["send_host.nope"])


@pytest.mark.parametrize("name", ["sharepoint_full_path", "ordered_send_port"])
def test_every_metric_matches_an_evaluate_loop(name):
    # one batched evaluation per structure (the instance and node counts change it) and the
    # shortcuts (reliability metrics without queueing, structure metrics without the failure
    # rates, the max loads alone) give what evaluate() gives point by point
    s = load_preset(name)
    paths = [
        p
        for p in (
            "send_host.instances",
            "destination.nodes",
            "send_host.mttf_h",
            "messagebox.mttr_h",
            "workload.arrival_rate_per_s",
            "send_host.service_time_s",
            "send_port.ordered_overhead_s",
        )
        if p in numeric_fields(s)
    ]
    ranges = {"send_host.instances": (1, 4)} if s.send_host.instances >= 2 else {}
    values = {}  # every metric of evaluate() at each point, max loads included

    def evaluated(path, end):
        if (path, end) not in values:
            moved = s if path is None else s.replace(**{path: type(s.get(path))(end)})
            values[path, end] = evaluate(moved).metrics()
        return values[path, end]

    for metric in (k for k, m in METRICS.items() if m.kind != "text"):
        t = tornado(s, metric, parameters=paths, ranges=ranges)
        base = float(evaluated(None, None)[metric])
        assert t["base_metric"].iloc[0] == pytest.approx(base, rel=1e-9, abs=1e-300)
        for r in t.itertuples():
            for end, got in ((r.low_value, r.metric_at_low), (r.high_value, r.metric_at_high)):
                want = float(evaluated(r.parameter, end)[metric])
                key = (r.parameter, end)
                if math.isinf(want):
                    assert got == want, (metric, key)
                else:
                    assert got == pytest.approx(want, rel=1e-9, abs=1e-300), (metric, key)
