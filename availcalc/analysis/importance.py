r"""Importance of the inputs for the path or SLA downtime, and of the reliability blocks."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from availcalc._validation import check_choice, check_probability, check_type, scalar
from availcalc.analysis.common import (
    PATH_METRICS,
    SLA_METRICS,
    loss_fraction,
    loss_label,
    moved,
    one_at_a_time,
    reliability_blocks,
    reliability_metric,
)
from availcalc.model.evaluate import check_scenario
from availcalc.model.kinds import COMPLEMENT, DOWN, UP, destination_kind, messagebox_kind
from availcalc.model.reliability_part import Reliability
from availcalc.model.schema import Scenario, numeric_fields
from availcalc.units import MINUTES_PER_YEAR

__all__ = [
    "BLOCK_IMPORTANCE_COLUMNS",
    "IMPORTANCE_METRICS",
    "PARAMETER_IMPORTANCE_COLUMNS",
    "block_importance",
    "importance",
    "parameter_importance",
]

#: Columns of :func:`parameter_importance`, in order.
PARAMETER_IMPORTANCE_COLUMNS = [
    "parameter",
    "label",
    "unit",
    "block",
    "lever",
    "base_value",
    "varied",
    "improvement",
    "elasticity",
    "improved_value",
    "metric",
    "loss",
    "downtime_min_per_year",
    "downtime_saved_min_per_year",
]

#: Columns of :func:`block_importance`, in order.
BLOCK_IMPORTANCE_COLUMNS = [
    "block",
    "availability",
    "unavailability",
    "downtime_min_per_year",
    "share_of_downtime",
    "birnbaum",
    "criticality",
    "fussell_vesely",
    "raw",
    "rrw",
    "downtime_saved_if_perfect_min_per_year",
]

#: Metrics :func:`parameter_importance` ranks on: the path's (reliability inputs only) and
#: the SLA metrics (reliability and queueing inputs together).
IMPORTANCE_METRICS = PATH_METRICS | SLA_METRICS

# how a parameter improves: "up" (more is better: θ = value, improved ×(1+f)), "down"
# (less is better: θ = value, improved ×(1−f)), "complement" (θ = 1 − value is a failure
# probability, improved ×(1−f)).
#: The row of the demand inputs (not a reliability block).
WORKLOAD = "workload"

# The queueing inputs ranked on SLA metrics: dotted path → (block key, direction, lever).
# The load and its variability are the demand (lever False: "improving" them means less or
# smoother traffic, not spending); the latency target and percentile define the SLA and the
# planned failovers count in the planned downtime only, so they are not ranked (see tornado).
_QUEUEING_PARAMETERS: dict[str, tuple[str, str, bool]] = {
    "workload.arrival_rate_per_s": (WORKLOAD, DOWN, False),
    "workload.arrival_scv": (WORKLOAD, DOWN, False),
    "send_host.instances": ("send_host", UP, True),
    "send_host.concurrency": ("send_host", UP, True),
    "send_host.service_time_s": ("send_host", DOWN, True),
    "send_host.service_scv": ("send_host", DOWN, True),
    "send_port.ordered_overhead_s": ("send_host", DOWN, True),
    "send_port.volatile_residence_s": ("send_host", DOWN, True),
    "messagebox.capacity_per_s": ("messagebox", UP, True),
    "destination.nodes": ("destination", UP, True),
    "destination.capacity_per_node_per_s": ("destination", UP, True),
    "destination.capacity_per_s": ("destination", UP, True),
}


def _reliability_parameters(scenario: Scenario) -> list[tuple[str, str, str, bool]]:
    """(dotted path, block key, direction, lever) of every modelled reliability parameter."""
    out: list[tuple[str, str, str]] = []
    h = scenario.send_host
    out += [("send_host.mttf_h", "send_host", UP), ("send_host.mttr_h", "send_host", DOWN)]
    out += [(path, "send_host", how) for path, how in h.handler_kind.levers]
    mb = scenario.messagebox
    if mb is not None:
        out += [
            ("messagebox.mttf_h", "messagebox", UP),
            ("messagebox.mttr_h", "messagebox", DOWN),
        ]
        out += [(path, "messagebox", how) for path, how in messagebox_kind(mb).levers]
        if mb.storage_mttf_h is not None:
            out += [
                ("messagebox.storage_mttf_h", "storage", UP),
                ("messagebox.storage_mttr_h", "storage", DOWN),
            ]
    d = scenario.destination
    if d is not None:
        out += [(path, "destination", how) for path, how in destination_kind(d).levers]
    return [(path, block, direction, True) for path, block, direction in out]


def _queueing_parameters(scenario: Scenario) -> list[tuple[str, str, str, bool]]:
    """(dotted path, block key, direction, lever) of the queueing inputs the scenario sets."""
    applicable = numeric_fields(scenario)
    out = []
    for path, (block, direction, lever) in _QUEUEING_PARAMETERS.items():
        if path not in applicable:
            continue
        if (
            path == "send_host.instances"
            and not scenario.send_host.handler_kind.instances_add_capacity
        ):
            continue  # more nodes of a cluster add spares, not capacity
        out.append((path, block, direction, lever))
    return out


def _theta(value: float, direction: str) -> float:
    return 1.0 - value if direction == COMPLEMENT else value


def _value(theta: float, direction: str) -> float:
    return 1.0 - theta if direction == COMPLEMENT else theta


def _log(x: float) -> float:
    return math.log(x) if x > 0.0 else -math.inf


def _elasticity(theta: float, u0: float, u_up: float | None, u_dn: float | None, h: float) -> float:
    """Central (or, at the edge of the valid range, one-sided) difference of ln L in ln θ."""
    if theta == 0.0 or u0 == 0.0:
        return 0.0
    if u_up is not None and u_dn is not None:
        return (_log(u_up) - _log(u_dn)) / (2.0 * h)
    if u_up is not None:  # one-sided at the edge of the valid range
        return (_log(u_up) - _log(u0)) / h
    if u_dn is not None:
        return (_log(u0) - _log(u_dn)) / h
    return math.nan  # pragma: no cover - a range narrower than the step


def _arc_elasticity(
    n: int, direction: str, u0: float, u_step: float | None, u_back: float | None
) -> float:
    """Arc elasticity of ln L over one unit step of a whole number ``n`` (see Notes)."""
    sign = 1 if direction == UP else -1
    if u0 == 0.0:
        return 0.0
    if u_step is not None:  # n → n ± 1, the improving way
        return (_log(u_step) - _log(u0)) / math.log((n + sign) / n)
    if u_back is not None:  # at the top of the range: the other way
        return (_log(u0) - _log(u_back)) / math.log(n / (n - sign))
    return math.nan  # pragma: no cover - a range of one value


def _planned_points(
    base: float | int, direction: str, improvement: float, step: float
) -> tuple[list[float | int], float | int]:
    """Return the values to evaluate for one parameter and its improved value.

    A real parameter gives [θ e^h, θ e^−h, improved]; a whole number (instances, concurrency,
    nodes) gives [n ± 1, n ∓ 1, improved], the unit step in the improving direction first.
    A parameter at zero gives none.
    """
    if isinstance(base, int):
        sign = 1 if direction == UP else -1
        improved = base + sign * max(1, round(base * improvement))
        return [base + sign, base - sign, improved], improved
    theta = _theta(float(base), direction)
    factor = 1.0 + improvement if direction == UP else 1.0 - improvement
    improved = _value(theta * factor, direction)
    if theta == 0.0:  # nothing to improve or differentiate (e.g. a failover time of 0)
        return [], improved
    return [
        _value(theta * math.exp(step), direction),
        _value(theta * math.exp(-step), direction),
        improved,
    ], improved


def _path_losses(scenario: Scenario, points: list[tuple[str, Scenario]]) -> list[float]:
    """Path unavailability at each point (one reliability part each, no queueing)."""
    return [reliability_metric(s, "unavailability") for _, s in points]


def _sla_losses(
    scenario: Scenario, metric: str, points: list[tuple[str, Scenario]]
) -> tuple[float, list[float]]:
    """Loss fraction of ``metric`` at the base and at each point, in one batched evaluation.

    See :func:`~availcalc.analysis.common.one_at_a_time`: points with the same reliability
    structure share one vectorised queueing pass.
    """
    loss = loss_fraction(one_at_a_time(scenario, points, include_base=True), metric)
    return float(loss[0]), [float(x) for x in loss[1:]]


def _check_fraction(name: str, v: object) -> None:
    scalar(name, v, check_probability)


def parameter_importance(
    scenario: Scenario,
    metric: str = "unavailability",
    *,
    improvement: float = 0.10,
    step: float = 1e-4,
) -> pd.DataFrame:
    r"""Rank the inputs by the downtime a small improvement of each saves.

    On the path metrics (the default) every reliability parameter the scenario models
    (MTTF, MTTR, failover time, manual recovery time, failover coverage, host restart,
    convergence, storage, endpoint availability and MTTR) is ranked by the elasticity of
    the path unavailability *U* and the minutes per year saved by improving it by
    ``improvement``. On an SLA metric the *loss* *L* is the SLA downtime, and the queueing
    inputs join the reliability ones: the load and its variability (the demand), service
    time and its variability, concurrency, instances (scaled out), send port overheads,
    MessageBox capacity, NLB nodes and their capacity, endpoint capacity.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    metric : str
        What is lost and saved. ``"unavailability"`` (default), ``"availability"``,
        ``"downtime_min_per_year"`` or ``"nines"``: the path downtime,
        :math:`L = U`, reliability inputs only. An SLA metric (group ``"sla"`` of
        :data:`~availcalc.METRICS`): ``"sla_availability"`` or
        ``"sla_downtime_min_per_year"`` (the headline SLA downtime, backlog drain
        included), ``"sla_availability_excluding_backlog"`` or
        ``"sla_downtime_excluding_backlog_min_per_year"`` (quasi-steady),
        ``"backlog_sla_downtime_min_per_year"`` (the backlog part), with :math:`L` = that
        downtime / 525 600 (computed directly, never as 1 − A); or
        ``"expected_throughput_fraction"``, with :math:`L = 1 - E[\min(\lambda, X)]/\lambda`
        (the load not delivered, in full-load time). An availability and its downtime give
        the same table.
    improvement : float
        Relative improvement [-] in (0, 1): MTTFs and capacities ×(1 + improvement); times
        (MTTR, failover, manual recovery, restart, convergence, service time, overheads),
        variabilities (SCVs) and the load ×(1 − improvement); failure probabilities
        (1 − coverage, 1 − endpoint availability) ×(1 − improvement); whole numbers
        (instances, concurrency, NLB nodes) up by round(n × improvement), at least 1.
    step : float
        Step in ln θ of the central difference [-].

    Returns
    -------
    DataFrame
        One row per parameter, sorted by descending ``downtime_saved_min_per_year``. Columns:
        ``parameter`` (dotted path), ``label``, ``unit``, ``block`` (the reliability block it
        belongs to, as named by :attr:`Evaluation.system <availcalc.Evaluation.system>`, or
        ``"workload"`` for the load and its variability), ``lever`` (True for what can be
        bought or tuned; False for the demand, whose "improvement" is less or smoother
        traffic), ``base_value`` (field unit), ``varied`` (θ, the quantity differentiated:
        the field, or ``1 − field`` for a probability), ``improvement`` (the argument [-]),
        ``elasticity`` d ln L / d ln θ [-], ``improved_value`` (the field after the
        improvement), ``metric`` (the argument), ``loss`` (what *L* is, e.g.
        ``"SLA downtime"``), ``downtime_min_per_year`` (L × 525 600 at the base
        [min/yr]) and ``downtime_saved_min_per_year`` (base minus improved, recomputed
        exactly, not linearised [min/yr]).

    Raises
    ------
    ValueError
        For another metric, or ``improvement`` or ``step`` outside (0, 1).

    Notes
    -----
    The elasticity is a central difference in :math:`\ln\theta` on the loss (for the path,
    its unavailability: MessageBox, send tier and destination in series), so it is free of
    the cancellation that :math:`1 - A` would bring:

    .. math:: \varepsilon_\theta = \frac{\partial \ln L}{\partial \ln \theta}
              \approx \frac{\ln L(\theta e^{h}) - \ln L(\theta e^{-h})}{2h},

    with truncation error :math:`O(h^2)`; one-sided at the edge of a field's range. An
    elasticity of −1 means that 1 % more θ gives 1 % less downtime; for a single component,
    :math:`U = \text{MTTR}/(\text{MTTF}+\text{MTTR})` gives
    :math:`\varepsilon_\text{MTTR} = \text{MTTF}/(\text{MTTF}+\text{MTTR})`. A parameter at
    zero (e.g. a failover time of 0, a coverage of 1) has elasticity 0. The endpoint MTTR
    always has elasticity 0 on the path: an endpoint is described by its availability, so
    its MTTR changes how often it fails, not how much of the time.

    A whole number *n* has the arc elasticity of one unit step in its improving direction,
    :math:`(\ln L(n+1) - \ln L(n)) / \ln((n+1)/n)` (the other way at the top of its range).

    On the path metrics, instance counts, NLB nodes and repair crews are not ranked (see
    :func:`~availcalc.tornado`). On the SLA metrics each failure state either meets the
    latency target or misses it, so the quasi-steady SLA downtime is a step function of
    the queueing inputs: its derivative is 0 between steps, and the elasticity of a
    queueing input comes from the backlog drain and the throughput, which vary smoothly.
    A step that a 10 % improvement crosses (a state brought within the target) shows in
    ``downtime_saved_min_per_year``, which is evaluated at the improved value. On the path
    metrics each point needs its reliability part only; on the SLA metrics all the points
    are evaluated together (:func:`~availcalc.analysis.common.one_at_a_time`).

    Examples
    --------
    >>> from availcalc import load_preset
    >>> imp = parameter_importance(load_preset("msmq_clustered_active_passive"))
    >>> top = imp.set_index("parameter")[["elasticity", "downtime_saved_min_per_year"]]
    >>> top.head(3).round(3).values.tolist()
    [[-0.521, 1.3], [0.306, 0.841], [-0.306, 0.764]]
    >>> top.index[:3].tolist()
    ['send_host.mttf_h', 'messagebox.storage_mttr_h', 'messagebox.storage_mttf_h']
    >>> imp.loc[imp["parameter"] == "send_host.coverage", "varied"].item()
    '1 − send_host.coverage'

    On the SLA downtime the queueing inputs rank with the reliability ones. A clustered pair
    at 68 % utilisation meets its 0.46 s p95 target (the service time's own p95 is
    0.15 ln 20 = 0.449 s), but each outage leaves a backlog that drains slowly; this drain
    is two thirds of its SLA downtime, and a faster service, a lighter load or more
    concurrency shortens it:

    >>> from availcalc import Scenario
    >>> busy = Scenario.from_dict({
    ...     "workload": {"arrival_rate_per_s": 90.0, "latency_target_s": 0.46},
    ...     "send_host": {"handler": "clustered", "concurrency": 20, "service_time_s": 0.15}})
    >>> sla = parameter_importance(busy, "sla_downtime_min_per_year")
    >>> sla[["parameter", "lever", "elasticity", "downtime_saved_min_per_year"]].head(4).round(2)
                         parameter  lever  elasticity  downtime_saved_min_per_year
    0     send_host.service_time_s   True        2.08                         6.00
    1  workload.arrival_rate_per_s  False        2.08                         6.00
    2        send_host.concurrency   True       -1.93                         5.54
    3             send_host.mttf_h   True       -1.01                         3.20
    """
    check_scenario(scenario)
    _check_fraction("improvement", improvement)
    _check_fraction("step", step)
    check_choice(
        "metric", metric, sorted(IMPORTANCE_METRICS), " (tornado() ranks the inputs on any metric)"
    )
    on_path = metric in PATH_METRICS
    params = _reliability_parameters(scenario)
    if not on_path:
        params = params + _queueing_parameters(scenario)
    fields = numeric_fields(scenario)
    rel = Reliability(scenario)
    blocks = {**reliability_blocks(rel), WORKLOAD: WORKLOAD}

    # every value to evaluate, validated one by one (an invalid one is left out)
    plans = []
    points: list[tuple[str, Scenario]] = []
    for path, _, direction, _ in params:
        base = scenario.get(path)
        values, improved = _planned_points(base, direction, improvement, step)
        index: list[int | None] = []
        for v in values:
            s = moved(scenario, path, v)
            index.append(None if s is None else len(points))
            if s is not None:
                points.append((path, s))
        plans.append((base, improved, index))
    if on_path:
        u0 = rel.measures["unavailability"]
        losses = _path_losses(scenario, points)
    else:
        u0, losses = _sla_losses(scenario, metric, points)

    def at(i: int | None) -> float | None:
        return None if i is None else losses[i]

    rows = []
    for (path, block, direction, lever), (base, improved, index) in zip(params, plans, strict=True):
        spec = fields[path]
        if not index:  # a parameter at zero
            elasticity, u_imp = 0.0, None
        elif isinstance(base, int):
            u_step, u_back, u_imp = (at(i) for i in index)
            elasticity = _arc_elasticity(base, direction, u0, u_step, u_back)
        else:
            u_up, u_dn, u_imp = (at(i) for i in index)
            elasticity = _elasticity(_theta(float(base), direction), u0, u_up, u_dn, step)
        if u_imp is None:  # at zero, or at the edge of the field's range: keep the base
            improved, u_imp = base, u0
        rows.append(
            {
                "parameter": path,
                "label": spec.label,
                "unit": spec.unit,
                "block": blocks[block],
                "lever": lever,
                "base_value": float(base),
                "varied": f"1 − {path}" if direction == COMPLEMENT else path,
                "improvement": improvement,
                "elasticity": elasticity,
                "improved_value": float(improved),
                "metric": metric,
                "loss": loss_label(metric),
                "downtime_min_per_year": u0 * MINUTES_PER_YEAR,
                "downtime_saved_min_per_year": (u0 - u_imp) * MINUTES_PER_YEAR,
            }
        )

    def rank(row: dict[str, Any]) -> tuple[float, bool]:
        # equal savings (to 1e-9 min/yr: the load and the service time often tie exactly)
        # list the levers before the demand, then in field order (a stable sort)
        saved = float(np.round(row["downtime_saved_min_per_year"], 9))
        return (math.inf if math.isnan(saved) else -saved, not row["lever"])

    return pd.DataFrame(sorted(rows, key=rank), columns=PARAMETER_IMPORTANCE_COLUMNS)


def block_importance(scenario: Scenario) -> pd.DataFrame:
    r"""Rank the reliability blocks of the path by their importance measures (criticality).

    Parameters
    ----------
    scenario : Scenario
        The scenario.

    Returns
    -------
    DataFrame
        One row per block (MessageBox SQL cluster or server, shared storage, send tier,
        destination), sorted by descending ``criticality``. Columns: ``block``,
        ``availability``, ``unavailability`` [-], ``downtime_min_per_year`` (the block's own
        [min/yr]), ``share_of_downtime`` (its share of the path downtime [-]), the measures of
        :meth:`Block.importance() <availcalc.reliability.Block.importance>` (``birnbaum``,
        ``criticality``, ``fussell_vesely``, ``raw``, ``rrw`` [-]) and
        ``downtime_saved_if_perfect_min_per_year`` = U_s (1 − 1/RRW) × 525 600: the path
        downtime that would go if the block never failed [min/yr].

    Notes
    -----
    In a series path every Birnbaum measure is close to 1 (the product of the other blocks'
    availabilities); the criticality :math:`I_B U_i / U_s` is the share of the downtime a
    block causes and is what ranks them.

    Examples
    --------
    >>> from availcalc import load_preset
    >>> b = block_importance(load_preset("msmq_clustered_active_passive"))
    >>> b["block"].tolist()
    ['send host cluster', 'MessageBox shared storage', 'MessageBox SQL cluster']
    >>> b["criticality"].round(3).tolist()
    [0.517, 0.306, 0.176]
    """
    check_scenario(scenario)
    rel = Reliability(scenario)  # the reliability part alone: no queueing needed
    imp = rel.system.importance()
    bd = rel.downtime_breakdown().set_index("component")
    u_s = rel.measures["unavailability"]
    rows: list[dict[str, Any]] = []
    for name, r in imp.iterrows():
        rrw = float(r["rrw"])
        saved = u_s * (1.0 - 1.0 / rrw) if np.isfinite(rrw) else u_s
        rows.append(
            {
                "block": str(name),
                "availability": float(bd.loc[name, "availability"]),
                "unavailability": float(bd.loc[name, "unavailability"]),
                "downtime_min_per_year": float(bd.loc[name, "downtime_min_per_year"]),
                "share_of_downtime": float(bd.loc[name, "share_of_downtime"]),
                **{k: float(r[k]) for k in ("birnbaum", "criticality", "fussell_vesely")},
                "raw": float(r["raw"]),
                "rrw": rrw,
                "downtime_saved_if_perfect_min_per_year": saved * MINUTES_PER_YEAR,
            }
        )
    out = pd.DataFrame(rows).sort_values("criticality", ascending=False, kind="stable")
    return out[BLOCK_IMPORTANCE_COLUMNS].reset_index(drop=True)


def importance(
    scenario: Scenario,
    metric: str = "unavailability",
    *,
    improvement: float = 0.10,
    blocks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    r"""Rank the inputs, with the importance of the reliability block each belongs to.

    :func:`parameter_importance` (elasticity of the path or SLA downtime, minutes per year
    saved by a 10 % improvement) joined with :func:`block_importance` on the block.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    metric : str
        The path metrics (default, reliability inputs only) or an SLA metric (queueing
        inputs too); see :func:`parameter_importance`.
    improvement : float
        Relative improvement of each parameter [-] (see :func:`parameter_importance`).
    blocks : DataFrame, optional
        ``block_importance(scenario)`` when the caller has it already (it is not computed
        again).

    Returns
    -------
    DataFrame
        The columns of :func:`parameter_importance`, then ``block_birnbaum``,
        ``block_criticality`` and ``block_downtime_min_per_year`` (the block's share of the
        *path* downtime; NaN for the ``"workload"`` rows); sorted by descending
        ``downtime_saved_min_per_year``.

    Examples
    --------
    >>> from availcalc import load_preset
    >>> imp = importance(load_preset("sharepoint_2x_nlb3"))
    >>> imp[["parameter", "block", "block_criticality"]].head(2).round(3)
                     parameter                 block  block_criticality
    0       destination.mttf_h  destination NLB pool               0.82
    1  destination.detection_s  destination NLB pool               0.82
    """
    check_scenario(scenario)
    p = parameter_importance(scenario, metric, improvement=improvement)
    if blocks is not None:
        check_type("blocks", blocks, pd.DataFrame, "the DataFrame of block_importance(scenario)")
    b = block_importance(scenario) if blocks is None else blocks
    b = b[["block", "birnbaum", "criticality", "downtime_min_per_year"]]
    b = b.rename(
        columns={
            "birnbaum": "block_birnbaum",
            "criticality": "block_criticality",
            "downtime_min_per_year": "block_downtime_min_per_year",
        }
    )
    return p.merge(b, on="block", how="left")
