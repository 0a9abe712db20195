"""sweep(): the vectorised batches give the numbers evaluate() gives point by point."""

import itertools

import numpy as np
import pandas as pd
import pytest

from availcalc.analysis import sweep
from availcalc.analysis.sweep import batch_metrics
from availcalc.model.evaluate import METRICS, evaluate
from availcalc.model.presets import load_preset, presets
from availcalc.model.queueing_part import queueing_arrays
from availcalc.model.reliability_part import Reliability
from availcalc.model.schema import ScenarioError


def _assert_row_matches(row, ev):
    for key, value in ev.metrics(include_max_load="max_load_per_s" in row).items():
        got = row[key]
        if isinstance(value, str | bool | np.bool_):
            assert got == value, key
        elif np.isinf(value):
            assert np.isinf(got), key
        else:
            # multi-stage percentiles come from a numerical inversion with a Newton finish:
            # batch and single evaluations may stop at slightly different iterates
            assert got == pytest.approx(value, rel=1e-9, abs=1e-300), key


@pytest.mark.parametrize("name", presets())
def test_load_sweep_matches_evaluate(name):
    s = load_preset(name)
    lam = s.workload.arrival_rate_per_s
    values = np.linspace(0.2 * lam, 3.0 * lam, 7)
    df = sweep(s, {"workload.arrival_rate_per_s": values})
    assert list(df.columns[:1]) == ["workload.arrival_rate_per_s"]
    assert set(METRICS) - {"max_load_per_s", "max_load_one_down_per_s"} <= set(df.columns)
    for i in (0, 3, 6):
        ev = evaluate(s.replace(**{"workload.arrival_rate_per_s": values[i]}))
        _assert_row_matches(df.iloc[i], ev)


def test_grid_of_instances_and_load_matches_evaluate_and_itertools_order():
    s = load_preset("sharepoint_2x_nlb3")
    inst, lam = [1, 2, 4], [2.0, 5.0, 9.0]
    df = sweep(s, {"send_host.instances": inst, "workload.arrival_rate_per_s": lam})
    expected = list(itertools.product(inst, lam))
    assert (
        list(zip(df["send_host.instances"], df["workload.arrival_rate_per_s"], strict=True))
        == expected
    )
    for k in (0, 4, 8):
        n, x = expected[k]
        ev = evaluate(s.replace(**{"send_host.instances": n, "workload.arrival_rate_per_s": x}))
        _assert_row_matches(df.iloc[k], ev)


def test_mixed_queueing_paths_and_scv_switch_to_the_ggc_model():
    s = load_preset("http_scaled_out_2node_tuned")
    df = sweep(s, {"send_host.service_scv": [0.5, 1.0, 3.0], "send_host.concurrency": [2, 20]})
    for k, (scv, conc) in enumerate(itertools.product([0.5, 1.0, 3.0], [2, 20])):
        ev = evaluate(s.replace(**{"send_host.service_scv": scv, "send_host.concurrency": conc}))
        _assert_row_matches(df.iloc[k], ev)


def test_reliability_paths_and_max_load():
    s = load_preset("msmq_clustered_active_passive")
    df = sweep(s, {"send_host.failover_s": [10.0, 60.0, 300.0]}, include_max_load=True)
    for k, f in enumerate([10.0, 60.0, 300.0]):
        _assert_row_matches(df.iloc[k], evaluate(s.replace(**{"send_host.failover_s": f})))
    assert df["downtime_min_per_year"].is_monotonic_increasing


def test_zipped_sweep_and_text_paths():
    s = load_preset("msmq_nonclustered_3x")
    df = sweep(
        s,
        {"send_host.handler": ["scaled_out", "clustered"], "send_host.instances": [3, 2]},
        grid=False,
    )
    assert df["send_host.handler"].tolist() == ["scaled_out", "clustered"]
    ev = evaluate(s.replace(**{"send_host.handler": "clustered", "send_host.instances": 2}))
    _assert_row_matches(df.iloc[1], ev)


def test_sweep_errors_name_the_path_and_value():
    s = load_preset("msmq_nonclustered_3x")
    with pytest.raises(
        ScenarioError, match=r"workload\.arrival_rate_per_s: must be in \[1e-09, 1e\+09\]; got -1"
    ):
        sweep(s, {"workload.arrival_rate_per_s": [1, -1]})
    with pytest.raises(ScenarioError, match=r"send_host\.instances: must be"):
        sweep(s, {"send_host.instances": [0, 1]})
    with pytest.raises(ScenarioError, match=r"workload\.nope"):
        sweep(s, {"workload.nope": [1]})
    with pytest.raises(ValueError, match="same length"):
        sweep(s, {"send_host.instances": [1, 2], "workload.arrival_rate_per_s": [1.0]}, grid=False)
    with pytest.raises(ValueError, match="must have at least one item"):
        sweep(s, {"send_host.instances": []})
    with pytest.raises(ValueError, match="at least one"):
        sweep(s, {})


def test_unstable_points_are_reported_not_raised():
    s = load_preset("http_scaled_out_2node")
    df = sweep(s, {"workload.arrival_rate_per_s": [10.0, 40.0]})
    assert df["stable"].tolist() == [True, False]
    assert np.isinf(df.loc[1, "mean_latency_s"]) and df.loc[1, "sla_availability"] == 0.0
    assert isinstance(df, pd.DataFrame)


def test_batch_metrics_by_name_give_the_numbers_of_every_metric():
    s = load_preset("sharepoint_full_path")
    rels = [Reliability(s), Reliability(s.replace(**{"send_host.mttr_h": 2.0}))]
    arrays = queueing_arrays(s, 3)
    arrays["lam"] = arrays["lam"] * np.array([1.0, 0.5, 1.5])
    every = batch_metrics(rels, [0, 1, 1], arrays)
    names = ["sla_availability", "capacity_per_s", "availability"]
    some = batch_metrics(rels, [0, 1, 1], arrays, others=names)
    assert set(some) == set(names)
    for key in names:
        assert np.array_equal(some[key], every[key]), key
    assert batch_metrics(rels, [0, 1, 1], arrays, others=False) == {}
