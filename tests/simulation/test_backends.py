"""Same seed, same numbers: serially, on local processes and on a Dask cluster; engines agree."""

import math

import pytest

from availcalc import load_preset
from availcalc.simulation import (
    Distribution,
    Station,
    monte_carlo_availability,
    simulate,
    simulate_queue,
)

SMALL = {"replications": 4, "years": 20.0, "messages": 2_000}


def _numbers(sim):
    return sim.summary().drop(columns=[]).to_numpy().tolist()


def test_identical_results_serial_processes_and_dask():
    distributed = pytest.importorskip("distributed")
    s = load_preset("sharepoint_2x_nlb3")
    serial = simulate(s, seed=7, n_jobs=1, **SMALL)
    procs = simulate(s, seed=7, n_jobs=2, **SMALL)
    assert _numbers(serial) == _numbers(procs)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = simulate(s, seed=7, client=client, **SMALL)
        mc = monte_carlo_availability(s, years=20, replications=3, seed=8, client=client)
    assert _numbers(serial) == _numbers(on_dask)
    mc_local = monte_carlo_availability(s, years=20, replications=3, seed=8, n_jobs=1)
    assert mc.availability == mc_local.availability


def test_different_seeds_differ_and_none_is_random():
    s = load_preset("ordered_send_port")
    a = simulate(s, seed=1, n_jobs=1, **SMALL)
    b = simulate(s, seed=2, n_jobs=1, **SMALL)
    assert a.mean_latency_s.mean != b.mean_latency_s.mean


def test_ciw_engine_agrees_with_the_recursion():
    pytest.importorskip("ciw")
    st = [Station(Distribution.exponential(0.1), 1), Station(Distribution.gamma(2.0, 0.5), 4)]
    kw = {"messages": 2_000, "replications": 6, "seed": 3, "confidence": 0.99, "n_jobs": 1}
    ciw_res = simulate_queue(5.0, st, engine="ciw", **kw)
    rec = simulate_queue(5.0, st, engine="recursion", **kw)
    d = ciw_res.mean_latency_s.mean - rec.mean_latency_s.mean
    se = math.hypot(ciw_res.mean_latency_s.std_error, rec.mean_latency_s.std_error)
    assert abs(d) < 4 * se
    # the theory: M/M/1 (1/(10-5)) + M/G/4 at low load ~ its service mean 0.5 (+ tiny wait)
    assert 0.2 + 0.5 < rec.mean_latency_s.high
    assert ciw_res.stations.shape[0] == 2


def test_simpy_failure_engine_agrees_with_the_default():
    s = load_preset("msmq_clustered_active_passive")
    a = monte_carlo_availability(s, years=300, replications=6, seed=4, n_jobs=2)
    b = monte_carlo_availability(s, years=300, replications=6, seed=4, engine="simpy", n_jobs=2)
    d = a.unavailability.mean - b.unavailability.mean
    se = math.hypot(a.unavailability.std_error, b.unavailability.std_error)
    assert abs(d) < 4 * se
