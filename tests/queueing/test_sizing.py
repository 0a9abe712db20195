"""min_servers: exact answers checked with mpmath, vector == scalar, c ~ 1e6, errors."""

import math

import mpmath as mp
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from availcalc.queueing import MMc, min_servers
from tests.queueing import mpref

LOADS = [0.5, 3.7, 8.0, 45.5, 250.0, 1000.0, 12345.6, 987654.25]


def _mp_metrics(a, c, t=0.0, q=0.95):
    """Wq, P(Wq > t), w_q at mu = 1 from 50-digit Erlang C (None when c <= a: unstable)."""
    if c <= a:
        return None
    cw = mpref.erlang_c(c, a)
    theta = c - mp.mpf(a)
    return {
        "max_mean_wait": cw / theta,
        "max_prob_wait_exceeds": cw * mp.exp(-theta * mp.mpf(t)),
        "max_wait_percentile": max(mp.mpf(0), mp.log(cw / (1 - mp.mpf(q))) / theta),
    }


@pytest.mark.parametrize("a", LOADS)
@pytest.mark.parametrize("kind", ["max_mean_wait", "max_prob_wait_exceeds", "max_wait_percentile"])
@pytest.mark.parametrize("beta", [0.3, 1.5, 4.0])
def test_exact_against_mpmath(a, kind, beta):
    """c meets the target and c - 1 does not, judged by 50-digit metrics.

    Targets are placed between the mpmath metric at c* - 1 and at c* (geometric mean: far from
    a tie), c* = a + beta sqrt(a); when that is degenerate (c* - 1 unstable, a wait percentile
    already 0) the check still holds for whatever c comes out.
    """
    c_star = math.floor(a + beta * math.sqrt(a)) + 1
    t = 0.05 if kind == "max_prob_wait_exceeds" else 0.0
    hi, lo = _mp_metrics(a, c_star - 1, t), _mp_metrics(a, c_star, t)
    if hi is None:
        target = float(2 * lo[kind])
    elif lo[kind] == 0:
        target = float(hi[kind] / 2)
    else:
        target = float(mp.sqrt(hi[kind] * lo[kind]))
        assert min_servers(a, 1.0, **_kw(kind, target, t)) == c_star
    if kind == "max_prob_wait_exceeds":
        target = min(target, 0.5)
    c = min_servers(a, 1.0, **_kw(kind, target, t))
    assert min_servers(np.array([a]), 1.0, **_kw(kind, target, t))[0] == c
    assert _mp_metrics(a, c, t)[kind] <= target
    below = _mp_metrics(a, c - 1, t)
    assert below is None or below[kind] > target


def _kw(kind, target, t):
    kwargs = {kind: target}
    if kind == "max_prob_wait_exceeds":
        kwargs["wait_threshold"] = t
    return kwargs


@pytest.mark.parametrize("a", LOADS)
@pytest.mark.parametrize("umax", [0.3, 0.7, 0.85, 1.0])
def test_utilization_exact(a, umax):
    c = min_servers(a, 1.0, max_utilization=umax)
    assert a / c <= umax and c > a
    assert c - 1 <= a or a / (c - 1) > umax


def test_consistent_with_mmc_and_combined_targets():
    for lam, mu in [(8.0, 1.0), (37.0, 0.7), (1234.5, 2.5)]:
        kw = {
            "max_mean_wait": 0.01 / mu,
            "max_prob_wait_exceeds": 0.02,
            "wait_threshold": 0.1 / mu,
            "max_wait_percentile": 0.2 / mu,
            "percentile": 0.99,
            "max_utilization": 0.9,
        }
        c = min_servers(lam, mu, **kw)
        m, m1 = MMc(lam, mu, c), MMc(lam, mu, c - 1)
        assert m.mean_wait <= kw["max_mean_wait"]
        assert m.prob_wait_exceeds(kw["wait_threshold"]) <= kw["max_prob_wait_exceeds"]
        assert m.wait_percentile(0.99) <= kw["max_wait_percentile"]
        assert m.utilization <= 0.9
        assert (
            not m1.stable
            or m1.mean_wait > kw["max_mean_wait"]
            or m1.prob_wait_exceeds(kw["wait_threshold"]) > kw["max_prob_wait_exceeds"]
            or m1.wait_percentile(0.99) > kw["max_wait_percentile"]
            or m1.utilization > 0.9
        )
        singles = [
            min_servers(lam, mu, max_mean_wait=kw["max_mean_wait"]),
            min_servers(lam, mu, max_prob_wait_exceeds=0.02, wait_threshold=kw["wait_threshold"]),
            min_servers(lam, mu, max_wait_percentile=kw["max_wait_percentile"], percentile=0.99),
            min_servers(lam, mu, max_utilization=0.9),
        ]
        assert c == max(singles)


def test_million_servers_and_tiny_targets():
    c = min_servers(1e6, 1.0, max_prob_wait_exceeds=1e-200, wait_threshold=0.0)
    m, m1 = MMc(1e6, 1.0, c), MMc(1e6, 1.0, c - 1)
    assert m.prob_wait <= 1e-200 < m1.prob_wait
    # beyond the double range: judged in log space
    c2 = min_servers(1e6, 1.0, max_mean_wait=1e-320)
    assert MMc(1e6, 1.0, c2).log_prob_wait - math.log(c2 - 1e6) <= math.log(1e-320)
    assert MMc(1e6, 1.0, c2 - 1).log_prob_wait - math.log(c2 - 1 - 1e6) > math.log(1e-320)


@given(
    lam=st.floats(min_value=0.01, max_value=5000.0),
    w=st.floats(min_value=1e-6, max_value=10.0),
)
def test_vector_equals_scalar_and_minimality(lam, w):
    c = min_servers(lam, 1.0, max_mean_wait=w)
    assert min_servers(np.array([lam, lam]), 1.0, max_mean_wait=w).tolist() == [c, c]
    assert MMc(lam, 1.0, c).mean_wait <= w
    assert c == 1 or not MMc(lam, 1.0, c - 1).stable or MMc(lam, 1.0, c - 1).mean_wait > w


def test_types():
    assert isinstance(min_servers(8.0, 1.0, max_mean_wait=0.1), int)
    out = min_servers(np.array([[4.0, 8.0]]), 1.0, max_mean_wait=np.array([[0.1], [1.0]]))
    assert out.shape == (2, 2) and out.dtype == np.int64
    s = min_servers(pd.Series([4.0, 8.0], index=["a", "b"]), 1.0, max_utilization=0.8)
    assert isinstance(s, pd.Series) and s.to_dict() == {"a": 5, "b": 10}


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({}, "target"),
        ({"max_prob_wait_exceeds": 0.1}, "wait_threshold"),
        ({"wait_threshold": 0.1, "max_mean_wait": 1.0}, "max_prob_wait_exceeds"),
        ({"max_mean_wait": 0.0}, "max_mean_wait"),
        ({"max_mean_wait": -1.0}, "max_mean_wait"),
        ({"max_prob_wait_exceeds": 1.5, "wait_threshold": 0.1}, "max_prob_wait_exceeds"),
        ({"max_prob_wait_exceeds": 0.1, "wait_threshold": -1.0}, "wait_threshold"),
        ({"max_wait_percentile": 0.1, "percentile": 1.0}, "percentile"),
        ({"max_wait_percentile": float("nan")}, "max_wait_percentile"),
        ({"max_utilization": 1.2}, "max_utilization"),
        ({"max_utilization": 0.0}, "max_utilization"),
    ],
)
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        min_servers(8.0, 1.0, **kwargs)
    with pytest.raises(ValueError, match="arrival_rate"):
        min_servers(-8.0, 1.0, max_mean_wait=1.0)


@pytest.mark.parametrize(
    "kw",
    [
        {"max_mean_wait": 0.1},
        {"max_prob_wait_exceeds": 0.01, "wait_threshold": 0.1},
        {"max_wait_percentile": 0.1, "percentile": 0.95},
        {"max_utilization": 0.8},
    ],
)
def test_offered_load_too_large_to_count_is_refused_at_once(kw):
    """Issue 14: min_servers(1e300, 1, ...) ran forever (1e300 + step == 1e300)."""
    with pytest.raises(ValueError, match=r"service_rate .* <= 1e\+15 .* got 1e\+300"):
        min_servers(1e300, 1.0, **kw)
    with pytest.raises(ValueError, match="offered load"):
        min_servers(np.array([10.0, 1e300]), 1.0, **kw)
    assert min_servers(1e15, 1.0, **kw) > 1e15  # the largest sized load still answers
