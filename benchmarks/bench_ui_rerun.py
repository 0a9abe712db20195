"""Measure the UI's server-side re-render time after a what-if change (not a test).

Run ``.venv/bin/python benchmarks/bench_ui_rerun.py``. For every preset it starts the app under
Streamlit's AppTest, then makes what-if changes (each a new scenario, so nothing is cached) and
reads the app's own instrumentation (the "Server time for this run" caption: wall and CPU time
of the script run). Prints median and maximum per preset, for the default tab and for the
lightest tab, and the load average (timings on a shared machine are only meaningful with it).
"""

from __future__ import annotations

import os
import re
import statistics
import time
from pathlib import Path

APP = str(Path(__file__).resolve().parents[1] / "app.py")
_TIME = re.compile(r"Server time for this run: (\d+) ms \(CPU (\d+) ms\)")


def _server_ms(at) -> tuple[int, int]:
    for c in at.caption:
        hit = _TIME.match(c.value)
        if hit:
            return int(hit.group(1)), int(hit.group(2))
    raise AssertionError("no server-time caption")


def measure(preset: str, tab: str, changes: int = 6) -> list[tuple[int, int, float]]:
    """Return (wall ms, CPU ms, AppTest round trip ms) of ``changes`` what-if reruns."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["preset"] = preset
    at.run()
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

    print(f"load average before: {os.getloadavg()}")
    print(
        f"{'preset':32s} {'tab':24s} {'wall med/max':>14s} {'CPU med/max':>13s} {'round trip':>11s}"
    )
    for tab in ("Clustered or scaled out", "All results"):
        for preset in ac.presets():
            r = measure(preset, tab)
            wall, cpu, rt = ([x[i] for x in r] for i in range(3))
            print(
                f"{preset:32s} {tab:24s} {statistics.median(wall):6.0f}/{max(wall):<6.0f} "
                f"{statistics.median(cpu):6.0f}/{max(cpu):<6.0f} {statistics.median(rt):8.0f}"
            )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
