"""Figure factories: the data inside each figure (traces, arrays, titles, annotations)."""

import json
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from availcalc import figures as F
from availcalc.figures.style import (
    COLORS,
    HANDLER_COLORS,
    METRIC_COLORS,
    axis_title,
    block_color,
    format_value,
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
    names = [t.name for t in fig.data]
    assert names == [
        "scaled out: SLA availability",
        "scaled out: Expected throughput fraction",
        "clustered (active/passive pair): SLA availability",
        "clustered (active/passive pair): Expected throughput fraction",
    ]
    assert [t.line.color for t in fig.data] == [HANDLER_COLORS["scaled_out"]] * 2 + [
        HANDLER_COLORS["clustered"]
    ] * 2
    assert [t.line.dash for t in fig.data] == ["solid", "dot"] * 2
    so = data.handlers[data.handlers["handler"] == "scaled_out"]
    assert fig.data[0].y == tuple(so["sla_availability"])
    assert fig.data[1].y == tuple(so["expected_throughput_fraction"])
    assert any(s.y0 == 0.9999 and s.line.color == COLORS["target"] for s in fig.layout.shapes)
    assert "%{y:.8f}" in fig.data[0].hovertemplate


def test_sla_vs_load_splits_by_a_column(data):
    g = data.grid
    fig = F.sla_vs_load(g, color="send_host.instances")
    assert len(fig.data) == 6
    assert fig.data[0].name == "Host instances = 1: SLA availability"
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
    hm, ct = fig.data
    assert hm.type == "heatmap" and ct.type == "contour"
    assert list(hm.x) == [4.0, 8.0, 12.0, 30.0] and list(hm.y) == [1, 2, 3]
    for i, n in enumerate([1, 2, 3]):
        for j, lam in enumerate([4.0, 8.0, 12.0, 30.0]):
            v = g[(g[x] == lam) & (g[y] == n)][z].item()
            assert hm.z[i][j] == (v if math.isfinite(v) else None)
            assert hm.text[i][j] == format_value(z, v)
    assert any(v is None for row in hm.z for v in row)  # 30 msg/s on 1 instance: unstable
    assert any(a.text.startswith("blank cells") for a in fig.layout.annotations)
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
    assert list(fig.data[0].colorbar.ticktext) == ["1e-2", "1e-1", "1e0", "1e1", "1e2"]
    assert fig.data[0].text[1][1] == "100"
    with pytest.raises(ValueError, match="several rows"):
        F.heatmap(pd.concat([df, df]), "a.x", "send_host.mttr_h", "downtime_min_per_year")


# ---------------------------------------------------------------------------------- tornado


def test_tornado_chart_bars_span_base_to_each_end(data):
    t = data.tornado
    fig = F.tornado_chart(t)
    low, high = fig.data
    assert (low.name, high.name) == ("low input", "high input")
    shown = t[t["swing"] > 0]  # the arrival rate does not move the SLA downtime here
    assert len(low.y) == len(shown) < len(t)
    assert low.y[0].startswith("Endpoint availability (0.9988 → 0.9992")
    base = t["base_metric"].iloc[0]
    assert np.allclose(np.add(low.x, low.base), shown["metric_at_low"], rtol=1e-12)
    assert np.allclose(np.add(high.x, high.base), shown["metric_at_high"], rtol=1e-12)
    assert set(low.base) == {base}
    assert (low.marker.color, high.marker.color) == (COLORS["low"], COLORS["high"])
    assert fig.layout.xaxis.title.text == "SLA downtime [min/yr]"
    assert fig.layout.yaxis.autorange == "reversed"  # largest swing on top
    assert fig.layout.shapes[0].x0 == base
    assert fig.layout.annotations[0].text == f"base {format_value('x', base)} min/yr"
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
    assert not empty.data and empty.layout.annotations[0].text == "No input changes this metric"


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
    assert list(meets.x) == st.loc[st["meets_target"], "state"].tolist()
    assert list(misses.x) == st.loc[~st["meets_target"], "state"].tolist()
    assert meets.y == tuple(st.loc[st["meets_target"], "probability"])
    assert lat.name == "p95 latency"
    assert lat.y == _none_for_inf(st["latency_percentile_s"])
    assert list(fig.layout.xaxis.categoryarray) == st["state"].tolist()  # model order kept
    assert fig.layout.yaxis.type == "log"
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
    assert any("NLB pool: 3 nodes, 1 needed" in t for t in texts)
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
    contour = figs["heatmap"].data[1]
    target_lines = [
        s.line.color for s in figs["latency_vs_load"].layout.shapes if s.line.dash == "dash"
    ]
    assert contour.line.color == target_lines[0] == COLORS["target"]
    imp = figs["importance_chart"].data
    assert {t.marker.color for t in imp if t.name.startswith("MessageBox")} == {
        COLORS["messagebox"]
    }
