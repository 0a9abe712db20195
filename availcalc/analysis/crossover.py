r"""Crossovers: the load, instance count or failover time at which an answer changes."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from availcalc._validation import (
    as_float_array,
    check_choice,
    check_integer,
    check_positive,
    check_type,
    scalar,
    sequence,
)
from availcalc.analysis.common import (
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER,
    check_metric,
    clustered_variant,
    metric_value,
    reliability_metric,
    scaled_out_variant,
)
from availcalc.analysis.sweep import sweep
from availcalc.model.evaluate import check_scenario, evaluate
from availcalc.model.kinds import CLUSTERED, SCALED_OUT
from availcalc.model.schema import Scenario

__all__ = [
    "HANDLER_COMPARISON_COLUMNS",
    "Crossover",
    "failover_time_where_clustering_loses",
    "handler_comparison",
    "load_at_latency_target",
    "scaled_out_beats_clustered_at",
]

#: Columns of :func:`handler_comparison`, in order.
HANDLER_COMPARISON_COLUMNS = [
    "instances",
    "handler",
    "nodes",
    "availability",
    "unavailability",
    "downtime_min_per_year",
    "sla_availability",
    "sla_downtime_min_per_year",
    "expected_throughput_fraction",
    "capacity_per_s",
    "latency_percentile_s",
    "meets_latency_target",
]


@dataclass(frozen=True)
class Crossover:
    """Where an answer changes, or the verdict that it never does in the range searched.

    Attributes
    ----------
    quantity : str
        What was searched, e.g. ``"failover time"`` or ``"scaled-out instances"``.
    unit : str
        Its unit (``"s"``, ``""``).
    value : float, int or None
        The crossover point; None when there is none in the range (see ``verdict``).
    verdict : str
        ``"crosses"`` (``value`` is the point), ``"always_loses"`` (the clustered pair loses
        over the whole range, even at its low end), ``"always_wins"`` (it still wins at the
        high end), ``"never"`` (no instance count up to ``high`` beats the pair).
    metric : str
        The metric compared (a key of :data:`availcalc.METRICS`).
    low, high : float
        The range searched [unit].
    """

    quantity: str
    unit: str
    value: float | int | None
    verdict: str
    metric: str
    low: float
    high: float

    @property
    def found(self) -> bool:
        """Whether a crossover point lies in the range searched."""
        return self.verdict == "crosses"

    def _range(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.low:g}–{self.high:g}{unit}"

    def __str__(self) -> str:
        on = f"on {self.metric}"
        if self.quantity == "failover time":
            if self.verdict == "crosses":
                return (
                    f"the clustered pair loses {on} above a failover time of "
                    f"{self.value:,.0f} s (searched {self._range()})"
                )
            if self.verdict == "always_loses":
                return f"the clustered pair loses {on} at every failover time in {self._range()}"
            return f"the clustered pair wins {on} at every failover time in {self._range()}"
        if self.verdict == "crosses":
            return (
                f"scaled out beats the clustered pair {on} from {self.value} instance(s) "
                f"(searched {self._range()})"
            )
        return f"no scaled-out count in {self._range()} beats the clustered pair {on}"

    def __repr__(self) -> str:
        return f"Crossover({self})"

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a JSON-ready dict."""
        return dict(self.__dict__)


def load_at_latency_target(scenario: Scenario, instances_down: int = 0) -> float:
    """Return the largest arrival rate meeting the latency target [msg/s].

    The same as ``evaluate(scenario).max_load_per_s(instances_down)``: the MessageBox and the
    destination are fully up, ``instances_down`` send host instances are failed.

    Parameters
    ----------
    scenario : Scenario
        The scenario (its arrival rate is ignored).
    instances_down : int
        Failed send host instances.

    Returns
    -------
    float
        The load [msg/s]; 0.0 when even the lightest load misses the target (the service
        time and the other stages alone exceed it).

    Raises
    ------
    ValueError
        For a negative or non-integer ``instances_down``, or one that leaves no instance to
        send (the question has no answer).

    Examples
    --------
    >>> from availcalc import load_preset
    >>> round(load_at_latency_target(load_preset("msmq_clustered_active_passive")), 1)
    597.0
    """
    check_scenario(scenario)
    return float(evaluate(scenario).max_load_per_s(instances_down))


def _better(a: float, b: float, metric: str) -> bool:
    """Whether ``a`` is strictly better than ``b`` on ``metric``."""
    if math.isnan(a) or math.isnan(b):
        return False
    if metric in LOWER_IS_BETTER:
        return a < b
    return metric in HIGHER_IS_BETTER and a > b


def scaled_out_beats_clustered_at(
    scenario: Scenario, metric: str = "sla_availability", *, max_instances: int = 32
) -> Crossover:
    """Return the fewest scaled-out instances that beat the clustered pair on a metric.

    The same scenario is evaluated with a clustered handler (the active/passive pair, 2
    nodes) and with a scaled-out handler on 1, 2, … instances (repair crews clamped to the
    count); the first count that is strictly better is returned.

    Parameters
    ----------
    scenario : Scenario
        The scenario (either handler).
    metric : str
        A numeric key of :data:`~availcalc.model.evaluate.METRICS`; lower is better for
        latencies, utilisation, unavailability, downtimes, outages and messages at risk or
        suspended; higher for capacity, loads, availabilities, nines and throughput. The
        echoed inputs (arrival rate, latency target) never differ, so give None.
    max_instances : int
        Largest instance count tried.

    Returns
    -------
    Crossover
        ``value`` the instance count (verdict ``"crosses"``), or None with verdict
        ``"never"`` when no count up to ``max_instances`` is better.

    Raises
    ------
    ValueError
        For an unknown or text metric, or ``max_instances`` < 1.

    Examples
    --------
    >>> from availcalc import load_preset
    >>> s = load_preset("msmq_clustered_active_passive")
    >>> scaled_out_beats_clustered_at(s, "availability").value
    2
    >>> scaled_out_beats_clustered_at(s, "capacity_per_s")  # the MessageBox caps both
    Crossover(no scaled-out count in 1–32 beats the clustered pair on capacity_per_s)
    """
    check_scenario(scenario)
    check_metric(metric)
    check_type("max_instances", max_instances, int, "an integer in [1, 10000]")
    check_integer("max_instances", max_instances, minimum=1, maximum=10_000)  # the field's limit
    ref = metric_value(evaluate(clustered_variant(scenario)), metric)

    def result(n: int | None) -> Crossover:
        verdict = "never" if n is None else "crosses"
        return Crossover("scaled-out instances", "", n, verdict, metric, 1, max_instances)

    for n in range(1, max_instances + 1):
        v = metric_value(evaluate(scaled_out_variant(scenario, n)), metric)
        if _better(v, ref, metric):
            return result(n)
    return result(None)


_FAILOVER_METRICS = ("availability", "sla_availability")


def failover_time_where_clustering_loses(
    scenario: Scenario,
    metric: str = "availability",
    *,
    instances: int | None = None,
    max_failover_s: float = 86_400.0,
) -> Crossover:
    r"""Return the failover time above which a clustered handler loses to scaling out [s].

    The clustered pair's (SLA) availability falls as its failover time grows; the
    scaled-out alternative (same scenario, scaled-out handler on ``instances``) does not
    fail over. The crossover is the root of :math:`U_\text{clustered}(T) =
    U_\text{scaled-out}` (or of the SLA unavailabilities).

    Parameters
    ----------
    scenario : Scenario
        The scenario (either handler).
    metric : {"availability", "sla_availability"}
        Path availability, or SLA availability (up and meeting the latency target).
    instances : int, optional
        Instances of the scaled-out alternative (default: the scenario's own count when it
        is scaled out, else 2).
    max_failover_s : float
        Largest failover time searched [s].

    Returns
    -------
    Crossover
        ``value`` the failover time [s] (verdict ``"crosses"``); None with verdict
        ``"always_loses"`` when the clustered pair loses even with an instant failover, or
        ``"always_wins"`` when it still wins at ``max_failover_s``.

    Raises
    ------
    ValueError
        For another metric, or a non-positive ``max_failover_s``.

    Notes
    -----
    The availability is compared through the unavailabilities, in log space (Brent's
    method); the SLA availability through :math:`1 - A_\text{SLA}`.

    Examples
    --------
    >>> from availcalc import load_preset
    >>> s = load_preset("msmq_clustered_active_passive")
    >>> round(failover_time_where_clustering_loses(s, instances=1).value)  # against one server
    2004
    >>> failover_time_where_clustering_loses(s, instances=2)  # 2 scaled out always win
    Crossover(the clustered pair loses on availability at every failover time in 0–86400 s)
    """
    check_scenario(scenario)
    check_choice("metric", metric, _FAILOVER_METRICS)
    max_failover_s = scalar("max_failover_s", max_failover_s, check_positive)
    clustered = clustered_variant(scenario)
    alternative = scaled_out_variant(scenario, instances)

    if metric == "availability":
        ref = math.log(reliability_metric(alternative, "unavailability"))

        def gap(t: float) -> float:
            s = clustered.replace(**{"send_host.failover_s": t})
            return math.log(reliability_metric(s, "unavailability")) - ref

    else:
        ref_sla = 1.0 - evaluate(alternative).sla_availability

        def gap(t: float) -> float:
            ev = evaluate(clustered.replace(**{"send_host.failover_s": t}))
            return (1.0 - ev.sla_availability) - ref_sla

    def result(value: float | None, verdict: str) -> Crossover:
        return Crossover("failover time", "s", value, verdict, metric, 0.0, max_failover_s)

    if gap(0.0) > 0:
        return result(None, "always_loses")
    if gap(max_failover_s) <= 0:
        return result(None, "always_wins")
    from scipy.optimize import brentq  # imported on use: scipy.optimize is slow to load

    return result(float(brentq(gap, 0.0, max_failover_s, xtol=1e-6, rtol=1e-10)), "crosses")


def handler_comparison(scenario: Scenario, instances: Iterable[int] = range(1, 9)) -> pd.DataFrame:
    """Evaluate the clustered pair and the scaled-out handler over instance counts.

    Parameters
    ----------
    scenario : Scenario
        The scenario (either handler); its send host, port, MessageBox and destination are
        kept.
    instances : iterable of int
        Instance counts of the scaled-out handler.

    Returns
    -------
    DataFrame
        Tidy, two rows per instance count (``handler`` = ``"scaled_out"`` and
        ``"clustered"``). Columns: ``instances`` (the x value), ``handler``, ``nodes`` (servers
        actually used: the count when scaled out, the cluster's nodes when clustered),
        ``availability``,
        ``unavailability`` [-], ``downtime_min_per_year`` [min/yr], ``sla_availability`` [-],
        ``sla_downtime_min_per_year`` [min/yr], ``expected_throughput_fraction`` [-],
        ``capacity_per_s`` [msg/s], ``latency_percentile_s`` [s], ``meets_latency_target``.

    Raises
    ------
    ValueError
        For an empty ``instances`` or a count below 1.

    Notes
    -----
    A clustered handler sends from one node whatever its node count, so its row (the
    scenario's cluster, or a pair when the scenario is scaled out) is evaluated once and
    repeated at every instance count: it draws as a flat reference line next to the
    scaled-out curve (``nodes`` says how many nodes it has).

    Examples
    --------
    >>> from availcalc import load_preset
    >>> df = handler_comparison(load_preset("msmq_clustered_active_passive"), [1, 2, 3])
    >>> df[["instances", "handler", "nodes"]].values.tolist()[:2]
    [[1, 'scaled_out', 1], [1, 'clustered', 2]]
    >>> df.pivot(index="instances", columns="handler", values="downtime_min_per_year").round(1)
    handler    clustered  scaled_out
    instances
    1               27.5       265.1
    2               27.5        13.4
    3               27.5        13.3
    """
    check_scenario(scenario)
    counts = sequence("instances", instances)
    check_integer("instances", as_float_array("instances", counts), minimum=1)
    counts = [int(n) for n in counts]
    base = scaled_out_variant(scenario, max(counts))
    crews = scenario.send_host.repair_crews
    params: dict[str, list[object]] = {"send_host.instances": counts}
    if crews is not None:
        params["send_host.repair_crews"] = [min(crews, n) for n in counts]
    so = sweep(base, params, grid=False)
    clustered = clustered_variant(scenario)
    nodes = clustered.send_host.instances
    cl = evaluate(clustered).metrics(include_max_load=False)
    metric_cols = HANDLER_COMPARISON_COLUMNS[3:]
    rows = []
    for i, n in enumerate(counts):
        rows.append(
            {
                "instances": n,
                "handler": SCALED_OUT.key,
                "nodes": n,
                **{k: so[k].iloc[i] for k in metric_cols},
            }
        )
        rows.append(
            {
                "instances": n,
                "handler": CLUSTERED.key,
                "nodes": nodes,
                **{k: cl[k] for k in metric_cols},
            }
        )
    out = pd.DataFrame(rows, columns=HANDLER_COMPARISON_COLUMNS)
    return out.astype({"meets_latency_target": bool})
