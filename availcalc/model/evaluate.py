r"""Evaluate a scenario: capacity, latency, availability, performability, outage impact.

The sending tier is modelled as up to three stations in tandem and three independent
subsystems in series (see ``docs/model.md``):

* **send stage** — M/M/c (or the Allen–Cunneen G/G/c approximation when a variability is not 1)
  with service rate :math:`\mu = 1/S` (S = ``service_time_s``, plus the ordered-delivery
  overhead for ordered ports) and :math:`c` = active instances × ``concurrency``, where the
  active instances are all of them (scaled out), one (clustered) — and :math:`c = 1` for an
  ordered port;
* **MessageBox stage** (optional) — M/M/1 with service rate ``capacity_per_s``;
* **destination stage** (optional NLB pool) — M/M/c with one server per node up and service
  rate ``capacity_per_node_per_s``. An endpoint destination limits capacity only.

Availability is the series of the MessageBox block (a failover cluster
:class:`~availcalc.ActivePassive` whose switchover lasts the SQL failover plus the host-instance
restart, with the shared storage in series), the send tier (:class:`~availcalc.KofN` with
k = 1, or :class:`~availcalc.ActivePassive`) and the destination (a component with the endpoint's
availability, or :class:`~availcalc.NLBPool`). Performability weighs each failure state of the
send tier and of the NLB pool by its steady-state probability (a Markov reward model under
quasi-steady state: queues settle much faster than failures and repairs happen) [1]_ [2]_.

References
----------
.. [1] J. F. Meyer, "On evaluating the performability of degradable computing systems",
   IEEE Trans. Computers C-29(8), 720–731, 1980.
.. [2] K. S. Trivedi, *Probability and Statistics with Reliability, Queuing, and Computer
   Science Applications*, 2nd ed., Wiley 2002, §8.4 (Markov reward models).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from availcalc.model.latency import Sojourn, sum_sojourn_percentile, sum_sojourn_tail
from availcalc.model.schema import Endpoint, NLBDestination, Scenario
from availcalc.queueing import MGc, MMc
from availcalc.reliability import ActivePassive, Component, KofN, NLBPool, series

__all__ = ["METRICS", "Evaluation", "OutageImpact", "evaluate"]

HOURS_PER_YEAR = 8760.0
MIN_PER_YEAR = 525_600.0

SEND = "send host"
MESSAGEBOX = "MessageBox"
DESTINATION = "destination"


# ------------------------------------------------------------------------------------------------
# stations


def _queue(arrival_rate: Any, service_rate: float, servers: Any, scv: float, ca2: float) -> Any:
    """M/M/c when both variabilities are 1 (exact), else the G/G/c approximation."""
    if scv == 1.0 and ca2 == 1.0:
        return MMc(arrival_rate, service_rate, servers)
    return MGc(arrival_rate, service_rate, servers, service_scv=scv, arrival_scv=ca2)


def _sojourn(q: Any, service_rate: float, scv: float) -> Sojourn:
    pw = np.asarray(q.prob_wait, dtype=float)
    wq = np.asarray(q.mean_wait, dtype=float)
    stable = np.asarray(q.stable, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        beta = np.where((pw > 0) & stable & (wq > 0), pw / wq, 1.0)
    pw = np.where(stable, pw, 1.0)
    shape = pw.shape
    return Sojourn(
        prob_wait=pw,
        wait_rate=beta,
        service_rate=np.full(shape, service_rate),
        service_scv=np.full(shape, scv),
        stable=stable,
    )


@dataclass(frozen=True)
class _Tandem:
    """Queues in tandem for one or many states (arrays broadcast)."""

    send: Any
    send_rate: float
    send_scv: float
    others: tuple[tuple[Any, float], ...]  # (MMc queue, service rate)

    @property
    def stable(self) -> np.ndarray:
        ok = np.asarray(self.send.stable, dtype=bool)
        for q, _ in self.others:
            ok = ok & np.asarray(q.stable, dtype=bool)
        return ok

    @property
    def mean_response(self) -> np.ndarray:
        total = np.asarray(self.send.mean_response, dtype=float)
        for q, _ in self.others:
            total = total + np.asarray(q.mean_response, dtype=float)
        return np.where(self.stable, total, np.inf)

    def _stations(self) -> list[Sojourn]:
        return [
            _sojourn(self.send, self.send_rate, self.send_scv),
            *(_sojourn(q, rate, 1.0) for q, rate in self.others),
        ]

    def tail(self, t: float) -> np.ndarray:
        """P(end-to-end latency > t)."""
        if not self.others:
            return np.asarray(self.send.prob_response_exceeds(t), dtype=float)
        return sum_sojourn_tail(t, self._stations())

    def percentile(self, q: float) -> np.ndarray:
        """Return the q-quantile of the end-to-end latency."""
        if not self.others:
            return np.asarray(self.send.response_percentile(q), dtype=float)
        return sum_sojourn_percentile(q, self._stations(), self.mean_response)


# ------------------------------------------------------------------------------------------------
# results

#: Every headline metric: key → (label, unit). The keys are the columns of sweeps and the rows
#: of ``Evaluation.summary()``; figures and the UI take their axis titles from here.
METRICS: dict[str, tuple[str, str]] = {
    "arrival_rate_per_s": ("Arrival rate λ", "msg/s"),
    "capacity_per_s": ("Capacity", "msg/s"),
    "bottleneck": ("Bottleneck", ""),
    "utilization": ("Bottleneck utilisation ρ", ""),
    "stable": ("Stable", ""),
    "mean_latency_s": ("Mean latency", "s"),
    "latency_percentile_s": ("Latency percentile", "s"),
    "latency_target_s": ("Latency target", "s"),
    "meets_latency_target": ("Meets latency target", ""),
    "latency_one_down_s": ("Latency percentile, one instance down", "s"),
    "max_load_per_s": ("Max load meeting the target", "msg/s"),
    "max_load_one_down_per_s": ("Max load meeting the target, one instance down", "msg/s"),
    "availability": ("Availability", ""),
    "unavailability": ("Unavailability", ""),
    "nines": ("Nines", ""),
    "downtime_min_per_year": ("Downtime", "min/yr"),
    "failures_per_year": ("Outages", "1/yr"),
    "expected_throughput_fraction": ("Expected throughput fraction", ""),
    "sla_availability": ("SLA availability", ""),
    "sla_downtime_min_per_year": ("SLA downtime", "min/yr"),
    "planned_downtime_min_per_year": ("Planned downtime", "min/yr"),
    "messages_at_risk_per_year": ("Messages at risk", "msg/yr"),
}


@dataclass(frozen=True)
class OutageImpact:
    """Consequences of a send-side outage of a given length (fluid approximation).

    Attributes
    ----------
    outage_s : float
        Outage length [s].
    backlog_messages : float
        Messages that pile up during the outage, λ·T [msg].
    drain_time_s : float
        Time to clear the backlog at the spare capacity of the intact tier, backlog/(X − λ)
        [s]; inf when there is no spare capacity.
    throttling_threshold_messages : float or None
        The host throttling threshold, if set [msg].
    time_to_threshold_s : float or None
        Time into an outage at which the backlog reaches the threshold [s].
    crosses_threshold : bool or None
        Whether this outage's backlog exceeds the threshold.
    """

    outage_s: float
    backlog_messages: float
    drain_time_s: float
    throttling_threshold_messages: float | None
    time_to_threshold_s: float | None
    crosses_threshold: bool | None

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a JSON-ready dict (inf becomes None)."""
        return {k: _json(v) for k, v in self.__dict__.items()}


def _json(v: Any) -> Any:
    if isinstance(v, float | np.floating):
        return float(v) if math.isfinite(v) else None
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


@dataclass(frozen=True)
class Evaluation:
    """The answers for one scenario. Build with :func:`evaluate`.

    Times are in seconds, rates in messages per second, downtime in minutes per (365-day) year.

    Attributes
    ----------
    scenario : Scenario
        The scenario evaluated.
    capacity_per_s : float
        Throughput ceiling of the tier with everything up: the smallest stage capacity [msg/s].
    bottleneck : str
        The stage with that smallest capacity (``"send host"``, ``"MessageBox"``,
        ``"destination"``).
    utilization : float
        λ / ``capacity_per_s``: the bottleneck's utilisation [-].
    stable : bool
        True when every stage keeps up with the load (λ below every stage's capacity).
    mean_latency_s : float
        Mean end-to-end latency, the sum of the stages' mean response times [s]; inf if
        unstable.
    latency_percentile_s : float
        The ``workload.latency_percentile`` quantile of the end-to-end latency [s].
    availability, unavailability : float
        Structural availability of the path (some instance can send, MessageBox and
        destination up) and its complement, computed directly [-].
    downtime_min_per_year : float
        Unavailability × 525 600 [min/yr].
    failures_per_year : float
        Path outages per year (including failovers and NLB convergence) [1/yr].
    expected_throughput_fraction : float
        E[min(λ, capacity of the current failure state)]/λ over all failure states [-].
    sla_availability : float
        Long-run fraction of time the path is up AND the latency percentile of the current
        failure state meets the target [-].
    planned_downtime_min_per_year : float
        Planned failovers × failover time for a clustered handler (not in ``availability``)
        [min/yr].
    messages_at_risk_per_year : float
        Expected messages lost per year by instance crashes (0 for transactional sends) [msg/yr].
    """

    scenario: Scenario
    capacity_per_s: float
    bottleneck: str
    utilization: float
    stable: bool
    mean_latency_s: float
    latency_percentile_s: float
    availability: float
    unavailability: float
    downtime_min_per_year: float
    failures_per_year: float
    expected_throughput_fraction: float
    sla_availability: float
    planned_downtime_min_per_year: float
    messages_at_risk_per_year: float
    stages: pd.DataFrame = field(repr=False, compare=False)
    states: pd.DataFrame = field(repr=False, compare=False)
    downtime_breakdown: pd.DataFrame = field(repr=False, compare=False)
    _model: _ScenarioModel = field(repr=False, compare=False)

    @property
    def system(self) -> Any:
        """The reliability block diagram of the path.

        A series of the MessageBox, send tier and destination blocks: use ``.importance()``,
        ``.reliability(t_h)``, ``.summary()`` etc.
        """
        return self._model.system

    @property
    def send_block(self) -> Any:
        """The send tier's reliability block (:class:`KofN` or :class:`ActivePassive`)."""
        return self._model.send_block

    @property
    def nines(self) -> float:
        """−log10 of the unavailability [-]."""
        return -math.log10(self.unavailability) if self.unavailability > 0 else math.inf

    @property
    def sla_downtime_min_per_year(self) -> float:
        """Minutes per year the path is down or misses the latency target [min/yr]."""
        return (1.0 - self.sla_availability) * MIN_PER_YEAR

    def max_load_per_s(self, instances_down: int = 0) -> float:
        """Largest arrival rate meeting the latency target with ``instances_down`` failed.

        The MessageBox and destination are taken fully up. Returns 0.0 when no load meets the
        target (e.g. every instance down, or the service time alone exceeds it).

        Parameters
        ----------
        instances_down : int
            Failed send host instances (for a clustered handler, 1 leaves the passive node).
        """
        return self._model.max_load(instances_down)

    def latency_with_instances_down(self, instances_down: int = 1) -> float:
        """Return the latency percentile with ``instances_down`` send instances failed [s]."""
        return self._model.percentile_with_down(self._model.arrival_rate, instances_down)

    def backlog_after_outage(self, outage_s: float) -> OutageImpact:
        """Backlog, drain time and throttling after a send outage of ``outage_s`` seconds."""
        if not (outage_s >= 0 and math.isfinite(outage_s)):
            raise ValueError(f"outage_s must be a finite number >= 0; got {outage_s!r}")
        lam = self.scenario.workload.arrival_rate_per_s
        backlog = lam * outage_s
        spare = self.capacity_per_s - lam
        drain = backlog / spare if spare > 0 else math.inf
        if backlog == 0:
            drain = 0.0
        thr = self.scenario.send_host.throttling_threshold_messages
        return OutageImpact(
            outage_s=float(outage_s),
            backlog_messages=backlog,
            drain_time_s=drain,
            throttling_threshold_messages=None if thr is None else float(thr),
            time_to_threshold_s=None if thr is None else thr / lam,
            crosses_threshold=None if thr is None else backlog > thr,
        )

    def metrics(self, include_max_load: bool = True) -> dict[str, Any]:
        """Return every headline result as a flat dict keyed as in :data:`METRICS`.

        Parameters
        ----------
        include_max_load : bool
            Include ``max_load_per_s`` and ``max_load_one_down_per_s`` (each a root search,
            about a millisecond); sweeps leave them out unless asked.
        """
        w = self.scenario.workload
        out: dict[str, Any] = {
            "arrival_rate_per_s": w.arrival_rate_per_s,
            "capacity_per_s": self.capacity_per_s,
            "bottleneck": self.bottleneck,
            "utilization": self.utilization,
            "stable": self.stable,
            "mean_latency_s": self.mean_latency_s,
            "latency_percentile_s": self.latency_percentile_s,
            "latency_target_s": w.latency_target_s,
            "meets_latency_target": self.meets_latency_target,
            "latency_one_down_s": self.latency_with_instances_down(1),
        }
        if include_max_load:
            out["max_load_per_s"] = self.max_load_per_s(0)
            out["max_load_one_down_per_s"] = self.max_load_per_s(1)
        out.update(
            availability=self.availability,
            unavailability=self.unavailability,
            nines=self.nines,
            downtime_min_per_year=self.downtime_min_per_year,
            failures_per_year=self.failures_per_year,
            expected_throughput_fraction=self.expected_throughput_fraction,
            sla_availability=self.sla_availability,
            sla_downtime_min_per_year=self.sla_downtime_min_per_year,
            planned_downtime_min_per_year=self.planned_downtime_min_per_year,
            messages_at_risk_per_year=self.messages_at_risk_per_year,
        )
        return out

    def summary(self) -> pd.DataFrame:
        """Return the headline results as a tidy DataFrame (metric, value, unit, label)."""
        rows = [
            (key, value, METRICS[key][1], METRICS[key][0]) for key, value in self.metrics().items()
        ]
        return pd.DataFrame(rows, columns=["metric", "value", "unit", "label"])

    @property
    def meets_latency_target(self) -> bool:
        """Whether the latency percentile with everything up is within the target."""
        return bool(self.latency_percentile_s <= self.scenario.workload.latency_target_s)

    def to_dict(self) -> dict[str, Any]:
        """Return inputs and results as JSON-ready data (inf becomes None)."""
        metrics = {str(r.metric): _json(r.value) for r in self.summary().itertuples()}
        return {
            "scenario": self.scenario.to_dict(),
            "results": metrics,
            "stages": _records(self.stages),
            "states": _records(self.states),
            "downtime_breakdown": _records(self.downtime_breakdown),
        }

    def __repr__(self) -> str:
        w = self.scenario.workload
        lat = (
            f"p{_pct(w.latency_percentile)} {self.latency_percentile_s:.4g} s "
            f"(target {w.latency_target_s:g} s)"
            if self.stable
            else "unstable (load exceeds capacity)"
        )
        return (
            f"Evaluation({self.scenario.name!r}: λ={w.arrival_rate_per_s:g} msg/s, "
            f"capacity {self.capacity_per_s:.4g} msg/s [{self.bottleneck}], "
            f"ρ={self.utilization:.3f}, {lat}, A={self.availability:.6f} "
            f"({self.downtime_min_per_year:.3g} min/yr), SLA availability "
            f"{self.sla_availability:.6f})"
        )


def _pct(q: float) -> str:
    return f"{100 * q:g}".replace(".", "_")


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _json(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


# ------------------------------------------------------------------------------------------------
# the scenario model


class _ScenarioModel:
    """Builds the queueing and reliability pieces of a scenario once, answers from them."""

    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        w, h, port = scenario.workload, scenario.send_host, scenario.send_port
        self.arrival_rate = w.arrival_rate_per_s
        self.ca2 = w.arrival_scv
        service_time = h.service_time_s + (port.ordered_overhead_s if port.ordered_delivery else 0)
        self.send_rate = 1.0 / service_time
        self.send_scv = h.service_scv
        self.per_instance = 1 if port.ordered_delivery else h.concurrency

    # -- send tier -------------------------------------------------------------------------------
    def send_servers(self, active: Any) -> Any:
        """Servers of the send stage for ``active`` instances sending."""
        if self.s.send_port.ordered_delivery:
            return np.minimum(active, 1)
        return np.asarray(active) * self.per_instance

    @cached_property
    def send_block(self) -> Any:
        h = self.s.send_host
        if h.handler == "clustered":
            return ActivePassive(
                h.mttf_h,
                h.mttr_h,
                coverage=h.coverage,
                switchover_s=h.failover_s,
                manual_failover_h=h.manual_failover_h,
                crews=1,
                name="send host cluster",
            )
        return KofN(
            h.instances, 1, h.mttf_h, h.mttr_h, crews=h.repair_crews, name="send host instances"
        )

    @cached_property
    def send_states(self) -> pd.DataFrame:
        """Failure states of the send tier: label, instances_up, active, probability."""
        h = self.s.send_host
        if h.handler == "clustered":
            probs = self.send_block.state_probabilities
            active = {"both_up": 1, "one_up_one_in_repair": 1}
            up = {"both_up": 2, "one_up_one_in_repair": 1}
            return pd.DataFrame(
                {
                    "state": list(probs.index),
                    "instances_up": [up.get(k, 0 if k == "both_down" else 1) for k in probs.index],
                    "active_instances": [active.get(k, 0) for k in probs.index],
                    "probability": probs.to_numpy(dtype=float),
                }
            )
        p = np.asarray(self.send_block.up_count_probabilities, dtype=float)
        j = np.arange(h.instances + 1)
        return (
            pd.DataFrame(
                {
                    "state": [f"{k} of {h.instances} up" for k in j],
                    "instances_up": j,
                    "active_instances": j,
                    "probability": p,
                }
            )
            .iloc[::-1]
            .reset_index(drop=True)
        )

    # -- other subsystems -------------------------------------------------------------------------
    @cached_property
    def messagebox_blocks(self) -> list[Any]:
        mb = self.s.messagebox
        if mb is None:
            return []
        if mb.ha == "failover_cluster":
            sql: Any = ActivePassive(
                mb.mttf_h,
                mb.mttr_h,
                coverage=mb.coverage,
                switchover_s=mb.failover_s + mb.host_restart_s,
                manual_failover_h=mb.manual_failover_h,
                crews=1,
                name="MessageBox SQL cluster",
            )
        else:
            sql = Component("MessageBox SQL server", mb.mttf_h, mb.mttr_h)
        blocks = [sql]
        if mb.storage_mttf_h is not None:
            blocks.append(
                Component("MessageBox shared storage", mb.storage_mttf_h, mb.storage_mttr_h)
            )
        return blocks

    @cached_property
    def destination_block(self) -> Any:
        d = self.s.destination
        if isinstance(d, Endpoint):
            mttf = d.mttr_h * d.availability / (1.0 - d.availability)
            return Component("destination endpoint", mttf, d.mttr_h)
        if isinstance(d, NLBDestination):
            return NLBPool(
                d.nodes,
                d.needed,
                d.mttf_h,
                d.mttr_h,
                d.convergence_s,
                crews=d.repair_crews,
                name="destination NLB pool",
            )
        return None

    @cached_property
    def system(self) -> Any:
        blocks = [*self.messagebox_blocks, self.send_block]
        if self.destination_block is not None:
            blocks.append(self.destination_block)
        return series(*blocks)

    @cached_property
    def destination_states(self) -> pd.DataFrame:
        """Destination states that matter for queueing: nodes serving and probability.

        Only states in which the destination is up are listed (``nodes`` is the number of NLB
        nodes serving; 0 for a destination without a queueing stage).
        """
        d = self.s.destination
        if isinstance(d, NLBDestination):
            sp = self.destination_block.state_probabilities
            up = (sp["nodes_up"] >= d.needed) & ~sp["converging"].astype(bool)
            sp = sp[up]
            return pd.DataFrame(
                {
                    "nodes": sp["nodes_up"].to_numpy(dtype=int),
                    "probability": sp["probability"].to_numpy(dtype=float),
                }
            )
        prob = self.destination_block.availability if isinstance(d, Endpoint) else 1.0
        return pd.DataFrame({"nodes": [0], "probability": [prob]})

    @cached_property
    def messagebox_availability(self) -> float:
        a = 1.0
        for b in self.messagebox_blocks:
            a *= b.availability
        return a

    # -- capacities ------------------------------------------------------------------------------
    def stage_capacities(self, active: Any, nodes: Any) -> dict[str, Any]:
        caps: dict[str, Any] = {SEND: self.send_servers(active) * self.send_rate}
        if self.s.messagebox is not None:
            caps[MESSAGEBOX] = self.s.messagebox.capacity_per_s
        d = self.s.destination
        if isinstance(d, NLBDestination):
            caps[DESTINATION] = np.asarray(nodes) * d.capacity_per_node_per_s
        elif isinstance(d, Endpoint) and d.capacity_per_s is not None:
            caps[DESTINATION] = d.capacity_per_s
        return caps

    def tandem(self, arrival_rate: Any, active: Any, nodes: Any) -> _Tandem:
        """Stations for the given load, active send instances (≥ 1) and NLB nodes (≥ 1)."""
        send = _queue(
            arrival_rate, self.send_rate, self.send_servers(active), self.send_scv, self.ca2
        )
        others: list[tuple[Any, float]] = []
        mb = self.s.messagebox
        if mb is not None:
            others.append((MMc(arrival_rate, mb.capacity_per_s, 1), mb.capacity_per_s))
        d = self.s.destination
        if isinstance(d, NLBDestination):
            rate = d.capacity_per_node_per_s
            others.append((MMc(arrival_rate, rate, nodes), rate))
        return _Tandem(send, self.send_rate, self.send_scv, tuple(others))

    @property
    def full_nodes(self) -> int:
        d = self.s.destination
        return d.nodes if isinstance(d, NLBDestination) else 1

    @property
    def full_active(self) -> int:
        return self.s.send_host.active_instances

    def active_with_down(self, instances_down: int) -> int:
        h = self.s.send_host
        if not (isinstance(instances_down, int | np.integer) and instances_down >= 0):
            raise ValueError(f"instances_down must be an integer >= 0; got {instances_down!r}")
        if h.handler == "clustered":
            return 1 if instances_down <= 1 else 0
        return max(h.instances - instances_down, 0)

    def percentile_with_down(self, arrival_rate: float, instances_down: int) -> float:
        active = self.active_with_down(instances_down)
        if active == 0:
            return math.inf
        t = self.tandem(arrival_rate, active, self.full_nodes)
        return float(t.percentile(self.s.workload.latency_percentile))

    def max_load(self, instances_down: int) -> float:
        active = self.active_with_down(instances_down)
        if active == 0:
            return 0.0
        w = self.s.workload
        cap = min(np.min(v) for v in self.stage_capacities(active, self.full_nodes).values())
        target, alpha = w.latency_target_s, 1.0 - w.latency_percentile

        def excess(lam: float) -> float:
            return float(self.tandem(lam, active, self.full_nodes).tail(target)[()]) - alpha

        lo = cap * 1e-9
        if excess(lo) > 0:
            return 0.0
        hi = cap * (1.0 - 1e-12)
        if excess(hi) <= 0:
            return float(hi)
        return float(brentq(excess, lo, hi, xtol=1e-12 * cap, rtol=1e-12))


# ------------------------------------------------------------------------------------------------


def evaluate(scenario: Scenario) -> Evaluation:
    """Evaluate a scenario: capacity, latency, availability, SLA availability and more.

    Parameters
    ----------
    scenario : Scenario
        The scenario (see :func:`availcalc.load_preset`, :meth:`Scenario.from_dict`).

    Returns
    -------
    Evaluation
        Headline numbers as attributes, ``summary()`` / ``to_dict()``, per-stage and per-state
        tables, and ``max_load_per_s(k)`` / ``backlog_after_outage(T)``.

    Examples
    --------
    >>> from availcalc import evaluate, load_preset
    >>> ev = evaluate(load_preset("msmq_clustered_active_passive"))
    >>> ev.bottleneck, round(ev.capacity_per_s)
    ('MessageBox', 600)
    >>> round(ev.availability, 6), ev.messages_at_risk_per_year
    (0.999947, 0.0)
    """
    m = _ScenarioModel(scenario)
    w = scenario.workload
    lam, q, target = w.arrival_rate_per_s, w.latency_percentile, w.latency_target_s

    # -- all up -----------------------------------------------------------------------------------
    caps = m.stage_capacities(m.full_active, m.full_nodes)
    bottleneck = min(caps, key=lambda k: float(caps[k]))
    capacity = float(caps[bottleneck])
    full = m.tandem(lam, m.full_active, m.full_nodes)
    stable = bool(full.stable)
    mean_latency = float(full.mean_response)
    pctl = float(full.percentile(q))

    stages = _stage_table(m, full, caps)

    # -- performability over send states × destination states ------------------------------------
    ss = m.send_states
    ds = m.destination_states
    active = ss["active_instances"].to_numpy()[:, None]
    nodes = ds["nodes"].to_numpy()[None, :]
    prob = ss["probability"].to_numpy()[:, None] * ds["probability"].to_numpy()[None, :]
    prob = prob * m.messagebox_availability
    serving = np.broadcast_to(active >= 1, prob.shape)
    caps_state = m.stage_capacities(np.maximum(active, 1), np.maximum(nodes, 1))
    cap_state = np.full(prob.shape, np.inf)
    for v in caps_state.values():
        cap_state = np.minimum(cap_state, v)
    cap_state = np.where(serving, cap_state, 0.0)
    throughput_fraction = np.minimum(lam, cap_state) / lam
    tandem_states = m.tandem(lam, np.maximum(active, 1), np.maximum(nodes, 1))
    tail = np.broadcast_to(tandem_states.tail(target), prob.shape)
    meets = serving & np.broadcast_to(tandem_states.stable, prob.shape) & (tail <= 1.0 - q)
    expected_tp = float(np.sum(prob * throughput_fraction))
    sla = float(np.sum(prob[meets]))

    # per send state (other subsystems fully up) for the performability picture
    tandem_send = m.tandem(lam, np.maximum(ss["active_instances"].to_numpy(), 1), m.full_nodes)
    pct_send = np.where(
        ss["active_instances"].to_numpy() >= 1,
        np.broadcast_to(tandem_send.percentile(q), (len(ss),)),
        np.inf,
    )
    cap_send = np.full(len(ss), np.inf)
    for v in m.stage_capacities(
        np.maximum(ss["active_instances"].to_numpy(), 1), m.full_nodes
    ).values():
        cap_send = np.minimum(cap_send, v)
    cap_send = np.where(ss["active_instances"].to_numpy() >= 1, cap_send, 0.0)
    states = ss.assign(
        capacity_per_s=cap_send,
        throughput_fraction=np.minimum(lam, cap_send) / lam,
        latency_percentile_s=pct_send,
        meets_target=pct_send <= target,
    )

    # -- availability --------------------------------------------------------------------------
    system = m.system
    h = scenario.send_host
    planned = (
        h.planned_failovers_per_year * h.failover_s / 60.0 if h.handler == "clustered" else 0.0
    )

    return Evaluation(
        scenario=scenario,
        capacity_per_s=capacity,
        bottleneck=bottleneck,
        utilization=lam / capacity,
        stable=stable,
        mean_latency_s=mean_latency,
        latency_percentile_s=pctl,
        availability=float(system.availability),
        unavailability=float(system.unavailability),
        downtime_min_per_year=float(system.downtime_min_per_year),
        failures_per_year=float(system.failure_frequency_per_h) * HOURS_PER_YEAR,
        expected_throughput_fraction=expected_tp,
        sla_availability=sla,
        planned_downtime_min_per_year=planned,
        messages_at_risk_per_year=_messages_at_risk(m, full),
        stages=stages,
        states=states,
        downtime_breakdown=_downtime_breakdown(m),
        _model=m,
    )


def _stage_table(m: _ScenarioModel, full: _Tandem, caps: dict[str, Any]) -> pd.DataFrame:
    queues = [(SEND, full.send, m.send_servers(m.full_active))]
    names = [n for n in caps if n != SEND]
    station_names = [
        n for n in names if not (n == DESTINATION and isinstance(m.s.destination, Endpoint))
    ]
    for name, (q, _) in zip(station_names, full.others, strict=True):
        queues.append((name, q, q.servers))
    rows = []
    for name, q, servers in queues:
        rows.append(
            {
                "stage": name,
                "servers": int(np.asarray(servers)),
                "capacity_per_s": float(caps[name]),
                "utilization": float(m.arrival_rate / float(caps[name])),
                "stable": bool(q.stable),
                "mean_wait_s": float(q.mean_wait),
                "mean_response_s": float(q.mean_response),
                "model": getattr(q, "method", "erlang-c") if name == SEND else "erlang-c",
            }
        )
    if isinstance(m.s.destination, Endpoint) and DESTINATION in caps:
        cap = float(caps[DESTINATION])
        rows.append(
            {
                "stage": DESTINATION,
                "servers": 0,
                "capacity_per_s": cap,
                "utilization": m.arrival_rate / cap,
                "stable": m.arrival_rate < cap,
                "mean_wait_s": 0.0,
                "mean_response_s": 0.0,
                "model": "capacity limit",
            }
        )
    return pd.DataFrame(rows)


def _messages_at_risk(m: _ScenarioModel, full: _Tandem) -> float:
    port, h = m.s.send_port, m.s.send_host
    if port.transactional:
        return 0.0
    if not bool(full.stable):
        return math.inf
    ss = m.send_states
    # crashes per year of instances that are sending (each active instance fails at 1/MTTF)
    active_failures = float(np.sum(ss["probability"] * ss["active_instances"])) / h.mttf_h
    per_instance_rate = m.arrival_rate / m.full_active
    in_flight = per_instance_rate * (float(full.send.mean_response) + port.volatile_residence_s)
    return active_failures * HOURS_PER_YEAR * in_flight


def _downtime_breakdown(m: _ScenarioModel) -> pd.DataFrame:
    blocks = [*m.messagebox_blocks, m.send_block]
    if m.destination_block is not None:
        blocks.append(m.destination_block)
    u_sys = float(m.system.unavailability)
    rows = []
    for b in blocks:
        others = 1.0
        for o in blocks:
            if o is not b:
                others *= float(o.availability)
        u = float(b.unavailability)
        rows.append(
            {
                "component": b.name,
                "availability": float(b.availability),
                "unavailability": u,
                "downtime_min_per_year": u * MIN_PER_YEAR,
                "outages_per_year": float(b.failure_frequency_per_h) * HOURS_PER_YEAR,
                "mean_outage_min": float(b.mdt_h) * 60.0,
                "share_of_downtime": u * others / u_sys if u_sys > 0 else 0.0,
            }
        )
    return pd.DataFrame(rows)
