"""Calibration helpers: closed forms, coverage by simulation, bad input."""

import math

import numpy as np
import pytest
from scipy import stats

from availcalc.model.calibration import reliability_from_incidents, service_from_samples


def test_incident_fit_closed_form():
    fit = reliability_from_incidents([2.0, 0.5, 1.5, 0.1], observed_h=8760, units=2)
    exposure = 2 * 8760 - 4.1
    assert fit.exposure_h == pytest.approx(exposure)
    assert fit.mttf_h == pytest.approx(exposure / 4)
    assert fit.mttr_h == pytest.approx(4.1 / 4)
    # chi-square bounds (time-terminated): 2T/chi2(0.95; 10) and 2T/chi2(0.05; 8)
    assert fit.mttf_low_h == pytest.approx(2 * exposure / stats.chi2.ppf(0.95, 10))
    assert fit.mttf_high_h == pytest.approx(2 * exposure / stats.chi2.ppf(0.05, 8))
    assert fit.mttr_low_h < fit.mttr_h < fit.mttr_high_h


def test_no_incidents_gives_a_lower_bound_only():
    fit = reliability_from_incidents([], observed_h=8760, units=3)
    assert fit.failures == 0 and math.isinf(fit.mttf_h) and fit.mttr_h is None
    # zero failures in T: lower bound 2T/chi2(0.95; 2) = T/(-ln 0.05)
    assert fit.mttf_low_h == pytest.approx(3 * 8760 / -math.log(0.05), rel=1e-12)


def test_mttf_interval_coverage_by_simulation():
    rng = np.random.default_rng(7)
    mttf, mttr, window, hits, trials = 500.0, 2.0, 5000.0, 0, 400
    for _ in range(trials):
        t, durations = 0.0, []
        while True:
            t += rng.exponential(mttf)
            if t >= window:
                break
            d = rng.exponential(mttr)
            durations.append(d)
            t += d
        fit = reliability_from_incidents(durations, observed_h=window, confidence=0.9)
        hits += fit.mttf_low_h <= mttf <= fit.mttf_high_h
    # 90 % nominal (conservative for time-terminated data): binomial sd ≈ 1.5 %
    assert 0.85 <= hits / trials <= 0.97


def test_service_fit():
    rng = np.random.default_rng(1)
    x = rng.gamma(shape=0.5, scale=0.4, size=200_000)  # mean 0.2, scv 2
    fit = service_from_samples(x)
    assert fit.service_time_s == pytest.approx(0.2, rel=0.01)
    assert fit.service_scv == pytest.approx(2.0, rel=0.03)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: reliability_from_incidents([1.0], observed_h=0), "observed_h"),
        (lambda: reliability_from_incidents([-1.0], observed_h=10), "outage_durations_h"),
        (lambda: reliability_from_incidents([1.0], observed_h=10, units=0), "units"),
        (lambda: reliability_from_incidents([20.0], observed_h=10), "must sum to less than units"),
        (lambda: reliability_from_incidents([1.0], 10, confidence=1.0), "confidence"),
        (lambda: service_from_samples([0.1]), "at least 2"),
        (lambda: service_from_samples([0.1, math.nan]), "durations_s"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
