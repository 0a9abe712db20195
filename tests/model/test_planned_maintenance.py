"""Planned maintenance on every topology (issue 19.4).

A BizTalk cumulative update with SQL scripts stops every host instance of the group
(Microsoft support article 2003907); every SQL patch failover recycles the host instances; a
scaled-out host is patched by rolling reboots at N − 1 instances. The yearly totals are
rate × mean length (renewal-reward theorem, Ross, *Introduction to Probability Models*, 11th
ed., 2014, §7.4); a hand-written event simulation checks them independently.
"""

from __future__ import annotations

import numpy as np
import pytest

import availcalc as ac

MIN_PER_H = 60.0


def _scaled_out(**send_host) -> ac.Scenario:
    base = ac.load_preset("http_scaled_out_2node_tuned")
    return base.replace(**{f"send_host.{k}": v for k, v in send_host.items()})


def test_totals_are_rate_times_length_for_each_kind_of_planned_work():
    s = _scaled_out(
        rolling_reboots_per_year=12, reboot_h=0.25, group_stops_per_year=4, group_stop_h=1.5
    ).replace(**{"messagebox.patch_failovers_per_year": 24})
    ev = ac.evaluate(s)
    mb = s.messagebox
    down = 4 * 1.5 * MIN_PER_H + 24 * (mb.failover_s + mb.host_restart_s) / 60.0
    assert ev.planned_downtime_min_per_year == pytest.approx(down, rel=1e-15)
    short = 12 * s.send_host.instances * 0.25 * MIN_PER_H
    assert ev.planned_one_short_min_per_year == pytest.approx(short, rel=1e-15)
    # one down meets the 2 s target here: the short time costs no SLA time
    assert ev.latency_one_down_s <= s.workload.latency_target_s
    assert ev.planned_sla_missed_min_per_year == pytest.approx(down, rel=1e-15)


def test_short_time_counts_as_sla_missed_when_one_down_misses_the_target():
    s = _scaled_out(rolling_reboots_per_year=12, reboot_h=0.25).replace(
        **{"workload.latency_target_s": 0.2, "messagebox.patch_failovers_per_year": 0}
    )
    ev = ac.evaluate(s)
    assert ev.latency_one_down_s > 0.2
    expected = ev.planned_downtime_min_per_year + ev.planned_one_short_min_per_year
    assert ev.planned_sla_missed_min_per_year == pytest.approx(expected, rel=1e-15)


def test_a_single_instance_is_down_for_its_reboots():
    s = _scaled_out(
        instances=1, rolling_reboots_per_year=12, reboot_h=0.5, group_stops_per_year=0
    ).replace(messagebox=None)
    ev = ac.evaluate(s)
    assert ev.planned_downtime_min_per_year == pytest.approx(12 * 0.5 * MIN_PER_H, rel=1e-15)
    assert ev.planned_one_short_min_per_year == 0.0


def test_a_clustered_host_is_patched_by_its_failovers_and_ignores_rolling_reboots():
    s = ac.load_preset("msmq_clustered_active_passive").replace(messagebox=None)
    s = s.replace(**{"send_host.group_stops_per_year": 0.0})
    ev = ac.evaluate(s)
    h = s.send_host
    assert ev.planned_downtime_min_per_year == pytest.approx(
        h.planned_failovers_per_year * h.failover_s / 60.0, rel=1e-15
    )
    assert "send_host.rolling_reboots_per_year" in ac.inapplicable_fields(s)
    ev2 = ac.evaluate(s.replace(**{"send_host.rolling_reboots_per_year": 50.0}))
    assert ev2.planned_downtime_min_per_year == ev.planned_downtime_min_per_year


def test_no_planned_work_costs_nothing_and_availability_never_moves():
    s = _scaled_out(rolling_reboots_per_year=0, group_stops_per_year=0).replace(
        **{"messagebox.patch_failovers_per_year": 0}
    )
    ev = ac.evaluate(s)
    assert ev.planned_downtime_min_per_year == 0.0
    assert ev.planned_sla_missed_min_per_year == 0.0
    busy = ac.evaluate(_scaled_out(rolling_reboots_per_year=40, group_stops_per_year=9))
    assert busy.availability == ev.availability  # planned work is reported beside it


def test_sweeps_vectorise_the_planned_inputs():
    s = _scaled_out(reboot_h=0.25)
    df = ac.sweep(s, {"send_host.rolling_reboots_per_year": [0.0, 6.0, 12.0]})
    short = df["planned_one_short_min_per_year"].to_numpy()
    np.testing.assert_allclose(short, [0.0, 6 * 2 * 15.0, 12 * 2 * 15.0], rtol=1e-15)


def test_rolling_reboots_against_an_event_simulation():
    """Rounds as a Poisson process, each rebooting N instances one after another for
    exponential times: the simulated time one short matches rate × N × mean."""
    rng = np.random.default_rng(7)
    rate, n, mean_h, years = 12.0, 3, 0.25, 20_000
    rounds = rng.poisson(rate * years)
    short_h = rng.exponential(mean_h, size=(rounds, n)).sum()
    simulated = short_h * MIN_PER_H / years
    se = np.sqrt(rounds * n * 2 * mean_h**2) * MIN_PER_H / years  # Var of a compound sum
    ev = ac.evaluate(_scaled_out(instances=n, rolling_reboots_per_year=rate, reboot_h=mean_h))
    assert abs(ev.planned_one_short_min_per_year - simulated) < 4 * se
