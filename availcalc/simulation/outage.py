r"""A short joint run: messages through one outage of the path (tests the decomposition).

:func:`availcalc.evaluate` assumes quasi-steady state: the queues settle at once after every
failure or repair, so an outage costs exactly its own duration and nothing after it. Here
messages and an outage share one run, so the transient the decomposition ignores is measured:

* the path serves normally (everything up) until the queues are in steady state;
* at :math:`t_0` every station stops for ``outage_s`` seconds (a failover, a convergence, …):
  messages keep arriving, services in progress are interrupted and restarted from scratch at
  :math:`t_1 = t_0 + T` (a transactional send is retried), nothing starts meanwhile;
* after :math:`t_1` the backlog drains through the stations.

Measured per replication: the backlog the outage leaves (messages in the system at
:math:`t_1` minus those just before :math:`t_0`; fluid value :math:`\lambda T`), the drain time
(from :math:`t_1` until the number in the system first falls back to its value before the
outage; fluid value :math:`\lambda T / (X - \lambda)`, :meth:`Evaluation.backlog_after_outage`),
and the **late messages after the outage**: messages arriving after :math:`t_1` whose latency
exceeds the target, in excess of the steady-state rate. The quasi-steady-state model counts none
of them, so ``late_after / λ`` seconds per outage is the SLA time it misses.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from availcalc._validation import check_choice, check_positive, scalar
from availcalc.model.evaluate import check_scenario, evaluate
from availcalc.model.schema import Scenario
from availcalc.simulation._args import (
    MAX_MESSAGES,
    MAX_REPLICATIONS,
    check_confidence,
    check_count,
    check_queue_work,
    check_seed,
)
from availcalc.simulation._parallel import run_tasks
from availcalc.simulation._stats import Estimate, t_interval
from availcalc.simulation.distributions import Distribution
from availcalc.simulation.queue import Station
from availcalc.simulation.scenario_sim import _Plan

__all__ = ["OutageSimulation", "simulate_outage"]


def _departures_with_outage(
    arrivals: np.ndarray, service: np.ndarray, servers: int, t0: float, t1: float
) -> np.ndarray:
    """FCFS departures when no service may run in [t0, t1) (interrupted ones restart at t1)."""
    free = [0.0] * servers
    out = np.empty(arrivals.size)
    replace = heapq.heapreplace
    for i, (a, s) in enumerate(zip(arrivals.tolist(), service.tolist(), strict=True)):
        f = free[0]
        start = a if a > f else f
        d = t1 + s if (start < t1 and start + s > t0) else start + s
        replace(free, d)
        out[i] = d
    return out


@dataclass(frozen=True)
class _OutageTask:
    arrival_rate: float
    arrival: Distribution
    stations: tuple[Station, ...]
    outage_s: float
    warmup_messages: int
    after_s: float
    target_s: float
    seed: np.random.SeedSequence


def _run_outage(task: _OutageTask) -> dict[str, float]:
    rng = np.random.default_rng(task.seed)
    lam = task.arrival_rate
    arrival = task.arrival.with_mean(1.0 / lam)
    n_est = int(task.warmup_messages * 1.2 + lam * (task.outage_s + task.after_s) * 1.2 + 100)
    a = np.cumsum(arrival.sample(rng, n_est))
    t0 = float(a[task.warmup_messages])
    t1 = t0 + task.outage_s
    a = a[a < t1 + task.after_s]
    times, ids = a, np.arange(a.size)
    for st in task.stations:
        s = st.service.sample(rng, a.size)
        d = _departures_with_outage(times, s, st.servers, t0, t1)
        order = np.argsort(d, kind="stable")
        ids, times = ids[order], d[order]
    end = np.empty(a.size)
    end[ids] = times
    lat = end - a

    def in_system(t: float) -> int:
        return int(np.searchsorted(a, t, side="right") - np.searchsorted(times, t, side="right"))

    n0 = in_system(np.nextafter(t0, -math.inf))
    n1 = in_system(t1)
    # drain: first time after t1 that the count falls back to n0 (departures lower it)
    ev_t = np.concatenate([a[a > t1], times[times > t1]])
    ev_d = np.concatenate([np.ones(int(np.sum(a > t1))), -np.ones(int(np.sum(times > t1)))])
    order = np.argsort(ev_t, kind="stable")
    level = n1 + np.cumsum(ev_d[order])
    hit = np.flatnonzero(level <= n0)
    drain = float(ev_t[order][hit[0]] - t1) if hit.size else math.inf
    first = task.warmup_messages // 4
    settle = 20.0 * float(np.mean(lat[first : task.warmup_messages]))
    pre = (np.arange(a.size) >= first) & (a < t0 - settle)
    p_ss = float(np.mean(lat[pre] > task.target_s)) if pre.any() else 0.0
    post = a >= t1
    late_after = float(np.sum(lat[post] > task.target_s) - p_ss * np.sum(post))
    return {"backlog": float(n1 - n0), "drain_s": drain, "late_after": late_after}


@dataclass(frozen=True)
class OutageSimulation:
    """Result of :func:`simulate_outage` (estimates over independent replications).

    Attributes
    ----------
    outage_s : float
        Outage length [s].
    backlog_messages : Estimate
        Messages added to the system by the outage [msg]; fluid value λT.
    drain_time_s : Estimate
        Time after the outage until the number in the system is back to its pre-outage
        value [s]; fluid value λT/(X − λ).
    late_after_outage : Estimate
        Messages arriving *after* the outage that miss the latency target, beyond the
        steady-state rate [msg per outage]; quasi-steady state assumes 0.
    sla_seconds_missed_per_outage : Estimate
        ``late_after_outage`` / λ: the SLA time per outage the decomposition does not count [s].
    analytic_backlog_messages, analytic_drain_time_s : float
        The fluid values of :meth:`Evaluation.backlog_after_outage`.
    """

    outage_s: float
    backlog_messages: Estimate
    drain_time_s: Estimate
    late_after_outage: Estimate
    sla_seconds_missed_per_outage: Estimate
    analytic_backlog_messages: float
    analytic_drain_time_s: float


def simulate_outage(
    scenario: Scenario,
    outage_s: float,
    *,
    replications: int = 20,
    warmup_messages: int = 5_000,
    after_s: float | None = None,
    service_distribution: str = "gamma",
    confidence: float = 0.95,
    seed: int | np.random.SeedSequence | None = None,
    n_jobs: int | None = 1,
    client: Any = None,
) -> OutageSimulation:
    r"""Simulate messages through one outage of the whole path; measure backlog and drain.

    Parameters
    ----------
    scenario : Scenario
        The scenario (its all-up configuration must be stable).
    outage_s : float
        Outage length [s], > 0 (e.g. ``send_host.failover_s``).
    replications : int
        Independent replications, >= 2.
    warmup_messages : int
        Messages before the outage (steady state is reached well before), >= 100.
    after_s : float, optional
        Simulated time after the outage [s]; default five fluid drain times plus 200 mean
        latencies (at least 60 s).
    service_distribution : {"gamma", "lognormal"}
        Send-time family when its SCV is neither 0 nor 1.
    confidence : float
        Confidence level of the intervals.
    seed : int or SeedSequence, optional
        Seed (identical results on every backend).
    n_jobs : int or None
        Local worker processes (1: this process; None or -1: every core).
    client : dask.distributed.Client, optional
        Run the replications on a Dask cluster.

    Returns
    -------
    OutageSimulation

    Raises
    ------
    ValueError
        If the all-up path is overloaded (no drain), or for an invalid argument.

    Examples
    --------
    A 60 s failover of the clustered MSMQ tier at 100 msg/s leaves 6000 messages, which the
    600 msg/s MessageBox drains in about 6000/(600 − 100) = 12 s:

    >>> from availcalc import load_preset
    >>> from availcalc.simulation import simulate_outage
    >>> r = simulate_outage(load_preset("msmq_clustered_active_passive"), 60.0,
    ...                     replications=5, seed=1)
    >>> round(r.analytic_drain_time_s, 1), bool(abs(r.drain_time_s.mean - 12.0) < 1.0)
    (12.0, True)
    """
    check_scenario(scenario)
    outage_s = scalar("outage_s", outage_s, check_positive)
    replications = check_count("replications", replications, 2, MAX_REPLICATIONS)
    warmup_messages = check_count("warmup_messages", warmup_messages, 100, MAX_MESSAGES)
    if after_s is not None:
        after_s = scalar("after_s", after_s, check_positive)
    check_choice("service_distribution", service_distribution, ("gamma", "lognormal"))
    confidence, seed = check_confidence(confidence), check_seed(seed)
    ev = evaluate(scenario)
    if not ev.stable:
        raise ValueError(
            "scenario: the path is overloaded "
            f"(λ = {scenario.workload.arrival_rate_per_s:g} msg/s >= capacity "
            f"{ev.capacity_per_s:.4g} msg/s): a backlog never drains"
        )
    w = scenario.workload
    lam = w.arrival_rate_per_s
    plan = _Plan.of(scenario, service_distribution, 1.0)
    stations: Sequence[Station] = plan.configs[plan.full_key].stations
    impact = ev.backlog_after_outage(outage_s)
    if after_s is None:
        after_s = max(60.0, 5.0 * impact.drain_time_s + 200.0 * ev.mean_latency_s)
    messages = warmup_messages + lam * (outage_s + after_s)
    check_queue_work(messages, replications, len(stations), "recursion", "outage_s and after_s")
    arrival = Distribution.from_scv(w.arrival_scv, None, "gamma")
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    tasks = [
        _OutageTask(
            lam,
            arrival,
            tuple(stations),
            float(outage_s),
            warmup_messages,
            float(after_s),
            w.latency_target_s,
            c,
        )
        for c in root.spawn(replications)
    ]
    runs = run_tasks(_run_outage, tasks, n_jobs, client)
    late = np.array([r["late_after"] for r in runs])
    return OutageSimulation(
        outage_s=float(outage_s),
        backlog_messages=t_interval([r["backlog"] for r in runs], confidence),
        drain_time_s=t_interval([r["drain_s"] for r in runs], confidence),
        late_after_outage=t_interval(late, confidence),
        sla_seconds_missed_per_outage=t_interval(late / lam, confidence),
        analytic_backlog_messages=impact.backlog_messages,
        analytic_drain_time_s=impact.drain_time_s,
    )
