"""The simulation's shortcuts give the same floating-point numbers as the direct methods.

Each shortcut (issue 13) is checked against the straightforward method written here: the
multi-server FCFS station against a brute-force scan of the servers, the merge of sorted step
functions against a sort of every change time and a search per input, the hours per code
combination against ``np.unique`` of the rows. Equality is exact (``assert_array_equal``):
the shortcuts do the same arithmetic, so a seed's results do not move.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from availcalc.simulation.failure import Trajectory, merge
from availcalc.simulation.queue import _fcfs_departures
from availcalc.simulation.scenario_sim import _hours_in


def fcfs_brute_force(a, s, c):
    """Departures of FCFS customers: each takes the server that frees up first."""
    free = [0.0] * c
    out = []
    for ai, si in zip(a.tolist(), s.tolist(), strict=True):
        j = min(range(c), key=free.__getitem__)
        free[j] = max(ai, free[j]) + si
        out.append(free[j])
    return np.array(out)


@settings(max_examples=60, deadline=None)
@given(
    servers=st.integers(2, 12),
    load=st.floats(0.05, 1.3),
    chunk=st.sampled_from([1, 3, 16, 1024]),
    constant=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_fcfs_stretches_and_heap_match_a_brute_force_scan(servers, load, chunk, constant, seed):
    rng = np.random.default_rng(seed)
    n = 600
    # rounded times make ties (a departure exactly at an arrival) common
    a = np.cumsum(np.round(rng.exponential(1.0, n), 1))
    mean = load * servers
    s = np.full(n, round(mean, 1)) if constant else np.round(rng.exponential(mean, n), 1)
    d = _fcfs_departures(a, s, servers, chunk=chunk)
    np.testing.assert_array_equal(d, fcfs_brute_force(a, s, servers))


def test_fcfs_switches_between_stretches_and_the_heap():
    # calm, then a burst that must queue, then calm again: both modes and both switches
    rng = np.random.default_rng(7)
    gaps = np.concatenate([rng.exponential(1.0, 3000), rng.exponential(0.01, 500),
                           rng.exponential(1.0, 3000)])  # fmt: skip
    a = np.cumsum(gaps)
    s = rng.exponential(2.0, a.size)
    d = _fcfs_departures(a, s, 8, chunk=64)
    np.testing.assert_array_equal(d, fcfs_brute_force(a, s, 8))
    assert np.any(d > a + s) and np.any(d == a + s)


def merge_by_unique(trajectories):
    grid = np.unique(np.concatenate([tr.times for tr in trajectories]))
    dur = np.diff(np.append(grid, trajectories[0].horizon))
    vals = [tr.values[np.searchsorted(tr.times, grid, side="right") - 1] for tr in trajectories]
    return grid, dur, vals


def _trajectory(rng, n, horizon):
    # integer times: shared change times between inputs, and repeated times within one
    times = np.r_[0.0, np.sort(rng.integers(0, horizon, n)).astype(float)]
    return Trajectory(times, rng.integers(0, 5, times.size), float(horizon))


@settings(max_examples=60, deadline=None)
@given(sizes=st.lists(st.integers(0, 80), min_size=1, max_size=5), seed=st.integers(0, 2**32 - 1))
def test_merge_matches_a_sort_of_every_change_time(sizes, seed):
    rng = np.random.default_rng(seed)
    trajs = [_trajectory(rng, n, 50) for n in sizes]
    grid, dur, vals = merge(trajs)
    ref_grid, ref_dur, ref_vals = merge_by_unique(trajs)
    np.testing.assert_array_equal(grid, ref_grid)
    np.testing.assert_array_equal(dur, ref_dur)
    for v, rv in zip(vals, ref_vals, strict=True):
        np.testing.assert_array_equal(v, rv)


@settings(max_examples=60, deadline=None)
@given(
    highs=st.lists(st.integers(1, 6), min_size=1, max_size=3),
    n=st.integers(1, 300),
    seed=st.integers(0, 2**32 - 1),
)
def test_hours_in_matches_unique_rows(highs, n, seed):
    rng = np.random.default_rng(seed)
    codes = [rng.integers(0, h, n) for h in highs]
    dur = rng.exponential(1.0, n)
    (cols, hours) = _hours_in(dur, *codes)
    rows, inv = np.unique(np.stack(codes, axis=1), axis=0, return_inverse=True)
    np.testing.assert_array_equal(np.stack(cols, axis=1), rows)
    np.testing.assert_array_equal(hours, np.bincount(inv.ravel(), weights=dur))
