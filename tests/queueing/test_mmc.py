"""M/M/c against mpmath (50 digits), closed forms, identities, properties, input handling."""

import dataclasses
import math

import mpmath as mp
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from availcalc.queueing import MMc
from tests.queueing import mpref

SERVERS = [1, 2, 3, 5, 10, 16, 50, 100, 500, 1000, 5000, 10**4, 10**5, 10**6]
RHOS = [1e-6, 0.01, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999]
# service rates are powers of two so that a = lam/mu and c*mu are exact in binary: the
# comparison then measures the library, not the rounding of its inputs (see docs/queueing.md)
MUS = [1.0, 0.25, 4.0]
GRID = [
    (rho * c * MUS[i % 3], MUS[i % 3], c)
    for i, (c, rho) in enumerate((c, r) for c in SERVERS for r in RHOS)
]
TINY = mp.mpf("1e-300")
WORST: dict[str, float] = {}


def _record(name, err):
    WORST[name] = max(WORST.get(name, 0.0), err)
    return err


@pytest.fixture(scope="module")
def grid():
    lam = np.array([g[0] for g in GRID])
    mu = np.array([g[1] for g in GRID])
    c = np.array([g[2] for g in GRID], dtype=float)
    refs = [mpref.mmc(*g) for g in GRID]
    return MMc(lam, mu, c), refs


MEANS = ["prob_wait", "log_prob_wait", "mean_wait", "mean_queue_length", "mean_response"]


def test_means_vs_mpmath(grid):
    """C, log C, Wq, Lq, W, L within 1e-12 relative on 168 cases (c = 1..1e6, rho <= 0.9999)."""
    model, refs = grid
    for name in [*MEANS, "mean_in_system"]:
        got = getattr(model, name)
        for i, ref in enumerate(refs):
            r = ref[name]
            if name in ("prob_wait", "mean_wait", "mean_queue_length") and abs(r) < TINY:
                continue  # underflows: covered by log_prob_wait
            assert _record(name, mpref.rel(got[i], r)) <= 1e-12, (name, GRID[i])


def test_scalar_path_matches_vector_path(grid):
    """The two paths agree to 1e-13 (each is held to mpmath at 1e-12 above).

    They are not bit-identical: for small systems (c <= 170, a < 64) the plain-float path forms
    the Poisson term e^-a a^c / c! directly (``_kernels.erlang_c_s``), the batch path in log
    space; the largest difference on this grid is 4e-14 relative.
    """
    model, _ = grid
    for i, (lam, mu, c) in enumerate(GRID):
        s = MMc(lam, mu, c)
        for name in [*MEANS, "mean_in_system", "utilization", "offered_load", "throughput"]:
            assert getattr(s, name) == pytest.approx(getattr(model, name)[i], rel=1e-13, abs=0)
        assert s.stable is True


def test_wait_tail_vs_mpmath(grid):
    """P(Wq > t) at values 0.5 C, 1e-20, 1e-300 and (log form) 1e-5000."""
    model, refs = grid
    for i, ref in enumerate(refs):
        lam, mu, c = GRID[i]
        theta = float(ref["theta"])
        logc = float(ref["log_prob_wait"])
        for logp in [logc - math.log(2.0), -46.0, -690.0, -11500.0]:
            t = max(0.0, (logc - logp) / theta)
            r_log = ref["log_prob_wait"] - ref["theta"] * mpref.mpf(t)
            got_log = model.log_prob_wait_exceeds(t)[i]
            assert _record("log P(Wq>t)", mpref.rel(got_log, r_log)) <= 1e-12
            r = mp.exp(r_log)
            if r > TINY:
                got = MMc(lam, mu, c).prob_wait_exceeds(t)
                assert _record("P(Wq>t)", mpref.rel(got, r)) <= 1e-12, (GRID[i], t)


def test_response_tail_vs_mpmath(grid):
    """P(T > t) at t = 0.5/mu, 4/mu and deep in the tail (~1e-290), exact FCFS sojourn."""
    model, refs = grid
    for i, ref in enumerate(refs):
        lam, mu, c = GRID[i]
        lo = min(mu, float(ref["theta"]))
        for t in [0.5 / mu, 4.0 / mu, 660.0 / lo]:
            r = mpref.response_sf(ref, t)
            got_log = model.log_prob_response_exceeds(t)[i]
            if r < 0.5:
                assert _record("log P(T>t)", mpref.rel(got_log, mp.log(r))) <= 1e-12
            else:  # log of a value near 1: absolute error is the meaningful measure
                assert abs(got_log - mp.log(r)) <= 4e-16
            if r > TINY:
                got = MMc(lam, mu, c).prob_response_exceeds(t)
                assert _record("P(T>t)", mpref.rel(got, r)) <= 1e-12, (GRID[i], t)


@pytest.mark.parametrize("q", [0.5, 0.9, 0.99, 0.999999])
def test_percentiles_vs_mpmath(grid, q):
    model, refs = grid
    w_vec = model.wait_percentile(q)
    t_vec = model.response_percentile(q)
    for i, ref in enumerate(refs):
        lam, mu, c = GRID[i]
        s = MMc(lam, mu, c)
        r_w = mpref.wait_quantile(ref, q)
        # w_q = log(C/(1 - q))/theta cancels when C ~ 1 - q (the atom edge): there the error
        # is absolute, a few ulps of log C over theta; elsewhere relative <= 1e-12
        edge = 8e-16 * (1 + abs(float(ref["log_prob_wait"]))) / float(ref["theta"])
        err = abs(mp.mpf(float(w_vec[i])) - r_w)
        if err > edge:
            assert _record("wait percentile", mpref.rel(w_vec[i], r_w)) <= 1e-12
        r_t = mpref.response_quantile(ref, q, t_vec[i])
        assert _record("response percentile", mpref.rel(t_vec[i], r_t)) <= 1e-12, GRID[i]
        assert s.response_percentile(q) == pytest.approx(t_vec[i], rel=1e-14)
        assert s.wait_percentile(q) == pytest.approx(w_vec[i], rel=1e-15)


def test_report_worst_errors():
    # runs after the grid tests (file order); `pytest -s` shows the table
    print("\nM/M/c worst relative error vs mpmath (50 digits), 168 cases, c up to 1e6:")
    for k, v in sorted(WORST.items()):
        print(f"  {k:22s} {v:.2e}")
    assert all(v <= 1e-12 for v in WORST.values())


# ---- closed forms and identities ----------------------------------------------------------
@pytest.mark.parametrize(("lam", "mu"), [(0.5, 1.0), (0.9, 1.0), (3.0, 7.0), (0.9999, 1.0)])
def test_mm1_closed_forms(lam, mu):
    q = MMc(lam, mu, 1)
    rho = lam / mu
    assert q.prob_wait == pytest.approx(rho, rel=1e-14)
    assert q.mean_response == pytest.approx(1 / (mu - lam), rel=1e-12)
    assert q.mean_queue_length == pytest.approx(rho**2 / (1 - rho), rel=1e-12)
    for t in [0.0, 0.3, 5.0, 100.0]:
        assert q.prob_response_exceeds(t) == pytest.approx(math.exp(-(mu - lam) * t), rel=1e-12)
        assert q.prob_wait_exceeds(t) == pytest.approx(rho * math.exp(-(mu - lam) * t), rel=1e-12)
    assert q.response_percentile(0.95) == pytest.approx(-math.log(0.05) / (mu - lam), rel=1e-13)


@pytest.mark.parametrize("rho", [0.1, 0.5, 0.9])
def test_mm2_closed_form(rho):
    # M/M/2: Lq = 2 rho^3 / (1 - rho^2), L = 2 rho / (1 - rho^2)
    q = MMc(2 * rho * 3.0, 3.0, 2)
    assert q.mean_queue_length == pytest.approx(2 * rho**3 / (1 - rho**2), rel=1e-13)
    assert q.mean_in_system == pytest.approx(2 * rho / (1 - rho**2), rel=1e-13)


def test_theta_equal_mu_has_no_cancellation():
    # theta = c mu - lam = mu: P(T > t) = e^{-mu t}(1 + C mu t)
    q = MMc(1.0, 1.0, 2)
    for t in [1e-9, 0.5, 3.0, 50.0]:
        ref = math.exp(-t) * (1 + q.prob_wait * t)
        assert q.prob_response_exceeds(t) == pytest.approx(ref, rel=1e-14)


@given(
    lam=st.floats(min_value=0.01, max_value=100.0),
    mu=st.floats(min_value=0.01, max_value=10.0),
    c=st.integers(min_value=1, max_value=400),
)
def test_littles_law_and_bounds(lam, mu, c):
    q = MMc(lam, mu, c)
    if not q.stable:
        assert math.isinf(q.mean_wait) and q.prob_wait == 1.0
        return
    assert q.mean_in_system == pytest.approx(lam * q.mean_response, rel=1e-13)
    assert q.mean_queue_length == pytest.approx(lam * q.mean_wait, rel=1e-13)
    assert q.mean_in_system == pytest.approx(q.mean_queue_length + lam / mu, rel=1e-12)
    assert 0.0 <= q.prob_wait <= 1.0
    for t in [0.0, 0.1 / mu, 1.0 / mu, 10.0 / mu]:
        pw, pt = q.prob_wait_exceeds(t), q.prob_response_exceeds(t)
        assert 0.0 <= pw <= pt <= 1.0


@given(
    a=st.floats(min_value=0.05, max_value=300.0),
    c=st.integers(min_value=1, max_value=400),
)
def test_wait_decreasing_in_servers(a, c):
    if c <= a:
        return
    assert MMc(a, 1.0, c + 1).mean_wait <= MMc(a, 1.0, c).mean_wait
    assert MMc(a, 1.0, c + 1).response_percentile(0.9) <= MMc(a, 1.0, c).response_percentile(0.9)


@given(
    lam=st.floats(min_value=0.01, max_value=50.0),
    dl=st.floats(min_value=1e-6, max_value=10.0),
    c=st.integers(min_value=1, max_value=100),
)
def test_wait_increasing_in_arrival_rate(lam, dl, c):
    lo, hi = MMc(lam, 1.0, c), MMc(lam + dl, 1.0, c)
    assert hi.mean_wait >= lo.mean_wait
    assert hi.prob_wait >= lo.prob_wait


@given(
    rho=st.floats(min_value=0.01, max_value=0.999),
    c=st.integers(min_value=1, max_value=300),
    q1=st.floats(min_value=0.01, max_value=0.999999),
    q2=st.floats(min_value=0.01, max_value=0.999999),
)
def test_percentiles_monotone_and_invert_the_tail(rho, c, q1, q2):
    m = MMc(rho * c, 1.0, c)
    lo, hi = sorted([q1, q2])
    assert m.response_percentile(lo) <= m.response_percentile(hi)
    assert m.wait_percentile(lo) <= m.wait_percentile(hi)
    x = m.response_percentile(q1)
    assert m.prob_response_exceeds(x) == pytest.approx(1 - q1, rel=1e-11)
    assert m.wait_percentile(q1) <= x


# ---- overload, types, frames, errors -------------------------------------------------------
def test_unstable_is_a_regime_not_an_error():
    for lam in [10.0, 12.0]:
        q = MMc(lam, 1.0, 10)
        assert q.stable is False
        assert q.prob_wait == 1.0 and q.log_prob_wait == 0.0
        for name in ["mean_wait", "mean_queue_length", "mean_response", "mean_in_system"]:
            assert getattr(q, name) == math.inf
        assert q.throughput == 10.0
        assert q.prob_wait_exceeds(5.0) == 1.0
        assert q.prob_response_exceeds(5.0) == 1.0
        assert q.wait_percentile(0.5) == math.inf
        assert q.response_percentile(0.5) == math.inf


def test_mixed_stable_and_unstable_arrays():
    q = MMc(8.0, 1.0, np.arange(5, 13))
    np.testing.assert_array_equal(q.stable, np.arange(5, 13) > 8)
    assert np.isinf(q.mean_wait[:4]).all() and np.isfinite(q.mean_wait[4:]).all()
    assert (q.prob_wait_exceeds(1.0)[:4] == 1.0).all()
    r = q.response_percentile(0.9)
    assert np.isinf(r[:4]).all() and (r[4:] > 0).all()
    assert (q.mean_wait[4:] >= 0).all()


def test_broadcasting_and_types():
    s = MMc(8.0, 1.0, 10)
    assert isinstance(s.mean_wait, float) and isinstance(s.prob_wait_exceeds(1.0), float)
    v = MMc(8.0, 1.0, np.arange(9, 13))
    assert v.mean_wait.shape == (4,)
    # servers along one axis, thresholds along another
    grid = v.prob_wait_exceeds(np.array([0.0, 0.5, 1.0])[:, None])
    assert grid.shape == (3, 4)
    assert grid[2, 1] == pytest.approx(s.prob_wait_exceeds(1.0), rel=1e-15)
    ser = pd.Series([8.0, 9.0], index=["mon", "tue"])
    m = MMc(ser, 1.0, 10)
    assert isinstance(m.mean_wait, pd.Series) and list(m.mean_wait.index) == ["mon", "tue"]
    assert isinstance(m.stable, pd.Series) and m.stable.dtype == bool
    assert isinstance(m.response_percentile(0.9), pd.Series)
    assert m.mean_wait["mon"] == pytest.approx(s.mean_wait, rel=1e-15)
    assert MMc(np.float64(8.0), np.float64(1.0), np.int64(10)).mean_wait == s.mean_wait


def test_to_frame():
    df = MMc(8.0, 1.0, np.arange(9, 12)).to_frame()
    assert list(df.columns) == [
        "arrival_rate",
        "service_rate",
        "servers",
        "offered_load",
        "utilization",
        "stable",
        "prob_wait",
        "mean_queue_length",
        "mean_wait",
        "mean_response",
        "mean_in_system",
        "throughput",
    ]
    assert len(df) == 3 and df["servers"].tolist() == [9, 10, 11]
    assert len(MMc(8.0, 1.0, 10).to_frame()) == 1
    idx = MMc(pd.Series([1.0, 2.0], index=["a", "b"]), 1.0, 3).to_frame().index
    assert list(idx) == ["a", "b"]


def test_repr_and_frozen():
    q = MMc(8.0, 1.0, 10)
    text = repr(q)
    assert "MMc(arrival_rate=8.0, service_rate=1.0, servers=10)" in text
    assert "prob_wait=0.40918" in text
    assert "4 cases" in repr(MMc(8.0, 1.0, np.arange(9, 13)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.servers = 3


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"arrival_rate": 0.0}, "arrival_rate"),
        ({"arrival_rate": -1.0}, "arrival_rate"),
        ({"arrival_rate": float("nan")}, "arrival_rate"),
        ({"service_rate": 0.0}, "service_rate"),
        ({"service_rate": float("inf")}, "service_rate"),
        ({"servers": 0}, "servers"),
        ({"servers": 2.5}, "servers"),
        ({"servers": np.array([1, 0])}, "servers"),
        ({"arrival_rate": np.array([1.0, np.nan])}, "arrival_rate"),
        ({"arrival_rate": "three"}, "arrival_rate"),
    ],
)
def test_bad_parameters(kwargs, match):
    args = {"arrival_rate": 1.0, "service_rate": 1.0, "servers": 2} | kwargs
    with pytest.raises(ValueError, match=match):
        MMc(**args)


@pytest.mark.parametrize("q", [0.0, 1.0, -0.1, 1.5, float("nan")])
def test_bad_quantile_level(q):
    m = MMc(1.0, 1.0, 2)
    for f in (m.wait_percentile, m.response_percentile):
        with pytest.raises(ValueError, match="q"):
            f(q)
        with pytest.raises(ValueError, match="q"):
            f(np.array([0.5, q]))


@pytest.mark.parametrize("t", [-1.0, float("nan")])
def test_bad_threshold(t):
    m = MMc(1.0, 1.0, 2)
    for f in (m.prob_wait_exceeds, m.prob_response_exceeds, m.log_prob_wait_exceeds):
        with pytest.raises(ValueError, match="t"):
            f(t)


def test_infinite_threshold():
    m = MMc(1.0, 1.0, 2)
    assert m.prob_wait_exceeds(math.inf) == 0.0
    assert m.prob_response_exceeds(math.inf) == 0.0
    assert m.log_prob_wait_exceeds(np.array([math.inf]))[0] == -math.inf


def test_offered_load_must_fit_a_double():
    for lam, mu in [(1e300, 1e-12), (1e-300, 1e300)]:
        with pytest.raises(ValueError, match="offered load"):
            MMc(lam, mu, 2)
        with pytest.raises(ValueError, match="offered load"):
            MMc(np.array([1.0, lam]), mu, 2)


def test_tiny_load_on_many_servers():
    q = MMc(1e-12, 1.0, 10**9)
    assert q.stable and q.prob_wait == 0.0 and q.log_prob_wait < -1e9
    assert q.mean_response == 1.0
    assert q.response_percentile(0.5) == pytest.approx(math.log(2.0), rel=1e-15)


def test_huge_counts_and_rates_give_the_limit_not_nan():
    """Issue 14: servers = 1.797e308 or service_rate = 1.797e308 returned NaN.

    With c -> inf the Poisson term a^c/c! leaves the float range: C -> 0 (log C = -inf); with
    mu -> inf (c mu overflows to inf) P(Wq > 0) = C, which underflows to 0.
    """
    import warnings

    from availcalc import erlang_c, log_erlang_c

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy RuntimeWarning escapes either
        assert erlang_c(servers=1.797e308, offered_load=8.0) == 0.0
        assert log_erlang_c(servers=1.797e308, offered_load=8.0) == -math.inf
        got = erlang_c(servers=np.array([1.797e308, 10.0]), offered_load=8.0)
        assert got[0] == 0.0 and got[1] == pytest.approx(0.40918015, rel=1e-7)
        assert MMc(8.0, 1.0, servers=1.797e308).prob_wait == 0.0
        assert MMc(8.0, 1.0, servers=np.array([1.797e308])).prob_wait[0] == 0.0
        q = MMc(8.0, 1.797e308, 10)
        assert q.prob_wait_exceeds(0.0) == q.prob_wait == 0.0
        assert list(q.prob_wait_exceeds(np.array([0.0, 1.0]))) == [0.0, 0.0]


@pytest.mark.parametrize(("lam", "mu"), [(1e-299, 1e299), (1e299, 1e-299)])
def test_an_offered_load_outside_the_double_range_is_refused(lam, mu):
    """The plain-float fast path must keep the load check (1e-299 / 1e299 underflows to 0)."""
    with pytest.raises(ValueError, match="offered load"):
        MMc(lam, mu, 3)
    with pytest.raises(ValueError, match="offered load"):
        MMc(np.array([lam]), mu, 3)
