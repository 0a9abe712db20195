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

from availcalc.model._core import (
    DESTINATION,
    MIN_PER_YEAR,
    SEND,
    Batch,
    Reliability,
    queueing_arrays,
)
from availcalc.model.schema import Scenario

__all__ = ["METRICS", "Evaluation", "OutageImpact", "evaluate"]

# ------------------------------------------------------------------------------------------------
# stations


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
    "backlog_sla_downtime_min_per_year": ("SLA downtime from post-outage backlogs", "min/yr"),
    "sla_availability_with_backlog": ("SLA availability incl. backlog drain", ""),
    "planned_downtime_min_per_year": ("Planned downtime", "min/yr"),
    "messages_at_risk_per_year": ("Messages at risk", "msg/yr"),
    "suspended_outages_per_year": ("Destination outages outlasting the retries", "1/yr"),
    "messages_suspended_per_year": ("Messages suspended", "msg/yr"),
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
    late_window_s : float
        Time after the restore during which arriving messages still miss the latency target
        because they queue behind the backlog: (λT − X·target)⁺/(X − λ) [s]; inf without
        spare capacity. Quasi-steady-state SLA availability leaves this out;
        ``backlog_sla_downtime_min_per_year`` adds it back.
    """

    outage_s: float
    backlog_messages: float
    drain_time_s: float
    throttling_threshold_messages: float | None
    time_to_threshold_s: float | None
    crosses_threshold: bool | None
    late_window_s: float

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
    latency_one_down_s : float
        The same percentile with one send instance failed (N−1 headroom; for a clustered
        handler, the passive node carrying the load) [s]; inf if that leaves no instance.
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
        failure state meets the target, under quasi-steady state (each failure state as its
        own steady queue) [-].
    backlog_sla_downtime_min_per_year : float
        What quasi-steady state leaves out: after each outage the backlog drains at the spare
        capacity, and messages arriving meanwhile miss the target (fluid approximation, see
        ``docs/model.md``) [min/yr].
    sla_availability_with_backlog : float
        ``sla_availability`` minus that backlog time: the more realistic figure after long
        outages [-].
    planned_downtime_min_per_year : float
        Planned failovers × failover time for a clustered handler (not in ``availability``)
        [min/yr].
    messages_at_risk_per_year : float
        Expected messages lost per year by instance crashes (0 for transactional sends) [msg/yr].
    suspended_outages_per_year : float
        Destination outages per year that outlast the retry window
        (``retry_count × retry_interval_min``), so messages get suspended [1/yr].
    messages_suspended_per_year : float
        Expected messages suspended per year by those outages (they need a manual resume or a
        backup transport) [msg/yr].
    """

    scenario: Scenario
    capacity_per_s: float
    bottleneck: str
    utilization: float
    stable: bool
    mean_latency_s: float
    latency_percentile_s: float
    latency_one_down_s: float
    availability: float
    unavailability: float
    downtime_min_per_year: float
    failures_per_year: float
    expected_throughput_fraction: float
    sla_availability: float
    backlog_sla_downtime_min_per_year: float
    sla_availability_with_backlog: float
    planned_downtime_min_per_year: float
    messages_at_risk_per_year: float
    suspended_outages_per_year: float
    messages_suspended_per_year: float
    _batch: Batch = field(repr=False, compare=False)

    @cached_property
    def stages(self) -> pd.DataFrame:
        """Per-stage table with everything up.

        Columns: stage, servers, capacity_per_s, utilization, stable, mean_wait_s,
        mean_response_s, model.
        """
        return _stage_table(self._batch)

    @cached_property
    def states(self) -> pd.DataFrame:
        """Send-tier failure states: the performability picture.

        Columns: state, instances_up, active_instances, probability, and in each state (with
        the MessageBox and destination up) capacity_per_s, throughput_fraction,
        latency_percentile_s, meets_target.
        """
        return _states_table(self._batch)

    @cached_property
    def destination_states(self) -> pd.DataFrame:
        """NLB pool states: the destination's side of the performability picture.

        Empty without an NLB destination. Columns: nodes_up, converging, probability, serving
        (up and not converging), and in each state (with the send tier and MessageBox up)
        capacity_per_s, throughput_fraction, latency_percentile_s, meets_target.
        """
        return _destination_states_table(self._batch)

    @cached_property
    def downtime_breakdown(self) -> pd.DataFrame:
        """Downtime by reliability block.

        Columns: component, availability, unavailability, downtime_min_per_year,
        outages_per_year, mean_outage_min, share_of_downtime (criticality importance).
        """
        return self._batch.rel.downtime_breakdown()

    @property
    def system(self) -> Any:
        """The reliability block diagram of the path.

        A series of the MessageBox, send tier and destination blocks: use ``.importance()``,
        ``.reliability(t_h)``, ``.summary()`` etc.
        """
        return self._batch.rel.system

    @property
    def send_block(self) -> Any:
        """The send tier's reliability block (:class:`KofN` or :class:`ActivePassive`)."""
        return self._batch.rel.send_block

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
        return self._batch.max_load(instances_down)

    def latency_with_instances_down(self, instances_down: int = 1) -> float:
        """Return the latency percentile with ``instances_down`` send instances failed [s]."""
        if instances_down == 1:
            return self.latency_one_down_s
        return self._batch.percentile_with_down(instances_down)

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
            late_window_s=(
                max(backlog - self.capacity_per_s * self.scenario.workload.latency_target_s, 0.0)
                / spare
                if spare > 0
                else math.inf
            ),
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
            "latency_one_down_s": self.latency_one_down_s,
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
            backlog_sla_downtime_min_per_year=self.backlog_sla_downtime_min_per_year,
            sla_availability_with_backlog=self.sla_availability_with_backlog,
            planned_downtime_min_per_year=self.planned_downtime_min_per_year,
            messages_at_risk_per_year=self.messages_at_risk_per_year,
            suspended_outages_per_year=self.suspended_outages_per_year,
            messages_suspended_per_year=self.messages_suspended_per_year,
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
            "destination_states": _records(self.destination_states),
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
    rel = Reliability(scenario)
    batch = Batch(rel, queueing_arrays(scenario))
    m = {k: (v[0] if isinstance(v, np.ndarray) else v) for k, v in batch.metrics().items()}
    return Evaluation(
        scenario=scenario,
        capacity_per_s=float(m["capacity_per_s"]),
        bottleneck=str(m["bottleneck"]),
        utilization=float(m["utilization"]),
        stable=bool(m["stable"]),
        mean_latency_s=float(m["mean_latency_s"]),
        latency_percentile_s=float(m["latency_percentile_s"]),
        latency_one_down_s=float(m["latency_one_down_s"]),
        availability=float(m["availability"]),
        unavailability=float(m["unavailability"]),
        downtime_min_per_year=float(m["downtime_min_per_year"]),
        failures_per_year=float(m["failures_per_year"]),
        expected_throughput_fraction=float(m["expected_throughput_fraction"]),
        sla_availability=float(m["sla_availability"]),
        backlog_sla_downtime_min_per_year=float(m["backlog_sla_downtime_min_per_year"]),
        sla_availability_with_backlog=float(m["sla_availability_with_backlog"]),
        planned_downtime_min_per_year=float(m["planned_downtime_min_per_year"]),
        messages_at_risk_per_year=float(m["messages_at_risk_per_year"]),
        suspended_outages_per_year=float(m["suspended_outages_per_year"]),
        messages_suspended_per_year=float(m["messages_suspended_per_year"]),
        _batch=batch,
    )


def _stage_table(batch: Batch) -> pd.DataFrame:
    rel = batch.rel
    lam = float(batch.a["lam"][0])
    caps = batch.capacities(rel.full_active, rel.full_nodes)
    full = batch.tandem(rel.full_active, rel.full_nodes)
    queues = [(SEND, full.send, batch.send_servers(rel.full_active))]
    station_names = [n for n in caps if n != SEND and not (n == DESTINATION and rel.endpoint)]
    for name, (q, _) in zip(station_names, full.others, strict=True):
        queues.append((name, q, q.servers))
    rows = []
    for name, q, servers in queues:
        cap = float(np.asarray(caps[name]).ravel()[0])
        rows.append(
            {
                "stage": name,
                "servers": int(np.asarray(servers).ravel()[0]),
                "capacity_per_s": cap,
                "utilization": lam / cap,
                "stable": bool(np.asarray(q.stable).ravel()[0]),
                "mean_wait_s": float(np.asarray(q.mean_wait).ravel()[0]),
                "mean_response_s": float(np.asarray(q.mean_response).ravel()[0]),
                "model": str(np.asarray(getattr(q, "method", "erlang-c")).ravel()[0]),
            }
        )
    if rel.endpoint is not None and DESTINATION in caps:
        cap = float(np.asarray(caps[DESTINATION]).ravel()[0])
        rows.append(
            {
                "stage": DESTINATION,
                "servers": 0,
                "capacity_per_s": cap,
                "utilization": lam / cap,
                "stable": lam < cap,
                "mean_wait_s": 0.0,
                "mean_response_s": 0.0,
                "model": "capacity limit",
            }
        )
    return pd.DataFrame(rows)


def _states_table(batch: Batch) -> pd.DataFrame:
    """Send-tier failure states with the capacity and latency in each (others fully up)."""
    rel, a = batch.rel, batch.a
    ss = rel.send_states
    active = ss["active_instances"].to_numpy()
    serving = active >= 1
    act = np.maximum(active, 1)
    cap = np.full((1, len(ss)), np.inf)
    for v in batch.capacities(act, rel.full_nodes, ndim=1).values():
        cap = np.minimum(cap, v)
    cap = np.where(serving, cap[0], 0.0)
    pct = batch.tandem(act, rel.full_nodes, ndim=1).percentile(a["q"][:, None])[0]
    pct = np.where(serving, pct, np.inf)
    lam = float(a["lam"][0])
    return ss.assign(
        capacity_per_s=cap,
        throughput_fraction=np.minimum(lam, cap) / lam,
        latency_percentile_s=pct,
        meets_target=pct <= float(a["target"][0]),
    )


def _destination_states_table(batch: Batch) -> pd.DataFrame:
    """NLB pool states with the capacity and latency in each (send tier and MessageBox up)."""
    rel, a = batch.rel, batch.a
    block = rel.destination_block
    if rel.nlb is None:
        return pd.DataFrame(
            columns=[
                "nodes_up",
                "converging",
                "probability",
                "serving",
                "capacity_per_s",
                "throughput_fraction",
                "latency_percentile_s",
                "meets_target",
            ]
        )
    sp = block.state_probabilities
    nodes = sp["nodes_up"].to_numpy(dtype=int)
    serving = (nodes >= rel.nlb.needed) & ~sp["converging"].to_numpy(dtype=bool)
    nod = np.maximum(nodes, 1)
    cap = np.full((1, len(sp)), np.inf)
    for v in batch.capacities(rel.full_active, nod, ndim=1).values():
        cap = np.minimum(cap, v)
    cap = np.where(serving, cap[0], 0.0)
    pct = batch.tandem(rel.full_active, nod, ndim=1).percentile(a["q"][:, None])[0]
    pct = np.where(serving, pct, np.inf)
    lam = float(a["lam"][0])
    return sp.assign(
        serving=serving,
        capacity_per_s=cap,
        throughput_fraction=np.minimum(lam, cap) / lam,
        latency_percentile_s=pct,
        meets_target=pct <= float(a["target"][0]),
    )
