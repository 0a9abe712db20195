"""Figure factories: the data inside each figure (traces, arrays, titles, annotations)."""

import json
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

import availcalc as ac
from availcalc import figures as F
from availcalc.figures import style
from availcalc.figures.style import (
    COLORS,
    HANDLER_COLORS,
    METRIC_COLORS,
    axis_title,
    block_color,
    format_value,
    log_tick_text,
    log_ticks,
)
from availcalc.model.evaluate import METRICS

INF = math.inf


def _none_for_inf(values):
    return tuple(None if not math.isfinite(v) else v for v in values)


def _shape_lines(fig):
    return [(s.x0, s.x1, s.y0, s.y1, s.line.color, s.line.dash) for s in fig.layout.shapes]


# ------------------------------------------------------------------------------ latency vs load


def test_latency_vs_load_traces_are_the_sweep(data):
    df = data.load
    fig = F.latency_vs_load(df, target_s=2.0, capacity_per_s=data.ev_http.capacity_per_s)
    assert [t.name for t in fig.data] == ["Mean latency", "Latency percentile"]
    x = df["arrival_rate_per_s"].tolist()
    assert list(fig.data[0].x) == x and list(fig.data[1].x) == x
    assert fig.data[0].y == _none_for_inf(df["mean_latency_s"])
    assert fig.data[1].y == _none_for_inf(df["latency_percentile_s"])
    assert fig.data[1].y[-1] is None  # 1.1 × capacity: unstable, a gap
    assert fig.layout.xaxis.title.text == "Arrival rate λ [msg/s]"
    assert fig.layout.yaxis.title.text == "Latency [s]"
    # target: red dashed horizontal line at 2 s; capacity: grey dotted vertical asymptote
    lines = _shape_lines(fig)
    assert (0, 1, 2.0, 2.0, COLORS["target"], "dash") in lines
    cap = data.ev_http.capacity_per_s
    assert (cap, cap, 0, 1, COLORS["capacity"], "dot") in lines
    texts = [a.text for a in fig.layout.annotations]
    assert "target 2 s" in texts and f"capacity {cap:.4g} msg/s" in texts
    assert fig.data[1].line.color == METRIC_COLORS["latency_percentile_s"]


def test_latency_vs_load_defaults_from_constant_columns_and_clips_the_axis():
    df = pd.DataFrame(
        {
            "arrival_rate_per_s": [30.0, 10.0, 20.0],  # unsorted on purpose
            "mean_latency_s": [9.0, 0.2, 0.5],
            "latency_percentile_s": [30.0, 0.6, 1.5],
            "latency_target_s": [1.0] * 3,
            "capacity_per_s": [31.0] * 3,
        }
    )
    fig = F.latency_vs_load(df, percentile=0.99)
    assert fig.data[1].name == "p99 latency"
    assert list(fig.data[1].x) == [10.0, 20.0, 30.0]
    assert fig.data[1].y == (0.6, 1.5, 30.0)
    assert {(s.y0, s.x0) for s in fig.layout.shapes} == {(1.0, 0), (0, 31.0)}
    # 30 s would flatten the curve: the axis stops at 3 × target
    assert tuple(fig.layout.yaxis.range) == (0, 3.0)
    with pytest.raises(ValueError, match="mean_latency_s"):
        F.latency_vs_load(df.drop(columns="mean_latency_s"))


# ------------------------------------------------------------------- availability vs instances


def test_availability_vs_instances_one_trace_per_handler(data):
    hc = data.handlers
    fig = F.availability_vs_instances(hc)
    so, cl = fig.data
    assert so.name == "scaled out" and cl.name.startswith("clustered")
    assert so.line.color == HANDLER_COLORS["scaled_out"]
    assert cl.line.color == HANDLER_COLORS["clustered"] and cl.line.dash == "dash"
    s_rows = hc[hc["handler"] == "scaled_out"]
    c_rows = hc[hc["handler"] == "clustered"]
    assert list(so.x) == [1, 2, 3] and list(cl.x) == [1, 2, 3]
    assert so.y == tuple(s_rows["downtime_min_per_year"])
    assert len(set(cl.y)) == 1 and cl.y[0] == c_rows["downtime_min_per_year"].iloc[0]
    # exact availability in the hover data
    assert np.allclose(np.asarray(so.customdata)[:, 0], s_rows["availability"], rtol=0, atol=0)
    assert "%{customdata[0]:.8f}" in so.hovertemplate
    assert fig.layout.yaxis.type == "log"
    assert fig.layout.yaxis.title.text == "Downtime [min/yr]"
    assert fig.layout.xaxis.title.text == "Host instances [-]"


def test_availability_vs_instances_from_a_plain_sweep():
    df = pd.DataFrame({"send_host.instances": [1, 2], "availability": [0.999, 0.999999]})
    fig = F.availability_vs_instances(df, metric="availability")
    assert len(fig.data) == 1 and fig.data[0].y == (0.999, 0.999999)
    assert fig.layout.yaxis.type in (None, "linear")
    assert fig.layout.yaxis.title.text == "Availability [-]"
    with pytest.raises(ValueError, match="instances"):
        F.availability_vs_instances(pd.DataFrame({"availability": [1.0]}))


# ------------------------------------------------------------------------------ SLA charts


def test_sla_vs_instances_colours_by_handler_and_dashes_by_metric(data):
    fig = F.sla_vs_instances(data.handlers, availability_target=0.9999)
    # one legend group per handler, titled with it, each with the two metrics
    names = [(t.legendgroup, t.name) for t in fig.data]
    assert names == [
        ("scaled out", "SLA availability"),
        ("scaled out", "Expected throughput fraction"),
        ("clustered", "SLA availability"),
        ("clustered", "Expected throughput fraction"),
    ]
    titles = [t.legendgrouptitle.text for t in fig.data]
    assert titles == ["scaled out", None, "clustered", None]
    # the hover still names both
    assert fig.data[3].hovertemplate.endswith(
        "<extra>clustered: Expected throughput fraction</extra>"
    )
    assert [t.line.color for t in fig.data] == [HANDLER_COLORS["scaled_out"]] * 2 + [
        HANDLER_COLORS["clustered"]
    ] * 2
    assert [t.line.dash for t in fig.data] == ["solid", "dot"] * 2
    so = data.handlers[data.handlers["handler"] == "scaled_out"]
    assert fig.data[0].y == tuple(so["sla_availability"])
    assert fig.data[1].y == tuple(so["expected_throughput_fraction"])
    assert any(s.y0 == 0.9999 and s.line.color == COLORS["target"] for s in fig.layout.shapes)
    assert "%{y:.8f}" in fig.data[0].hovertemplate
    assert fig.layout.margin.t == 170  # room for the three legend rows under the title


def test_sla_vs_load_splits_by_a_column(data):
    g = data.grid
    fig = F.sla_vs_load(g, color="send_host.instances")
    assert len(fig.data) == 6
    assert (fig.data[0].legendgroup, fig.data[0].name) == ("Host instances = 1", "SLA availability")
    assert fig.data[0].legendgrouptitle.text == "Host instances = 1"
    two = g[g["send_host.instances"] == 2].sort_values("arrival_rate_per_s")
    assert fig.data[2].y == tuple(two["sla_availability"])
    assert list(fig.data[2].x) == two["arrival_rate_per_s"].tolist()
    assert fig.data[0].line.color == fig.data[1].line.color != fig.data[2].line.color
    # capacity differs by instance count: no single asymptote is drawn
    assert not fig.layout.shapes
    one = F.sla_vs_load(data.load)
    assert one.layout.shapes[0].x0 == data.ev_http.capacity_per_s


# ----------------------------------------------------------------------------- sensitivity


def test_sensitivity_chart(data):
    fig = F.sensitivity_chart(data.mttr, "send_host.mttr_h", "downtime_min_per_year")
    assert list(fig.data[0].x) == [0.2, 0.69, 2.0, 6.0]
    assert fig.data[0].y == tuple(data.mttr["downtime_min_per_year"])
    assert fig.layout.xaxis.title.text == "Instance MTTR [h]"
    assert fig.layout.yaxis.title.text == "Downtime [min/yr]"
    assert fig.layout.yaxis.type == "log"
    assert fig.layout.title.text == "Downtime against instance MTTR"
    # a boolean metric is drawn as 0/1; a second column gives one line per value
    b = F.sensitivity_chart(
        data.grid, "workload.arrival_rate_per_s", "stable", color="send_host.instances"
    )
    assert len(b.data) == 3
    assert set(b.data[0].y) <= {0.0, 1.0}


# --------------------------------------------------------------------------------- heatmap


def test_heatmap_matrix_orientation_inf_and_contour(data):
    g = data.grid
    x, y, z = "workload.arrival_rate_per_s", "send_host.instances", "latency_percentile_s"
    fig = F.heatmap(g, x, y, z, contour_at=5.0)
    hm, over, ct = fig.data
    assert hm.type == over.type == "heatmap" and ct.type == "contour"
    assert list(hm.x) == [4.0, 8.0, 12.0, 30.0] and list(hm.y) == [1, 2, 3]
    for i, n in enumerate([1, 2, 3]):
        for j, lam in enumerate([4.0, 8.0, 12.0, 30.0]):
            v = g[(g[x] == lam) & (g[y] == n)][z].item()
            assert hm.z[i][j] == (v if math.isfinite(v) else None)
            assert hm.text[i][j] == format_value(z, v)
    assert any(v is None for row in hm.z for v in row)  # 30 msg/s on 1 instance: unstable
    # the infinite cells are painted grey by a second trace with a legend entry, not left
    # blank and explained by a note under the plot (where it ran into the x tick labels)
    raw = g.pivot(index=y, columns=x, values=z).to_numpy()
    assert [[v is not None for v in row] for row in over.z] == np.isinf(raw).tolist()
    assert {v for row in over.z for v in row} == {None, 1.0}
    assert over.name == "∞ (overloaded)" and over.showlegend and not over.showscale
    assert {c for _, c in over.colorscale} == {COLORS["infinite"]}
    assert "∞ (overloaded)" in over.hovertemplate
    assert not fig.layout.annotations
    assert ct.name == "Latency percentile = 5 s" and ct.showlegend
    # the contour is drawn on raw values with inf above every finite value
    assert ct.contours.start == ct.contours.end == 5.0
    assert ct.line.color == COLORS["target"]
    flat_raw = g.pivot(index=y, columns=x, values=z).to_numpy().ravel()
    flat_ct = np.asarray(ct.z, dtype=float).ravel()
    finite = np.isfinite(flat_raw)
    assert np.array_equal(flat_ct[finite], flat_raw[finite])
    assert np.all(flat_ct[~finite] > np.max(flat_raw[finite]))
    assert hm.colorbar.title.text == "Latency percentile [s]"
    assert fig.layout.xaxis.title.text == "Arrival rate λ [msg/s]"
    assert list(fig.layout.yaxis.tickvals) == [1, 2, 3]


def test_heatmap_log_colour_and_errors():
    df = pd.DataFrame(
        {
            "a.x": [1.0, 2.0, 1.0, 2.0],
            "send_host.mttr_h": [0.5, 0.5, 5.0, 5.0],
            "downtime_min_per_year": [0.01, 0.1, 10.0, 100.0],
        }
    )
    fig = F.heatmap(df, "a.x", "send_host.mttr_h", "downtime_min_per_year")
    assert np.allclose(np.asarray(fig.data[0].z, dtype=float), [[-2, -1], [1, 2]])
    assert list(fig.data[0].colorbar.tickvals) == [-2, -1, 0, 1, 2]
    assert list(fig.data[0].colorbar.ticktext) == ["0.01", "0.1", "1", "10", "100"]
    assert fig.data[0].text[1][1] == "100"
    assert len(fig.data) == 1  # nothing infinite, no contour asked for
    # within a decade the colour bar still has labelled ticks inside its range (it had none)
    narrow = F.heatmap(df.assign(downtime_min_per_year=[1.6, 2.5, 4.0, 9.06]), "a.x",
                       "send_host.mttr_h", "downtime_min_per_year")  # fmt: skip
    bar = narrow.data[0].colorbar
    assert list(bar.ticktext) == ["2", "3", "5"]
    assert np.allclose(bar.tickvals, np.log10([2, 3, 5]))
    with pytest.raises(ValueError, match="several rows"):
        F.heatmap(pd.concat([df, df]), "a.x", "send_host.mttr_h", "downtime_min_per_year")


# ---------------------------------------------------------------------------------- tornado


def test_tornado_chart_bars_span_base_to_each_end(data):
    t = data.tornado
    fig = F.tornado_chart(t)
    low, high = fig.data
    assert (low.name, high.name) == ("low input", "high input")
    shown = t[t["swing"] > 0]  # rows with no swing are left out of the chart
    assert len(low.y) == len(shown) <= len(t)
    assert low.y[0].startswith("Endpoint availability (0.9988 → 0.9992")
    base = t["base_metric"].iloc[0]
    assert np.allclose(np.add(low.x, low.base), shown["metric_at_low"], rtol=1e-12)
    assert np.allclose(np.add(high.x, high.base), shown["metric_at_high"], rtol=1e-12)
    assert set(low.base) == {base}
    assert (low.marker.color, high.marker.color) == (COLORS["low"], COLORS["high"])
    assert fig.layout.xaxis.title.text == "SLA downtime [min/yr]"
    assert fig.layout.yaxis.autorange == "reversed"  # largest swing on top
    # the base line is a shape named in the legend: no label above the plot, where the
    # legend is (the "base …" annotation used to overlap it)
    (line,) = fig.layout.shapes
    assert (line.x0, line.x1, line.yref, line.line.color) == (
        base,
        base,
        "y domain",
        COLORS["base"],
    )
    assert line.name == f"base {format_value('x', base)} min/yr" and line.showlegend
    assert not fig.layout.annotations
    assert fig.layout.title.text == "Sensitivity of SLA downtime"
    assert len(F.tornado_chart(t, top=1).data[0].y) == 1


def test_tornado_chart_draws_infinite_ends_to_the_edge():
    df = pd.DataFrame(
        {
            "parameter": ["workload.arrival_rate_per_s", "send_host.concurrency"],
            "label": ["Arrival rate λ", "Concurrent sends per instance"],
            "unit": ["msg/s", ""],
            "metric": ["latency_percentile_s"] * 2,
            "base_value": [350.0, 20.0],
            "low_value": [280.0, 16.0],
            "high_value": [420.0, 24.0],
            "metric_at_low": [0.2, INF],
            "metric_at_high": [INF, 0.25],
            "base_metric": [0.3, 0.3],
            "swing": [INF, INF],
        }
    )
    fig = F.tornado_chart(df)
    low, high = fig.data
    edge_hi = high.base[0] + high.x[0]
    assert math.isfinite(edge_hi) and edge_hi > 0.3
    assert low.base[1] + low.x[1] == pytest.approx(edge_hi)
    assert high.text == ("∞", "") and low.text == ("", "∞")
    empty = F.tornado_chart(df.assign(swing=0.0))
    assert not empty.data
    assert empty.layout.annotations[0].text == (
        "No input changes this metric: latency percentile stays 0.3 s"
    )
    assert empty.layout.xaxis.visible is False and empty.layout.yaxis.visible is False


# ------------------------------------------------------------------------------- importance


def test_importance_chart_parameters_by_block(data):
    imp = data.importance
    fig = F.importance_chart(imp)
    assert [t.name for t in fig.data] == list(pd.unique(imp["block"]))
    for t in fig.data:
        rows = imp[imp["block"] == t.name]
        assert t.x == tuple(rows["downtime_saved_min_per_year"])
        assert t.y == tuple(rows["label"])
        assert t.marker.color == block_color(t.name)
    assert fig.layout.xaxis.title.text == "Downtime saved by a 10 % improvement [min/yr]"
    assert list(fig.layout.yaxis.categoryarray) == imp["label"].tolist()
    assert "elasticity" in fig.data[0].hovertext[0]
    assert len(F.importance_chart(imp, top=3).layout.yaxis.categoryarray) == 3


def test_importance_chart_negative_saving_is_readable(data):
    # the NLB pool's node MTTR, when a convergence stops the whole pool: a 10 % faster repair
    # adds a tiny downtime (more convergence outages); its label went outside the bar's end,
    # i.e. left of zero, onto the row's name
    imp = data.importance_nlb_whole_pool
    neg = imp[imp["downtime_saved_min_per_year"] < 0]
    assert neg["parameter"].tolist() == ["destination.mttr_h"]
    row = neg.iloc[0]
    v = row["downtime_saved_min_per_year"]
    fig = F.importance_chart(imp)
    (trace,) = [t for t in fig.data if row["label"] in t.y]
    i = list(trace.y).index(row["label"])
    assert trace.x[i] == v < 0
    assert trace.textposition[i] == "none"  # no text at the bar's (left) end ...
    assert trace.marker.pattern.shape[i] == "/"  # hatched: a negative bar
    (note,) = fig.layout.annotations  # ... but right of the zero line, in the bar's row
    assert (note.x, note.xref, note.xanchor, note.y) == (0, "x", "left", row["label"])
    assert note.xshift > 0 and note.font.color == COLORS["target"]
    assert note.text == f"−{abs(v):.2g} min/yr: adds downtime" == trace.text[i]
    hover = trace.hovertext[i]
    assert "adds" in hover and "while NLB converges" in hover and f"{abs(v):.6g}" in hover
    # every positive bar keeps its label outside its end, and the axis leaves it room
    others = [(t, j) for t in fig.data for j in range(len(t.x)) if t.x[j] > 0]
    assert others and all(t.textposition[j] == "outside" for t, j in others)
    assert all(t.marker.pattern.shape[j] == "" for t, j in others)
    lo, hi = fig.layout.xaxis.range
    top = imp["downtime_saved_min_per_year"].max()
    assert lo <= v and hi >= 1.25 * top
    assert fig.layout.xaxis.zeroline and fig.layout.xaxis.zerolinecolor == COLORS["neutral"]
    # a negative elsewhere gets the generic explanation
    other = imp.assign(
        downtime_saved_min_per_year=imp["downtime_saved_min_per_year"].abs(), block="x"
    )
    other.loc[0, "downtime_saved_min_per_year"] = -0.05
    g = F.importance_chart(other)
    assert "side effect" in g.data[0].hovertext[0] and g.layout.xaxis.range[0] < -0.05
    assert not F.importance_chart(data.importance).layout.annotations  # none negative


def test_importance_chart_blocks(data):
    b = data.blocks
    fig = F.importance_chart(b)
    assert [t.name for t in fig.data] == b["block"].tolist()
    assert [t.x[0] for t in fig.data] == b["criticality"].tolist()
    assert fig.layout.xaxis.title.text == "Criticality [-]"
    assert fig.data[0].text[0].endswith(" %")


# ------------------------------------------------------------------------------ failure states


def test_failure_states_chart_from_an_evaluation(data):
    ev = data.ev_msmq
    st = ev.states
    fig = F.failure_states_chart(ev)
    meets, misses, lat = fig.data
    assert meets.marker.color == COLORS["meets"] and misses.marker.color == COLORS["target"]
    shown = st["state"].str.replace("_", " ")  # "awaiting_manual_failover" → spaces
    assert list(meets.x) == shown[st["meets_target"]].tolist()
    assert list(misses.x) == shown[~st["meets_target"]].tolist()
    assert meets.y == tuple(st.loc[st["meets_target"], "probability"])
    assert lat.name == "p95 latency" and (lat.xaxis, lat.yaxis) == ("x2", "y2")
    assert lat.y == _none_for_inf(st["latency_percentile_s"])
    assert list(fig.layout.xaxis.categoryarray) == shown.tolist()  # model order kept
    assert list(fig.layout.xaxis2.categoryarray) == shown.tolist()
    assert fig.layout.xaxis.matches == "x2" and fig.layout.xaxis.showticklabels is False
    assert fig.layout.yaxis.type == "log"
    assert fig.layout.yaxis.domain[0] > fig.layout.yaxis2.domain[1]  # probability on top
    assert fig.layout.yaxis2.title.text == "p95 latency [s]"
    target = ev.scenario.workload.latency_target_s
    assert any(s.y0 == target and s.line.color == COLORS["target"] for s in fig.layout.shapes)
    n_down = int((st["active_instances"] == 0).sum())
    assert [a.text for a in fig.layout.annotations].count("down") == n_down > 0
    assert meets.text[0] == f"{st['probability'].iloc[0] * 525_600:,.0f} min/yr"


def test_failure_states_chart_from_a_table():
    st = pd.DataFrame(
        {
            "state": ["2 of 2 up", "1 of 2 up"],
            "active_instances": [2, 1],
            "probability": [0.99, 0.01],
            "latency_percentile_s": [0.5, INF],
            "meets_target": [True, False],
        }
    )
    fig = F.failure_states_chart(st, target_s=1.0)
    assert "overloaded" in [a.text for a in fig.layout.annotations]
    # "down"/"overloaded" sit in the latency panel, clear of the target line: the target is
    # the top of the axis here (0.5 s, 1 s), so they go to the bottom quarter
    for marks in (
        fig,
        F.failure_states_chart(st.assign(latency_percentile_s=[INF, INF]), target_s=2.0),
    ):
        notes = [a for a in marks.layout.annotations if a.text in ("down", "overloaded")]
        assert notes and all((a.yref, a.y, a.xref) == ("y2 domain", 0.25, "x2") for a in notes)
    low_target = F.failure_states_chart(st.assign(latency_percentile_s=[8.0, INF]), target_s=1.0)
    (note,) = [a for a in low_target.layout.annotations if a.text == "overloaded"]
    assert note.y == 0.75  # the target line is at 1/8 of the axis: the label goes high
    assert fig.data[2].name == "Latency percentile"
    with pytest.raises(ValueError, match="probability"):
        F.failure_states_chart(st.drop(columns="probability"))


# ---------------------------------------------------------------------------------- topology


@pytest.mark.parametrize("which", ["ev_msmq", "ev_http", "ev_nlb"])
def test_topology_diagram_annotates_every_block(data, which):
    ev = getattr(data, which)
    fig = F.topology_diagram(ev)
    texts = [a.text for a in fig.layout.annotations]
    joined = "\n".join(texts)
    for r in ev.downtime_breakdown.itertuples():
        assert f"{r.downtime_min_per_year:.3g} min/yr down" in joined, r.component
    # every MessageBox/destination block is a box named by its component
    names = {s.name for s in fig.layout.shapes}
    bd = ev.downtime_breakdown["component"].tolist()
    assert {c for c in bd if not c.startswith("send host")} <= names
    # the bottleneck is outlined in red and labelled with the capacity
    outline = [s for s in fig.layout.shapes if s.name == "bottleneck"]
    assert len(outline) == 1 and outline[0].line.color == COLORS["target"]
    assert any(t.startswith("bottleneck: ") for t in texts)
    assert f"{ev.downtime_min_per_year:.3g} min/yr" in fig.layout.title.text
    assert not fig.layout.showlegend
    # hover carries exact availabilities
    hover = "\n".join(fig.data[0].hovertext)
    for r in ev.downtime_breakdown.itertuples():
        assert f"availability = {r.availability:.8f}" in hover


def test_topology_diagram_variants(data):
    cl = F.topology_diagram(data.ev_msmq)
    texts = [a.text for a in cl.layout.annotations]
    assert "node 1 (active)" in texts and "node 2 (passive)" in texts
    assert "Destination<br>(not modelled)" in texts
    assert any(s.line.color == HANDLER_COLORS["clustered"] for s in cl.layout.shapes)
    nlb = F.topology_diagram(data.ev_nlb)
    texts = [a.text for a in nlb.layout.annotations]
    assert "MessageBox<br>(not modelled)" in texts
    assert any("NLB pool: 3 nodes,<br>1 needed<br>3 × 30 msg/s" in t for t in texts)
    big = F.topology_diagram(ac_evaluate_instances(data.http, 9))
    texts = [a.text for a in big.layout.annotations]
    assert "⋮ 9 instances in all" in texts and "instance 4" not in texts


def ac_evaluate_instances(s, n):
    from availcalc import evaluate

    return evaluate(s.replace(**{"send_host.instances": n}))


# ------------------------------------------------------------------------ style, rendering


def _all_figures(data):
    return {
        "latency_vs_load": F.latency_vs_load(data.load, target_s=2.0),
        "availability_vs_instances": F.availability_vs_instances(data.handlers),
        "sla_vs_instances": F.sla_vs_instances(data.handlers),
        "sla_vs_load": F.sla_vs_load(data.load),
        "sensitivity_chart": F.sensitivity_chart(
            data.mttr, "send_host.mttr_h", "downtime_min_per_year"
        ),
        "heatmap": F.heatmap(
            data.grid,
            "workload.arrival_rate_per_s",
            "send_host.instances",
            "latency_percentile_s",
            contour_at=5.0,
        ),
        "tornado_chart": F.tornado_chart(data.tornado),
        "importance_chart": F.importance_chart(data.importance),
        "failure_states_chart": F.failure_states_chart(data.ev_nlb),
        "topology_diagram": F.topology_diagram(data.ev_http),
    }


def test_every_planned_factory_is_exported():
    assert sorted(F.__all__) == sorted(
        [
            "latency_vs_load",
            "availability_vs_instances",
            "sla_vs_instances",
            "sla_vs_load",
            "tornado_chart",
            "importance_chart",
            "heatmap",
            "failure_states_chart",
            "topology_diagram",
            "sensitivity_chart",
        ]
    )


@pytest.fixture(scope="module")
def all_figures(data):
    return _all_figures(data)


def test_every_axis_title_has_a_unit(all_figures):
    for name, fig in all_figures.items():
        layout = fig.layout.to_plotly_json()
        for key, axis in layout.items():
            if not (key.startswith("xaxis") or key.startswith("yaxis")):
                continue
            if axis.get("visible") is False or axis.get("type") == "category":
                continue  # the diagram, and bars labelled by parameter, block or state
            title = (axis.get("title") or {}).get("text")
            assert title and title.endswith("]") and "[" in title, (name, key, title)
    for key in METRICS:
        assert axis_title(key).endswith("]")


def test_figures_never_compute_the_model(data, monkeypatch):
    # the figures take results; with evaluate() and sweep() broken they still draw
    import sys

    import availcalc

    ev_mod = sys.modules["availcalc.model.evaluate"]
    sweep_mod = sys.modules["availcalc.analysis.sweep"]

    def boom(*a, **k):
        raise AssertionError("a figure factory computed the model")

    for mod, name in (
        (ev_mod, "evaluate"),
        (availcalc, "evaluate"),
        (sweep_mod, "sweep"),
        (availcalc, "sweep"),
    ):
        monkeypatch.setattr(mod, name, boom)
    assert len(_all_figures(data)) == 10


def test_figures_render_offline_and_in_notebooks(all_figures, monkeypatch):
    monkeypatch.setattr(pio.renderers, "default", "plotly_mimetype")
    for name, fig in all_figures.items():
        assert isinstance(fig, go.Figure), name
        html = fig.to_html(include_plotlyjs=True, full_html=True)
        assert "<html>" in html[:100] and len(html) > 3_000_000, name  # plotly.js inline
        assert 'src="https://' not in html, name  # nothing fetched at view time
        bundle = fig._repr_mimebundle_()
        assert "application/vnd.plotly.v1+json" in bundle, name
        spec = json.loads(pio.to_json(fig, validate=True))
        text = json.dumps(spec)
        assert "Infinity" not in text and "NaN" not in text, name


def test_same_concept_same_colour_across_figures(data, all_figures):
    figs = all_figures
    handler = figs["availability_vs_instances"].data
    sla = figs["sla_vs_instances"].data
    assert handler[1].line.color == sla[2].line.color == COLORS["clustered"]
    topo = F.topology_diagram(data.ev_msmq)
    assert COLORS["clustered"] in {s.line.color for s in topo.layout.shapes}
    contour = figs["heatmap"].data[-1]
    target_lines = [
        s.line.color for s in figs["latency_vs_load"].layout.shapes if s.line.dash == "dash"
    ]
    assert contour.line.color == target_lines[0] == COLORS["target"]
    imp = figs["importance_chart"].data
    mb = {t.name: t.marker.color for t in imp if t.name.startswith("MessageBox")}
    assert mb == {
        "MessageBox SQL cluster": COLORS["messagebox"],
        "MessageBox shared storage": COLORS["storage"],
    }
    # the same block has the same colour in the diagram
    mb_boxes = {s.name: s.line.color for s in topo.layout.shapes if s.name.startswith("MessageBox")}
    assert mb_boxes == mb


# ---------------------------------------------------------------------------------- log axes


def _log_axes(fig):
    layout = fig.layout.to_plotly_json()
    return {
        k: a for k, a in layout.items() if k[:5] in ("xaxis", "yaxis") and a.get("type") == "log"
    }


def _assert_clean_log_ticks(axis, values):
    """Ticks are 1, 2, 3 or 5 times a power of ten, fully labelled, inside the data range.

    Over less than 0.8 of a decade plotly's own (linear, fully labelled) ticks are kept.
    """
    v = np.asarray([x for x in values if x is not None and x > 0 and math.isfinite(x)])
    if math.log10(v.max() / v.min()) < 0.8:
        assert "tickvals" not in axis
        return
    assert axis["tickmode"] == "array"
    ticks = axis["tickvals"]
    assert len(ticks) >= 2
    assert list(axis["ticktext"]) == [log_tick_text(t) for t in ticks]
    for t in ticks:
        mantissa = t / 10.0 ** math.floor(math.log10(t) + 1e-9)
        assert round(mantissa, 9) in (1, 2, 3, 5), t
    pad = 10 ** (0.05 * math.log10(v.max() / v.min()))
    assert v.min() / pad <= min(ticks) and max(ticks) <= v.max() * pad


def test_log_axes_have_clean_decade_ticks(data):
    # "2 100 5 2 10 5 2": plotly labels ticks between powers of ten with bare digits
    nlb = F.availability_vs_instances(data.handlers_nlb)  # 0.53 … 250 min/yr
    _assert_clean_log_ticks(
        nlb.layout.yaxis.to_plotly_json(), data.handlers_nlb["downtime_min_per_year"]
    )
    assert list(nlb.layout.yaxis.ticktext) == ["1", "10", "100"]
    whole = F.availability_vs_instances(data.handlers_nlb_whole_pool)  # 1.7 … 280 min/yr
    assert list(whole.layout.yaxis.ticktext) == ["2", "5", "10", "20", "50", "100", "200"]
    states = F.failure_states_chart(data.ev_nlb)  # 2e-7 … 1
    p = data.ev_nlb.states["probability"]
    _assert_clean_log_ticks(states.layout.yaxis.to_plotly_json(), p)
    assert states.layout.yaxis.ticktext[-1] == "1" and states.layout.yaxis.ticktext[0] == "1e-6"
    sens = F.sensitivity_chart(data.mttr, "send_host.mttr_h", "downtime_min_per_year")
    _assert_clean_log_ticks(sens.layout.yaxis.to_plotly_json(), data.mttr["downtime_min_per_year"])
    # within a decade plotly's own ticks are linear and fully labelled: kept
    narrow = pd.DataFrame({"instances": [1, 2], "downtime_min_per_year": [540.0, 790.0]})
    axis = F.availability_vs_instances(narrow).layout.yaxis
    assert axis.type == "log" and axis.tickvals is None


def test_every_log_axis_in_every_figure_is_clean(all_figures):
    for fig in all_figures.values():
        for key, axis in _log_axes(fig).items():
            values = [y for t in fig.data if (t.yaxis or "y") == "y" + key[5:] for y in t.y]
            _assert_clean_log_ticks(axis, values)


def test_log_ticks_and_their_labels():
    # many decades: every n-th power of ten, 1 among them, at most 8
    assert log_ticks([1e-21, 1e3]) == [1e-20, 1e-16, 1e-12, 1e-8, 1e-4, 1, 1e4]
    assert len(log_ticks([1e-30, 1.0])) <= 8 and 1.0 in log_ticks([1e-30, 1.0])
    assert log_ticks([5.0]) == [] and log_ticks([]) == [] and log_ticks([0.0, -1.0]) == []
    assert log_ticks([540.0, 560.0]) == []  # too narrow: plotly's linear ticks
    assert log_ticks([0.012, 0.4]) == [0.02, 0.05, 0.1, 0.2]
    assert [log_tick_text(v) for v in (1e-21, 2e-7, 1e-3, 0.05, 1e3, 5e4, 2e5, 1e12)] == [
        "1e-21", "2e-7", "0.001", "0.05", "1,000", "50,000", "2e5", "1e12",
    ]  # fmt: skip


# ------------------------------------------------------------------------ layout, template


def test_no_label_sits_on_the_legend_or_the_tick_labels(all_figures, data):
    figs = {**all_figures, "importance_nlb": F.importance_chart(data.importance_nlb)}
    for name, fig in figs.items():
        for a in fig.layout.annotations:
            if a.yref == "paper" or (a.yref or "").endswith("domain"):
                # above the plot is the legend (y > 1); below it the x tick labels (y < 0)
                assert 0 <= a.y <= 1, (name, a.text)
                assert not (a.y == 1 and a.yanchor == "bottom"), (name, a.text)


def test_the_template_is_built_once_and_kept_lean(data, all_figures, monkeypatch):
    import plotly.io as pio

    t = style.template()
    assert style.template() is t  # cached: resolved once per process
    for name, fig in all_figures.items():
        assert fig.layout.template == t, name
        assert fig.layout.template.layout.plot_bgcolor == "white", name
    json_t = t.to_plotly_json()
    assert "data" not in json_t  # trace defaults are set on the traces (BAR_LINE, COLORBAR)
    assert not {"polar", "geo", "scene", "ternary", "mapbox", "colorscale"} & set(json_t["layout"])

    def no_lookup(self, name):
        raise AssertionError(f"a figure looked up the template {name!r} in the registry")

    # no factory resolves a named template (plotly_white, or plotly's default) per figure:
    # each gets the one built above, in the layout it is constructed with
    monkeypatch.setattr(type(pio.templates), "__getitem__", no_lookup)
    again = _all_figures(data)
    assert all(fig.layout.template == t for fig in again.values())


def test_apply_style_applies_the_common_layout():
    fig = style.apply_style(go.Figure(), "A title", height=300, margin={"b": 90})
    assert fig.layout.template == style.template()
    assert fig.layout.title.text == "A title" and fig.layout.height == 300
    assert (fig.layout.margin.t, fig.layout.margin.b, fig.layout.margin.l) == (120, 90, 70)
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.y == 1.02


def test_topology_box_text_fits_narrow_boxes(data):
    # the boxes are about 20 characters wide at the app's width: no box line is longer
    for ev in (data.ev_msmq, data.ev_http, data.ev_nlb):
        fig = F.topology_diagram(ev)
        for a in fig.layout.annotations:
            if a.showarrow or a.text.startswith(("bottleneck", "<b>Send host")):
                continue
            for line in a.text.replace("<b>", "").replace("</b>", "").split("<br>"):
                assert len(line) <= 24, line
        assert fig.layout.margin.l == fig.layout.margin.r == 10
        # explicit colours: a host theme (Streamlit's) cannot grey the text out
        assert all(a.font.color for a in fig.layout.annotations if not a.showarrow)


def test_numbers_on_axes_are_never_si_prefixed(all_figures):
    # plotly writes 500k min/yr and 3µ (an unavailability) by default
    for name, fig in all_figures.items():
        layout = fig.layout.to_plotly_json()
        for key, axis in layout.items():
            if key[:5] not in ("xaxis", "yaxis") or axis.get("type") == "category":
                continue
            if axis.get("visible") is not False:
                assert axis.get("exponentformat") in ("none", "e"), (name, key)
    assert all_figures["heatmap"].data[0].colorbar.exponentformat == "none"
    df = pd.DataFrame(
        {
            "parameter": ["send_host.mttr_h"], "label": ["Instance MTTR"], "unit": ["h"],
            "metric": ["unavailability"], "base_value": [0.69], "low_value": [0.552],
            "high_value": [0.828], "metric_at_low": [2.6e-6], "metric_at_high": [3.9e-6],
            "base_metric": [3.2e-6], "swing": [1.3e-6],
        }
    )  # fmt: skip
    assert F.tornado_chart(df).layout.xaxis.exponentformat == "e"  # 3e-6, not 0.000003
    big = df.assign(metric="sla_downtime_min_per_year", metric_at_low=[10.0],
                    metric_at_high=[525_600.0], base_metric=[20.0], swing=[525_590.0])  # fmt: skip
    axis = F.tornado_chart(big).layout.xaxis
    assert (axis.exponentformat, axis.separatethousands) == ("none", True)  # 500,000


def test_importance_chart_names_the_loss_and_marks_the_demand():
    s = ac.load_preset("http_scaled_out_2node")
    imp = ac.importance(s, "sla_downtime_min_per_year")
    fig = F.importance_chart(imp)
    assert fig.layout.xaxis.title.text == "SLA downtime saved by a 10 % improvement [min/yr]"
    assert fig.layout.title.text == "Which improvement saves the most SLA downtime"
    labels = [y for t in fig.data for y in t.y]
    demand = imp.loc[~imp["lever"], "label"].tolist()
    assert demand and all(f"{d} (demand)" in labels for d in demand)
    assert "SLA downtime saved" in fig.data[0].hovertext[0]
