"""What the analyses share: metric families, the one-at-a-time sweep builder, handler variants.

Imported by the analysis modules and by the UI helpers (:mod:`availcalc.ui.analysis`); not part
of the top-level ``availcalc`` namespace.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from availcalc.model.evaluate import Evaluation
from availcalc.model.kinds import CLUSTERED, SCALED_OUT, with_handler
from availcalc.model.metrics import METRICS
from availcalc.model.reliability_part import Reliability
from availcalc.model.schema import Scenario
from availcalc.units import MINUTES_PER_YEAR, nines

#: Metrics for which a smaller / larger value is better (from the metric specs).
LOWER_IS_BETTER = frozenset(k for k, m in METRICS.items() if m.better == "lower")
HIGHER_IS_BETTER = frozenset(k for k, m in METRICS.items() if m.better == "higher")
#: Metrics that are text and cannot be ranked or differenced.
TEXT_METRICS = frozenset(k for k, m in METRICS.items() if m.kind == "text")
#: Metrics that are inputs echoed in the results (neither better nor worse).
INPUT_METRICS = frozenset(
    k for k, m in METRICS.items() if m.better is None and k not in TEXT_METRICS
)
#: Metrics that depend on the reliability part of a scenario only (no queueing).
RELIABILITY_METRICS = frozenset(
    {
        "availability",
        "unavailability",
        "nines",
        "downtime_min_per_year",
        "failures_per_year",
        *(k for k, m in METRICS.items() if m.group == "parts"),
    }
)
MAX_LOAD_METRICS = frozenset({"max_load_per_s", "max_load_one_down_per_s"})
#: Metrics of the path unavailability (every one a function of U alone).
PATH_METRICS = frozenset({"availability", "unavailability", "nines", "downtime_min_per_year"})
#: Performability (SLA) metrics: depend on the queueing inputs as well as the reliability ones.
SLA_METRICS = frozenset(k for k, m in METRICS.items() if m.group == "sla")


def downtime_partner(metric: str) -> str | None:
    """Return the downtime metric [min/yr] that is ``metric``'s loss, or None.

    A downtime metric is its own; an availability has the downtime of the same name
    (``sla_availability`` → ``sla_downtime_min_per_year``,
    ``sla_availability_excluding_backlog`` → ``sla_downtime_excluding_backlog_min_per_year``),
    computed directly by the model rather than as 1 − A.
    """
    spec = METRICS[metric]
    if spec.unit == "min/yr" and spec.better == "lower":
        return metric
    if spec.kind == "availability":
        partner = metric.replace("availability", "downtime") + "_min_per_year"
        if partner in METRICS and METRICS[partner].unit == "min/yr":
            return partner
    return None


def loss_label(metric: str) -> str:
    """Return what :func:`loss_fraction` measures, for table columns and axis titles.

    Examples
    --------
    >>> loss_label("sla_availability"), loss_label("unavailability")
    ('SLA downtime', 'Downtime')
    >>> loss_label("expected_throughput_fraction")
    'Lost throughput (full-load time)'
    """
    if metric in PATH_METRICS:
        return METRICS["downtime_min_per_year"].label
    partner = downtime_partner(metric)
    if partner is not None:
        return METRICS[partner].label
    return "Lost throughput (full-load time)"


def loss_fraction(values: Mapping[str, Any], metric: str) -> np.ndarray:
    r"""Return the fraction of the year a metric counts as lost [-], one value per point.

    ``values`` maps metric keys to arrays (a :func:`~availcalc.sweep` frame, or
    ``Evaluation.metrics()``). A downtime metric [min/yr] gives :math:`D / 525\,600`; an
    availability its downtime partner (:func:`downtime_partner`) the same way, never
    :math:`1 - A`; the expected throughput fraction :math:`1 - E[\min(\lambda, X)] / \lambda`
    (the offered load not delivered, in full-load time).

    Raises
    ------
    ValueError
        For a metric that is not a downtime, an availability or the throughput fraction.
    """
    if metric in PATH_METRICS:
        metric = "downtime_min_per_year"
    partner = downtime_partner(metric)
    if partner is not None:
        return np.asarray(values[partner], dtype=float) / MINUTES_PER_YEAR
    if metric == "expected_throughput_fraction":
        return 1.0 - np.asarray(values[metric], dtype=float)
    raise ValueError(f"{metric!r} is not a downtime, an availability or a throughput fraction")


def one_at_a_time(
    scenario: Scenario,
    points: list[tuple[str, Any]],
    *,
    include_base: bool = False,
    include_max_load: bool = False,
) -> Any:
    """Return one :func:`~availcalc.sweep` row per (path, value), every other path at base.

    All the points go into one zipped sweep (a column per path; each row moves one path
    off its base value), so points sharing a reliability structure share one vectorised
    queueing pass. ``include_base`` puts the base scenario in row 0.
    """
    from availcalc.analysis.sweep import sweep

    paths = list(dict.fromkeys(p for p, _ in points))
    base = {p: scenario.get(p) for p in paths}
    columns: dict[str, list[Any]] = {p: [base[p]] if include_base else [] for p in paths}
    for path, value in points:
        for p in paths:
            columns[p].append(value if p == path else base[p])
    return sweep(scenario, columns, grid=False, include_max_load=include_max_load)


def check_metric(metric: str) -> None:
    """Raise ValueError unless ``metric`` is a numeric key of METRICS."""
    if metric not in METRICS or metric in TEXT_METRICS:
        numeric = ", ".join(k for k in METRICS if k not in TEXT_METRICS)
        raise ValueError(f"metric must be one of {numeric}; got {metric!r}")


def metric_value(ev: Evaluation, metric: str) -> float:
    """Return one metric of an evaluation as a float (booleans become 0/1)."""
    if metric == "max_load_per_s":
        return float(ev.max_load_per_s(0))
    if metric == "max_load_one_down_per_s":
        return float(ev.max_load_per_s(1))
    if metric == "latency_one_down_s":
        return float(ev.latency_with_instances_down(1))
    if metric == "arrival_rate_per_s":
        return float(ev.scenario.workload.arrival_rate_per_s)
    if metric == "latency_target_s":
        return float(ev.scenario.workload.latency_target_s)
    return float(getattr(ev, metric))


def reliability_metric(scenario: Scenario, metric: str) -> float:
    """Return a metric of :data:`RELIABILITY_METRICS` without the queueing part.

    Builds only the reliability diagram (about 0.3 ms, against 5–10 ms for a full
    :func:`~availcalc.evaluate`) through the model's private ``Reliability`` class, the one
    :func:`~availcalc.sweep` and :func:`~availcalc.evaluate` use; the tests check that the
    values equal ``evaluate``'s exactly on every preset.
    """
    m = Reliability(scenario).measures
    if metric == "nines":
        return float(nines(m["unavailability"]))
    return float(m[metric])


def reliability_blocks(ev: Evaluation) -> dict[str, str]:
    """Return the name of the reliability block each section's parameters belong to.

    Keys: ``"send_host"``, ``"messagebox"``, ``"storage"``, ``"destination"`` (absent when the
    scenario does not model it). Read from the public ``downtime_breakdown``, whose rows are
    the blocks in series order: MessageBox blocks (SQL, then storage), send tier, destination.
    """
    names = [str(c) for c in ev.downtime_breakdown["component"]]
    send = str(ev.send_block.name)
    i = names.index(send)
    out = {"send_host": send}
    if i >= 1:
        out["messagebox"] = names[0]
    if i >= 2:
        out["storage"] = names[1]
    if i + 1 < len(names):
        out["destination"] = names[i + 1]
    return out


def clustered_variant(scenario: Scenario) -> Scenario:
    """Return the scenario with a clustered handler (its nodes: the current count, else 2)."""
    return with_handler(scenario, CLUSTERED, CLUSTERED.default_instances(scenario.send_host))


def scaled_out_variant(scenario: Scenario, instances: int | None = None) -> Scenario:
    """Return the scenario scaled out on ``instances`` (default: the current count)."""
    n = SCALED_OUT.default_instances(scenario.send_host) if instances is None else instances
    return with_handler(scenario, SCALED_OUT, n)


def diff_inf(a: float, b: float) -> float:
    """Return |a − b|, where equal infinities differ by 0 and one infinite value by inf."""
    if math.isinf(a) or math.isinf(b):
        return 0.0 if a == b else math.inf
    return abs(a - b)
