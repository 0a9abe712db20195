"""evaluate(): the semantics of the sending-tier model, checked against the engines, hand
calculations and each other."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from availcalc.model.evaluate import evaluate
from availcalc.model.presets import load_preset, presets
from availcalc.model.schema import Scenario
from availcalc.queueing import MGc, MMc
from availcalc.reliability import ActivePassive, KofN, NLBPool

BARE = Scenario.from_dict(
    {
        "workload": {"arrival_rate_per_s": 40.0, "latency_target_s": 0.5},
        "send_host": {"instances": 3, "concurrency": 3, "service_time_s": 0.15},
    }
)


def _erlang_c(c, a):
    # Erlang B by the stable recursion, then C (GSTH 4th ed. eq. 2.33 / §2.3)
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    rho = a / c
    return b / (1 - rho * (1 - b))


def test_bare_send_stage_equals_mmc():
    """The model's send stage is M/M/c (to 1e-13: it evaluates through the batch kernels,
    ``MMc(...)`` on plain floats through the scalar ones; see test_mmc.py)."""
    ev = evaluate(BARE)
    q = MMc(40.0, 1 / 0.15, 9)
    assert ev.mean_latency_s == pytest.approx(q.mean_response, rel=1e-13)
    assert ev.latency_percentile_s == pytest.approx(q.response_percentile(0.95), rel=1e-13)
    assert ev.capacity_per_s == pytest.approx(9 / 0.15, rel=1e-15)
    assert ev.bottleneck == "send host"
    assert ev.utilization == pytest.approx(40 * 0.15 / 9, rel=1e-15)


def test_bare_send_stage_by_hand():
    # W = C/(cμ − λ) + 1/μ with C from the Erlang recursion
    c, mu, lam = 9, 1 / 0.15, 40.0
    w = _erlang_c(c, lam / mu) / (c * mu - lam) + 1 / mu
    assert evaluate(BARE).mean_latency_s == pytest.approx(w, rel=1e-12)


def test_non_exponential_service_uses_the_ggc_approximation():
    s = BARE.replace(**{"send_host.service_scv": 3.0})
    ev = evaluate(s)
    q = MGc(40.0, 1 / 0.15, 9, service_scv=3.0)
    assert ev.mean_latency_s == pytest.approx(q.mean_response, rel=1e-14)
    assert ev.latency_percentile_s == pytest.approx(q.response_percentile(0.95), rel=1e-12)
    assert ev.stages.loc[0, "model"] == q.method


def test_clustered_capacity_is_one_node():
    s = load_preset("msmq_clustered_active_passive")
    ev = evaluate(s)
    h = s.send_host
    send = ev.stages.set_index("stage").loc["send host", "capacity_per_s"]
    assert send == pytest.approx(h.concurrency / h.service_time_s)
    scaled = evaluate(s.replace(**{"send_host.handler": "scaled_out"}))
    assert scaled.stages.set_index("stage").loc["send host", "capacity_per_s"] == pytest.approx(
        2 * send
    )


def test_availability_is_the_series_of_blocks_by_hand():
    s = BARE.replace(destination={"kind": "endpoint", "availability": 0.999, "mttr_h": 0.5})
    ev = evaluate(s)
    h = s.send_host
    u_c = h.mttr_h / (h.mttf_h + h.mttr_h)
    u_send = u_c**3  # 1-of-3, one crew each (independent repair)
    u_ep = 0.001
    assert ev.unavailability == pytest.approx(u_ep + u_send - u_ep * u_send, rel=1e-12)
    assert ev.downtime_min_per_year == pytest.approx(ev.unavailability * 525_600, rel=1e-14)


def test_messagebox_cluster_uses_failover_plus_host_restart():
    s = load_preset("e2e_messagebox_sql_fci")
    mb = s.messagebox
    ev = evaluate(s)
    sql = ActivePassive(
        mb.mttf_h,
        mb.mttr_h,
        coverage=mb.coverage,
        switchover_s=mb.failover_s + mb.host_restart_s,
        manual_failover_h=mb.manual_failover_h,
    )
    row = ev.downtime_breakdown.set_index("component").loc["MessageBox SQL cluster"]
    assert row["unavailability"] == pytest.approx(sql.unavailability, rel=1e-12)
    storage = mb.storage_mttr_h / (mb.storage_mttf_h + mb.storage_mttr_h)
    row = ev.downtime_breakdown.set_index("component").loc["MessageBox shared storage"]
    assert row["unavailability"] == pytest.approx(storage, rel=1e-12)


def test_performability_by_hand_two_instances():
    # one instance alone cannot meet the target → SLA only in the "2 up" state
    s = Scenario.from_dict(
        {
            "workload": {"arrival_rate_per_s": 30.0, "latency_target_s": 0.35},
            "send_host": {
                "instances": 2,
                "concurrency": 4,
                "service_time_s": 0.1,
                "mttf_h": 100.0,
                "mttr_h": 5.0,
            },
        }
    )
    ev = evaluate(s)
    a = 100 / 105
    p2, p1 = a * a, 2 * a * (1 - a)
    assert MMc(30.0, 10.0, 8).response_percentile(0.95) <= 0.35
    assert MMc(30.0, 10.0, 4).response_percentile(0.95) > 0.35
    assert ev.sla_availability_excluding_backlog == pytest.approx(p2, rel=1e-12)
    assert ev.expected_throughput_fraction == pytest.approx(p2 + p1 * 1.0, rel=1e-12)
    # capacity of one instance (40/s) still carries 30/s: throughput kept, SLA lost
    s2 = s.replace(**{"workload.arrival_rate_per_s": 60.0, "workload.latency_target_s": 5.0})
    ev2 = evaluate(s2)
    assert ev2.expected_throughput_fraction == pytest.approx(p2 + p1 * 40 / 60, rel=1e-12)


def test_performability_clustered_states():
    s = load_preset("msmq_clustered_active_passive")
    ev = evaluate(s)
    h = s.send_host
    # repair_crews unset = one crew per node: 2 for the pair
    ap = ActivePassive(
        h.mttf_h,
        h.mttr_h,
        crews=2,
        coverage=h.coverage,
        switchover_s=h.failover_s,
        manual_failover_h=h.manual_failover_h,
    )
    sp = ap.state_probabilities
    serving = sp["both_up"] + sp["one_up_one_in_repair"]
    mb_avail = 1.0
    for _, row in ev.downtime_breakdown.iterrows():
        if row["component"].startswith("MessageBox"):
            mb_avail *= row["availability"]
    assert ev.expected_throughput_fraction == pytest.approx(serving * mb_avail, rel=1e-12)
    assert ev.sla_availability_excluding_backlog == pytest.approx(serving * mb_avail, rel=1e-12)
    mb = s.messagebox
    planned = (  # failovers x 60 s, quarterly 1 h group stops, SQL patch moves + host restart
        h.planned_failovers_per_year * h.failover_s / 60
        + h.group_stops_per_year * h.group_stop_h * 60
        + mb.patch_failovers_per_year * (mb.failover_s + mb.host_restart_s) / 60
    )
    assert planned == pytest.approx(24 + 240 + 36)
    assert ev.planned_downtime_min_per_year == pytest.approx(planned, rel=1e-15)


def test_nlb_destination_states_enter_performability():
    s = load_preset("sharepoint_2x_nlb3")
    d = s.destination
    ev = evaluate(s)
    pool = NLBPool(
        d.nodes, d.needed, d.mttf_h, d.mttr_h, d.convergence_s, detection_s=d.detection_s
    )
    kofn = KofN(2, 1, s.send_host.mttf_h, s.send_host.mttr_h)
    # the load (5/s) fits any up state, so throughput is lost only when something is down
    assert ev.expected_throughput_fraction == pytest.approx(
        kofn.availability * pool.availability, rel=1e-12
    )
    assert ev.availability == pytest.approx(kofn.availability * pool.availability, rel=1e-12)
    assert ev.sla_availability <= ev.expected_throughput_fraction * (1 + 1e-15)


def test_multi_stage_latency_adds_means_and_matches_simulation():
    # send M/M/1 then MessageBox M/M/1: by Reich's theorem the sojourns are independent, so
    # the sum of two exponentials is exact. Check mean and p95 against the closed form.
    s = Scenario.from_dict(
        {
            "workload": {"arrival_rate_per_s": 5.0, "latency_target_s": 2.0},
            "send_host": {"instances": 1, "concurrency": 1, "service_time_s": 0.1},
            "messagebox": {"capacity_per_s": 8.0, "ha": "none"},
        }
    )
    ev = evaluate(s)
    r1, r2 = 10 - 5, 8 - 5
    assert ev.mean_latency_s == pytest.approx(1 / r1 + 1 / r2, rel=1e-14)

    def tail(t):  # hypoexponential survival function
        return (r2 * math.exp(-r1 * t) - r1 * math.exp(-r2 * t)) / (r2 - r1)

    assert tail(ev.latency_percentile_s) == pytest.approx(0.05, abs=1e-9)
    assert ev.bottleneck == "MessageBox"


def test_max_load_meets_target_exactly():
    s = load_preset("http_scaled_out_2node_tuned")
    ev = evaluate(s)
    lam = ev.max_load_per_s(1)
    at = evaluate(s.replace(**{"workload.arrival_rate_per_s": lam}))
    assert at.latency_with_instances_down(1) == pytest.approx(s.workload.latency_target_s, rel=1e-7)
    above = evaluate(s.replace(**{"workload.arrival_rate_per_s": lam * 1.001}))
    assert above.latency_with_instances_down(1) > s.workload.latency_target_s
    assert ev.max_load_per_s(0) > lam
    with pytest.raises(ValueError, match=r"instances_down must be in \[0, 1\]"):
        ev.max_load_per_s(2)  # two instances down leaves none: no answer, not a silent 0


def test_backlog_after_outage():
    ev = evaluate(load_preset("e2e_messagebox_sql_fci"))
    out = ev.backlog_after_outage(600)
    assert out.backlog_messages == pytest.approx(60_000)
    assert out.drain_time_s == pytest.approx(60_000 / (ev.capacity_per_s - 100))
    assert out.crosses_threshold is True
    assert out.time_to_threshold_s == pytest.approx(500)
    with pytest.raises(ValueError, match="outage_s"):
        ev.backlog_after_outage(-1)


def test_messages_at_risk_by_hand():
    s = load_preset("msmq_nonclustered_3x")
    ev = evaluate(s)
    h, port = s.send_host, s.send_port
    kofn = KofN(3, 1, h.mttf_h, h.mttr_h)
    p = kofn.up_count_probabilities
    expected_up = sum(j * p[j] for j in range(4))
    crashes = expected_up / h.mttf_h * 8760
    w = MMc(100.0, 1 / 0.003, 24).mean_response
    assert ev.messages_at_risk_per_year == pytest.approx(
        crashes * (100 / 3) * (w + port.volatile_residence_s), rel=1e-12
    )
    assert evaluate(load_preset("msmq_clustered_active_passive")).messages_at_risk_per_year == 0


def test_default_http_preset_is_overloaded_by_maxconnection():
    ev = evaluate(load_preset("http_scaled_out_2node"))
    assert not ev.stable
    assert ev.capacity_per_s == pytest.approx(4 / 0.15)
    assert ev.mean_latency_s == math.inf and ev.latency_percentile_s == math.inf
    assert ev.sla_availability == 0.0
    assert "unstable" in repr(ev)


def test_ordered_port_is_one_server():
    s = load_preset("ordered_send_port")
    ev = evaluate(s)
    # μ = 1/(0.02 + 0.03) = 20/s, M/M/1 at λ = 15: W = 1/(μ − λ) = 0.2 s
    assert ev.mean_latency_s == pytest.approx(0.2, rel=1e-12)
    assert ev.latency_percentile_s == pytest.approx(-math.log(0.05) / 5, rel=1e-10)
    assert evaluate(s.replace(**{"send_host.instances": 6})).capacity_per_s == ev.capacity_per_s


@pytest.mark.parametrize("name", presets())
def test_every_preset_evaluates_to_sane_numbers(name):
    ev = evaluate(load_preset(name))
    for key in (
        "availability",
        "unavailability",
        "expected_throughput_fraction",
        "sla_availability",
    ):
        v = getattr(ev, key)
        assert 0.0 <= v <= 1.0, key
    assert ev.sla_availability <= ev.availability + 1e-15
    assert ev.expected_throughput_fraction <= ev.availability + 1e-15
    assert math.isclose(ev.states["probability"].sum(), 1.0, rel_tol=1e-12)
    assert ev.downtime_breakdown["share_of_downtime"].between(0, 1).all()
    d = ev.to_dict()
    assert d["results"]["capacity_per_s"] == pytest.approx(ev.capacity_per_s)
    assert set(ev.summary()["metric"]) >= {"availability", "sla_availability", "capacity_per_s"}


@given(
    name=st.sampled_from(presets()),
    n=st.integers(1, 7),
)
def test_adding_an_instance_never_hurts(name, n):
    s = load_preset(name)
    if s.send_host.handler == "clustered":
        return
    a = evaluate(s.replace(**{"send_host.instances": n}))
    b = evaluate(s.replace(**{"send_host.instances": n + 1}))
    # once the send tier's share is below double precision of the total, the two agree to
    # rounding (a few ulps); otherwise the decrease is strict
    assert b.unavailability <= a.unavailability * (1 + 1e-15)
    assert b.availability >= a.availability - 1e-15
    # multi-stage percentiles come from numerical Laplace inversion (relative error ~1e-10)
    assert b.latency_percentile_s <= a.latency_percentile_s * (1 + 1e-9)
    assert b.mean_latency_s <= a.mean_latency_s
    assert b.sla_availability >= a.sla_availability - 1e-15
    assert b.expected_throughput_fraction >= a.expected_throughput_fraction - 1e-15


@given(st.floats(0.05, 20.0))
def test_longer_repair_never_helps(mttr):
    s = load_preset("sharepoint_2x_nlb3")
    a = evaluate(s.replace(**{"send_host.mttr_h": mttr}))
    b = evaluate(s.replace(**{"send_host.mttr_h": mttr * 1.5}))
    assert b.unavailability >= a.unavailability
    assert b.sla_availability <= a.sla_availability


def test_states_table_for_the_performability_picture():
    ev = evaluate(load_preset("http_scaled_out_2node_tuned"))
    st_ = ev.states
    assert list(st_["instances_up"]) == [2, 1, 0]
    assert st_.loc[2, "capacity_per_s"] == 0 and np.isinf(st_.loc[2, "latency_percentile_s"])
    assert st_.loc[0, "latency_percentile_s"] == pytest.approx(ev.latency_percentile_s)


def test_endpoint_outages_outlasting_the_retries_by_hand():
    # Endpoint A = 0.999, MTTR 0.5 h: outages/yr = 8760 (1 − A)/MTTR; an exponential outage
    # outlasts the retry window W = 3 × 5 min with probability exp(−W/MTTR), and suspends
    # λ·E[(D − W)+] = λ·MTTR·exp(−W/MTTR) messages on average.
    s = load_preset("http_scaled_out_2node_tuned")
    ev = evaluate(s)
    outages = 8760 * 0.001 / 0.5
    p = math.exp(-0.25 / 0.5)
    assert ev.suspended_outages_per_year == pytest.approx(outages * p, rel=1e-9)
    assert ev.messages_suspended_per_year == pytest.approx(outages * 40 * 1800 * p, rel=1e-9)
    longer = evaluate(s.replace(**{"send_port.retry_count": 6}))
    assert longer.suspended_outages_per_year < ev.suspended_outages_per_year
    assert evaluate(BARE).messages_suspended_per_year == 0.0


def test_destination_states_table():
    s = load_preset("sharepoint_2x_nlb3")
    ev = evaluate(s)
    d = s.destination
    pool = NLBPool(
        d.nodes, d.needed, d.mttf_h, d.mttr_h, d.convergence_s, detection_s=d.detection_s
    )
    ds = ev.destination_states
    assert ds["probability"].sum() == pytest.approx(1.0, rel=1e-12)
    assert ds.loc[ds["serving"], "probability"].sum() == pytest.approx(pool.availability, rel=1e-12)
    assert (ds.loc[~ds["serving"], "capacity_per_s"] == 0).all()
    full = ds[(ds["nodes_up"] == 3) & ~ds["converging"]].iloc[0]
    assert full["latency_percentile_s"] == pytest.approx(ev.latency_percentile_s, rel=1e-9)
    assert evaluate(load_preset("msmq_nonclustered_3x")).destination_states.empty


@pytest.mark.parametrize("name", presets())
def test_path_measures_equal_the_reliability_diagram(name):
    # evaluate() uses the series formulas directly; the diagram (BDD) is the reference
    ev = evaluate(load_preset(name))
    sysm = ev.system
    assert ev.unavailability == pytest.approx(float(sysm.unavailability), rel=1e-12)
    assert ev.availability == pytest.approx(float(sysm.availability), rel=1e-15)
    assert ev.failures_per_year == pytest.approx(
        float(sysm.failure_frequency_per_h) * 8760, rel=1e-12
    )
