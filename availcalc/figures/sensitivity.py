"""Tornado and importance bar charts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from availcalc.figures.style import (
    COLORS,
    apply_style,
    axis_title,
    block_color,
    format_value,
    label_of,
    lower_label,
    unit_of,
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
        marks the base value. An infinite end (unstable tier) is drawn to the edge of the
        axis and labelled "∞".

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
    fig = go.Figure()
    unit = unit_of(metric)
    if df.empty:
        fig.add_annotation(
            text="No input changes this metric", showarrow=False, x=0.5, y=0.5,
            xref="paper", yref="paper",
        )  # fmt: skip
        apply_style(fig, f"Sensitivity of {lower_label(metric)}")
        fig.update_xaxes(title_text=axis_title(metric))
        return fig
    base = float(df["base_metric"].iloc[0])
    ends = np.concatenate([df["metric_at_low"], df["metric_at_high"], [base]]).astype(float)
    fin = ends[np.isfinite(ends)]
    lo_f, hi_f = float(fin.min()), float(fin.max())
    pad = 0.15 * (hi_f - lo_f) if hi_f > lo_f else max(abs(hi_f), 1.0) * 0.15
    edge_hi, edge_lo = hi_f + pad, lo_f - pad

    def row_label(r: pd.Series) -> str:
        return (
            f"{r['label']} ({format_value(r['parameter'], r['low_value'])} → "
            f"{format_value(r['parameter'], r['high_value'])}{_u(str(r['unit']))})"
        )

    labels = [row_label(r) for _, r in df.iterrows()]
    for end, name in (("low", "low input"), ("high", "high input")):
        m = df[f"metric_at_{end}"].to_numpy(dtype=float)
        drawn = np.where(np.isposinf(m), edge_hi, np.where(np.isneginf(m), edge_lo, m))
        hover = [
            f"{r['label']} = {format_value(r['parameter'], r[f'{end}_value'])}{_u(str(r['unit']))}"
            f" (base {format_value(r['parameter'], r['base_value'])})<br>"
            f"{label_of(metric)} = {format_value(metric, r[f'metric_at_{end}'])}{_u(unit)}"
            f" (base {format_value(metric, base)})"
            for _, r in df.iterrows()
        ]
        fig.add_trace(
            go.Bar(
                y=labels,
                x=(drawn - base).tolist(),
                base=[base] * len(df),
                orientation="h",
                name=name,
                marker_color=COLORS[end],
                opacity=0.9,
                text=["∞" if math.isinf(v) else "" for v in m],
                textposition="inside",
                hovertext=hover,
                hovertemplate="%{hovertext}<extra>%{fullData.name}</extra>",
            )
        )
    fig.add_vline(
        x=base,
        line={"color": COLORS["base"], "width": 1.5},
        annotation_text=f"base {format_value(metric, base)}{_u(unit)}",
        annotation_position="top",
    )
    apply_style(
        fig,
        f"Sensitivity of {lower_label(metric)}",
        barmode="overlay",
        height=max(320, 110 + 34 * len(df)),
    )
    fig.update_xaxes(title_text=axis_title(metric))
    fig.update_yaxes(type="category", autorange="reversed", automargin=True)
    return fig


def importance_chart(importance_df: pd.DataFrame, *, top: int | None = None) -> go.Figure:
    """Bars of the downtime a 10 % improvement of each parameter saves (or block criticality).

    Parameters
    ----------
    importance_df : DataFrame
        :func:`availcalc.parameter_importance` / :func:`availcalc.importance` (bars of
        ``downtime_saved_min_per_year`` per parameter, coloured by block), or
        :func:`availcalc.block_importance` (bars of ``criticality`` per block).
    top : int or None
        Show only the first ``top`` rows.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace per block (the legend names the blocks; the same block has the same
        colour in :func:`topology_diagram`), the largest on top; hover gives the elasticity,
        the change and the minutes saved.

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
    fig = go.Figure()
    if "parameter" in df.columns:
        value = "downtime_saved_min_per_year"
        labels = df["label"].astype(str)
        if labels.duplicated().any():
            labels = labels + " (" + df["parameter"].astype(str) + ")"
        hover = [
            f"{r['parameter']}: {format_value('x', r['base_value'])} → "
            f"{format_value('x', r['improved_value'])}{_u(str(r['unit']))}<br>"
            f"elasticity d ln U / d ln θ = {r['elasticity']:.4f}<br>"
            f"downtime saved = {r[value]:.4g} min/yr"
            for _, r in df.iterrows()
        ]
        if "improvement" in df.columns and df["improvement"].nunique() == 1:
            pct = f"{100 * float(df['improvement'].iloc[0]):g} %"
            x_title = f"Downtime saved by a {pct} improvement [min/yr]"
        else:
            x_title = axis_title(value)
        title = "Which improvement saves the most downtime"
        texts = [f"{v:.3g} min/yr" for v in df[value].astype(float)]
    else:
        value = "criticality"
        labels = df["block"].astype(str)
        hover = [
            f"criticality = {r['criticality']:.4f} (share of the downtime)<br>"
            f"Birnbaum = {r['birnbaum']:.6f}<br>"
            f"block downtime = {r['downtime_min_per_year']:.4g} min/yr<br>"
            f"saved if it never failed = {r['downtime_saved_if_perfect_min_per_year']:.4g} "
            f"min/yr"
            for _, r in df.iterrows()
        ]
        x_title = axis_title(value)
        title = "Which block causes the downtime"
        texts = [f"{100 * v:.3g} %" for v in df[value].astype(float)]
    order = labels.tolist()
    for block in pd.unique(df["block"]):
        mask = (df["block"] == block).to_numpy()
        fig.add_trace(
            go.Bar(
                y=labels[mask].tolist(),
                x=df.loc[mask, value].astype(float).tolist(),
                orientation="h",
                name=str(block),
                marker_color=block_color(str(block)),
                text=[t for t, m in zip(texts, mask, strict=True) if m],
                textposition="outside",
                cliponaxis=False,
                hovertext=[h for h, m in zip(hover, mask, strict=True) if m],
                hovertemplate="%{hovertext}<extra>%{fullData.name}</extra>",
            )
        )
    apply_style(fig, title, height=max(320, 110 + 30 * len(df)))
    fig.update_xaxes(title_text=x_title, rangemode="tozero")
    fig.update_yaxes(
        type="category", categoryorder="array", categoryarray=order, autorange="reversed"
    )
    return fig
