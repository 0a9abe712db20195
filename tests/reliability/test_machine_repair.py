"""Finite-source (machine-repair) measures of KofN: mean in repair, crew utilisation, response.

References:

* a textbook example with its numbers: the Kolkmeyer Manufacturing machine-repair problem
  (six machines, mean 20 h between breakdowns, 2 h repairs) in Anderson, Sweeney, Williams
  et al., *An Introduction to Management Science*, ch. 11 "Queuing models", pp. 477–478:
  one repairer P0 = 0.4845, Lq = 0.3297, L = 0.8451, Wq = 1.279 h, W = 3.279 h; two
  repairers Wq = 0.0834 h;
* the closed forms of the finite-source M/M/c//M queue, typed in from Gross, Shortle, Thompson,
  Harris, *Fundamentals of Queueing Theory*, 4th ed., Wiley 2008, §2.8, and evaluated in
  mpmath at 50 digits: p_n = C(M, n) ρ^n p0 (n < c), p_n = M!/((M-n)! c! c^(n-c)) ρ^n p0
  (c <= n <= M), L = Σ n p_n, Lq = Σ (n-c) p_n, λ_eff = λ (M - L), W = L / λ_eff;
* a second method: the stationary distribution of the same chain built as a generic
  MarkovModel (GTH), summed here.
"""

from __future__ import annotations

import math
import warnings

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from availcalc.reliability import KofN, MarkovModel

mp.mp.dps = 50


def gross_finite_source(machines, repairers, mttf, mttr):
    """Gross et al. 4th ed. §2.8 closed forms (M machines, c repairers), in mpmath."""
    m, c = machines, min(repairers, machines)
    lam, mu = 1 / mp.mpf(mttf), 1 / mp.mpf(mttr)
    rho = lam / mu
    w = []
    for n in range(m + 1):
        if n < c:
            w.append(mp.factorial(m) / (mp.factorial(m - n) * mp.factorial(n)) * rho**n)
        else:
            w.append(
                mp.factorial(m) / (mp.factorial(m - n) * mp.factorial(c) * c ** (n - c)) * rho**n
            )
    p0 = 1 / mp.fsum(w)
    p = [x * p0 for x in w]
    big_l = mp.fsum(n * p[n] for n in range(m + 1))
    lq = mp.fsum((n - c) * p[n] for n in range(c, m + 1))
    lam_eff = lam * (m - big_l)
    busy = mp.fsum(min(n, c) * p[n] for n in range(m + 1))
    return {
        "p0": p0,
        "L": big_l,
        "Lq": lq,
        "W": big_l / lam_eff,
        "Wq": lq / lam_eff,
        "util": busy / c,
        "lam_eff": lam_eff,
    }


def test_kolkmeyer_one_repairer():
    """Anderson et al., An Introduction to Management Science, ch. 11, pp. 477–478."""
    shop = KofN(6, 1, mttf_h=20.0, mttr_h=2.0, crews=1)
    assert round(shop.mean_in_repair, 4) == 0.8451
    assert round(shop.crew_utilization, 4) == 0.5155  # 1 - P0, P0 = 0.4845
    assert round(shop.repair_response_h, 3) == 3.279
    assert round(shop.repair_response_h - shop.unit_mttr_h, 3) == 1.279  # Wq
    lq = shop.mean_in_repair - shop.crew_utilization * 1  # L - r rho_c
    assert round(lq, 4) == 0.3297


def test_kolkmeyer_two_repairers():
    """The same book, p. 478 (Figure 11.5): two repairers, Wq = 0.0834 h."""
    shop = KofN(6, 1, mttf_h=20.0, mttr_h=2.0, crews=2)
    assert round(shop.repair_response_h - 2.0, 4) == 0.0834


GRID = [
    (6, 1, 20.0, 2.0),
    (6, 2, 20.0, 2.0),
    (2, 1, 1000.0, 2.0),
    (5, 3, 10.0, 30.0),  # failures far faster than repairs: nearly every unit down
    (10, 10, 100.0, 1.0),  # one crew per unit
    (12, 4, 1e6, 1.0),  # L tiny (~1e-5)
    (3, 1, 1e15, 1e-9),  # extreme ratio: L ~ 3e-24
    (40, 7, 50.0, 5.0),
]


@pytest.mark.parametrize(("n", "crews", "mttf", "mttr"), GRID)
def test_against_gross_closed_forms(n, crews, mttf, mttr, check_rel):
    b = KofN(n, 1, mttf, mttr, crews=crews)
    ref = gross_finite_source(n, crews, mttf, mttr)
    check_rel("mean_in_repair", b.mean_in_repair, ref["L"], tol=1e-12)
    check_rel("crew_utilization", b.crew_utilization, ref["util"], tol=1e-12)
    check_rel("repair_response_h", b.repair_response_h, ref["W"], tol=1e-12)
    # W = Wq + 1/mu and rho_c = lambda_eff / (r mu): the textbook identities
    check_rel("repair_response_h", b.repair_response_h, ref["Wq"] + mp.mpf(mttr), tol=1e-12)
    check_rel(
        "crew_utilization",
        b.crew_utilization,
        ref["lam_eff"] * mp.mpf(mttr) / min(crews, n),
        tol=1e-12,
    )


def _markov_model(n, crews, mttf, mttr):
    """The same birth–death chain written as a generic MarkovModel (solved by GTH)."""
    lam, mu = 1.0 / mttf, 1.0 / mttr
    states = list(range(n + 1))
    tr = {}
    for i in states:
        if i < n:
            tr[(i, i + 1)] = (n - i) * lam
        if i > 0:
            tr[(i, i - 1)] = min(i, crews) * mu
    return MarkovModel(states, tr, up_states=[0], name="mr")


@pytest.mark.parametrize(("n", "crews", "mttf", "mttr"), GRID)
def test_against_generic_markov_model(n, crews, mttf, mttr):
    b = KofN(n, 1, mttf, mttr, crews=crews)
    pi = _markov_model(n, crews, mttf, mttr).state_probabilities.to_numpy()
    i = np.arange(n + 1)
    r = min(crews, n)
    big_l = float(i @ pi)
    thr = float(((n - i) / mttf) @ pi)
    assert b.mean_in_repair == pytest.approx(big_l, rel=1e-12)
    assert b.crew_utilization == pytest.approx(float(np.minimum(i, r) @ pi) / r, rel=1e-12)
    assert b.repair_response_h == pytest.approx(big_l / thr, rel=1e-12)


@given(
    st.integers(1, 30),
    st.integers(1, 30),
    st.floats(1e-3, 1e7),
    st.floats(1e-3, 1e4),
)
def test_identities_hypothesis(n, crews, mttf, mttr):
    """0 <= L <= n, 0 <= rho_c <= 1, W >= 1/mu, W = 1/mu with a crew per unit (Little)."""
    b = KofN(n, 1, mttf, mttr, crews=crews)
    big_l, util, w = b.mean_in_repair, b.crew_utilization, b.repair_response_h
    assert 0.0 <= big_l <= n
    assert 0.0 <= util <= 1.0
    assert w >= mttr * (1 - 1e-13)
    r = b.effective_crews
    thr = (n - big_l) / mttf
    # rho_c r mu = throughput (flow balance); cancellation in n - L only when L ~ n
    if big_l < 0.5 * n:
        assert util * r / mttr == pytest.approx(thr, rel=1e-10)
    if crews >= n:
        assert w == pytest.approx(mttr, rel=1e-13)


def test_no_repair():
    b = KofN(4, 2, 100.0, math.inf, crews=1)
    assert b.mean_in_repair == 4.0
    assert b.crew_utilization == 1.0
    assert b.repair_response_h == math.inf


def test_large_pool_fast_and_quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        b = KofN(1_000_000, 999_000, 1e4, 2.0, crews=5)
        big_l = b.mean_in_repair
        # lambda n / mu = 200 units in repair demanded, 5 crews: saturated, L near n
        assert 0.0 < big_l <= 1_000_000
        assert b.crew_utilization == pytest.approx(1.0, abs=1e-12)
        assert math.isfinite(b.repair_response_h)
        tiny = KofN(1_000, 1, 1e15, 1e-9, crews=1)
        assert tiny.mean_in_repair == pytest.approx(1e3 * 1e-24, rel=1e-9)
        assert tiny.repair_response_h == pytest.approx(1e-9, rel=1e-9)


def test_lazy():
    """Construction computes nothing new (the benchmarks time it)."""
    b = KofN(6, 1, 20.0, 2.0, crews=1)
    assert "_repair_queue" not in b.__dict__ and "_solution" not in b.__dict__
    assert b.crew_utilization > 0.0
    assert "_repair_queue" in b.__dict__
