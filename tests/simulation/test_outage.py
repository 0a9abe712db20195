"""The short joint run: messages through one outage, against the fluid backlog/drain model."""

import numpy as np
import pytest

from availcalc import evaluate, load_preset
from availcalc.simulation import simulate_outage, validate
from availcalc.simulation.outage import _departures_with_outage


def test_no_service_runs_inside_the_outage_and_interrupted_ones_restart():
    a = np.array([0.0, 1.0, 2.0, 10.0])
    s = np.array([3.0, 1.0, 1.0, 1.0])
    d = _departures_with_outage(a, s, 1, 2.5, 6.0)
    # first service [0, 3) is cut at 2.5 and restarts at 6 -> 9; the next ones follow
    np.testing.assert_allclose(d, [9.0, 10.0, 11.0, 12.0])
    d2 = _departures_with_outage(a, s, 2, 2.5, 6.0)
    # two servers: [1, 2) finishes before the outage, [2, 3) is cut and restarts at 6 -> 7
    np.testing.assert_allclose(d2, [9.0, 2.0, 7.0, 11.0])


def test_large_backlog_drains_at_the_fluid_rate():
    # 60 s outage at 100 msg/s, MessageBox 600 msg/s: fluid drain 6000/(600-100) = 12 s
    s = load_preset("msmq_clustered_active_passive")
    r = simulate_outage(s, 60.0, replications=10, seed=5, confidence=0.99)
    assert r.analytic_drain_time_s == pytest.approx(12.0)
    assert 6000.0 in r.backlog_messages  # Poisson(λT) arrivals, nothing served meanwhile
    assert r.drain_time_s.mean == pytest.approx(12.0, rel=0.05)
    # the decomposition's blind spot: messages arriving after the outage are late too
    assert r.late_after_outage.low > 0


def test_short_outage_leaves_almost_nothing_late():
    s = load_preset("sharepoint_2x_nlb3")  # 8 s NLB convergence, 5 msg/s, 5 s target
    r = simulate_outage(s, 8.0, replications=10, seed=6)
    assert r.sla_seconds_missed_per_outage.mean < 1.0


def test_outage_errors_and_validate_rows():
    with pytest.raises(ValueError, match="overloaded"):
        simulate_outage(load_preset("http_scaled_out_2node"), 60.0)
    with pytest.raises(ValueError, match="outage_s"):
        simulate_outage(load_preset("ordered_send_port"), 0.0)
    df = validate(
        load_preset("ordered_send_port"),
        replications=3,
        years=10,
        messages=1_000,
        seed=1,
        n_jobs=1,
        outage_s=30.0,
    ).set_index("metric")
    ev = evaluate(load_preset("ordered_send_port"))
    assert df.loc["drain_time_s[outage 30 s]", "analytic"] == pytest.approx(
        ev.backlog_after_outage(30.0).drain_time_s
    )
    assert df.loc["sla_seconds_missed[outage 30 s]", "agrees"] is pd_na()


def pd_na():
    import pandas as pd

    return pd.NA
