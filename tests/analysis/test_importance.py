"""parameter_importance / block_importance / importance: closed forms, identities, evaluate()."""

import functools
import math

import pytest

from availcalc import (
    block_importance,
    evaluate,
    importance,
    load_preset,
    parameter_importance,
)
from availcalc.analysis.importance import (
    BLOCK_IMPORTANCE_COLUMNS,
    PARAMETER_IMPORTANCE_COLUMNS,
)
from availcalc.model.schema import Scenario

MIN_PER_YEAR = 525_600.0

# one preset per topology: clustered send host + clustered SQL + storage; scaled out + SQL +
# endpoint; NLB pool; bare scaled-out tier
TOPOLOGIES = [
    "msmq_clustered_active_passive",
    "http_scaled_out_2node_tuned",
    "sharepoint_2x_nlb3",
    "msmq_nonclustered_3x",
]


@functools.cache
def _preset_importance(name):
    return parameter_importance(load_preset(name))


# one instance, no MessageBox, no destination: the path is a single component
SINGLE = Scenario.from_dict(
    {
        "workload": {"arrival_rate_per_s": 10.0},
        "send_host": {"instances": 1, "mttf_h": 1000.0, "mttr_h": 4.0},
    }
)


def test_single_component_elasticities_match_the_closed_form():
    # U = r/(f + r): d ln U/d ln r = 1 − r/(f + r) = f/(f + r); d ln U/d ln f = −f/(f + r)
    f, r = 1000.0, 4.0
    imp = parameter_importance(SINGLE).set_index("parameter")
    assert sorted(imp.index) == ["send_host.mttf_h", "send_host.mttr_h"]
    assert imp.loc["send_host.mttr_h", "elasticity"] == pytest.approx(f / (f + r), rel=1e-7)
    assert imp.loc["send_host.mttf_h", "elasticity"] == pytest.approx(-f / (f + r), rel=1e-7)
    # minutes saved by a 10 % improvement, exactly (not linearised)
    u0 = r / (f + r)
    assert imp.loc["send_host.mttr_h", "downtime_min_per_year"] == pytest.approx(
        u0 * MIN_PER_YEAR, rel=1e-12
    )
    assert imp.loc["send_host.mttr_h", "improved_value"] == pytest.approx(3.6)
    assert imp.loc["send_host.mttr_h", "downtime_saved_min_per_year"] == pytest.approx(
        (u0 - 3.6 / (f + 3.6)) * MIN_PER_YEAR, rel=1e-9
    )
    assert imp.loc["send_host.mttf_h", "improved_value"] == pytest.approx(1100.0)
    assert imp.loc["send_host.mttf_h", "downtime_saved_min_per_year"] == pytest.approx(
        (u0 - r / (1100 + r)) * MIN_PER_YEAR, rel=1e-9
    )
    # the larger saving ranks first: MTTR −10 % saves more than MTTF +10 %
    assert imp.index[0] == "send_host.mttr_h"


def test_series_of_components_and_endpoint_closed_form():
    # path = SQL server (f1, r1) × one instance (f2, r2) × endpoint (A3); U_s = 1 − A1 A2 A3.
    # ∂ln U_s/∂ln r1 = (∂U_s/∂U1)(U1/U_s)(∂ln U1/∂ln r1) = A2 A3 U1/U_s · f1/(f1 + r1)
    # ∂ln U_s/∂ln U3 = A1 A2 U3/U_s (θ = 1 − A3 for the endpoint availability)
    f1, r1, f2, r2, a3 = 4380.0, 2.0, 1000.0, 4.0, 0.999
    s = SINGLE.replace(
        messagebox={"ha": "none", "mttf_h": f1, "mttr_h": r1},
        destination={"kind": "endpoint", "availability": a3, "mttr_h": 0.5},
    )
    a1, a2 = f1 / (f1 + r1), f2 / (f2 + r2)
    u1, u3 = 1 - a1, 1 - a3
    u_s = 1 - a1 * a2 * a3
    imp = parameter_importance(s).set_index("parameter")
    # a single SQL server has no failover parameters
    assert sorted(imp.index) == sorted(
        [
            "send_host.mttf_h",
            "send_host.mttr_h",
            "messagebox.mttf_h",
            "messagebox.mttr_h",
            "destination.availability",
            "destination.mttr_h",
        ]
    )
    assert imp.loc["messagebox.mttr_h", "elasticity"] == pytest.approx(
        a2 * a3 * u1 / u_s * f1 / (f1 + r1), rel=1e-6
    )
    assert imp.loc["destination.availability", "elasticity"] == pytest.approx(
        a1 * a2 * u3 / u_s, rel=1e-6
    )
    assert imp.loc["destination.availability", "varied"] == "1 − destination.availability"
    assert imp.loc["destination.availability", "improved_value"] == pytest.approx(0.9991)
    # the endpoint is defined by its availability: its MTTR changes no unavailability
    assert imp.loc["destination.mttr_h", "elasticity"] == pytest.approx(0.0, abs=1e-6)
    assert imp.loc["destination.mttr_h", "downtime_saved_min_per_year"] == pytest.approx(
        0.0, abs=1e-6
    )
    # U_send = 4/1004 ≈ 4e-3 is the largest unavailability (endpoint 1e-3, SQL 4.6e-4)
    assert imp.index[0] == "send_host.mttr_h"


@pytest.mark.parametrize("name", TOPOLOGIES)
def test_time_parameters_elasticities_sum_to_zero(name):
    # Availability is dimensionless: scaling every time (MTTFs, MTTRs, failover, manual
    # recovery, restart, convergence) by k leaves U unchanged, so by Euler's theorem for
    # homogeneous functions of degree 0 the time elasticities sum to 0. Probabilities
    # (coverage, endpoint availability) are not times.
    imp = _preset_importance(name)
    times = imp[~imp["varied"].str.startswith("1 − ")]
    assert times["elasticity"].sum() == pytest.approx(0.0, abs=1e-6)
    assert imp["downtime_min_per_year"].nunique() == 1
    assert list(imp.columns) == PARAMETER_IMPORTANCE_COLUMNS
    assert imp["downtime_saved_min_per_year"].is_monotonic_decreasing


def test_parameters_follow_the_topology():
    clustered = _preset_importance("msmq_clustered_active_passive")
    assert {
        "send_host.coverage",
        "send_host.failover_s",
        "messagebox.host_restart_s",
        "messagebox.storage_mttf_h",
    } <= set(clustered["parameter"])
    nlb = _preset_importance("sharepoint_2x_nlb3")
    assert set(nlb["parameter"]) == {
        "send_host.mttf_h",
        "send_host.mttr_h",
        "destination.mttf_h",
        "destination.mttr_h",
        "destination.detection_s",
        "destination.convergence_s",
    }
    blocks = dict(zip(nlb["parameter"], nlb["block"], strict=True))
    assert blocks["destination.convergence_s"] == "destination NLB pool"
    assert blocks["destination.detection_s"] == "destination NLB pool"
    assert blocks["send_host.mttf_h"] == "send host instances"


def test_savings_match_direct_evaluations_and_zero_parameters():
    s = load_preset("msmq_clustered_active_passive").replace(**{"messagebox.host_restart_s": 0.0})
    imp = parameter_importance(s, improvement=0.25).set_index("parameter")
    u0 = evaluate(s).unavailability
    for path in ("send_host.failover_s", "send_host.coverage", "messagebox.storage_mttf_h"):
        improved = imp.loc[path, "improved_value"]
        u1 = evaluate(s.replace(**{path: improved})).unavailability
        assert imp.loc[path, "downtime_saved_min_per_year"] == pytest.approx(
            (u0 - u1) * MIN_PER_YEAR, rel=1e-9
        )
    assert imp.loc["send_host.failover_s", "improved_value"] == pytest.approx(45.0)
    assert imp.loc["send_host.coverage", "improved_value"] == pytest.approx(0.985)
    assert imp.loc["messagebox.storage_mttf_h", "improved_value"] == pytest.approx(625_000.0)
    # a parameter at zero cannot improve and has elasticity 0
    assert imp.loc["messagebox.host_restart_s", "elasticity"] == 0.0
    assert imp.loc["messagebox.host_restart_s", "downtime_saved_min_per_year"] == 0.0


def test_block_importance_against_the_series_product():
    s = load_preset("http_scaled_out_2node_tuned")
    ev = evaluate(s)
    b = block_importance(s)
    assert list(b.columns) == BLOCK_IMPORTANCE_COLUMNS
    assert b["criticality"].is_monotonic_decreasing
    # the 99.9 % endpoint causes almost all of the downtime
    assert b.loc[0, "block"] == "destination endpoint"
    assert b.loc[0, "criticality"] == pytest.approx(0.975, abs=1e-3)
    ref = ev.system.importance()
    bd = ev.downtime_breakdown
    avail = dict(zip(bd["component"], bd["availability"], strict=True))
    for r in b.itertuples():
        assert r.birnbaum == ref.loc[r.block, "birnbaum"]
        assert r.criticality == ref.loc[r.block, "criticality"]
        # series path: with block i perfect, U = 1 − Π_{j≠i} A_j
        others = math.prod(a for name, a in avail.items() if name != r.block)
        assert r.downtime_saved_if_perfect_min_per_year == pytest.approx(
            (ev.unavailability - (1 - others)) * MIN_PER_YEAR, rel=1e-6
        )
    # one block only: making it perfect removes all the downtime
    single = block_importance(SINGLE)
    assert single.loc[0, "downtime_saved_if_perfect_min_per_year"] == pytest.approx(
        evaluate(SINGLE).downtime_min_per_year, rel=1e-12
    )


def test_importance_joins_block_measures():
    s = load_preset("msmq_clustered_active_passive")
    imp = importance(s)
    b = block_importance(s).set_index("block")
    assert list(imp.columns) == [
        *PARAMETER_IMPORTANCE_COLUMNS,
        "block_birnbaum",
        "block_criticality",
        "block_downtime_min_per_year",
    ]
    for r in imp.itertuples():
        assert r.block_criticality == b.loc[r.block, "criticality"]
        assert r.block_downtime_min_per_year == b.loc[r.block, "downtime_min_per_year"]


def test_bad_arguments():
    with pytest.raises(ValueError, match="improvement"):
        parameter_importance(SINGLE, improvement=0.0)
    with pytest.raises(ValueError, match="step"):
        parameter_importance(SINGLE, step=2.0)


# --- SLA metrics: queueing inputs ranked with the reliability ones --------------------------

BUSY = Scenario.from_dict(
    {
        "workload": {"arrival_rate_per_s": 90.0, "latency_target_s": 0.46},
        "send_host": {"handler": "clustered", "concurrency": 20, "service_time_s": 0.15},
    }
)


def _sla_downtime(scenario):
    return float(evaluate(scenario).metrics(False)["sla_downtime_min_per_year"])


@functools.cache
def _busy_sla():
    return parameter_importance(BUSY, "sla_downtime_min_per_year").set_index("parameter")


def test_sla_metric_ranks_queueing_inputs_and_path_metric_does_not():
    sla = _busy_sla()
    path = parameter_importance(BUSY).set_index("parameter")
    queueing = {"send_host.service_time_s", "send_host.concurrency", "workload.arrival_rate_per_s"}
    assert queueing <= set(sla.index)
    assert not queueing & set(path.index)
    assert set(path.index) <= set(sla.index)  # the reliability inputs rank on both
    assert "send_host.instances" not in sla.index  # a clustered pair cannot grow
    assert sla.loc["workload.arrival_rate_per_s", "block"] == "workload"
    assert not sla.loc["workload.arrival_rate_per_s", "lever"]
    assert sla.loc["send_host.service_time_s", "lever"]
    assert set(sla["loss"]) == {"SLA downtime"}
    assert set(sla["metric"]) == {"sla_downtime_min_per_year"}


def test_sla_elasticity_matches_an_independent_finite_difference():
    # evaluate() at θ(1 ± 1e-3) directly (no sweep), a wider step than the function's own
    sla = _busy_sla()
    for path in ["send_host.service_time_s", "send_host.mttf_h"]:
        theta = BUSY.get(path)
        up = _sla_downtime(BUSY.replace(**{path: theta * 1.001}))
        dn = _sla_downtime(BUSY.replace(**{path: theta / 1.001}))
        expected = (math.log(up) - math.log(dn)) / (2.0 * math.log(1.001))
        assert sla.loc[path, "elasticity"] == pytest.approx(expected, rel=1e-3)


def test_sla_savings_are_exact_differences_of_evaluations():
    sla = _busy_sla()
    base = _sla_downtime(BUSY)
    for path in ["send_host.service_time_s", "send_host.concurrency", "send_host.mttr_h"]:
        r = sla.loc[path]
        improved = _sla_downtime(BUSY.replace(**{path: r["improved_value"]}))
        assert r["downtime_min_per_year"] == pytest.approx(base, rel=1e-12)
        assert r["downtime_saved_min_per_year"] == pytest.approx(base - improved, rel=1e-9)
    assert sla.loc["send_host.concurrency", "improved_value"] == 22  # 20 + round(20 × 0.1)


def test_an_availability_ranks_like_its_downtime():
    a = parameter_importance(BUSY, "sla_availability")
    d = parameter_importance(BUSY, "sla_downtime_min_per_year")
    cols = ["parameter", "elasticity", "downtime_saved_min_per_year"]
    assert a[cols].equals(d[cols])


def test_throughput_metric_loss_is_the_undelivered_load():
    t = parameter_importance(BUSY, "expected_throughput_fraction").set_index("parameter")
    x = float(evaluate(BUSY).metrics(False)["expected_throughput_fraction"])
    assert t["downtime_min_per_year"].iloc[0] == pytest.approx((1.0 - x) * MIN_PER_YEAR)
    assert set(t["loss"]) == {"Lost throughput (full-load time)"}


def test_scaled_out_instances_rank_on_sla_metrics():
    s = load_preset("http_scaled_out_2node_tuned")
    sla = parameter_importance(s, "sla_downtime_min_per_year").set_index("parameter")
    assert sla.loc["send_host.instances", "improved_value"] == s.send_host.instances + 1


def test_bad_metric_names_the_valid_ones():
    with pytest.raises(ValueError, match=r"metric must be one of .*sla_downtime_min_per_year"):
        parameter_importance(SINGLE, "p95_latency_s")


def test_importance_reuses_a_given_block_table():
    import pandas as pd

    from availcalc import load_preset

    s = load_preset("sharepoint_2x_nlb3")
    pd.testing.assert_frame_equal(importance(s, blocks=block_importance(s)), importance(s))
