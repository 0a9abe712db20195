"""Tornado and importance bar charts."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from availcalc.figures.style import (
    BAR_LINE,
    COLORS,
    axis_title,
    base_layout,
    block_color,
    format_value,
    label_of,
    lower_label,
    number_axis,
    unit_of,
    vline,
)

__all__ = ["importance_chart", "tornado_chart"]


def _u(unit: str) -> str:
    return f" {unit}" if unit else ""


def tornado_chart(tornado_df: pd.DataFrame, *, top: int | None = 15) -> go.Figure:
    """Horizontal bars from the base value of a metric to its value at each input's ends.

    Parameters
    ----------
    tornado_df : DataFrame
        :func:`availcalc.tornado` (sorted by swing).
    top : int or None
        Show the ``top`` largest swings (None: all). Inputs whose swing is zero, or
        numerically zero (below 1e-9 of the metric's scale), are left out.

    Returns
    -------
    plotly.graph_objects.Figure
        Two bar traces, ``low input`` and ``high input`` (the bars start at the base value),
        the largest swing on top, each row labelled with the input's range; a vertical line
        (a layout shape with its own legend entry, ``base …``, so that no label can cover the
        legend or the bars) marks the base value. An infinite end (unstable tier) is drawn to
        the edge of the axis and labelled "∞".

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"parameter": ["send_host.mttr_h"], "label": ["Instance MTTR"],
    ...     "unit": ["h"], "metric": ["downtime_min_per_year"], "base_value": [0.69],
    ...     "low_value": [0.552], "high_value": [0.828], "metric_at_low": [9.0],
    ...     "metric_at_high": [11.0], "base_metric": [10.0], "swing": [2.0]})
    >>> fig = tornado_chart(df)
    >>> [t.name for t in fig.data], fig.data[0].x, fig.data[0].base
    (['low input', 'high input'], (-1.0,), (10.0,))
    >>> fig.data[0].y, fig.layout.xaxis.title.text
    (('Instance MTTR (0.552 → 0.828 h)',), 'Downtime [min/yr]')
    >>> fig.layout.shapes[0].x0, fig.layout.shapes[0].name, fig.layout.shapes[0].showlegend
    (10.0, 'base 10 min/yr', True)
    """
    df = tornado_df.copy()
    metric = str(df["metric"].iloc[0]) if "metric" in df.columns and len(df) else "swing"
    vals = pd.concat([df["metric_at_low"], df["metric_at_high"], df["base_metric"]]).to_numpy(
        dtype=float
    )
    finite = vals[np.isfinite(vals)]
    scale = float(np.max(np.abs(finite))) if finite.size else 1.0
    df = df[df["swing"] > 1e-9 * max(scale, 1e-300)]
    if top is not None:
        df = df.head(top)
    unit = unit_of(metric)
    title = f"Sensitivity of {lower_label(metric)}"
    if df.empty:
        text = "No input changes this metric"
        if len(tornado_df) and "base_metric" in tornado_df.columns:
            value = format_value(metric, tornado_df["base_metric"].iloc[0])
            text += f": {lower_label(metric)} stays {value}{_u(unit)}"
        note = {
            "text": text, "showarrow": False, "x": 0.5, "y": 0.5, "xref": "paper",
            "yref": "paper",
        }  # fmt: skip
        layout = base_layout(
            title, annotations=[note], xaxis={"visible": False}, yaxis={"visible": False}
        )
        return go.Figure(layout=layout)
    base = float(df["base_metric"].iloc[0])
    ends = np.concatenate([df["metric_at_low"], df["metric_at_high"], [base]]).astype(float)
    fin = ends[np.isfinite(ends)]
    lo_f, hi_f = float(fin.min()), float(fin.max())
    pad = 0.15 * (hi_f - lo_f) if hi_f > lo_f else max(abs(hi_f), 1.0) * 0.15
    edge_hi, edge_lo = hi_f + pad, lo_f - pad

    def row_label(r: dict[str, Any]) -> str:
        return (
            f"{r['label']} ({format_value(r['parameter'], r['low_value'])} → "
            f"{format_value(r['parameter'], r['high_value'])}{_u(str(r['unit']))})"
        )

    rows = df.to_dict("records")
    labels = [row_label(r) for r in rows]
    traces = []
    for end, name in (("low", "low input"), ("high", "high input")):
        m = df[f"metric_at_{end}"].to_numpy(dtype=float)
        drawn = np.where(np.isposinf(m), edge_hi, np.where(np.isneginf(m), edge_lo, m))
        hover = [
            f"{r['label']} = {format_value(r['parameter'], r[f'{end}_value'])}{_u(str(r['unit']))}"
            f" (base {format_value(r['parameter'], r['base_value'])})<br>"
            f"{label_of(metric)} = {format_value(metric, r[f'metric_at_{end}'])}{_u(unit)}"
            f" (base {format_value(metric, base)})"
            for r in rows
        ]
        traces.append(
            {
                "type": "bar",
                "y": labels,
                "x": (drawn - base).tolist(),
                "base": [base] * len(df),
                "orientation": "h",
                "name": name,
                "marker": {"color": COLORS[end], "line": BAR_LINE},
                "opacity": 0.9,
                "text": ["∞" if math.isinf(v) else "" for v in m],
                "textposition": "inside",
                "hovertext": hover,
                "hovertemplate": "%{hovertext}<extra>%{fullData.name}</extra>",
            }
        )
    # the base line is a shape with a legend entry: a label above the plot would sit on the
    # legend (plotly cannot measure it), and one inside on the largest bar
    base_line, _ = vline(base, color=COLORS["base"], width=1.5)
    base_line.update(showlegend=True, name=f"base {format_value(metric, base)}{_u(unit)}")
    layout = base_layout(
        title,
        barmode="overlay",
        height=max(320, 110 + 34 * len(df)),
        shapes=[base_line],
        xaxis={"title": {"text": axis_title(metric)}, **number_axis(fin)},
        yaxis={"type": "category", "autorange": "reversed", "automargin": True},
    )
    return go.Figure(data=traces, layout=layout)


def _minus(text: str) -> str:
    """Write a leading minus sign as a typographic minus (−), as in every label."""
    return "−" + text[1:] if text.startswith("-") else text


def _why_negative(row: dict[str, Any], value: float) -> str:
    """Hover lines explaining a negative saving: the "improvement" adds downtime."""
    lines = [f"<b>negative</b>: this improvement adds {-value:.6g} min/yr of downtime"]
    if "nlb" in str(row.get("block", "")).lower() and str(row["parameter"]).endswith("mttr_h"):
        lines.append(
            "in an NLB pool every node failure costs requests while NLB converges: nodes repaired "
            "faster are up more,<br>so they fail (and the pool converges) more often"
        )
    elif "nlb" in str(row.get("block", "")).lower() and str(row["parameter"]).endswith("nodes"):
        lines.append(
            "in an NLB pool every node failure costs requests while NLB converges: one node more "
            "fails (and the pool converges)<br>more often, which outweighs the spare capacity"
        )
    else:
        lines.append("a side effect of this input outweighs its direct benefit")
    return "<br>".join(lines)


def _in_sentence(label: str) -> str:
    """``"Downtime"`` → ``"downtime"``; an acronym (``"SLA downtime"``) stays as it is."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def importance_chart(importance_df: pd.DataFrame, *, top: int | None = None) -> go.Figure:
    """Bars of the downtime a 10 % improvement of each parameter saves (or block criticality).

    Parameters
    ----------
    importance_df : DataFrame
        :func:`availcalc.parameter_importance` / :func:`availcalc.importance` (bars of
        ``downtime_saved_min_per_year`` per parameter, coloured by block; the ``loss``
        column, e.g. ``"SLA downtime"``, names the axis; rows whose ``lever`` is False, the
        demand, are labelled "(demand)"), or :func:`availcalc.block_importance` (bars of
        ``criticality`` per block).
    top : int or None
        Show only the first ``top`` rows.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace per block (the legend names the blocks; the same block has the same
        colour in :func:`topology_diagram`), the largest on top; hover gives the elasticity,
        the change and the minutes saved exactly. A negative saving (the "improvement" adds
        downtime, e.g. a faster node repair in an NLB pool) is a hatched bar whose label
        (``−3.5e-05 min/yr: adds downtime``) is written right of the zero line, clear of
        the row's name, and whose hover explains why. The x axis leaves room for the labels.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"parameter": ["send_host.mttr_h", "send_host.mttf_h"],
    ...     "label": ["Instance MTTR", "Instance MTTF"], "unit": ["h", "h"],
    ...     "block": ["send host instances"] * 2, "base_value": [4.0, 1000.0],
    ...     "improvement": [0.1, 0.1], "elasticity": [0.996, -0.996],
    ...     "improved_value": [3.6, 1100.0], "downtime_saved_min_per_year": [209.0, 190.0]})
    >>> fig = importance_chart(df)
    >>> fig.data[0].name, fig.data[0].y, fig.data[0].x
    ('send host instances', ('Instance MTTR', 'Instance MTTF'), (209.0, 190.0))
    >>> fig.layout.xaxis.title.text
    'Downtime saved by a 10 % improvement [min/yr]'
    """
    df = importance_df if top is None else importance_df.head(top)
    if "parameter" in df.columns:
        value = "downtime_saved_min_per_year"
        loss = str(df["loss"].iloc[0]) if "loss" in df.columns and len(df) else "Downtime"
        labels = df["label"].astype(str)
        if labels.duplicated().any():
            labels = labels + " (" + df["parameter"].astype(str) + ")"
        if "lever" in df.columns:  # the demand: "improving" it means less or smoother traffic
            labels = labels.where(df["lever"].astype(bool), labels + " (demand)")
        hover = []
        for r in df.to_dict("records"):
            v = float(r[value])
            h = (
                f"{r['parameter']}: {format_value('x', r['base_value'])} → "
                f"{format_value('x', r['improved_value'])}{_u(str(r['unit']))}<br>"
                f"elasticity d ln L / d ln θ = {r['elasticity']:.6g}<br>"
                f"{_in_sentence(loss)} saved = {_minus(f'{v:.6g}')} min/yr"
            )
            hover.append(h + ("<br>" + _why_negative(r, v) if v < 0 else ""))
        if "improvement" in df.columns and df["improvement"].nunique() == 1:
            pct = f"{100 * float(df['improvement'].iloc[0]):g} %"
            x_title = f"{loss} saved by a {pct} improvement [min/yr]"
        else:
            x_title = f"{loss} saved [min/yr]"
        title = f"Which improvement saves the most {_in_sentence(loss)}"
        texts = [
            _minus(f"{v:.2g} min/yr: adds downtime") if v < 0 else f"{v:.3g} min/yr"
            for v in df[value].astype(float)
        ]
    else:
        value = "criticality"
        labels = df["block"].astype(str)
        hover = [
            f"criticality = {r['criticality']:.6g} (share of the downtime)<br>"
            f"Birnbaum = {r['birnbaum']:.6g}<br>"
            f"block downtime = {r['downtime_min_per_year']:.6g} min/yr<br>"
            f"saved if it never failed = {r['downtime_saved_if_perfect_min_per_year']:.6g} "
            f"min/yr"
            for r in df.to_dict("records")
        ]
        x_title = axis_title(value)
        title = "Which block causes the downtime"
        texts = [_minus(f"{100 * v:.3g} %") for v in df[value].astype(float)]
    vals = df[value].to_numpy(dtype=float)
    negative = vals < 0
    order = labels.tolist()
    traces = []
    for block in pd.unique(df["block"]):
        mask = (df["block"] == block).to_numpy()
        neg = negative[mask]
        traces.append(
            {
                "type": "bar",
                "y": labels[mask].tolist(),
                "x": vals[mask].tolist(),
                "orientation": "h",
                "name": str(block),
                "marker": {
                    "color": block_color(str(block)),
                    "line": BAR_LINE,
                    "pattern": {
                        "shape": ["/" if n else "" for n in neg],
                        "fillmode": "overlay",
                        "solidity": 0.3,
                    },
                },
                "text": [t for t, m in zip(texts, mask, strict=True) if m],
                # a negative bar's label goes right of the zero line (an annotation), where
                # it cannot run into the row's name as a label outside the bar's end would
                "textposition": ["none" if n else "outside" for n in neg],
                "cliponaxis": False,
                "hovertext": [h for h, m in zip(hover, mask, strict=True) if m],
                "hovertemplate": "%{hovertext}<extra>%{fullData.name}</extra>",
            }
        )
    notes = [
        {
            "x": 0,
            "y": label,
            "xref": "x",
            "yref": "y",
            "text": text,
            "showarrow": False,
            "xanchor": "left",
            "xshift": 4,
            "font": {"color": COLORS["target"]},
        }
        for label, text, n in zip(order, texts, negative, strict=True)
        if n
    ]
    finite = vals[np.isfinite(vals)]
    hi = max(float(finite.max()), 0.0) if finite.size else 0.0
    lo = min(float(finite.min()), 0.0) if finite.size else 0.0
    span = (hi - lo) or 1.0
    # room right of the longest bar for its label, and right of zero for a negative's label
    x_range = [lo - 0.02 * span if lo < 0 else 0.0, hi + 0.3 * span]
    layout = base_layout(
        title,
        height=max(320, 110 + 30 * len(df)),
        annotations=notes,
        # blocks listed right of the bars: five of them across the top ran into the title
        legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top"},
        margin={"t": 70},
        xaxis={
            "title": {"text": x_title},
            "range": x_range,
            "zeroline": True,
            "zerolinecolor": COLORS["neutral"],
            "zerolinewidth": 1,
        },
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": order,
            "autorange": "reversed",
            "automargin": True,
        },
    )
    return go.Figure(data=traces, layout=layout)
