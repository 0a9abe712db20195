"""The simulators against queueing and reliability theory (closed forms computed here).

Every check is "the theoretical value lies in the simulation's confidence interval" with a fixed
seed, so the tests are deterministic; the interval levels (99 % or more) keep the chance that a
correct simulator fails any one check small.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from availcalc import ActivePassive, Component, KofN, NLBPool, series
from availcalc.simulation import Distribution, Station, monte_carlo_availability, simulate_queue
from availcalc.simulation._stats import poisson_interval, t_interval
from availcalc.simulation.failure import leaf_dists, leaf_trajectory

EXP = Distribution.exponential


def erlang_c(c, a):
    """Erlang C by the Erlang B recursion B_k = a B_{k-1} / (k + a B_{k-1})."""
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    rho = a / c
    return b / (1.0 - rho * (1.0 - b))


# ----------------------------------------------------------------------------- queues


def test_mm1_mean_sojourn_is_one_over_mu_minus_lambda():
    lam, mu = 0.8, 1.0
    res = simulate_queue(
        lam, [Station(EXP(1 / mu), 1)], messages=50_000, replications=10, seed=11, confidence=0.99
    )
    assert 1 / (mu - lam) in res.mean_latency_s
    # M/M/1 sojourn is exponential(mu - lambda): p95 = ln(20)/(mu - lambda)
    assert math.log(20) / (mu - lam) in res.latency_percentile_s
    assert lam in res.throughput_per_s


@pytest.mark.parametrize(("lam", "mu", "c"), [(8.0, 1.0, 10), (35.0, 1 / 0.15 / 4, 40)])
def test_mmc_mean_wait_is_erlang_c(lam, mu, c):
    a = lam / mu
    pw = erlang_c(c, a)
    expected = 1 / mu + pw / (c * mu - lam)
    res = simulate_queue(
        lam, [Station(EXP(1 / mu), c)], messages=40_000, replications=10, seed=12, confidence=0.99
    )
    assert expected in res.mean_latency_s
    # response tail at t: P(T > t) for M/M/c FCFS (closed form, c*mu - lambda != mu)
    t = 3.0 / mu
    beta = c * mu - lam
    tail = math.exp(-mu * t) + pw * mu / (beta - mu) * (math.exp(-mu * t) - math.exp(-beta * t))
    res2 = simulate_queue(
        lam,
        [Station(EXP(1 / mu), c)],
        messages=40_000,
        replications=10,
        seed=13,
        target=t,
        confidence=0.99,
    )
    assert tail in res2.tail_probability


def test_md1_mean_wait_is_pollaczek_khinchine():
    lam, s = 0.7, 1.0
    rho = lam * s
    expected = s + rho * s / (2 * (1 - rho))  # P-K with c_s^2 = 0
    res = simulate_queue(
        lam,
        [Station(Distribution.deterministic(s), 1)],
        messages=40_000,
        replications=10,
        seed=14,
        confidence=0.99,
    )
    assert expected in res.mean_latency_s


def test_mm1_tandem_means_add():
    lam = 0.5
    res = simulate_queue(
        lam,
        [Station(EXP(1.0), 1, "a"), Station(EXP(1 / 1.5), 1, "b")],
        messages=40_000,
        replications=10,
        seed=15,
        confidence=0.99,
    )
    assert 1 / (1 - lam) + 1 / (1.5 - lam) in res.mean_latency_s
    st = res.stations.set_index("station")
    assert st.loc["a", "ci_low"] <= 2.0 <= st.loc["a", "ci_high"]


def test_overloaded_queue_delivers_its_capacity():
    res = simulate_queue(
        10.0, [Station(EXP(1.0), 4)], messages=20_000, replications=5, seed=16, confidence=0.99
    )
    assert 4.0 in res.throughput_per_s


def test_fcfs_recursion_matches_a_brute_force_event_list():
    rng = np.random.default_rng(5)
    from availcalc.simulation.queue import _fcfs_departures

    a = np.cumsum(rng.exponential(1.0, 300))
    s = rng.exponential(2.5, 300)
    for c in (1, 2, 3, 500):
        d = _fcfs_departures(a, s, c)
        free = [0.0] * c  # brute force: scan all servers
        ref = []
        for ai, si in zip(a, s, strict=True):
            j = min(range(c), key=free.__getitem__)
            start = max(ai, free[j])
            free[j] = start + si
            ref.append(free[j])
        np.testing.assert_allclose(d, ref, rtol=1e-12)


# ----------------------------------------------------------------------------- distributions


@pytest.mark.parametrize(
    "dist",
    [
        Distribution.weibull(0.7),
        Distribution.weibull(2.5),
        Distribution.lognormal(3.0),
        Distribution.gamma(0.25),
        Distribution.exponential(),
    ],
)
def test_distribution_mean_scv_and_equilibrium(dist):
    rng = np.random.default_rng(7)
    x = dist.sample(rng, 400_000, mean=2.0)
    assert x.mean() == pytest.approx(2.0, rel=0.02)
    assert x.var() / x.mean() ** 2 == pytest.approx(dist.scv, rel=0.08)
    # equilibrium mean = E[X^2] / (2 E[X]) = m (1 + scv) / 2
    e = dist.sample_equilibrium(rng, 400_000, mean=2.0)
    assert e.mean() == pytest.approx(2.0 * (1 + dist.scv) / 2, rel=0.03)


def test_weibull_shape_one_is_exponential():
    rng = np.random.default_rng(8)
    w = Distribution.weibull(1.0).sample(rng, 20_000, mean=3.0)
    assert stats.kstest(w, "expon", args=(0, 3.0)).pvalue > 0.01
    c = Component("c", 100.0, 5.0)
    r = monte_carlo_availability(
        c, years=200, replications=10, failure=Distribution.weibull(1.0), seed=9, n_jobs=1
    )
    assert c.availability in r.availability
    r_exp = monte_carlo_availability(c, years=200, replications=10, seed=9, n_jobs=1)
    # same model, two samplers: the estimates agree within their combined error
    diff = r.availability.mean - r_exp.availability.mean
    se = math.hypot(r.availability.std_error, r_exp.availability.std_error)
    assert abs(diff) < 4 * se


# ----------------------------------------------------------------------------- reliability


@pytest.mark.parametrize(
    "failure",
    [None, Distribution.weibull(0.6), Distribution.weibull(3.0), Distribution.lognormal(2.0)],
)
def test_single_component_availability_is_mttf_over_mttf_plus_mttr(failure):
    # alternating renewal theorem: A = E[up] / (E[up] + E[down]) for any distributions
    c = Component("c", 200.0, 4.0)
    r = monte_carlo_availability(
        c,
        years=300,
        replications=12,
        failure=failure,
        repair=Distribution.lognormal(1.5),
        seed=21,
        n_jobs=1,
        confidence=0.99,
    )
    assert 200.0 / 204.0 in r.availability
    # renewal theorem: failures per hour = 1 / (E[up] + E[down]); not a Poisson count unless
    # exponential, so the replication interval (not the Poisson one) applies
    assert 8760.0 / 204.0 in r.failures_per_year


@pytest.mark.parametrize(
    "block",
    [
        KofN(3, 2, 100.0, 5.0, crews=1),
        KofN(4, 2, 50.0, 5.0),
        NLBPool(3, 1, 300.0, 2.0, convergence_s=600.0),
        NLBPool(4, 2, 300.0, 2.0, convergence_s=600.0, crews=1),
        NLBPool(3, 1, 300.0, 2.0, 100.0, detection_s=500.0, outage_scope="whole_pool"),
        ActivePassive(300.0, 2.0, coverage=0.9, switchover_s=900.0, manual_failover_h=0.75),
        ActivePassive(300.0, 2.0, coverage=0.8, switchover_s=0.0, manual_failover_h=1.0, crews=2),
    ],
    ids=["kofn-crew", "kofn", "nlb", "nlb-crew", "nlb-whole-pool", "ap", "ap-instant-2crews"],
)
def test_blocks_match_their_ctmc(block):
    # shared crews run as SimPy processes (slower): fewer years, still ~10^5 failures
    years = 30 if block.crews is not None and not isinstance(block, ActivePassive) else 150
    r = monte_carlo_availability(block, years=years, replications=12, seed=31, confidence=0.999)
    assert block.unavailability in r.unavailability
    assert block.failure_frequency_per_h * 8760 in r.failures_per_year


def test_active_passive_state_probabilities_loop_and_simpy():
    b = ActivePassive(300.0, 2.0, coverage=0.9, switchover_s=900.0, manual_failover_h=0.75)
    pi = b.state_probabilities.to_numpy()
    d = leaf_dists(b)
    for engine in ("auto", "simpy"):
        fr = []
        for seed in range(6):
            tr = leaf_trajectory(b, d, 8760.0 * 120, np.random.default_rng(seed), engine)
            dur = np.diff(np.append(tr.times, tr.horizon))
            fr.append([dur[tr.values == k].sum() / tr.horizon for k in range(5)])
        fr = np.array(fr)
        for k in range(5):
            e = t_interval(fr[:, k], 0.999)
            assert pi[k] in e, (engine, k, pi[k], e)


def test_series_diagram_with_shared_leaf():
    a = Component("a", 100.0, 2.0)
    b = Component("b", 80.0, 1.0)
    sys = series(a, b, a)  # a used twice = one physical component
    r = monte_carlo_availability(sys, years=300, replications=10, seed=41, confidence=0.99)
    assert sys.availability in r.availability
    assert len(r.leaves) == 2


def test_deterministic_failover_changes_little_for_a_cluster():
    # with failovers far shorter than repairs, only the failover *mean* matters
    b = ActivePassive(500.0, 2.0, coverage=0.95, switchover_s=120.0, manual_failover_h=0.5)
    r = monte_carlo_availability(
        b, years=500, replications=12, failover=Distribution.deterministic(), seed=51,
        confidence=0.999,
    )  # fmt: skip
    assert b.unavailability in r.unavailability


def test_poisson_interval_zero_and_many():
    lo, hi = poisson_interval(0, 10.0, 0.95)
    assert lo == 0 and hi == pytest.approx(-math.log(0.025) / 10.0, rel=1e-9)
    lo, hi = poisson_interval(100, 1.0, 0.95)
    assert lo < 100 < hi and hi - lo == pytest.approx(2 * 1.96 * 10, rel=0.05)


@given(
    shape=st.floats(min_value=0.3, max_value=8.0),
    mean=st.floats(min_value=1e-3, max_value=1e4),
)
def test_weibull_parametrisation_keeps_mean_and_scv(shape, mean):
    # exact: scipy's Weibull with the scale Distribution uses has the requested mean and SCV
    scale = mean / math.gamma(1.0 + 1.0 / shape)
    w = stats.weibull_min(shape, scale=scale)
    assert w.mean() == pytest.approx(mean, rel=1e-12)
    assert w.var() / w.mean() ** 2 == pytest.approx(Distribution.weibull(shape).scv, rel=1e-9)
