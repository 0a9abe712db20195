"""Availability by part, the headline SLA figure, the metric specs and the JSON shapes.

References are built independently in each test from the engines' blocks (or by hand), never
from numbers the evaluation printed.
"""

import json
import math

import numpy as np
import pytest

import availcalc as ac
from availcalc.cli import main
from availcalc.model.metrics import METRICS, format_metric, metric_spec


def test_parts_against_their_blocks_built_by_hand():
    s = ac.load_preset("e2e_messagebox_sql_fci")
    ev = ac.evaluate(s)
    h, mb, d = s.send_host, s.messagebox, s.destination
    send = ac.KofN(h.instances, 1, h.mttf_h, h.mttr_h)
    sql = ac.ActivePassive(
        mb.mttf_h,
        mb.mttr_h,
        coverage=mb.coverage,
        switchover_s=mb.failover_s + mb.host_restart_s,
        manual_failover_h=mb.manual_failover_h,
        crews=2,  # one crew per node, the one rule
    )
    storage = mb.storage_mttr_h / (mb.storage_mttf_h + mb.storage_mttr_h)
    u_mb = sql.unavailability + sql.availability * storage
    u_dest = 1.0 - d.availability
    assert ev.send_tier_downtime_min_per_year == pytest.approx(
        send.unavailability * 525_600, rel=1e-12
    )
    assert ev.messagebox_downtime_min_per_year == pytest.approx(u_mb * 525_600, rel=1e-12)
    assert ev.destination_downtime_min_per_year == pytest.approx(u_dest * 525_600, rel=1e-9)
    # the path is the series of the three parts: U = 1 − ∏(1 − U_i)
    u_path = 1.0 - (1.0 - u_mb) * (1.0 - send.unavailability) * (1.0 - u_dest)
    assert ev.unavailability == pytest.approx(u_path, rel=1e-9)
    table = ev.parts.set_index("part")
    assert list(table.index) == ["MessageBox", "Send tier", "Destination", "Whole path"]
    assert table.loc["Whole path", "downtime_min_per_year"] == ev.downtime_min_per_year


def test_parts_not_modelled_are_always_up():
    ev = ac.evaluate(ac.load_preset("ordered_send_port"))
    table = ev.parts.set_index("part")
    assert not table.loc["MessageBox", "modelled"] and not table.loc["Destination", "modelled"]
    assert ev.messagebox_availability == 1.0 and ev.destination_downtime_min_per_year == 0.0
    assert ev.send_tier_downtime_min_per_year == ev.downtime_min_per_year


def test_send_tier_downtime_shows_what_instances_buy_when_the_endpoint_dominates():
    # the planner's case: a 99.9 % endpoint makes the path downtime look flat in N
    s = ac.load_preset("http_scaled_out_2node_tuned")
    df = ac.sweep(s, {"send_host.instances": [2, 3, 4]})
    path = df["downtime_min_per_year"].to_numpy()
    send = df["send_tier_downtime_min_per_year"].to_numpy()
    assert np.ptp(path) / path[0] < 1e-3  # flat
    assert send[1] < send[0] / 100 and send[2] < send[1] / 100  # each instance: > 100× less
    for n, row in zip([2, 3, 4], send, strict=True):
        h = s.send_host
        ref = ac.KofN(n, 1, h.mttf_h, h.mttr_h).unavailability * 525_600
        assert row == pytest.approx(ref, rel=1e-12)


@pytest.mark.parametrize("preset", ac.presets())
def test_headline_sla_includes_the_backlog_and_is_complemented_directly(preset):
    ev = ac.evaluate(ac.load_preset(preset))
    backlog = ev.backlog_sla_downtime_min_per_year / 525_600
    assert ev.sla_availability <= ev.sla_availability_excluding_backlog
    assert ev.sla_availability == pytest.approx(
        max(ev.sla_availability_excluding_backlog - backlog, 0.0), abs=1e-15
    )
    miss = ev.sla_downtime_min_per_year / 525_600
    assert ev.sla_availability + miss == pytest.approx(1.0, abs=1e-12)
    # the quasi-steady miss is at least the path unavailability, summed directly
    assert ev.sla_downtime_excluding_backlog_min_per_year >= ev.downtime_min_per_year * (1 - 1e-12)


def test_sla_miss_is_exact_when_tiny():
    # a very reliable path: the miss is the unavailability (every up state meets the target)
    s = ac.Scenario.from_dict(
        {
            "workload": {"arrival_rate_per_s": 1.0, "latency_target_s": 100.0},
            "send_host": {"instances": 4, "mttf_h": 1e5, "mttr_h": 0.1},
        }
    )
    ev = ac.evaluate(s)
    u = ac.KofN(4, 1, 1e5, 0.1).unavailability  # about 1e-24: 1 − A would give 0
    assert ev.sla_downtime_excluding_backlog_min_per_year == pytest.approx(u * 525_600, rel=1e-9)
    assert ev.sla_downtime_excluding_backlog_min_per_year > 0


def test_max_load_with_no_instance_left_is_an_error_not_a_silent_zero():
    ev = ac.evaluate(ac.load_preset("http_scaled_out_2node_tuned"))
    with pytest.raises(ValueError, match=r"instances_down must be in \[0, 1\].*got 2"):
        ev.max_load_per_s(2)
    with pytest.raises(ValueError, match="instances_down"):
        ev.latency_with_instances_down(5)
    clustered = ac.evaluate(ac.load_preset("msmq_clustered_active_passive"))
    assert clustered.max_load_per_s(1) > 0  # the passive node takes over
    with pytest.raises(ValueError, match=r"with 2 nodes \(clustered\), at most 1"):
        clustered.max_load_per_s(2)
    # the metric table keeps a documented 0 for a 1-instance tier with one down
    one = ac.evaluate(ac.load_preset("ordered_send_port").replace(**{"send_host.instances": 1}))
    assert one.metrics()["max_load_one_down_per_s"] == 0.0
    assert "0 when one failure leaves no instance" in METRICS["max_load_one_down_per_s"].help


def test_every_metric_has_one_spec_and_every_front_end_uses_it():
    ev = ac.evaluate(ac.load_preset("sharepoint_2x_nlb3"))
    metrics = ev.metrics()
    assert list(metrics) == list(METRICS)
    summary = ev.summary()
    assert list(summary["label"]) == [METRICS[k].label for k in metrics]
    assert list(summary["unit"]) == [METRICS[k].unit for k in metrics]
    for key, spec in METRICS.items():
        assert spec.key == key and spec.help and spec.group
        if not spec.on_demand:
            assert getattr(ev, key) == metrics[key]
            assert spec.label in type(ev).__dict__[key].__doc__
    cmp = ac.compare([ev])
    assert set(METRICS) <= set(cmp.index)
    assert cmp.loc["sla_availability", "label"] == METRICS["sla_availability"].label
    with pytest.raises(ValueError, match="did you mean 'sla_availability'"):
        metric_spec("sla_availabilty")
    assert format_metric("sla_availability", 0.998974) == "99.897 %"


def test_evaluate_and_compare_json_share_one_shape(capsys):
    assert main(["evaluate", "sharepoint_2x_nlb3", "--json"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert main(["compare", "sharepoint_2x_nlb3", "msmq_clustered_active_passive", "--json"]) == 0
    many = json.loads(capsys.readouterr().out)
    assert list(many) == ["scenarios"] and len(many["scenarios"]) == 2
    for entry in many["scenarios"]:
        assert entry.keys() == one.keys()
        assert entry["results"].keys() == one["results"].keys()
    assert many["scenarios"][0]["results"] == one["results"]
    assert one == json.loads(
        json.dumps(ac.evaluate(ac.load_preset("sharepoint_2x_nlb3")).to_dict())
    )
    assert one["name"] == "sharepoint_2x_nlb3" and one["units"]["downtime_min_per_year"] == "min/yr"
    assert [p["part"] for p in one["parts"]][-1] == "Whole path"


def test_sizing_with_an_sla_target_uses_the_headline_figure():
    s = ac.load_preset("http_scaled_out_2node")
    sized = ac.size_instances(s, instances_down=1, sla_target=0.998)
    assert sized.feasible and "SLA availability" in sized.reason
    n = sized.instances
    assert ac.evaluate(s.replace(**{"send_host.instances": n})).sla_availability >= 0.998
    assert ac.evaluate(s.replace(**{"send_host.instances": n - 1})).sla_availability < 0.998
    capped = ac.size_instances(s, instances_down=1, sla_target=0.9995)
    assert not capped.feasible and "destination endpoint" in capped.reason
    assert math.isfinite(capped.sla_availability)
    with pytest.raises(ValueError, match="sla_target"):
        ac.size_instances(s, sla_target=1.5)


def test_repr_shows_parts_and_the_crew_rule():
    text = repr(ac.evaluate(ac.load_preset("http_scaled_out_2node_tuned")))
    assert "(MessageBox 13.4, send tier 0.117, destination 526)" in text.replace("13.3", "13.4")
    assert "SLA availability 99.880 % incl. backlog drain" in text
    assert "2 repair crews" in text
