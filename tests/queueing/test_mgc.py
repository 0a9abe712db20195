"""M/G/c: exact reductions (M/M/c, Pollaczek-Khinchine), the response-time convolution vs
mpmath quadrature, percentiles, input handling."""

import math

import mpmath as mp
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from availcalc.queueing import MGc, MMc

mp.mp.dps = 30


@pytest.mark.parametrize(("lam", "mu", "c"), [(0.5, 1.0, 1), (8.0, 1.0, 10), (95.0, 0.5, 200)])
def test_both_scv_one_is_exactly_mmc(lam, mu, c):
    g, m = MGc(lam, mu, c), MMc(lam, mu, c)
    assert g.method == "erlang-c"
    for name in ["prob_wait", "mean_wait", "mean_queue_length", "mean_response", "mean_in_system"]:
        assert getattr(g, name) == getattr(m, name)
    for t in [0.0, 0.7, 5.0]:
        assert g.prob_wait_exceeds(t) == m.prob_wait_exceeds(t)
        assert g.prob_response_exceeds(t) == m.prob_response_exceeds(t)
    for q in [0.5, 0.95]:
        assert g.response_percentile(q) == m.response_percentile(q)
        assert g.wait_percentile(q) == m.wait_percentile(q)
    gv = MGc(np.array([lam]), mu, c)
    assert gv.response_percentile(0.9)[0] == pytest.approx(m.response_percentile(0.9), rel=1e-15)


@pytest.mark.parametrize("scv", [0.0, 0.5, 2.0, 4.0])
@pytest.mark.parametrize("rho", [0.1, 0.8, 0.99])
def test_pollaczek_khinchine_at_c1(scv, rho):
    mu = 2.0
    g = MGc(rho * mu, mu, 1, service_scv=scv)
    assert g.method == "pollaczek-khinchine"
    # GSTH (4th ed.) §6.1: Wq = rho E[S] (1 + cs^2) / (2 (1 - rho)); P(wait) = rho
    assert g.mean_wait == pytest.approx(rho / mu * (1 + scv) / (2 * (1 - rho)), rel=1e-13)
    assert g.prob_wait == pytest.approx(rho, rel=1e-13)
    assert g.mean_in_system == pytest.approx(g.arrival_rate * g.mean_response, rel=1e-14)


def test_md1_queue_length():
    # M/D/1: Lq = rho^2 / (2 (1 - rho))
    for rho in [0.3, 0.9]:
        assert MGc(rho, 1.0, 1, service_scv=0.0).mean_queue_length == pytest.approx(
            rho**2 / (2 * (1 - rho)), rel=1e-13
        )


@pytest.mark.parametrize(("ca2", "cs2"), [(1.0, 3.0), (0.5, 0.5), (2.0, 1.0), (0.0, 4.0)])
def test_allen_cunneen_scaling(ca2, cs2):
    g, m = MGc(8.0, 1.0, 10, service_scv=cs2, arrival_scv=ca2), MMc(8.0, 1.0, 10)
    assert g.method == "allen-cunneen"
    assert g.mean_wait == pytest.approx(m.mean_wait * (ca2 + cs2) / 2, rel=1e-14)
    assert g.prob_wait == m.prob_wait
    # wait tail: exponential with the mean matched to Wq / P_w
    assert g.prob_wait_exceeds(0.3) == pytest.approx(
        m.prob_wait * math.exp(-0.3 * m.prob_wait / g.mean_wait), rel=1e-13
    )


def _mp_params(g):
    pw = mp.mpf(g.prob_wait)
    k = 1 / mp.mpf(g.service_scv)
    beta = k * mp.mpf(g.service_rate)
    eta = pw / mp.mpf(g.mean_wait)
    return pw, k, beta, eta


def _mp_response_sf_closed(g, x):
    """P(T > x) = Q(k, beta x) + P_w J(x), J by Kummer's M at 30 digits (mpmath hyp1f1)."""
    pw, k, beta, eta = _mp_params(g)
    x = mp.mpf(x)
    j = (
        mp.exp(-beta * x)
        * (beta * x) ** k
        / mp.gamma(k + 1)
        * mp.hyp1f1(1, k + 1, (beta - eta) * x)
    )
    return mp.gammainc(k, beta * x, mp.inf, regularized=True) + pw * j


def _mp_response_sf_quad(g, x):
    """The same law by numerical convolution (independent of the closed form)."""
    pw, k, beta, eta = _mp_params(g)
    x = mp.mpf(x)
    if k < 1:  # s = u^(1/k) removes the s^(k-1) singularity: s^(k-1) ds = du/k
        conv = mp.quad(
            lambda u: (
                beta**k / mp.gamma(k + 1) * mp.exp(-beta * u ** (1 / k) - eta * (x - u ** (1 / k)))
            ),
            mp.linspace(0, x**k, 6),
        )
    else:
        conv = mp.quad(
            lambda s: beta**k * s ** (k - 1) / mp.gamma(k) * mp.exp(-beta * s - eta * (x - s)),
            mp.linspace(0, x, 6),
        )
    return mp.gammainc(k, beta * x, mp.inf, regularized=True) + pw * conv


@pytest.mark.parametrize("scv", [0.25, 0.5, 0.7, 2.0, 3.0, 4.0])
@pytest.mark.parametrize(("lam", "c"), [(0.5, 1), (8.0, 10), (9.9, 10)])
def test_gamma_response_tail_vs_mpmath(scv, lam, c):
    """Closed form within 1e-12 of mpmath's; the convolution integral confirms the formula."""
    g = MGc(lam, 1.0, c, service_scv=scv)
    xs = [0.05, 0.5, 1.0, 3.0, 12.0, 40.0]
    vec = g.prob_response_exceeds(np.array(xs))
    for i, x in enumerate(xs):
        ref = _mp_response_sf_closed(g, x)
        assert float(abs(vec[i] - ref) / ref) <= 1e-12, (x, vec[i], ref)
        assert g.prob_response_exceeds(x) == pytest.approx(vec[i], rel=1e-15)
    if lam == 8.0:
        ref_q = _mp_response_sf_quad(g, 3.0)
        assert float(abs(vec[xs.index(3.0)] - ref_q) / ref_q) <= 1e-9


@pytest.mark.parametrize("scv", [0.0, 0.3, 2.0, 3.5])
@pytest.mark.parametrize("q", [0.1, 0.5, 0.95, 0.9999])
def test_response_percentile_inverts_tail(scv, q):
    g = MGc(8.0, 1.0, 10, service_scv=scv, arrival_scv=1.5)
    x = g.response_percentile(q)
    if scv == 0.0:
        assert x == pytest.approx(1.0 + g.wait_percentile(q), rel=1e-15)
    else:
        assert g.prob_response_exceeds(x) == pytest.approx(1 - q, rel=1e-10)
    assert x >= g.wait_percentile(q)
    v = MGc(np.array([8.0, 8.0]), 1.0, 10, service_scv=scv, arrival_scv=1.5)
    assert v.response_percentile(q)[0] == pytest.approx(x, rel=1e-12)


def test_continuous_in_scv_around_one():
    m = MMc(8.0, 1.0, 10).response_percentile(0.95)
    for scv in [1 - 1e-7, 1 + 1e-7]:
        assert MGc(8.0, 1.0, 10, service_scv=scv).response_percentile(0.95) == pytest.approx(
            m, rel=1e-6
        )


def test_deterministic_everything_no_wait():
    g = MGc(8.0, 1.0, 10, service_scv=0.0, arrival_scv=0.0)
    assert g.mean_wait == 0.0 and g.prob_wait == 0.0
    assert g.response_percentile(0.99) == pytest.approx(1.0)
    assert g.prob_wait_exceeds(0.0) == 0.0
    assert g.prob_response_exceeds(0.5) == 1.0 and g.prob_response_exceeds(1.5) == 0.0


def test_unstable():
    g = MGc(12.0, 1.0, 10, service_scv=3.0)
    assert g.stable is False and g.mean_wait == math.inf
    assert g.response_percentile(0.9) == math.inf and g.prob_response_exceeds(3.0) == 1.0
    v = MGc(np.array([8.0, 12.0]), 1.0, 10, service_scv=3.0)
    r = v.response_percentile(0.9)
    assert math.isfinite(r[0]) and r[1] == math.inf


@given(
    rho=st.floats(min_value=0.05, max_value=0.98),
    c=st.integers(min_value=1, max_value=50),
    scv=st.floats(min_value=0.0, max_value=5.0),
)
def test_properties(rho, c, scv):
    g = MGc(rho * c, 1.0, c, service_scv=scv)
    assert 0.0 <= g.prob_wait <= 1.0
    p1, p2 = g.prob_response_exceeds(0.5), g.prob_response_exceeds(2.0)
    assert 0.0 <= p2 <= p1 <= 1.0
    assert g.response_percentile(0.5) <= g.response_percentile(0.9)


def test_types_methods_frame():
    v = MGc(8.0, 1.0, np.array([1, 10, 10]), service_scv=np.array([2.0, 1.0, 2.0]))
    assert list(v.method) == ["pollaczek-khinchine", "erlang-c", "allen-cunneen"]
    df = v.to_frame()
    assert list(df["method"]) == list(v.method) and len(df) == 3
    s = MGc(pd.Series([0.5, 0.8], index=["a", "b"]), 1.0, 1, service_scv=2.0)
    assert list(s.method.index) == ["a", "b"]
    assert isinstance(s.response_percentile(0.9), pd.Series)
    assert "method='allen-cunneen'" in repr(MGc(8.0, 1.0, 10, service_scv=3.0))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"service_scv": -0.1}, "service_scv"),
        ({"service_scv": float("nan")}, "service_scv"),
        ({"arrival_scv": -1.0}, "arrival_scv"),
        ({"arrival_scv": np.array([1.0, np.inf])}, "arrival_scv"),
        ({"servers": 0}, "servers"),
        ({"arrival_rate": 0.0}, "arrival_rate"),
    ],
)
def test_bad_input(kwargs, match):
    args = {"arrival_rate": 1.0, "service_rate": 1.0, "servers": 2} | kwargs
    with pytest.raises(ValueError, match=match):
        MGc(**args)
