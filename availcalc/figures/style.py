"""One style for every figure: colours by concept, axis titles with units, hover formats.

The same concept has the same colour in every figure (a clustered handler is always orange, a
target line always red and dashed, capacity always grey and dotted); axis titles come from the
:data:`~availcalc.model.evaluate.METRICS` table and the scenario field specs, with the unit in
brackets (``[-]`` when dimensionless); quantities that span decades (unavailability, downtime,
state probabilities) go on log axes.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import plotly.graph_objects as go

from availcalc.model.kinds import CLUSTERED, HANDLER_KINDS, SCALED_OUT
from availcalc.model.metrics import METRICS
from availcalc.model.schema import section_classes

__all__ = [
    "BAR_LINE",
    "COLORBAR",
    "COLORS",
    "HANDLER_COLORS",
    "HANDLER_DASHES",
    "HANDLER_NAMES",
    "LOG_QUANTITIES",
    "METRIC_COLORS",
    "apply_style",
    "axis_title",
    "base_layout",
    "block_color",
    "finite_or_none",
    "format_value",
    "hline",
    "hover_format",
    "label_of",
    "log_axis",
    "log_tick_text",
    "log_ticks",
    "lower_label",
    "number_axis",
    "template",
    "unit_of",
    "use_log",
    "vline",
]

#: Colours of concepts that recur across figures.
COLORS: dict[str, str] = {
    "scaled_out": SCALED_OUT.color,  # blue
    "clustered": CLUSTERED.color,  # orange
    "target": "#d62728",  # red: latency target, SLA contour, states that miss the target
    "meets": "#2ca02c",  # green: states that meet the target
    "capacity": "#7f7f7f",  # grey: capacity asymptote
    "base": "#444444",  # dark grey: base value of a sensitivity
    "low": "#6baed6",  # light blue: input at its low end (tornado)
    "high": "#fd8d3c",  # light orange: input at its high end (tornado)
    "messagebox": "#7b4173",  # plum
    "storage": "#a55194",  # light plum: the MessageBox's shared storage
    "destination": "#637939",  # olive
    "neutral": "#9e9e9e",
    "text": "#2a3f5f",  # plotly_white's text colour, set where a host theme must not change it
    "infinite": "#d0d0d0",  # light grey: heatmap cells whose value is infinite (overloaded)
}

#: Colour of each handler (also used for the send host block).
HANDLER_COLORS: dict[str, str] = {k: kind.color for k, kind in HANDLER_KINDS.items()}

#: Display name of each handler.
HANDLER_NAMES: dict[str, str] = {k: kind.name for k, kind in HANDLER_KINDS.items()}

#: Line dash of each handler.
HANDLER_DASHES: dict[str, str] = {k: kind.dash for k, kind in HANDLER_KINDS.items()}

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
        return METRICS[key].label
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
        return METRICS[key].unit
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
        return COLORS["storage"] if "storage" in n else COLORS["messagebox"]
    if n.startswith("destination"):
        return COLORS["destination"]
    if "cluster" in n:
        return CLUSTERED.color
    if n.startswith("send host"):
        return SCALED_OUT.color
    return COLORS["neutral"]


# ------------------------------------------------------------------------------- log axis ticks

# mantissas of the tick sets tried in turn: decades, then 1-2-5, 1-2-3-5 and every digit
_MANTISSAS = ((1,), (1, 2, 5), (1, 2, 3, 5), (1, 2, 3, 4, 5, 6, 7, 8, 9))


def log_ticks(values: Iterable[Any], *, max_ticks: int = 8) -> list[float]:
    """Return clean tick values for a log scale spanning the positive finite ``values``.

    Powers of ten when at least three of them lie in the range (every second or third one
    when there are more than ``max_ticks``); else 1-2-5, 1-2-3-5 or 1…9 times a power of ten,
    whichever first gives three ticks; else two or fewer (``[]``: let plotly choose). The
    range is the data's widened by 5 % of its decades each way, as plotly pads a log axis.

    Examples
    --------
    >>> log_ticks([3e-7, 0.999])
    [1e-06, 1e-05, 0.0001, 0.001, 0.01, 0.1, 1.0]
    >>> log_ticks([13.1, 790.0])
    [20.0, 50.0, 100.0, 200.0, 500.0]
    >>> log_ticks([1.6, 9.06]), log_ticks([540.0, 800.0])
    ([2.0, 3.0, 5.0], [600.0, 700.0, 800.0])
    """
    v = np.asarray([x for x in values if x is not None], dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    if not v.size:
        return []
    lo, hi = float(v.min()), float(v.max())
    # plotly pads a log axis by about 5 % of its decades: a tick there is still shown
    pad = 10.0 ** (0.05 * math.log10(hi / lo))
    lo, hi = lo / pad, hi * pad
    k0, k1 = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    best: list[float] = []
    for mantissas in _MANTISSAS:
        ticks = [
            t
            for k in range(k0, k1 + 1)
            for m in mantissas
            if lo * (1 - 1e-9) <= (t := float(f"{m}e{k}")) <= hi * (1 + 1e-9)
        ]
        if mantissas == (1,) and len(ticks) > max_ticks:
            step = math.ceil(len(ticks) / max_ticks)
            ticks = [t for t in ticks if round(math.log10(t)) % step == 0]
        if len(ticks) >= 3:
            return ticks
        if len(ticks) > len(best):
            best = ticks
    return best if len(best) >= 2 else []


def log_tick_text(value: float) -> str:
    """Write a tick of a log scale: plain from 0.001 to 99,999, else ``2e-6`` (never SI).

    Examples
    --------
    >>> [log_tick_text(v) for v in (1e-6, 5e-4, 0.001, 0.3, 1.0, 20.0, 10000.0, 1e5)]
    ['1e-6', '5e-4', '0.001', '0.3', '1', '20', '10,000', '1e5']
    """
    if 1e-3 <= value < 1e5:
        return f"{value:,.6g}"
    k = math.floor(math.log10(value))
    m = round(value / 10.0**k, 6)
    if m >= 10:
        m, k = m / 10, k + 1
    return f"{m:g}e{k}"


def log_axis(values: Iterable[Any] | None = None) -> dict[str, Any]:
    """Axis settings of a log axis: clean ticks written as 0.01 or 1e-4, never "2 5" digits.

    Over a decade or more plotly labels the ticks between powers of ten with bare digits
    ("2 100 5 2 10"); with ``values`` (the data drawn on the axis) spanning more than 0.8 of a
    decade, the ticks are :func:`log_ticks` with full labels (:func:`log_tick_text`) instead.
    Over less, plotly's own ticks are linear and fully labelled, and are kept; powers of ten
    are written as 1e-4, never with SI prefixes.

    Examples
    --------
    >>> log_axis([0.05, 30.0])["ticktext"]
    ['0.1', '1', '10']
    >>> "tickvals" in log_axis([540.0, 790.0])
    False
    """
    axis: dict[str, Any] = {"type": "log", "exponentformat": "e", "showexponent": "all"}
    if values is None:
        return axis
    v = np.asarray([x for x in values if x is not None], dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    if v.size and math.log10(float(v.max()) / float(v.min())) >= 0.8:
        ticks = log_ticks(v)
        if ticks:
            axis.update(
                tickmode="array", tickvals=ticks, ticktext=[log_tick_text(t) for t in ticks]
            )
    return axis


def number_axis(values: Iterable[Any] | None = None) -> dict[str, Any]:
    """Tick number format of a linear axis or colour bar: 200,000 and 0.05, never SI prefixes.

    Plotly writes 200k and 3µ by default (a downtime of 525,600 min/yr, an unavailability of
    3e-6); whole numbers get thousands separators instead, and values that are all below
    0.001 (given ``values``) are written 1e-6 rather than 0.000001.

    Examples
    --------
    >>> number_axis(), number_axis([0.0, 3.2e-6])["exponentformat"]
    ({'exponentformat': 'none', 'separatethousands': True}, 'e')
    """
    fmt = "none"
    if values is not None:
        v = np.abs(np.asarray([x for x in values if x is not None], dtype=float))
        v = v[np.isfinite(v)]
        if v.size and 0 < v.max() < 1e-3:
            fmt = "e"
    return {"exponentformat": fmt, "separatethousands": True}


# ------------------------------------------------------------------------------- layout

# what the figures keep of plotly_white: no polar, 3-D, geo or map settings, no colour scales
_TEMPLATE_LAYOUT = (
    "annotationdefaults",
    "autotypenumbers",
    "colorway",
    "font",
    "hoverlabel",
    "hovermode",
    "paper_bgcolor",
    "plot_bgcolor",
    "shapedefaults",
    "title",
    "xaxis",
    "yaxis",
)
#: What plotly_white sets on the traces the figures draw, set on each trace instead (a template
#: with trace defaults costs twice as much to copy into every figure).
BAR_LINE: dict[str, Any] = {"color": "white", "width": 0.5}
COLORBAR: dict[str, Any] = {"outlinewidth": 0, "ticks": ""}


@functools.cache
def template() -> go.layout.Template:
    """Return the template of every figure: plotly_white's look, resolved once per process.

    Only the layout parts the figures use are kept (axes, colours, fonts, hover, shape and
    annotation defaults; the few trace defaults they need are :data:`BAR_LINE` and
    :data:`COLORBAR`), so that copying it into each figure (plotly validates a copy), and
    serialising the figure, stays cheap: about 3 ms instead of 15 ms for the full template.
    """
    import plotly.io as pio

    white = pio.templates["plotly_white"].layout.to_plotly_json()
    return go.layout.Template(layout={k: white[k] for k in _TEMPLATE_LAYOUT if k in white})


def base_layout(title: str | None = None, **layout: Any) -> dict[str, Any]:
    """Return the common layout as a dict (template, title, legend on top, margins, font).

    Keyword arguments override it; a dict value is merged one level deep into the common one
    (``margin={"b": 90}`` keeps the other margins). Build the figure in one go with
    ``go.Figure(data=traces, layout=base_layout(...))``: much cheaper than updating it.
    """
    out: dict[str, Any] = {
        "template": template(),
        "xaxis": number_axis(),
        "yaxis": number_axis(),
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "margin": {"l": 70, "r": 30, "t": 120 if title else 70, "b": 60},
        "font": {"size": 13},
        "hoverlabel": {"namelength": -1},
    }
    if title:
        out["title"] = {"text": title}
    for key, value in layout.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def apply_style(fig: go.Figure, title: str | None = None, **layout: Any) -> go.Figure:
    """Apply the common layout (:func:`base_layout`) to a figure, in one update."""
    fig.update_layout(base_layout(title, **layout))
    return fig


def hline(
    y: float,
    *,
    color: str,
    dash: str = "solid",
    width: float = 2,
    text: str | None = None,
    axes: tuple[str, str] = ("x", "y"),
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Return a horizontal line across the plot (shape), its label at the top left (annotation)."""
    xa, ya = axes
    shape = {
        "type": "line",
        "xref": f"{xa} domain",
        "yref": ya,
        "x0": 0,
        "x1": 1,
        "y0": y,
        "y1": y,
        "line": {"color": color, "dash": dash, "width": width},
    }
    note = None
    if text:
        note = {
            "text": text,
            "xref": f"{xa} domain",
            "yref": ya,
            "x": 0,
            "y": y,
            "xanchor": "left",
            "yanchor": "bottom",
            "showarrow": False,
            "font": {"color": color},
        }
    return shape, note


def vline(
    x: float,
    *,
    color: str,
    dash: str = "solid",
    width: float = 2,
    text: str | None = None,
    axes: tuple[str, str] = ("x", "y"),
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Return a vertical line up the plot (shape) and its label at the top right (annotation)."""
    xa, ya = axes
    shape = {
        "type": "line",
        "xref": xa,
        "yref": f"{ya} domain",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": color, "dash": dash, "width": width},
    }
    note = None
    if text:
        note = {
            "text": text,
            "xref": xa,
            "yref": f"{ya} domain",
            "x": x,
            "y": 1,
            "xanchor": "left",
            "yanchor": "top",
            "showarrow": False,
            "font": {"color": color},
        }
    return shape, note
