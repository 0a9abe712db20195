"""Coefficient-of-variation inputs (service_cv, arrival_cv) and did-you-mean suggestions."""

import json

import pytest

import availcalc as ac
from availcalc.cli import main


def test_cv_is_stored_as_its_square():
    s = ac.Scenario.from_dict({"send_host": {"service_cv": 1.5}, "workload": {"arrival_cv": 2}})
    assert s.send_host.service_scv == 2.25 and s.workload.arrival_scv == 4.0
    assert s.send_host.service_cv == 1.5 and s.workload.arrival_cv == 2.0
    assert "service_cv" not in s.to_dict()["send_host"]  # the file keeps the canonical SCV
    assert s.replace(**{"send_host.service_cv": 0.5}).send_host.service_scv == 0.25


def test_both_members_of_a_pair_are_refused():
    with pytest.raises(ValueError, match=r"send_host\.service_cv: give either service_cv or"):
        ac.Scenario.from_dict({"send_host": {"service_cv": 1.5, "service_scv": 2}})
    s = ac.load_preset("sharepoint_2x_nlb3")
    with pytest.raises(ValueError, match="not both"):
        s.replace(**{"send_host.service_cv": 2, "send_host.service_scv": 3})


def test_cv_range_errors_speak_of_the_cv():
    with pytest.raises(ValueError, match=r"send_host\.service_cv: must be in \[0, 5\]; got 7"):
        ac.Scenario.from_dict({"send_host": {"service_cv": 7}})
    with pytest.raises(ValueError, match=r"workload\.arrival_cv: must be a number"):
        ac.Scenario.from_dict({"workload": {"arrival_cv": "high"}})


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_round_trip_after_a_cv_input(tmp_path, suffix):
    s = ac.Scenario.from_dict({"send_host": {"service_cv": 1.5}})
    path = tmp_path / f"s{suffix}"
    ac.save_scenario(s, path)
    assert ac.load_scenario(path) == s


def test_cli_set_accepts_a_cv(capsys):
    args = ["evaluate", "sharepoint_2x_nlb3", "--set", "send_host.service_cv=2", "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scenario"]["send_host"]["service_scv"] == 4.0


def test_unknown_names_suggest_the_closest():
    with pytest.raises(ValueError, match="did you mean 'service_scv'"):
        ac.Scenario.from_dict({"send_host": {"service_sv": 2}})
    with pytest.raises(ValueError, match="did you mean 'send_host'"):
        ac.Scenario.from_dict({"sendhost": {}})
    with pytest.raises(ValueError, match="did you mean 'mttr_h'"):
        ac.load_preset("sharepoint_2x_nlb3").replace(**{"send_host.mtr_h": 1})
    with pytest.raises(ValueError, match=r"unknown field 'zzz'; expected one of"):
        ac.Scenario.from_dict({"send_host": {"zzz": 1}})
