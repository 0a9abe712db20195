"""Arguments, errors, result shapes and the 'availcalc validate' command."""

import json

import pandas as pd
import pytest

from availcalc import ActivePassive, Component, MarkovModel, load_preset
from availcalc.cli import main
from availcalc.simulation import (
    VALIDATION_COLUMNS,
    Distribution,
    Station,
    monte_carlo_availability,
    simulate,
    simulate_queue,
    validate,
)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: Distribution("pareto"), "kind must be one of"),
        (lambda: Distribution.weibull(0.0), "shape of a weibull"),
        (lambda: Distribution.exponential(-1.0), "mean must be"),
        (lambda: Distribution("exponential", 2.0), "takes no shape"),
        (lambda: Station(Distribution.exponential(), 1), "with a mean"),
        (lambda: Station(Distribution.exponential(1.0), 0), "servers must be"),
        (lambda: simulate_queue(0.0, [Station(Distribution.exponential(1.0), 1)]), "arrival_rate"),
        (
            lambda: simulate_queue(1.0, [Station(Distribution.exponential(1.0), 1)], engine="x"),
            "engine must be",
        ),
        (
            lambda: simulate_queue(
                1.0, [Station(Distribution.exponential(1.0), 1)], replications=1
            ),
            "replications must be",
        ),
        (lambda: monte_carlo_availability("x"), "system must be"),
        (lambda: monte_carlo_availability(Component("c", 1, 1), years=0), "years must be"),
        (lambda: monte_carlo_availability(Component("c", 1, 1), n_jobs=0), "n_jobs must be"),
        (
            lambda: monte_carlo_availability(Component("c", 1, float("inf"))),
            "not repairable",
        ),
        (
            lambda: monte_carlo_availability(Component("c", 1, 1), failure="weibull"),
            "failure must be",
        ),
        (lambda: simulate(load_preset("ordered_send_port"), engine="x"), "engine must be"),
        (lambda: simulate("ordered_send_port"), "scenario must be"),
        (lambda: validate(load_preset("ordered_send_port"), rtol=-1), "rtol must be"),
    ],
)
def test_invalid_arguments_raise_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_markov_model_and_per_block_distributions():
    m = MarkovModel(["up", "down"], {("up", "down"): 0.01, ("down", "up"): 1.0}, ["up"])
    r = monte_carlo_availability(m, years=20, replications=4, seed=1, n_jobs=1)
    assert m.availability in r.availability
    with pytest.raises(ValueError, match="only exponential"):
        monte_carlo_availability(m, failure=Distribution.weibull(2.0), n_jobs=1)
    ap = ActivePassive(1000.0, 2.0, coverage=0.9, switchover_s=60.0, name="sql")
    r = monte_carlo_availability(
        ap,
        years=50,
        replications=3,
        failure={"sql": Distribution.weibull(1.5)},
        manual={"*": Distribution.deterministic()},
        seed=2,
        n_jobs=1,
    )
    assert r.leaves.loc[0, "failure"] == "Distribution.weibull(1.5, mean=1000.0)"
    assert list(r.summary()["metric"]) == [
        "availability",
        "unavailability",
        "downtime_min_per_year",
        "failures_per_year",
    ]


def test_simulation_result_tables():
    sim = simulate(
        load_preset("sharepoint_2x_nlb3"),
        replications=3,
        years=10,
        messages=1_000,
        seed=1,
        n_jobs=1,
        service_distribution="lognormal",
    )
    assert set(sim.configurations.columns) >= {"send_servers", "nodes", "stable", "meets_fraction"}
    assert len(sim.configurations) == 6  # 2 send states x 3 NLB node counts
    assert sim.send_states["probability"].sum() == pytest.approx(1.0)
    assert list(sim.components["component"]) == ["send host instances", "destination NLB pool"]
    assert sim.settings["service_distribution"] == "lognormal"


def test_validate_frame_shape():
    df = validate(
        load_preset("msmq_clustered_active_passive"),
        replications=3,
        years=10,
        messages=1_000,
        seed=1,
        n_jobs=1,
    )
    assert tuple(df.columns) == VALIDATION_COLUMNS
    assert df["agrees"].dtype == pd.BooleanDtype()
    assert {"mean_latency_s", "availability", "sla_availability_excluding_backlog"} <= set(
        df["metric"]
    )
    assert "probability[switchover]" in set(df["metric"])


def test_cli_validate_table_json_csv(capsys):
    argv = ["validate", "ordered_send_port", "--replications", "3", "--years", "10"]
    argv += ["--messages", "1000", "--jobs", "1"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "analytic vs simulation" in out and "mean_latency_s" in out
    assert main([*argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["seed"] == 1 and data["rows"][0]["metric"] == "throughput_per_s"
    assert main([*argv, "--csv", "--seed", "5"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == ",".join(VALIDATION_COLUMNS)
    assert main(["validate", "no_such_preset"]) == 2


def test_rare_configurations_are_not_queue_simulated():
    s = load_preset("http_scaled_out_2node_tuned").replace(
        **{"send_host.instances": 30, "send_host.concurrency": 2}
    )
    sim = simulate(s, replications=3, years=20, messages=1_000, seed=1, n_jobs=1)
    simulated = sim.configurations[sim.configurations["simulated"]]
    assert 1 < len(simulated) < len(sim.configurations)  # 30 configurations, a few likely ones
    assert sim.settings["hours_unsimulated"] == 0.0
