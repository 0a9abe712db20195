"""Benchmark of the sending-tier model (issue 4 targets) and of sweeps (issue 5 targets).

Run: ``.venv/bin/python benchmarks/bench_model.py``. Prints, for every preset, the time of one
``evaluate`` (target < 50 ms), of ``size_instances`` (target < 0.5 s), of a 1,000-point load
sweep (target < 200 ms) and of a 50 × 50 instances × load grid (target < 2 s), each with the
ratio against a baseline measured in the same run: the naive loop that calls ``evaluate`` once
per point (timed on a subset and scaled).
"""

from __future__ import annotations

import platform
import time

import numpy as np

from availcalc import evaluate, load_preset, presets, size_instances, sweep


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


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


if __name__ == "__main__":
    main()
