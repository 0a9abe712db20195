"""The queueing batch: max loads of every row at once, and the metrics asked for only.

The max-load reference is built independently: scipy's ``brentq`` on P(latency > target) −
(1 − q) over the whole (0, capacity) bracket of each row, at the model's tolerances.
"""

import numpy as np
import pytest
from scipy.optimize import brentq

from availcalc.model.presets import load_preset, presets
from availcalc.model.queueing_part import Batch, queueing_arrays
from availcalc.model.reliability_part import Reliability


def _batch(name: str, n: int = 6) -> Batch:
    """A batch of ``n`` distinct queueing rows around preset ``name``."""
    s = load_preset(name)
    rng = np.random.default_rng(7)
    a = queueing_arrays(s, n)
    for key, low, high in (("lam", 0.2, 3.0), ("target", 0.3, 3.0), ("service_time", 0.5, 2.0)):
        a[key] = a[key] * rng.uniform(low, high, n)
    return Batch(Reliability(s), a)


def _brentq_max_load(row: Batch, down: int) -> float:
    """The max load of a one-row batch by scipy's brentq over (0, capacity)."""
    active = row.rel.active_with_down(down)
    caps = row.capacities(active, row.rel.full_nodes)
    cap = min(float(np.min(v)) for v in caps.values())
    alpha = 1.0 - float(row.a["q"][0])

    def excess(lam: float) -> float:
        tandem = row.tandem(active, row.rel.full_nodes, lam=np.array([lam]))
        return float(tandem.tail(row.a["target"])[0]) - alpha

    lo, hi = cap * 1e-9, cap * (1.0 - 1e-12)
    if excess(hi) <= 0:
        return hi  # meets the target right up to the capacity
    if excess(lo) > 0:
        return 0.0  # even the lightest load misses the target
    return brentq(excess, lo, hi, xtol=1e-12 * cap, rtol=1e-12)


@pytest.mark.parametrize("name", presets())
def test_max_loads_of_a_batch_match_brentq_row_by_row(name):
    # one search on every row at once gives each row's root (to the batch noise of the
    # multi-station tail inversion and brentq's tolerance); a one-row batch gives the same
    batch = _batch(name)
    rel = batch.rel
    for down in range(min(rel.instances, 2)):
        got = batch.max_loads(down)
        for i, x in enumerate(got):
            row = Batch(rel, {k: v[i : i + 1] for k, v in batch.a.items()})
            want = _brentq_max_load(row, down)
            assert x == pytest.approx(want, rel=1e-9, abs=1e-300), (down, i)
            assert row.max_load(down) == pytest.approx(x, rel=1e-9, abs=1e-300), (down, i)


def test_max_loads_with_no_instance_left_are_zero():
    rel = Reliability(load_preset("msmq_nonclustered_3x"))
    a = queueing_arrays(rel.s, 3)
    a["lam"] = np.array([1.0, 2.0, 3.0])
    assert Batch(rel, a).max_loads(rel.instances).tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("name", presets())
def test_metrics_asked_for_by_name_are_the_same_numbers(name):
    every = _batch(name).metrics()
    for key, want in every.items():
        got = _batch(name).metrics([key])
        assert list(got) == [key]
        assert np.array_equal(got[key], want, equal_nan=want.dtype != object), key


def test_a_capacity_metric_inverts_no_latency():
    batch = _batch("sharepoint_full_path")
    batch.metrics(["capacity_per_s", "utilization", "availability"])
    assert not {"full", "latency_percentile", "latency_one_down", "sla"} & set(vars(batch))
