"""Benchmark of the sending-tier model (issue 4 targets) and of sweeps (issue 5 targets).

Run: ``.venv/bin/python benchmarks/bench_model.py``. Prints, for every preset, the time of one
``evaluate`` (target < 50 ms), of ``size_instances`` (target < 0.5 s), of a 1,000-point load
sweep (target < 200 ms) and of a 50 × 50 instances × load grid (target < 2 s), each with the
ratio against a baseline measured in the same run: the naive loop that calls ``evaluate`` once
per point (timed on a subset and scaled).

Then ``size_instances`` (issue 13 targets: never slower than a linear walk, <= 1 ms when the
answer is small) against the linear walk it replaces, measured in the same run and alternating
with it: ``evaluate`` at k + 1, k + 2, ... instances until the latency target holds with k
down. The load (and, when it grows, the MessageBox and destination capacities with it) is
scaled so that the answer is 1, 2, 5, 20 and 100 instances (k = 1; 1 with k = 0). The walk
ends with the evaluation at the answer, which ``size_instances`` computes on first use: the
"+ evaluation" column times the sizing with ``.evaluation`` read.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from availcalc import Scenario, evaluate, load_preset, presets, size_instances, sweep


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def paired(fa: Callable[[], Any], fb: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Best time of each of two functions, run alternately (the shared machine drifts)."""
    ta, tb = [], []
    for _ in range(repeat):
        for fn, times in ((fa, ta), (fb, tb)):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
    return min(ta), min(tb)


def walk(s: Scenario, k: int) -> int | None:
    """The baseline: evaluate k + 1, k + 2, ... instances until the latency target holds."""
    for n in range(k + 1, 10_001):
        changes: dict[str, Any] = {"send_host.instances": n}
        if s.send_host.repair_crews is not None and s.send_host.repair_crews > n:
            changes["send_host.repair_crews"] = n
        if evaluate(s.replace(**changes)).latency_with_instances_down(k) <= (
            s.workload.latency_target_s
        ):
            return n
    return None


def scaled(s: Scenario, f: float) -> Scenario:
    """The scenario with its load × f, and the other stages' capacities × max(f, 1)."""
    changes: dict[str, Any] = {"workload.arrival_rate_per_s": s.workload.arrival_rate_per_s * f}
    for path in (
        "messagebox.capacity_per_s",
        "destination.capacity_per_node_per_s",
        "destination.capacity_per_s",
    ):
        sec, _, name = path.partition(".")
        value = getattr(getattr(s, sec), name, None) if getattr(s, sec) is not None else None
        if value is not None:
            changes[path] = value * max(f, 1.0)
    return s.replace(**changes)


def with_answer(s: Scenario, k: int, answer: int) -> Scenario | None:
    """The scenario scaled (:func:`scaled`) so that the sizing answer is ``answer``, or None.

    None when no scale gives that answer (an ordered port sends one message at a time).
    """
    lo, hi = 1e-4, 1e4
    for _ in range(80):
        f = (lo * hi) ** 0.5
        moved = scaled(s, f)
        n = size_instances(moved, instances_down=k).instances
        if n == answer:
            return moved
        if n is None or n > answer:
            hi = f
        else:
            lo = f
    return None


def sizing_table() -> None:
    print("\nsize_instances against a linear walk of evaluate (same run, alternating)")
    header = (
        f"{'preset':32s} {'k':>2s} {'answer':>6s} {'size':>9s} {'+ evaluation':>13s} "
        f"{'walk':>9s} {'walk/size':>9s} {'walk/(size+ev)':>14s}"
    )
    print(header)
    print("-" * len(header))
    worst, worst_small = float("inf"), 0.0
    for name in presets():
        base = load_preset(name)
        if not base.send_host.handler_kind.instances_add_capacity:
            continue  # a clustered pair has one size: nothing to search
        for k, answer in ((0, 1), (1, 2), (1, 5), (1, 20), (1, 100)):
            s = with_answer(base, k, answer)
            if s is None:
                print(f"{name:32s} {k:2d} {answer:6d}   (no scale gives this answer)")
                continue
            repeat = 5 if answer <= 20 else 2
            t_size, t_walk = paired(
                lambda s=s, k=k: size_instances(s, instances_down=k),
                lambda s=s, k=k: walk(s, k),
                repeat,
            )
            t_full = best_of(
                lambda s=s, k=k: size_instances(s, instances_down=k).evaluation, repeat
            )
            worst = min(worst, t_walk / t_size)
            if answer <= 2:
                worst_small = max(worst_small, t_size)
            print(
                f"{name:32s} {k:2d} {answer:6d} {t_size * 1e3:7.2f}ms {t_full * 1e3:11.2f}ms "
                f"{t_walk * 1e3:7.1f}ms {t_walk / t_size:8.1f}× {t_walk / t_full:13.1f}×"
            )
    print(
        f"\nworst walk/size {worst:.2f}× (target >= 1×); worst size at answers 1-2 "
        f"{worst_small * 1e3:.2f} ms (target <= 1 ms)"
    )


def main() -> None:
    print(f"python {platform.python_version()}, {platform.machine()}")
    header = (
        f"{'preset':32s} {'evaluate':>9s} {'size':>8s} {'1000 load':>10s} {'naive':>8s}"
        f" {'ratio':>6s} {'50x50 grid':>11s} {'naive':>8s} {'ratio':>6s}"
    )
    print(header)
    print("-" * len(header))
    worst = {"evaluate": 0.0, "size": 0.0, "load": 0.0, "grid": 0.0}
    for name in presets():
        s = load_preset(name)
        lam = s.workload.arrival_rate_per_s
        evaluate(s)  # warm caches and imports
        t_eval = best_of(lambda s=s: evaluate(s), 10)
        t_size = best_of(lambda s=s: size_instances(s, instances_down=1), 3)

        loads = np.linspace(0.1 * lam, 2.0 * lam, 1000)
        t_load = best_of(
            lambda s=s, loads=loads: sweep(s, {"workload.arrival_rate_per_s": loads}), 3
        )
        sub = loads[::50]  # naive baseline on 20 points, scaled to 1000
        t_naive_load = best_of(
            lambda s=s, sub=sub: [
                evaluate(s.replace(**{"workload.arrival_rate_per_s": x})).metrics(False)
                for x in sub
            ],
            1,
        ) * (1000 / len(sub))

        inst = [2] * 50 if s.send_host.handler == "clustered" else list(range(1, 51))
        grid = {"send_host.instances": inst, "workload.arrival_rate_per_s": loads[::20]}
        t_grid = best_of(lambda s=s, grid=grid: sweep(s, grid), 1)
        pts = [(n, x) for n in inst[::10] for x in loads[::200]]  # 25 points, scaled to 2500
        t_naive_grid = best_of(
            lambda s=s, pts=pts: [
                evaluate(
                    s.replace(**{"send_host.instances": n, "workload.arrival_rate_per_s": x})
                ).metrics(False)
                for n, x in pts
            ],
            1,
        ) * (2500 / len(pts))
        print(
            f"{name:32s} {t_eval * 1e3:7.1f}ms {t_size * 1e3:6.0f}ms {t_load * 1e3:8.0f}ms"
            f" {t_naive_load:7.2f}s {t_naive_load / t_load:5.0f}x {t_grid * 1e3:9.0f}ms"
            f" {t_naive_grid:7.1f}s {t_naive_grid / t_grid:5.0f}x"
        )
        worst["evaluate"] = max(worst["evaluate"], t_eval)
        worst["size"] = max(worst["size"], t_size)
        worst["load"] = max(worst["load"], t_load)
        worst["grid"] = max(worst["grid"], t_grid)
    print()
    targets = {"evaluate": 0.050, "size": 0.5, "load": 0.200, "grid": 2.0}
    for key, value in worst.items():
        verdict = "meets" if value < targets[key] else "MISSES"
        print(
            f"worst {key:8s} {value * 1e3:8.1f} ms  target < {targets[key] * 1e3:.0f} ms: {verdict}"
        )
    sizing_table()


if __name__ == "__main__":
    main()
