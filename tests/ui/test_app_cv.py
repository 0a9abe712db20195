"""The what-if UI under AppTest: the variability inputs can be typed as a CV (issue 11)."""

import math

import availcalc as ac
from availcalc import ui
from availcalc.ui.fields import alternative_input

from .conftest import new_app

SCV = ui.input_spec("send_host.service_scv").key
CV = alternative_input("send_host.service_scv").spec.key
ARRIVAL_SCV = ui.input_spec("workload.arrival_scv").key
ARRIVAL_CV = alternative_input("workload.arrival_scv").spec.key


def run(at):
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def url(at):
    return {k: v[-1] if isinstance(v, list) else v for k, v in at.query_params.items()}


def test_the_cv_inputs_show_under_their_scv_inputs():
    at = new_app()
    at.query_params["preset"] = "sharepoint_2x_nlb3"  # c²ₛ = 2
    run(at)
    keys = [n.key for n in at.number_input]
    assert keys.index(CV) == keys.index(SCV) + 1
    assert keys.index(ARRIVAL_CV) == keys.index(ARRIVAL_SCV) + 1
    assert at.number_input(key=CV).value == math.sqrt(2.0)
    assert at.number_input(key=CV).label == "Service-time variability as CV cₛ"
    assert at.number_input(key=ARRIVAL_CV).value == 1.0
    assert url(at) == {"preset": "sharepoint_2x_nlb3"}  # showing the CV changes nothing


def test_typing_a_cv_sets_the_scv_and_the_share_link():
    at = new_app()
    at.query_params["preset"] = "sharepoint_2x_nlb3"
    run(at)
    at.number_input(key=CV).set_value(1.5)
    run(at)
    assert at.number_input(key=SCV).value == 2.25
    expected = ac.load_preset("sharepoint_2x_nlb3").replace(**{"send_host.service_cv": 1.5})
    assert ui.state_to_scenario(at.session_state) == expected
    assert url(at)["send_host.service_scv"] == "2.25"  # the URL keeps the canonical key
    assert "send_host.service_cv" not in url(at)
    assert ui.decode_query(url(at)).scenario == expected
    # and the other way: typing c²ₛ moves the CV
    at.number_input(key=SCV).set_value(4.0)
    run(at)
    assert at.number_input(key=CV).value == 2.0
    assert url(at)["send_host.service_scv"] == "4"


def test_a_preset_change_moves_the_cv():
    at = new_app()
    run(at)
    at.number_input(key=CV).set_value(3.0)
    run(at)
    at.selectbox(key="preset").set_value("sharepoint_2x_nlb3")
    run(at)
    assert at.number_input(key=SCV).value == 2.0
    assert at.number_input(key=CV).value == math.sqrt(2.0)
    assert ui.state_to_scenario(at.session_state) == ac.load_preset("sharepoint_2x_nlb3")


def test_a_shared_link_may_give_the_cv():
    at = new_app()
    at.query_params["preset"] = "sharepoint_2x_nlb3"
    at.query_params["send_host.service_cv"] = "1.5"
    at.query_params["workload.arrival_cv"] = "0.3"
    run(at)
    assert not at.warning, [w.value for w in at.warning]
    assert at.number_input(key=SCV).value == 2.25
    assert at.number_input(key=CV).value == 1.5
    assert at.number_input(key=ARRIVAL_SCV).value == 0.09
    params = url(at)
    assert "send_host.service_cv" not in params  # rewritten with the canonical keys
    assert (params["send_host.service_scv"], params["workload.arrival_scv"]) == ("2.25", "0.09")


def test_a_bad_cv_in_a_link_is_a_warning_not_a_traceback():
    at = new_app()
    at.query_params["preset"] = "sharepoint_2x_nlb3"
    at.query_params["send_host.service_cv"] = "7"
    at.query_params["send_host.servce_cv"] = "1"
    run(at)
    warnings = [w.value for w in at.warning]
    assert "URL parameter send_host.service_cv=7: must be in [0, 5]; got 7.0" in warnings
    assert any("did you mean send_host.service_cv?" in w for w in warnings)
    assert at.number_input(key=SCV).value == 2.0  # the preset's value stays


def test_an_uploaded_file_with_a_cv_loads():
    at = new_app()
    run(at)
    content = b'{"send_host": {"service_cv": 2}, "workload": {"arrival_cv": 0.5}}'
    at.file_uploader(key="upload").set_value(("cv.json", content, "application/json"))
    run(at)
    assert at.number_input(key=SCV).value == 4.0 and at.number_input(key=CV).value == 2.0
    assert at.number_input(key=ARRIVAL_SCV).value == 0.25
    assert at.number_input(key=ARRIVAL_CV).value == 0.5
