"""Speed of the reliability engine against naive baselines measured in the same run.

Run:  .venv/bin/python benchmarks/bench_reliability.py [--write]

Targets (issue 3): KofN with n = 10^6 in < 0.5 s; a MarkovModel of 10^5 states in < 5 s; a
whole topology (NLB pool × clustered SQL × 4 send hosts with one crew), all measures, < 20 ms.
Issue 13: the topology no slower than its flat dense CTMC, a MarkovModel no slower than a pinned
scipy sparse solve (ratio baseline / availcalc >= 1).
Each case is timed as the best of several fresh runs (new objects, so no cached results).
``--write`` stores the table in benchmarks/results_reliability.md with date and machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve

from availcalc.reliability import ActivePassive, KofN, MarkovModel, NLBPool, series

STEADY = (
    "availability",
    "unavailability",
    "nines",
    "downtime_min_per_year",
    "failure_frequency_per_h",
    "mut_h",
    "mdt_h",
    "mtbf_h",
    "mttf_h",
)


def best_of(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def all_measures(block) -> list[float]:
    return [getattr(block, m) for m in STEADY]


# ------------------------------------------------------------------ KofN, n = 10^6
N_BIG = 1_000_000


def kofn_ours(k: int) -> None:
    b = KofN(N_BIG, k, 4380.0, 8.0, crews=200)
    all_measures(b)
    b.summary()


def kofn_baseline(k: int) -> None:
    """The 'obvious' code: a Python loop over ln p_i = ln p_{i-1} + ln(b_{i-1}/d_i), then the
    tail and total sums with math.fsum (steady-state U only, no ω/MTTF)."""
    n, lam, mu, r = N_BIG, 1 / 4380.0, 1 / 8.0, 200
    logs = [0.0]
    for i in range(1, n + 1):
        logs.append(logs[-1] + math.log((n - i + 1) * lam / (min(i, r) * mu)))
    top = max(logs)
    w = [math.exp(x - top) for x in logs]
    _ = math.fsum(w[n - k + 1 :]) / math.fsum(w)


# ------------------------------------------------------------------ MarkovModel, 10^5 states
def grid_chain(n1: int, n2: int) -> tuple[sp.csr_array, np.ndarray]:
    """Two repairable pools (n1 - 1 and n2 - 1 units, 3 and 2 crews) with a shared repair
    slow-down: a 2-D birth–death grid; up while each pool has at most 4 units failed."""
    i, j = np.meshgrid(np.arange(n1), np.arange(n2), indexing="ij")
    i, j = i.ravel(), j.ravel()
    s = i * n2 + j
    rows, cols, vals = [], [], []

    def add(mask, di, dj, rate):
        rows.append(s[mask])
        cols.append(((i + di) * n2 + j + dj)[mask])
        vals.append(rate[mask])

    add(i < n1 - 1, 1, 0, (n1 - 1 - i) * 2e-4)
    add(i > 0, -1, 0, np.minimum(i, 3) * 0.5 / (1 + 0.01 * j))
    add(j < n2 - 1, 0, 1, (n2 - 1 - j) * 3e-4)
    add(j > 0, 0, -1, np.minimum(j, 2) * 0.25)
    n = n1 * n2
    rates = sp.csr_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)
    )
    up = np.flatnonzero((i <= 4) & (j <= 4))
    return rates, up


def markov_ours(rates, up) -> None:
    m = MarkovModel(range(rates.shape[0]), rates, up_states=up.tolist())
    all_measures(m)


def _measures(pi, rates, up) -> tuple[float, float, float]:
    """A, U and the failure frequency omega from a steady state (both baselines' last step)."""
    mask = np.zeros(rates.shape[0], bool)
    mask[up] = True
    return (
        pi[mask].sum(),
        pi[~mask].sum(),
        pi[mask] @ np.asarray(rates[:, ~mask].sum(axis=1)).ravel()[mask],
    )


def markov_baseline(rates, up) -> None:
    """Same size: the textbook sparse solve of Q^T pi = 0 with one equation replaced by the
    normalisation, then A, U, omega (no MTTF)."""
    n = rates.shape[0]
    q = (rates - sp.diags_array(np.asarray(rates.sum(axis=1)).ravel())).T.tolil()
    q[n - 1, :] = np.ones(n)
    b = np.zeros(n)
    b[-1] = 1.0
    pi = spsolve(q.tocsc(), b)
    _measures(pi, rates, up)


def markov_pinned_baseline(rates, up) -> None:
    """Same size: scipy's sparse solve (default options) with state 0 pinned, pi_0 = 1, and its
    row and column removed from Q^T pi = 0; then normalise and A, U, omega (no MTTF)."""
    qt = (rates - sp.diags_array(np.asarray(rates.sum(axis=1)).ravel())).T.tocsc()
    x = spsolve(qt[1:, 1:], -qt[1:, [0]].toarray().ravel())
    pi = np.r_[1.0, x]
    pi /= pi.sum()
    _measures(pi, rates, up)


def markov_dense_baseline(rates, up, size: int) -> None:
    """np.linalg.solve on the leading size x size block (the largest dense solve we try)."""
    sub = rates[:size][:, :size].toarray()
    q = (sub - np.diag(sub.sum(axis=1))).T
    q[-1, :] = 1.0
    b = np.zeros(size)
    b[-1] = 1.0
    np.linalg.solve(q, b)


# ------------------------------------------------------------------ topology
def topology():
    return series(
        NLBPool(3, 2, 2190.0, 0.5, 3.0, name="sharepoint nlb"),
        ActivePassive(2000.0, 4.0, coverage=0.95, switchover_s=60.0, name="sql cluster"),
        KofN(4, 1, 4380.0, 2.0, crews=1, name="send hosts"),
    )


def topology_ours() -> None:
    all_measures(topology())


def topology_summary_importance() -> None:
    t = topology()
    t.summary()
    t.importance()


def topology_transients() -> None:
    t = topology()
    t.reliability(8760.0)
    t.point_availability(8760.0)
    t.interval_availability(8760.0)


LEAVES = topology().blocks  # built once: `evaluate` reuses its (cached) blocks the same way


def topology_reused_leaves() -> None:
    all_measures(series(*LEAVES))


def topology_baseline(blocks=None) -> None:
    """Flat joint CTMC of the three blocks (dense Kronecker sum), np.linalg.solve for pi and
    for the MTTF: what one would write without structure. Fresh blocks (their chains built
    here) unless ``blocks`` is given."""
    blocks = topology().blocks if blocks is None else blocks
    gens, ups = [], []
    for b in blocks:
        r = b.chain.rates.toarray()
        gens.append(r - np.diag(r.sum(axis=1)))
        ups.append(b.chain.up)
    q = gens[0]
    up = ups[0]
    for g, u in zip(gens[1:], ups[1:], strict=True):
        q = np.kron(q, np.eye(g.shape[0])) + np.kron(np.eye(q.shape[0]), g)
        up = np.kron(up, u).astype(bool)
    n = q.shape[0]
    a = q.T.copy()
    a[-1, :] = 1.0
    b = np.zeros(n)
    b[-1] = 1.0
    pi = np.linalg.solve(a, b)
    avail = pi[up].sum()
    unav = pi[~up].sum()
    omega = pi[up] @ (q[np.ix_(up, ~up)].sum(axis=1))
    quu = q[np.ix_(up, up)]
    tau = np.linalg.solve(-quu, np.ones(up.sum()))
    _ = avail, unav, omega, tau[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write results_reliability.md")
    args = parser.parse_args()

    small = grid_chain(100, 100)
    rates, up = grid_chain(317, 317)
    nstates = rates.shape[0]
    rows = []

    def row(case, ours_fn, base_fn, base_label, target, repeat=5, base_repeat=3):
        # alternate the runs, so that a burst of load on the shared machine hits both
        ours = base = math.inf
        for i in range(max(repeat, base_repeat if base_fn else 0)):
            if i < repeat:
                ours = min(ours, best_of(ours_fn, 1))
            if base_fn and i < base_repeat:
                base = min(base, best_of(base_fn, 1))
        base = base if base_fn else float("nan")
        ok = "—" if target is None else ("yes" if ours < target else "NO")
        rows.append(
            (case, ours, base, base_label, base / ours if base_fn else float("nan"), target, ok)
        )

    for k, label in ((1, "k=1"), (N_BIG - 1000, "k=n-1000")):
        row(
            f"KofN n={N_BIG:,}, {label}, 200 crews: all measures + summary",
            lambda k=k: kofn_ours(k),
            lambda k=k: kofn_baseline(k),
            "Python loop in log space (U only)",
            0.5,
            repeat=3,
            base_repeat=1,
        )
    for r_, u_, rep in ((*small, 7), (rates, up, 3)):
        row(
            f"MarkovModel {r_.shape[0]:,} states (2-D grid): A, U, ω, MUT, MDT, MTTF",
            lambda r_=r_, u_=u_: markov_ours(r_, u_),
            lambda r_=r_, u_=u_: markov_pinned_baseline(r_, u_),
            "pinned scipy spsolve, default options (no MTTF)",
            5.0,
            repeat=rep,
            base_repeat=rep,
        )
    row(
        f"MarkovModel {nstates:,} states (2-D grid): A, U, ω, MUT, MDT, MTTF",
        lambda: markov_ours(rates, up),
        lambda: markov_baseline(rates, up),
        "textbook spsolve, normalisation row (no MTTF)",
        5.0,
        repeat=2,
        base_repeat=1,
    )
    row(
        "  (for scale) dense np.linalg.solve, 4,000 states",
        lambda: markov_dense_baseline(rates, up, 4000),
        None,
        "",
        None,
        repeat=1,
    )
    row(
        "Topology NLB(3,2) × ActivePassive × KofN(4,1,1 crew): all measures",
        topology_ours,
        topology_baseline,
        "flat joint CTMC (150 states), dense solves",
        0.020,
        repeat=200,
        base_repeat=200,
    )
    row(
        "  topology: a new series over reused leaves, all measures",
        topology_reused_leaves,
        lambda: topology_baseline(LEAVES),
        "flat joint CTMC from the leaves' built chains",
        None,
        repeat=200,
        base_repeat=200,
    )
    row(
        "  topology: summary() + importance()",
        topology_summary_importance,
        None,
        "",
        None,
        repeat=20,
    )
    row(
        "  topology: R(8760 h), A(8760 h), interval A(8760 h)",
        topology_transients,
        None,
        "",
        None,
        repeat=10,
    )

    head = (
        "| case | availcalc [s] | baseline [s] | baseline | baseline / availcalc "
        "| target [s] | met |"
    )
    lines = [head, "|---|---:|---:|---|---:|---:|:-:|"]
    for case, ours, base, label, ratio, target, ok in rows:
        lines.append(
            f"| {case} | {ours:.4g} | {'' if np.isnan(base) else f'{base:.4g}'} | {label} | "
            f"{'' if np.isnan(ratio) else f'{ratio:.3g}×'} | "
            f"{'' if target is None else target} | {ok} |"
        )
    table = "\n".join(lines)
    machine = (
        f"{dt.datetime.now().astimezone().isoformat(timespec='seconds')}; "
        f"nproc {len(os.sched_getaffinity(0))}; Python {platform.python_version()} on "
        f"{platform.machine()} {platform.system()}; "
        f"numpy {np.__version__}, scipy {scipy.__version__}"
    )
    print(machine)
    print(table)
    if args.write:
        out = Path(__file__).with_name("results_reliability.md")
        out.write_text(
            "# Reliability engine benchmark\n\n"
            f"Measured with `python benchmarks/bench_reliability.py --write` — {machine}.\n\n"
            "Times are the best of several fresh runs (new objects each time, so nothing is "
            "cached). The baselines are measured in the same run; see the script for what each "
            "computes.\n\n" + table + "\n",
            encoding="utf-8",
        )
        print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
