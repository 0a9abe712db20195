"""Line charts and heatmaps of sweeps: latency vs load, availability and SLA vs instances."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from availcalc.figures.style import (
    COLORBAR,
    COLORS,
    HANDLER_COLORS,
    HANDLER_DASHES,
    HANDLER_NAMES,
    METRIC_COLORS,
    axis_title,
    base_layout,
    finite_or_none,
    format_value,
    hline,
    hover_format,
    label_of,
    log_axis,
    log_tick_text,
    log_ticks,
    lower_label,
    number_axis,
    unit_of,
    use_log,
    vline,
)
from availcalc.model.kinds import SCALED_OUT

__all__ = [
    "availability_vs_instances",
    "heatmap",
    "latency_vs_load",
    "sensitivity_chart",
    "sla_vs_instances",
    "sla_vs_load",
]

_QUALITATIVE = [
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#666666",
]


def _require(df: pd.DataFrame, *columns: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"the DataFrame lacks column(s) {', '.join(map(repr, missing))}; it has "
            f"{', '.join(map(str, df.columns))}"
        )


def _constant(df: pd.DataFrame, column: str) -> float | None:
    """Return the value of a column that is the same on every row (None otherwise)."""
    if column in df.columns and df[column].nunique(dropna=False) == 1:
        v = float(df[column].iloc[0])
        return v if np.isfinite(v) else None
    return None


def _unit(key: str) -> str:
    u = unit_of(key)
    return f" {u}" if u else ""


def _hover(y_key: str, x_key: str) -> str:
    return (
        f"{label_of(x_key)} = %{{x:{hover_format(x_key)}}}{_unit(x_key)}<br>"
        f"{label_of(y_key)} = %{{y:{hover_format(y_key)}}}{_unit(y_key)}"
    )


def _instances_column(df: pd.DataFrame) -> str:
    for c in ("instances", "send_host.instances"):
        if c in df.columns:
            return c
    raise ValueError(
        "the DataFrame needs an 'instances' column (handler_comparison) or a "
        "'send_host.instances' column (a sweep over instances)"
    )


def _groups(df: pd.DataFrame, color: str | None) -> list[tuple[Any, pd.DataFrame]]:
    if color is None:
        return [(None, df)]
    _require(df, color)
    if color == "handler":
        order = [h for h in HANDLER_COLORS if h in set(df[color])]
        order += [h for h in pd.unique(df[color]) if h not in order]
    else:
        order = list(pd.unique(df[color]))
    return [(v, df[df[color] == v]) for v in order]


def _group_style(color: str | None, value: Any, i: int) -> tuple[str, str]:
    """(trace-name prefix, colour) of one group."""
    if color is None:
        return "", ""
    if color == "handler":
        return HANDLER_NAMES.get(str(value), str(value)), HANDLER_COLORS.get(
            str(value), COLORS["neutral"]
        )
    name = f"{label_of(color)} = {format_value(color, value)}{_unit(color)}"
    return name, _QUALITATIVE[i % len(_QUALITATIVE)]


class _Marks:
    """Shapes and annotations of a figure, collected for one ``go.Figure(layout=...)``."""

    def __init__(self) -> None:
        self.shapes: list[dict[str, Any]] = []
        self.annotations: list[dict[str, Any]] = []

    def add(self, pair: tuple[dict[str, Any], dict[str, Any] | None]) -> None:
        shape, note = pair
        self.shapes.append(shape)
        if note is not None:
            self.annotations.append(note)

    def target(self, y: float, text: str) -> None:
        """Draw the target: a red dashed horizontal line, labelled at the top left."""
        self.add(hline(y, color=COLORS["target"], dash="dash", text=text))

    def capacity(self, x: float) -> None:
        """Draw the capacity: a grey dotted vertical asymptote, labelled at the top right."""
        self.add(vline(x, color=COLORS["capacity"], dash="dot", text=f"capacity {x:.4g} msg/s"))

    def layout(self) -> dict[str, Any]:
        return {"shapes": self.shapes, "annotations": self.annotations}


def _y_axis(metric: str, values: Any) -> dict[str, Any]:
    """y-axis settings: a log axis with clean ticks for decade-spanning quantities."""
    if use_log(metric, values):
        return log_axis(values)
    return number_axis(pd.to_numeric(pd.Series(values), errors="coerce").dropna())


# ------------------------------------------------------------------------------------------------


def latency_vs_load(
    sweep_df: pd.DataFrame,
    *,
    target_s: float | None = None,
    capacity_per_s: float | None = None,
    percentile: float | None = None,
    x: str = "arrival_rate_per_s",
) -> go.Figure:
    """Mean and percentile latency against the load, with the capacity asymptote and target.

    Parameters
    ----------
    sweep_df : DataFrame
        A sweep over ``workload.arrival_rate_per_s`` (:func:`availcalc.sweep`): columns ``x``,
        ``mean_latency_s`` and ``latency_percentile_s``.
    target_s : float, optional
        Latency target [s], drawn as a red dashed line (default: the ``latency_target_s``
        column when it is the same on every row).
    capacity_per_s : float, optional
        Capacity [msg/s], drawn as a grey dotted vertical asymptote (default: the
        ``capacity_per_s`` column when it is constant).
    percentile : float, optional
        The latency percentile (e.g. 0.95) to name the curve "p95 latency".
    x : str
        Column of the load [msg/s].

    Returns
    -------
    plotly.graph_objects.Figure
        Traces ``Mean latency`` and the percentile; unstable points (latency ``inf``) are
        gaps. When the percentile exceeds three times the target, the y axis stops there.

    Raises
    ------
    ValueError
        When a needed column is missing (the message lists the columns there are).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"arrival_rate_per_s": [10.0, 20.0, 30.0],
    ...                    "mean_latency_s": [0.16, 0.2, float("inf")],
    ...                    "latency_percentile_s": [0.5, 0.7, float("inf")]})
    >>> fig = latency_vs_load(df, target_s=2.0, capacity_per_s=25.0, percentile=0.95)
    >>> [t.name for t in fig.data], fig.data[1].y
    (['Mean latency', 'p95 latency'], (0.5, 0.7, None))
    >>> fig.layout.xaxis.title.text, fig.layout.yaxis.title.text
    ('Arrival rate λ [msg/s]', 'Latency [s]')
    """
    _require(sweep_df, x, "mean_latency_s", "latency_percentile_s")
    df = sweep_df.sort_values(x)
    if target_s is None:
        target_s = _constant(df, "latency_target_s")
    if capacity_per_s is None:
        capacity_per_s = _constant(df, "capacity_per_s")
    pct_name = f"p{100 * percentile:g} latency" if percentile else "Latency percentile"
    xs = finite_or_none(df[x])
    traces = [
        {
            "type": "scatter",
            "x": xs,
            "y": finite_or_none(df[key]),
            "name": name,
            "mode": "lines+markers" if len(df) <= 30 else "lines",
            "line": {"color": METRIC_COLORS[key], "dash": dash, "width": 2.5},
            "hovertemplate": f"{name} = %{{y:.6~g}} s<extra></extra>",
        }
        for key, name, dash in (
            ("mean_latency_s", "Mean latency", "dash"),
            ("latency_percentile_s", pct_name, "solid"),
        )
    ]
    marks = _Marks()
    if target_s is not None:
        marks.target(target_s, f"target {target_s:g} s")
    if capacity_per_s is not None:
        marks.capacity(capacity_per_s)
    yaxis: dict[str, Any] = {"title": {"text": "Latency [s]"}, "rangemode": "tozero"}
    finite = pd.to_numeric(df["latency_percentile_s"], errors="coerce")
    finite = finite[np.isfinite(finite)]
    if target_s is not None and len(finite) and float(finite.max()) > 3 * target_s:
        yaxis["range"] = [0, 3 * target_s]
    layout = base_layout(
        "Latency against load",
        hovermode="x unified",
        xaxis={
            "title": {"text": axis_title(x)},
            "hoverformat": hover_format(x),
            "rangemode": "tozero",
        },
        yaxis=yaxis,
        **marks.layout(),
    )
    return go.Figure(data=traces, layout=layout)


def availability_vs_instances(
    handler_df: pd.DataFrame, *, metric: str = "downtime_min_per_year"
) -> go.Figure:
    """Downtime per year (or another availability metric) against instances, both handlers.

    Parameters
    ----------
    handler_df : DataFrame
        :func:`availcalc.handler_comparison` (columns ``instances``, ``handler``, the metric),
        or a sweep over ``send_host.instances``.
    metric : str
        Column to draw: ``downtime_min_per_year`` (default, log axis), ``unavailability``
        (log), ``availability``, ``sla_downtime_min_per_year`` (log)…

    Returns
    -------
    plotly.graph_objects.Figure
        One trace per handler: the scaled-out curve in blue, the clustered pair (2 nodes
        whatever the x value) as an orange dashed reference line. Hover shows the instance
        count, availability and downtime exactly.

    Raises
    ------
    ValueError
        Without an instances column or the metric column.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"instances": [1, 1, 2, 2],
    ...                    "handler": ["scaled_out", "clustered"] * 2,
    ...                    "availability": [0.9995, 0.99995, 0.999975, 0.99995],
    ...                    "downtime_min_per_year": [262.8, 26.28, 13.14, 26.28]})
    >>> fig = availability_vs_instances(df)
    >>> [t.name for t in fig.data], fig.layout.yaxis.type
    (['scaled out', 'clustered'], 'log')
    >>> fig.layout.yaxis.title.text
    'Downtime [min/yr]'
    """
    x = _instances_column(handler_df)
    _require(handler_df, metric)
    df = handler_df.sort_values(x)
    color = "handler" if "handler" in df.columns else None
    extra = [c for c in ("availability", "downtime_min_per_year") if c in df.columns]
    lines = [f"{label_of(x)} = %{{x}}", f"{label_of(metric)} = %{{y:{hover_format(metric)}}}"]
    lines[-1] += _unit(metric)
    for j, c in enumerate(extra):
        if c != metric:
            lines.append(f"{label_of(c)} = %{{customdata[{j}]:{hover_format(c)}}}{_unit(c)}")
    hovertemplate = "<br>".join(lines) + "<extra>%{fullData.name}</extra>"
    traces = []
    for i, (value, g) in enumerate(_groups(df, color)):
        name, col = _group_style(color, value, i)
        solid = color != "handler" or HANDLER_DASHES.get(str(value), "solid") == "solid"
        traces.append(
            {
                "type": "scatter",
                "x": g[x].tolist(),
                "y": finite_or_none(g[metric]),
                "customdata": g[extra].to_numpy() if extra else None,
                "name": name or label_of(metric),
                "mode": "lines+markers" if solid else "lines",
                "line": {
                    "color": col or METRIC_COLORS.get(metric, SCALED_OUT.color),
                    "dash": "solid" if solid else HANDLER_DASHES[str(value)],
                    "width": 2.5,
                },
                "hovertemplate": hovertemplate,
            }
        )
    layout = base_layout(
        f"{label_of(metric)} against host instances",
        xaxis={"title": {"text": axis_title(x)}, "dtick": 1},
        yaxis={"title": {"text": axis_title(metric)}, **_y_axis(metric, df[metric])},
    )
    return go.Figure(data=traces, layout=layout)


_FRACTIONS = (("sla_availability", "solid"), ("expected_throughput_fraction", "dot"))


def _fraction_chart(
    df: pd.DataFrame,
    x: str,
    color: str | None,
    title: str,
    availability_target: float | None,
    *,
    capacity_per_s: float | None = None,
    xaxis: dict[str, Any] | None = None,
) -> go.Figure:
    _require(df, x, *(k for k, _ in _FRACTIONS))
    df = df.sort_values(x)
    traces = []
    for i, (value, g) in enumerate(_groups(df, color)):
        prefix, col = _group_style(color, value, i)
        xs = finite_or_none(g[x])
        for j, (key, dash) in enumerate(_FRACTIONS):
            trace = {
                "type": "scatter",
                "x": xs,
                "y": finite_or_none(g[key]),
                "name": label_of(key),
                "mode": "lines+markers" if len(g) <= 30 else "lines",
                "line": {"color": col or METRIC_COLORS[key], "dash": dash, "width": 2.5},
                "hovertemplate": _hover(key, x) + "<extra>%{fullData.name}</extra>",
            }
            if prefix:
                # one legend group per handler (or value of ``color``), titled with it: short
                # entries in a column each, instead of "clustered (active/passive pair):
                # Expected throughput fraction" entries wrapping up into the title
                trace.update(
                    legendgroup=prefix,
                    hovertemplate=f"{_hover(key, x)}<extra>{prefix}: {label_of(key)}</extra>",
                )
                if j == 0:
                    trace["legendgrouptitle"] = {"text": prefix}
            traces.append(trace)
    marks = _Marks()
    if availability_target is not None:
        marks.target(availability_target, f"target {availability_target:g}")
    if capacity_per_s is not None:
        marks.capacity(capacity_per_s)
    # a grouped legend is three rows high (title, two entries): room for it under the title
    layout = base_layout(
        title,
        margin={"t": 170} if color is not None else {},
        xaxis={"title": {"text": axis_title(x)}, **(xaxis or {})},
        yaxis={"title": {"text": "SLA availability, expected throughput fraction [-]"}},
        **marks.layout(),
    )
    return go.Figure(data=traces, layout=layout)


def sla_vs_instances(df: pd.DataFrame, *, availability_target: float | None = None) -> go.Figure:
    """SLA availability and expected throughput fraction against host instances.

    Parameters
    ----------
    df : DataFrame
        :func:`availcalc.handler_comparison` (one colour per handler) or a sweep over
        ``send_host.instances``.
    availability_target : float, optional
        An SLA availability objective [-], drawn as a red dashed line.

    Returns
    -------
    plotly.graph_objects.Figure
        SLA availability (solid) and expected throughput fraction (dotted) per handler; hover
        shows 8 decimals.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"send_host.instances": [1, 2, 3],
    ...                    "sla_availability": [0.0, 0.9990, 0.9995],
    ...                    "expected_throughput_fraction": [0.5, 0.9996, 0.9998]})
    >>> [t.name for t in sla_vs_instances(df).data]
    ['SLA availability', 'Expected throughput fraction']
    """
    x = _instances_column(df)
    color = "handler" if "handler" in df.columns else None
    return _fraction_chart(
        df,
        x,
        color,
        "SLA availability against host instances",
        availability_target,
        xaxis={"dtick": 1},
    )


def sla_vs_load(
    df: pd.DataFrame,
    *,
    capacity_per_s: float | None = None,
    color: str | None = None,
    availability_target: float | None = None,
    x: str = "arrival_rate_per_s",
) -> go.Figure:
    """SLA availability and expected throughput fraction against the load.

    Parameters
    ----------
    df : DataFrame
        A sweep over ``workload.arrival_rate_per_s`` (possibly a grid with another path).
    capacity_per_s : float, optional
        Capacity [msg/s] with everything up, drawn as a grey dotted line (default: the
        ``capacity_per_s`` column when constant).
    color : str, optional
        Column splitting the curves (e.g. ``"send_host.instances"`` of a grid sweep, or
        ``"handler"``).
    availability_target : float, optional
        An SLA availability objective [-], drawn as a red dashed line.
    x : str
        Column of the load [msg/s].

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"arrival_rate_per_s": [10.0, 50.0],
    ...                    "capacity_per_s": [60.0, 60.0],
    ...                    "sla_availability": [0.9999, 0.2],
    ...                    "expected_throughput_fraction": [0.99995, 0.9]})
    >>> fig = sla_vs_load(df)
    >>> fig.layout.shapes[0].x0, fig.layout.annotations[0].text
    (60.0, 'capacity 60 msg/s')
    """
    _require(df, x)
    if capacity_per_s is None and color is None:
        capacity_per_s = _constant(df, "capacity_per_s")
    return _fraction_chart(
        df,
        x,
        color,
        "SLA availability against load",
        availability_target,
        capacity_per_s=capacity_per_s,
        xaxis={"rangemode": "tozero"},
    )


def sensitivity_chart(
    sweep_df: pd.DataFrame, parameter: str, metric: str, *, color: str | None = None
) -> go.Figure:
    """One metric against one swept input (a line per value of ``color``, if given).

    Parameters
    ----------
    sweep_df : DataFrame
        A :func:`availcalc.sweep` result.
    parameter : str
        The swept column (dotted path), on x.
    metric : str
        The metric column, on y (log axis for unavailability and downtimes).
    color : str, optional
        A second swept column: one line per value.

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"send_host.mttr_h": [0.5, 1.0, 2.0],
    ...                    "downtime_min_per_year": [0.06, 0.24, 0.95]})
    >>> fig = sensitivity_chart(df, "send_host.mttr_h", "downtime_min_per_year")
    >>> fig.layout.xaxis.title.text, fig.layout.yaxis.title.text, fig.layout.yaxis.type
    ('Instance MTTR [h]', 'Downtime [min/yr]', 'log')
    """
    _require(sweep_df, parameter, metric)
    df = sweep_df.sort_values(parameter)
    hovertemplate = _hover(metric, parameter) + "<extra>%{fullData.name}</extra>"
    traces = []
    for i, (value, g) in enumerate(_groups(df, color)):
        name, col = _group_style(color, value, i)
        y = g[metric].astype(float) if g[metric].dtype == bool else g[metric]
        traces.append(
            {
                "type": "scatter",
                "x": finite_or_none(g[parameter]),
                "y": finite_or_none(y),
                "name": name or label_of(metric),
                "mode": "lines+markers" if len(g) <= 30 else "lines",
                "line": {
                    "color": col or METRIC_COLORS.get(metric, SCALED_OUT.color),
                    "width": 2.5,
                },
                "hovertemplate": hovertemplate,
            }
        )
    layout = base_layout(
        f"{label_of(metric)} against {lower_label(parameter)}",
        showlegend=color is not None,
        xaxis={"title": {"text": axis_title(parameter)}},
        yaxis={"title": {"text": axis_title(metric)}, **_y_axis(metric, df[metric])},
    )
    return go.Figure(data=traces, layout=layout)


def heatmap(
    df: pd.DataFrame,
    x: str,
    y: str,
    z: str,
    *,
    contour_at: float | None = None,
    log_z: bool | None = None,
) -> go.Figure:
    """Colour a two-way grid by a metric, with an optional contour at a threshold.

    Parameters
    ----------
    df : DataFrame
        A grid :func:`availcalc.sweep` with one row per (x, y) pair.
    x, y : str
        The swept columns (dotted paths).
    z : str
        The metric colouring the cells.
    contour_at : float, optional
        Draw the red contour z = ``contour_at`` (e.g. the latency target, or an SLA
        availability objective).
    log_z : bool, optional
        Colour by log10(z) (default: for unavailability and downtimes).

    Returns
    -------
    plotly.graph_objects.Figure
        A ``Heatmap`` trace of the finite cells; when some cells are infinite (e.g. an
        unstable latency), a second ``Heatmap`` trace ``"∞ (overloaded)"`` paints them grey
        (with a legend entry and "∞" in the hover); with ``contour_at``, a ``Contour`` trace
        with that one level (drawn on the raw values; ``inf`` counts as above every finite
        value; named in the legend). A log colour scale has ticks at clean values
        (:func:`~availcalc.figures.style.log_ticks`) written as numbers.

    Raises
    ------
    ValueError
        For a missing column or duplicate (x, y) pairs.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"send_host.instances": [1, 1, 2, 2],
    ...                    "workload.arrival_rate_per_s": [10.0, 20.0, 10.0, 20.0],
    ...                    "latency_percentile_s": [0.5, float("inf"), 0.4, 0.9]})
    >>> fig = heatmap(df, "workload.arrival_rate_per_s", "send_host.instances",
    ...               "latency_percentile_s", contour_at=0.8)
    >>> [t.name for t in fig.data]
    ['Latency percentile', '∞ (overloaded)', 'Latency percentile = 0.8 s']
    >>> fig.data[0].z, fig.data[1].z
    (([0.5, None], [0.4, 0.9]), ([None, 1.0], [None, None]))
    >>> fig.data[0].colorbar.title.text
    'Latency percentile [s]'
    """
    _require(df, x, y, z)
    if df.duplicated([x, y]).any():
        raise ValueError(f"the DataFrame has several rows for some ({x}, {y}) pairs")
    piv = df.pivot(index=y, columns=x, values=z).sort_index().sort_index(axis=1)
    raw = piv.to_numpy(dtype=float)
    xs, ys = piv.columns.tolist(), piv.index.tolist()
    if log_z is None:
        log_z = use_log(z, raw.ravel())
    shown = np.where(np.isfinite(raw), raw, np.nan)
    if log_z:
        with np.errstate(divide="ignore", invalid="ignore"):
            shown = np.where(shown > 0, np.log10(shown), np.nan)
    text = [[format_value(z, v) for v in row] for row in raw]
    colorbar: dict[str, Any] = {
        "title": {"text": axis_title(z)},
        **COLORBAR,
        **number_axis(raw[np.isfinite(raw)]),
    }
    if log_z and np.isfinite(shown).any():
        lo, hi = float(np.nanmin(shown)), float(np.nanmax(shown))
        ticks = log_ticks([10.0**lo, 10.0**hi]) or sorted({10.0**lo, 10.0**hi})
        colorbar.update(
            tickmode="array",
            tickvals=[float(np.log10(t)) for t in ticks],
            ticktext=[log_tick_text(t) for t in ticks],
        )
    where = (
        f"{label_of(x)} = %{{x}}{_unit(x)}<br>{label_of(y)} = %{{y}}{_unit(y)}<br>{label_of(z)} = "
    )
    traces: list[dict[str, Any]] = [
        {
            "type": "heatmap",
            "z": [finite_or_none(r) for r in shown],
            "x": xs,
            "y": ys,
            "text": text,
            "colorscale": "Viridis",
            "colorbar": colorbar,
            "name": label_of(z),
            "hoverongaps": False,
            "hovertemplate": f"{where}%{{text}}{_unit(z)}<extra></extra>",
        }
    ]
    infinite = np.isinf(raw)
    if infinite.any():
        traces.append(
            {
                "type": "heatmap",
                "z": [[1.0 if v else None for v in row] for row in infinite],
                "x": xs,
                "y": ys,
                "colorscale": [[0, COLORS["infinite"]], [1, COLORS["infinite"]]],
                "showscale": False,
                "showlegend": True,
                "name": "∞ (overloaded)",
                "hoverongaps": False,
                "hovertemplate": f"{where}∞ (overloaded)<extra></extra>",
            }
        )
    if contour_at is not None:
        finite = raw[np.isfinite(raw)]
        big = 10.0 * max(float(np.max(np.abs(finite))) if finite.size else 1.0, abs(contour_at))
        zc = np.where(np.isposinf(raw), big, np.where(np.isneginf(raw), -big, raw))
        traces.append(
            {
                "type": "contour",
                "z": [finite_or_none(r) for r in zc],
                "x": xs,
                "y": ys,
                "contours": {
                    "start": contour_at,
                    "end": contour_at,
                    "size": 1.0,
                    "coloring": "lines",
                    "showlabels": False,
                },
                "line": {"color": COLORS["target"], "width": 3, "smoothing": 0},
                "colorscale": [[0, COLORS["target"]], [1, COLORS["target"]]],
                "showscale": False,
                "name": f"{label_of(z)} = {contour_at:g}{_unit(z)}",
                "showlegend": True,
                "hoverinfo": "skip",
            }
        )
    layout = base_layout(
        f"{label_of(z)} over {lower_label(x)} × {lower_label(y)}",
        xaxis={"title": {"text": axis_title(x)}, **_ticks(xs)},
        yaxis={"title": {"text": axis_title(y)}, **_ticks(ys)},
    )
    return go.Figure(data=traces, layout=layout)


def _ticks(values: list[Any]) -> dict[str, Any]:
    """One tick per cell for a short axis of whole numbers (instances, nodes)."""
    try:
        v = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return {}
    if v.size and v.size <= 20 and np.all(v == np.round(v)):
        return {"tickvals": v.tolist()}
    return {}
