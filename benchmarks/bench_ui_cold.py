"""Measure the UI's cold first render against a hello-world Streamlit app (not a test).

Run ``.venv/bin/python benchmarks/bench_ui_cold.py [--repeats 5] [--app PATH]`` (``--app``:
another copy of the app, e.g. an older checkout, with ``PYTHONPATH`` at its package). Each
measurement is a fresh Python process that imports Streamlit's AppTest, loads the script and runs
it once: the time a first visitor waits for the server, imports included (the process start
itself is left out). Three scripts, interleaved so that a busy moment of the shared machine
hits them alike:

* ``hello`` — ``st.write("hello")``: the baseline (Streamlit and its test harness alone);
* ``floor`` — the same, after importing the libraries availcalc's model layers import at module
  level (numpy, pandas, scipy.special, scipy.sparse.linalg and csgraph): what no first page of
  this app can go below without changing those layers;
* ``app`` — ``app.py`` with its default scenario and tab.

Prints the best of ``--repeats`` runs of each, the ratios app/hello (target ≤ 1.5) and
app/floor, the modules the app's first render loaded that it should not need, and the load
average (timings on a shared machine are only meaningful with it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app.py"
SCRIPTS = {
    "hello": 'import streamlit as st\n\nst.write("hello")\n',
    "floor": (
        "import numpy, pandas, scipy.sparse.csgraph, scipy.sparse.linalg, scipy.special\n"
        'import streamlit as st\n\nst.write("hello")\n'
    ),
}
#: Loaded by no part of the first page: their presence means an eager import crept back.
UNNEEDED = ("scipy.stats", "simpy", "availcalc.simulation")
_CHILD = """
import json, sys, time
t0 = time.perf_counter()
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=120)
at.run()
t = time.perf_counter() - t0
assert not at.exception, at.exception
print(json.dumps({"s": t, "loaded": [m for m in sys.argv[2:] if m in sys.modules]}))
"""


def cold_run(script: Path) -> dict:
    """Return the seconds of one cold first render of ``script`` and the unneeded modules."""
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(script), *UNNEEDED],
        capture_output=True,
        text=True,
        check=True,
        cwd=script.parent,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--app", type=Path, default=APP)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        paths = {name: Path(tmp, f"{name}.py") for name in SCRIPTS}
        for name, path in paths.items():
            path.write_text(SCRIPTS[name])
        paths["app"] = args.app.resolve()
        runs: dict[str, list[dict]] = {name: [] for name in paths}
        for _ in range(args.repeats):
            for name, path in paths.items():
                runs[name].append(cold_run(path))
    best = {name: min(r["s"] for r in rs) for name, rs in runs.items()}
    for name, rs in runs.items():
        times = " ".join(f"{r['s']:.3f}" for r in rs)
        print(f"{name:6s} best {best[name]:.3f} s   (runs: {times})")
    print(f"app / hello = {best['app'] / best['hello']:.2f}x   (target <= 1.5x)")
    print(f"app / floor = {best['app'] / best['floor']:.2f}x   floor / hello = "
          f"{best['floor'] / best['hello']:.2f}x")  # fmt: skip
    loaded = sorted({m for r in runs["app"] for m in r["loaded"]})
    print(f"unneeded modules loaded by the first render: {loaded or 'none'}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
