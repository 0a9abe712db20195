"""Scenario schema, files and presets: validation, lossless round trips, fuzzing."""

import dataclasses
import json
import math
import typing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from availcalc.model.io import load_scenario, save_scenario, scenario_from_json, scenario_to_json
from availcalc.model.presets import load_preset, preset_descriptions, preset_sources, presets
from availcalc.model.schema import (
    Endpoint,
    NLBDestination,
    Scenario,
    ScenarioError,
    numeric_fields,
    section_classes,
)

REQUIRED_PRESETS = {
    "http_scaled_out_2node",
    "msmq_clustered_active_passive",
    "msmq_nonclustered_3x",
    "sharepoint_2x_nlb3",
    "e2e_messagebox_sql_fci",
}


def test_presets_cover_the_seed_topologies():
    assert REQUIRED_PRESETS <= set(presets())
    descriptions = preset_descriptions()
    for name in presets():
        assert 20 < len(descriptions[name]) < 200
        assert load_preset(name).name == name


@pytest.mark.parametrize("name", presets())
def test_every_preset_field_has_a_source(name):
    sources = preset_sources(name)
    assert set(sources) == set(numeric_fields(load_preset(name)))
    for path, text in sources.items():
        assert text.split(":")[0].split(" ")[0] in {"documented", "estimate", "model"}, path


@pytest.mark.parametrize("name", presets())
@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_files_round_trip_losslessly(tmp_path, name, suffix):
    scenario = load_preset(name)
    path = save_scenario(scenario, tmp_path / f"s{suffix}")
    assert load_scenario(path) == scenario
    assert scenario_from_json(scenario_to_json(scenario)) == scenario


def test_optional_fields_default_to_none():
    # TOML has no null: leaving a key out must mean None, so None must be every such default.
    for classes in section_classes().values():
        for cls in classes:
            hints = typing.get_type_hints(cls)
            for f in dataclasses.fields(cls):
                if type(None) in typing.get_args(hints[f.name]):
                    assert f.default is None, f"{cls.__name__}.{f.name}"


def test_replace_uses_dotted_paths_and_validates():
    s = load_preset("http_scaled_out_2node_tuned")
    t = s.replace(**{"send_host.instances": 4, "workload.arrival_rate_per_s": 80})
    assert (t.send_host.instances, t.workload.arrival_rate_per_s) == (4, 80.0)
    assert s.send_host.instances == 2  # frozen: the original is unchanged
    assert s.replace(messagebox=None).messagebox is None
    nlb = s.replace(destination={"kind": "nlb_pool", "nodes": 4})
    assert isinstance(nlb.destination, NLBDestination) and nlb.destination.nodes == 4
    assert nlb.get("destination.nodes") == 4
    with pytest.raises(ScenarioError, match=r"send_host\.instancez: unknown field"):
        s.replace(**{"send_host.instancez": 3})
    with pytest.raises(
        ScenarioError, match=r"send_host\.instances: must be in \[1, 10000\]; got 0"
    ):
        s.replace(**{"send_host.instances": 0})
    with pytest.raises(ScenarioError, match="not modelled"):
        s.replace(messagebox=None).replace(**{"messagebox.capacity_per_s": 5})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"workload": {"arrival_rate_per_s": -1}},
            r"workload\.arrival_rate_per_s: must be in \[1e-09, 1e\+09\]",
        ),
        ({"workload": {"arrival_rate_per_s": "fast"}}, r"arrival_rate_per_s: must be a number"),
        (
            {"workload": {"arrival_rate_per_s": math.nan}},
            r"arrival_rate_per_s: must be in \[1e-09, 1e\+09\]; got nan",
        ),
        (
            {"workload": {"arrival_rate_per_s": math.inf}},
            r"arrival_rate_per_s: must be in \[1e-09, 1e\+09\]; got inf",
        ),
        ({"workload": {"latency_percentile": 1.0}}, r"latency_percentile: must be in \(0, 1\)"),
        ({"send_host": {"instances": 2.5}}, r"send_host\.instances: must be a whole number"),
        ({"send_host": {"instances": True}}, r"send_host\.instances: must be a number"),
        ({"send_host": {"handler": "active"}}, r"send_host\.handler: must be one of"),
        ({"send_host": {"coverage": 1.5}}, r"send_host\.coverage: must be in \[0, 1\]"),
        (
            {"send_host": {"handler": "clustered", "instances": 1}},
            r"send_host\.instances: must be >= 2 for a clustered handler",
        ),
        ({"send_host": {"repair_crews": 5}}, r"send_host\.repair_crews: must be <= instances"),
        ({"destination": {"kind": "nlb"}}, r"destination\.kind: must be one of"),
        ({"destination": {"kind": "nlb_pool", "needed": 4}}, r"destination\.needed: must be <="),
        ({"destination": {"kind": "endpoint", "nodes": 4}}, r"destination\.nodes: unknown"),
        ({"messagebox": {"ha": "always_on"}}, r"messagebox\.ha: must be one of"),
        ({"messagebox": 5}, r"messagebox: must be a mapping"),
        ({"sendhost": {}}, r"sendhost: unknown field"),
        ({"workload": None}, r"workload: is required"),
        ([1, 2], r"a scenario must be a mapping"),
    ],
)
def test_invalid_scenarios_name_the_field(data, message):
    with pytest.raises(ScenarioError, match=message):
        Scenario.from_dict(data)


def test_endpoint_is_the_default_destination_kind_in_dict_form():
    s = Scenario.from_dict({"destination": {"kind": "endpoint", "availability": 0.99}})
    assert isinstance(s.destination, Endpoint)
    assert s.to_dict()["destination"]["kind"] == "endpoint"


def test_malformed_files_give_clear_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ScenarioError, match=r"not valid JSON: .*line 1"):
        load_scenario(bad)
    bad = tmp_path / "bad.toml"
    bad.write_text("[workload\n")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        load_scenario(bad)
    with pytest.raises(ValueError, match=r"path must end in \.json or \.toml"):
        load_scenario(tmp_path / "x.yaml")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from(
    [
        "workload",
        "send_host",
        "send_port",
        "messagebox",
        "destination",
        "name",
        "kind",
        "instances",
        "arrival_rate_per_s",
        "handler",
        "nodes",
        "needed",
        "availability",
        "service_scv",
        "service_cv",  # alternative inputs: exactly one of each pair
        "arrival_cv",
    ]
)


@given(
    st.dictionaries(
        field_names,
        json_values | st.dictionaries(field_names, json_values, max_size=5),
        max_size=6,
    )
)
def test_loader_fuzz_only_raises_validation_errors(data):
    try:
        Scenario.from_dict(data)
    except ScenarioError:
        pass


def _all_paths():
    full = load_preset("sharepoint_2x_nlb3").replace(messagebox={"capacity_per_s": 100.0}).to_dict()
    return [(sec, key) for sec, body in full.items() if isinstance(body, dict) for key in body]


@given(
    st.sampled_from(presets()),
    st.lists(st.tuples(st.sampled_from(_all_paths()), json_values), min_size=1, max_size=3),
)
def test_loader_fuzz_mutating_real_scenarios(name, mutations):
    data = load_preset(name).to_dict()
    for (sec, key), value in mutations:
        if not isinstance(data.get(sec), dict):
            data[sec] = {"kind": "nlb_pool"} if sec == "destination" else {}
        data[sec][key] = value
    try:
        Scenario.from_dict(data)
    except ScenarioError:
        pass


@given(st.binary(max_size=200))
def test_json_loader_fuzz_on_raw_bytes(raw):
    try:
        scenario_from_json(raw)
    except ScenarioError:
        pass


def test_json_document_is_plain_data():
    doc = json.loads(scenario_to_json(load_preset("sharepoint_2x_nlb3")))
    assert doc["destination"]["kind"] == "nlb_pool"
    assert doc["messagebox"] is None
