"""Post-outage backlog: the fluid formulas against a hand calculation and the simulation."""

import math

import pytest

from availcalc.model.evaluate import evaluate
from availcalc.model.presets import load_preset
from availcalc.model.schema import Scenario


def test_backlog_sla_downtime_by_hand():
    # Only an endpoint can fail; outages Exp(mean m = 0.5 h) at rate ω = (1 − A)/m.
    s = Scenario.from_dict(
        {
            "workload": {"arrival_rate_per_s": 30.0, "latency_target_s": 2.0},
            "send_host": {
                "instances": 3,
                "concurrency": 10,
                "service_time_s": 0.1,
                "mttf_h": 1e6,
                "mttr_h": 0.01,
            },
            "destination": {"kind": "endpoint", "availability": 0.999, "mttr_h": 0.5},
        }
    )
    ev = evaluate(s)
    lam, x, d, m = 30.0, 300.0, 2.0, 1800.0
    omega = 0.001 / 0.5 / 3600.0  # per second
    window = lam * m * math.exp(-x * d / (lam * m)) / (x - lam)
    send = ev.downtime_breakdown.set_index("component").loc["send host instances"]
    # the send tier adds a (tiny) term of the same form with one instance's capacity (100/s)
    w_send = (
        send["outages_per_year"]
        / (8760 * 3600)
        * (
            lam
            * send["mean_outage_min"]
            * 60
            * math.exp(-100 * d / (lam * send["mean_outage_min"] * 60))
            / (100 - lam)
        )
    )
    expected = (omega * window + w_send) * 525_600
    assert ev.backlog_sla_downtime_min_per_year == pytest.approx(expected, rel=1e-9)
    # the headline SLA figure includes the backlog; the quasi-steady one leaves it out
    assert ev.sla_availability == pytest.approx(
        ev.sla_availability_excluding_backlog - expected / 525_600, rel=1e-12
    )
    assert ev.sla_downtime_min_per_year == pytest.approx(
        ev.sla_downtime_excluding_backlog_min_per_year + expected, rel=1e-12
    )


@pytest.mark.slow
@pytest.mark.parametrize("outage_s", [120.0, 1800.0])
def test_late_window_matches_the_outage_simulation(outage_s):
    from availcalc.simulation import simulate_outage

    s = load_preset("e2e_messagebox_sql_fci")
    impact = evaluate(s).backlog_after_outage(outage_s)
    sim = simulate_outage(s, outage_s, replications=10, seed=3)
    est = sim.sla_seconds_missed_per_outage
    # the fluid window vs the simulated extra SLA time per outage (messages in the system)
    assert est.low * 0.98 <= impact.late_window_s <= est.high * 1.02
