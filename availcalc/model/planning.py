"""Planning questions on top of :func:`~availcalc.evaluate`: sizing and side-by-side comparison."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from availcalc.model.evaluate import Evaluation, _json, evaluate
from availcalc.model.metrics import METRICS
from availcalc.model.queueing_part import Batch, queueing_arrays
from availcalc.model.reliability_part import Reliability
from availcalc.model.schema import Scenario

__all__ = ["Sizing", "compare", "size_instances"]

MAX_INSTANCES = 10_000


@dataclass(frozen=True)
class Sizing:
    """The answer of :func:`size_instances`.

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
    availability : float
        Path availability at that size [-].
    sla_availability : float
        SLA availability at that size, post-outage backlog drain included [-].
    evaluation : Evaluation or None
        The full evaluation of the scenario at that size.
    """

    instances: int | None
    feasible: bool
    reason: str
    instances_down: int
    latency_percentile_s: float
    availability: float
    sla_availability: float
    evaluation: Evaluation | None = field(repr=False)

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
    evaluations.

    A clustered handler is an active/passive pair: its only size is 2, feasible when one node
    meets the target (and no more than one node is down).

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
    if (
        isinstance(instances_down, bool)
        or not isinstance(instances_down, int)
        or (instances_down < 0)
    ):
        raise ValueError(f"instances_down must be an integer >= 0; got {instances_down!r}")
    for name, goal in (("availability_target", availability_target), ("sla_target", sla_target)):
        if goal is not None and not (0.0 < goal < 1.0):
            raise ValueError(f"{name} must be in the open interval (0, 1); got {goal!r}")
    h = scenario.send_host
    target = scenario.workload.latency_target_s

    kind = h.handler_kind
    if not kind.instances_add_capacity:
        ev = evaluate(scenario)
        if kind.active_with_down(h.instances, instances_down) == 0:
            return _no(
                scenario,
                instances_down,
                math.inf,
                ev,
                f"a {kind.name} handler on {h.instances} {kind.noun(h.instances)} cannot lose "
                f"{instances_down} and keep sending",
            )
        lat = ev.latency_with_instances_down(instances_down)
        for failed, why in (
            (
                lat > target,
                f"one {kind.name} node gives p{_p(scenario)} {lat:.4g} s > target {target:g} s;"
                f" a {kind.name} handler cannot scale out",
            ),
            (
                availability_target is not None and ev.availability < availability_target,
                f"availability {ev.availability:.6f} < target {availability_target}",
            ),
            (
                sla_target is not None and ev.sla_availability < sla_target,
                f"SLA availability (incl. backlog drain) {ev.sla_availability:.6f} < target "
                f"{sla_target}",
            ),
        ):
            if failed:
                return _no(scenario, instances_down, lat, ev, why)
        return Sizing(
            h.instances,
            True,
            f"{kind.name} on {h.instances} {kind.noun(h.instances)}: one node meets the latency "
            "target",
            instances_down,
            lat,
            ev.availability,
            ev.sla_availability,
            ev,
        )

    def latency_ok(n: int) -> bool:
        return _latency(scenario, n, instances_down) <= target

    lo = instances_down + 1
    n_lat = _first_true(latency_ok, lo, MAX_INSTANCES)
    if n_lat is None:
        s_max = scenario.replace(**{"send_host.instances": MAX_INSTANCES})
        ev = evaluate(s_max)
        lat = ev.latency_with_instances_down(instances_down)
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
        return _no(
            scenario,
            instances_down,
            lat,
            None,
            f"no instance count meets the {target:g} s latency target: {why}",
        )
    reason = f"latency target with {instances_down} instance(s) down"
    n = n_lat
    for key, goal, what in (
        ("availability", availability_target, "availability"),
        ("sla_availability", sla_target, "SLA availability (incl. backlog drain)"),
    ):
        if goal is None:
            continue

        def ok(k: int, key: str = key, goal: float = goal) -> bool:
            return getattr(evaluate(_with_n(scenario, k)), key) >= goal

        n_goal = _first_true(ok, n, min(MAX_INSTANCES, n + 64))
        if n_goal is None:
            ev = evaluate(_with_n(scenario, n))
            return _no(
                scenario,
                instances_down,
                _latency(scenario, n, instances_down),
                ev,
                f"{what} cannot reach {goal}: the other components cap it "
                f"(breakdown: {_top_component(ev)})",
            )
        if n_goal > n:
            reason = f"{what} target {goal}"
        n = n_goal
    ev = evaluate(_with_n(scenario, n))
    return Sizing(
        n,
        True,
        reason,
        instances_down,
        ev.latency_with_instances_down(instances_down),
        ev.availability,
        ev.sla_availability,
        ev,
    )


def _p(s: Scenario) -> str:
    return f"{100 * s.workload.latency_percentile:g}"


def _with_n(scenario: Scenario, n: int) -> Scenario:
    h = scenario.send_host
    changes: dict[str, Any] = {"send_host.instances": n}
    if h.repair_crews is not None and h.repair_crews > n:
        changes["send_host.repair_crews"] = n
    return scenario.replace(**changes)


def _latency(scenario: Scenario, n: int, instances_down: int) -> float:
    s = _with_n(scenario, n)
    return Batch(Reliability(s), queueing_arrays(s)).percentile_with_down(instances_down)


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


def _no(scenario: Scenario, k: int, lat: float, ev: Evaluation | None, why: str) -> Sizing:
    return Sizing(
        None,
        False,
        why,
        k,
        lat,
        math.nan if ev is None else ev.availability,
        math.nan if ev is None else ev.sla_availability,
        ev,
    )


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
    scenarios = list(scenarios)
    if not scenarios:
        raise ValueError("scenarios must contain at least one scenario; got none")
    evals = [s if isinstance(s, Evaluation) else evaluate(s) for s in scenarios]
    if names is None:
        names = _unique([ev.scenario.name for ev in evals])
    elif len(names) != len(scenarios):
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
