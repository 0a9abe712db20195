"""Coefficient-of-variation inputs (service_cv, arrival_cv) and did-you-mean suggestions."""

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import availcalc as ac
from availcalc.analysis import sweep
from availcalc.cli import main
from availcalc.model.reference import scenario_reference_markdown
from availcalc.model.schema import ALTERNATIVE_FIELDS, ScenarioError

PAIRS = [("send_host", "service_cv", "service_scv"), ("workload", "arrival_cv", "arrival_scv")]


# -- the table ------------------------------------------------------------------------------------
def test_the_table_lists_both_pairs_and_their_cv_ranges():
    assert set(ALTERNATIVE_FIELDS) == {"send_host.service_cv", "workload.arrival_cv"}
    for sec, name, field in PAIRS:
        alt = ALTERNATIVE_FIELDS[f"{sec}.{name}"]
        assert (alt.section, alt.name, alt.field, alt.field_path) == (
            sec,
            name,
            field,
            f"{sec}.{field}",
        )
        stored = alt.field_spec
        assert (stored.low, stored.high) == (0.0, 25.0)
        assert (alt.spec.low, alt.spec.high) == (0.0, 5.0)  # √ of the stored range
        assert alt.spec.range_text() == "in [0, 5]"


@pytest.mark.parametrize(("sec", "name", "field"), PAIRS)
def test_the_stored_fields_help_documents_the_alternative(sec, name, field):
    alt = ALTERNATIVE_FIELDS[f"{sec}.{name}"]
    help_text = alt.field_spec.help
    assert name in help_text and "not both" in help_text
    assert alt.spec.range_text() in help_text  # the range quoted is the one enforced
    assert name in scenario_reference_markdown()  # and so in docs/scenario.md


# -- conversion -----------------------------------------------------------------------------------
def test_cv_is_stored_as_its_square():
    s = ac.Scenario.from_dict({"send_host": {"service_cv": 1.5}, "workload": {"arrival_cv": 2}})
    assert s.send_host.service_scv == 2.25 and s.workload.arrival_scv == 4.0
    assert s.send_host.service_cv == 1.5 and s.workload.arrival_cv == 2.0
    assert "service_cv" not in s.to_dict()["send_host"]  # the file keeps the canonical SCV
    assert s.replace(**{"send_host.service_cv": 0.5}).send_host.service_scv == 0.25
    assert ac.Scenario.from_dict({"send_host": {"service_cv": 0}}).send_host.service_scv == 0.0
    assert ac.Scenario.from_dict({"send_host": {"service_cv": 5}}).send_host.service_scv == 25.0


def test_decimal_cvs_give_the_scv_a_planner_would_write():
    # 0.3² is 0.09000000000000001 in floating point; the stored SCV is 0.09
    assert ac.Scenario.from_dict({"send_host": {"service_cv": 0.3}}).send_host.service_scv == 0.09
    assert (
        ac.Scenario.from_dict({"workload": {"arrival_cv": math.sqrt(2)}}).workload.arrival_scv
        == 2.0
    )


@given(st.floats(0.0, 25.0))
def test_reading_the_cv_back_changes_the_scv_by_less_than_its_rounding(scv):
    # cv² is rounded to 15 significant digits: at most 5 units of the 16th digit
    s = ac.Scenario().replace(**{"send_host.service_scv": scv})
    t = s.replace(**{"send_host.service_cv": s.send_host.service_cv})
    assert t.send_host.service_scv == pytest.approx(scv, rel=6e-15, abs=1e-300)


def test_every_preset_reads_back_exactly_through_its_cvs():
    for name in ac.presets():
        s = ac.load_preset(name)
        t = s.replace(
            **{
                "send_host.service_cv": s.send_host.service_cv,
                "workload.arrival_cv": s.workload.arrival_cv,
            }
        )
        assert t == s, name


# -- one of each pair -----------------------------------------------------------------------------
def test_both_members_of_a_pair_are_refused():
    with pytest.raises(
        ScenarioError, match=r"^send_host\.service_cv: give either service_cv or service_scv"
    ):
        ac.Scenario.from_dict({"send_host": {"service_cv": 1.5, "service_scv": 2}})
    with pytest.raises(ScenarioError, match=r"^workload\.arrival_cv: .*arrival_scv, not both"):
        ac.Scenario.from_dict({"workload": {"arrival_scv": 2, "arrival_cv": 1.5}})
    s = ac.load_preset("sharepoint_2x_nlb3")
    for changes in (
        {"send_host.service_cv": 2, "send_host.service_scv": 3},
        {"send_host.service_scv": 3, "send_host.service_cv": 2},
    ):
        with pytest.raises(ScenarioError, match=r"^send_host\.service_cv: .*not both") as info:
            s.replace(**changes)
        assert isinstance(info.value, ValueError) and info.value.path == "send_host.service_cv"
    with pytest.raises(ScenarioError, match="not both"):
        s.replace(send_host={"service_cv": 2, "service_scv": 4})


def test_one_member_in_a_replace_replaces_the_other():
    s = ac.load_preset("sharepoint_2x_nlb3")  # service_scv = 2
    assert s.replace(**{"send_host.service_cv": 1}).send_host.service_scv == 1.0
    assert s.replace(send_host={"service_cv": 3}).send_host.service_scv == 9.0
    # a whole section, then one field of it, in one call: the field applies
    t = s.replace(send_host={"instances": 3}, **{"send_host.service_cv": 2})
    assert (t.send_host.instances, t.send_host.service_scv) == (3, 4.0)


# -- range and type errors in the user's terms ----------------------------------------------------
RANGE = r"must be in \[0, 5\]"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"send_host": {"service_cv": 7}}, rf"^send_host\.service_cv: {RANGE}; got 7$"),
        ({"send_host": {"service_cv": -0.5}}, rf"^send_host\.service_cv: {RANGE}; got -0\.5$"),
        ({"workload": {"arrival_cv": 5.5}}, rf"^workload\.arrival_cv: {RANGE}; got 5\.5$"),
        ({"workload": {"arrival_cv": math.nan}}, rf"^workload\.arrival_cv: {RANGE}"),
        ({"workload": {"arrival_cv": "high"}}, r"^workload\.arrival_cv: must be a number"),
        ({"workload": {"arrival_cv": True}}, r"^workload\.arrival_cv: must be a number"),
        ({"send_host": {"service_cv": None}}, r"^send_host\.service_cv: is required"),
    ],
)
def test_cv_errors_speak_of_the_cv(data, message):
    with pytest.raises(ScenarioError, match=message):
        ac.Scenario.from_dict(data)


def test_replace_errors_speak_of_the_cv():
    s = ac.Scenario()
    with pytest.raises(ScenarioError, match=r"^send_host\.service_cv: must be in \[0, 5\]; got 7$"):
        s.replace(**{"send_host.service_cv": 7})


# -- files ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_round_trip_after_a_cv_input(tmp_path, suffix):
    s = ac.Scenario.from_dict({"send_host": {"service_cv": 1.5}, "workload": {"arrival_cv": 0.7}})
    path = tmp_path / f"s{suffix}"
    ac.save_scenario(s, path)
    text = path.read_text(encoding="utf-8")
    assert "service_scv" in text and "service_cv" not in text and "arrival_cv" not in text
    assert ac.load_scenario(path) == s


def test_files_may_give_the_cv(tmp_path):
    toml = tmp_path / "s.toml"
    toml.write_text("[send_host]\nservice_cv = 2.0\n[workload]\narrival_cv = 0.5\n")
    s = ac.load_scenario(toml)
    assert (s.send_host.service_scv, s.workload.arrival_scv) == (4.0, 0.25)
    js = tmp_path / "s.json"
    js.write_text(json.dumps({"send_host": {"service_cv": 2.0}}))
    assert ac.load_scenario(js).send_host.service_scv == 4.0
    js.write_text(json.dumps({"send_host": {"service_cv": 2.0, "service_scv": 4.0}}))
    with pytest.raises(ScenarioError, match=r"^send_host\.service_cv: give either"):
        ac.load_scenario(js)
    toml.write_text("[send_host]\nservice_cv = 9\n")
    with pytest.raises(ScenarioError, match=r"^send_host\.service_cv: must be in \[0, 5\]; got 9$"):
        ac.load_scenario(toml)


# -- get, check_values, sweeps --------------------------------------------------------------------
def test_get_and_check_values_know_the_cv():
    s = ac.load_preset("sharepoint_2x_nlb3")
    assert s.get("send_host.service_cv") == math.sqrt(2.0)
    assert s.get("workload.arrival_cv") == 1.0
    assert s.check_values("send_host.service_cv", [0, 1.5, 5]).tolist() == [0.0, 1.5, 5.0]
    with pytest.raises(ScenarioError, match=r"^send_host\.service_cv: must be in \[0, 5\]; got 6$"):
        s.check_values("send_host.service_cv", [1, 6])


def test_a_sweep_over_the_cv_is_a_sweep_over_its_square():
    s = ac.load_preset("sharepoint_2x_nlb3")
    by_cv = sweep(s, {"send_host.service_cv": [0.5, 1.0, 2.0]})
    by_scv = sweep(s, {"send_host.service_scv": [0.25, 1.0, 4.0]})
    cols = ["capacity_per_s", "latency_percentile_s", "availability"]
    assert by_cv[cols].to_numpy().tolist() == by_scv[cols].to_numpy().tolist()


# -- did you mean ---------------------------------------------------------------------------------
def test_unknown_names_suggest_the_closest():
    with pytest.raises(
        ScenarioError,
        match=r"^send_host\.service_sv: unknown field 'service_sv'; did you mean 'service_scv'\? "
        r"expected one of .*service_cv, service_scv",
    ):
        ac.Scenario.from_dict({"send_host": {"service_sv": 2}})
    with pytest.raises(ScenarioError, match=r"^sendhost: .*did you mean 'send_host'\?"):
        ac.Scenario.from_dict({"sendhost": {}})
    with pytest.raises(ScenarioError, match=r"^workload\.arival_cv: .*did you mean 'arrival_cv'\?"):
        ac.Scenario.from_dict({"workload": {"arival_cv": 1}})  # the alternatives are valid names
    with pytest.raises(
        ScenarioError, match=r"^send_host\.zzz: unknown field 'zzz'; expected one of"
    ):
        ac.Scenario.from_dict({"send_host": {"zzz": 1}})


def test_unknown_paths_suggest_the_closest_everywhere():
    s = ac.load_preset("sharepoint_2x_nlb3")
    mean = r": .*did you mean"
    cases = [
        (lambda: s.replace(**{"send_host.mtr_h": 1}), rf"^send_host\.mtr_h{mean} 'mttr_h'\?"),
        (lambda: s.replace(**{"sendhost.mttr_h": 1}), rf"^sendhost\.mttr_h{mean} 'send_host'"),
        (lambda: s.replace(desciption="x"), rf"^desciption{mean} 'description'\?"),
        (lambda: s.get("send_host.servce_cv"), rf"^send_host\.servce_cv{mean} 'service_cv'\?"),
        (lambda: s.get("workload.arrival_rate"), r"did you mean 'arrival_rate_per_s'\?"),
        (lambda: s.get("destination.node"), rf"^destination\.node{mean} 'nodes'\?"),
        (lambda: s.get("worklod"), rf"^worklod{mean} 'workload'\?"),
        (lambda: s.check_values("send_host.instaces", [1]), r"did you mean 'instances'\?"),
        (lambda: s.check_values("sendhost.instances", [1]), r"did you mean 'send_host'\?"),
    ]
    for call, message in cases:
        with pytest.raises(ScenarioError, match=message):
            call()


def test_get_names_what_is_not_there():
    s = ac.load_preset("sharepoint_2x_nlb3")  # no MessageBox
    with pytest.raises(ScenarioError, match=r"^messagebox\.mttf_h: section 'messagebox' is not"):
        s.get("messagebox.mttf_h")
    with pytest.raises(ScenarioError, match=r"^send_host\.handler: is not a numeric field"):
        s.check_values("send_host.handler", ["clustered"])
    assert s.get("send_host.active_instances") == 2  # properties still read


# -- the CLI --------------------------------------------------------------------------------------
def test_cli_set_accepts_a_cv(capsys):
    args = ["evaluate", "sharepoint_2x_nlb3", "--set", "send_host.service_cv=2", "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scenario"]["send_host"]["service_scv"] == 4.0
    assert "service_cv" not in data["scenario"]["send_host"]


@pytest.mark.parametrize(
    ("sets", "needle"),
    [
        (["send_host.service_cv=7"], "error: send_host.service_cv: must be in [0, 5]; got 7"),
        (
            ["send_host.service_cv=2", "send_host.service_scv=4"],
            "error: send_host.service_cv: give either service_cv or service_scv, not both",
        ),
        (["send_host.service_sv=2"], "did you mean 'service_scv'?"),
    ],
)
def test_cli_cv_errors_are_one_line(capsys, sets, needle):
    argv = ["evaluate", "sharepoint_2x_nlb3"] + [x for s in sets for x in ("--set", s)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err and len(err.strip().splitlines()) == 1


# -- issue 11 point 3: the repair-crew rule -------------------------------------------------------
def test_repair_crew_help_states_the_one_rule():
    help_text = ac.Scenario().send_host.__dataclass_fields__["repair_crews"].metadata["spec"].help
    assert (
        "empty = one repair crew per instance (per node for a clustered pair), so clustered "
        "and scaled-out compare like for like" in help_text
    )
