"""size_instances and compare."""

import numpy as np
import pytest

from availcalc.model.evaluate import evaluate
from availcalc.model.planning import compare, size_instances
from availcalc.model.presets import load_preset
from availcalc.queueing import MMc


@pytest.mark.parametrize("k", [0, 1, 2])
def test_size_is_exact_no_off_by_one(k):
    s = load_preset("http_scaled_out_2node")
    sizing = size_instances(s, instances_down=k)
    n = sizing.instances
    target = s.workload.latency_target_s
    mu = 1 / s.send_host.service_time_s
    conc = s.send_host.concurrency
    # independent check with the bare M/M/c (no MessageBox/destination queueing matters here
    # beyond a tiny MessageBox term, so compare through evaluate as well)
    assert (
        evaluate(s.replace(**{"send_host.instances": n})).latency_with_instances_down(k) <= target
    )
    if n - 1 > k:
        worse = evaluate(s.replace(**{"send_host.instances": n - 1}))
        assert worse.latency_with_instances_down(k) > target
    assert MMc(40.0, mu, (n - k) * conc).stable


def test_size_with_availability_target_grows_until_met():
    s = load_preset("msmq_nonclustered_3x").replace(messagebox=None, **{"send_host.mttr_h": 48.0})
    base = size_instances(s, instances_down=1)
    target = 0.9999999
    sized = size_instances(s, instances_down=1, availability_target=target)
    assert sized.feasible and sized.instances >= base.instances
    assert sized.availability >= target
    prev = evaluate(s.replace(**{"send_host.instances": sized.instances - 1}))
    assert sized.instances == base.instances or prev.availability < target


def test_size_reports_infeasible_with_reason():
    s = load_preset("e2e_messagebox_sql_fci")
    sizing = size_instances(s, availability_target=0.999999)
    assert not sizing.feasible and sizing.instances is None
    assert "availability" in sizing.reason
    ordered = size_instances(
        load_preset("ordered_send_port").replace(**{"workload.latency_target_s": 0.1})
    )
    assert not ordered.feasible and "ordered port" in ordered.reason
    clustered = size_instances(load_preset("msmq_clustered_active_passive"), instances_down=2)
    assert not clustered.feasible and "cannot lose 2" in clustered.reason
    ok = size_instances(load_preset("msmq_clustered_active_passive"), instances_down=1)
    assert ok.feasible and ok.instances == 2


def test_size_rejects_bad_arguments():
    s = load_preset("msmq_nonclustered_3x")
    with pytest.raises(ValueError, match="instances_down"):
        size_instances(s, instances_down=-1)
    with pytest.raises(ValueError, match="availability_target"):
        size_instances(s, availability_target=1.0)


def test_compare_clustered_vs_scaled_out():
    df = compare(
        [load_preset("msmq_clustered_active_passive"), load_preset("msmq_nonclustered_3x")],
        ["clustered", "scaled out"],
    )
    assert df.loc["handler", "clustered"] == "clustered"
    assert df.loc["availability", "scaled out"] > df.loc["availability", "clustered"] - 1e-3
    assert df.loc["messages_at_risk_per_year", "clustered"] == 0
    assert df.loc["messages_at_risk_per_year", "scaled out"] > 0
    assert df.loc["downtime_min_per_year", "unit"] == "min/yr"
    with pytest.raises(ValueError, match="names"):
        compare([load_preset("msmq_nonclustered_3x")], ["a", "b"])
    with pytest.raises(ValueError, match="at least one"):
        compare([])


def test_infeasible_reasons_name_the_real_cause():
    s = load_preset("http_scaled_out_2node_tuned")
    slow = size_instances(s.replace(**{"workload.latency_target_s": 0.1}))
    assert not slow.feasible and "send time itself" in slow.reason
    capped = size_instances(s.replace(**{"workload.arrival_rate_per_s": 700.0}))
    assert not capped.feasible and "MessageBox caps capacity at 600" in capped.reason
    ordered = size_instances(
        load_preset("ordered_send_port").replace(**{"workload.latency_target_s": 0.1})
    )
    assert "ordered port" in ordered.reason


def test_compare_accepts_evaluations():
    s = load_preset("msmq_nonclustered_3x")
    ev = evaluate(s)
    a = compare([ev, s], ["evaluated", "scenario"])
    assert a.loc["availability", "evaluated"] == a.loc["availability", "scenario"]


def _walk(s, k):
    """The fewest instances meeting the latency target, by a linear walk of evaluate()."""
    for n in range(k + 1, 200):
        changes = {"send_host.instances": n}
        if s.send_host.repair_crews is not None and s.send_host.repair_crews > n:
            changes["send_host.repair_crews"] = n
        ev = evaluate(s.replace(**changes))
        if ev.latency_with_instances_down(k) <= s.workload.latency_target_s:
            return n, ev
    return None, None


@pytest.mark.parametrize(
    "name", ["http_scaled_out_2node", "msmq_nonclustered_3x", "sharepoint_full_path"]
)
def test_size_equals_a_linear_walk_of_evaluate(name):
    # the search starts at the stability bound and inverts the latency only: the same count,
    # latency and (on demand) evaluation as evaluating every count in turn
    s0 = load_preset(name)
    for scale in (0.2, 1.0, 4.0):
        s = s0.replace(**{"workload.arrival_rate_per_s": s0.workload.arrival_rate_per_s * scale})
        for k in (0, 1, 2):
            sizing = size_instances(s, instances_down=k)
            n, ev = _walk(s, k)
            assert sizing.instances == n, (scale, k)
            if n is None:
                continue
            assert sizing.latency_percentile_s == ev.latency_with_instances_down(k)
            assert sizing.scenario == ev.scenario
            assert sizing.availability == ev.availability
            assert sizing.sla_availability == ev.sla_availability
            assert sizing.evaluation.to_dict() == ev.to_dict()
            assert f"availability={ev.availability!r}" in repr(sizing)


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("x", "availability_target must be a number; got 'x'"),
        (np.array([0.9, 0.99]), "availability_target must be a single number"),
        (1.5, r"availability_target must be in the open interval \(0, 1\); got 1\.5"),
    ],
)
def test_a_bad_availability_target_is_named(value, match):
    """Issue 14: a string raised TypeError from '<', an array 'truth value is ambiguous'."""
    with pytest.raises(ValueError, match=match):
        size_instances(load_preset("http_scaled_out_2node_tuned"), 1, availability_target=value)
