r"""Simulate a scenario: the quasi-steady-state decomposition of :func:`availcalc.evaluate`.

Failures arrive every ~1000 h while a message takes milliseconds, so one joint run cannot cover
both scales. :func:`simulate` reproduces the decomposition the analytic model assumes, with
each part simulated instead of solved:

1. **Latency** (discrete-event, :mod:`availcalc.simulation.queue`): for every distinct serving
   configuration of the path — send servers ``c`` (active instances × concurrency, or 1 for an
   ordered port) and NLB nodes up — a tandem of FCFS stations in the order a message visits
   them: the MessageBox (1 server, exponential, rate ``capacity_per_s`` / (1 + σ(a − 1)) with
   a instances polling it, σ = ``contention_per_host``), the send stage
   (``c`` servers; service exponential for SCV 1, deterministic for 0, else gamma or lognormal
   with the configured SCV and mean ``service_time_s`` + ordered overhead) and the NLB pool (one
   exponential server per node up, rate ``capacity_per_node_per_s``). Arrivals are Poisson
   (or gamma renewal with ``arrival_scv``). Overloaded configurations (λ ≥ a station's capacity)
   have no steady state and are not simulated, except the all-up one whose measured throughput
   shows the capacity. An endpoint destination is a capacity limit, not a station.
2. **Failures and repairs** (:mod:`availcalc.simulation.failure`): the MessageBox cluster and
   storage, the send tier (independent instances, or the active/passive cluster) and the
   destination (endpoint outages, or NLB nodes with convergence outages) over many simulated
   years, independent of each other as in the analytic model.
3. **Performability**: each replication weighs the time spent in every joint failure state by
   that state's reward — throughput fraction min(λ, capacity)/λ (the long-run throughput of a
   work-conserving queue), and for the SLA availability whether *that replication's* simulated
   latency tail in the state's configuration meets the target — so the latency uncertainty
   enters the interval.
4. **Planned work**: every kind the analytic model counts is its own event stream over each
   replication's years, independent of the failures: group-wide stops
   (``send_host.group_stops_per_year``, mean ``group_stop_h``), SQL patch moves
   (``messagebox.patch_failovers_per_year``, mean failover + host restart), a clustered host's
   planned failovers (``send_host.planned_failovers_per_year``, mean ``failover_s``) and a
   scaled-out host's rolling reboots (``rolling_reboots_per_year``: each round takes the
   ``instances`` out one after another, ``reboot_h`` each; with one instance that is
   downtime, with more the host runs one instance short). Events arrive as a Poisson process
   at the yearly rate (a Poisson count, uniform start times) and last an exponential time with
   the given mean. The analytic totals are rate × mean length (renewal-reward theorem, Ross
   2014, §7.4 [2]_), which holds for any length distribution: the exponential choice sets only
   the spread of the simulated totals (compound Poisson, variance rate × years × E[L²], Ross
   2014, §5.4.2 [2]_), not their mean. The time one short misses the SLA in a replication
   where *that replication's* one-down queue run misses the latency target.

   **Overlaps are counted as the analytic model counts them**: planned work is separate from
   failures, additive and outside availability, so every planned event counts its full length
   on its own stream, whether or not a failure outage or other planned work overlaps it, and
   the failure trajectories never see planned work (for a given seed, availability and every
   failure metric are the same with and without it). What the additive treatment leaves out is
   measured beside it: planned downtime that fell in a failure outage of the path (counted in
   both ``downtime_min_per_year`` and ``planned_downtime_min_per_year``), and time one short
   while another send instance had failed (the host two short; with two instances the path is
   down, which neither metric counts).

Replication *r* is one failure trajectory, one planned-work draw and one queue run per
configuration, all seeded from child *r* of one :class:`numpy.random.SeedSequence`; intervals
are Student-t over replications (Law 2015, ch. 9 [1]_).

References
----------
.. [1] A. M. Law, *Simulation Modeling and Analysis*, 5th ed., McGraw-Hill, 2015, ch. 9.
.. [2] S. M. Ross, *Introduction to Probability Models*, 11th ed., Academic Press, 2014,
   §5.4.2 (compound Poisson process) and §7.4 (renewal reward processes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from availcalc._validation import check_choice
from availcalc.model.evaluate import check_scenario, evaluate
from availcalc.model.kinds import (
    TierStates,
    destination_kind,
    messagebox_database_rate,
    nlb_affinity,
)
from availcalc.model.reliability_part import Reliability
from availcalc.model.schema import Endpoint, NLBDestination, Scenario
from availcalc.simulation._args import (
    MAX_MESSAGES,
    MAX_REPLICATIONS,
    check_confidence,
    check_count,
    check_queue_work,
    check_seed,
    check_warmup,
    check_years,
)
from availcalc.simulation._parallel import run_tasks
from availcalc.simulation._stats import Estimate, poisson_interval, t_interval
from availcalc.simulation.distributions import Distribution
from availcalc.simulation.failure import (
    MAX_FAILURE_EVENTS,
    MAX_FAILURE_EVENTS_PER_REPLICATION,
    LeafDists,
    check_failure_work,
    leaf_dists,
    leaf_trajectory,
    leaf_units,
    leaf_up,
    merge,
    simulation_of,
)
from availcalc.simulation.montecarlo import FAILURE_ENGINES
from availcalc.simulation.queue import ENGINES, Station, _QueueTask, _run_queue
from availcalc.units import HOURS_PER_YEAR, MINUTES_PER_YEAR, SECONDS_PER_HOUR

__all__ = ["SimulationResult", "simulate"]


@dataclass(frozen=True)
class _Config:
    send_servers: int
    nodes: int
    stations: tuple[Station, ...]
    capacity: float  # smallest capacity including an endpoint limit [msg/s]
    stable: bool


@dataclass(frozen=True)
class _PlannedKind:
    """One stream of planned work: Poisson arrivals, exponential lengths (module docstring)."""

    name: str
    per_year: float  # events per year
    mean_h: float  # mean length of one interval [h]
    run: int  # intervals per event, one after another (the instances of a rolling reboot)
    short: bool  # True: one instance short; False: planned downtime


def _planned_work(scenario: Scenario) -> tuple[_PlannedKind, ...]:
    """Return the planned-work streams of ``scenario``: those the analytic model counts.

    As in :attr:`Batch.planned <availcalc.model.queueing_part.Batch.planned>`: group-wide stops
    and SQL patch moves on every topology, then a clustered host's planned failovers or a
    scaled-out host's rolling reboots. Streams with no events or zero length are left out.
    """
    h, mb = scenario.send_host, scenario.messagebox
    kinds = [_PlannedKind("group_stops", h.group_stops_per_year, h.group_stop_h, 1, False)]
    if mb is not None:
        move_h = Reliability(scenario).messagebox_planned_move_s / SECONDS_PER_HOUR
        kinds.append(
            _PlannedKind(
                "messagebox_patch_failovers", mb.patch_failovers_per_year, move_h, 1, False
            )
        )
    if h.handler_kind.planned_failovers:  # a clustered host is patched by its failovers
        move_h = h.failover_s / SECONDS_PER_HOUR
        kinds.append(
            _PlannedKind("planned_failovers", h.planned_failovers_per_year, move_h, 1, False)
        )
    else:  # a scaled-out host by rolling reboots, one instance at a time
        n = h.instances
        kinds.append(
            _PlannedKind("rolling_reboots", h.rolling_reboots_per_year, h.reboot_h, n, n >= 2)
        )
    return tuple(k for k in kinds if k.per_year > 0.0 and k.mean_h > 0.0)


def _check_planned_work(
    blocks: tuple[Any, ...],
    dists: tuple[LeafDists, ...],
    planned: tuple[_PlannedKind, ...],
    horizon_h: float,
    replications: int,
) -> None:
    """Refuse a run whose failure events plus planned intervals exceed the failure budgets.

    Planned intervals are drawn and searched like failure events, so they count against
    :data:`~availcalc.simulation.failure.MAX_FAILURE_EVENTS_PER_REPLICATION` and
    :data:`~availcalc.simulation.failure.MAX_FAILURE_EVENTS` together with the expected
    failure/repair events (``check_failure_work`` has checked those alone).
    """
    if not planned:
        return
    years = horizon_h / HOURS_PER_YEAR
    fail_per_h = sum(
        simulation_of(b).events_per_h(b, d) for b, d in zip(blocks, dists, strict=True)
    )
    plan_per_year = sum(k.per_year * k.run for k in planned)
    one = fail_per_h * horizon_h + plan_per_year * years
    if not one <= MAX_FAILURE_EVENTS_PER_REPLICATION:
        raise ValueError(
            f"years must keep one replication under {MAX_FAILURE_EVENTS_PER_REPLICATION:.0e} "
            f"failure/repair events and planned intervals; got {years:.4g} years ≈ {one:.3g} "
            f"({plan_per_year:.3g} planned intervals a year)"
        )
    if not one * replications <= MAX_FAILURE_EVENTS:
        raise ValueError(
            f"years × replications must keep the simulation under {MAX_FAILURE_EVENTS:.0e} "
            f"failure/repair events and planned intervals; got {years:.4g} years × "
            f"{replications} replications ≈ {one * replications:.3g}: use fewer years or "
            "replications"
        )


def _run_planned(
    kinds: tuple[_PlannedKind, ...],
    horizon: float,
    grid: np.ndarray,
    dur: np.ndarray,
    outage: np.ndarray,
    degraded: np.ndarray,
    rng: np.random.Generator,
) -> dict[str, Any]:
    r"""Draw the planned work of one replication and measure its overlaps with the failures.

    Each kind: :math:`K \sim \text{Poisson}(\text{rate} \times \text{years})` events with
    uniform start times on [0, horizon) (a Poisson process given its count), each ``run``
    exponential intervals one after another. The totals count every interval in full, also
    past the horizon (their sum over events arriving in [0, T] has mean rate × T × mean
    exactly). The overlaps use the intervals cut at the horizon, and the integral of the
    failure indicator (``outage`` or ``degraded`` per segment of ``grid``), piecewise linear
    between the grid points: the overlap of [a, b] is :math:`C(b) - C(a)`.
    """
    knots = np.append(grid, horizon)
    years = horizon / HOURS_PER_YEAR

    def integral(ind: np.ndarray) -> np.ndarray:
        return np.concatenate(([0.0], np.cumsum(np.where(ind, dur, 0.0))))

    c_out = integral(outage)
    c_deg = integral(degraded) if any(k.short for k in kinds) else None
    hours, events = [], []
    in_outage = with_failure = 0.0
    for k in kinds:
        count = int(rng.poisson(k.per_year * years))
        starts = rng.uniform(0.0, horizon, count)
        lengths = rng.exponential(k.mean_h, (count, k.run))
        hours.append(float(lengths.sum()))
        events.append(count)
        ends = starts[:, None] + np.cumsum(lengths, axis=1)
        a = np.minimum(ends - lengths, horizon).ravel()
        b = np.minimum(ends, horizon).ravel()
        if k.short:
            with_failure += float(np.sum(np.interp(b, knots, c_deg) - np.interp(a, knots, c_deg)))
        else:
            in_outage += float(np.sum(np.interp(b, knots, c_out) - np.interp(a, knots, c_out)))
    return {
        "planned_h": hours,
        "planned_events": events,
        "planned_in_outage_h": in_outage,
        "planned_short_with_failure_h": with_failure,
    }


@dataclass(frozen=True)
class _FailTask:
    leaves: tuple[Any, ...]
    dists: tuple[LeafDists, ...]
    roles: tuple[str, ...]  # "mb" | "send" | "dest" per leaf
    send_serving: np.ndarray  # sending instances, indexed by the send block's state code
    dest_pooled: bool  # whether the destination's capacity is per node up
    horizon_h: float
    engine: str
    seed: np.random.SeedSequence
    planned: tuple[_PlannedKind, ...] = ()
    full_active: int = 1  # sending instances with everything up
    planned_seed: np.random.SeedSequence | None = None  # its own stream: failures unchanged


def _run_task(task: Any) -> dict[str, Any]:
    return _run_queue(task) if isinstance(task, _QueueTask) else _run_fail(task)


def _hours_in(dur: np.ndarray, *codes: np.ndarray) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """Hours spent in each combination of small non-negative codes that occurs.

    One mixed-radix integer per segment (``ravel_multi_index``) and a ``bincount``, instead
    of sorting the rows: the combinations come in the lexicographic order of the rows of
    ``np.unique(np.stack(codes, axis=1), axis=0)``, and as ``bincount`` adds the hours in
    segment order either way, the sums are the same floating-point numbers.
    """
    shape = tuple(int(c.max()) + 1 for c in codes)
    flat = np.ravel_multi_index(codes, shape)
    seen = np.flatnonzero(np.bincount(flat, minlength=math.prod(shape)))
    hours = np.bincount(flat, weights=dur, minlength=math.prod(shape))[seen]
    return np.unravel_index(seen, shape), hours


def _run_fail(task: _FailTask) -> dict[str, Any]:
    rng = np.random.default_rng(task.seed)
    trajs = [
        leaf_trajectory(b, d, task.horizon_h, rng, task.engine)
        for b, d in zip(task.leaves, task.dists, strict=True)
    ]
    grid, dur, vals = merge(trajs)
    n = dur.size
    mb_up = np.ones(n, dtype=bool)
    send_code = np.zeros(n, dtype=np.int64)
    active = np.zeros(n, dtype=np.int64)
    dest_up = np.ones(n, dtype=bool)
    nodes = np.zeros(n, dtype=np.int64)
    leaf_down, leaf_outages = [], []
    for b, v, role in zip(task.leaves, vals, task.roles, strict=True):
        up = leaf_up(b, v)
        leaf_down.append(float(dur[~up].sum()))
        leaf_outages.append(int(np.count_nonzero(up[:-1] & ~up[1:])))
        if role == "mb":
            mb_up &= up
        elif role == "send":
            send_code = v
            active = task.send_serving[v]
        else:
            dest_up = up
            if task.dest_pooled:
                nodes = leaf_units(b, v)
    serving = mb_up & (active >= 1) & dest_up
    (s_, a_, m_), occ = _hours_in(dur, serving.astype(np.int64), active, nodes)
    (codes,), send_occ = _hours_in(dur, send_code)
    planned: dict[str, Any] = {}
    if task.planned:
        planned = _run_planned(
            task.planned,
            task.horizon_h,
            grid,
            dur,
            ~serving,
            active < task.full_active,
            np.random.default_rng(task.planned_seed),
        )
    return {
        "occupancy": list(zip(s_.tolist(), a_.tolist(), m_.tolist(), occ.tolist(), strict=True)),
        "send_occupancy": dict(zip(codes.tolist(), send_occ.tolist(), strict=True)),
        "outages": int(np.count_nonzero(serving[:-1] & ~serving[1:])),
        "leaf_down_h": leaf_down,
        "leaf_outages": leaf_outages,
        **planned,
    }


@dataclass(frozen=True)
class SimulationResult:
    """Result of :func:`simulate`: every headline metric as an :class:`Estimate`.

    Attributes
    ----------
    scenario : Scenario
        The scenario simulated.
    mean_latency_s, latency_percentile_s : Estimate
        End-to-end latency with everything up: mean and the ``workload.latency_percentile``
        quantile [s] (inf when the simulated throughput falls significantly short of λ).
    throughput_per_s : Estimate
        Messages delivered per second with everything up [msg/s].
    latency_one_down_s : Estimate or None
        The latency percentile with one send instance down [s] (scaled-out tiers with at
        least two instances).
    availability, downtime_min_per_year, failures_per_year : Estimate
        Path availability [-], downtime [min/yr], path outages [1/yr].
    expected_throughput_fraction, sla_availability_excluding_backlog : Estimate
        Performability measures as in :func:`availcalc.evaluate` [-]. The simulation runs
        each failure configuration as its own steady queue (the quasi-steady decomposition),
        so its SLA availability leaves out post-outage backlogs, like the analytic
        ``sla_availability_excluding_backlog``; :func:`simulate_outage` checks the backlog.
    planned_downtime_min_per_year, planned_one_short_min_per_year : Estimate
        Planned downtime and time one instance short [min/yr], from the planned-work streams
        (module docstring): every event's full length, overlaps included, as the analytic
        sums count them. 0 (an exact 0 interval) without planned work.
    planned_sla_missed_min_per_year : Estimate
        Planned downtime plus, in replications whose one-down queue run misses the latency
        target, the time one short [min/yr].
    planned_downtime_in_outage_min_per_year : Estimate
        The part of the planned downtime that fell in a failure outage of the path [min/yr]:
        counted in both ``downtime_min_per_year`` and ``planned_downtime_min_per_year``.
    planned_one_short_with_failure_min_per_year : Estimate
        The part of the time one short during which another send instance had failed
        [min/yr]: the host two short (with two instances: down), which no metric counts.
    outages : int
        Path outages observed over all replications.
    simulated_years : float
        Replications × years [yr].
    failures_per_year_exact : tuple of float
        Exact Poisson interval of the outage rate from the pooled count [1/yr].
    configurations : pandas.DataFrame
        Per serving configuration: send servers, NLB nodes, stability, simulated latency
        percentile and tail probability with CI, and the fraction of replications meeting
        the target. An overloaded configuration has latency inf, tail probability 1 and meets
        in no replication (its queue grows without bound); a stable one too rare to simulate
        (``simulated`` false) has NaN there: not simulated.
    send_states : pandas.DataFrame
        Simulated fraction of time in each send-tier state, with CI.
    planned_work : pandas.DataFrame
        Per planned-work stream: ``kind``, ``counts_as`` (``"downtime"`` or ``"one short"``),
        ``per_year``, ``mean_h``, ``intervals_per_event``, ``events`` (pooled over the
        replications) and its simulated ``min_per_year`` with ``ci_low``, ``ci_high``. Empty
        without planned work.
    components : pandas.DataFrame
        Simulated unavailability of each block, with CI.
    settings : dict
        The arguments of the run.
    """

    scenario: Scenario
    mean_latency_s: Estimate
    latency_percentile_s: Estimate
    throughput_per_s: Estimate
    latency_one_down_s: Estimate | None
    availability: Estimate
    downtime_min_per_year: Estimate
    failures_per_year: Estimate
    expected_throughput_fraction: Estimate
    sla_availability_excluding_backlog: Estimate
    planned_downtime_min_per_year: Estimate
    planned_one_short_min_per_year: Estimate
    planned_sla_missed_min_per_year: Estimate
    planned_downtime_in_outage_min_per_year: Estimate
    planned_one_short_with_failure_min_per_year: Estimate
    outages: int
    simulated_years: float
    failures_per_year_exact: tuple[float, float]
    configurations: pd.DataFrame = field(repr=False)
    send_states: pd.DataFrame = field(repr=False)
    components: pd.DataFrame = field(repr=False)
    planned_work: pd.DataFrame = field(repr=False)
    settings: dict[str, Any] = field(repr=False)

    def summary(self) -> pd.DataFrame:
        """Return metric, mean, ci_low, ci_high for every headline metric."""
        rows = []
        for key in (
            "throughput_per_s",
            "mean_latency_s",
            "latency_percentile_s",
            "latency_one_down_s",
            "availability",
            "downtime_min_per_year",
            "failures_per_year",
            "expected_throughput_fraction",
            "sla_availability_excluding_backlog",
            "planned_downtime_min_per_year",
            "planned_one_short_min_per_year",
            "planned_sla_missed_min_per_year",
        ):
            e = getattr(self, key)
            if e is not None:
                rows.append({"metric": key, "mean": e.mean, "ci_low": e.low, "ci_high": e.high})
        return pd.DataFrame(rows)


def _configs(scenario: Scenario, tier: TierStates, service: str) -> dict[tuple[int, int], _Config]:
    """Every serving configuration (send servers, NLB nodes up) of the path, with its stations."""
    w, h, port = scenario.workload, scenario.send_host, scenario.send_port
    lam = w.arrival_rate_per_s
    s_eff = h.service_time_s + (port.ordered_overhead_s if port.ordered_delivery else 0.0)
    send_dist = Distribution.from_scv(h.service_scv, s_eff, service)
    mb, d = scenario.messagebox, scenario.destination
    actives = sorted({int(a) for a in tier.serving if a >= 1})
    node_counts = list(range(d.needed, d.nodes + 1)) if isinstance(d, NLBDestination) else [0]
    out: dict[tuple[int, int], _Config] = {}
    for a in actives:
        c = 1 if port.ordered_delivery else a * h.concurrency
        for m in node_counts:
            if (c, m) in out:
                continue
            stations = []
            if mb is not None:
                # the a instances running poll it: C / (1 + σ(a − 1)), as the analytic model
                rate = float(messagebox_database_rate(mb.capacity_per_s, mb.contention_per_host, a))
                stations.append(Station(Distribution.exponential(1.0 / rate), 1, "MessageBox"))
            stations.append(Station(send_dist, c, "send host"))
            if m:
                rate = d.capacity_per_node_per_s  # type: ignore[union-attr]
                senders = 1 if port.ordered_delivery else a
                serving = int(nlb_affinity(d.affinity).reachable(m, senders))  # type: ignore[union-attr]
                stations.append(
                    Station(Distribution.exponential(1.0 / rate), serving, "destination")
                )
            caps = [st.capacity for st in stations]
            stable = all(lam < cap for cap in caps)
            if isinstance(d, Endpoint) and d.capacity_per_s is not None:
                caps.append(d.capacity_per_s)
            out[(c, m)] = _Config(c, m, tuple(stations), min(caps), stable)
    return out


def simulate(
    scenario: Scenario,
    *,
    replications: int = 20,
    years: float = 1000.0,
    messages: int = 20_000,
    warmup: float = 0.1,
    service_distribution: str = "gamma",
    engine: str = "recursion",
    failure_engine: str = "auto",
    failure: Any = None,
    repair: Any = None,
    failover: Any = None,
    manual: Any = None,
    confidence: float = 0.95,
    min_state_probability: float = 1e-9,
    seed: int | np.random.SeedSequence | None = None,
    n_jobs: int | None = None,
    client: Any = None,
) -> SimulationResult:
    r"""Simulate a scenario and estimate the metrics of :func:`availcalc.evaluate` with CIs.

    See the module docstring (:mod:`availcalc.simulation.scenario_sim`) for exactly what is
    simulated.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    replications : int
        Independent replications, >= 2 (each: one failure trajectory and one queue run per
        serving configuration).
    years : float
        Simulated failure/repair time per replication [yr].
    messages : int
        Messages per queue run (the first ``warmup`` fraction is discarded).
    warmup : float
        Warm-up fraction of each queue run, in [0, 0.9).
    service_distribution : {"gamma", "lognormal"}
        Family of the send time when its SCV is neither 1 (exponential) nor 0 (constant).
    engine : {"recursion", "ciw"}
        Queue simulation engine (:func:`~availcalc.simulation.simulate_queue`).
    failure_engine : {"auto", "simpy"}
        Failure/repair engine (:func:`~availcalc.simulation.monte_carlo_availability`).
    failure, repair, failover, manual : Distribution or dict, optional
        Non-exponential times, as in :func:`~availcalc.simulation.monte_carlo_availability`.
    confidence : float
        Confidence level of the intervals.
    min_state_probability : float
        Serving configurations whose analytic probability is below this get no queue runs
        (a tier of 100 instances has 100 of them); time the failure runs spend in them counts
        as missing the target and is reported in ``settings["hours_unsimulated"]``. With
        rolling reboots at two or more instances the one-down configuration is always
        simulated: their time one short is judged on it.
    seed : int or SeedSequence, optional
        Seed; identical results for a given seed on every backend.
    n_jobs : int or None
        Local worker processes (None or -1: every core; 1: this process).
    client : dask.distributed.Client, optional
        Run the replications on a Dask cluster.

    Returns
    -------
    SimulationResult

    Raises
    ------
    ValueError
        For an invalid argument.

    Examples
    --------
    >>> from availcalc import evaluate, load_preset
    >>> from availcalc.simulation import simulate
    >>> s = load_preset("ordered_send_port")
    >>> sim = simulate(s, replications=5, years=50, messages=5_000, seed=3, n_jobs=1)
    >>> ev = evaluate(s)
    >>> round(ev.mean_latency_s, 3), ev.mean_latency_s in sim.mean_latency_s
    (0.2, True)

    Planned work (4 group-wide stops of 1 h and 12 rolling reboots of 2 × 15 min a year) is
    rate × mean length: 240 min/yr of planned downtime, 360 one instance short:

    >>> planned = ev.planned_downtime_min_per_year, ev.planned_one_short_min_per_year
    >>> planned, planned[0] in sim.planned_downtime_min_per_year
    ((240.0, 360.0), True)
    """
    check_scenario(scenario)
    if not isinstance(scenario, Scenario):
        raise ValueError(f"scenario must be a Scenario; got {scenario!r}")
    mb = scenario.messagebox
    if mb is not None and mb.databases > 1:
        raise ValueError(
            "simulate models one MessageBox database (its queue runs are one tandem line; "
            "several databases split the messages at random over separate queues): "
            f"messagebox.databases must be 1 here; got {mb.databases} (the analytic "
            "evaluate() models several)"
        )
    if mb is not None and mb.contention_per_host > 0.0 and scenario.send_port.ordered_delivery:
        raise ValueError(
            "simulate runs one queue line per send-server count, and an ordered port has one "
            "server whatever the instances polling the MessageBox: "
            "messagebox.contention_per_host must be 0 with send_port.ordered_delivery here; "
            f"got {mb.contention_per_host:g} (the analytic evaluate() models it)"
        )
    check_choice("engine", engine, ENGINES)
    check_choice("failure_engine", failure_engine, FAILURE_ENGINES)
    check_choice("service_distribution", service_distribution, ("gamma", "lognormal"))
    replications = check_count("replications", replications, 2, MAX_REPLICATIONS)
    messages = check_count("messages", messages, 100, MAX_MESSAGES)
    warmup, confidence, seed = check_warmup(warmup), check_confidence(confidence), check_seed(seed)
    years = check_years(years)

    settings = {
        "replications": replications,
        "years": float(years),
        "messages": int(messages),
        "warmup": float(warmup),
        "service_distribution": service_distribution,
        "engine": engine,
        "failure_engine": failure_engine,
        "confidence": confidence,
        "seed": None if seed is None else (seed if isinstance(seed, int) else repr(seed)),
        "min_state_probability": min_state_probability,
    }
    plan = _Plan.of(scenario, service_distribution, min_state_probability)
    dists = tuple(leaf_dists(b, failure, repair, failover, manual) for b in plan.blocks)
    check_failure_work(plan.blocks, dists, years * HOURS_PER_YEAR, replications)
    _check_planned_work(plan.blocks, dists, plan.planned, years * HOURS_PER_YEAR, replications)
    steps = sum(len(plan.configs[key].stations) for key in plan.sim_keys)
    check_queue_work(messages, replications, steps, engine)
    tasks = _tasks(plan, dists, replications, years, messages, warmup, engine, failure_engine, seed)
    runs = run_tasks(_run_task, tasks, n_jobs, client)
    per = 1 + len(plan.sim_keys)
    fails = [runs[r * per] for r in range(replications)]
    queues = [dict(zip(plan.sim_keys, runs[r * per + 1 : (r + 1) * per], strict=True))
              for r in range(replications)]  # fmt: skip
    horizon = float(years) * HOURS_PER_YEAR
    latency = _latency_estimates(plan, queues, confidence)
    perf, unsimulated = _performability(plan, fails, queues, horizon, confidence)
    planned, planned_table = _planned_estimates(plan, fails, queues, float(years), confidence)
    count = int(sum(fr["outages"] for fr in fails))
    return SimulationResult(
        scenario=scenario,
        **latency,
        **perf,
        **planned,
        failures_per_year=t_interval(np.array([fr["outages"] for fr in fails]) / years, confidence),
        outages=count,
        simulated_years=float(years) * replications,
        failures_per_year_exact=poisson_interval(count, float(years) * replications, confidence),
        configurations=_configuration_table(plan, queues, confidence),
        send_states=_send_state_table(plan, fails, horizon, confidence),
        components=_component_table(plan, dists, fails, horizon, confidence),
        planned_work=planned_table,
        settings={**settings, "hours_unsimulated": unsimulated},
    )


@dataclass(frozen=True)
class _Plan:
    """What one simulation runs: the blocks, the serving configurations and which to queue."""

    scenario: Scenario
    blocks: tuple[Any, ...]
    roles: tuple[str, ...]
    tier: TierStates
    configs: dict[tuple[int, int], _Config]
    sim_keys: tuple[tuple[int, int], ...]
    full_key: tuple[int, int]
    one_down_key: tuple[int, int] | None
    planned: tuple[_PlannedKind, ...] = ()

    def servers(self, active: int) -> int:
        """Send servers with ``active`` instances sending (1 for an ordered port)."""
        s = self.scenario
        return 1 if s.send_port.ordered_delivery else active * s.send_host.concurrency

    @classmethod
    def of(cls, scenario: Scenario, service: str, min_state_probability: float) -> _Plan:
        h, d = scenario.send_host, scenario.destination
        ev = evaluate(scenario)
        blocks = tuple(ev.system.blocks)
        send_block = ev.send_block
        k = blocks.index(send_block)
        roles = tuple("send" if i == k else ("dest" if i > k else "mb") for i in range(len(blocks)))
        tier = h.handler_kind.tier(h)
        configs = _configs(scenario, tier, service)
        pooled = d is not None and destination_kind(d).pooled
        full_nodes = d.nodes if pooled else 0  # type: ignore[union-attr]
        plan = cls(scenario, blocks, roles, tier, configs, (), (0, 0), None)
        full_key = (plan.servers(h.active_instances), full_nodes)
        # analytic weight of every configuration: which are worth a queue run
        p_active: dict[int, float] = {}
        for a_, p_ in zip(tier.serving, tier.prob, strict=True):
            p_active[int(a_)] = p_active.get(int(a_), 0.0) + float(p_)
        p_nodes = {0: 1.0}
        if pooled:
            sp_ = blocks[-1].state_probabilities
            p_nodes = sp_.groupby("nodes_up")["probability"].sum().to_dict()
        weight: dict[tuple[int, int], float] = {}
        for a_ in range(1, max(p_active) + 1):
            for m_, pm in p_nodes.items():
                key_ = (plan.servers(a_), int(m_))
                if key_ in configs:
                    weight[key_] = weight.get(key_, 0.0) + p_active.get(a_, 0.0) * float(pm)
        sim_keys = tuple(
            key
            for key, c in configs.items()
            if key == full_key or (c.stable and weight.get(key, 0.0) >= min_state_probability)
        )
        one_down = h.handler_kind.active_with_down(h.instances, 1)
        one_down_key = None
        if h.handler_kind.instances_add_capacity and one_down >= 1:
            one_down_key = (plan.servers(one_down), full_key[1])
        planned = _planned_work(scenario)
        if (
            any(k.short for k in planned)
            and one_down_key in configs
            and one_down_key not in sim_keys
            and configs[one_down_key].stable
        ):  # appended, so the other configurations keep their seeds
            sim_keys = (*sim_keys, one_down_key)
        return cls(
            scenario, blocks, roles, tier, configs, sim_keys, full_key, one_down_key, planned
        )


def _tasks(
    plan: _Plan,
    dists: tuple[LeafDists, ...],
    replications: int,
    years: float,
    messages: int,
    warmup: float,
    engine: str,
    failure_engine: str,
    seed: Any,
) -> list[Any]:
    """One failure run and one queue run per simulated configuration, per replication."""
    w = plan.scenario.workload
    d = plan.scenario.destination
    arrival = Distribution.from_scv(w.arrival_scv, None, "gamma")
    horizon = float(years) * HOURS_PER_YEAR
    serving = plan.tier.serving_by_code
    pooled = d is not None and destination_kind(d).pooled
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    tasks: list[Any] = []
    full_active = int(plan.tier.serving[0])  # all up first
    for child in root.spawn(replications):
        sub = child.spawn(1 + len(plan.sim_keys))
        planned_seed = child.spawn(1)[0] if plan.planned else None  # after the others
        tasks.append(
            _FailTask(
                plan.blocks,
                dists,
                plan.roles,
                serving,
                pooled,
                horizon,
                failure_engine,
                sub[0],
                plan.planned,
                full_active,
                planned_seed,
            )
        )
        for key, ss in zip(plan.sim_keys, sub[1:], strict=True):
            tasks.append(
                _QueueTask(
                    w.arrival_rate_per_s,
                    arrival,
                    plan.configs[key].stations,
                    int(messages),
                    float(warmup),
                    w.latency_percentile,
                    w.latency_target_s,
                    engine,
                    ss,
                )
            )
    return tasks


def _series(queues: list[dict[Any, Any]], key: tuple[int, int], metric: str) -> np.ndarray:
    return np.array([qr[key][metric] for qr in queues])


def _latency_estimates(
    plan: _Plan, queues: list[dict[Any, Any]], confidence: float
) -> dict[str, Any]:
    """Throughput and latency at full strength, and the percentile with one instance down."""
    n = len(queues)
    inf = Estimate(math.inf, math.inf, math.inf, math.inf, n, confidence)
    thr = t_interval(_series(queues, plan.full_key, "throughput_per_s"), confidence)
    if not plan.configs[plan.full_key].stable:  # overloaded: the queue grows without bound
        mean_lat = pct = inf
    else:
        mean_lat = t_interval(_series(queues, plan.full_key, "mean_latency_s"), confidence)
        pct = t_interval(_series(queues, plan.full_key, "latency_percentile_s"), confidence)
    one_down = None
    key = plan.one_down_key
    if key is not None:
        one_down = inf
        if key in plan.sim_keys and plan.configs[key].stable:
            one_down = t_interval(_series(queues, key, "latency_percentile_s"), confidence)
    return {
        "mean_latency_s": mean_lat,
        "latency_percentile_s": pct,
        "throughput_per_s": thr,
        "latency_one_down_s": one_down,
    }


def _performability(
    plan: _Plan,
    fails: list[dict[str, Any]],
    queues: list[dict[Any, Any]],
    horizon: float,
    confidence: float,
) -> tuple[dict[str, Estimate], float]:
    """Availability, throughput fraction and SLA availability per replication, with CIs."""
    w = plan.scenario.workload
    lam, q = w.arrival_rate_per_s, w.latency_percentile
    avail, tp, sla, downtime = [], [], [], []
    unsimulated = 0.0
    for fr, qr in zip(fails, queues, strict=True):
        a_h = tp_h = sla_h = 0.0
        for serving, active, nodes, hours in fr["occupancy"]:
            if not serving:
                continue
            key = (plan.servers(active), nodes)
            cfg = plan.configs[key]
            a_h += hours
            tp_h += hours * min(lam, cfg.capacity) / lam
            if key not in qr:
                unsimulated += hours if cfg.stable else 0.0
            elif cfg.stable and qr[key]["tail_probability"] <= 1.0 - q:
                sla_h += hours
        avail.append(a_h / horizon)
        tp.append(tp_h / horizon)
        sla.append(sla_h / horizon)
        downtime.append((1.0 - a_h / horizon) * MINUTES_PER_YEAR)
    return {
        "availability": t_interval(avail, confidence),
        "downtime_min_per_year": t_interval(downtime, confidence),
        "expected_throughput_fraction": t_interval(tp, confidence),
        "sla_availability_excluding_backlog": t_interval(sla, confidence),
    }, unsimulated


def _planned_estimates(
    plan: _Plan,
    fails: list[dict[str, Any]],
    queues: list[dict[Any, Any]],
    years: float,
    confidence: float,
) -> tuple[dict[str, Estimate], pd.DataFrame]:
    """Planned downtime, time one short, SLA time missed and the overlaps, with CIs [min/yr]."""
    w = plan.scenario.workload
    kinds = plan.planned
    n = len(fails)

    def per(h: Any) -> np.ndarray:  # hours in one replication -> min/yr (0 stays 0 at any years)
        with np.errstate(over="ignore"):
            return np.asarray(h, dtype=float) / years * 60.0

    hours = np.array([fr.get("planned_h", []) for fr in fails], dtype=float).reshape(n, len(kinds))
    short_mask = np.array([k.short for k in kinds], dtype=bool)
    down = per(hours[:, ~short_mask].sum(axis=1))
    short = per(hours[:, short_mask].sum(axis=1))
    key = plan.one_down_key
    misses = np.ones(n, dtype=bool)
    if key is not None and key in plan.sim_keys and plan.configs[key].stable:
        q = w.latency_percentile
        misses = np.array([qr[key]["tail_probability"] > 1.0 - q for qr in queues])
    est = {
        "planned_downtime_min_per_year": t_interval(down, confidence),
        "planned_one_short_min_per_year": t_interval(short, confidence),
        "planned_sla_missed_min_per_year": t_interval(
            down + np.where(misses, short, 0.0), confidence
        ),
        "planned_downtime_in_outage_min_per_year": t_interval(
            per([fr.get("planned_in_outage_h", 0.0) for fr in fails]), confidence
        ),
        "planned_one_short_with_failure_min_per_year": t_interval(
            per([fr.get("planned_short_with_failure_h", 0.0) for fr in fails]), confidence
        ),
    }
    rows = []
    for j, k in enumerate(kinds):
        e = t_interval(per(hours[:, j]), confidence)
        rows.append({"kind": k.name, "counts_as": "one short" if k.short else "downtime",
                     "per_year": k.per_year, "mean_h": k.mean_h, "intervals_per_event": k.run,
                     "events": int(sum(fr["planned_events"][j] for fr in fails)),
                     "min_per_year": e.mean, "ci_low": e.low, "ci_high": e.high})  # fmt: skip
    columns = ["kind", "counts_as", "per_year", "mean_h", "intervals_per_event", "events",
               "min_per_year", "ci_low", "ci_high"]  # fmt: skip
    return est, pd.DataFrame(rows, columns=columns)


def _configuration_table(
    plan: _Plan, queues: list[dict[Any, Any]], confidence: float
) -> pd.DataFrame:
    q = plan.scenario.workload.latency_percentile
    rows = []
    for key, cfg in plan.configs.items():
        row: dict[str, Any] = {
            "send_servers": cfg.send_servers,
            "nodes": cfg.nodes,
            "capacity_per_s": cfg.capacity,
            "stable": cfg.stable,
            "simulated": key in plan.sim_keys,
        }
        if key in plan.sim_keys and cfg.stable:
            p = t_interval(_series(queues, key, "latency_percentile_s"), confidence)
            tail = _series(queues, key, "tail_probability")
            te = t_interval(tail, confidence)
            row.update(
                latency_percentile_s=p.mean,
                ci_low=p.low,
                ci_high=p.high,
                tail_probability=te.mean,
                tail_ci_low=te.low,
                tail_ci_high=te.high,
                meets_fraction=float(np.mean(tail <= 1.0 - q)),
            )
        elif not cfg.stable:  # the queue grows without bound: every message is late, in time
            row.update(
                latency_percentile_s=math.inf,
                ci_low=math.inf,
                ci_high=math.inf,
                tail_probability=1.0,
                tail_ci_low=1.0,
                tail_ci_high=1.0,
                meets_fraction=0.0,
            )
        rows.append(row)
    return pd.DataFrame(rows)


def _send_state_table(
    plan: _Plan, fails: list[dict[str, Any]], horizon: float, confidence: float
) -> pd.DataFrame:
    tier = plan.tier
    codes = sorted({c for fr in fails for c in fr["send_occupancy"]} | set(tier.codes.tolist()))
    rows = []
    for code in codes:
        frac = np.array([fr["send_occupancy"].get(code, 0.0) for fr in fails]) / horizon
        e = t_interval(frac, confidence)
        rows.append({"state": tier.label_of_code(code), "probability": e.mean, "ci_low": e.low,
                     "ci_high": e.high})  # fmt: skip
    return pd.DataFrame(rows)


def _component_table(
    plan: _Plan,
    dists: tuple[LeafDists, ...],
    fails: list[dict[str, Any]],
    horizon: float,
    confidence: float,
) -> pd.DataFrame:
    leaf_u = np.array([fr["leaf_down_h"] for fr in fails]) / horizon
    rows = []
    for j, (b, d) in enumerate(zip(plan.blocks, dists, strict=True)):
        e = t_interval(leaf_u[:, j], confidence)
        n_out = int(sum(fr["leaf_outages"][j] for fr in fails))
        rows.append({"component": b.name, "failure": repr(d.failure), "repair": repr(d.repair),
                     "unavailability": e.mean, "ci_low": e.low, "ci_high": e.high,
                     "outages": n_out})  # fmt: skip
    return pd.DataFrame(rows)
