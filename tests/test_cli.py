"""The command line: output shapes, overrides, and one-line errors with exit code 2."""

import json

import pytest

from availcalc.cli import main
from availcalc.model.io import save_scenario
from availcalc.model.presets import load_preset, presets


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_presets_lists_every_preset(capsys):
    code, out, _ = run(capsys, "presets")
    assert code == 0
    for name in presets():
        assert name in out


def test_evaluate_table_json_csv(capsys):
    code, out, _ = run(capsys, "evaluate", "msmq_clustered_active_passive")
    assert code == 0 and "availability" in out and "downtime by component" in out
    code, out, _ = run(capsys, "evaluate", "msmq_clustered_active_passive", "--json")
    data = json.loads(out)
    assert data["results"]["bottleneck"] == "MessageBox"
    code, out, _ = run(capsys, "evaluate", "msmq_clustered_active_passive", "--csv")
    assert out.splitlines()[0] == "metric,value,unit,label,group"


def test_set_overrides_and_files(capsys, tmp_path):
    path = save_scenario(load_preset("msmq_nonclustered_3x"), tmp_path / "s.toml")
    code, out, _ = run(capsys, "evaluate", str(path), "--set", "send_host.instances=5", "--json")
    assert code == 0
    assert json.loads(out)["scenario"]["send_host"]["instances"] == 5
    code, out, _ = run(
        capsys,
        "evaluate",
        "msmq_nonclustered_3x",
        "--set",
        "send_host.handler=clustered",
        "--set",
        "send_host.instances=2",
        "--json",
    )
    assert json.loads(out)["scenario"]["send_host"]["handler"] == "clustered"


def test_compare_and_size(capsys):
    code, out, _ = run(capsys, "compare", "msmq_clustered_active_passive", "msmq_nonclustered_3x")
    assert code == 0 and "sla_availability" in out
    code, out, _ = run(capsys, "size", "http_scaled_out_2node", "--instances-down", "1")
    assert code == 0 and out.startswith("instances: 5")
    code, out, _ = run(capsys, "size", "http_scaled_out_2node", "--json")
    assert json.loads(out)["instances"] == 5


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["evaluate", "nope"], "neither a preset"),
        (
            ["evaluate", "msmq_nonclustered_3x", "--set", "send_host.instances=0"],
            "send_host.instances",
        ),
        (["evaluate", "msmq_nonclustered_3x", "--set", "oops"], "--set expects"),
        (["evaluate", "/does/not/exist.json"], "No such file"),
        (["size", "msmq_nonclustered_3x", "--instances-down", "x"], "invalid int"),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
    ],
)
def test_bad_input_is_one_line_exit_2(capsys, argv, needle):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and needle in err
