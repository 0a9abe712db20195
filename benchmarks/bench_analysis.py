"""Speed of the analysis layer: sweeps, tornado, importance, crossovers and figure factories.

Run:  .venv/bin/python benchmarks/bench_analysis.py [--preset NAME] [--full-baseline]

Targets (issue 5): a 1,000-point one-way sweep of a preset < 200 ms; a 50 × 50 grid < 2 s.
The baseline, measured in the same run, is the naive loop that ``sweep`` replaces: one
``evaluate(scenario.replace(...)).metrics()`` per point. By default it is timed on every 20th
point and scaled to the full count (the table says so); ``--full-baseline`` times every point
(about 10 ms × points). Each sweep's rows are also checked against the naive loop's (largest
relative difference over the finite numeric metrics).

Tornado and importance (issue 13 target: tornado >= 20x faster than an ``evaluate`` loop on
every metric) are timed against the loop they replace, measured in the same run and
alternating with it: ``evaluate`` of the base and of every point they look at, one by one
(``--metrics`` limits the tornado table to some metrics; ``--all-presets`` repeats it for every
preset). Each row also gives the largest relative difference between the two. Crossovers and
figures have no target; their time is printed with the number of evaluations they imply and,
as a yardstick, that many naive evaluations.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import plotly
import scipy

import availcalc as ac
from availcalc import figures as F
from availcalc.analysis.common import PATH_METRICS, TEXT_METRICS, metric_value
from availcalc.analysis.importance import (
    _planned_points,
    _queueing_parameters,
    _reliability_parameters,
)


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def naive(scenario: ac.Scenario, points: list[dict[str, Any]]) -> pd.DataFrame:
    rows = []
    for ch in points:
        ev = ac.evaluate(scenario.replace(**ch))
        rows.append({**ch, **ev.metrics(include_max_load=False)})
    return pd.DataFrame(rows)


def max_rel_diff(a: pd.DataFrame, b: pd.DataFrame) -> float:
    worst = 0.0
    for col in ac.METRICS:
        if col not in a or col not in b:
            continue
        if not pd.api.types.is_numeric_dtype(a[col]) or pd.api.types.is_bool_dtype(a[col]):
            continue
        x, y = a[col].to_numpy(dtype=float), b[col].to_numpy(dtype=float)
        ok = np.isfinite(x) & np.isfinite(y)
        if not np.array_equal(np.isfinite(x), np.isfinite(y)):
            return float("inf")
        with np.errstate(divide="ignore", invalid="ignore"):
            d = np.abs(x[ok] - y[ok]) / np.maximum(np.abs(y[ok]), 1e-300)
        if d.size:
            worst = max(worst, float(d.max()))
    return worst


def paired(fa: Callable[[], Any], fb: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Best time of each of two functions, run alternately (the shared machine drifts)."""
    ta, tb = [], []
    for _ in range(repeat):
        for fn, times in ((fa, ta), (fb, tb)):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    return min(ta), min(tb)


def rel_diff(a: list[float], b: list[float]) -> float:
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if not np.array_equal(np.isfinite(x), np.isfinite(y)):
        return float("inf")
    ok = np.isfinite(x)
    d = np.abs(x[ok] - y[ok]) / np.maximum(np.abs(y[ok]), 1e-300)
    return float(d.max()) if d.size else 0.0


def tornado_loop(s: ac.Scenario, metric: str, table: pd.DataFrame) -> list[float]:
    """The baseline: ``evaluate`` at the base and at each end of the table, one by one."""
    out = [metric_value(ac.evaluate(s), metric)]
    for p, lo, hi in zip(table["parameter"], table["low_value"], table["high_value"], strict=True):
        kind = type(s.get(p))
        out += [metric_value(ac.evaluate(s.replace(**{p: kind(v)})), metric) for v in (lo, hi)]
    return out


def tornado_values(table: pd.DataFrame) -> list[float]:
    ends = table[["metric_at_low", "metric_at_high"]].to_numpy(dtype=float).ravel().tolist()
    return [float(table["base_metric"].iloc[0]), *ends]


def importance_points(s: ac.Scenario, metric: str) -> list[tuple[str, Any]]:
    """Every (path, value) :func:`parameter_importance` evaluates (its own plan)."""
    params = _reliability_parameters(s)
    if metric not in PATH_METRICS:
        params += _queueing_parameters(s)
    return [
        (path, v)
        for path, _, direction, _ in params
        for v in _planned_points(s.get(path), direction, 0.10, 1e-4)[0]
    ]


def importance_loop(s: ac.Scenario, metric: str) -> None:
    """The baseline: ``evaluate`` at the base and at every planned point (invalid ones fail)."""
    getattr(ac.evaluate(s), metric)
    for path, v in importance_points(s, metric):
        try:
            moved = s.replace(**{path: v})
        except ac.ScenarioError:
            continue
        getattr(ac.evaluate(moved), metric)


def block_loop(s: ac.Scenario) -> None:
    """The baseline of block_importance: one evaluation and its diagram's importance."""
    ev = ac.evaluate(s)
    ev.system.importance(), ev.downtime_breakdown


def tornado_table(name: str, metrics: list[str], repeat: int) -> None:
    s = ac.load_preset(name)
    print(f"\ntornado(all fields) against an evaluate loop over the same points, preset {name!r}")
    hdr = (
        f"{'metric':46s} {'points':>6s} {'tornado':>9s} {'evaluate loop':>13s} "
        f"{'speed-up':>8s} {'met':>4s} {'max rel diff':>12s}"
    )
    print(hdr)
    print("-" * len(hdr))
    worst = math.inf
    for metric in metrics:
        table = ac.tornado(s, metric)
        base: list[float] = []
        t_ours, t_loop = paired(
            lambda m=metric: ac.tornado(s, m),
            lambda m=metric, t=table, b=base: b.append(tornado_loop(s, m, t)),
            repeat,
        )
        ratio = t_loop / t_ours
        worst = min(worst, ratio)
        print(
            f"{metric:46s} {1 + 2 * len(table):6d} {1e3 * t_ours:7.2f}ms {1e3 * t_loop:11.1f}ms "
            f"{ratio:7.1f}× {'yes' if ratio >= 20 else 'NO':>4s} "
            f"{rel_diff(tornado_values(table), base[-1]):12.1e}"
        )
    print(f"worst speed-up {worst:.1f}× (target >= 20×)")


def importance_table(name: str, repeat: int) -> None:
    s = ac.load_preset(name)
    print(f"\nimportance against an evaluate loop over the same points, preset {name!r}")
    hdr = f"{'call':52s} {'points':>6s} {'ours':>9s} {'evaluate loop':>13s} {'speed-up':>8s}"
    print(hdr)
    print("-" * len(hdr))
    rows: list[tuple[str, int, Callable[[], Any], Callable[[], Any]]] = [
        (
            "parameter_importance()  (path unavailability)",
            1 + len(importance_points(s, "unavailability")),
            lambda: ac.parameter_importance(s),
            lambda: importance_loop(s, "unavailability"),
        ),
        (
            "parameter_importance(SLA downtime)",
            1 + len(importance_points(s, "sla_downtime_min_per_year")),
            lambda: ac.parameter_importance(s, "sla_downtime_min_per_year"),
            lambda: importance_loop(s, "sla_downtime_min_per_year"),
        ),
        ("block_importance()", 1, lambda: ac.block_importance(s), lambda: block_loop(s)),
        (
            "importance()  (parameters + blocks)",
            2 + len(importance_points(s, "unavailability")),
            lambda: ac.importance(s),
            lambda: (importance_loop(s, "unavailability"), block_loop(s)),
        ),
    ]
    for label, n, ours, loop in rows:
        ours()
        t_ours, t_loop = paired(ours, loop, repeat)
        print(
            f"{label:52s} {n:6d} {1e3 * t_ours:7.2f}ms {1e3 * t_loop:11.1f}ms "
            f"{t_loop / t_ours:7.1f}×"
        )


def points_of(params: dict[str, list[Any]], grid: bool) -> list[dict[str, Any]]:
    paths = list(params)
    if grid:
        mesh = np.meshgrid(*[np.asarray(params[p], dtype=object) for p in paths], indexing="ij")
        combos = zip(*(m.ravel() for m in mesh), strict=True)
    else:
        combos = zip(*(params[p] for p in paths), strict=True)
    return [dict(zip(paths, c, strict=True)) for c in combos]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default=ac.DEFAULT_PRESET, help="preset to benchmark")
    parser.add_argument(
        "--full-baseline", action="store_true", help="time the naive loop on every point"
    )
    parser.add_argument("--metrics", nargs="*", help="tornado metrics (default: every one)")
    parser.add_argument(
        "--all-presets", action="store_true", help="tornado and importance on every preset"
    )
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs, best of each")
    args = parser.parse_args()
    s = ac.load_preset(args.preset)
    ev = ac.evaluate(s)
    lam, cap = s.workload.arrival_rate_per_s, ev.capacity_per_s
    stride = 1 if args.full_baseline else 20
    machine = (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"pandas {pd.__version__}, plotly {plotly.__version__}; preset {args.preset!r}"
    )
    print(machine)

    t_eval, _ = best_of(lambda: ac.evaluate(s), 20)
    print(f"one evaluate(): {1e3 * t_eval:.2f} ms (best of 20)\n")

    sweeps = [
        (
            "1,000-pt load sweep (workload.arrival_rate_per_s)",
            {"workload.arrival_rate_per_s": list(np.linspace(0.05 * cap, 1.2 * cap, 1000))},
            False,
            0.2,
        ),
        (
            "1,000-pt reliability sweep (send_host.mttr_h)",
            {"send_host.mttr_h": list(np.geomspace(0.05, 20.0, 1000))},
            False,
            0.2,
        ),
        (
            "50×50 grid load × service time",
            {
                "workload.arrival_rate_per_s": list(np.linspace(0.05 * lam, 3 * lam, 50)),
                "send_host.service_time_s": list(
                    np.linspace(0.5, 2.0, 50) * s.send_host.service_time_s
                ),
            },
            True,
            2.0,
        ),
        (
            "50×50 grid instances × load (heatmap)",
            {
                "send_host.instances": list(range(1, 51)),
                "workload.arrival_rate_per_s": list(np.linspace(0.05 * lam, 3 * lam, 50)),
            },
            True,
            2.0,
        ),
    ]
    if s.send_host.handler == "clustered":
        sweeps = [x for x in sweeps if "instances" not in x[0]]

    rows = []
    for name, params, grid, target in sweeps:
        pts = points_of(params, grid)
        t_ours, df = best_of(lambda p=params, g=grid: ac.sweep(s, p, grid=g), 3)
        sub = pts[::stride]
        t_sub, df_naive = best_of(lambda sub=sub: naive(s, sub), 1)
        t_base = t_sub * len(pts) / len(sub)
        diff = max_rel_diff(df.iloc[::stride].reset_index(drop=True), df_naive)
        rows.append(
            (
                name,
                len(pts),
                t_ours,
                target,
                "yes" if t_ours < target else "NO",
                t_base,
                "measured" if stride == 1 else f"scaled from {len(sub)} pts",
                t_base / t_ours,
                diff,
            )
        )

    hdr = (
        f"{'case':52s} {'points':>6s} {'sweep':>9s} {'target':>7s} {'met':>4s} "
        f"{'naive loop':>11s} {'':22s} {'speed-up':>8s} {'max rel diff':>12s}"
    )
    print(hdr)
    print("-" * len(hdr))
    for name, n, t, tgt, ok, tb, how, ratio, diff in rows:
        print(
            f"{name:52s} {n:6d} {1e3 * t:7.1f}ms {tgt:6.1f}s {ok:>4s} {tb:10.2f}s "
            f"{'(' + how + ')':22s} {ratio:7.1f}× {diff:12.1e}"
        )

    # -- tornado and importance against an evaluate loop (issue 13) ------------------------------
    metrics = args.metrics or [k for k in ac.METRICS if k not in TEXT_METRICS]
    for name in ac.presets() if args.all_presets else [args.preset]:
        tornado_table(name, metrics, args.repeat)
        importance_table(name, args.repeat)

    # -- other analysis functions (no targets) ----------------------------------------------------
    m_clustered = ac.load_preset("msmq_clustered_active_passive")
    others: list[tuple[str, Callable[[], Any], str]] = [
        ("handler_comparison(range(1, 9))", lambda: ac.handler_comparison(s), "9 evaluations"),
        (
            "scaled_out_beats_clustered_at(msmq, 'availability')",
            lambda: ac.scaled_out_beats_clustered_at(m_clustered, "availability"),
            "1 + n evaluations",
        ),
        (
            "failover_time_where_clustering_loses(msmq, n=1)",
            lambda: ac.failover_time_where_clustering_loses(m_clustered, instances=1),
            "Brent root find",
        ),
        ("load_at_latency_target()", lambda: ac.load_at_latency_target(s), "1 evaluation + root"),
    ]
    print()
    hdr2 = f"{'analysis':52s} {'time':>9s}  {'work':22s} {'≈ naive evaluations':>20s}"
    print(hdr2)
    print("-" * len(hdr2))
    for name, fn, work in others:
        fn()
        t, _ = best_of(fn, 3)
        print(f"{name:52s} {1e3 * t:7.1f}ms  {work:22s} {t / t_eval:18.0f}  ")

    # -- figure factories (from precomputed data) -------------------------------------------------
    hc = ac.handler_comparison(s, range(1, 9))
    load = ac.sweep(s, {"workload.arrival_rate_per_s": list(np.linspace(0.05 * cap, cap, 60))})
    heat = ac.sweep(
        s,
        {
            "workload.arrival_rate_per_s": list(np.linspace(0.05 * lam, 3 * lam, 20)),
            "send_host.service_time_s": list(np.linspace(0.5, 2, 20) * s.send_host.service_time_s),
        },
    )
    tor = ac.tornado(s, "sla_downtime_min_per_year")
    imp = ac.importance(s)
    figs = {
        "latency_vs_load": lambda: F.latency_vs_load(load),
        "availability_vs_instances": lambda: F.availability_vs_instances(hc),
        "sla_vs_instances": lambda: F.sla_vs_instances(hc),
        "sla_vs_load": lambda: F.sla_vs_load(load),
        "sensitivity_chart": lambda: F.sensitivity_chart(
            load, "workload.arrival_rate_per_s", "sla_availability"
        ),
        "heatmap (20×20, contour)": lambda: F.heatmap(
            heat,
            "workload.arrival_rate_per_s",
            "send_host.service_time_s",
            "latency_percentile_s",
            contour_at=s.workload.latency_target_s,
        ),
        "tornado_chart": lambda: F.tornado_chart(tor),
        "importance_chart": lambda: F.importance_chart(imp),
        "failure_states_chart": lambda: F.failure_states_chart(ev),
        "topology_diagram": lambda: F.topology_diagram(ev),
    }
    print()
    print(f"{'figure factory':52s} {'build':>9s} {'to_html (inline plotly.js)':>28s}")
    print("-" * 92)
    for name, fn in figs.items():
        fn()
        t, fig = best_of(fn, 3)
        t_html, _ = best_of(lambda fig=fig: fig.to_html(include_plotlyjs=True), 1)
        print(f"{name:52s} {1e3 * t:7.1f}ms {1e3 * t_html:26.1f}ms")


if __name__ == "__main__":
    main()
