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


# -- plot ------------------------------------------------------------------------------------------
def test_plot_writes_html_without_a_browser(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent")  # HTML needs none
    out_file = tmp_path / "states.html"
    code, out, err = run(
        capsys,
        "plot",
        "msmq_nonclustered_3x",
        "states",
        "-o",
        str(out_file),
        "--set",
        "send_host.instances=4",
    )
    assert code == 0 and err == ""
    assert out == f"wrote {out_file} ({out_file.stat().st_size} bytes)\n"
    html = out_file.read_text(encoding="utf-8")
    assert "<html>" in html[:100] and "plotly-graph-div" in html
    assert "0 of 4 up" in html and "3 of 3 up" not in html  # the override reached the figure


@pytest.mark.parametrize("figure", ["topology", "load", "instances", "sizing", "importance"])
def test_plot_every_figure_as_html(capsys, tmp_path, figure):
    out_file = tmp_path / f"{figure}.html"
    code, out, _ = run(capsys, "plot", "http_scaled_out_2node", figure, "-o", str(out_file))
    assert code == 0 and out.startswith(f"wrote {out_file} (")
    assert out_file.stat().st_size > 1_000_000  # plotly.js inline


def test_plot_tornado_metric_and_sizing_target(capsys, tmp_path):
    code, _, _ = run(
        capsys,
        "plot",
        "http_scaled_out_2node",
        "tornado",
        "--metric",
        "availability",
        "-o",
        str(tmp_path / "t.html"),
    )
    assert code == 0
    assert "Sensitivity of availability" in (tmp_path / "t.html").read_text(encoding="utf-8")
    code, _, _ = run(
        capsys,
        "plot",
        "http_scaled_out_2node",
        "sizing",
        "--availability-target",
        "0.9995",
        "-o",
        str(tmp_path / "s.html"),
    )
    assert code == 0
    assert "0.9995" in (tmp_path / "s.html").read_text(encoding="utf-8")  # the target line


def test_plot_importance_on_the_path_or_the_sla_downtime(capsys, tmp_path):
    for metric, title in [
        (None, "Which improvement saves the most SLA downtime"),
        ("downtime_min_per_year", "Which improvement saves the most downtime"),
    ]:
        extra = [] if metric is None else ["--metric", metric]
        out_file = tmp_path / "i.html"
        code, _, _ = run(
            capsys, "plot", "http_scaled_out_2node", "importance", *extra, "-o", str(out_file)
        )
        assert code == 0 and title in out_file.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["plot", "msmq_nonclustered_3x", "pie", "-o", "x.html"], "invalid choice: 'pie'"),
        (["plot", "msmq_nonclustered_3x", "states"], "-o/--output"),
        (["plot", "msmq_nonclustered_3x", "states", "-o", "x.txt"], "cannot export a figure"),
        (["plot", "nope", "states", "-o", "x.html"], "neither a preset"),
        (["plot", "msmq_nonclustered_3x", "states", "-o", "/no/such/dir/x.html"], "no folder"),
        (
            ["plot", "msmq_nonclustered_3x", "states", "--metric", "nines", "-o", "x.html"],
            "--metric applies to the tornado and importance",
        ),
        (
            ["plot", "msmq_nonclustered_3x", "importance", "--metric", "p95", "-o", "x.html"],
            "metric must be one of",
        ),
        (
            ["plot", "msmq_nonclustered_3x", "tornado", "--metric", "nope", "-o", "x.html"],
            "metric must be one of",
        ),
        (
            ["plot", "msmq_nonclustered_3x", "states", "--set", "send_host.instances=0", "-o", "x"],
            "send_host.instances",
        ),
    ],
)
def test_plot_bad_input_is_one_line_exit_2(capsys, tmp_path, monkeypatch, argv, needle):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and needle in err
    assert not (tmp_path / "x.html").exists()


def test_plot_png_without_a_browser_is_one_line(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent")
    code, out, err = run(
        capsys, "plot", "msmq_nonclustered_3x", "topology", "-o", str(tmp_path / "t.png")
    )
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith("error: static export")  # no browser (or, without kaleido, no kaleido)
    assert "pip install 'availcalc[export]'" in err or "needs a Chrome/Chromium browser" in err
    assert not (tmp_path / "t.png").exists()


@pytest.mark.browser
def test_plot_png_and_svg(capsys, tmp_path, monkeypatch):
    from tests._browser import require_chromium

    pytest.importorskip("kaleido")
    monkeypatch.setenv("BROWSER_PATH", require_chromium())
    png = tmp_path / "topology.png"
    code, out, _ = run(capsys, "plot", "msmq_clustered_active_passive", "topology", "-o", str(png))
    assert code == 0 and out == f"wrote {png} ({png.stat().st_size} bytes)\n"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = tmp_path / "tornado.svg"
    code, out, _ = run(
        capsys, "plot", "msmq_clustered_active_passive", "tornado", "-o", str(svg), "--width", "900"
    )
    assert code == 0 and svg.read_text(encoding="utf-8").startswith("<svg")
    assert 'width="900"' in svg.read_text(encoding="utf-8")[:300]


def test_validate_table_numbers_its_notes_below_it(capsys):
    code, out, _ = run(
        capsys, "validate", "sharepoint_2x_nlb3", "--replications", "3", "--years", "5"
    )
    assert code == 0
    _head, table, *rest = out.split("\n\n")
    notes = [line for line in "\n\n".join(rest).splitlines() if line.startswith("[")]
    assert notes and notes[0].startswith("[1] ")
    # the table stays as narrow as its numbers: every note is a marker in it
    assert max(len(line) for line in table.splitlines()) < 140
    for i in range(1, len(notes) + 1):
        assert f"[{i}]" in table
    code, out, _ = run(
        capsys, "validate", "sharepoint_2x_nlb3", "--replications", "3", "--years", "5", "--csv"
    )
    assert "own stream: every event in full" in out  # machine formats keep the sentences
