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

from availcalc._validation import check_nonnegative, check_type, scalar
from availcalc.model.metrics import (
    GROUPS,
    METRICS,
    PARTS,
    MetricSpec,
    format_metric,
    format_number,
    metric_spec,
)
from availcalc.model.queueing_part import DESTINATION, SEND, Batch, queueing_arrays
from availcalc.model.reliability_part import Reliability
from availcalc.model.schema import Scenario

__all__ = ["METRICS", "Evaluation", "OutageImpact", "evaluate"]


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


@dataclass(frozen=True, repr=False)
class Evaluation:
    """The answers for one scenario. Build with :func:`evaluate`.

    Times are in seconds, rates in messages per second, downtime in minutes per (365-day) year.
    Every headline result is an attribute named as in :data:`~availcalc.METRICS` (its spec
    gives the label, unit and meaning); ``metrics()`` returns them all as a dict,
    ``summary()`` as a tidy DataFrame, ``parts`` the availability of each part of the path.

    Attributes
    ----------
    scenario : Scenario
        The scenario evaluated.
    """

    scenario: Scenario
    _values: dict[str, Any] = field(compare=False)
    _batch: Batch = field(compare=False)

    # -- tables ----------------------------------------------------------------------------------
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

    @cached_property
    def parts(self) -> pd.DataFrame:
        """Availability and downtime of each part of the path, next to the whole path.

        One row per part (``MessageBox``, ``Send tier``, ``Destination``, then ``Whole
        path``); columns: part, modelled, availability, downtime_min_per_year. A part that is
        not modelled counts as always up. This shows what the send tier itself gets from more
        instances when another part dominates the path's downtime.
        """
        m = self._values
        rows = [
            {
                "part": label,
                "modelled": bool(self._batch.rel.parts[key]),
                "availability": m[f"{key}_availability"],
                "downtime_min_per_year": m[f"{key}_downtime_min_per_year"],
            }
            for key, label in PARTS.items()
        ]
        rows.append(
            {
                "part": "Whole path",
                "modelled": True,
                "availability": m["availability"],
                "downtime_min_per_year": m["downtime_min_per_year"],
            }
        )
        return pd.DataFrame(rows)

    @property
    def repair_crews(self) -> int:
        """Send-host instances that can be repaired at the same time (the rule in effect)."""
        block = self._batch.rel.send_block
        return int(getattr(block, "effective_crews", getattr(block, "crews", 1)))

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

    # -- questions -------------------------------------------------------------------------------
    def _check_instances_down(self, instances_down: Any) -> int:
        """Return ``instances_down`` checked against the instances the tier has."""
        rel = self._batch.rel
        k = rel.check_down(instances_down)
        most = rel.instances - 1  # every kind sends while one instance (node) is up
        if k > most:
            noun = rel.kind.noun(rel.instances)
            what = (
                f"with {rel.instances} {noun} ({rel.kind.name}), at most {most} can be down "
                "and one still send"
            )
            raise ValueError(
                f"instances_down must be in [0, {most}] ({what}); got {instances_down!r}"
            )
        return k

    def max_load_per_s(self, instances_down: int = 0) -> float:
        """Largest arrival rate meeting the latency target with ``instances_down`` failed.

        The MessageBox and destination are taken fully up. Returns 0.0 when no load meets the
        target: the service time (plus the other stages) alone exceeds it.

        Parameters
        ----------
        instances_down : int
            Failed send host instances, from 0 to instances − 1 (for a clustered handler 0
            or 1: the passive node takes over).

        Raises
        ------
        ValueError
            When ``instances_down`` leaves no instance to send (the question has no answer).
        """
        return self._batch.max_load(self._check_instances_down(instances_down))

    def latency_with_instances_down(self, instances_down: int = 1) -> float:
        """Return the latency percentile with ``instances_down`` send instances failed [s].

        Raises
        ------
        ValueError
            When ``instances_down`` leaves no instance to send.
        """
        k = self._check_instances_down(instances_down)
        if k == 1:
            return self.latency_one_down_s
        return self._batch.percentile_with_down(k)

    def backlog_after_outage(self, outage_s: float) -> OutageImpact:
        """Backlog, drain time and throttling after a send outage of ``outage_s`` seconds."""
        outage_s = scalar("outage_s", outage_s, check_nonnegative)
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

    # -- every metric, generated from the metric specs --------------------------------------------
    def metrics(self, include_max_load: bool = True) -> dict[str, Any]:
        """Return every headline result as a flat dict keyed as in :data:`METRICS`.

        Parameters
        ----------
        include_max_load : bool
            Include ``max_load_per_s`` and ``max_load_one_down_per_s`` (each a root search,
            about a millisecond); sweeps leave them out unless asked.
        """
        out: dict[str, Any] = {}
        for key, spec in METRICS.items():
            if spec.on_demand:
                if include_max_load:
                    out[key] = self._on_demand(key)
            else:
                out[key] = self._values[key]
        return out

    def metric(self, key: str) -> Any:
        """Return one headline result by its key in :data:`METRICS` (as :meth:`metrics` would).

        Examples
        --------
        >>> from availcalc import evaluate, load_preset
        >>> ev = evaluate(load_preset("msmq_nonclustered_3x"))
        >>> ev.metric("capacity_per_s"), ev.metric("max_load_one_down_per_s") > 0
        (600.0, True)
        """
        spec = metric_spec(key)
        return self._on_demand(key) if spec.on_demand else self._values[spec.key]

    def _on_demand(self, key: str) -> float:
        down = {"max_load_per_s": 0, "max_load_one_down_per_s": 1}[key]
        return self._batch.max_load(down)  # 0.0 when k down leaves no instance (documented)

    def summary(self) -> pd.DataFrame:
        """Return the headline results as a tidy DataFrame (metric, value, unit, label, group)."""
        rows = [
            (key, value, METRICS[key].unit, METRICS[key].label, GROUPS[METRICS[key].group])
            for key, value in self.metrics().items()
        ]
        return pd.DataFrame(rows, columns=["metric", "value", "unit", "label", "group"])

    def to_dict(self) -> dict[str, Any]:
        """Return inputs and results as JSON-ready data (inf becomes None).

        The shape (documented in ``docs/cli.md``, the same as ``availcalc evaluate --json``
        and each entry of ``availcalc compare --json``): ``name``, ``scenario`` (the inputs,
        as :meth:`Scenario.to_dict`), ``results`` (metric → value, every metric of
        :data:`METRICS`), ``units`` (metric → unit), ``parts``, ``stages``, ``states``,
        ``destination_states`` and ``downtime_breakdown`` (lists of row objects).
        """
        metrics = self.metrics()
        return {
            "name": self.scenario.name,
            "scenario": self.scenario.to_dict(),
            "results": {k: _json(v) for k, v in metrics.items()},
            "units": {k: METRICS[k].unit for k in metrics},
            "parts": _records(self.parts),
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
        parts = ", ".join(
            f"{label if key == 'messagebox' else label.lower()} "
            f"{format_number(self._values[f'{key}_downtime_min_per_year'])}"
            for key, label in PARTS.items()
            if self._batch.rel.parts[key]
        )
        crews = self.repair_crews
        return (
            f"Evaluation({self.scenario.name!r}: λ={w.arrival_rate_per_s:g} msg/s, "
            f"capacity {self.capacity_per_s:.4g} msg/s [{self.bottleneck}], "
            f"ρ={self.utilization:.3f}, {lat}, availability "
            f"{format_metric('availability', self.availability)} = "
            f"{format_number(self.downtime_min_per_year)} min/yr down ({parts}), "
            f"SLA availability {format_metric('sla_availability', self.sla_availability)} "
            f"incl. backlog drain, {crews} repair crew{'s' if crews != 1 else ''} for the "
            "send host)"
        )


def _metric_property(spec: MetricSpec) -> property:
    def get(self: Evaluation) -> Any:
        return self._values[spec.key]

    unit = f" [{spec.unit}]" if spec.unit else ""
    get.__doc__ = f"{spec.label}{unit}. {spec.help}"
    return property(get)


for _spec in METRICS.values():
    if not _spec.on_demand:
        setattr(Evaluation, _spec.key, _metric_property(_spec))
del _spec


def _pct(q: float) -> str:
    return f"{100 * q:g}".replace(".", "_")


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _json(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


# ------------------------------------------------------------------------------------------------


def check_scenario(scenario: Any, name: str = "scenario") -> None:
    """Require a :class:`Scenario`; else raise :class:`ValueError` naming ``name``.

    The one check every public function taking a scenario makes first, so a wrong argument
    (a number, a dict, a path) is refused by name rather than failing deep inside.
    """
    check_type(name, scenario, Scenario, "a Scenario (load_preset, load_scenario or Scenario)")


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
    check_scenario(scenario)
    rel = Reliability(scenario)
    batch = Batch(rel, queueing_arrays(scenario))
    values = {k: _scalar(v) for k, v in batch.metrics().items()}
    return Evaluation(scenario=scenario, _values=values, _batch=batch)


def _scalar(v: Any) -> Any:
    """Return the one point of a batch of one as a plain Python value."""
    x = v[0] if isinstance(v, np.ndarray) else v
    if isinstance(x, np.bool_ | bool):
        return bool(x)
    if isinstance(x, str):
        return x
    return float(x)


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
