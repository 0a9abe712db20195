"""The what-if UI in a real browser: ``streamlit run app.py`` driven by Playwright + chromium.

The browser is Debian's chromium (``/usr/bin/chromium``, or ``AVAILCALC_CHROMIUM``; see
``tests/_browser.py``). Without one these tests skip with one line saying how to enable them; in
CI (``CI=true``, where ``.ci/run`` installs chromium) a missing browser fails them instead.
Screenshots go to ``test-artifacts/``.
"""

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import availcalc as ac
from availcalc import ui
from tests._browser import require_chromium

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 2200}  # tall: Streamlit scrolls inside its own container
TIMEOUT_MS = 45_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.read().strip() == b"ok"
    except OSError:
        return False


@pytest.fixture(scope="module")
def server():
    require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(ARTIFACTS / "streamlit-server.log", "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(APP),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not _healthy(url):
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with {proc.returncode}; see {log.name}")
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not become healthy in 60 s; see {log.name}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    assert not _healthy(url)


@pytest.fixture(scope="module")
def browser(server):
    sync_api = pytest.importorskip("playwright.sync_api")
    sync_api.expect.set_options(timeout=TIMEOUT_MS)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=require_chromium(), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    yield pg
    context.close()


def metric_value(page, label):
    from playwright.sync_api import expect  # noqa: F401 - imported with the fixtures

    card = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    return card.get_by_test_id("stMetricValue")


def expected(scenario, key):
    return ui.format_metric(key, ac.evaluate(scenario).metrics()[key])


_BUSY = (
    "() => !document.querySelector("
    '\'[data-testid="stStatusWidget"], [data-stale="true"], [data-testid="stSkeleton"]\')'
)


def wait_idle(page, settle_checks=3):
    """Wait until Streamlit is idle: no run in progress, no stale or placeholder elements.

    Checked ``settle_checks`` times 200 ms apart, since a rerun may start just after a check.
    """
    for _ in range(settle_checks):
        page.wait_for_function(_BUSY, timeout=TIMEOUT_MS)
        page.wait_for_timeout(200)


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / name))


def test_what_if_change_in_the_browser(server, page):
    from playwright.sync_api import expect

    page.goto(server, wait_until="domcontentloaded")
    s = ac.load_preset(ac.DEFAULT_PRESET)
    expect(metric_value(page, "Capacity")).to_have_text(expected(s, "capacity_per_s"))
    expect(metric_value(page, "Latency p95")).to_have_text(expected(s, "latency_percentile_s"))
    expect(metric_value(page, "Availability")).to_have_text(expected(s, "availability"))
    wait_idle(page)
    shot(page, "01-default.png")

    # a what-if change: triple the load
    rate = page.get_by_role("spinbutton", name="Arrival rate λ (msg/s)", exact=True)
    rate.fill("150")
    rate.press("Enter")
    s2 = s.replace(**{"workload.arrival_rate_per_s": 150.0})
    expect(metric_value(page, "Latency p95")).to_have_text(expected(s2, "latency_percentile_s"))
    expect(metric_value(page, "Utilisation ρ")).to_have_text(expected(s2, "utilization"))
    expect(page).to_have_url(re.compile(r"[?&]workload\.arrival_rate_per_s=150(&|$)"))
    wait_idle(page)
    shot(page, "02-changed-load.png")

    # the URL reproduces the scenario in a new session
    page2 = page.context.new_page()
    page2.goto(page.url, wait_until="domcontentloaded")
    expect(metric_value(page2, "Latency p95")).to_have_text(expected(s2, "latency_percentile_s"))

    # a 3-node failover cluster (one active node) is a scenario of its own
    instances = page2.get_by_role("spinbutton", name="Host instances", exact=True)
    instances.fill("3")
    instances.press("Enter")
    s3 = s2.replace(**{"send_host.instances": 3})
    expect(metric_value(page2, "Capacity")).to_have_text(expected(s3, "capacity_per_s"))
    page2.get_by_role("combobox", name="Adapter handler").click()
    page2.get_by_role("option", name="clustered (active/passive)").click()
    s4 = s3.replace(**{"send_host.handler": "clustered"})
    expect(metric_value(page2, "Capacity")).to_have_text(expected(s4, "capacity_per_s"))
    expect(metric_value(page2, "Availability")).to_have_text(expected(s4, "availability"))

    # a contradictory setting (a cluster of one node) is a message, not a traceback
    instances.fill("1")
    instances.press("Enter")
    err = page2.get_by_test_id("stAlertContentError")
    expect(err).to_contain_text("Host instances: must be ≥ 2 for a clustered handler")
    expect(page2.get_by_test_id("stException")).to_have_count(0)
    expect(page2.get_by_test_id("stMetric")).to_have_count(0)
    wait_idle(page2)
    shot(page2, "03-invalid-input.png")
    page2.close()


def test_standby_messagebox_from_a_share_link(server, page):
    from playwright.sync_api import expect

    preset = "e2e_messagebox_sql_fci"
    page.goto(
        f"{server}/?preset={preset}&messagebox.ha=cold_standby"
        "&messagebox.standby_failure_ratio=0.2&messagebox.mttr_h=300",
        wait_until="domcontentloaded",
    )
    changes = {"messagebox.standby_failure_ratio": 0.2, "messagebox.mttr_h": 300.0}
    s = ac.load_preset(preset).replace(**{"messagebox.ha": "cold_standby", **changes})
    fci = ac.load_preset(preset).replace(**changes)
    # at a 300 h repair the kinds differ on screen (one crew against one per node)
    assert expected(s, "availability") != expected(fci, "availability")
    expect(metric_value(page, "Availability")).to_have_text(expected(s, "availability"))
    expect(metric_value(page, "Capacity")).to_have_text(expected(s, "capacity_per_s"))
    expect(page.get_by_test_id("stException")).to_have_count(0)
    wait_idle(page)
    shot(page, "03b-standby-messagebox.png")


TABS = [
    ("Clustered or scaled out", "04-tab-compare.png"),
    ("Sizing", "05-tab-sizing.png"),
    ("Sensitivity", "06-tab-sensitivity.png"),
    ("Heatmap", "07-tab-heatmap.png"),
    ("Tornado & importance", "08-tab-tornado.png"),
    ("Failure states", "09-tab-failure-states.png"),
    ("Topology", "10-tab-topology.png"),
    ("All results", "11-tab-results.png"),
    ("Assumptions", "12-tab-assumptions.png"),
]


def test_every_tab_renders_in_the_browser(server, page):
    from playwright.sync_api import expect

    s = ac.load_preset("sharepoint_2x_nlb3")
    page.goto(f"{server}/?preset=sharepoint_2x_nlb3", wait_until="domcontentloaded")
    expect(metric_value(page, "Capacity")).to_have_text(expected(s, "capacity_per_s"))
    for tab, name in TABS:
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
        content = page.get_by_role("tabpanel").locator(
            ".js-plotly-plot .main-svg, [data-testid='stDataFrame']"
        )
        expect(content.first).to_be_visible()
        wait_idle(page)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
        shot(page, name)
