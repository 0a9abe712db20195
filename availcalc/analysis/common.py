"""What the analyses share: metric families, the one-at-a-time sweep builder, handler variants.

Imported by the analysis modules and by the UI helpers (:mod:`availcalc.ui.analysis`); not part
of the top-level ``availcalc`` namespace.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from availcalc._validation import check_choice
from availcalc.analysis.sweep import MAX_LOAD_DOWN, batch_metrics
from availcalc.model.evaluate import Evaluation
from availcalc.model.kinds import CLUSTERED, SCALED_OUT, with_handler
from availcalc.model.metrics import METRICS
from availcalc.model.queueing_part import QUEUEING_PATHS, queueing_arrays
from availcalc.model.reliability_part import Reliability
from availcalc.model.schema import Scenario, ScenarioError
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
MAX_LOAD_METRICS = frozenset(MAX_LOAD_DOWN)
#: Metrics that depend on the queueing inputs and on the reliability part's structure only
#: (:attr:`Reliability.signature`: kind, instances, states, stages), not on its rates.
STRUCTURE_METRICS = frozenset(k for k, m in METRICS.items() if m.group in ("capacity", "latency"))
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


def moved(scenario: Scenario, path: str, value: Any) -> Scenario | None:
    """Return ``scenario`` with one path at ``value``, or None where the value is not valid."""
    try:
        return scenario.replace(**{path: value})
    except ScenarioError:
        return None


def one_at_a_time(
    scenario: Scenario,
    points: list[tuple[str, Scenario]],
    *,
    include_base: bool = False,
    metric: str | None = None,
) -> dict[str, np.ndarray]:
    """Return the metrics at each moved scenario (path, scenario), one element per point.

    Each point is ``scenario`` with one stored numeric field (a path of
    :func:`~availcalc.numeric_fields`) moved, see :func:`moved`. All of them are
    evaluated together by :func:`~availcalc.analysis.sweep.batch_metrics`: a point moved along
    a queueing path keeps the base's reliability part, and the points whose reliability parts
    share a structure share one vectorised queueing pass. ``include_base`` puts the base
    scenario in element 0.

    ``metric``: the one metric the caller reads (default: every metric but the max loads),
    so that what it does not depend on is skipped. A max load comes alone. A metric of
    :data:`STRUCTURE_METRICS` depends on the reliability part through its structure only:
    a point whose reliability part keeps the base's (:attr:`Reliability.signature`) takes
    the base's row, the very numbers the batch would give it.
    """
    structure_only = metric in STRUCTURE_METRICS
    points = ([("", scenario)] if include_base else []) + points
    rels, point_rel = [Reliability(scenario)], np.zeros(len(points), dtype=int)
    arrays = queueing_arrays(scenario, len(points))
    for i, (path, s) in enumerate(points):
        if path in QUEUEING_PATHS:
            arrays[QUEUEING_PATHS[path]][i] = s.get(path)
        elif s is not scenario:  # the other stored fields change only the reliability part
            rel = Reliability(s)
            if not (structure_only and rel.signature == rels[0].signature):
                point_rel[i] = len(rels)
                rels.append(rel)
    if metric in MAX_LOAD_DOWN:
        return batch_metrics(rels, point_rel, arrays, (MAX_LOAD_DOWN[metric],), others=False)
    return batch_metrics(rels, point_rel, arrays, others=True if metric is None else (metric,))


def check_metric(metric: str) -> None:
    """Raise ValueError unless ``metric`` is a numeric key of METRICS."""
    check_choice("metric", metric, [k for k in METRICS if k not in TEXT_METRICS])


def metric_value(ev: Evaluation, metric: str) -> float:
    """Return one metric of an evaluation as a float (booleans become 0/1)."""
    return float(ev.metric(metric))


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


def reliability_blocks(part: Evaluation | Reliability) -> dict[str, str]:
    """Return the name of the reliability block each section's parameters belong to.

    Keys: ``"send_host"``, ``"messagebox"``, ``"storage"``, ``"destination"`` (absent when the
    scenario does not model it). Read from the blocks of ``part.system`` (an evaluation's, or
    a reliability part's without the queueing), in series order: MessageBox blocks (SQL, then
    storage), send tier, destination.
    """
    names = [str(b.name) for b in part.system.blocks]
    send = str(part.send_block.name)
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
