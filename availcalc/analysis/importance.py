r"""Importance of reliability parameters and blocks for the path unavailability."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from availcalc.analysis._common import reliability_blocks, reliability_metric
from availcalc.model.evaluate import MIN_PER_YEAR, evaluate
from availcalc.model.schema import Endpoint, NLBDestination, Scenario, ScenarioError, numeric_fields

__all__ = [
    "BLOCK_IMPORTANCE_COLUMNS",
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
    "base_value",
    "varied",
    "improvement",
    "elasticity",
    "improved_value",
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

# how a parameter improves: "up" (longer is better: θ = value, improved ×(1+f)), "down"
# (shorter is better: θ = value, improved ×(1−f)), "complement" (θ = 1 − value is a failure
# probability, improved ×(1−f)).
_UP, _DOWN, _COMPLEMENT = "up", "down", "complement"


def _reliability_parameters(scenario: Scenario) -> list[tuple[str, str, str]]:
    """(dotted path, block key, direction) of every reliability parameter that is modelled."""
    out: list[tuple[str, str, str]] = []
    h = scenario.send_host
    out += [("send_host.mttf_h", "send_host", _UP), ("send_host.mttr_h", "send_host", _DOWN)]
    if h.handler == "clustered":
        out += [
            ("send_host.coverage", "send_host", _COMPLEMENT),
            ("send_host.failover_s", "send_host", _DOWN),
            ("send_host.manual_failover_h", "send_host", _DOWN),
        ]
    mb = scenario.messagebox
    if mb is not None:
        out += [
            ("messagebox.mttf_h", "messagebox", _UP),
            ("messagebox.mttr_h", "messagebox", _DOWN),
        ]
        if mb.ha == "failover_cluster":
            out += [
                ("messagebox.coverage", "messagebox", _COMPLEMENT),
                ("messagebox.failover_s", "messagebox", _DOWN),
                ("messagebox.manual_failover_h", "messagebox", _DOWN),
                ("messagebox.host_restart_s", "messagebox", _DOWN),
            ]
        if mb.storage_mttf_h is not None:
            out += [
                ("messagebox.storage_mttf_h", "storage", _UP),
                ("messagebox.storage_mttr_h", "storage", _DOWN),
            ]
    d = scenario.destination
    if isinstance(d, Endpoint):
        out += [
            ("destination.availability", "destination", _COMPLEMENT),
            ("destination.mttr_h", "destination", _DOWN),
        ]
    elif isinstance(d, NLBDestination):
        out += [
            ("destination.mttf_h", "destination", _UP),
            ("destination.mttr_h", "destination", _DOWN),
            ("destination.convergence_s", "destination", _DOWN),
        ]
    return out


def _theta(value: float, direction: str) -> float:
    return 1.0 - value if direction == _COMPLEMENT else value


def _value(theta: float, direction: str) -> float:
    return 1.0 - theta if direction == _COMPLEMENT else theta


def _unavailabilities(scenario: Scenario, path: str, values: list[float]) -> list[float | None]:
    """Path unavailability at each value of one field (None where the value is invalid)."""
    out: list[float | None] = []
    for v in values:
        try:
            s = scenario.replace(**{path: v})
        except ScenarioError:
            out.append(None)
        else:
            out.append(reliability_metric(s, "unavailability"))
    return out


def _elasticity(theta: float, u0: float, u_up: float | None, u_dn: float | None, h: float) -> float:
    if theta == 0.0 or u0 == 0.0:
        return 0.0
    if u_up is not None and u_dn is not None:
        return (math.log(u_up) - math.log(u_dn)) / (2.0 * h)
    if u_up is not None:  # one-sided at the edge of the valid range
        return (math.log(u_up) - math.log(u0)) / h
    if u_dn is not None:
        return (math.log(u0) - math.log(u_dn)) / h
    return math.nan  # pragma: no cover - a range narrower than the step


def parameter_importance(
    scenario: Scenario, *, improvement: float = 0.10, step: float = 1e-4
) -> pd.DataFrame:
    r"""Rank the reliability parameters by the downtime a small improvement of each saves.

    For every reliability parameter the scenario models (MTTF, MTTR, failover time, manual
    recovery time, failover coverage, host restart, convergence, storage, endpoint
    availability and MTTR), give the elasticity of the path unavailability *U* and the
    minutes per year saved by improving the parameter by ``improvement``.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    improvement : float
        Relative improvement [-] in (0, 1): MTTFs ×(1 + improvement); times (MTTR, failover,
        manual recovery, restart, convergence) ×(1 − improvement); failure probabilities
        (1 − coverage, 1 − endpoint availability) ×(1 − improvement).
    step : float
        Step in ln θ of the central difference [-].

    Returns
    -------
    DataFrame
        One row per parameter, sorted by descending ``downtime_saved_min_per_year``. Columns:
        ``parameter`` (dotted path), ``label``, ``unit``, ``block`` (the reliability block it
        belongs to, as named by :attr:`Evaluation.system <availcalc.Evaluation.system>`),
        ``base_value`` (field unit), ``varied`` (θ, the quantity differentiated: the field,
        or ``1 − field`` for a probability), ``improvement`` (the argument [-]),
        ``elasticity`` d ln U / d ln θ [-], ``improved_value`` (the field after the
        improvement), ``downtime_min_per_year`` (the
        path's, U × 525 600) and ``downtime_saved_min_per_year`` (base minus improved,
        recomputed exactly, not linearised).

    Raises
    ------
    ValueError
        For ``improvement`` or ``step`` outside (0, 1).

    Notes
    -----
    The elasticity is a central difference in :math:`\ln\theta` on the path unavailability
    (MessageBox, send tier and destination in series), so it is free of the cancellation
    that :math:`1 - A` would bring:

    .. math:: \varepsilon_\theta = \frac{\partial \ln U}{\partial \ln \theta}
              \approx \frac{\ln U(\theta e^{h}) - \ln U(\theta e^{-h})}{2h},

    with truncation error :math:`O(h^2)`; one-sided at the edge of a field's range. An
    elasticity of −1 means that 1 % more θ gives 1 % less downtime; for a single component,
    :math:`U = \text{MTTR}/(\text{MTTF}+\text{MTTR})` gives
    :math:`\varepsilon_\text{MTTR} = \text{MTTF}/(\text{MTTF}+\text{MTTR})`. A parameter at
    zero (e.g. a failover time of 0, a coverage of 1) has elasticity 0. The endpoint MTTR
    always has elasticity 0: an endpoint is described by its availability, so its MTTR
    changes how often it fails, not how much of the time.

    Integer parameters (instances, nodes, repair crews) are not differentiable; see
    :func:`~availcalc.tornado`.

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
    """
    for name, v in (("improvement", improvement), ("step", step)):
        if not (isinstance(v, int | float) and 0.0 < v < 1.0):
            raise ValueError(f"{name} must be a number in the open interval (0, 1); got {v!r}")
    fields = numeric_fields(scenario)
    ev = evaluate(scenario)
    blocks = reliability_blocks(ev)
    u0 = float(ev.unavailability)
    rows = []
    for order, (path, block, direction) in enumerate(_reliability_parameters(scenario)):
        spec = fields[path]
        base = float(scenario.get(path))
        theta = _theta(base, direction)
        factor = 1.0 + improvement if direction == _UP else 1.0 - improvement
        improved = _value(theta * factor, direction)
        if theta == 0.0:  # nothing to improve or differentiate (e.g. a failover time of 0)
            u_up = u_dn = u_imp = None
        else:
            u_up, u_dn, u_imp = _unavailabilities(
                scenario,
                path,
                [
                    _value(theta * math.exp(step), direction),
                    _value(theta * math.exp(-step), direction),
                    improved,
                ],
            )
        if u_imp is None:  # e.g. at the edge of the field's range: keep the base
            improved, u_imp = base, u0
        rows.append(
            {
                "parameter": path,
                "label": spec.label,
                "unit": spec.unit,
                "block": blocks[block],
                "base_value": base,
                "varied": f"1 − {path}" if direction == _COMPLEMENT else path,
                "improvement": improvement,
                "elasticity": _elasticity(theta, u0, u_up, u_dn, step),
                "improved_value": improved,
                "downtime_min_per_year": u0 * MIN_PER_YEAR,
                "downtime_saved_min_per_year": (u0 - u_imp) * MIN_PER_YEAR,
                "_order": order,
            }
        )
    out = pd.DataFrame(rows).sort_values(
        ["downtime_saved_min_per_year", "_order"], ascending=[False, True]
    )
    return out[PARAMETER_IMPORTANCE_COLUMNS].reset_index(drop=True)


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
    ev = evaluate(scenario)
    imp = ev.system.importance()
    bd = ev.downtime_breakdown.set_index("component")
    u_s = float(ev.unavailability)
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
                "downtime_saved_if_perfect_min_per_year": saved * MIN_PER_YEAR,
            }
        )
    out = pd.DataFrame(rows).sort_values("criticality", ascending=False, kind="stable")
    return out[BLOCK_IMPORTANCE_COLUMNS].reset_index(drop=True)


def importance(scenario: Scenario, *, improvement: float = 0.10) -> pd.DataFrame:
    r"""Rank reliability parameters, with the importance of the block each belongs to.

    :func:`parameter_importance` (elasticity of the path unavailability, minutes per year
    saved by a 10 % improvement) joined with :func:`block_importance` on the block.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    improvement : float
        Relative improvement of each parameter [-] (see :func:`parameter_importance`).

    Returns
    -------
    DataFrame
        The columns of :func:`parameter_importance`, then ``block_birnbaum``,
        ``block_criticality`` and ``block_downtime_min_per_year``; sorted by descending
        ``downtime_saved_min_per_year``.

    Examples
    --------
    >>> from availcalc import load_preset
    >>> imp = importance(load_preset("sharepoint_2x_nlb3"))
    >>> imp[["parameter", "block", "block_criticality"]].head(2).round(3)
                        parameter                 block  block_criticality
    0  destination.convergence_s  destination NLB pool              0.932
    1          destination.mttf_h  destination NLB pool              0.932
    """
    p = parameter_importance(scenario, improvement=improvement)
    b = block_importance(scenario)[["block", "birnbaum", "criticality", "downtime_min_per_year"]]
    b = b.rename(
        columns={
            "birnbaum": "block_birnbaum",
            "criticality": "block_criticality",
            "downtime_min_per_year": "block_downtime_min_per_year",
        }
    )
    return p.merge(b, on="block", how="left")
