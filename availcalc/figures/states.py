"""The performability picture: failure states of the send tier, their probability and latency."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import plotly.graph_objects as go

from availcalc.figures.style import (
    BAR_LINE,
    COLORS,
    METRIC_COLORS,
    base_layout,
    finite_or_none,
    hline,
    log_axis,
    number_axis,
)
from availcalc.units import MINUTES_PER_YEAR

__all__ = ["failure_states_chart"]


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
        Top: state probabilities (log axis with clean decade ticks), green where the state
        meets the latency target, red where it does not (or nothing is sent), each bar
        labelled with its minutes per year. Bottom: the latency percentile in each state with
        the target line; states where nothing is sent (or the tier is overloaded) read
        "down" (or "overloaded") instead of a point, written clear of the target line. The
        states keep the model's order; their names are shown with spaces for underscores.

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

    records = df.to_dict("records")

    def details(i: int) -> str:
        r = records[i]
        parts = [f"<b>{names[i]}</b>", f"probability = {prob[i]:.4e}"]
        parts.append(f"time in state = {prob[i] * MINUTES_PER_YEAR:.6g} min/yr")
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
    shown = [n.replace("_", " ") for n in names]
    traces: list[dict[str, Any]] = []
    for flag, name, color in (
        (True, "meets the latency target", COLORS["meets"]),
        (False, "misses the target or down", COLORS["target"]),
    ):
        idx = [i for i in range(len(df)) if bool(meets[i]) == flag]
        traces.append(
            {
                "type": "bar",
                "x": [shown[i] for i in idx],
                "y": [float(prob[i]) for i in idx],
                "name": name,
                "marker": {"color": color, "line": BAR_LINE},
                "text": [_minutes(prob[i] * MINUTES_PER_YEAR) for i in idx],
                "textposition": "outside",
                "hovertext": [hover[i] for i in idx],
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        )
    traces.append(
        {
            "type": "scatter",
            "x": shown,
            "y": finite_or_none(lat),
            "xaxis": "x2",
            "yaxis": "y2",
            "name": pct_name,
            "mode": "markers",
            "marker": {"color": METRIC_COLORS["latency_percentile_s"], "size": 11},
            "hovertext": hover,
            "hovertemplate": "%{hovertext}<extra></extra>",
        }
    )
    shapes, notes = [], []
    if target_s is not None:
        line, note = hline(
            target_s, color=COLORS["target"], dash="dash", text=f"target {target_s:g} s",
            axes=("x2", "y2"),
        )  # fmt: skip
        shapes.append(line)
        notes.append(note)
    # "down"/"overloaded" where a state has no latency: half-way up the empty half of the
    # latency panel, away from the target line (the axis runs from 0 to about the top value)
    finite_lat = lat[np.isfinite(lat)]
    top = max([*finite_lat.tolist(), target_s or 0.0]) or 1.0
    y_mark = 0.25 if target_s is not None and target_s / top > 0.5 else 0.75
    notes += [
        {
            "x": shown[i],
            "y": y_mark,
            "xref": "x2",
            "yref": "y2 domain",
            "text": "down" if active[i] == 0 else "overloaded",
            "showarrow": False,
            "font": {"color": COLORS["target"]},
        }
        for i in range(len(df))
        if not math.isfinite(lat[i])
    ]
    category = {"type": "category", "categoryorder": "array", "categoryarray": shown}
    yaxis: dict[str, Any] = {
        "domain": [0.448, 1.0],
        "anchor": "x",
        "title": {"text": "Probability [-]"},
    }
    if np.all(prob > 0):
        yaxis.update(log_axis(prob))
    layout = base_layout(
        "Failure states of the send tier: how likely, how fast",
        height=560,
        barmode="overlay",
        shapes=shapes,
        annotations=notes,
        # two panels sharing the state axis (what make_subplots would build, in one go)
        xaxis={"domain": [0.0, 1.0], "anchor": "y", "matches": "x2", "showticklabels": False,
               **category},
        xaxis2={"domain": [0.0, 1.0], "anchor": "y2", "title": {"text": "Send tier state"},
                **category},
        yaxis=yaxis,
        yaxis2={"domain": [0.0, 0.368], "anchor": "x2", "title": {"text": f"{pct_name} [s]"},
                "rangemode": "tozero", **number_axis()},
    )  # fmt: skip
    return go.Figure(data=traces, layout=layout)
