"""Every preset: the analytic latency, availability and performability lie in the simulation's CI.

The intervals are 99.9 %: with about 60 checks over all presets, a correct model and simulator
fail one by chance with probability of about 6 % for an arbitrary seed (Bonferroni); the seed
is fixed, so the outcome is deterministic. 20 replications of 500 simulated years and 10 000
messages per queue run: the latency intervals are ±1–3 %, availability ±0.5 % of the
unavailability for the clustered MessageBox presets.
"""

import pytest

from availcalc import evaluate, load_preset, presets
from availcalc.simulation import simulate, validate

CHECKED = (
    "throughput_per_s",
    "mean_latency_s",
    "latency_percentile_s",
    "availability",
    "downtime_min_per_year",
    "failures_per_year",
    "expected_throughput_fraction",
    "sla_availability_excluding_backlog",
)


@pytest.mark.slow
@pytest.mark.parametrize("name", presets())
def test_preset_analytic_inside_simulated_ci(name):
    df = validate(
        load_preset(name),
        replications=20,
        years=500,
        messages=10_000,
        confidence=0.999,
        seed=2026,
        n_jobs=2,
    ).set_index("metric")
    for metric in CHECKED:
        row = df.loc[metric]
        assert bool(row["agrees"]), (name, metric, row.to_dict())
    # latency with one instance down, component and state checks: reported, and mostly agree
    checked = df["agrees"].dropna()
    assert checked.mean() >= 0.8, df[~df["agrees"].fillna(True)]


def test_overloaded_preset_is_reported_as_such():
    s = load_preset("http_scaled_out_2node")
    sim = simulate(s, replications=4, years=20, messages=4_000, seed=1, n_jobs=1)
    ev = evaluate(s)
    assert sim.mean_latency_s.mean == float("inf") == ev.mean_latency_s
    assert ev.capacity_per_s in sim.throughput_per_s
    assert sim.sla_availability_excluding_backlog.mean == 0.0 == ev.sla_availability
