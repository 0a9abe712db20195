"""availcalc what-if UI (Streamlit). Layout only: every number comes from the library.

Run with ``streamlit run app.py``. Widgets → ``availcalc`` (cached on the frozen scenario) →
``availcalc.figures`` → ``st.*``. The pure helpers (input specs from the field specs, URL
encoding, formatting, download payloads) live in ``availcalc.ui`` and are unit-tested there.
"""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

import availcalc as ac
from availcalc import ui

_T0, _CPU0 = time.perf_counter(), time.thread_time()

st.set_page_config(
    page_title="availcalc — what-if",
    page_icon=":material/mail:",  # an emoji would load Streamlit's emoji catalogue (~0.1 s)
    layout="wide",
    initial_sidebar_state=340,
)
# metric values one size smaller, so that availabilities with many nines fit their cards
st.html("<style>[data-testid='stMetricValue'] > div { font-size: 1.9rem; }</style>")

ss = st.session_state
KEY_PRESET = "preset"
KEY_AVAILABILITY_TARGET = "availability_target"
KEY_TAB = "tab"  # the open analysis tab, bound to the URL by Streamlit
DEFAULT_AVAILABILITY_TARGET = 0.999
TABS = [
    "Clustered or scaled out",
    "Sizing",
    "Sensitivity",
    "Heatmap",
    "Tornado & importance",
    "Failure states",
    "Topology",
    "All results",
    "Assumptions",
    "Validation",  # the simulation layer (scipy.stats, simpy) loads when this tab first runs
]


# -- cached library calls (keyed on the frozen Scenario) ------------------------------------------
@st.cache_data(max_entries=512, show_spinner=False)
def evaluate(scenario: ac.Scenario) -> tuple[ac.Evaluation, dict[str, Any]]:
    ev = ac.evaluate(scenario)
    return ev, ev.metrics()


@st.cache_data(max_entries=256, show_spinner=False)
def compare_handlers(scenario: ac.Scenario, scaled_out_instances: int | None) -> Any:
    # compare evaluates each variant and asks its metrics once (two max-load root searches);
    # handing it cached evaluations would repeat the root searches of their metrics
    variants = ui.handler_variants(scenario, scaled_out_instances)
    return ac.compare(variants, [v.name for v in variants])


@st.cache_data(max_entries=128, show_spinner=False)
def size(scenario: ac.Scenario, instances_down: int, availability_target: float | None) -> Any:
    sz = ac.size_instances(scenario, instances_down, availability_target)
    sz.availability  # noqa: B018  the tab shows it: computed once, inside the cached copy
    return sz


@st.cache_data(max_entries=128, show_spinner="Sweeping…")
def sweep(scenario: ac.Scenario, params: tuple, include_max_load: bool) -> Any:
    return ac.sweep(scenario, dict(params), include_max_load=include_max_load)


@st.cache_data(max_entries=64, show_spinner="Sweeping…")
def handler_comparison(scenario: ac.Scenario, instances: tuple[int, ...]) -> Any:
    return ac.handler_comparison(scenario, instances)


@st.cache_data(max_entries=64, show_spinner="Computing the tornado…")
def tornado(scenario: ac.Scenario, metric: str, spread: float) -> Any:
    return ac.tornado(scenario, metric, spread)


@st.cache_data(max_entries=64, show_spinner="Ranking…")
def importance(scenario: ac.Scenario, metric: str) -> tuple[Any, Any]:
    blocks = ac.block_importance(scenario)
    return ac.importance(scenario, metric, blocks=blocks), blocks


@st.cache_data(max_entries=16, show_spinner="Simulating…")
def validate(scenario: ac.Scenario, replications: int) -> Any:
    # one process: worker pools inside a Streamlit server are not worth the trouble here
    return ac.validate(scenario, replications=replications, seed=1, n_jobs=1)  # type: ignore[attr-defined]


# -- small layout helpers -------------------------------------------------------------------------
def number_columns(df: Any) -> dict[str, Any]:
    """Float columns with 4 significant digits; availabilities with 8 decimals (not "1")."""
    return {
        c: st.column_config.NumberColumn(format="%.8f" if "availability" in c else "%.4g")
        for c in df.columns
        if df[c].dtype.kind == "f"
    }


def table(df: Any, **kwargs: Any) -> None:
    st.dataframe(df, hide_index=True, column_config=number_columns(df), **kwargs)


def chart(name: str, *args: Any, key: str, **kwargs: Any) -> None:
    """Draw ``availcalc.figures.<name>(...)``; say so when that factory is not available.

    The modebar's camera downloads it as a 2x PNG named after the scenario and the figure.
    """
    try:
        factory = getattr(ac.figures, name, None)
    except ImportError:
        factory = None
    if factory is None:
        st.caption(f"Chart pending: `availcalc.figures.{name}` is not available yet.")
        return
    config = ui.chart_config(name, scenario=scenario.name)
    st.plotly_chart(factory(*args, **kwargs), key=key, config=config)


def download(label: str, data: str, suffix: str, key: str, mime: str = "text/csv") -> None:
    name = f"{ui.file_stem(scenario.name)}{suffix}"
    st.download_button(label, data, file_name=name, mime=mime, key=key)


def card(col: Any, c: ui.Card) -> None:
    col.metric(
        c.label,
        c.value,
        c.delta,
        delta_color=c.color,
        delta_arrow="off",
        help=c.help,
        border=True,
    )


def keep(key: str, default: Any) -> None:
    """Seed a widget's state once (the widget then takes no ``value=``)."""
    if key not in ss:
        ss[key] = default


# -- state: first run from the URL; presets and uploads replace every input -----------------------
def load_into_state(s: ac.Scenario) -> None:
    ss.update(ui.scenario_to_state(s))


def on_preset() -> None:
    load_into_state(ac.load_preset(ss[KEY_PRESET]))


def on_upload() -> None:
    f = ss.get("upload")
    if f is None:
        return
    try:
        s = ui.read_scenario(f.name, f.getvalue())
    except ValueError as exc:
        ss["_flash"] = [("error", f"Could not load **{f.name}**: {ui.format_error(exc)}")]
        return
    load_into_state(s)
    ss["_flash"] = [("success", f"Loaded scenario **{s.name}** from {f.name}.")]


def set_instances(n: int) -> None:
    ss[ui.input_spec("send_host.instances").key] = n


if "_init" not in ss:
    q = ui.decode_query(st.query_params.to_dict(), extra_keys=(KEY_AVAILABILITY_TARGET, KEY_TAB))
    load_into_state(q.scenario)
    ss[KEY_PRESET] = q.preset
    target = ui.parse_fraction(q.extras.get(KEY_AVAILABILITY_TARGET))
    ss[KEY_AVAILABILITY_TARGET] = target or DEFAULT_AVAILABILITY_TARGET
    ss["_flash"] = [("warning", f"URL parameter {e}") for e in q.errors]
    ss["_init"] = True


# -- sidebar: preset, targets, inputs grouped as the architecture ---------------------------------
def field_widget(spec: ui.InputSpec) -> None:
    keep(spec.key, spec.default)
    common = {
        "key": spec.key,
        "help": spec.help_text(ui.value_source(spec.path, ss[spec.key], ss[KEY_PRESET])),
        "persist_state": "page",
    }
    if spec.widget == "bool":
        st.toggle(spec.label, **common)
    elif spec.widget == "choice":
        st.selectbox(spec.label, spec.choices, format_func=spec.format_choice, **common)
    else:
        st.number_input(
            spec.label,
            min_value=spec.min_value,
            max_value=spec.max_value,
            step=spec.step,
            format=spec.format,
            placeholder=spec.placeholder,
            **common,
        )
    alt = ui.fields.alternative_input(spec.path)
    if alt is not None:  # the same quantity typed as a CV, kept in step with the field both ways
        alt.sync(ss)
        a = alt.spec
        st.number_input(
            a.label, min_value=a.min_value, max_value=a.max_value, step=a.step, format=a.format,
            key=a.key, help=alt.help_text(), on_change=alt.apply, args=(ss,),
        )  # fmt: skip


def input_group(group: str, expanded: bool = False) -> None:
    # lazy: a collapsed group renders no widgets; their values stay in the session state
    box = st.expander(
        ui.GROUP_TITLES[group], expanded=expanded, key=f"grp.{group}", on_change="rerun"
    )
    if box.open:
        with box:
            for spec in ui.inputs_by_group()[group]:
                field_widget(spec)


with st.sidebar:
    st.header("Scenario")
    st.selectbox(
        "Preset",
        ac.presets(),
        key=KEY_PRESET,
        on_change=on_preset,
        help="Built-in scenarios from the BizTalk 'Scaled-Out Sending Hosts' topologies. "
        "Choosing one replaces every input.",
    )
    st.caption(ac.preset_descriptions()[ss[KEY_PRESET]])
    st.number_input(
        "Availability target (0–1)",
        min_value=0.5,
        max_value=0.999999999,
        step=0.0001,
        format="%g",
        key=KEY_AVAILABILITY_TARGET,
        help="Objective the availabilities are judged against (green/red) and that Sizing can "
        "require. A UI setting: kept in the URL, not in the scenario file.",
    )
    st.header("Inputs")
    input_group("workload", expanded=True)
    input_group("send_host", expanded=True)
    input_group("send_port")
    if st.toggle(
        "Model the MessageBox",
        key=ui.KEY_MESSAGEBOX_ON,
        persist_state="page",
        help="Add the MessageBox database the send host dequeues from: a queueing stage at "
        "its capacity and a SQL Server block in the availability series.",
    ):
        input_group("messagebox")
    kind = st.selectbox(
        "Destination",
        list(ui.DESTINATION_KINDS),
        format_func=ui.DESTINATION_KINDS.get,
        key=ui.KEY_DESTINATION_KIND,
        persist_state="page",
        help="An endpoint limits capacity and availability only; an NLB pool (e.g. a "
        "SharePoint farm) is also a queueing stage, one server per node up.",
    )
    if kind != "none":
        input_group(f"destination.{kind}")
    save_box = st.container()

with save_box:
    st.header("Save, load, share")
    st.text_input(
        "Scenario name",
        key=ui.KEY_NAME,
        persist_state="page",
        help="Name written into the JSON file.",
    )
    st.file_uploader(
        "Load a scenario (JSON or TOML)",
        type=["json", "toml"],
        key="upload",
        on_change=on_upload,
        help="A file saved here or written by `availcalc.save_scenario`.",
    )

# -- the scenario ---------------------------------------------------------------------------------
st.title("availcalc — sending-tier what-if")
for level, text in ss.pop("_flash", []):
    getattr(st, level)(text)
try:
    scenario = ui.state_to_scenario(ss)
except ValueError as exc:
    st.error(f"**Invalid input.** {ui.format_error(exc)}")
    st.stop()

preset = ss[KEY_PRESET]
target_a = float(ss[KEY_AVAILABILITY_TARGET])
params = ui.encode_query(scenario, preset)
if target_a != DEFAULT_AVAILABILITY_TARGET:
    params[KEY_AVAILABILITY_TARGET] = ui.format_param(target_a)
for name, value in ui.query_updates(st.query_params.to_dict(), params, keep=(KEY_TAB,)).items():
    if value is None:
        del st.query_params[name]
    else:
        st.query_params[name] = value

with save_box:
    download("Download scenario (JSON)", ui.scenario_json(scenario), ".json", "dl.scenario",
             mime="application/json")  # fmt: skip
    st.caption("Share: the page's URL reproduces this scenario. Its query string:")
    st.code(ui.query_string(params), language=None, wrap_lines=True)

try:
    ev, m = evaluate(scenario)
except ValueError as exc:
    st.error(f"**The model cannot evaluate this scenario.** {ui.format_error(exc)}")
    st.stop()

modified = "" if params.keys() <= {"preset"} else f" (modified from the preset `{preset}`)"
st.caption(f"**{scenario.name}**{modified}. {scenario.description}")
for advice in ui.advisories(ev, m):
    getattr(st, advice.level)(advice.text)

# -- results at a glance --------------------------------------------------------------------------
for group, cards in ui.headline_cards(ev, m, target_a).items():
    st.markdown(f"##### {group}")
    for col, c in zip(st.columns(len(cards)), cards, strict=True):
        card(col, c)
download("Download results (CSV)", ui.results_csv(ev, m), "-results.csv", "dl.results")


# -- analyses: lazy tabs, only the open one runs --------------------------------------------------
def tab_compare() -> None:
    left, right = st.columns([5, 6], gap="large")
    with left:
        n_cmp = st.number_input(
            "Scaled-out instances in the comparison",
            min_value=1,
            max_value=64,
            step=1,
            value=None,
            key="cmp.instances",
            placeholder="as in the scenario",
            persist_state="page",
            help="The scaled-out column uses this many instances (empty: the scenario's count, "
            "or 2 when it is clustered). The clustered column is always an active/passive pair.",
        )
        try:
            cmp_df = compare_handlers(scenario, n_cmp)
        except ValueError as exc:
            st.error(ui.format_error(exc))
        else:
            st.dataframe(ui.format_compare(cmp_df), hide_index=True, height="content")
            download("Download comparison (CSV)", ui.frame_csv(cmp_df, index=True),
                     "-clustered-vs-scaled-out.csv", "dl.compare")  # fmt: skip
        st.caption(
            "Same workload, port, MessageBox and destination; only the handler differs. A "
            "clustered host needs BizTalk Server Enterprise Edition."
        )
    with right:
        n_max = max(6, (n_cmp or scenario.send_host.instances) + 2)
        hc = handler_comparison(scenario, tuple(range(1, n_max + 1)))
        chart("availability_vs_instances", hc, key="fig.handler")


def tab_sizing() -> None:
    st.markdown(
        "The fewest send host instances whose latency percentile stays within the target with "
        "*k* instances down (and, optionally, that reach the availability target)."
    )
    c1, c2 = st.columns(2)
    keep("size.k", 1)
    k = c1.number_input(
        "Instances that may be down (k)",
        min_value=0,
        max_value=16,
        step=1,
        key="size.k",
        persist_state="page",
    )
    keep("size.use_a", False)
    use_a = c2.toggle(
        f"Also reach the availability target ({ui.format_percent(target_a, nines=True)})",
        key="size.use_a",
        persist_state="page",
    )
    try:
        sz = size(scenario, int(k), target_a if use_a else None)
    except ValueError as exc:
        st.error(ui.format_error(exc))
        return
    kind = scenario.send_host.handler_kind
    if not kind.instances_add_capacity:
        st.info(
            f"A {kind.name} handler sends from one node: more nodes add spares, not capacity, "
            "so sizing checks the cluster as it is."
        )
    if sz.feasible:
        st.success(
            f"**{sz.instances} instances** — {sz.reason}. Latency "
            f"{ui.format_metric('latency_percentile_s', sz.latency_percentile_s)} with {k} "
            f"down; availability {ui.format_metric('availability', sz.availability)}."
        )
        if sz.instances != scenario.send_host.instances:
            st.button(
                f"Use {sz.instances} instances",
                on_click=set_instances,
                args=(sz.instances,),
                key="size.apply",
            )
    else:
        st.error(f"No instance count meets the targets: {sz.reason}.")
    n_max = max(8, (sz.instances or 0) + 2)
    hc = handler_comparison(scenario, tuple(range(1, n_max + 1)))
    chart("sla_vs_instances", hc, availability_target=target_a, key="fig.sizing")


def tab_sensitivity() -> None:
    popts, mopts = ui.parameter_options(scenario), ui.metric_options()
    if ss.get("sens.param") not in popts:
        ss["sens.param"] = "workload.arrival_rate_per_s"
    keep("sens.metric", "latency_percentile_s")
    keep("sens.points", 25)
    c1, c2 = st.columns(2)
    param = c1.selectbox(
        "Parameter", list(popts), format_func=popts.get, key="sens.param", persist_state="page"
    )
    metric = c2.selectbox(
        "Metric", list(mopts), format_func=mopts.get, key="sens.metric", persist_state="page"
    )
    unit = ac.numeric_fields(scenario)[param].unit
    unit = f" ({unit})" if unit else ""
    lo_key, hi_key = f"sens.lo.{preset}.{param}", f"sens.hi.{preset}.{param}"
    lo0, hi0 = ui.default_range(scenario, param, m["capacity_per_s"])
    keep(lo_key, lo0)
    keep(hi_key, hi0)
    c3, c4, c5 = st.columns(3)
    lo = c3.number_input(f"From{unit}", key=lo_key, format="%g", persist_state="page")
    hi = c4.number_input(f"To{unit}", key=hi_key, format="%g", persist_state="page")
    points = c5.slider("Points", 3, 60, key="sens.points", persist_state="page")
    try:
        values = ui.sweep_values(scenario, param, lo, hi, points)
        df = sweep(scenario, ((param, tuple(values)),), metric in ui.MAX_LOAD_METRICS)
    except ValueError as exc:
        st.error(ui.format_error(exc))
        return
    w = scenario.workload
    if param == "workload.arrival_rate_per_s" and metric in ui.LATENCY_METRICS:
        chart("latency_vs_load", df, target_s=w.latency_target_s, key="fig.sens",
              capacity_per_s=m["capacity_per_s"], percentile=w.latency_percentile)  # fmt: skip
    elif param == "workload.arrival_rate_per_s" and metric in ui.SLA_METRICS:
        chart("sla_vs_load", df, capacity_per_s=m["capacity_per_s"],
              availability_target=target_a, key="fig.sens")  # fmt: skip
    else:
        chart("sensitivity_chart", df, param, metric, key="fig.sens")
    download("Download sweep (CSV)", ui.frame_csv(df), f"-sweep-{param}.csv", "dl.sweep")


def tab_heatmap() -> None:
    popts, mopts = ui.parameter_options(scenario), ui.metric_options()
    plist = list(popts)
    if ss.get("heat.x") not in popts:
        ss["heat.x"] = "workload.arrival_rate_per_s"
    if ss.get("heat.y") not in popts or ss["heat.y"] == ss["heat.x"]:
        ss["heat.y"] = next(p for p in [*ui.HEATMAP_Y_DEFAULTS, *plist] if p in popts)
    keep("heat.z", "latency_percentile_s")
    keep("heat.points", 10)
    c1, c2, c3, c4 = st.columns([3, 3, 3, 2])
    x = c1.selectbox("x", plist, format_func=popts.get, key="heat.x", persist_state="page")
    y = c2.selectbox("y", plist, format_func=popts.get, key="heat.y", persist_state="page")
    z = c3.selectbox(
        "Colour", list(mopts), format_func=mopts.get, key="heat.z", persist_state="page"
    )
    n = c4.slider("Points per axis", 4, 20, key="heat.points", persist_state="page")
    if x == y:
        st.error("Choose two different parameters.")
        return
    with st.expander("Axis ranges"):
        ranges = []
        for axis, col in zip((x, y), st.columns(2), strict=True):
            lo0, hi0 = ui.default_range(scenario, axis, m["capacity_per_s"])
            lo_key, hi_key = f"heat.lo.{preset}.{axis}", f"heat.hi.{preset}.{axis}"
            keep(lo_key, lo0)
            keep(hi_key, hi0)
            a, b = col.columns(2)
            ranges.append(
                (
                    a.number_input(f"{popts[axis]}: from", key=lo_key, format="%g",
                                   persist_state="page"),
                    b.number_input("to", key=hi_key, format="%g", persist_state="page"),
                )
            )  # fmt: skip
    try:
        xs = ui.sweep_values(scenario, x, *ranges[0], n)
        ys = ui.sweep_values(scenario, y, *ranges[1], n)
        df = sweep(scenario, ((x, tuple(xs)), (y, tuple(ys))), z in ui.MAX_LOAD_METRICS)
    except ValueError as exc:
        st.error(ui.format_error(exc))
        return
    level = ui.contour_level(z, scenario, target_a)
    chart("heatmap", df, x, y, z, contour_at=level, key="fig.heat")
    download("Download grid (CSV)", ui.frame_csv(df), "-grid.csv", "dl.heat")


def tab_tornado() -> None:
    mopts = ui.metric_options()
    keep("tor.metric", "sla_downtime_min_per_year")
    keep("tor.spread", 0.2)
    c1, c2 = st.columns([2, 1])
    metric = c1.selectbox(
        "Metric", list(mopts), format_func=mopts.get, key="tor.metric", persist_state="page"
    )
    spread = c2.slider(
        "Spread (±)",
        0.05,
        0.5,
        step=0.05,
        key="tor.spread",
        persist_state="page",
        help="Each input is moved by ± this fraction (probabilities: their complement).",
    )
    try:
        tor = tornado(scenario, metric, spread)
    except ValueError as exc:
        st.error(ui.format_error(exc))
        return
    st.markdown("**Tornado:** which input moves the metric most, one at a time")
    chart("tornado_chart", tor, key="fig.tornado")
    download("Download tornado (CSV)", ui.frame_csv(tor), "-tornado.csv", "dl.tornado")
    st.markdown("**Importance:** what a 10 % better input saves")
    iopts = ui.importance_metric_options()
    keep("imp.metric", "sla_downtime_min_per_year")
    loss = st.selectbox(
        "Loss to rank on", list(iopts), format_func=iopts.get, key="imp.metric",
        persist_state="page",
        help="The path downtime ranks the reliability inputs; an SLA metric ranks the "
        "queueing inputs (load, service time, concurrency, instances, capacities) with them.",
    )  # fmt: skip
    try:
        par_imp, blk_imp = importance(scenario, loss)
    except ValueError as exc:
        st.error(ui.format_error(exc))
        return
    chart("importance_chart", par_imp, key="fig.importance")
    download("Download importance (CSV)", ui.frame_csv(par_imp), "-importance.csv", "dl.imp")
    st.markdown("**Blocks** (criticality = the share of the downtime a block causes)")
    table(blk_imp, column_order=ui.BLOCK_IMPORTANCE_COLUMNS)


def tab_states() -> None:
    st.markdown(
        "Each failure state of the send tier (MessageBox and destination up), its long-run "
        "probability, and whether its latency meets the target (performability)."
    )
    chart("failure_states_chart", ev, key="fig.states")
    table(ev.states)
    download("Download states (CSV)", ui.frame_csv(ev.states), "-states.csv", "dl.states")
    st.markdown("**Where the downtime comes from**")
    table(ev.downtime_breakdown)
    st.markdown("**After an outage of the send tier**")
    keep("outage.min", 60.0)
    c1, *cols = st.columns(4)
    t_min = c1.number_input(
        "Outage length (min)",
        min_value=0.0,
        step=5.0,
        format="%g",
        key="outage.min",
        persist_state="page",
    )
    for col, c in zip(cols, ui.outage_cards(ev.backlog_after_outage(60.0 * t_min)), strict=True):
        card(col, c)


def tab_topology() -> None:
    chart("topology_diagram", ev, key="fig.topology")
    st.markdown("**Queueing stages** (everything up)")
    table(ev.stages)


def tab_results() -> None:
    st.dataframe(ui.results_table(m), hide_index=True, height="content")
    download("Download stages (CSV)", ui.frame_csv(ev.stages), "-stages.csv", "dl.stages")


def tab_assumptions() -> None:
    sources = ui.sources_table(scenario, preset)
    n_est = int((sources["kind"] == "estimate").sum())
    st.markdown(
        f"**Where every input comes from.** {n_est} of {len(sources)} values are engineering "
        "estimates: calibrate them with load tests and incident logs."
    )
    keep("src.only_estimates", False)
    if st.toggle("Only estimates", key="src.only_estimates", persist_state="page"):
        sources = sources[sources["kind"] == "estimate"]
    st.dataframe(
        sources,
        hide_index=True,
        column_order=["input", "value", "unit", "kind", "source", "section", "path"],
    )
    left, right = st.columns(2, gap="large")
    left.markdown(
        "**Modelling assumptions**\n\n"
        + "\n".join(f"- {a}" for a in ui.model_assumptions(scenario))
    )
    right.markdown("**Caveats**\n\n" + "\n".join(f"- {c}" for c in ui.CAVEATS))


def tab_validation() -> None:
    st.markdown(
        "Check the analytical model against a discrete-event simulation of the same scenario "
        "(`availcalc.validate`): each metric with the simulation's confidence interval."
    )
    keep("val.reps", 10)
    c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
    reps = c1.slider("Replications", 5, 50, key="val.reps", persist_state="page")
    if c2.button("Run the simulation", key="val.run"):
        ss["val.for"] = (scenario, reps)
    if ss.get("val.for") != (scenario, reps):
        st.caption("Takes a few seconds per 10 replications; the result is kept per scenario.")
        return
    try:
        df = validate(scenario, reps)
    except ValueError as exc:
        st.error(ui.format_error(exc))
        return
    agree = int(df["agrees"].sum()) if "agrees" in df else None
    if agree is not None:
        st.markdown(f"**{agree} of {len(df)}** metrics agree within the confidence interval.")
    table(df)
    download("Download validation (CSV)", ui.frame_csv(df), "-validation.csv", "dl.validation")


RENDER = {
    "Clustered or scaled out": tab_compare,
    "Sizing": tab_sizing,
    "Sensitivity": tab_sensitivity,
    "Heatmap": tab_heatmap,
    "Tornado & importance": tab_tornado,
    "Failure states": tab_states,
    "Topology": tab_topology,
    "All results": tab_results,
    "Assumptions": tab_assumptions,
    "Validation": tab_validation,
}
for label, tab in zip(TABS, st.tabs(TABS, key=KEY_TAB, bind="query-params"), strict=True):
    if tab.open:
        with tab:
            try:
                RENDER[label]()
            except ValueError as exc:  # the library's word on an input it cannot analyse
                st.error(ui.format_error(exc))

wall_ms, cpu_ms = 1000 * (time.perf_counter() - _T0), 1000 * (time.thread_time() - _CPU0)
st.caption(f"Server time for this run: {wall_ms:.0f} ms (CPU {cpu_ms:.0f} ms).")
