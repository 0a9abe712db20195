"""Simulation peers: availcalc.simulation against Ciw, SimPy and `reliability`, measured in one run.

Run it in an environment that has the peers (it installs nothing; missing peers are skipped):

    python3 -m venv /work/bench-venv
    /work/bench-venv/bin/pip install -e /work/main ciw simpy reliability mpmath \
        pyworkforce line-solver
    /work/bench-venv/bin/python benchmarks/bench_peers.py [--quick] [--write]

It prints (and with --write stores in benchmarks/results_simulation.md):

1. speed on the same batch: an M/M/1 -> M/M/40 tandem (the MessageBox + send stage of the
   default preset), N messages, simulated by availcalc (exact FCFS recursions), Ciw, and a
   textbook SimPy process model; ratio = peer time / availcalc time;
2. accuracy against mpmath: the exact mean sojourn (Erlang C at 50 digits) and the exact
   unavailability of the MessageBox failover-cluster CTMC (50-digit linear solve), against
   each simulator's estimate with its 95 % interval;
3. the largest problem each handles in a fixed wall-clock budget (messages through an M/M/c
   with c = 1000; simulated years of a 2-node cluster).

The analytic peers (pyworkforce, line-solver) are compared in results_queueing.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import math
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

from availcalc import ActivePassive
from availcalc.simulation import Distribution, Station, monte_carlo_availability, simulate_queue
from availcalc.simulation._stats import t_interval

HERE = Path(__file__).resolve().parent


def have(name):
    try:
        importlib.import_module(name)
        return True
    except Exception:
        return False


def best(fn, repeat=3):
    times = []
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


# ------------------------------------------------------------------ exact references (mpmath)
def mp_mmc_mean_response(lam, mu, c):
    import mpmath as mp

    mp.mp.dps = 50
    a = mp.mpf(lam) / mu
    b = mp.mpf(1)
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    rho = a / c
    cc = b / (1 - rho * (1 - b))
    return cc / (c * mu - lam) + mp.mpf(1) / mu


def mp_ap_unavailability(block):
    import mpmath as mp

    mp.mp.dps = 50
    q = block.chain.rates.toarray()
    n = q.shape[0]
    m = mp.matrix(n, n)
    for i in range(n):
        for j in range(n):
            if i != j:
                m[i, j] = mp.mpf(q[i, j])
        m[i, i] = -mp.fsum(mp.mpf(q[i, j]) for j in range(n) if j != i)
    a = m.T
    for j in range(n):
        a[n - 1, j] = 1
    rhs = mp.matrix(n, 1)
    rhs[n - 1] = 1
    pi = mp.lu_solve(a, rhs)
    return float(mp.fsum(pi[i] for i in range(n) if not block.chain.up[i]))


# ------------------------------------------------------------------ the batch in each simulator
LAM, MB, MU, C = 40.0, 600.0, 1 / 0.15, 40


def run_availcalc(n, seed):
    st = [
        Station(Distribution.exponential(1 / MB), 1),
        Station(Distribution.exponential(1 / MU), C),
    ]
    return simulate_queue(LAM, st, messages=n, replications=2, seed=seed, n_jobs=1, warmup=0.1)


def run_ciw(n, seed):
    import ciw

    net = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(LAM), None],
        service_distributions=[ciw.dists.Exponential(MB), ciw.dists.Exponential(MU)],
        number_of_servers=[1, C],
        routing=[[0.0, 1.0], [0.0, 0.0]],
    )
    ciw.seed(seed)
    sim = ciw.Simulation(net)
    sim.simulate_until_max_customers(n, method="Finish")
    recs = sim.get_all_records()
    first, last = {}, {}
    for r in recs:
        if r.node == 1:
            first[r.id_number] = r.arrival_date
        else:
            last[r.id_number] = r.exit_date
    lat = [last[i] - first[i] for i in sorted(last) if i in first]
    return float(np.mean(lat[len(lat) // 10 :]))


def run_simpy(n, seed, lam=LAM, stations=((MB, 1), (MU, C))):
    import simpy

    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    res = [simpy.Resource(env, capacity=c) for _, c in stations]
    lat = []

    def message(t0):
        for (mu, _), r in zip(stations, res, strict=True):
            with r.request() as req:
                yield req
                yield env.timeout(rng.exponential(1 / mu))
        lat.append(env.now - t0)

    def source():
        for _ in range(n):
            yield env.timeout(rng.exponential(1 / lam))
            env.process(message(env.now))

    env.process(source())
    env.run()
    return float(np.mean(lat[n // 10 :]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    n = 5_000 if args.quick else 20_000
    budget = 3.0 if args.quick else 10.0
    rows, notes = [], []
    peers = {name: have(name) for name in ("ciw", "simpy", "reliability", "mpmath")}

    # 1. speed on the same batch ------------------------------------------------------------
    t_ac, _ = best(lambda: run_availcalc(n, 1), 3)
    t_ac /= 2  # two replications per call
    rows.append((f"M/M/1 -> M/M/40 tandem, {n} messages", "availcalc (recursion)", t_ac, 1.0))
    if peers["ciw"]:
        t, _ = best(lambda: run_ciw(n, 1), 2)
        rows.append(("same batch", "Ciw 3 (event scheduling)", t, t / t_ac))
    if peers["simpy"]:
        t, _ = best(lambda: run_simpy(n, 1), 2)
        rows.append(("same batch", "SimPy 4 process model", t, t / t_ac))
    ap_block = ActivePassive(
        4380.0, 2.0, coverage=0.98, switchover_s=90.0, manual_failover_h=0.75, name="sql"
    )
    years = 2_000 if args.quick else 10_000
    t_auto, _ = best(
        lambda: monte_carlo_availability(ap_block, years=years, replications=2, seed=1, n_jobs=1), 2
    )
    t_simpy, _ = best(
        lambda: monte_carlo_availability(
            ap_block, years=years, replications=2, seed=1, n_jobs=1, engine="simpy"
        ),
        1,
    )
    rows.append((f"2-node SQL cluster, 2 x {years} years", "availcalc (direct loop)", t_auto, 1.0))
    rows.append(
        ("same batch", "availcalc engine='simpy' (SimPy processes)", t_simpy, t_simpy / t_auto)
    )

    # 2. accuracy against mpmath ------------------------------------------------------------
    acc = []
    if peers["mpmath"]:
        exact = float(mp_mmc_mean_response(LAM, MU, C)) + 1 / (MB - LAM)
        st = [
            Station(Distribution.exponential(1 / MB), 1),
            Station(Distribution.exponential(1 / MU), C),
        ]
        r = simulate_queue(LAM, st, messages=n, replications=10, seed=5, n_jobs=1)
        e = r.mean_latency_s
        acc.append(("mean sojourn [s]", exact, "availcalc", e.mean, e.low, e.high))
        if peers["ciw"]:
            v = [run_ciw(n, s) for s in range(10)]
            e = t_interval(v)
            acc.append(("mean sojourn [s]", exact, "Ciw", e.mean, e.low, e.high))
        if peers["simpy"]:
            v = [run_simpy(n, s) for s in range(10)]
            e = t_interval(v)
            acc.append(("mean sojourn [s]", exact, "SimPy model", e.mean, e.low, e.high))
        u = mp_ap_unavailability(ap_block)
        r = monte_carlo_availability(ap_block, years=years, replications=10, seed=6, n_jobs=1)
        e = r.unavailability
        acc.append(("SQL cluster unavailability", u, "availcalc MC", e.mean, e.low, e.high))
        acc.append(
            (
                "SQL cluster unavailability",
                u,
                "availcalc analytic",
                ap_block.unavailability,
                math.nan,
                math.nan,
            )
        )

    # 3. largest problem in the budget ------------------------------------------------------
    big = []
    big_c = 1000
    lam_big = 0.9 * big_c

    def largest(fn, start):
        m, last = start, 0
        while True:
            t = time.perf_counter()
            fn(m)
            if time.perf_counter() - t > budget / 2:
                return last if last else m
            last = m
            m *= 2
            if m > 50_000_000:
                return last

    st_big = [Station(Distribution.exponential(1.0), big_c)]
    big.append(
        (
            f"messages through M/M/1000 in {budget:g}s",
            "availcalc",
            largest(
                lambda m: simulate_queue(
                    lam_big, st_big, messages=m, replications=2, n_jobs=1, seed=1
                ),
                10_000,
            ),
        )
    )
    if peers["ciw"]:
        import ciw

        def ciw_big(m):
            net = ciw.create_network(arrival_distributions=[ciw.dists.Exponential(lam_big)],
                                     service_distributions=[ciw.dists.Exponential(1.0)],
                                     number_of_servers=[big_c])  # fmt: skip
            ciw.seed(1)
            ciw.Simulation(net).simulate_until_max_customers(m, method="Finish")

        big.append(("same", "Ciw", largest(ciw_big, 2_000)))
    if peers["simpy"]:
        big.append(
            (
                "same",
                "SimPy model",
                largest(lambda m: run_simpy(m, 1, lam_big, ((1.0, big_c),)), 2_000),
            )
        )
    big.append(
        (
            f"simulated years of the SQL cluster in {budget:g}s",
            "availcalc",
            largest(
                lambda y: monte_carlo_availability(
                    ap_block, years=y, replications=2, n_jobs=1, seed=1
                ),
                1_000,
            ),
        )
    )
    big.append(
        (
            "same",
            "availcalc engine='simpy'",
            largest(
                lambda y: monte_carlo_availability(
                    ap_block, years=y, replications=2, n_jobs=1, seed=1, engine="simpy"
                ),
                1_000,
            ),
        )
    )

    if peers["reliability"]:
        notes.append(
            "`reliability` (M. Reid) is installed but has no steady-state availability "
            "simulator for repairable systems with failover: nothing comparable to time."
        )
    else:
        notes.append("`reliability` not installed: skipped.")

    # ---------------------------------------------------------------- print
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    load = os.getloadavg()[0]
    head = (
        f"Measured with `python benchmarks/bench_peers.py{' --quick' if args.quick else ''}` — "
        f"{stamp}; nproc {os.cpu_count()}; Python {platform.python_version()} on "
        f"{platform.machine()} {platform.system()}; load average {load:.1f} at the end; "
        f"interpreter `{sys.executable}`."
    )
    out = ["# Simulation peers", "", head, "", "## Speed on the same batch (best of runs)", ""]
    out += ["| batch | simulator | time [s] | time / availcalc |", "|---|---|---:|---:|"]
    for b, s, t, r in rows:
        out.append(f"| {b} | {s} | {t:.3f} | {r:.1f}× |")
    out += ["", "## Accuracy against mpmath (50 digits), 10 replications, 95 % interval", "",
            "| quantity | exact (mpmath) | simulator | estimate | CI low | CI high | exact in CI |",
            "|---|---:|---|---:|---:|---:|:-:|"]  # fmt: skip
    for q, ex, s, m, lo, hi in acc:
        inside = "—" if math.isnan(lo) else ("yes" if lo <= ex <= hi else "no")
        out.append(f"| {q} | {ex:.6g} | {s} | {m:.6g} | {lo:.6g} | {hi:.6g} | {inside} |")
    out += ["", f"## Largest problem in a {budget:g} s budget (doubling until a run takes "
            f"more than {budget / 2:g} s)", "", "| problem | simulator | largest size |",
            "|---|---|---:|"]  # fmt: skip
    for p, s, m in big:
        out.append(f"| {p} | {s} | {m:,} |")
    out += ["", "Notes:", ""] + [f"- {x}" for x in notes]
    text = "\n".join(out) + "\n"
    print(text)
    if args.write:
        (HERE / "results_simulation.md").write_text(text)


if __name__ == "__main__":
    main()
