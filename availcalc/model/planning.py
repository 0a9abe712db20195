"""Planning questions on top of :func:`~availcalc.evaluate`: sizing and side-by-side comparison."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from availcalc._validation import check_probability, check_type, scalar, sequence
from availcalc.model.evaluate import Evaluation, _json, check_scenario, evaluate
from availcalc.model.metrics import METRICS
from availcalc.model.queueing_part import Batch, queueing_arrays
from availcalc.model.reliability_part import Reliability
from availcalc.model.schema import Scenario

__all__ = ["Sizing", "compare", "size_instances"]

MAX_INSTANCES = 10_000
#: Most instance counts :func:`size_instances` walks under MessageBox contention (its latency
#: is then not monotone in the instances, so no bisection), about 0.2 s of latency inversions.
CONTENTION_WALK = 2_000


@dataclass(frozen=True)
class Sizing:
    """The answer of :func:`size_instances`.

    The availability, SLA availability and full evaluation at the size are computed on first
    use (one :func:`~availcalc.evaluate`), so a sizing that only asks for the count costs a
    few latency inversions.

    Attributes
    ----------
    instances : int or None
        Fewest host instances meeting every target; None when no size does.
    feasible : bool
        Whether some size meets every target.
    reason : str
        What limits the answer, in words (the binding target, or why none is feasible).
    instances_down : int
        Failed instances the latency target must survive.
    latency_percentile_s : float
        Latency percentile at that size with ``instances_down`` failed [s].
    scenario : Scenario or None
        The scenario at that size (for an infeasible target, at the size that was judged);
        None when no size was judged.
    """

    instances: int | None
    feasible: bool
    reason: str
    instances_down: int
    latency_percentile_s: float
    scenario: Scenario | None = field(default=None, repr=False)
    _known: Evaluation | None = field(default=None, repr=False, compare=False)

    @cached_property
    def evaluation(self) -> Evaluation | None:
        """The full evaluation of :attr:`scenario` (None without one)."""
        if self._known is not None or self.scenario is None:
            return self._known
        return evaluate(self.scenario)

    @property
    def availability(self) -> float:
        """Path availability at that size [-] (NaN without a scenario)."""
        return math.nan if self.evaluation is None else self.evaluation.availability

    @property
    def sla_availability(self) -> float:
        """SLA availability at that size, post-outage backlog drain included [-] (or NaN)."""
        return math.nan if self.evaluation is None else self.evaluation.sla_availability

    def __repr__(self) -> str:
        return (
            f"Sizing(instances={self.instances!r}, feasible={self.feasible!r}, "
            f"reason={self.reason!r}, instances_down={self.instances_down!r}, "
            f"latency_percentile_s={self.latency_percentile_s!r}, "
            f"availability={self.availability!r}, sla_availability={self.sla_availability!r})"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (the evaluation's results included)."""
        out = {
            k: _json(getattr(self, k))
            for k in (
                "instances",
                "feasible",
                "reason",
                "instances_down",
                "latency_percentile_s",
                "availability",
                "sla_availability",
            )
        }
        out["evaluation"] = None if self.evaluation is None else self.evaluation.to_dict()
        return out


def size_instances(
    scenario: Scenario,
    instances_down: int = 1,
    availability_target: float | None = None,
    sla_target: float | None = None,
) -> Sizing:
    """Return the fewest send host instances meeting the latency target with k instances down.

    The latency percentile with ``instances_down`` instances failed (MessageBox and destination
    up) must be within ``workload.latency_target_s``; if ``availability_target`` is given, the
    path availability must reach it too, and if ``sla_target`` is given, the SLA availability
    (the headline figure: up and on time, post-outage backlog drain included). Each improves
    monotonically with the instance count, so the search doubles then bisects: O(log N)
    latency inversions, starting at the fewest instances whose send stage is stable (λ below
    the active instances × concurrency / service time: the M/M/c and G/G/c stability
    condition ρ = λ/(cμ) < 1; Kleinrock, *Queueing Systems* vol. 1, Wiley 1975, §3.5; Gross
    et al., *Fundamentals of Queueing Theory*, 4th ed., Wiley 2008). The latency at a
    candidate count needs no reliability part: only the active instances change, the stages
    and queueing inputs are the scenario's.

    A clustered handler is an active/passive pair: its only size is 2, feasible when one node
    meets the target (and no more than one node is down).

    With ``messagebox.contention_per_host`` σ > 0 each instance more slows the MessageBox
    (capacity C/(1+σ(H−1)), Gunther's contention term), so the latency is no longer monotone in
    the instances: the search walks up one instance at a time. It starts at the answer
    without contention (a slower MessageBox never makes a count feasible that was not), and
    stops with no answer once the MessageBox station *alone* misses the target: the latency
    is a sum of independent stage times, so its quantile is at least that station's, and that
    station only slows with more instances (no count above can meet the target), or after
    :data:`CONTENTION_WALK` counts. The SLA target, not monotone either, is walked the same
    way.

    Parameters
    ----------
    scenario : Scenario
        The scenario to size; ``send_host.instances`` is the quantity searched.
    instances_down : int
        Instances that may be failed while the latency target must still hold (N−k sizing).
    availability_target : float, optional
        Required path availability in (0, 1).
    sla_target : float, optional
        Required SLA availability in (0, 1) (``Evaluation.sla_availability``).

    Returns
    -------
    Sizing

    Raises
    ------
    ValueError
        For ``instances_down`` < 0 or an availability or SLA target outside (0, 1).

    Examples
    --------
    >>> from availcalc import load_preset
    >>> size_instances(load_preset("http_scaled_out_2node"), instances_down=1).instances
    5
    """
    check_scenario(scenario)
    mb = scenario.messagebox
    contention = mb is not None and mb.contention_per_host > 0.0
    instances_down = Reliability.check_down(instances_down)
    if availability_target is not None:
        availability_target = scalar("availability_target", availability_target, check_probability)
    if sla_target is not None:
        sla_target = scalar("sla_target", sla_target, check_probability)
    h = scenario.send_host
    target = scenario.workload.latency_target_s
    kind = h.handler_kind
    k = instances_down
    rel = Reliability(scenario)
    batch = Batch(rel, queueing_arrays(scenario))

    @functools.cache
    def latency(n: int) -> float:
        """Latency percentile with ``k`` of ``n`` instances failed [s] (see above)."""
        active = kind.active_with_down(n, k)
        if active == 0:
            return math.inf
        return float(batch.tandem(active, rel.full_nodes).percentile(batch.a["q"])[0])

    def messagebox_alone(n: int) -> float:
        """Latency percentile of the MessageBox station alone with ``k`` of ``n`` down [s]."""
        active = max(kind.active_with_down(n, k), 1)
        (station, _), *_ = batch.tandem(active, rel.full_nodes).others
        return float(np.asarray(station.response_percentile(batch.a["q"]))[0])

    stopped: list[int] = []  # where a walk under contention gave up

    def first(pred: Any, lo: int, hi: int) -> int | None:
        """Smallest n in [lo, hi] with pred(n): bisection, or a walk under contention."""
        if not contention:
            return _first_true(pred, lo, hi)
        for m in range(lo, min(hi, lo + CONTENTION_WALK) + 1):
            if pred(m):
                return m
            if messagebox_alone(m) > target:
                stopped.append(m)
                return None
        return None

    evaluations: dict[int, Evaluation] = {}

    def evaluation(n: int) -> Evaluation:
        if n not in evaluations:
            evaluations[n] = evaluate(_with_n(scenario, n))
        return evaluations[n]

    def value(n: int, key: str) -> float:
        if key == "availability":  # the reliability part alone gives evaluate's number
            return Reliability(_with_n(scenario, n)).measures[key]
        return float(getattr(evaluation(n), key))

    def sizing(n: int, feasible: bool, reason: str) -> Sizing:
        s_n = _with_n(scenario, n)
        lat = latency(n)
        return Sizing(n if feasible else None, feasible, reason, k, lat, s_n, evaluations.get(n))

    goals = (
        ("availability", availability_target, "availability"),
        ("sla_availability", sla_target, "SLA availability (incl. backlog drain)"),
    )
    if not kind.instances_add_capacity:
        n = h.instances
        if kind.active_with_down(n, k) == 0:
            return sizing(
                n,
                False,
                f"a {kind.name} handler on {n} {kind.noun(n)} cannot lose {k} and keep sending",
            )
        lat = latency(n)
        if lat > target:
            return sizing(
                n,
                False,
                f"one {kind.name} node gives p{_p(scenario)} {lat:.4g} s > target {target:g} s;"
                f" a {kind.name} handler cannot scale out",
            )
        for key, goal, what in goals:
            if goal is not None and (v := value(n, key)) < goal:
                return sizing(n, False, f"{what} {v:.6f} < target {goal}")
        return sizing(
            n, True, f"{kind.name} on {n} {kind.noun(n)}: one node meets the latency target"
        )

    lo = k + 1
    if not rel.ordered:
        # with fewer active instances than λ·S / concurrency the send stage is unstable
        # (ρ ≥ 1): no latency to invert. Active ≤ n − k, so n ≥ k + ⌊λ/(concurrency·μ)⌋.
        per_instance = float(batch.a["conc"][0] * batch.send_rate[0])
        lam = scenario.workload.arrival_rate_per_s
        lo = min(max(lo, k + int(lam / per_instance)), MAX_INSTANCES)
    if contention:  # no count below the answer without contention can meet the target
        free = size_instances(scenario.replace(**{"messagebox.contention_per_host": 0.0}), k)
        if free.instances is None:
            return Sizing(None, False, free.reason, k, latency(min(lo, MAX_INSTANCES)))
        lo = max(lo, free.instances)
    n_lat = first(lambda n: latency(n) <= target, lo, MAX_INSTANCES)
    if n_lat is None and contention and not stopped:
        return Sizing(
            None,
            False,
            f"no instance count from {lo} to {lo + CONTENTION_WALK} meets the {target:g} s "
            f"latency target under MessageBox contention {mb.contention_per_host:g} per host",
            k,
            latency(min(lo + CONTENTION_WALK, MAX_INSTANCES)),
        )
    if n_lat is None and stopped:
        m = stopped[-1]
        alone = messagebox_alone(m)
        what = (
            f"cannot carry {scenario.workload.arrival_rate_per_s:g} msg/s"
            if math.isinf(alone)
            else f"alone gives p{_p(scenario)} {alone:.4g} s"
        )
        return Sizing(
            None,
            False,
            f"no instance count meets the {target:g} s latency target: with {m} instances "
            f"polling it the MessageBox {what}, and each instance more slows it "
            f"(contention {mb.contention_per_host:g} per host)",
            k,
            latency(m),
        )
    if n_lat is None:
        ev = evaluate(_with_n(scenario, MAX_INSTANCES))
        lat = ev.latency_with_instances_down(k)
        lam = scenario.workload.arrival_rate_per_s
        if not ev.stable:
            why = (
                f"the {ev.bottleneck} caps capacity at {ev.capacity_per_s:.4g} msg/s, "
                f"below the load of {lam:g} msg/s"
            )
        elif scenario.send_port.ordered_delivery:
            why = (
                f"an ordered port sends one message at a time, so p{_p(scenario)} stays "
                f"{lat:.4g} s at any instance count"
            )
        else:
            why = (
                f"even {MAX_INSTANCES} instances give p{_p(scenario)} {lat:.4g} s: the send "
                "time itself (and the other stages) exceed the target"
            )
        return Sizing(
            None, False, f"no instance count meets the {target:g} s latency target: {why}", k, lat
        )
    reason = f"latency target with {k} instance(s) down"
    n = n_lat
    for key, goal, what in goals:
        if goal is None:
            continue
        n_goal = first(
            lambda m, key=key, goal=goal: value(m, key) >= goal, n, min(MAX_INSTANCES, n + 64)
        )
        if n_goal is None:
            top = _top_component(evaluation(n))
            return sizing(
                n,
                False,
                f"{what} cannot reach {goal}: the other components cap it (breakdown: {top})",
            )
        if n_goal > n:
            reason = f"{what} target {goal}"
        n = n_goal
    return sizing(n, True, reason)


def _p(s: Scenario) -> str:
    return f"{100 * s.workload.latency_percentile:g}"


def _with_n(scenario: Scenario, n: int) -> Scenario:
    h = scenario.send_host
    if n == h.instances:
        return scenario
    changes: dict[str, Any] = {"send_host.instances": n}
    if h.repair_crews is not None and h.repair_crews > n:
        changes["send_host.repair_crews"] = n
    return scenario.replace(**changes)


def _first_true(pred: Any, lo: int, hi: int) -> int | None:
    """Smallest n in [lo, hi] with pred(n) True, for a monotone pred (doubling + bisection)."""
    if pred(lo):
        return lo
    step, prev = 1, lo
    while True:
        cand = min(lo + step, hi)
        if pred(cand):
            break
        if cand == hi:
            return None
        prev, step = cand, step * 2
    a, b = prev, cand  # pred(a) False, pred(b) True
    while b - a > 1:
        mid = (a + b) // 2
        if pred(mid):
            b = mid
        else:
            a = mid
    return b


def _top_component(ev: Evaluation) -> str:
    df = ev.downtime_breakdown.sort_values("downtime_min_per_year", ascending=False)
    top = df.iloc[0]
    return f"{top['component']} {top['downtime_min_per_year']:.3g} min/yr"


#: What describes each scenario in :func:`compare`, above the metrics: key → (label, getter).
_DESCRIPTORS: dict[str, tuple[str, Any]] = {
    "handler": ("Adapter handler", lambda ev: ev.scenario.send_host.handler),
    "instances": ("Host instances", lambda ev: ev.scenario.send_host.instances),
    "repair_crews": ("Repair crews (send host)", lambda ev: ev.repair_crews),
    "transactional": ("Transactional sends", lambda ev: ev.scenario.send_port.transactional),
}


def compare(
    scenarios: Sequence[Scenario | Evaluation], names: Sequence[str] | None = None
) -> pd.DataFrame:
    """Evaluate scenarios and return them side by side.

    Parameters
    ----------
    scenarios : sequence of Scenario or Evaluation
        The scenarios to compare (e.g. the same workload clustered vs scaled out); an
        :class:`Evaluation` already computed is used as it is.
    names : sequence of str, optional
        Column names (default: each scenario's ``name``, made unique).

    Returns
    -------
    DataFrame
        One row per metric (index ``metric``, with a ``unit`` column), one column per scenario.

    Examples
    --------
    >>> from availcalc import load_preset
    >>> df = compare([load_preset("msmq_clustered_active_passive"),
    ...               load_preset("msmq_nonclustered_3x")], ["clustered", "scaled out"])
    >>> df.loc[["capacity_per_s", "messages_at_risk_per_year"], "scaled out"].round(1).tolist()
    [600.0, 39.7]
    """
    scenarios = sequence("scenarios", scenarios)
    for s in scenarios:
        check_type("scenarios", s, (Scenario, Evaluation), "a sequence of Scenario or Evaluation")
    evals = [s if isinstance(s, Evaluation) else evaluate(s) for s in scenarios]
    if names is None:
        names = _unique([ev.scenario.name for ev in evals])
    elif len(names := sequence("names", names)) != len(scenarios):
        raise ValueError(
            f"names must have one entry per scenario ({len(scenarios)}); got {len(names)}"
        )
    keys = [*_DESCRIPTORS, *METRICS]
    data: dict[str, list[Any]] = {
        "unit": [METRICS[k].unit if k in METRICS else "" for k in keys],
        "label": [METRICS[k].label if k in METRICS else _DESCRIPTORS[k][0] for k in keys],
    }
    for name, ev in zip(names, evals, strict=True):
        values = ev.metrics()
        data[name] = [values[k] if k in METRICS else _DESCRIPTORS[k][1](ev) for k in keys]
    return pd.DataFrame(data, index=pd.Index(keys, name="metric"))


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out
