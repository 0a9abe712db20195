"""The performability picture: failure states of the send tier, their probability and latency."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from availcalc.figures.style import COLORS, METRIC_COLORS, apply_style, finite_or_none, log_axis

__all__ = ["failure_states_chart"]

MIN_PER_YEAR = 525_600.0


def _minutes(m: float) -> str:
    return f"{m:,.0f} min/yr" if m >= 1000 else f"{m:.3g} min/yr"


def failure_states_chart(
    evaluation_or_states_df: Any,
    *,
    target_s: float | None = None,
    percentile: float | None = None,
) -> go.Figure:
    """Probability of each failure state of the send tier, and the latency in that state.

    Parameters
    ----------
    evaluation_or_states_df : Evaluation or DataFrame
        An :class:`~availcalc.Evaluation` (its ``states``, latency target and percentile are
        used) or a states table with columns ``state``, ``probability``,
        ``latency_percentile_s``, ``meets_target`` (and optionally ``active_instances``,
        ``instances_up``, ``capacity_per_s``, ``throughput_fraction``).
    target_s : float, optional
        Latency target [s] (default: the evaluation's).
    percentile : float, optional
        Latency percentile, to name the axis (default: the evaluation's).

    Returns
    -------
    plotly.graph_objects.Figure
        Top: state probabilities (log axis), green where the state meets the latency
        target, red where it does not (or nothing is sent), each bar labelled with its
        minutes per year. Bottom: the latency percentile in each state with the target
        line; states where nothing is sent (or the tier is overloaded) read "down" (or
        "overloaded") instead of a point.

    Raises
    ------
    ValueError
        When the states table lacks a needed column.

    Examples
    --------
    >>> import pandas as pd
    >>> states = pd.DataFrame({"state": ["2 of 2 up", "1 of 2 up", "0 of 2 up"],
    ...     "active_instances": [2, 1, 0], "probability": [0.999, 9.99e-4, 1e-6],
    ...     "latency_percentile_s": [0.45, 2.5, float("inf")],
    ...     "meets_target": [True, False, False]})
    >>> fig = failure_states_chart(states, target_s=2.0, percentile=0.95)
    >>> [t.name for t in fig.data]
    ['meets the latency target', 'misses the target or down', 'p95 latency']
    >>> fig.data[2].y, fig.layout.yaxis.type, fig.layout.yaxis2.title.text
    ((0.45, 2.5, None), 'log', 'p95 latency [s]')
    """
    if hasattr(evaluation_or_states_df, "states"):
        ev = evaluation_or_states_df
        states = ev.states
        w = ev.scenario.workload
        target_s = w.latency_target_s if target_s is None else target_s
        percentile = w.latency_percentile if percentile is None else percentile
    else:
        states = evaluation_or_states_df
    needed = ["state", "probability", "latency_percentile_s", "meets_target"]
    missing = [c for c in needed if c not in states.columns]
    if missing:
        raise ValueError(f"the states table lacks column(s) {', '.join(missing)}")
    df = states.reset_index(drop=True)
    names = df["state"].astype(str).tolist()
    prob = df["probability"].to_numpy(dtype=float)
    meets = df["meets_target"].to_numpy(dtype=bool)
    lat = df["latency_percentile_s"].to_numpy(dtype=float)
    active = (
        df["active_instances"].to_numpy()
        if "active_instances" in df.columns
        else np.ones(len(df), dtype=int)
    )
    pct_name = f"p{100 * percentile:g} latency" if percentile else "Latency percentile"

    def details(i: int) -> str:
        r = df.iloc[i]
        parts = [f"<b>{names[i]}</b>", f"probability = {prob[i]:.4e}"]
        parts.append(f"time in state = {prob[i] * MIN_PER_YEAR:.4g} min/yr")
        for col, fmt, unit in (
            ("instances_up", "{:d}", ""),
            ("active_instances", "{:d}", ""),
            ("capacity_per_s", "{:.6g}", " msg/s"),
            ("throughput_fraction", "{:.6f}", ""),
        ):
            if col in df.columns:
                v = r[col]
                parts.append(f"{col.replace('_', ' ')} = {fmt.format(v)}{unit}")
        lat_txt = f"{lat[i]:.6g} s" if math.isfinite(lat[i]) else "∞"
        parts.append(f"{pct_name} = {lat_txt}")
        return "<br>".join(parts)

    hover = [details(i) for i in range(len(df))]
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.6, 0.4], vertical_spacing=0.08
    )
    for flag, name, color in (
        (True, "meets the latency target", COLORS["meets"]),
        (False, "misses the target or down", COLORS["target"]),
    ):
        idx = [i for i in range(len(df)) if bool(meets[i]) == flag]
        fig.add_trace(
            go.Bar(
                x=[names[i] for i in idx],
                y=[float(prob[i]) for i in idx],
                name=name,
                marker_color=color,
                text=[_minutes(prob[i] * MIN_PER_YEAR) for i in idx],
                textposition="outside",
                hovertext=[hover[i] for i in idx],
                hovertemplate="%{hovertext}<extra></extra>",
            ),
            row=1,
            col=1,
        )
    fig.add_trace(
        go.Scatter(
            x=names,
            y=finite_or_none(lat),
            name=pct_name,
            mode="markers",
            marker={"color": METRIC_COLORS["latency_percentile_s"], "size": 11},
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        ),
        row=2,
        col=1,
    )
    finite_lat = lat[np.isfinite(lat)]
    y_mark = float(finite_lat.max()) if finite_lat.size else (target_s or 1.0)
    for i in range(len(df)):
        if not math.isfinite(lat[i]):
            fig.add_annotation(
                x=names[i],
                y=y_mark,
                text="down" if active[i] == 0 else "overloaded",
                showarrow=False,
                font={"color": COLORS["target"]},
                row=2,
                col=1,
            )
    if target_s is not None:
        fig.add_hline(
            y=target_s,
            line={"color": COLORS["target"], "dash": "dash", "width": 2},
            annotation_text=f"target {target_s:g} s",
            annotation_position="top left",
            annotation_font_color=COLORS["target"],
            row=2,
            col=1,
        )
    positive = prob[prob > 0]
    apply_style(fig, "Failure states of the send tier: how likely, how fast", height=560)
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(title_text="Probability [-]", row=1, col=1)
    if positive.size == len(prob):
        fig.update_yaxes(**log_axis(), row=1, col=1)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=names)
    fig.update_yaxes(title_text=f"{pct_name} [s]", rangemode="tozero", row=2, col=1)
    fig.update_xaxes(title_text="Send tier state", row=2, col=1)
    return fig
