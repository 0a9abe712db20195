"""MarkovModel and the layer-1 CTMC solvers (GTH, sparse LU, absorption, transients)."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pandas as pd
import pytest
import scipy.linalg as sl
import scipy.sparse as sp

from availcalc.reliability import ActivePassive, KofN, MarkovModel
from availcalc.reliability.chain import up_chain
from availcalc.reliability.markov import (
    gth_steady_state,
    mean_time_to_absorption,
    steady_state,
)
from availcalc.reliability.transient import expm_metzler, transient_distribution
from tests.reliability import mpref


def _random_chain(seed: int, n: int, stiff: bool = False):
    """Irreducible random chain: a ring (for irreducibility) plus random extra rates."""
    rng = np.random.default_rng(seed)
    rates = {}
    for i in range(n):
        rates[(i, (i + 1) % n)] = float(rng.uniform(0.1, 2.0))
    for _ in range(2 * n):
        i, j = rng.integers(0, n, 2)
        if i != j:
            rates[(int(i), int(j))] = float(
                10.0 ** rng.uniform(-6 if stiff else -1, 4 if stiff else 1)
            )
    up = set(range(n // 2 + 1))
    return rates, up


@pytest.mark.parametrize(
    ("seed", "n", "stiff"), [(0, 6, False), (1, 9, True), (2, 12, True), (3, 25, True)]
)
def test_markov_model_against_mpmath(check_rel, seed, n, stiff):
    rates, up = _random_chain(seed, n, stiff)
    m = MarkovModel(list(range(n)), rates, up_states=up)
    ref = mpref.MpChain(n, rates, up).measures()
    check_rel("U", m.unavailability, ref["U"])
    check_rel("A", m.availability, ref["A"])
    check_rel("omega", m.failure_frequency_per_h, ref["omega"])
    for i, p in enumerate(ref["pi"]):
        check_rel("pi", m.state_probabilities[i], p)
    ch = mpref.MpChain(n, rates, up)
    check_rel("MTTF", m.mttf_h, ch.mttf())
    if n <= 12:
        for t in (0.01, 3.0):
            check_rel("R(t)", m.reliability(t), ch.reliability(t))
            check_rel("A(t)", m.point_availability(t), ch.point(t))
            check_rel("interval A", m.interval_availability(t), ch.interval(t))


def test_gth_keeps_tiny_probabilities_where_lu_does_not(check_rel):
    """A stiff 5-state chain whose last state has probability ~1e-40 (the formula sheet's
    warning that a float64 LU solve loses relative accuracy on small π)."""
    n = 5
    rates = {}
    for i in range(n - 1):
        rates[(i, i + 1)] = 1e-8
        rates[(i + 1, i)] = 1.0 + i
    ch = mpref.MpChain(n, rates, {0})
    ref = ch.steady()
    dense = np.zeros((n, n))
    for (i, j), r in rates.items():
        dense[i, j] = r
    pi = gth_steady_state(dense)
    for i in range(n):
        check_rel("pi", pi[i], ref[i], tol=1e-13)
    assert pi[-1] < 1e-30
    # the textbook LU with the normalisation row does not keep the tiny ones
    q = dense - np.diag(dense.sum(axis=1))
    a = q.T.copy()
    a[-1, :] = 1.0
    b = np.zeros(n)
    b[-1] = 1.0
    lu = np.linalg.solve(a, b)
    assert abs(lu[-1] / float(ref[-1]) - 1) > 1e-6 or lu[-1] <= 0


def test_sparse_and_gth_agree_on_a_grid():
    """2-D grid (two coupled repairable pools), 400 states, tail probability ~1e-167."""
    n1 = n2 = 20
    rows, cols, vals = [], [], []
    for i in range(n1):
        for j in range(n2):
            s = i * n2 + j
            for di, dj, r in (
                (1, 0, (n1 - 1 - i) * 1e-4),
                (-1, 0, 1.0 * (1 + 0.5 * j)),
                (0, 1, (n2 - 1 - j) * 1e-3),
                (0, -1, 3600.0),
            ):
                if 0 <= i + di < n1 and 0 <= j + dj < n2 and r > 0:
                    rows.append(s)
                    cols.append((i + di) * n2 + j + dj)
                    vals.append(r)
    m = sp.csr_array((vals, (rows, cols)), shape=(n1 * n2, n1 * n2))
    p_gth = steady_state(m, method="gth")
    p_sp = steady_state(m, method="sparse")
    np.testing.assert_allclose(p_sp, p_gth, rtol=1e-12, atol=0)
    assert p_gth.min() < 1e-160


def test_reducible_chains():
    # a transient state 'boot' feeding a closed class: steady state ignores it
    m = MarkovModel(
        ["boot", "up", "down"],
        {("boot", "up"): 1.0, ("up", "down"): 0.01, ("down", "up"): 1.0},
        up_states=["boot", "up"],
    )
    assert m.state_probabilities["boot"] == 0.0
    assert m.unavailability == pytest.approx(0.01 / 1.01, rel=1e-14)
    # two closed classes: no unique steady state
    two = MarkovModel(["a", "b", "c"], {("a", "b"): 1.0, ("a", "c"): 1.0}, up_states=["a", "b"])
    with pytest.raises(ValueError, match="closed classes"):
        _ = two.availability
    # from a, half the time the chain ends in b, which never fails: MTTF is infinite
    assert two.mttf_h == math.inf
    assert two.reliability(2.0) == pytest.approx(1 - 0.5 * (1 - math.exp(-4.0)), rel=1e-13)


def test_non_repairable_markov_model():
    lam = 1e-3
    m = MarkovModel(
        ["2up", "1up", "0up"],
        {("2up", "1up"): 2 * lam, ("1up", "0up"): lam},
        up_states=["2up", "1up"],
    )
    assert m.availability == 0.0 and m.unavailability == 1.0 and m.failure_frequency_per_h == 0.0
    assert m.mttf_h == pytest.approx(1.5 / lam, rel=1e-14)
    t = 800.0
    assert m.reliability(t) == pytest.approx(
        2 * math.exp(-lam * t) - math.exp(-2 * lam * t), rel=1e-13
    )


def test_markov_model_reproduces_active_passive():
    """The escape hatch on the ActivePassive chain gives the closed form."""
    ap = ActivePassive(2000.0, 4.0, coverage=0.9, switchover_s=30.0, manual_failover_h=0.5)
    ch = ap.chain
    m = MarkovModel(
        ch.names,
        ch.rates,
        up_states=[s for s, u in zip(ch.names, ch.up, strict=True) if u],
        initial_state="both_up",
    )
    for attr in ("availability", "unavailability", "failure_frequency_per_h", "mttf_h"):
        assert getattr(m, attr) == pytest.approx(getattr(ap, attr), rel=1e-13)
    np.testing.assert_allclose(
        m.state_probabilities.to_numpy(),
        ap.state_probabilities[list(ch.names)].to_numpy(),
        rtol=1e-13,
    )


def test_matrix_and_dict_inputs_agree():
    k = KofN(3, 2, 100.0, 2.0, crews=1)
    ch = k.chain
    dense = ch.rates.toarray()
    gen = dense - np.diag(dense.sum(axis=1))
    states = ["3 up", "2 up", "1 up", "0 up"]
    as_dict = {
        (states[i], states[j]): dense[i, j] for i in range(4) for j in range(4) if dense[i, j] > 0
    }
    ms = [
        MarkovModel(states, as_dict, up_states=states[:2]),
        MarkovModel(states, dense, up_states=states[:2]),
        MarkovModel(states, gen, up_states=states[:2]),
        MarkovModel(states, sp.csr_matrix(gen), up_states=states[:2]),
    ]
    for m in ms:
        assert m.unavailability == pytest.approx(k.unavailability, rel=1e-13)
        assert m.mttf_h == pytest.approx(k.mttf_h, rel=1e-13)
        assert isinstance(m.state_probabilities, pd.Series)


def test_sparse_generator_with_duplicate_entries():
    """A COO generator whose rates are split over duplicate entries is summed first."""
    k = KofN(3, 2, 100.0, 2.0, crews=1)
    coo = k.chain.rates.tocoo()
    n = k.chain.size
    out = np.asarray(k.chain.rates.sum(axis=1)).ravel()
    half = coo.data / 2
    gen = sp.coo_array(
        (
            np.r_[half, half, -out],
            (np.r_[coo.row, coo.row, np.arange(n)], np.r_[coo.col, coo.col, np.arange(n)]),
        ),
        shape=(n, n),
    )
    m = MarkovModel(range(n), gen, up_states=[0, 1])
    assert m.unavailability == pytest.approx(k.unavailability, rel=1e-13)
    assert m.rates.diagonal().tolist() == [0.0] * n


def test_rewards():
    m = MarkovModel(
        ["full", "half", "none"],
        {
            ("full", "half"): 0.02,
            ("half", "full"): 1.0,
            ("half", "none"): 0.01,
            ("none", "half"): 2.0,
        },
        up_states=["full", "half"],
        rewards={"full": 1.0, "half": 0.5},
    )
    pi = m.state_probabilities
    assert m.expected_reward == pytest.approx(pi["full"] + 0.5 * pi["half"], rel=1e-15)
    plain = MarkovModel(["u", "d"], {("u", "d"): 1.0, ("d", "u"): 9.0}, up_states=["u"])
    assert plain.expected_reward == plain.availability == pytest.approx(0.9)
    arr = MarkovModel(
        ["u", "d"], {("u", "d"): 1.0, ("d", "u"): 9.0}, up_states=["u"], rewards=[2, 0]
    )
    assert arr.expected_reward == pytest.approx(1.8)


def test_mean_time_to_absorption_sparse_and_infinite():
    lam, mu = 0.001, 0.5
    rates = [[0, 2 * lam], [mu, 0]]
    gth = mean_time_to_absorption(rates, [0.0, lam])
    sparse = mean_time_to_absorption(rates, [0.0, lam], method="sparse")
    assert gth == pytest.approx((3 * lam + mu) / (2 * lam**2), rel=1e-14)
    assert sparse == pytest.approx(gth, rel=1e-12)
    # a state that can never fail: absorption not certain
    assert mean_time_to_absorption([[0, 1.0], [0, 0]], [0.0, 0.0]) == math.inf


def test_sparse_and_gth_mttf_agree_on_a_random_chain():
    """The sparse LU (minimum-degree ordering) and the regenerative GTH give the same MTTF."""
    rates, up = _random_chain(3, 300, stiff=True)
    m = MarkovModel(range(300), rates, up_states=up)
    uc = up_chain(m.chain)
    gth = mean_time_to_absorption(uc.rates, uc.exit, uc.init, method="gth")
    sparse = mean_time_to_absorption(uc.rates, uc.exit, uc.init, method="sparse")
    assert sparse == pytest.approx(gth, rel=1e-13)


def test_expm_metzler_matches_scipy_and_mpmath():
    rng = np.random.default_rng(7)
    q = rng.uniform(0, 3, (6, 6)) * (rng.random((6, 6)) < 0.6)
    np.fill_diagonal(q, 0)
    q -= np.diag(q.sum(axis=1))
    t = np.array([0.0, 0.01, 1.0, 50.0])
    ours = expm_metzler(q, t, stochastic=6)
    for i, ti in enumerate(t):
        np.testing.assert_allclose(ours[i], sl.expm(q * ti), rtol=1e-11, atol=1e-15)
    mq = mp.matrix(q.tolist())
    ref = mp.expm(mq * 50)
    for i in range(6):
        for j in range(6):
            if ref[i, j] > 1e-300:
                assert mpref.rel(ours[3, i, j], ref[i, j]) < 1e-12


def test_sparse_transient_path():
    """Chains above the dense limit use expm_multiply; compare on a birth–death chain."""
    k = KofN(250, 200, 1000.0, 5.0, crews=3)
    ch = k.chain
    t = np.array([1.0, 20.0])
    p = transient_distribution(ch.rates, ch.p0(), t)
    dense = ch.rates.toarray()
    gen = dense - np.diag(dense.sum(axis=1))
    for i, ti in enumerate(t):
        ref = sl.expm(gen * ti)[0]
        np.testing.assert_allclose(p[i], ref, rtol=1e-9, atol=1e-14)


def test_sparse_interval_and_reliability_paths():
    """Above the dense limit: interval availability (augmented expm_multiply) and R(t)."""
    k = KofN(250, 200, 1000.0, 5.0, crews=3)
    ch = k.chain
    n = ch.size
    dense = ch.rates.toarray()
    gen = dense - np.diag(dense.sum(axis=1))
    aug = np.zeros((n + 1, n + 1))
    aug[:n, :n] = gen
    aug[:n, n] = ch.up
    t = 20.0
    ref = sl.expm(aug * t)[0, n] / t
    assert k.interval_availability(t) == pytest.approx(ref, rel=1e-10)
    up = np.flatnonzero(ch.up)
    quu = gen[np.ix_(up, up)]
    assert k.reliability(t) == pytest.approx(sl.expm(quu * t)[0].sum(), rel=1e-10)
