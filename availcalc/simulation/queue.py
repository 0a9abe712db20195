r"""Discrete-event simulation of FCFS stations in tandem (the latency side of the model).

Two engines simulate the same system — Poisson (or renewal) arrivals, stations in tandem, each
with :math:`c` servers taking customers first-come first-served, i.i.d. service times:

* ``"recursion"`` (default): the exact sample-path recursions of the FCFS queue. A single server
  is Lindley's recursion in closed form, :math:`D_n = C_n + \max_{k\le n}(A_k - C_{k-1})`
  (:math:`C_n` the cumulative service), evaluated with ``numpy.maximum.accumulate``; several
  servers use the Kiefer–Wolfowitz recursion (a customer starts at the later of its arrival and
  the earliest time a server frees up) with a binary heap of server-free times [1]_, [2]_. Each
  station's departures, sorted, are the next station's arrivals.
* ``"ciw"``: the same network built with the Ciw discrete-event library [3]_ (customers,
  nodes, routing), for cross-checking.

Both produce identical systems in distribution; the recursion is about 80 times faster than
Ciw on the same batch (measured on 20 000 messages through an M/M/1 → M/M/40 tandem: 0.03 s
against 2.6 s), which is what makes confidence intervals for every failure state of every
scenario affordable. The tests check the two engines against each other and against M/M/1 and
M/M/c (Erlang C) theory.

Warm-up: the system starts empty and the first ``warmup`` fraction of the messages is
discarded (Law 2015, §9.5.1 [4]_); end effects do not arise because every message is followed
to its departure.

References
----------
.. [1] D. V. Lindley, "The theory of queues with a single server", Proc. Cambridge Phil. Soc.
   48, 277–289, 1952.
.. [2] J. Kiefer, J. Wolfowitz, "On the theory of queues with many servers", Trans. AMS 78,
   1–18, 1955.
.. [3] G. I. Palmer, V. A. Knight, P. R. Harper, A. L. Hawa, "Ciw: An open-source discrete
   event simulation library", J. Simulation 13(1), 68–82, 2019.
.. [4] A. M. Law, *Simulation Modeling and Analysis*, 5th ed., McGraw-Hill, 2015, ch. 9.
"""

from __future__ import annotations

import heapq
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from availcalc._validation import (
    _short,
    check_choice,
    check_positive,
    check_probability,
    check_type,
    scalar,
    sequence,
)
from availcalc.simulation._args import (
    MAX_MESSAGES,
    MAX_REPLICATIONS,
    check_confidence,
    check_count,
    check_queue_work,
    check_seed,
    check_warmup,
)
from availcalc.simulation._parallel import run_tasks
from availcalc.simulation._stats import Estimate, t_interval
from availcalc.simulation.distributions import Distribution

__all__ = ["QueueSimulation", "Station", "simulate_queue"]

ENGINES = ("recursion", "ciw")
_CIW_LOCK = threading.Lock()  # Ciw draws from the global `random` module


@dataclass(frozen=True)
class Station:
    """One FCFS station: ``servers`` parallel servers with i.i.d. service times.

    Parameters
    ----------
    service : Distribution
        Service-time distribution with its mean set [s].
    servers : int
        Number of servers, >= 1.
    name : str
        Label in the per-station results.
    """

    service: Distribution
    servers: int
    name: str = "station"

    def __post_init__(self) -> None:
        check_type("service", self.service, Distribution, "a Distribution with a mean")
        if self.service.mean is None:
            raise ValueError(f"service must be a Distribution with a mean; got {self.service!r}")
        check_type("servers", self.servers, (int, np.integer), "an integer >= 1")
        if isinstance(self.servers, bool) or self.servers < 1:
            raise ValueError(f"servers must be an integer >= 1; got {_short(self.servers)}")
        check_type("name", self.name, str)
        object.__setattr__(self, "servers", int(self.servers))

    @property
    def capacity(self) -> float:
        """Servers / mean service time [1/s]."""
        return self.servers / float(self.service.mean)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------
# one replication


def _fcfs_departures(
    arrivals: np.ndarray, service: np.ndarray, servers: int, chunk: int = 1024
) -> np.ndarray:
    r"""Departure times of FCFS customers (arrivals sorted) at a ``servers``-server station.

    Kiefer–Wolfowitz [2]_: customer *i* starts at :math:`\max(A_i, F_i)`, where :math:`F_i`,
    the time a server frees up, is the ``servers``-th latest of the earlier departures (0
    while a server has never been used), so a customer surely finds a server free when fewer
    than ``servers`` earlier departures are :math:`\ge A_i`. Up to the first customer for
    whom that fails, every departure is :math:`A_i + S_i`: a lightly loaded station takes a
    few vectorised passes (each twice as long as the last while nobody waits). From that
    customer on, a binary heap of the server-free times takes one customer at a time,
    ``chunk`` at once, until a chunk in which nobody waited. The departures are the same
    floating-point numbers as with the heap for every customer.
    """
    n = arrivals.size
    if servers >= n:
        return arrivals + service
    if servers == 1:
        c = np.cumsum(service)
        return c + np.maximum.accumulate(arrivals - (c - service))
    out = arrivals + service  # right for every customer who finds a server free
    free = np.zeros(servers)  # when the servers free up: the latest `servers` departures so far
    replace = heapq.heapreplace
    k, size, queueing = 0, chunk, False
    while k < n:
        end = min(k + size, n)
        if queueing:
            heap = free.tolist()
            heapq.heapify(heap)
            todo = zip(
                range(k, end), arrivals[k:end].tolist(), service[k:end].tolist(), strict=True
            )
            for i, a, s in todo:
                f = heap[0]
                d = (a if a > f else f) + s
                replace(heap, d)
                out[i] = d
            free = np.array(heap)
            queueing = bool(np.any(out[k:end] != arrivals[k:end] + service[k:end]))
        else:
            a = arrivals[k:end]
            free.sort()
            earlier_busy = np.arange(a.size) - np.searchsorted(np.sort(out[k:end]), a)
            busy = servers - np.searchsorted(free, a) + earlier_busy  # departures >= A_i
            waits = np.flatnonzero(busy >= servers)
            if waits.size:
                end, size, queueing = k + int(waits[0]), chunk, True
            else:
                size *= 2
            free = np.partition(np.concatenate([free, out[k:end]]), end - k)[end - k :]
        k = end
    return out


def _tandem_recursion(
    arrivals: np.ndarray, stations: Sequence[Station], rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Return final departures (arrival order) and per-station sojourns [n × stations]."""
    n = arrivals.size
    ids = np.arange(n)
    times = arrivals
    sojourn = np.empty((n, len(stations)))
    for j, st in enumerate(stations):
        s = st.service.sample(rng, n)
        d = _fcfs_departures(times, s, st.servers)
        sojourn[ids, j] = d - times
        order = np.argsort(d, kind="stable")
        ids = ids[order]
        times = d[order]
    end = np.empty(n)
    end[ids] = times
    return end, sojourn


def _ciw_dist(d: Distribution) -> Any:
    import ciw

    m = float(d.mean)  # type: ignore[arg-type]
    if d.kind == "exponential":
        return ciw.dists.Exponential(1.0 / m)
    if d.kind == "deterministic":
        return ciw.dists.Deterministic(m)
    if d.kind == "gamma":
        return ciw.dists.Gamma(1.0 / d.shape, m * d.shape)  # type: ignore[operator]
    if d.kind == "lognormal":
        s2 = math.log1p(d.shape)  # type: ignore[arg-type]
        return ciw.dists.Lognormal(math.log(m) - 0.5 * s2, math.sqrt(s2))
    if d.kind == "weibull":
        scale = m / math.gamma(1.0 + 1.0 / d.shape)  # type: ignore[operator]
        return ciw.dists.Weibull(scale, d.shape)
    raise ValueError(f"no Ciw equivalent for {d!r}")  # pragma: no cover


def _tandem_ciw(
    arrival: Distribution, stations: Sequence[Station], n: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(arrivals, final departures, sojourns) of ``n`` messages simulated with Ciw."""
    import ciw

    k = len(stations)
    routing = [[1.0 if j == i + 1 else 0.0 for j in range(k)] for i in range(k)]
    network = ciw.create_network(
        arrival_distributions=[_ciw_dist(arrival)] + [None] * (k - 1),
        service_distributions=[_ciw_dist(st.service) for st in stations],
        number_of_servers=[st.servers for st in stations],
        routing=routing,
    )
    with _CIW_LOCK:
        ciw.seed(seed)
        sim = ciw.Simulation(network)
        sim.simulate_until_max_customers(n, method="Finish")
        records = sim.get_all_records()
    df = pd.DataFrame(
        [(r.id_number, r.node, r.arrival_date, r.exit_date) for r in records],
        columns=["id", "node", "arrival", "exit"],
    )
    wide = df.pivot_table(index="id", columns="node", values=["arrival", "exit"])
    wide = wide.dropna().sort_index().iloc[:n]
    arr = wide["arrival"].to_numpy()
    ext = wide["exit"].to_numpy()
    return arr[:, 0], ext[:, -1], ext - arr


@dataclass(frozen=True)
class _QueueTask:
    arrival_rate: float
    arrival: Distribution
    stations: tuple[Station, ...]
    messages: int
    warmup: float
    percentile: float
    target: float | None
    engine: str
    seed: np.random.SeedSequence


def _run_queue(task: _QueueTask) -> dict[str, Any]:
    """One replication: summary statistics of the messages after warm-up."""
    arrival = task.arrival.with_mean(1.0 / task.arrival_rate)
    n = task.messages
    if task.engine == "ciw":
        seed = int(task.seed.generate_state(1)[0])
        arrivals, end, sojourn = _tandem_ciw(arrival, task.stations, n, seed)
    else:
        rng = np.random.default_rng(task.seed)
        arrivals = np.cumsum(arrival.sample(rng, n))
        end, sojourn = _tandem_recursion(arrivals, task.stations, rng)
    first = min(int(task.warmup * n), n - 1)
    lat = (end - arrivals)[first:]
    t0, t1 = arrivals[first], arrivals[-1]
    done = np.count_nonzero((end >= t0) & (end <= t1))
    out: dict[str, Any] = {
        "mean_latency_s": float(lat.mean()),
        "latency_percentile_s": float(np.quantile(lat, task.percentile)),
        "throughput_per_s": done / (t1 - t0) if t1 > t0 else math.nan,
        "station_response_s": sojourn[first:].mean(axis=0),
        "messages": int(lat.size),
    }
    if task.target is not None:
        out["tail_probability"] = float(np.mean(lat > task.target))
    return out


# ------------------------------------------------------------------------------------------------
# public


@dataclass(frozen=True)
class QueueSimulation:
    """Result of :func:`simulate_queue`: estimates over independent replications.

    Attributes
    ----------
    mean_latency_s, latency_percentile_s, throughput_per_s : Estimate
        End-to-end mean sojourn [s], its ``percentile`` quantile [s], departures per second.
    tail_probability : Estimate or None
        P(latency > ``target``) (only if a target was given).
    stations : pandas.DataFrame
        Per station: name, servers, utilisation (λ/capacity), mean response and CI [s].
    replications, messages : int
        Replications and messages per replication (before warm-up deletion).
    """

    mean_latency_s: Estimate
    latency_percentile_s: Estimate
    throughput_per_s: Estimate
    tail_probability: Estimate | None
    stations: pd.DataFrame = field(repr=False)
    replications: int
    messages: int


def simulate_queue(
    arrival_rate: float,
    stations: Sequence[Station],
    *,
    arrival: Distribution | None = None,
    messages: int = 20_000,
    replications: int = 10,
    warmup: float = 0.1,
    percentile: float = 0.95,
    target: float | None = None,
    engine: str = "recursion",
    confidence: float = 0.95,
    seed: int | np.random.SeedSequence | None = None,
    n_jobs: int | None = 1,
    client: Any = None,
) -> QueueSimulation:
    r"""Simulate FCFS stations in tandem; estimate latency with replication confidence intervals.

    Parameters
    ----------
    arrival_rate : float
        Message arrival rate λ [1/s], > 0.
    stations : sequence of Station
        The stations in the order messages visit them.
    arrival : Distribution, optional
        Inter-arrival family (default exponential: Poisson arrivals); its mean is 1/λ.
    messages : int
        Messages per replication, >= 100 (the first ``warmup`` fraction is discarded).
    replications : int
        Independent replications, >= 2.
    warmup : float
        Fraction of each replication's messages discarded as warm-up, in [0, 0.9).
    percentile : float
        Latency quantile to estimate, in (0, 1).
    target : float, optional
        Latency threshold [s] for the tail probability P(latency > target).
    engine : {"recursion", "ciw"}
        Exact FCFS recursions (fast) or the Ciw library.
    confidence : float
        Confidence level of the intervals.
    seed : int or SeedSequence, optional
        Seed; the same seed gives the same result on every backend.
    n_jobs : int or None
        Local worker processes (1: this process; None or -1: every core).
    client : dask.distributed.Client, optional
        Run the replications on a Dask cluster.

    Returns
    -------
    QueueSimulation

    Raises
    ------
    ValueError
        For an invalid argument.

    Notes
    -----
    The estimate of a quantile in one replication is the sample quantile of its messages; the
    interval is across replications (each replication's quantile is one observation), as in
    Law (2015), §9.4.1.

    Examples
    --------
    M/M/1 with λ = 0.8, μ = 1: the mean sojourn is 1/(μ − λ) = 5.

    >>> res = simulate_queue(
    ...     0.8, [Station(Distribution.exponential(1.0), 1)], messages=20_000,
    ...     replications=8, seed=1)
    >>> 5.0 in res.mean_latency_s
    True
    """
    arrival_rate = scalar("arrival_rate", arrival_rate, check_positive)
    stations = tuple(sequence("stations", stations))
    for i, s in enumerate(stations):
        check_type(f"stations[{i}]", s, Station)
    check_type("arrival", arrival, (Distribution, type(None)), "a Distribution or None")
    check_choice("engine", engine, ENGINES)
    percentile = scalar("percentile", percentile, check_probability)
    if target is not None:
        target = scalar("target", target, check_positive)
    replications = check_count("replications", replications, 2, MAX_REPLICATIONS)
    messages = check_count("messages", messages, 100, MAX_MESSAGES)
    warmup, confidence, seed = check_warmup(warmup), check_confidence(confidence), check_seed(seed)
    check_queue_work(messages, replications, len(stations), engine)
    arrival = arrival or Distribution.exponential()
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    tasks = [
        _QueueTask(
            float(arrival_rate),
            arrival,
            stations,
            int(messages),
            float(warmup),
            float(percentile),
            target,
            engine,
            child,
        )
        for child in root.spawn(int(replications))
    ]
    runs = run_tasks(_run_queue, tasks, n_jobs, client)

    def est(key: str) -> Estimate:
        return t_interval([r[key] for r in runs], confidence)

    resp = np.array([r["station_response_s"] for r in runs])
    rows = []
    for j, st in enumerate(stations):
        e = t_interval(resp[:, j], confidence)
        rows.append(
            {
                "station": st.name,
                "servers": st.servers,
                "utilization": arrival_rate / st.capacity,
                "mean_response_s": e.mean,
                "ci_low": e.low,
                "ci_high": e.high,
            }
        )
    return QueueSimulation(
        mean_latency_s=est("mean_latency_s"),
        latency_percentile_s=est("latency_percentile_s"),
        throughput_per_s=est("throughput_per_s"),
        tail_probability=est("tail_probability") if target is not None else None,
        stations=pd.DataFrame(rows),
        replications=int(replications),
        messages=int(messages),
    )
