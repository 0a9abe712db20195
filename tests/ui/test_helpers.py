"""Unit tests of the pure UI helpers (availcalc.ui): no Streamlit involved."""

import dataclasses
import io
import json
import math
import urllib.parse

import pandas as pd
import pytest

import availcalc as ac
from availcalc import ui
from availcalc.model.schema import ALTERNATIVE_FIELDS, section_classes
from availcalc.ui.fields import alternative_input, alternative_inputs

PRESETS = ac.presets()


# -- input specs ----------------------------------------------------------------------------------
def test_every_scenario_field_has_exactly_one_input():
    expected = {
        (section, cls.kind, f.name)
        for section, classes in section_classes().items()
        for cls in classes
        for f in dataclasses.fields(cls)
    }
    got = [
        (s.section, s.group.split(".")[1] if "." in s.group else None, s.name)
        for s in ui.input_specs()
    ]
    assert len(got) == len(set(got))
    assert set(got) == expected
    assert len({s.key for s in ui.input_specs()}) == len(got)


@pytest.mark.parametrize("spec", ui.input_specs(), ids=lambda s: s.key)
def test_input_spec_follows_field_spec(spec):
    fs = spec.spec
    assert spec.label.startswith(fs.label)
    if fs.unit:
        assert spec.label.endswith(f"({fs.unit})")
    help_text = spec.help_text()
    assert fs.help in help_text and f"**Source:** {fs.source}" in help_text
    assert "**Source:** preset note" in spec.help_text("preset note")
    if spec.widget in ("int", "float"):
        # the widget bounds admit exactly the valid values (open bounds nudged inside)
        for bound in (spec.min_value, spec.max_value):
            if bound is not None:
                assert fs.admits(bound), (spec.key, bound)
        if fs.low is not None and not fs.low_open:
            assert spec.min_value == fs.low
        if fs.high is not None and not fs.high_open:
            assert spec.max_value == fs.high
        assert spec.step > 0
        if spec.default is not None:
            assert fs.admits(spec.default)
        assert spec.format == ("%d" if spec.widget == "int" else "%g")
    if spec.widget == "choice":
        assert set(spec.choices) == set(fs.choices)
        assert all(spec.format_choice(c) != "" for c in spec.choices)
    assert (spec.placeholder is not None) == spec.optional


def test_optional_inputs_say_what_empty_means():
    assert ui.input_spec("send_host.repair_crews").placeholder == "one crew per instance"
    assert ui.input_spec("messagebox.storage_mttf_h").placeholder == "not modelled"


def test_input_spec_lookup():
    assert ui.input_spec("destination.mttr_h", kind="endpoint").key == (
        "in.destination.endpoint.mttr_h"
    )
    assert ui.input_spec("destination.mttr_h", kind="nlb_pool").key == (
        "in.destination.nlb_pool.mttr_h"
    )
    with pytest.raises(KeyError):
        ui.input_spec("destination.nodes", kind="endpoint")
    with pytest.raises(KeyError):
        ui.input_spec("workload.nope")


def test_groups_follow_the_architecture():
    groups = ui.inputs_by_group()
    assert list(groups) == [
        "workload",
        "send_host",
        "send_port",
        "messagebox",
        "destination.endpoint",
        "destination.nlb_pool",
    ]
    assert sum(len(v) for v in groups.values()) == len(ui.input_specs())


# -- state ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", PRESETS)
def test_state_round_trips_every_preset(name):
    s = ac.load_preset(name)
    state = ui.scenario_to_state(s)
    assert ui.state_to_scenario(state) == s
    assert all(spec.key in state for spec in ui.input_specs())


def test_state_sections_switch_on_with_defaults_and_off_cleanly():
    s = ac.load_preset("msmq_nonclustered_3x").replace(messagebox=None)  # no MessageBox/dest.
    state = ui.scenario_to_state(s)
    state[ui.KEY_MESSAGEBOX_ON] = True
    state[ui.KEY_DESTINATION_KIND] = "nlb_pool"
    on = ui.state_to_scenario(state)
    assert on.messagebox == ac.MessageBox()
    assert on.destination == ac.NLBDestination()
    # inputs of a section switched off are ignored, even invalid ones
    state[ui.KEY_MESSAGEBOX_ON] = False
    state[ui.input_spec("messagebox.capacity_per_s").key] = -5.0
    state[ui.KEY_DESTINATION_KIND] = "endpoint"
    state[ui.input_spec("destination.needed", kind="nlb_pool").key] = 99
    off = ui.state_to_scenario(state)
    assert off.messagebox is None
    assert off.destination == ac.Endpoint()


def test_state_contradictions_raise_scenario_errors_naming_the_input():
    state = ui.scenario_to_state(ac.load_preset("msmq_clustered_active_passive"))
    state[ui.input_spec("send_host.instances").key] = 1
    with pytest.raises(ac.ScenarioError) as err:
        ui.state_to_scenario(state)
    assert ui.format_error(err.value) == (
        "Send host and adapter handler › Host instances: must be >= 2 for a clustered handler "
        "(a failover cluster of one active node and at least one passive); got 1"
    )
    state = ui.scenario_to_state(ac.load_preset("sharepoint_2x_nlb3"))
    state[ui.input_spec("destination.needed", kind="nlb_pool").key] = 4
    with pytest.raises(ac.ScenarioError) as err:
        ui.state_to_scenario(state)
    assert ui.format_error(err.value) == "Destination › Nodes needed: must be <= nodes (3); got 4"


# -- URL query parameters -------------------------------------------------------------------------
@pytest.mark.parametrize("name", PRESETS)
def test_query_of_an_unchanged_preset_is_just_its_name(name):
    s = ac.load_preset(name)
    assert ui.encode_query(s, name) == {"preset": name}
    q = ui.decode_query({"preset": name})
    assert (q.scenario, q.preset, q.errors) == (s, name, [])


MODIFIED = [
    (
        "http_scaled_out_2node_tuned",
        {"workload.arrival_rate_per_s": 123.456, "send_host.instances": 7},
    ),
    ("http_scaled_out_2node_tuned", {"messagebox": None, "destination": None}),
    ("msmq_nonclustered_3x", {"messagebox": {"capacity_per_s": 321.0, "ha": "none"}}),
    ("msmq_nonclustered_3x", {"destination": {"kind": "nlb_pool", "nodes": 5, "needed": 2}}),
    ("sharepoint_2x_nlb3", {"destination": {"kind": "endpoint", "capacity_per_s": 12.5}}),
    ("msmq_clustered_active_passive", {"send_host.coverage": 0.9, "send_host.repair_crews": 1}),
    ("ordered_send_port", {"send_port.ordered_delivery": False, "name": "my tier & co"}),
    (
        "e2e_messagebox_sql_fci",
        {"messagebox.storage_mttf_h": None, "workload.latency_percentile": 0.99},
    ),
    (
        "http_scaled_out_2node",
        {"send_host.throttling_threshold_messages": None, "description": "x=1?"},
    ),
    ("msmq_nonclustered_3x", {"workload.arrival_rate_per_s": 0.1 + 0.2}),  # not a short decimal
]


@pytest.mark.parametrize(("name", "changes"), MODIFIED)
def test_query_round_trips_modified_scenarios_exactly(name, changes):
    s = ac.load_preset(name).replace(**changes)
    params = ui.encode_query(s, name)
    assert all(isinstance(v, str) for v in params.values())
    q = ui.decode_query(params)
    assert q.errors == []
    assert q.scenario == s
    assert q.scenario.to_dict() == s.to_dict()
    # and through a real query string (what the browser's address bar carries)
    parsed = dict(urllib.parse.parse_qsl(ui.query_string(params), keep_blank_values=True))
    assert ui.decode_query(parsed).scenario == s


def test_query_lists_only_what_differs():
    s = ac.load_preset("ordered_send_port").replace(
        **{"send_host.instances": 4, "messagebox": {"capacity_per_s": 500.0}}
    )
    assert ui.encode_query(s, "ordered_send_port") == {
        "preset": "ordered_send_port",
        "messagebox": "on",
        "send_host.instances": "4",
        "messagebox.capacity_per_s": "500",
    }


def test_query_decoding_reports_bad_parameters_and_applies_the_rest():
    q = ui.decode_query(
        {
            "preset": "ordered_send_port",
            "workload.arrival_rate_per_s": "12",
            "send_host.instances": "two",
            "send_host.concurrency": "2.5",
            "send_port.ordered_delivery": "maybe",
            "bogus.field": "1",
            "nosection": "1",
            "destination.nodes": "3",
            "send_host.mttr_h": "-1",
            "availability_target": "0.9999",
        },
        extra_keys=("availability_target",),
    )
    assert q.scenario == ac.load_preset("ordered_send_port").replace(
        **{"workload.arrival_rate_per_s": 12.0}
    )
    assert q.extras == {"availability_target": "0.9999"}
    text = "\n".join(q.errors)
    for fragment in (
        "send_host.instances=two: expected a number",
        "send_host.concurrency=2.5: expected a whole number",
        "send_port.ordered_delivery=maybe: expected true or false",
        "bogus.field: unknown parameter",
        "nosection: unknown parameter",
        "destination.nodes: the destination section is not modelled here",
        "send_host.mttr_h=-1: must be in [1e-09, 1e+15]; got -1",
    ):
        assert fragment in text
    assert len(q.errors) == 7


def test_query_unknown_preset_falls_back_to_the_default():
    q = ui.decode_query({"preset": "nope"})
    assert q.preset == ac.DEFAULT_PRESET
    assert q.scenario == ac.load_preset(ac.DEFAULT_PRESET)
    assert q.errors == [f"preset=nope: unknown preset; showing {ac.DEFAULT_PRESET}"]


def test_query_contradiction_drops_the_named_parameter():
    q = ui.decode_query(
        {
            "preset": "msmq_clustered_active_passive",
            "send_host.instances": "1",
            "workload.arrival_rate_per_s": "50",
        }
    )
    assert q.scenario.send_host.instances == 2
    assert q.scenario.workload.arrival_rate_per_s == 50.0
    assert q.errors == [
        "send_host.instances=1: must be >= 2 for a clustered handler (a failover cluster of one "
        "active node and at least one passive); got 1"
    ]


def test_query_lists_of_values_use_the_last():
    q = ui.decode_query({"preset": ["ordered_send_port"], "send_host.instances": ["2", "4"]})
    assert q.scenario.send_host.instances == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.999", 0.999), ("1", None), ("0", None), ("x", None), (None, None), ("0.5", 0.5)],
)
def test_parse_fraction(text, expected):
    assert ui.parse_fraction(text) == expected


# -- payloads -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", PRESETS)
def test_results_csv_carries_the_library_metrics(name):
    ev = ac.evaluate(ac.load_preset(name))
    metrics = ev.metrics()
    for text in (ui.results_csv(ev), ui.results_csv(ev, metrics)):
        df = pd.read_csv(io.StringIO(text), keep_default_na=False)
        assert list(df.columns) == ["scenario", "metric", "label", "value", "unit"]
        assert df["metric"].tolist() == list(metrics)
        assert set(df["scenario"]) == {name}
        for key, value in zip(df["metric"], df["value"], strict=True):
            expected = metrics[key]
            if isinstance(expected, bool | str):
                assert value == str(expected)
            else:
                assert float(value) == pytest.approx(float(expected), rel=1e-12, abs=0)
        assert df.set_index("metric").loc["capacity_per_s", "unit"] == "msg/s"


def test_results_csv_writes_inf_for_an_overloaded_tier():
    ev = ac.evaluate(ac.load_preset("http_scaled_out_2node"))
    df = pd.read_csv(io.StringIO(ui.results_csv(ev)), keep_default_na=False)
    assert df.set_index("metric").loc["latency_percentile_s", "value"] == "inf"


@pytest.mark.parametrize("name", PRESETS)
def test_scenario_json_payload_round_trips(name):
    s = ac.load_preset(name)
    text = ui.scenario_json(s)
    assert json.loads(text)["name"] == name
    assert ac.scenario_from_json(text) == s
    assert ui.read_scenario(f"{name}.json", text.encode()) == s


def test_read_scenario_toml_and_errors(tmp_path):
    s = ac.load_preset("sharepoint_2x_nlb3")
    path = ac.save_scenario(s, tmp_path / "s.toml")
    assert ui.read_scenario("S.TOML", path.read_bytes()) == s
    with pytest.raises(ac.ScenarioError, match="not valid TOML"):
        ui.read_scenario("s.toml", b"[workload")
    with pytest.raises(ac.ScenarioError, match="not valid JSON"):
        ui.read_scenario("s.json", b"{")
    with pytest.raises(ac.ScenarioError, match=r"send_host\.instances: must be >= 2"):
        ui.read_scenario("s.json", b'{"send_host": {"handler": "clustered", "instances": 1}}')


@pytest.mark.parametrize(
    ("name", "data", "match"),
    [
        ("s.toml", b"a = 1\n" * 50_000, "larger than 262,144 bytes"),
        ("s.json", b" " * 300_000, "larger than 262,144 bytes"),
        ("s.toml", b".".join([b"a"] * 40) + b" = 1", "more than 16 dotted parts"),
        ("s.toml", b"\xef\xbb\xbf[send_host]\ninstances = 0", r"send_host\.instances"),
        ("s.toml", b"\xff\xfe", "not UTF-8"),
    ],
)
def test_uploads_get_the_file_loaders_limits_and_messages(name, data, match):
    """An upload is read like a file (model.io): same size limit, key limit, BOM, messages."""
    with pytest.raises(ac.ScenarioError, match=match):
        ui.read_scenario(name, data)


def test_frame_csv_of_a_sweep():
    s = ac.load_preset("msmq_nonclustered_3x")
    df = ac.sweep(s, {"send_host.instances": [1, 2, 3]})
    back = pd.read_csv(io.StringIO(ui.frame_csv(df)))
    assert back["send_host.instances"].tolist() == [1, 2, 3]
    assert back["capacity_per_s"].tolist() == pytest.approx(df["capacity_per_s"].tolist())


def test_frame_csv_keeps_the_compare_index():
    df = ac.compare(list(ui.handler_variants(ac.load_preset("msmq_nonclustered_3x"))))
    back = pd.read_csv(io.StringIO(ui.frame_csv(df, index=True)), index_col="metric")
    assert back.index.tolist() == df.index.tolist()
    assert float(back.loc["capacity_per_s", "scaled out"]) == pytest.approx(
        df.loc["capacity_per_s", "scaled out"]
    )


def test_file_stem():
    assert ui.file_stem("a b/c") == "a_b_c"
    assert ui.file_stem("...") == "scenario"


# -- formatting -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("p", "text"),
    [
        (0.999, "99.900 %"),
        (0.998974, "99.897 %"),
        (0.9, "90.00 %"),
        (0.99999, "99.99900 %"),
        (0.5, "50.00 %"),
        (0.999999994, "99.999999400 %"),
        (1 - 1e-13, "99.9999999999900 %"),
    ],
)
def test_format_percent_shows_every_nine(p, text):
    assert ui.format_percent(p, nines=True) == text


def test_format_metric_units_and_infinity():
    assert ui.format_metric("downtime_min_per_year", 539.07) == "539 min/yr"
    assert ui.format_metric("latency_one_down_s", math.inf) == "∞ s"
    assert ui.format_metric("utilization", 1.5) == "150 %"
    assert ui.format_metric("utilization", 0.0125) == "1.2 %"
    assert ui.format_metric("stable", True) == "yes"
    assert ui.format_metric("bottleneck", "MessageBox") == "MessageBox"
    assert ui.format_number(None) == "–"
    assert ui.format_number(float("nan")) == "–"


def test_format_error_without_a_path():
    assert ui.format_error(ValueError("plain")) == "plain"
    assert ui.format_error(ac.ScenarioError("", "not valid JSON")) == "not valid JSON"
    assert ui.format_error(ac.ScenarioError("x.y", "bad")) == "x.y: bad"


def test_format_compare_matches_compare():
    c, s = ui.handler_variants(ac.load_preset("msmq_clustered_active_passive"))
    df = ac.compare([c, s], ["clustered", "scaled out"])
    shown = ui.format_compare(df)
    assert list(shown.columns) == ["metric", "clustered", "scaled out"]
    assert len(shown) == len(df)
    row = shown.set_index("metric")
    assert row.loc["Availability", "clustered"] == ui.format_metric(
        "availability", df.loc["availability", "clustered"]
    )
    assert row.loc["Adapter handler", "clustered"] == "clustered"
    assert row.loc["Transactional sends", "scaled out"] == "yes"


# -- headline cards and advisories ----------------------------------------------------------------
@pytest.mark.parametrize("name", PRESETS)
def test_headline_cards_follow_the_library(name):
    ev = ac.evaluate(ac.load_preset(name))
    m = ev.metrics()
    groups = ui.headline_cards(ev, m, 0.999)
    cards = {c.key: c for cards in groups.values() for c in cards}
    assert len(cards) == 12 + int(ev.parts["modelled"].iloc[:3].sum())  # + one per part
    for key in ("send_tier", "messagebox", "destination"):
        down = f"{key}_downtime_min_per_year"
        if down in cards:
            assert cards[down].value == ui.format_metric(down, m[down])
    for key in ("capacity_per_s", "availability", "sla_availability", "latency_percentile_s"):
        assert cards[key].value == ui.format_metric(key, m[key])
    assert cards["latency_percentile_s"].good is m["meets_latency_target"]
    target = ev.scenario.workload.latency_target_s
    assert cards["latency_one_down_s"].good is (m["latency_one_down_s"] <= target)
    assert cards["availability"].good is (m["availability"] >= 0.999)
    lam = ev.scenario.workload.arrival_rate_per_s
    assert cards["max_load_one_down_per_s"].good is (m["max_load_one_down_per_s"] >= lam)
    assert cards["utilization"].good is m["stable"]
    assert {c.color for c in cards.values()} <= {"green", "red", "gray"}


def test_advisories():
    def texts(name, **changes):
        ev = ac.evaluate(ac.load_preset(name).replace(**changes))
        return [(a.level, a.text) for a in ui.advisories(ev, ev.metrics())]

    over = texts("http_scaled_out_2node")
    assert over[0][0] == "warning" and over[0][1].startswith("Overloaded")
    assert any("maxconnection" in t for _, t in over)
    assert any("Enterprise Edition" in t for _, t in texts("msmq_clustered_active_passive"))
    assert any("Planned failovers" in t for _, t in texts("msmq_clustered_active_passive"))
    assert any(
        "messages per year" not in t and "lost" in t for _, t in texts("msmq_nonclustered_3x")
    )
    assert any("Ordered delivery" in t for _, t in texts("ordered_send_port"))
    assert any("Allen–Cunneen" in t for _, t in texts("sharepoint_2x_nlb3"))
    assert texts("http_scaled_out_2node_tuned") == []


def test_outage_cards_follow_the_library():
    ev = ac.evaluate(ac.load_preset("http_scaled_out_2node_tuned"))
    impact = ev.backlog_after_outage(2 * 3600)
    cards = ui.outage_cards(impact)
    assert cards[0].value == f"{ui.format_number(impact.backlog_messages)} msg"
    assert cards[2].good is (not impact.crosses_threshold)
    no_thr = ac.evaluate(
        ac.load_preset("http_scaled_out_2node_tuned").replace(
            **{"send_host.throttling_threshold_messages": None}
        )
    )
    assert ui.outage_cards(no_thr.backlog_after_outage(60))[2].value == "not checked"


def test_results_table_lists_every_metric():
    ev = ac.evaluate(ac.load_preset("ordered_send_port"))
    m = ev.metrics()
    df = ui.results_table(m)
    assert df["key"].tolist() == list(m)
    assert df.set_index("key").loc["nines", "value"] == ui.format_metric("nines", m["nines"])


# -- analysis choices -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", PRESETS)
def test_default_ranges_are_valid_for_every_parameter(name):
    s = ac.load_preset(name)
    cap = ac.evaluate(s).capacity_per_s
    options = ui.parameter_options(s)
    assert "workload.arrival_rate_per_s" in options
    assert ("send_host.instances" in options) == (s.send_host.handler == "scaled_out")
    for path in options:
        lo, hi = ui.default_range(s, path, cap)
        assert lo <= hi, path
        values = ui.sweep_values(s, path, lo, hi, 5)
        assert len(values) >= 1
        for v in (values[0], values[-1]):
            s.replace(**{path: v})  # raises ScenarioError if the range leaves the valid values


def test_sweep_values():
    s = ac.load_preset("msmq_nonclustered_3x")
    assert ui.sweep_values(s, "send_host.instances", 1, 100, 4) == [1, 34, 67, 100]
    assert ui.sweep_values(s, "send_host.instances", 1.2, 3.8, 10) == [2, 3]
    with pytest.raises(ValueError, match="from <= to"):
        ui.sweep_values(s, "send_host.mttr_h", 2, 1, 5)
    with pytest.raises(ValueError, match="at least 2"):
        ui.sweep_values(s, "send_host.mttr_h", 1, 2, 1)
    with pytest.raises(ValueError, match="no whole number"):
        ui.sweep_values(s, "send_host.instances", 1.2, 1.8, 5)


def test_metric_options_are_numeric_metrics():
    opts = ui.metric_options()
    assert "bottleneck" not in opts and "stable" not in opts
    assert opts["downtime_min_per_year"] == "Downtime (min/yr)"
    df = ac.sweep(
        ac.load_preset("ordered_send_port"), {"send_host.mttr_h": [0.5, 1.0]}, include_max_load=True
    )
    for key in opts:
        assert pd.api.types.is_numeric_dtype(df[key]), key


def test_handler_variants_keep_everything_else():
    s = ac.load_preset("http_scaled_out_2node_tuned").replace(**{"send_host.repair_crews": 2})
    c, so = ui.handler_variants(
        s.replace(**{"send_host.instances": 4, "send_host.repair_crews": 4})
    )
    assert (c.send_host.instances, c.send_host.repair_crews) == (2, 2)
    assert (so.send_host.instances, so.send_host.repair_crews) == (4, 4)
    assert c.messagebox == s.messagebox and c.destination == s.destination
    _, so5 = ui.handler_variants(s, 5)
    assert so5.send_host.instances == 5


def test_contour_levels():
    s = ac.load_preset("ordered_send_port")
    assert ui.contour_level("latency_percentile_s", s, 0.99) == s.workload.latency_target_s
    assert ui.contour_level("sla_availability", s, 0.99) == 0.99
    assert ui.contour_level("max_load_per_s", s, 0.99) == s.workload.arrival_rate_per_s
    assert ui.contour_level("capacity_per_s", s, 0.99) is None


# -- assumptions ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", PRESETS)
def test_sources_table_covers_every_field(name):
    s = ac.load_preset(name)
    table = ui.sources_table(s, name)
    data = s.to_dict()
    n_fields = sum(
        len(v) - (1 if "kind" in v else 0) for k, v in data.items() if isinstance(v, dict)
    )
    assert len(table) == n_fields
    assert set(table["kind"]) <= {"documented", "estimate", "model", "other"}
    numeric = ac.preset_sources(name)
    src = table.set_index("path")["source"]
    for path, note in numeric.items():
        assert src[path] == note


def test_sources_table_marks_changed_values():
    s = ac.load_preset("ordered_send_port").replace(**{"send_host.mttr_h": 2.0})
    table = ui.sources_table(s, "ordered_send_port").set_index("path")
    assert table.loc["send_host.mttr_h", "kind"] == "yours"
    assert table.loc["send_host.mttr_h", "source"] == "your value (the preset has 0.69)"
    assert ui.sources_table(s, None).set_index("path").loc["send_host.mttr_h", "kind"] == "estimate"


def test_assumptions_are_sentences():
    assert len(ui.MODEL_ASSUMPTIONS) >= 10 and len(ui.CAVEATS) >= 5
    assert all(a.endswith(".") for a in (*ui.MODEL_ASSUMPTIONS, *ui.CAVEATS))


def test_block_importance_columns_exist():
    df = ac.block_importance(ac.load_preset("msmq_clustered_active_passive"))
    assert set(ui.BLOCK_IMPORTANCE_COLUMNS) <= set(df.columns)


def test_query_updates_leave_kept_parameters_alone():
    assert ui.query_updates({"a": "1"}, {"a": "1"}) == {}
    assert ui.query_updates({"a": "1", "tab": "X"}, {"a": "2"}, keep=("tab",)) == {"a": "2"}
    assert ui.query_updates({"a": "1", "tab": "X"}, {}, keep=()) == {"a": None, "tab": None}


def test_default_ranges_respect_cross_field_rules():
    s = ac.load_preset("sharepoint_2x_nlb3").replace(
        **{"send_host.repair_crews": 2, "destination.repair_crews": 2}
    )
    assert ui.default_range(s, "send_host.instances")[0] == 2
    assert ui.default_range(s, "destination.nodes")[0] == 2
    assert ui.default_range(s, "send_host.repair_crews") == (1, 2)
    for path in ("send_host.instances", "destination.nodes", "destination.needed"):
        lo, hi = ui.default_range(s, path)
        for v in ui.sweep_values(s, path, lo, hi, 50):
            s.replace(**{path: v})


def test_every_metric_formats_with_its_unit():
    for name in ("http_scaled_out_2node", "sharepoint_2x_nlb3"):
        m = ac.evaluate(ac.load_preset(name)).metrics()
        for key, value in m.items():
            text = ui.format_metric(key, value)
            unit = ac.METRICS[key].unit
            if ("availability" in key and key != "unavailability") or key.endswith("_fraction"):
                assert text.endswith(" %"), (key, text)
            elif unit and text != "–":
                assert text.endswith(" " + unit), (key, text)


# -- alternative inputs: the CV of the squared-CV fields (issue 11) -------------------------------
def test_every_alternative_field_gets_an_input_next_to_its_field():
    alts = alternative_inputs()
    assert {a.spec.path for a in alts} == set(ALTERNATIVE_FIELDS)
    for a in alts:
        assert a.target == ui.input_spec(a.field.field_path)
        assert a.spec.group == a.target.group  # drawn in the same input group
        assert a.spec.key == "in." + a.field.path and a.spec.widget == "float"
        assert (a.spec.min_value, a.spec.max_value) == (0.0, 5.0)  # √[0, 25]
        assert a.spec.default == math.sqrt(a.target.default)
        assert a.spec.key not in {s.key for s in ui.input_specs()}  # not a stored input
        assert alternative_input(a.spec.path) is a and alternative_input(a.target.path) is a
        help_text = a.help_text()
        assert a.target.spec.label in help_text and "**Valid:** in [0, 5]" in help_text
    assert alternative_input("send_host.instances") is None


def test_alternative_input_follows_and_sets_the_stored_field():
    alt = alternative_input("send_host.service_scv")
    cv, scv = alt.spec.key, alt.target.key
    state = ui.scenario_to_state(ac.load_preset("sharepoint_2x_nlb3"))  # c²ₛ = 2
    alt.sync(state)
    assert state[cv] == math.sqrt(2.0) and alt.in_step(state)
    assert state[scv] == 2.0  # seeding the CV leaves the stored value exact
    state[cv] = 1.5  # the planner types a CV
    alt.apply(state)
    assert state[scv] == 2.25
    alt.sync(state)
    assert state[cv] == 1.5  # in step: left as typed
    state[scv] = 4.0  # the c²ₛ input, a preset or the URL changed the stored value
    assert not alt.in_step(state)
    alt.sync(state)
    assert state[cv] == 2.0
    state[cv] = None  # an emptied CV input leaves the stored value alone
    alt.apply(state)
    assert state[scv] == 4.0
    assert ui.state_to_scenario(state).send_host.service_scv == 4.0
    state[scv] = None
    alt.sync(state)
    assert state[cv] is None


def test_state_round_trips_exactly_through_the_cv_inputs():
    for name in PRESETS:
        s = ac.load_preset(name)
        state = ui.scenario_to_state(s)
        for alt in alternative_inputs():
            alt.sync(state)
            alt.apply(state)  # as if the shown CV were typed back unchanged
        assert ui.state_to_scenario(state) == s, name


def test_query_accepts_a_cv_and_writes_the_scv():
    q = ui.decode_query({"preset": "sharepoint_2x_nlb3", "send_host.service_cv": "1.5"})
    assert q.errors == []
    assert q.scenario == ac.load_preset("sharepoint_2x_nlb3").replace(
        **{"send_host.service_scv": 2.25}
    )
    params = ui.encode_query(q.scenario, q.preset)
    assert params == {"preset": "sharepoint_2x_nlb3", "send_host.service_scv": "2.25"}
    assert ui.decode_query(params).scenario == q.scenario
    q = ui.decode_query({"workload.arrival_cv": "0.3"})
    assert q.scenario.workload.arrival_scv == 0.09 and q.errors == []


def test_query_cv_errors_drop_only_the_cv():
    base = ac.load_preset("sharepoint_2x_nlb3")
    q = ui.decode_query(
        {"preset": "sharepoint_2x_nlb3", "send_host.service_cv": "7", "send_host.instances": "3"}
    )
    assert q.scenario == base.replace(**{"send_host.instances": 3})
    assert q.errors == ["send_host.service_cv=7: must be in [0, 5]; got 7.0"]
    q = ui.decode_query(
        {"preset": "sharepoint_2x_nlb3", "send_host.service_cv": "2", "send_host.service_scv": "3"}
    )
    assert q.scenario == base.replace(**{"send_host.service_scv": 3.0})  # the stored one wins
    assert len(q.errors) == 1
    assert q.errors[0].startswith(
        "send_host.service_cv=2: give either service_cv or service_scv, not both"
    )
    q = ui.decode_query({"preset": "sharepoint_2x_nlb3", "send_host.service_cv": "lots"})
    assert q.scenario == base
    assert q.errors == ["send_host.service_cv=lots: expected a number; got 'lots' (ignored)"]


def test_query_unknown_parameters_suggest_the_closest():
    q = ui.decode_query({"send_host.service_sv": "2", "workload.arival_cv": "1", "zzz.q": "1"})
    assert q.errors == [
        "send_host.service_sv: unknown parameter (ignored); did you mean send_host.service_scv?",
        "workload.arival_cv: unknown parameter (ignored); did you mean workload.arrival_cv?",
        "zzz.q: unknown parameter (ignored)",
    ]


def test_long_empty_meanings_get_a_short_placeholder():
    # the help states the whole rule; the narrow input shows its gist
    spec = ui.input_spec("send_host.repair_crews")
    assert "(per node for a clustered pair)" in spec.spec.help
    assert spec.placeholder == "one crew per instance"
    assert ui.input_spec("destination.repair_crews", kind="nlb_pool").placeholder == "one per node"
