"""One style for every figure: colours by concept, axis titles with units, hover formats.

The same concept has the same colour in every figure (a clustered handler is always orange, a
target line always red and dashed, capacity always grey and dotted); axis titles come from the
:data:`~availcalc.model.evaluate.METRICS` table and the scenario field specs, with the unit in
brackets (``[-]`` when dimensionless); quantities that span decades (unavailability, downtime,
state probabilities) go on log axes.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import plotly.graph_objects as go

from availcalc.model.evaluate import METRICS
from availcalc.model.schema import section_classes

__all__ = [
    "COLORS",
    "HANDLER_COLORS",
    "HANDLER_NAMES",
    "LOG_QUANTITIES",
    "METRIC_COLORS",
    "apply_style",
    "axis_title",
    "block_color",
    "finite_or_none",
    "format_value",
    "hover_format",
    "label_of",
    "log_axis",
    "lower_label",
    "unit_of",
    "use_log",
]

#: Colours of concepts that recur across figures.
COLORS: dict[str, str] = {
    "scaled_out": "#1f77b4",  # blue
    "clustered": "#ff7f0e",  # orange
    "target": "#d62728",  # red: latency target, SLA contour, states that miss the target
    "meets": "#2ca02c",  # green: states that meet the target
    "capacity": "#7f7f7f",  # grey: capacity asymptote
    "base": "#444444",  # dark grey: base value of a sensitivity
    "low": "#6baed6",  # light blue: input at its low end (tornado)
    "high": "#fd8d3c",  # light orange: input at its high end (tornado)
    "messagebox": "#7b4173",  # plum
    "destination": "#637939",  # olive
    "neutral": "#9e9e9e",
}

#: Colour of each handler (also used for the send host block).
HANDLER_COLORS: dict[str, str] = {
    "scaled_out": COLORS["scaled_out"],
    "clustered": COLORS["clustered"],
}

#: Display name of each handler.
HANDLER_NAMES: dict[str, str] = {
    "scaled_out": "scaled out",
    "clustered": "clustered (active/passive pair)",
}

#: Colour of each metric when one figure shows several metrics of one scenario.
METRIC_COLORS: dict[str, str] = {
    "mean_latency_s": "#17becf",  # cyan
    "latency_percentile_s": "#1b4f72",  # dark blue
    "latency_one_down_s": "#5d6d7e",
    "availability": "#2ca02c",  # green
    "unavailability": "#2ca02c",
    "downtime_min_per_year": "#2ca02c",
    "nines": "#2ca02c",
    "sla_availability": "#8c564b",  # brown
    "sla_downtime_min_per_year": "#8c564b",
    "expected_throughput_fraction": "#9467bd",  # purple
    "capacity_per_s": COLORS["capacity"],
    "max_load_per_s": "#e377c2",
    "max_load_one_down_per_s": "#e377c2",
}

#: Quantities drawn on a log axis when all their values are positive.
LOG_QUANTITIES = frozenset(
    {
        "unavailability",
        "downtime_min_per_year",
        "sla_downtime_min_per_year",
        "probability",
        "failures_per_year",
        "messages_at_risk_per_year",
    }
)

# titles of analysis columns that are not metrics nor scenario fields: key → (label, unit)
_EXTRA: dict[str, tuple[str, str]] = {
    "instances": ("Host instances", ""),
    "nodes": ("Servers", ""),
    "probability": ("Probability", ""),
    "throughput_fraction": ("Throughput fraction", ""),
    "elasticity": ("Elasticity d ln U / d ln θ", ""),
    "downtime_saved_min_per_year": ("Downtime saved", "min/yr"),
    "downtime_saved_if_perfect_min_per_year": ("Downtime saved if never failing", "min/yr"),
    "criticality": ("Criticality", ""),
    "birnbaum": ("Birnbaum importance", ""),
    "fussell_vesely": ("Fussell–Vesely importance", ""),
    "share_of_downtime": ("Share of the downtime", ""),
    "swing": ("Swing", ""),
    "minutes_per_year": ("Time in state", "min/yr"),
}

# number formats (d3) for hover text
_FORMATS: dict[str, str] = {
    "availability": ".8f",
    "sla_availability": ".8f",
    "expected_throughput_fraction": ".8f",
    "throughput_fraction": ".6f",
    "unavailability": ".4e",
    "probability": ".4e",
    "utilization": ".4f",
    "nines": ".3f",
}


def _field_spec(path: str) -> Any:
    sec, _, name = path.partition(".")
    for cls in section_classes().get(sec, ()):
        for f in dataclasses.fields(cls):
            if f.name == name:
                return f.metadata["spec"]
    return None


def label_of(key: str) -> str:
    """Return the human label of a metric, analysis column or dotted scenario path."""
    if key in METRICS:
        return METRICS[key][0]
    if key in _EXTRA:
        return _EXTRA[key][0]
    spec = _field_spec(key)
    if spec is not None:
        return str(spec.label)
    return key.replace("_", " ")


def lower_label(key: str) -> str:
    """Return the label for use inside a sentence: first letter lowered unless an acronym.

    Examples
    --------
    >>> lower_label("sla_downtime_min_per_year"), lower_label("send_host.mttr_h")
    ('SLA downtime', 'instance MTTR')
    """
    label = label_of(key)
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def unit_of(key: str) -> str:
    """Return the unit of a metric, analysis column or dotted scenario path (``""`` if none)."""
    if key in METRICS:
        return METRICS[key][1]
    if key in _EXTRA:
        return _EXTRA[key][1]
    spec = _field_spec(key)
    if spec is not None:
        return str(spec.unit)
    return ""


def axis_title(key: str) -> str:
    """Return ``"Label [unit]"`` for a metric, column or dotted path; ``[-]`` if dimensionless.

    Examples
    --------
    >>> axis_title("downtime_min_per_year")
    'Downtime [min/yr]'
    >>> axis_title("send_host.mttr_h")
    'Instance MTTR [h]'
    >>> axis_title("availability")
    'Availability [-]'
    """
    return f"{label_of(key)} [{unit_of(key) or '-'}]"


def hover_format(key: str) -> str:
    """Return the d3 number format showing a quantity's exact value in hover text."""
    return _FORMATS.get(key, ".6~g")


def format_value(key: str, value: Any) -> str:
    """Format a value for hover text or labels, as :func:`hover_format` does (``∞`` for inf).

    Examples
    --------
    >>> format_value("availability", 0.99994712), format_value("latency_percentile_s", 1e999)
    ('0.99994712', '∞')
    """
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(v):
        return "n/a"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    return format(v, hover_format(key).replace("~", ""))


def use_log(key: str, values: Iterable[Any]) -> bool:
    """Whether to draw ``key`` on a log axis: a decade-spanning quantity, all values > 0."""
    if key not in LOG_QUANTITIES:
        return False
    v = np.asarray([x for x in values if x is not None], dtype=float)
    v = v[np.isfinite(v)]
    return bool(v.size) and bool(np.all(v > 0))


def finite_or_none(values: Iterable[Any]) -> list[Any]:
    """Return a list with inf and NaN replaced by None (a gap in a plotly trace)."""
    out: list[Any] = []
    for x in values:
        if isinstance(x, bool | np.bool_):
            out.append(bool(x))
            continue
        try:
            f = float(x)
        except (TypeError, ValueError):
            out.append(x)
            continue
        out.append(f if math.isfinite(f) else None)
    return out


def block_color(name: str) -> str:
    """Colour of a reliability block, by what it is (its name as in ``Evaluation.system``)."""
    n = name.lower()
    if n.startswith("messagebox"):
        return COLORS["messagebox"]
    if n.startswith("destination"):
        return COLORS["destination"]
    if "cluster" in n:
        return COLORS["clustered"]
    if n.startswith("send host"):
        return COLORS["scaled_out"]
    return COLORS["neutral"]


def log_axis() -> dict[str, Any]:
    """Axis settings of a log axis: powers of ten written as 1e-4, not SI prefixes."""
    return {"type": "log", "exponentformat": "e", "showexponent": "all"}


def apply_style(fig: go.Figure, title: str | None = None, **layout: Any) -> go.Figure:
    """Apply the common layout (white template, legend on top, unified margins)."""
    fig.update_layout(
        template="plotly_white",
        title={"text": title} if title else None,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"l": 70, "r": 30, "t": 120 if title else 70, "b": 60},
        font={"size": 13},
        hoverlabel={"namelength": -1},
    )
    if layout:
        fig.update_layout(**layout)
    return fig
