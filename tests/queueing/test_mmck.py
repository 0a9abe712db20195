"""M/M/c/K against mpmath direct sums, a CTMC solve, Erlang B and M/M/c limits."""

import math

import mpmath as mp
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from availcalc.queueing import MMc, MMcK, erlang_b

mp.mp.dps = 50


def mm_ck_reference(lam, mu, c, k):
    """GSTH (4th ed.) §2.5 by brute force at 50 digits: p_n from the balance equations."""
    lam, mu = mp.mpf(lam), mp.mpf(mu)
    a = lam / mu
    rho = a / c
    w, t = [], mp.mpf(1)
    for n in range(k + 1):
        if n > 0:
            t = t * (a / n if n <= c else rho)
        w.append(t)
    z = mp.fsum(w)
    p = [x / z for x in w]
    length = mp.fsum(n * p[n] for n in range(k + 1))
    lq = mp.fsum((n - c) * p[n] for n in range(c + 1, k + 1))
    x = lam * (1 - p[k])
    return {
        "blocking_prob": p[k],
        "log_blocking_prob": mp.log(p[k]),
        "prob_empty": p[0],
        "throughput": x,
        "utilization": x / (c * mu),
        "mean_in_system": length,
        "mean_queue_length": lq,
        "mean_response": length / x,
        "mean_wait": lq / x,
    }


CASES = [
    (rho * c, 1.0, c, k)
    for c in [1, 2, 5, 20, 100]
    for k in sorted({c, c + 1, c + 5, 2 * c + 10, 400})
    for rho in [0.01, 0.5, 0.9, 0.999, 1.0, 1.001, 1.5, 5.0]
] + [(0.3, 2.0, 3, 7), (17.0, 0.5, 30, 45)]


def _rel(got, ref):
    ref = mp.mpf(ref)
    if ref == 0:
        return abs(got)
    return float(abs(mp.mpf(float(got)) - ref) / abs(ref))


def test_mmck_vs_mpmath():
    """All outputs within 1e-12 relative on 202 cases (rho from 0.01 to 5, K from c to 400)."""
    lam = np.array([x[0] for x in CASES])
    mu = np.array([x[1] for x in CASES])
    c = np.array([x[2] for x in CASES])
    k = np.array([x[3] for x in CASES])
    vec = MMcK(lam, mu, c, k)
    worst = {}
    for i, case in enumerate(CASES):
        ref = mm_ck_reference(*case)
        sca = MMcK(*case)
        for name, r in ref.items():
            got = getattr(vec, name)[i]
            if name != "log_blocking_prob" and 0 < abs(r) < mp.mpf("1e-300"):
                continue  # underflow; the log form is checked
            err = _rel(got, r)
            worst[name] = max(worst.get(name, 0.0), err)
            assert err <= 1e-12, (name, case, got, r)
            assert getattr(sca, name) == pytest.approx(got, rel=1e-13, abs=1e-300)
    print("\nM/M/c/K worst relative error vs mpmath:", {k: f"{v:.1e}" for k, v in worst.items()})


def test_ctmc_generator_solve():
    # second method: stationary vector of the birth-death generator, numpy least squares
    for lam, mu, c, k in [(3.0, 1.0, 2, 6), (0.5, 2.0, 1, 4), (9.0, 1.0, 4, 4), (2.0, 1.0, 3, 12)]:
        q = np.zeros((k + 1, k + 1))
        for n in range(k):
            q[n, n + 1] = lam
            q[n + 1, n] = min(n + 1, c) * mu
        np.fill_diagonal(q, -q.sum(axis=1))
        a = np.vstack([q.T, np.ones(k + 1)])
        b = np.zeros(k + 2)
        b[-1] = 1.0
        p = np.linalg.lstsq(a, b, rcond=None)[0]
        m = MMcK(lam, mu, c, k)
        np.testing.assert_allclose(m.state_probabilities(), p, rtol=1e-12, atol=1e-15)
        assert m.blocking_prob == pytest.approx(p[-1], rel=1e-12)
        assert m.mean_in_system == pytest.approx(np.arange(k + 1) @ p, rel=1e-12)


@pytest.mark.parametrize("c", [1, 3, 10, 100, 1000])
@pytest.mark.parametrize("rho", [0.2, 0.9, 1.0, 3.0])
def test_k_equals_c_is_erlang_b(c, rho):
    m = MMcK(rho * c, 1.0, c, c)
    assert m.blocking_prob == pytest.approx(erlang_b(c, rho * c), rel=1e-13)
    assert m.mean_queue_length == 0.0 and m.mean_wait == 0.0
    # carried load = a (1 - B)
    assert m.mean_in_system == pytest.approx(rho * c * (1 - erlang_b(c, rho * c)), rel=1e-13)


@pytest.mark.parametrize(("lam", "c"), [(0.5, 1), (8.0, 10), (90.0, 100)])
def test_large_capacity_tends_to_mmc(lam, c):
    big, inf = MMcK(lam, 1.0, c, 20_000), MMc(lam, 1.0, c)
    assert big.blocking_prob < 1e-200
    assert big.mean_wait == pytest.approx(inf.mean_wait, rel=1e-12)
    assert big.mean_in_system == pytest.approx(inf.mean_in_system, rel=1e-12)
    assert big.throughput == pytest.approx(lam, rel=1e-14)


def test_c1000_k100000():
    # O(1) formulas at a size peers overflow on; checked against the O(K) state vector
    for lam in [900.0, 999.99, 1000.0, 1000.01, 2000.0]:
        m = MMcK(lam, 1.0, 1000, 100_000)
        p = m.state_probabilities()
        assert p.sum() == pytest.approx(1.0, rel=1e-12)
        assert m.blocking_prob == pytest.approx(p[-1], rel=1e-10, abs=1e-300)
        n = np.arange(p.size)
        assert m.mean_in_system == pytest.approx(n @ p, rel=1e-10)
        assert 0.0 <= m.utilization <= 1.0
        assert math.isfinite(m.mean_wait) and m.mean_wait >= 0.0
    # rho = 1: uniform over the queue states above c, so Lq ~ (K - c)/2 * P(n >= c)
    m = MMcK(1000.0, 1.0, 1000, 100_000)
    assert m.blocking_prob == pytest.approx(m.state_probabilities()[-1], rel=1e-10)


@given(
    lam=st.floats(min_value=0.01, max_value=500.0),
    c=st.integers(min_value=1, max_value=60),
    extra=st.integers(min_value=0, max_value=300),
)
def test_properties(lam, c, extra):
    m = MMcK(lam, 1.0, c, c + extra)
    assert 0.0 <= m.blocking_prob <= 1.0
    assert 0.0 <= m.prob_empty <= 1.0
    assert 0.0 <= m.utilization <= 1.0 + 1e-15
    assert m.throughput <= lam * (1 + 1e-14)
    assert m.mean_in_system == pytest.approx(m.throughput * m.mean_response, rel=1e-12)
    assert m.mean_queue_length <= m.mean_in_system
    # more room never blocks more
    assert MMcK(lam, 1.0, c, c + extra + 1).blocking_prob <= m.blocking_prob * (1 + 1e-12)


def test_types_frame_repr():
    m = MMcK(8.0, 1.0, 10, np.array([10, 12, 15]))
    assert m.blocking_prob.shape == (3,)
    s = MMcK(pd.Series([8.0, 9.0], index=["a", "b"]), 1.0, 10, 12)
    assert list(s.throughput.index) == ["a", "b"]
    df = m.to_frame()
    assert len(df) == 3 and {"capacity", "blocking_prob", "mean_wait"} <= set(df.columns)
    assert "MMcK(arrival_rate=8.0" in repr(MMcK(8.0, 1.0, 10, 15))
    with pytest.raises(ValueError, match="scalar"):
        m.state_probabilities()


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((1.0, 1.0, 3, 2), "capacity"),
        ((1.0, 1.0, 3, 2.5), "capacity"),
        ((1.0, 1.0, 3, np.array([3, 2])), "capacity"),
        ((1.0, 1.0, 0, 2), "servers"),
        ((0.0, 1.0, 1, 2), "arrival_rate"),
        ((1.0, -1.0, 1, 2), "service_rate"),
        ((np.array([1.0, np.nan]), 1.0, 1, 2), "arrival_rate"),
    ],
)
def test_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        MMcK(*args)


def test_tiny_load():
    # rho = 1e-15: log(rho) must not go through log1p(-1 + tiny)
    m = MMcK(1e-12, 1.0, 1000, 1005)
    assert m.prob_empty == pytest.approx(1.0, rel=1e-12)
    assert m.throughput == pytest.approx(1e-12, rel=1e-12)
    assert m.mean_in_system == pytest.approx(1e-12, rel=1e-12)
    assert m.blocking_prob == 0.0 and m.mean_wait == 0.0
    v = MMcK(np.array([1e-12]), 1.0, 1000, 1005)
    assert v.throughput[0] == pytest.approx(m.throughput, rel=1e-15)
