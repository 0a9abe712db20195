"""The what-if UI under Streamlit's AppTest: every section renders, numbers follow the library."""

import json

import pytest
from streamlit.proto.Metric_pb2 import Metric

import availcalc as ac
from availcalc import ui

from .conftest import new_app

DEFAULT = ac.DEFAULT_PRESET


def k(path, kind=None):
    return ui.input_spec(path, kind=kind).key


def ok(at):
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def color(metric):
    return Metric.MetricColor.Name(metric.proto.color).lower()


def cards(at):
    return {m.label: m for m in at.metric}


def expected_cards(scenario, availability_target=0.999):
    ev = ac.evaluate(scenario)
    groups = ui.headline_cards(ev, ev.metrics(), availability_target)
    return {c.label: c for cs in groups.values() for c in cs}


def assert_cards_match(at, scenario, availability_target=0.999):
    """The page's headline numbers are the library's (evaluate of the same scenario)."""
    shown = cards(at)
    expected = expected_cards(scenario, availability_target)
    assert set(expected) <= set(shown)
    for label, card in expected.items():
        assert shown[label].value == card.value, label
        assert shown[label].delta == card.delta, label
        assert color(shown[label]) == card.color, label
    # and directly against the library's numbers, not only through the helper
    ev = ac.evaluate(scenario)
    assert shown["Capacity"].value == ui.format_metric("capacity_per_s", ev.capacity_per_s)
    assert shown["Availability"].value == ui.format_metric("availability", ev.availability)
    assert (
        shown["Latency p95"].value
        == ui.format_metric("latency_percentile_s", ev.latency_percentile_s)
        or not shown["Latency p95"].value
    )


def run(at):
    at.run()
    ok(at)
    return at


def open_tab(at, label):
    at.session_state["tab"] = label
    return run(at)


# -- defaults, presets ----------------------------------------------------------------------------
def test_default_page_shows_the_default_preset(at):
    ok(at)
    assert at.selectbox(key="preset").value == DEFAULT
    assert_cards_match(at, ac.load_preset(DEFAULT))
    parts = ac.evaluate(ac.load_preset(DEFAULT)).parts["modelled"]
    assert len(at.metric) == 12 + int(parts.iloc[:3].sum())  # + one downtime card per part
    assert at.query_params["preset"] == [DEFAULT] or at.query_params["preset"] == DEFAULT
    assert [t.label for t in at.tabs][:2] == ["Clustered or scaled out", "Sizing"]
    labels = [b.label for b in at.get("download_button")]
    assert {"Download results (CSV)", "Download scenario (JSON)"} <= set(labels)
    assert any(ac.preset_descriptions()[DEFAULT] in c.value for c in at.caption)
    assert any(c.value.startswith("Server time for this run") for c in at.caption)


def test_every_input_has_a_label_with_its_unit_and_a_source(at):
    shown = {w.key: w for w in [*at.number_input, *at.selectbox, *at.toggle]}
    for spec in ui.input_specs():
        if spec.group in ("workload", "send_host"):  # the groups open by default
            w = shown[spec.key]
            assert w.label == spec.label
            assert "**Source:**" in w.help
    assert shown[k("send_host.concurrency")].help.endswith("**Valid:** in [1, 100000]")
    assert "documented: maxconnection up to 12 × CPUs recommended" in (
        shown[k("send_host.concurrency")].help
    )


@pytest.mark.parametrize("name", ac.presets())
def test_every_preset_loads(at, name):
    at.selectbox(key="preset").set_value(name)
    run(at)
    assert_cards_match(at, ac.load_preset(name))
    assert dict(at.query_params) in ({"preset": [name]}, {"preset": name})
    assert at.session_state[k("send_host.instances")] == ac.load_preset(name).send_host.instances


# -- inputs change the numbers --------------------------------------------------------------------
def test_changing_inputs_changes_the_numbers_as_the_library_says(at):
    at.number_input(key=k("workload.arrival_rate_per_s")).set_value(150.0)
    at.number_input(key=k("send_host.instances")).set_value(3)
    run(at)
    s = ac.load_preset(DEFAULT).replace(
        **{"workload.arrival_rate_per_s": 150.0, "send_host.instances": 3}
    )
    assert_cards_match(at, s)
    assert at.query_params["workload.arrival_rate_per_s"] in ("150", ["150"])
    at.number_input(key=k("send_host.concurrency")).set_value(2)
    run(at)
    s = s.replace(**{"send_host.concurrency": 2})
    assert_cards_match(at, s)
    assert color(cards(at)["Utilisation ρ"]) == "red"  # overloaded
    assert any(w.value.startswith("Overloaded") for w in at.warning)


def test_sections_switch_on_and_off(at):
    at.toggle(key=ui.KEY_MESSAGEBOX_ON).set_value(False)
    run(at)
    s = ac.load_preset(DEFAULT).replace(messagebox=None)
    assert_cards_match(at, s)
    at.selectbox(key=ui.KEY_DESTINATION_KIND).set_value("nlb_pool")
    run(at)
    s = s.replace(destination={"kind": "nlb_pool"})
    assert_cards_match(at, s)
    assert at.session_state[k("destination.nodes", "nlb_pool")] == 3
    at.session_state[k("destination.nodes", "nlb_pool")] = 5
    at.selectbox(key=ui.KEY_DESTINATION_KIND).set_value("none")
    run(at)
    assert_cards_match(at, s.replace(destination=None))
    # switching back keeps what was typed for the pool
    at.selectbox(key=ui.KEY_DESTINATION_KIND).set_value("nlb_pool")
    run(at)
    assert_cards_match(at, s.replace(**{"destination.nodes": 5}))


def test_collapsed_groups_keep_their_values(at):
    assert k("send_port.ordered_delivery") not in [w.key for w in at.toggle]  # collapsed
    at.session_state[k("send_port.ordered_delivery")] = True
    run(at)
    assert_cards_match(at, ac.load_preset(DEFAULT).replace(**{"send_port.ordered_delivery": True}))
    assert any("Ordered delivery" in i.value for i in at.info)


def test_availability_target_judges_the_cards(at):
    assert color(cards(at)["Availability"]) == "red"  # 99.897 % < 99.9 %
    at.number_input(key="availability_target").set_value(0.99)
    run(at)
    assert color(cards(at)["Availability"]) == "green"
    assert_cards_match(at, ac.load_preset(DEFAULT), availability_target=0.99)
    assert at.query_params["availability_target"] in ("0.99", ["0.99"])


# -- bad inputs -----------------------------------------------------------------------------------
def test_clustered_with_one_instance_is_a_clear_error(at):
    at.number_input(key=k("send_host.instances")).set_value(1)
    at.selectbox(key=k("send_host.handler")).set_value("clustered")
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "**Invalid input.** Send host and adapter handler › Host instances: must be >= 2 for a "
        "clustered handler (a failover cluster of one active node and at least one passive); "
        "got 1"
    ]
    assert len(at.metric) == 0
    at.number_input(key=k("send_host.instances")).set_value(2)
    run(at)
    assert_cards_match(at, ac.load_preset(DEFAULT).replace(**{"send_host.handler": "clustered"}))
    assert any("Enterprise Edition" in i.value for i in at.info)


def test_needed_above_nodes_is_a_clear_error(at):
    at.selectbox(key="preset").set_value("sharepoint_2x_nlb3")
    run(at)
    at.session_state[k("destination.needed", "nlb_pool")] = 4
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "**Invalid input.** Destination › Nodes needed: must be <= nodes (3); got 4"
    ]


def test_overloaded_queue_is_a_warning_not_a_traceback(at):
    at.selectbox(key="preset").set_value("http_scaled_out_2node")
    run(at)
    c = cards(at)
    assert c["Latency p95"].value == "∞ s"
    assert c["Utilisation ρ"].value == "150 %"
    assert at.warning[0].value.startswith("Overloaded: the load λ = 40 msg/s exceeds")


# -- save, load, share ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON: Expecting property name"),
        (b'{"send_host": {"instances": 0}}', "Send host and adapter handler › Host instances: "),
        (b'{"workload": {"arrival_rate": 3}}', "workload.arrival_rate: unknown field"),
        (b"[1, 2]", "a scenario must be a mapping"),
    ],
)
def test_invalid_uploads_show_an_error(at, content, message):
    at.file_uploader(key="upload").set_value(("bad.json", content, "application/json"))
    at.run()
    assert not at.exception
    assert len(at.error) == 1
    assert at.error[0].value.startswith("Could not load **bad.json**: ")
    assert message in at.error[0].value
    assert_cards_match(at, ac.load_preset(DEFAULT))  # the scenario is unchanged


def test_valid_upload_replaces_the_scenario(at):
    s = ac.load_preset("sharepoint_2x_nlb3").replace(
        name="my farm", **{"send_host.instances": 3, "destination.nodes": 4}
    )
    at.file_uploader(key="upload").set_value(
        ("farm.json", ui.scenario_json(s).encode(), "application/json")
    )
    run(at)
    assert at.success[0].value == "Loaded scenario **my farm** from farm.json."
    assert_cards_match(at, s)
    assert ui.state_to_scenario(at.session_state) == s
    # the URL now reproduces the uploaded scenario
    assert ui.decode_query(dict(at.query_params)).scenario == s


def test_query_params_reproduce_a_scenario():
    s = ac.load_preset("msmq_nonclustered_3x").replace(
        **{
            "send_host.instances": 5,
            "workload.arrival_rate_per_s": 250.0,
            "messagebox": {"capacity_per_s": 800.0},
        }
    )
    at = new_app()
    for key, value in ui.encode_query(s, "msmq_nonclustered_3x").items():
        at.query_params[key] = value
    at.query_params["availability_target"] = "0.9999"
    run(at)
    assert at.selectbox(key="preset").value == "msmq_nonclustered_3x"
    assert at.number_input(key=k("send_host.instances")).value == 5
    assert at.number_input(key="availability_target").value == 0.9999
    assert_cards_match(at, s, availability_target=0.9999)
    # a change updates the URL, which still reproduces the page
    at.number_input(key=k("send_host.instances")).set_value(6)
    run(at)
    params = {key: v[-1] if isinstance(v, list) else v for key, v in at.query_params.items()}
    assert params["send_host.instances"] == "6"
    assert ui.decode_query(params).scenario == s.replace(**{"send_host.instances": 6})
    assert any("send_host.instances=6" in c.value for c in at.code)


def test_bad_query_params_are_reported_and_the_rest_applies():
    at = new_app()
    at.query_params["preset"] = "ordered_send_port"
    at.query_params["send_host.concurrency"] = "lots"
    at.query_params["workload.arrival_rate_per_s"] = "12"
    run(at)
    assert [w.value for w in at.warning] == [
        "URL parameter send_host.concurrency=lots: expected a number; got 'lots' (ignored)"
    ]
    assert_cards_match(
        at, ac.load_preset("ordered_send_port").replace(**{"workload.arrival_rate_per_s": 12.0})
    )


# -- analyses -------------------------------------------------------------------------------------
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
]


def charts(at):
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def pending(at):
    return [c.value for c in at.caption if c.value.startswith("Chart pending")]


@pytest.mark.parametrize("preset", [DEFAULT, "msmq_clustered_active_passive", "sharepoint_2x_nlb3"])
def test_every_tab_renders(preset):
    at = new_app()
    at.query_params["preset"] = preset
    run(at)
    for label in TABS:
        open_tab(at, label)
        assert len(charts(at)) + len(pending(at)) + len(at.dataframe) >= 1, label


def test_clustered_or_scaled_out_tab_shows_compare(at):
    s = ac.load_preset(DEFAULT)
    shown = at.dataframe[0].value
    c, so = ui.handler_variants(s)
    expected = ui.format_compare(ac.compare([c, so], ["clustered", "scaled out"]))
    assert shown.to_dict("list") == expected.to_dict("list")
    at.number_input(key="cmp.instances").set_value(4)
    run(at)
    c, so = ui.handler_variants(s, 4)
    expected = ui.format_compare(ac.compare([c, so], ["clustered", "scaled out"]))
    assert at.dataframe[0].value.to_dict("list") == expected.to_dict("list")


def test_sizing_in_one_click_and_apply():
    at = new_app()
    at.query_params["preset"] = "http_scaled_out_2node"
    run(at)
    open_tab(at, "Sizing")
    sz = ac.size_instances(ac.load_preset("http_scaled_out_2node"), 1)
    assert at.success[0].value.startswith(f"**{sz.instances} instances** — {sz.reason}")
    at.button(key="size.apply").click()
    run(at)
    assert at.session_state[k("send_host.instances")] == sz.instances
    assert_cards_match(
        at, ac.load_preset("http_scaled_out_2node").replace(**{"send_host.instances": sz.instances})
    )
    at.number_input(key="size.k").set_value(2)
    at.toggle(key="size.use_a").set_value(True)
    at.run()
    assert not at.exception
    s = ac.load_preset("http_scaled_out_2node").replace(**{"send_host.instances": sz.instances})
    sz2 = ac.size_instances(s, 2, 0.999)
    assert not sz2.feasible  # the endpoint's 99.9 % caps the path below 99.9 %
    assert at.error[0].value == f"No instance count meets the targets: {sz2.reason}."


def test_sizing_infeasible_clustered_is_explained():
    at = new_app()
    at.query_params["preset"] = "msmq_clustered_active_passive"
    run(at)
    open_tab(at, "Sizing")
    at.number_input(key="size.k").set_value(2)
    at.run()
    assert not at.exception
    assert at.error[0].value.startswith("No instance count meets the targets: a clustered handler")


def test_sensitivity_sweeps_the_chosen_parameter(at):
    open_tab(at, "Sensitivity")
    assert at.selectbox(key="sens.param").value == "workload.arrival_rate_per_s"
    at.selectbox(key="sens.param").set_value("send_host.mttr_h")
    at.selectbox(key="sens.metric").set_value("downtime_min_per_year")
    run(at)
    assert "Download sweep (CSV)" in [b.label for b in at.get("download_button")]
    lo, hi = ui.default_range(ac.load_preset(DEFAULT), "send_host.mttr_h")
    assert at.number_input(key=f"sens.lo.{DEFAULT}.send_host.mttr_h").value == lo
    assert at.number_input(key=f"sens.hi.{DEFAULT}.send_host.mttr_h").value == hi
    at.number_input(key=f"sens.hi.{DEFAULT}.send_host.mttr_h").set_value(lo / 2)
    at.run()
    assert at.error[0].value.startswith("the sweep range needs from <= to")


def test_assumptions_tab_lists_every_input_source(at):
    open_tab(at, "Assumptions")
    table = at.dataframe[0].value
    expected = ui.sources_table(ac.load_preset(DEFAULT), DEFAULT)
    assert table["path"].tolist() == expected["path"].tolist()
    assert any(ui.MODEL_ASSUMPTIONS[0][:40] in md.value for md in at.markdown)
    at.toggle(key="src.only_estimates").set_value(True)
    run(at)
    assert set(at.dataframe[0].value["kind"]) == {"estimate"}


def test_failure_states_tab_follows_the_library(at):
    open_tab(at, "Failure states")
    ev = ac.evaluate(ac.load_preset(DEFAULT))
    states = at.dataframe[0].value
    assert states["probability"].tolist() == pytest.approx(ev.states["probability"].tolist())
    at.number_input(key="outage.min").set_value(120.0)
    run(at)
    impact = ev.backlog_after_outage(120 * 60.0)
    shown = cards(at)
    for card in ui.outage_cards(impact):
        assert shown[card.label].value == card.value


def test_the_url_opens_a_tab_and_keeps_it():
    at = new_app()
    at.query_params["preset"] = "http_scaled_out_2node"
    at.query_params["tab"] = "Sizing"
    run(at)
    assert at.session_state["tab"] == "Sizing"
    sz = ac.size_instances(ac.load_preset("http_scaled_out_2node"), 1)
    assert at.success[0].value.startswith(f"**{sz.instances} instances**")
    at.number_input(key=k("send_host.mttr_h")).set_value(1.0)
    run(at)
    params = {key: v[-1] if isinstance(v, list) else v for key, v in at.query_params.items()}
    assert params == {"preset": "http_scaled_out_2node", "tab": "Sizing", "send_host.mttr_h": "1"}


def test_validation_tab_when_the_library_has_validate(monkeypatch):
    simulation = pytest.importorskip("availcalc.simulation")
    calls = []

    def fake_validate(scenario, **kwargs):
        calls.append((scenario, kwargs))
        return simulation.validate(scenario, **{**kwargs, "replications": 5})

    monkeypatch.setattr(ac, "validate", fake_validate, raising=False)
    at = new_app()
    at.query_params["preset"] = "ordered_send_port"
    at.query_params["tab"] = "Validation"
    run(at)
    assert [t.label for t in at.tabs][-1] == "Validation"
    assert calls == []  # nothing runs until asked
    at.button(key="val.run").click()
    run(at)
    assert calls == [
        (ac.load_preset("ordered_send_port"), {"replications": 10, "seed": 1, "n_jobs": 1})
    ]
    df = at.dataframe[0].value
    assert {"metric", "analytic", "simulated", "agrees"} <= set(df.columns)
    assert any(
        md.value.endswith("metrics agree within the confidence interval.") for md in at.markdown
    )


def test_importance_ranks_on_the_chosen_loss():
    at = new_app()
    at.query_params["preset"] = "http_scaled_out_2node"
    run(at)
    open_tab(at, "Tornado & importance")

    def importance_chart():
        (fig,) = [c for c in charts(at) if "improvement saves" in c["layout"]["title"]["text"]]
        return fig

    # default: the SLA downtime, queueing inputs among the bars
    fig = importance_chart()
    assert fig["layout"]["title"]["text"] == "Which improvement saves the most SLA downtime"
    bars = {y for t in fig["data"] for y in t["y"]}
    s = ac.load_preset("http_scaled_out_2node")
    expected = ac.importance(s, "sla_downtime_min_per_year")
    assert bars == set(expected["label"].where(expected["lever"], expected["label"] + " (demand)"))
    at.selectbox(key="imp.metric").set_value("downtime_min_per_year")
    run(at)
    fig = importance_chart()
    assert fig["layout"]["title"]["text"] == "Which improvement saves the most downtime"
    assert {y for t in fig["data"] for y in t["y"]} == set(ac.importance(s)["label"])


# -- the additions made through the tier kinds ------------------------------------------------
def test_three_node_cluster_and_standby_messagebox(at):
    preset = "e2e_messagebox_sql_fci"
    at.selectbox(key="preset").set_value(preset)
    run(at)
    at.selectbox(key=k("send_host.handler")).set_value("clustered")
    at.number_input(key=k("send_host.instances")).set_value(3)
    run(at)
    s = ac.load_preset(preset).replace(
        **{"send_host.handler": "clustered", "send_host.instances": 3}
    )
    assert_cards_match(at, s)
    at.session_state[k("messagebox.ha")] = "cold_standby"  # the group is collapsed
    run(at)
    s = s.replace(**{"messagebox.ha": "cold_standby"})
    assert_cards_match(at, s)
    open_tab(at, "Failure states")
    ok(at)


def test_nlb_outage_scope_is_a_choice_that_moves_the_numbers(at):
    """Issue 19.2: detection, convergence and what is lost meanwhile are three inputs."""
    scope = ui.input_spec("destination.outage_scope", kind="nlb_pool")
    assert scope.widget == "choice" and scope.choices == ("failed_node", "whole_pool")
    for path in ("destination.detection_s", "destination.convergence_s"):
        assert ui.input_spec(path, kind="nlb_pool").label.endswith("(s)")
    at.selectbox(key="preset").set_value("sharepoint_2x_nlb3")
    run(at)
    base = ac.load_preset("sharepoint_2x_nlb3")
    assert at.session_state[scope.key] == "failed_node"
    assert_cards_match(at, base)
    at.session_state[scope.key] = "whole_pool"
    run(at)
    assert_cards_match(at, base.replace(**{"destination.outage_scope": "whole_pool"}))


def test_nlb_choices_show_readable_names():
    affinity = ui.input_spec("destination.affinity", kind="nlb_pool")
    assert [affinity.format_choice(c) for c in affinity.choices] == [
        "None",
        "Single (the NLB default)",
        "Network",
    ]
    scope = ui.input_spec("destination.outage_scope", kind="nlb_pool")
    assert [scope.format_choice(c) for c in scope.choices] == [
        "the failed node's requests (as documented)",
        "every request (whole pool)",
    ]
