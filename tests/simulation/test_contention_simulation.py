"""The simulation slows the MessageBox with the instances polling it, as the analytic model.

Second method for ``messagebox.contention_per_host`` (issue 19.6): each queue run's MessageBox
station serves at C / (1 + σ(a − 1)) with a instances running, so with strong contention one
instance down makes the path *faster*; analytic and simulated numbers must show it alike.
"""

from __future__ import annotations

import pytest

import availcalc as ac

BUSY = {
    "messagebox.contention_per_host": 1.0,  # 600 / 8 = 75 msg/s with all 8 instances polling
    "workload.arrival_rate_per_s": 60.0,
    "send_host.instances": 8,
}


@pytest.fixture(scope="module")
def checked():
    s = ac.load_preset("http_scaled_out_2node").replace(**BUSY)
    return ac.evaluate(s), ac.validate(s, replications=6, years=20, seed=3).set_index("metric")


def test_contention_latencies_agree_with_the_simulation(checked):
    ev, v = checked
    assert ev.bottleneck == "MessageBox"
    for metric in ("mean_latency_s", "latency_percentile_s", "latency_one_down_s"):
        assert v.loc[metric, "agrees"], v.loc[metric]
    # the contention signature: one instance down, the MessageBox is faster, and so the path
    assert ev.latency_one_down_s < ev.latency_percentile_s
    assert v.loc["latency_one_down_s", "ci_high"] < v.loc["latency_percentile_s", "ci_low"]


def test_without_contention_the_path_is_faster(checked):
    ev, _ = checked
    s = ac.load_preset("http_scaled_out_2node").replace(
        **{**BUSY, "messagebox.contention_per_host": 0.0}
    )
    assert ac.evaluate(s).mean_latency_s < 0.8 * ev.mean_latency_s


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"messagebox.databases": 3}, r"messagebox\.databases must be 1 here; got 3"),
        (
            {"messagebox.contention_per_host": 0.1, "send_port.ordered_delivery": True},
            r"contention_per_host must be 0 with send_port\.ordered_delivery here; got 0\.1",
        ),
    ],
)
def test_what_the_simulation_does_not_model_is_refused_by_name(changes, match):
    s = ac.load_preset("http_scaled_out_2node").replace(**changes)
    with pytest.raises(ValueError, match=match):
        ac.simulate(s, replications=2, years=1)
