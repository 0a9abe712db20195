"""Planning questions on top of :func:`~availcalc.evaluate`: sizing and side-by-side comparison."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from availcalc.model._core import Batch, Reliability, queueing_arrays
from availcalc.model.evaluate import Evaluation, _json, evaluate
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
    evaluation : Evaluation or None
        The full evaluation of the scenario at that size.
    """

    instances: int | None
    feasible: bool
    reason: str
    instances_down: int
    latency_percentile_s: float
    availability: float
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
            )
        }
        out["evaluation"] = None if self.evaluation is None else self.evaluation.to_dict()
        return out


def size_instances(
    scenario: Scenario,
    instances_down: int = 1,
    availability_target: float | None = None,
) -> Sizing:
    """Return the fewest send host instances meeting the latency target with k instances down.

    The latency percentile with ``instances_down`` instances failed (MessageBox and destination
    up) must be within ``workload.latency_target_s``; if ``availability_target`` is given, the
    path availability must reach it too. Both improve monotonically with the instance count, so
    the search doubles then bisects: O(log N) evaluations.

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

    Returns
    -------
    Sizing

    Raises
    ------
    ValueError
        For ``instances_down`` < 0 or an availability target outside (0, 1).

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
    if availability_target is not None and not (0.0 < availability_target < 1.0):
        raise ValueError(
            f"availability_target must be in the open interval (0, 1); got {availability_target!r}"
        )
    h = scenario.send_host
    target = scenario.workload.latency_target_s

    if h.handler == "clustered":
        ev = evaluate(scenario)
        lat = ev.latency_with_instances_down(instances_down)
        if instances_down >= 2:
            return _no(
                scenario,
                instances_down,
                lat,
                ev,
                "a clustered handler has 2 nodes: it cannot lose 2 and keep sending",
            )
        if lat > target:
            return _no(
                scenario,
                instances_down,
                lat,
                ev,
                f"one clustered node gives p{_p(scenario)} {lat:.4g} s > target {target:g} s;"
                " a clustered handler cannot scale out",
            )
        if availability_target is not None and ev.availability < availability_target:
            return _no(
                scenario,
                instances_down,
                lat,
                ev,
                f"availability {ev.availability:.6f} < target {availability_target}",
            )
        return Sizing(
            2,
            True,
            "clustered pair: one node meets the latency target",
            instances_down,
            lat,
            ev.availability,
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
    if availability_target is not None:

        def avail_ok(k: int) -> bool:
            return evaluate(_with_n(scenario, k)).availability >= availability_target

        n_av = _first_true(avail_ok, n_lat, min(MAX_INSTANCES, n_lat + 64))
        if n_av is None:
            ev = evaluate(_with_n(scenario, n_lat))
            return _no(
                scenario,
                instances_down,
                _latency(scenario, n_lat, instances_down),
                ev,
                f"availability cannot reach {availability_target}: the other components "
                f"cap it (breakdown: {_top_component(ev)})",
            )
        if n_av > n_lat:
            reason = f"availability target {availability_target}"
        n = n_av
    ev = evaluate(_with_n(scenario, n))
    return Sizing(
        n,
        True,
        reason,
        instances_down,
        ev.latency_with_instances_down(instances_down),
        ev.availability,
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
    return Sizing(None, False, why, k, lat, math.nan if ev is None else ev.availability, ev)


_COMPARE_ROWS = [
    ("handler", "handler", ""),
    ("instances", "instances", ""),
    ("transactional", "transactional sends", ""),
    ("capacity_per_s", "capacity", "msg/s"),
    ("bottleneck", "bottleneck", ""),
    ("utilization", "utilization", ""),
    ("mean_latency_s", "mean latency", "s"),
    ("latency_percentile_s", "latency percentile", "s"),
    ("meets_latency_target", "meets latency target", ""),
    ("max_load_one_down_per_s", "max load with 1 down", "msg/s"),
    ("availability", "availability", ""),
    ("nines", "nines", ""),
    ("downtime_min_per_year", "downtime", "min/yr"),
    ("failures_per_year", "outages", "1/yr"),
    ("planned_downtime_min_per_year", "planned downtime", "min/yr"),
    ("sla_availability", "SLA availability", ""),
    ("sla_downtime_min_per_year", "SLA downtime", "min/yr"),
    ("sla_availability_with_backlog", "SLA availability incl. backlog drain", ""),
    ("backlog_sla_downtime_min_per_year", "SLA downtime from backlogs", "min/yr"),
    ("expected_throughput_fraction", "expected throughput", ""),
    ("messages_at_risk_per_year", "messages at risk", "msg/yr"),
    ("suspended_outages_per_year", "outages outlasting the retries", "1/yr"),
    ("messages_suspended_per_year", "messages suspended", "msg/yr"),
]


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
    data: dict[str, list[Any]] = {
        "unit": [u for _, _, u in _COMPARE_ROWS],
        "label": [lbl for _, lbl, _ in _COMPARE_ROWS],
    }
    for name, ev in zip(names, evals, strict=True):
        data[name] = [_compare_value(ev, key) for key, _, _ in _COMPARE_ROWS]
    return pd.DataFrame(data, index=pd.Index([k for k, _, _ in _COMPARE_ROWS], name="metric"))


def _compare_value(ev: Evaluation, key: str) -> Any:
    s = ev.scenario
    if key == "handler":
        return s.send_host.handler
    if key == "instances":
        return s.send_host.instances
    if key == "transactional":
        return s.send_port.transactional
    if key == "max_load_one_down_per_s":
        return ev.max_load_per_s(1)
    return getattr(ev, key)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out
