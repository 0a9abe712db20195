r"""One-at-a-time sensitivity (tornado): which input moves a metric the most."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from availcalc._validation import _short, check_probability, check_type, scalar, sequence
from availcalc.analysis.common import (
    RELIABILITY_METRICS,
    check_metric,
    diff_inf,
    moved,
    one_at_a_time,
    reliability_metric,
)
from availcalc.model.evaluate import check_scenario
from availcalc.model.schema import FieldSpec, Scenario, ScenarioError, numeric_fields

__all__ = ["TORNADO_COLUMNS", "tornado"]

#: Columns of :func:`tornado`'s result, in order.
TORNADO_COLUMNS = [
    "parameter",
    "label",
    "unit",
    "metric",
    "base_value",
    "low_value",
    "high_value",
    "metric_at_low",
    "metric_at_high",
    "base_metric",
    "swing",
]


def _is_probability(spec: FieldSpec) -> bool:
    return spec.low == 0.0 and spec.high == 1.0


def _clip(spec: FieldSpec, base: float, v: float) -> float:
    """Clip ``v`` into the spec's range; at an open bound, go halfway from the base."""
    if spec.low is not None and v <= spec.low:
        v = (base + spec.low) / 2.0 if spec.low_open else spec.low
    if spec.high is not None and v >= spec.high:
        v = (base + spec.high) / 2.0 if spec.high_open else spec.high
    return v


def _spread_ends(spec: FieldSpec, base: float, spread: float, is_int: bool) -> tuple[float, float]:
    """Low and high ends for a relative spread (see :func:`tornado`, Notes)."""
    if _is_probability(spec) and base > 0.5:
        comp = 1.0 - base
        lo, hi = 1.0 - comp * (1.0 + spread), 1.0 - comp * (1.0 - spread)
    else:
        lo, hi = base * (1.0 - spread), base * (1.0 + spread)
    lo, hi = _clip(spec, base, lo), _clip(spec, base, hi)
    if is_int:
        lo, hi = math.floor(lo + 0.5), math.floor(hi + 0.5)
        lo, hi = _clip(spec, base, lo), _clip(spec, base, hi)
        lo, hi = int(lo), int(hi)
    return lo, hi


def _metric_at_ends(
    scenario: Scenario, metric: str, ends: list[tuple[str, Scenario, Scenario]]
) -> list[float]:
    """Return the metric at the base, then at the low and high end of each (path, low, high).

    A reliability metric needs no queueing: one reliability part per end. Any other metric
    comes from one batched evaluation of the base and every end (:func:`one_at_a_time`).
    """
    points = [(p, s) for p, lo, hi in ends for s in (lo, hi)]
    if metric in RELIABILITY_METRICS:  # no queueing needed
        return [reliability_metric(s, metric) for s in (scenario, *(s for _, s in points))]
    values = one_at_a_time(scenario, points, include_base=True, metric=metric)
    return np.asarray(values[metric], dtype=float).tolist()


def tornado(
    scenario: Scenario,
    metric: str,
    spread: float = 0.2,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    *,
    parameters: Iterable[str] | None = None,
) -> pd.DataFrame:
    r"""Vary each numeric input one at a time and rank the inputs by the swing of a metric.

    Parameters
    ----------
    scenario : Scenario
        The base scenario.
    metric : str
        Any numeric key of :data:`~availcalc.model.evaluate.METRICS`, e.g.
        ``"downtime_min_per_year"``, ``"latency_percentile_s"``, ``"sla_availability"``,
        ``"capacity_per_s"``. Booleans (``stable``, ``meets_latency_target``) count as 0/1.
    spread : float
        Relative change applied to each input, both ways [-], in (0, 1): the ends are
        base × (1 ∓ spread).
    ranges : mapping of str to (float, float), optional
        Explicit ``{dotted path: (low, high)}`` ends for some inputs (instead of the spread);
        they must be valid values of the field.
    parameters : iterable of str, optional
        Only these dotted paths (default: every numeric field of the scenario, see
        :func:`~availcalc.numeric_fields`, plus the paths in ``ranges``).

    Returns
    -------
    DataFrame
        One row per input varied, sorted by descending ``swing``. Columns: ``parameter``
        (dotted path), ``label``, ``unit`` (the field's), ``metric`` (the metric key),
        ``base_value``, ``low_value``, ``high_value`` (the input, in the field's unit),
        ``metric_at_low``, ``metric_at_high``, ``base_metric`` (in the metric's unit) and
        ``swing`` = \|metric_at_high − metric_at_low\|.

    Raises
    ------
    ValueError
        For an unknown or text metric, ``spread`` outside (0, 1), or a range end that the
        field does not admit (:class:`~availcalc.ScenarioError`, naming the path).

    Notes
    -----
    How the ends are chosen:

    * probabilities (fields valid in [0, 1]: coverage, endpoint availability, latency
      percentile) above 0.5 vary their complement: 0.999 ± 20 % is 1 − 0.001 × (1 ± 0.2),
      i.e. 0.9988…0.9992, since a 20 % change of the failure probability is what is meant;
    * ends are clipped to the field's valid range; at an open bound (e.g. an availability of
      1), the end is the midpoint between the base and the bound;
    * whole-number fields (instances, concurrency, nodes…) are rounded to the nearest
      integer, so a field of 2 with a 20 % spread does not move (use ``ranges`` for it);
    * an end that breaks a rule between fields (instances below ``repair_crews``, NLB
      ``needed`` above ``nodes``, any instance count but 2 for a clustered handler) is put
      back to the base value;
    * a field whose two ends equal the base (a zero value, a small integer, a clustered
      instance count) is left out.

    Infinite metrics (the latency of an overloaded, unstable tier is ``inf``) are kept as
    ``inf`` in ``metric_at_low`` / ``metric_at_high``. The swing is ``inf`` when exactly one
    end is infinite (the input can push the tier past its capacity: ranked first) and 0 when
    both ends are the same infinity (the metric stays unbounded across the range). Equal
    swings (e.g. several ``inf``) are ordered by the larger finite distance of an end from
    the base metric, then by field order; a swing below 1e-12 of the metric's scale counts
    as 0 there (rounding noise), though the column keeps its value.

    The base and every end are evaluated together, one vectorised queueing pass per
    reliability structure (an instance or node count changes it; see
    :func:`~availcalc.analysis.common.one_at_a_time`). Reliability metrics skip the queueing,
    capacity and latency metrics the failure rates of the ends that keep the structure, and
    the max loads run one root search on all the points at once
    (:meth:`Batch.max_loads <availcalc.model.queueing_part.Batch.max_loads>`).

    Examples
    --------
    >>> from availcalc import load_preset
    >>> s = load_preset("msmq_nonclustered_3x")
    >>> t = tornado(s, "downtime_min_per_year",
    ...             parameters=["send_host.mttf_h", "send_host.mttr_h"])
    >>> t[["parameter", "low_value", "high_value"]]
              parameter  low_value  high_value
    0  send_host.mttf_h    934.400    1401.600
    1  send_host.mttr_h      0.448       0.672
    """
    check_scenario(scenario)
    check_metric(metric)
    spread = scalar("spread", spread, check_probability)
    if ranges is not None:
        check_type("ranges", ranges, Mapping, "a mapping of scenario paths to (low, high) pairs")
    ranges = dict(ranges or {})
    for p, pair in ranges.items():
        check_type("ranges", p, str, "a mapping with scenario paths (text) as keys")
        if len(sequence(f"ranges[{p!r}]", pair)) != 2:
            raise ValueError(f"ranges[{p!r}] must be a (low, high) pair; got {_short(pair)}")
    # by default only the fields that matter here; any numeric field may be asked for
    fields = numeric_fields(scenario, applicable_only=False)
    for p in ranges:
        if p not in fields:
            scenario.get(p)  # unknown path → ScenarioError naming it
            raise ScenarioError(p, "is not a numeric field that is set in this scenario")
    if parameters is None:
        paths = list(numeric_fields(scenario))
    else:
        paths = sequence("parameters", parameters, min_size=0)
        for p in paths:
            check_type("parameters", p, str, "a sequence of scenario paths (text)")
            if p not in fields:
                scenario.get(p)
                raise ScenarioError(p, "is not a numeric field that is set in this scenario")
    paths += [p for p in ranges if p not in paths]

    ends: list[tuple[int, str, Any, Any, Any, Scenario, Scenario]] = []
    for order, path in enumerate(paths):
        base = scenario.get(path)
        if path in ranges:
            lo, hi = ranges[path]
            # raises ScenarioError naming the path
            s_lo, s_hi = (scenario.replace(**{path: v}) for v in (lo, hi))
        else:
            lo, hi = _spread_ends(fields[path], float(base), spread, isinstance(base, int))
            s_lo, s_hi = moved(scenario, path, lo), moved(scenario, path, hi)
            lo, s_lo = (lo, s_lo) if s_lo is not None else (base, scenario)
            hi, s_hi = (hi, s_hi) if s_hi is not None else (base, scenario)
        if lo == base and hi == base:
            continue
        ends.append((order, path, base, lo, hi, s_lo, s_hi))
    m = _metric_at_ends(scenario, metric, [(e[1], e[5], e[6]) for e in ends])
    base_metric = m[0]
    values = [(m[2 * i + 1], m[2 * i + 2]) for i in range(len(ends))]

    rows = []
    for (order, path, base, lo, hi, _, _), (m_lo, m_hi) in zip(ends, values, strict=True):
        spec = fields[path]
        finite_dev = max(
            (abs(m - base_metric) for m in (m_lo, m_hi) if math.isfinite(m)), default=0.0
        )
        row = {
            "parameter": path,
            "label": spec.label,
            "unit": spec.unit,
            "metric": metric,
            "base_value": base,
            "low_value": lo,
            "high_value": hi,
            "metric_at_low": m_lo,
            "metric_at_high": m_hi,
            "base_metric": base_metric,
            "swing": diff_inf(m_hi, m_lo),
        }
        rows.append((row, finite_dev, order))
    # swings and distances below 1e-12 of the metric's scale are rounding noise (a batched
    # percentile inversion, a probability summed in another order): they tie at 0
    scale = [base_metric, *(r["swing"] for r, _, _ in rows), *(dev for _, dev, _ in rows)]
    noise = 1e-12 * max((abs(x) for x in scale if math.isfinite(x)), default=0.0)

    def rank(item: tuple[dict[str, Any], float, int]) -> tuple[float, float, int]:
        row, dev, order = item
        swing = row["swing"]
        return (-swing if swing > noise else 0.0, -dev if dev > noise else 0.0, order)

    return pd.DataFrame([r for r, _, _ in sorted(rows, key=rank)], columns=TORNADO_COLUMNS)
