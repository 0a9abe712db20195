"""The analysis layer's shortcuts give exactly what evaluate() gives."""

import pytest

from availcalc import evaluate, load_preset, presets
from availcalc.analysis.common import (
    HIGHER_IS_BETTER,
    INPUT_METRICS,
    LOWER_IS_BETTER,
    RELIABILITY_METRICS,
    TEXT_METRICS,
    reliability_blocks,
    reliability_metric,
)
from availcalc.model.evaluate import METRICS


@pytest.mark.parametrize("name", presets())
def test_reliability_metrics_equal_evaluate(name):
    # importance(), the failover crossover and tornado on availability metrics skip the
    # queueing part; the numbers must be the very ones evaluate() reports
    s = load_preset(name)
    for scenario in (s, s.replace(**{"send_host.mttr_h": 3.0})):
        ev = evaluate(scenario)
        for m in RELIABILITY_METRICS:
            assert reliability_metric(scenario, m) == getattr(ev, m), (name, m)


def test_block_names_follow_the_downtime_breakdown():
    ev = evaluate(load_preset("http_scaled_out_2node_tuned"))
    assert reliability_blocks(ev) == {
        "messagebox": "MessageBox SQL cluster",
        "storage": "MessageBox shared storage",
        "send_host": "send host instances",
        "destination": "destination endpoint",
    }
    bare = load_preset("msmq_nonclustered_3x").replace(messagebox=None)
    assert reliability_blocks(evaluate(bare)) == {"send_host": "send host instances"}


def test_every_metric_has_a_direction():
    # a new metric must be classified, or scaled_out_beats_clustered_at would misjudge it
    tables = [LOWER_IS_BETTER, HIGHER_IS_BETTER, INPUT_METRICS, TEXT_METRICS]
    assert set().union(*tables) == set(METRICS)
    assert sum(len(t) for t in tables) == len(METRICS)  # disjoint
    assert RELIABILITY_METRICS <= set(METRICS)
