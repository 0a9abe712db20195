"""Time the UI's validation button (``validate``, 10 replications) against the old code.

Run ``.venv/bin/python benchmarks/bench_validation.py [--preset NAME ...] [--repeat 7]``. For
each preset (default: the one the UI starts on) it times the call the Validation tab makes,
``validate(scenario, replications=10, seed=1, n_jobs=1)`` with the default effort (1000 years,
20 000 messages), and the same call with the simulation's inner steps swapped for the versions
before issue 13, kept below as local baselines (a script a person runs, not a test):

* ``merge_unique``: the step functions put on one grid with ``np.unique`` (a full sort of
  already sorted streams) and one ``searchsorted`` per stream;
* ``hours_in_unique``: the hours per failure configuration grouped with ``np.unique(axis=0)``
  (an argsort of the rows as structured values);
* ``fcfs_heap``: the multi-server FCFS station one customer at a time through a heap;
* ``StreamBuffered``: the buffered draws of the event loops as a class with ``__call__``.

Both runs alternate, best of ``--repeat``; the script checks that they return the same table,
to the bit, and prints the time, the ratio and the target (≤ 0.3 s), with the load average
(the machine is shared: trust the ratio more than the times).
"""

from __future__ import annotations

import argparse
import contextlib
import heapq
import os
import time
from collections.abc import Iterator

import numpy as np
import pandas as pd

import availcalc as ac
from availcalc.simulation import failure, queue, scenario_sim

TARGET_S = 0.3


def merge_unique(trajectories):
    """Baseline: the grid as ``np.unique`` of every change time, values by ``searchsorted``."""
    horizon = trajectories[0].horizon
    grid = np.unique(np.concatenate([tr.times for tr in trajectories]))
    dur = np.diff(np.append(grid, horizon))
    vals = [tr.values[np.searchsorted(tr.times, grid, side="right") - 1] for tr in trajectories]
    return grid, dur, vals


def hours_in_unique(dur, *codes):
    """Baseline: hours per combination of codes by ``np.unique`` (``axis=0`` for several)."""
    if len(codes) == 1:
        rows, inv = np.unique(codes[0], return_inverse=True)
        cols = (rows,)
    else:
        rows, inv = np.unique(np.stack(codes, axis=1), axis=0, return_inverse=True)
        cols = tuple(rows.T)
    return cols, np.bincount(inv.ravel(), weights=dur, minlength=len(rows))


def fcfs_heap(arrivals, service, servers):
    """Baseline: Kiefer–Wolfowitz for every customer through a heap (Lindley for 1 server)."""
    n = arrivals.size
    if servers >= n:
        return arrivals + service
    if servers == 1:
        c = np.cumsum(service)
        return c + np.maximum.accumulate(arrivals - (c - service))
    free = [0.0] * servers
    out = np.empty(n)
    for i, (a, s) in enumerate(zip(arrivals.tolist(), service.tolist(), strict=True)):
        f = free[0]
        d = (a if a > f else f) + s
        heapq.heapreplace(free, d)
        out[i] = d
    return out


class StreamBuffered:
    """Baseline: buffered draws from one distribution, a method call per draw."""

    def __init__(self, rng, dist):
        self.rng, self.dist = rng, dist
        self.buf = []

    def __call__(self):
        if not self.buf:
            self.buf = self.dist.sample(self.rng, 1024).tolist()[::-1]
        return self.buf.pop()


_BASELINES = {
    (scenario_sim, "merge"): merge_unique,
    (failure, "merge"): merge_unique,  # NLB pools merge their node count and convergence
    (scenario_sim, "_hours_in"): hours_in_unique,
    (queue, "_fcfs_departures"): fcfs_heap,
    (failure, "_stream"): StreamBuffered,
}


@contextlib.contextmanager
def baseline() -> Iterator[None]:
    """Run the simulation with the baselines in place of the current steps."""
    saved = {where: getattr(*where) for where in _BASELINES}
    for (module, name), fn in _BASELINES.items():
        setattr(module, name, fn)
    try:
        yield
    finally:
        for (module, name), fn in saved.items():
            setattr(module, name, fn)


def ui_validate(scenario: ac.Scenario) -> pd.DataFrame:
    """The Validation tab's call (``app.py``: ``validate``)."""
    return ac.validate(scenario, replications=10, seed=1, n_jobs=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", action="append", help="preset (repeatable); default: the UI's")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    print(
        f"{'preset':34s} {'now [s]':>8s} {'before [s]':>10s} {'ratio':>6s}  target ≤ {TARGET_S} s"
    )
    for name in args.preset or [ac.DEFAULT_PRESET]:
        s = ac.load_preset(name)
        now = ui_validate(s)
        with baseline():
            before = ui_validate(s)
        pd.testing.assert_frame_equal(now, before, check_exact=True)  # same numbers, to the bit
        times: dict[str, list[float]] = {"now": [], "before": []}
        for _ in range(args.repeat):
            for key in times:
                with baseline() if key == "before" else contextlib.nullcontext():
                    t = time.perf_counter()
                    ui_validate(s)
                    times[key].append(time.perf_counter() - t)
        t_now, t_before = min(times["now"]), min(times["before"])
        verdict = "met" if t_now <= TARGET_S else "MISSED"
        print(f"{name:34s} {t_now:8.3f} {t_before:10.3f} {t_before / t_now:5.1f}×  {verdict}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
