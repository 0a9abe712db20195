"""Invalid input raises ValueError naming the parameter (and its valid range)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from availcalc.reliability import (
    ActivePassive,
    Component,
    KofN,
    MarkovModel,
    NLBPool,
    k_of_n,
    parallel,
    series,
)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"mttf_h": 0.0}, r"mttf_h must be a finite number > 0; got 0\.0"),
        ({"mttf_h": -5.0}, "mttf_h must be"),
        ({"mttf_h": math.nan}, "mttf_h must be"),
        ({"mttf_h": math.inf}, "mttf_h must be a finite"),
        ({"mttr_h": -1.0}, r"mttr_h must be > 0; got -1\.0"),
        ({"mttr_h": 0.0}, "mttr_h must be > 0"),
        ({"mttr_h": "two"}, "mttr_h must be a number; got 'two'"),
        ({"name": ""}, "name must be a non-empty string"),
    ],
)
def test_component_rejects(kwargs, match):
    args = {"name": "c", "mttf_h": 100.0, "mttr_h": 1.0} | kwargs
    with pytest.raises(ValueError, match=match):
        Component(**args)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n": 0}, r"n must be an integer in \[1, 1000000\]; got 0"),
        ({"n": 2.5}, "n must be an integer"),
        ({"k": 5}, r"k must be an integer in \[1, 4\]; got 5"),
        ({"k": 0}, r"k must be an integer in \[1, 4\]"),
        ({"crews": 0}, r"crews must be an integer >= 1; got 0"),
        ({"mttf_h": -1.0}, "mttf_h"),
        ({"mttr_h": -1.0}, "mttr_h"),
    ],
)
def test_kofn_rejects(kwargs, match):
    args = {"n": 4, "k": 2, "mttf_h": 100.0, "mttr_h": 1.0} | kwargs
    with pytest.raises(ValueError, match=match):
        KofN(**args)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"coverage": 1.5}, r"coverage must be in the closed interval \[0, 1\]; got 1\.5"),
        ({"coverage": -0.1}, "coverage"),
        ({"switchover_s": -1.0}, "switchover_s must be a finite number >= 0"),
        ({"manual_failover_h": -0.5}, "manual_failover_h"),
        ({"crews": 0}, "crews must be an integer >= 1"),
        ({"mttf_h": 0.0}, "mttf_h"),
        ({"mttr_h": -2.0}, "mttr_h"),
    ],
)
def test_active_passive_rejects(kwargs, match):
    args = {"mttf_h": 100.0, "mttr_h": 1.0} | kwargs
    with pytest.raises(ValueError, match=match):
        ActivePassive(**args)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"needed": 4}, r"needed must be an integer in \[1, 3\]; got 4"),
        ({"nodes": 0}, r"nodes must be an integer in \[1, 1000000\]"),
        ({"convergence_s": -3.0}, "convergence_s"),
        ({"crews": 0}, "crews"),
    ],
)
def test_nlb_rejects(kwargs, match):
    args = {"nodes": 3, "needed": 2, "mttf_h": 100.0, "mttr_h": 1.0, "convergence_s": 3.0}
    with pytest.raises(ValueError, match=match):
        NLBPool(**(args | kwargs))


def test_diagrams_reject():
    a, b = Component("a", 10.0, 1.0), Component("b", 10.0, 1.0)
    with pytest.raises(ValueError, match="blocks must contain at least one block"):
        series()
    with pytest.raises(ValueError, match="blocks must contain at least one block"):
        parallel()
    with pytest.raises(ValueError, match="blocks must contain at least one block"):
        k_of_n(1, [])
    with pytest.raises(ValueError, match=r"k must be an integer in \[1, 2\]; got 3"):
        k_of_n(3, [a, b])
    with pytest.raises(ValueError, match=r"blocks\[1\] must be a Component"):
        series(a, 3.0)
    with pytest.raises(ValueError, match="both named 'a'"):
        parallel(a, Component("a", 5.0, 1.0))
    parallel(a, a)  # the same object twice is fine (one component)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"transitions": {("u", "d"): -1.0}}, r"transitions must be finite rates >= 0; got -1\.0"),
        ({"transitions": {("u", "d"): math.nan}}, "transitions must be finite rates"),
        ({"transitions": [[0, -1.0], [1.0, 0]]}, "transitions must be rates >= 0 off the diag"),
        ({"transitions": [[-2.0, 1.0], [1.0, -1.0]]}, "transitions diagonal must be 0 or minus"),
        ({"transitions": [[0, 1.0, 0], [1.0, 0, 0]]}, "transitions must be a 2x2 matrix"),
        ({"transitions": {("u", "x"): 1.0}}, "transitions refers to unknown state 'x'"),
        ({"transitions": {("u", "u"): 1.0}}, "self-loops"),
        ({"transitions": {"u": 1.0}}, "transitions keys must be"),
        ({"up_states": []}, "up_states must contain at least one state"),
        ({"up_states": ["z"]}, "up_states contains unknown state 'z'"),
        ({"states": []}, "states must contain at least one state"),
        ({"states": ["u", "u"]}, "states must be unique"),
        ({"initial_state": "q"}, "initial_state must be one of the states"),
        ({"rewards": {"q": 1.0}}, "rewards refers to unknown state"),
        ({"rewards": [1.0]}, "rewards must have one value per state"),
        ({"name": ""}, "name must be a non-empty string"),
    ],
)
def test_markov_model_rejects(kwargs, match):
    args = {
        "states": ["u", "d"],
        "transitions": {("u", "d"): 1.0, ("d", "u"): 2.0},
        "up_states": ["u"],
    } | kwargs
    with pytest.raises(ValueError, match=match):
        MarkovModel(**args)


@pytest.mark.parametrize("t", [-1.0, math.nan, np.array([1.0, -2.0])])
def test_times_are_checked(t):
    c = Component("c", 100.0, 1.0)
    for fn in (c.reliability, c.point_availability, c.interval_availability):
        with pytest.raises(ValueError, match="t_h must be"):
            fn(t)


@pytest.mark.parametrize(
    "make",
    [
        lambda n: KofN(n=n, k=1, mttf_h=1000.0, mttr_h=1.0),
        lambda n: NLBPool(nodes=n, needed=1, mttf_h=1000.0, mttr_h=1.0, convergence_s=5.0),
    ],
)
def test_unit_counts_too_large_to_solve_are_refused_at_once(make):
    """Issue 14: NLBPool(nodes=1e300, ...) was accepted and its solve ran for minutes."""
    from availcalc.reliability.blocks import MAX_UNITS

    for n in (1e300, 10**400, MAX_UNITS + 1):
        with pytest.raises(ValueError, match=r"must be an integer in \[1, 1000000\]"):
            make(n)
    with pytest.raises(ValueError, match=r"got 2\.5"):
        make(2.5)
    assert 0.0 < make(MAX_UNITS).availability <= 1.0  # the limit itself still solves


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ([1, 2], r"mttf_h must be a single number; got \[1, 2\]"),
        (np.array([1.0, 2.0]), r"mttf_h must be a single number; got array"),
        (10**400, r"mttf_h must be a number a double can hold .*got an integer of 401 digits"),
        (None, "mttf_h must be a number; got None"),
        ("10", "mttf_h must be a number; got '10'"),
        (1 + 2j, r"mttf_h must be numeric; got \(1\+2j\)"),
    ],
)
def test_a_single_number_is_required_and_the_error_names_it(value, match):
    """Issue 14: these raised TypeError / OverflowError from float(), naming nothing."""
    import pandas as pd

    with pytest.raises(ValueError, match=match):
        Component("c", mttf_h=value, mttr_h=2.0)
    with pytest.raises(ValueError, match="mttf_h must be"):
        Component("c", mttf_h=pd.NA, mttr_h=2.0)
    with pytest.raises(ValueError, match="convergence_s must be a single number"):
        NLBPool(nodes=3, needed=1, mttf_h=1e3, mttr_h=1.0, convergence_s=[1.0, 2.0])


def test_exact_number_types_are_taken_as_floats():
    from decimal import Decimal
    from fractions import Fraction

    for v in (Fraction(1, 3), Decimal("5"), np.float32(3.0), np.array(4.0), 7):
        assert Component("c", mttf_h=v, mttr_h=2.0).mttf_h == pytest.approx(float(v))


@pytest.mark.parametrize(
    "block",
    [
        Component("c", 1000.0, 4.0),
        KofN(n=3, k=2, mttf_h=1000.0, mttr_h=4.0),
        ActivePassive(mttf_h=1000.0, mttr_h=4.0, switchover_s=30.0),
        series(ActivePassive(mttf_h=1000.0, mttr_h=4.0), Component("c", 1000.0, 4.0)),
    ],
    ids=["component", "kofn", "active_passive", "diagram"],
)
def test_transient_measures_at_extreme_times_are_their_limits(block):
    """Issue 14: overflow warnings at t = 1.797e308, and a diagram's interval availability
    was 0 at t = 5e-324 (its integral underflowed); the limits are A(0) = 1 and A = R(inf)."""
    import warnings

    t = np.array([0.0, 5e-324, 1e-300, 1e300, 1.797e308])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a, r, ia = (
            block.point_availability(t),
            block.reliability(t),
            block.interval_availability(t),
        )
    assert list(a[:2]) == list(r[:2]) == list(ia[:2]) == [1.0, 1.0]
    assert [a[2], r[2], ia[2]] == pytest.approx([1.0, 1.0, 1.0], abs=1e-13)
    assert a[3:] == pytest.approx(block.availability, rel=1e-12)
    assert ia[3:] == pytest.approx(block.availability, rel=1e-12)
    assert list(r[3:]) == [0.0, 0.0]
