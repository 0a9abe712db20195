"""Choices and defaults for the UI's analyses: sweep parameters, ranges, metrics, variants."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from availcalc.analysis.common import (
    PATH_METRICS,
    clustered_variant,
    downtime_partner,
    scaled_out_variant,
)
from availcalc.analysis.importance import IMPORTANCE_METRICS
from availcalc.model.kinds import CLUSTERED, SCALED_OUT
from availcalc.model.metrics import METRICS
from availcalc.model.schema import FieldSpec, Scenario, numeric_fields
from availcalc.ui.fields import SECTION_SHORT

__all__ = [
    "BLOCK_IMPORTANCE_COLUMNS",
    "HEATMAP_Y_DEFAULTS",
    "LATENCY_METRICS",
    "MAX_LOAD_METRICS",
    "SLA_METRICS",
    "contour_level",
    "default_range",
    "handler_variants",
    "importance_metric_options",
    "metric_options",
    "parameter_options",
    "sweep_values",
]

#: Metrics that need a root search per point (``sweep(include_max_load=True)``).
MAX_LOAD_METRICS = frozenset({"max_load_per_s", "max_load_one_down_per_s"})
#: Preferred y axes of the two-way heatmap (first one the scenario can vary).
HEATMAP_Y_DEFAULTS = ["send_host.instances", "send_host.concurrency", "send_host.service_time_s"]
_AVAILABILITY_METRICS = frozenset(
    {"availability", "sla_availability", "expected_throughput_fraction"}
)
#: Columns of :func:`availcalc.block_importance` worth a table (the rest are in the CSV).
BLOCK_IMPORTANCE_COLUMNS = [
    "block",
    "downtime_min_per_year",
    "share_of_downtime",
    "criticality",
    "birnbaum",
    "downtime_saved_if_perfect_min_per_year",
]
#: Latency metrics (drawn against the load with the capacity asymptote and the target).
LATENCY_METRICS = frozenset({"mean_latency_s", "latency_percentile_s", "latency_one_down_s"})
#: Performability metrics (drawn against the load or instances with the availability target).
SLA_METRICS = frozenset({"sla_availability", "expected_throughput_fraction"})
_NOT_PLOTTABLE = frozenset({"bottleneck", "stable", "meets_latency_target", "latency_target_s"})


def metric_options() -> dict[str, str]:
    """Return metric key → label (with unit) for every numeric metric a sweep can plot."""
    return {k: spec.title for k, spec in METRICS.items() if k not in _NOT_PLOTTABLE}


def importance_metric_options() -> dict[str, str]:
    """Return metric key → label of the losses :func:`availcalc.importance` can rank on.

    One entry per distinct loss, in the order of :data:`~availcalc.METRICS`: an availability
    whose downtime is offered too is left out (both give the same ranking).

    Examples
    --------
    >>> list(importance_metric_options())[:2]
    ['downtime_min_per_year', 'sla_downtime_min_per_year']
    """
    keys = [k for k in METRICS if k in IMPORTANCE_METRICS]
    # the path metrics are all the path downtime; an availability is its downtime partner
    distinct = [
        k
        for k in keys
        if (k == "downtime_min_per_year" if k in PATH_METRICS else downtime_partner(k) in (k, None))
    ]
    titles = {k: METRICS[k].title for k in distinct}
    titles["downtime_min_per_year"] += ": reliability inputs only"
    return titles


def _section_title(path: str, scenario: Scenario) -> str:
    section = path.split(".", 1)[0]
    if section == "destination" and scenario.destination is not None:
        return SECTION_SHORT[f"destination.{scenario.destination.kind}"]
    return SECTION_SHORT[section]


def parameter_options(scenario: Scenario) -> dict[str, str]:
    """Return dotted path → label for every numeric field a sweep can vary in ``scenario``.

    Fields that are empty (None) are left out, and so is the instance count of a clustered
    handler (a clustered pair has exactly 2).

    Examples
    --------
    >>> from availcalc import load_preset
    >>> opts = parameter_options(load_preset("http_scaled_out_2node_tuned"))
    >>> opts["workload.arrival_rate_per_s"]
    'Workload › Arrival rate λ (msg/s)'
    """
    out: dict[str, str] = {}
    for path, spec in numeric_fields(scenario).items():
        if (
            path == "send_host.instances"
            and not scenario.send_host.handler_kind.instances_add_capacity
        ):
            continue
        unit = f" ({spec.unit})" if spec.unit else ""
        out[path] = f"{_section_title(path, scenario)} › {spec.label}{unit}"
    return out


def _clip(x: float, spec: FieldSpec, integer: bool) -> float:
    lo, hi = spec.low, spec.high
    if lo is not None:
        floor = lo + (1 if integer else 1e-6 * max(abs(lo), 1.0)) if spec.low_open else lo
        x = max(x, floor)
    if hi is not None:
        ceil = hi - (1 if integer else 1e-6 * max(abs(hi), 1.0)) if spec.high_open else hi
        x = min(x, ceil)
    return x


def default_range(scenario: Scenario, path: str, capacity_per_s: float | None = None) -> tuple:
    """Return a sensible (low, high) sweep range around the current value of ``path``.

    The arrival rate runs from 5 % to 99 % of ``capacity_per_s`` (when given); probabilities
    (availability, coverage, percentile) spread the complement tenfold each way; whole numbers
    run from 1 to about twice the value; other values from a quarter to twice the value. Bounds
    and cross-field limits (nodes needed ≤ nodes, repair crews ≤ instances) are respected.

    Examples
    --------
    >>> from availcalc import load_preset
    >>> s = load_preset("sharepoint_2x_nlb3")
    >>> default_range(s, "destination.needed"), default_range(s, "send_host.mttr_h")
    ((1, 3), (0.1725, 1.38))
    >>> default_range(s, "workload.arrival_rate_per_s", capacity_per_s=16.0)
    (0.8, 15.84)
    """
    spec = numeric_fields(scenario)[path]
    value = scenario.get(path)
    integer = isinstance(value, int)
    if path == "workload.arrival_rate_per_s" and capacity_per_s and math.isfinite(capacity_per_s):
        return (round(0.05 * capacity_per_s, 6), round(0.99 * capacity_per_s, 6))
    if integer:
        hi_limit = None
        lo = 0 if spec.low is not None and spec.low == 0 else 1
        if path == "destination.needed":
            hi_limit = scenario.destination.nodes  # type: ignore[union-attr]
        elif path == "destination.nodes":
            d = scenario.destination
            lo = max(d.needed, d.repair_crews or 1)  # type: ignore[union-attr]
        elif path == "destination.repair_crews":
            hi_limit = scenario.destination.nodes  # type: ignore[union-attr]
        elif path == "send_host.repair_crews":
            hi_limit = scenario.send_host.instances
        hi = max(2 * value, value + 4, lo + 1) if hi_limit is None else hi_limit
        lo = max(int(_clip(lo, spec, True)), lo)
        hi = int(_clip(hi, spec, True))
        if path == "send_host.instances":
            lo = max(lo, scenario.send_host.repair_crews or 1)
        return (lo, max(hi, lo))
    if spec.low == 0.0 and spec.high == 1.0 and 0 < value < 1:
        comp = 1.0 - value
        lo = 1.0 - min(10 * comp, 0.5 if value >= 0.5 else value)
        hi = 1.0 - comp / 10
        return (round(_clip(lo, spec, False), 12), round(_clip(hi, spec, False), 12))
    if value == 0:
        return (0.0, 1.0)
    lo, hi = _clip(value / 4, spec, False), _clip(value * 2, spec, False)
    return (round(lo, 12), round(hi, 12))


def sweep_values(scenario: Scenario, path: str, low: float, high: float, points: int) -> list:
    """Return the values a sweep of ``path`` takes between ``low`` and ``high``.

    Whole-number fields take every integer when there are at most ``points`` of them, else
    ``points`` rounded values (duplicates dropped); other fields take ``points`` evenly spaced
    values.

    Raises
    ------
    ValueError
        If ``low > high`` or ``points < 2``.

    Examples
    --------
    >>> from availcalc import load_preset
    >>> s = load_preset("msmq_nonclustered_3x")
    >>> sweep_values(s, "send_host.instances", 1, 6, 20)
    [1, 2, 3, 4, 5, 6]
    >>> sweep_values(s, "send_host.mttr_h", 0.5, 1.0, 3)
    [0.5, 0.75, 1.0]
    """
    if not low <= high:
        raise ValueError(f"the sweep range needs from <= to; got {low!r} > {high!r}")
    if points < 2:
        raise ValueError(f"a sweep needs at least 2 points; got {points!r}")
    value: Any = scenario.get(path)
    if isinstance(value, int) and not isinstance(value, bool):
        lo, hi = math.ceil(low), math.floor(high)
        if hi < lo:
            raise ValueError(f"no whole number lies between {low!r} and {high!r}")
        if hi - lo + 1 <= points:
            return list(range(lo, hi + 1))
        return sorted({round(v) for v in np.linspace(lo, hi, points)})
    return [float(v) for v in np.linspace(float(low), float(high), points)]


def handler_variants(
    scenario: Scenario, scaled_out_instances: int | None = None
) -> tuple[Scenario, Scenario]:
    """Return the scenario as a clustered pair and as a scaled-out host, everything else equal.

    Parameters
    ----------
    scenario : Scenario
        The current scenario.
    scaled_out_instances : int, optional
        Instances of the scaled-out variant (default: the current count, the cluster's nodes
        when clustered).

    Returns
    -------
    (Scenario, Scenario)
        The clustered variant (the current cluster, or a 2-node pair when scaled out) and the
        scaled-out one, named ``"clustered"`` and ``"scaled out"``.

    Examples
    --------
    >>> from availcalc import load_preset
    >>> c, s = handler_variants(load_preset("msmq_nonclustered_3x"))
    >>> (c.send_host.handler, c.send_host.instances), (s.send_host.handler, s.send_host.instances)
    (('clustered', 2), ('scaled_out', 3))
    """
    return (
        clustered_variant(scenario).replace(name=CLUSTERED.name),
        scaled_out_variant(scenario, scaled_out_instances).replace(name=SCALED_OUT.name),
    )


def contour_level(metric: str, scenario: Scenario, availability_target: float) -> float | None:
    """Return the level worth outlining on a map of ``metric``: its target, if it has one.

    Latencies → the latency target; availabilities → ``availability_target``; max loads → the
    arrival rate; anything else → None.

    Examples
    --------
    >>> from availcalc import load_preset
    >>> s = load_preset("ordered_send_port")
    >>> contour_level("latency_one_down_s", s, 0.999), contour_level("nines", s, 0.999)
    (1.0, None)
    """
    if metric in LATENCY_METRICS:
        return scenario.workload.latency_target_s
    if metric in _AVAILABILITY_METRICS:
        return availability_target
    if metric in MAX_LOAD_METRICS:
        return scenario.workload.arrival_rate_per_s
    return None
