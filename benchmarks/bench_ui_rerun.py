"""Measure the UI's server-side re-render time after a what-if change, on every tab (not a test).

Run ``.venv/bin/python benchmarks/bench_ui_rerun.py [--changes 6] [--tab LABEL ...]``. For every
tab and preset it starts the app under Streamlit's AppTest, opens the tab, then makes what-if
changes (each a new arrival rate, so nothing is cached) and reads the app's own instrumentation
(the "Server time for this run" caption: wall and CPU time of the script run). Prints median and
maximum per tab and preset, then each tab's worst median against the target (≤ 100 ms), and the
load average (timings on a shared machine are only meaningful with it). The Validation tab is
measured as a what-if change leaves it (its simulation runs on a button, not on a change).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
from pathlib import Path

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TARGET_MS = 100
_TIME = re.compile(r"Server time for this run: (\d+) ms \(CPU (\d+) ms\)")


def _server_ms(at) -> tuple[int, int]:
    for c in at.caption:
        hit = _TIME.match(c.value)
        if hit:
            return int(hit.group(1)), int(hit.group(2))
    raise AssertionError("no server-time caption")


def _app(preset: str | None = None):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    if preset is not None:
        at.query_params["preset"] = preset
    at.run()
    assert not at.exception, at.exception
    return at


def tabs() -> list[str]:
    """Return the labels of the app's analysis tabs, in their order."""
    return [t.label for t in _app().tabs]


def measure(preset: str, tab: str, changes: int = 6) -> list[tuple[int, int, float]]:
    """Return (wall ms, CPU ms, AppTest round trip ms) of ``changes`` what-if reruns."""
    at = _app(preset)
    at.session_state["tab"] = tab
    at.run()
    key = "in.workload.arrival_rate_per_s"
    base = at.session_state[key]
    out = []
    for i in range(changes):
        at.number_input(key=key).set_value(round(base * (0.90 + 0.013 * i), 6))
        t = time.perf_counter()
        at.run()
        rt = 1000 * (time.perf_counter() - t)
        assert not at.exception, at.exception
        out.append((*_server_ms(at), rt))
    return out


def main() -> None:
    import availcalc as ac

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=6)
    parser.add_argument("--tab", action="append", help="only this tab (repeatable)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    head = f"{'wall med/max':>14s} {'CPU med/max':>13s} {'round trip':>11s}"
    print(f"{'tab':24s} {'preset':32s} {head}")
    worst: dict[str, tuple[float, float, str]] = {}
    for tab in args.tab or tabs():
        for preset in ac.presets():
            r = measure(preset, tab, args.changes)
            wall, cpu, rt = ([x[i] for x in r] for i in range(3))
            med = statistics.median(wall)
            worst[tab] = max(worst.get(tab, (0.0, 0.0, "")), (med, statistics.median(cpu), preset))
            print(
                f"{tab:24s} {preset:32s} {med:6.0f}/{max(wall):<6.0f} "
                f"{statistics.median(cpu):6.0f}/{max(cpu):<6.0f} {statistics.median(rt):8.0f}"
            )
    print(f"\nworst median wall time per tab, its CPU time (target <= {TARGET_MS} ms):")
    for tab, (med, cpu_med, preset) in worst.items():
        flag = "ok" if med <= TARGET_MS else "OVER"
        print(f"  {tab:24s} {med:6.0f} ms  CPU {cpu_med:4.0f} ms  {flag:4s} ({preset})")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
