"""Static export of the figures (HTML offline; PNG/SVG/PDF through kaleido) and the UI download.

HTML, the errors and the browser lookup need no browser. The PNG/SVG/PDF tests drive a real
chromium through kaleido: they are marked ``browser`` and call ``require_chromium`` (skipped
without one on a workstation, FAILED under CI, where ``.ci/run`` installs chromium).
"""

import importlib.util
import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

import availcalc as ac
from availcalc import ui
from availcalc.figures import export, figure_bytes, save_figure
from tests._browser import in_ci, require_chromium

NO_BROWSER = (
    "static export (PNG/SVG/PDF) needs a Chrome/Chromium browser: apt-get install chromium "
    "(or set BROWSER_PATH); HTML export works without one"
)
NO_KALEIDO = "static export needs kaleido: pip install 'availcalc[export]'"
APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(scope="module")
def fig():
    return ac.figures.topology_diagram(ac.evaluate(ac.load_preset("msmq_clustered_active_passive")))


def require_kaleido():
    if importlib.util.find_spec("kaleido") is None:
        if in_ci():
            pytest.fail("CI must run the export tests, but kaleido is not installed ([export])")
        pytest.skip("kaleido not installed: pip install 'availcalc[export]'")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


# -- HTML: no browser -----------------------------------------------------------------------------
def test_html_export_is_offline_and_holds_the_figure(fig, tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent")  # HTML must not care
    out = save_figure(fig, tmp_path / "topology.html")
    assert out == tmp_path / "topology.html"
    html = out.read_text(encoding="utf-8")
    assert "<html>" in html[:100] and html.rstrip().endswith("</html>")
    assert "plotly.js v" in html and "<script src=" not in html  # plotly.js inline, no CDN
    assert '"name":"blocks"' in html  # the figure's own trace
    assert len(html) > 1_000_000
    assert figure_bytes(fig, "HTML").startswith(html[:15].encode())  # case-insensitive format


def test_html_size_and_explicit_format(fig, tmp_path):
    out = save_figure(fig, tmp_path / "no_extension", format="html", width=800, height=450)
    html = out.read_text(encoding="utf-8")
    assert '<div style="height:450px; width:800px;">' in html
    assert fig.layout.width is None and fig.layout.height == 440  # the caller's figure unchanged
    html = figure_bytes(fig, "html").decode()
    assert '<div style="height:440px; width:100%;">' in html  # layout height, page width
    assert save_figure(fig, tmp_path / "x.htm").read_text(encoding="utf-8").startswith("<")


def test_html_export_does_not_import_kaleido():
    code = (
        "import sys, availcalc as ac; from availcalc.figures import figure_bytes; "
        "import availcalc.figures as F; "
        "f = F.topology_diagram(ac.evaluate(ac.load_preset('msmq_nonclustered_3x'))); "
        "figure_bytes(f, 'html'); print('kaleido' in sys.modules, 'choreographer' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# -- bad input ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "kwargs", "needle"),
    [
        ("x.txt", {}, "cannot export a figure as 'txt' (the extension of '"),
        ("x", {}, "cannot export a figure as ''"),
        ("x.png", {"format": "eps"}, "cannot export a figure as 'eps' (format='eps')"),
        ("x.png", {"scale": 0}, "scale must be a positive number; got 0"),
        ("x.png", {"width": -5}, "width must be a positive number of pixels"),
        ("x.png", {"height": "tall"}, "height must be a positive number of pixels"),
    ],
)
def test_bad_format_or_size_is_a_value_error(fig, tmp_path, path, kwargs, needle):
    with pytest.raises(ValueError) as info:
        save_figure(fig, tmp_path / path, **kwargs)
    assert needle in str(info.value)
    assert not (tmp_path / path).exists()


def test_missing_folder_fails_before_any_rendering(fig, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "_image", lambda *a: pytest.fail("must not render"))
    with pytest.raises(FileNotFoundError, match="no folder"):
        save_figure(fig, tmp_path / "missing" / "x.png")


# -- without kaleido or without a browser: one line -----------------------------------------------
@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_no_browser_is_one_line(fig, tmp_path, monkeypatch, fmt):
    require_kaleido()
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent")
    with pytest.raises(RuntimeError) as info:
        save_figure(fig, tmp_path / f"x.{fmt}")
    assert str(info.value) == NO_BROWSER
    assert info.value.__cause__ is None and info.value.__context__ is None  # no chained dump
    assert not (tmp_path / f"x.{fmt}").exists()


def test_no_browser_found_by_any_lookup(fig, monkeypatch):
    require_kaleido()
    monkeypatch.setattr(export, "_find_browser", lambda: None)
    with pytest.raises(RuntimeError, match=r"^static export \(PNG/SVG/PDF\) needs a Chrome"):
        figure_bytes(fig, "png")


def test_no_kaleido_is_one_line(fig, monkeypatch):
    monkeypatch.setitem(sys.modules, "kaleido", None)  # `import kaleido` raises ImportError
    with pytest.raises(RuntimeError) as info:
        figure_bytes(fig, "svg")
    assert str(info.value) == NO_KALEIDO
    assert info.value.__cause__ is None


def test_a_browser_that_fails_is_one_line(fig, tmp_path, monkeypatch):
    require_kaleido()
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(broken))
    with pytest.raises(RuntimeError) as info:
        figure_bytes(fig, "png")
    message = str(info.value)
    assert message.startswith(f"static export with {broken} failed: ")
    assert "\n" not in message


# -- where the browser comes from -----------------------------------------------------------------
def _executable(tmp_path, name):
    path = tmp_path / name
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


def test_browser_lookup_order(tmp_path, monkeypatch):
    mine, debian = _executable(tmp_path, "mine"), _executable(tmp_path, "debian")
    monkeypatch.setattr(export, "_DEBIAN_CHROMIUM", debian)
    monkeypatch.setenv("BROWSER_PATH", mine)
    assert export._find_browser() == mine  # 1. BROWSER_PATH
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "absent"))
    assert export._find_browser() is None  # an explicit choice is not replaced
    monkeypatch.delenv("BROWSER_PATH")
    assert export._find_browser() == debian  # 2. Debian's chromium
    monkeypatch.setattr(export, "_DEBIAN_CHROMIUM", str(tmp_path / "absent"))
    if importlib.util.find_spec("choreographer") is not None:  # 3. kaleido's own lookup
        from choreographer.browsers.chromium import Chromium

        monkeypatch.setattr(Chromium, "find_browser", classmethod(lambda cls, **kw: "/x/chrome"))
        assert export._find_browser() == "/x/chrome"
        monkeypatch.setattr(Chromium, "find_browser", classmethod(lambda cls, **kw: None))
        assert export._find_browser() is None


# -- PNG, SVG, PDF through a real chromium (run in CI) --------------------------------------------
@pytest.fixture
def chromium(monkeypatch):
    require_kaleido()
    path = require_chromium()
    monkeypatch.setenv("BROWSER_PATH", path)  # the one the test helper found
    return path


@pytest.mark.browser
def test_png_export(fig, tmp_path, chromium):
    out = save_figure(fig, tmp_path / "topology.png")
    data = out.read_bytes()
    # 700 px wide (plotly's default: the layout sets none) by the layout's height, at scale 2
    assert png_size(data) == (2 * 700, 2 * fig.layout.height)
    assert len(data) > 20_000  # boxes and text, not a blank page


@pytest.mark.browser
def test_png_size_and_scale(fig, chromium):
    assert png_size(figure_bytes(fig, "png", width=640, height=360, scale=1)) == (640, 360)


@pytest.mark.browser
def test_svg_export(fig, tmp_path, chromium):
    svg = save_figure(fig, tmp_path / "topology.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert 'width="700"' in svg[:300] and f'height="{fig.layout.height}"' in svg[:300]
    assert "MessageBox" in svg  # the boxes' text is real text, searchable in a report


@pytest.mark.browser
def test_pdf_export(fig, tmp_path, chromium):
    assert save_figure(fig, tmp_path / "topology.pdf").read_bytes()[:5] == b"%PDF-"


# -- the UI: every chart's modebar downloads a named, 2x PNG --------------------------------------
def test_chart_config():
    cfg = ui.chart_config("failure_states_chart", scenario="my scenario / 2")
    assert cfg["toImageButtonOptions"] == {
        "format": "png",
        "filename": "my_scenario_2-failure-states",
        "scale": 2,
    }
    assert cfg["displaylogo"] is False
    assert {"select2d", "lasso2d"} <= set(cfg["modeBarButtonsToRemove"])
    assert ui.chart_config("topology_diagram")["toImageButtonOptions"]["filename"] == "topology"
    svg = ui.chart_config("heatmap", scenario="s", format="svg", scale=1)["toImageButtonOptions"]
    assert svg == {"format": "svg", "filename": "s-heatmap", "scale": 1}
    json.dumps(cfg)  # plain JSON for plotly.js
    with pytest.raises(ValueError, match="format must be one of png, svg, jpeg, webp"):
        ui.chart_config("heatmap", format="pdf")
    with pytest.raises(ValueError, match="scale must be a positive number"):
        ui.chart_config("heatmap", scale=0)


def test_every_chart_in_the_app_downloads_a_named_png():
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["preset"] = "sharepoint_2x_nlb3"
    at.run()
    assert not at.exception, at.exception
    stem = ui.file_stem(ac.load_preset("sharepoint_2x_nlb3").name)
    names = set()
    for tab in [t.label for t in at.tabs]:
        at.session_state["tab"] = tab
        at.run()
        assert not at.exception, at.exception
        for chart in at.get("plotly_chart"):
            cfg = json.loads(chart.proto.config)
            opts = cfg["toImageButtonOptions"]
            assert opts["format"] == "png" and opts["scale"] == 2, tab
            assert opts["filename"].startswith(f"{stem}-"), tab
            assert cfg["displaylogo"] is False
            names.add(opts["filename"].removeprefix(f"{stem}-"))
    st.cache_data.clear()
    assert {"topology", "failure-states", "tornado", "importance", "sla-vs-instances"} <= names


def test_test_helper_sees_the_browser_export_uses():
    # the export's default lookup and the browser tests' agree on Debian's chromium
    if os.environ.get("BROWSER_PATH") or os.environ.get("AVAILCALC_CHROMIUM"):
        pytest.skip("an explicit browser is configured")
    if Path("/usr/bin/chromium").exists():
        assert export._find_browser() == "/usr/bin/chromium"
