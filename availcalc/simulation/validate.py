r"""Analytic against simulated: one table that says where :func:`availcalc.evaluate` holds."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from availcalc._validation import check_nonnegative, check_positive, check_type, scalar
from availcalc.model.evaluate import METRICS, check_scenario, evaluate
from availcalc.model.schema import Scenario
from availcalc.simulation._args import check_count
from availcalc.simulation._stats import Estimate
from availcalc.simulation.scenario_sim import SimulationResult, simulate
from availcalc.units import HOURS_PER_YEAR

__all__ = ["VALIDATION_COLUMNS", "validate"]

#: Columns of the table :func:`validate` returns.
VALIDATION_COLUMNS = (
    "metric",
    "label",
    "unit",
    "analytic",
    "simulated",
    "ci_low",
    "ci_high",
    "rel_error",
    "agrees",
    "note",
)

_PATH_METRICS = (
    "availability",
    "downtime_min_per_year",
    "expected_throughput_fraction",
    "sla_availability_excluding_backlog",  # simulated per failure configuration, steady queues
)

#: Planned-work metrics: rows when the scenario has planned work (analytic or simulated > 0).
_PLANNED_METRICS = {
    "planned_downtime_min_per_year": "own stream: every event in full, overlaps with failures "
    "included, as the analytic rate × mean sum",
    "planned_one_short_min_per_year": "own stream: every rolling reboot in full, as the "
    "analytic rounds × instances × mean",
    "planned_sla_missed_min_per_year": "time one short judged on each replication's one-down "
    "queue run",
}


def _agrees(a: float, e: Estimate, rtol: float) -> bool:
    s = e.mean
    if math.isinf(a) or math.isinf(s):
        return bool(a == s)
    if e.low <= a <= e.high:
        return True
    return bool(abs(a - s) <= rtol * abs(a))


def _rel(a: float, s: float) -> float:
    if math.isinf(a) or math.isinf(s):
        return 0.0 if a == s else math.inf
    if a == 0:
        return 0.0 if s == 0 else math.inf
    return (s - a) / abs(a)


def validate(
    scenario: Scenario,
    *,
    replications: int = 20,
    years: float = 1000.0,
    messages: int = 20_000,
    confidence: float = 0.95,
    rtol: float = 0.0,
    min_outages: int = 30,
    seed: int | np.random.SeedSequence | None = None,
    n_jobs: int | None = None,
    client: Any = None,
    result: SimulationResult | None = None,
    outage_s: float | None = None,
    **simulate_options: Any,
) -> pd.DataFrame:
    r"""Compare :func:`availcalc.evaluate` with :func:`simulate` metric by metric.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    replications, years, messages : int, float, int
        Simulation effort (see :func:`simulate`).
    confidence : float
        Confidence level of the intervals. With many rows, some fall outside a 95 % interval
        by chance (1 in 20 on average); use e.g. 0.999 to check many rows at once.
    rtol : float
        Relative tolerance that also counts as agreement (practical equivalence), >= 0;
        0 = agreement only inside the interval.
    min_outages : int
        Below this many observed outages the replication interval of the availability
        metrics is unreliable; they are then judged on the outage count instead: the analytic
        outage rate must lie in the exact Poisson interval of the count.
    seed : int or SeedSequence, optional
        Seed (identical results on every backend).
    n_jobs : int or None
        Local worker processes (None or -1: every core; 1: this process).
    client : dask.distributed.Client, optional
        Run the replications on a Dask cluster.
    result : SimulationResult, optional
        A simulation already run for this scenario (the effort arguments are then ignored).
    outage_s : float, optional
        Also run :func:`~availcalc.simulation.simulate_outage` for an outage of this length
        [s] and add its rows: backlog and drain time against the fluid values of
        :meth:`Evaluation.backlog_after_outage`, and the SLA seconds per outage that the
        quasi-steady-state decomposition does not count (informational: ``agrees`` missing).
    **simulate_options
        Passed to :func:`simulate` (``engine``, ``service_distribution``, ``failure``, …).

    Returns
    -------
    pandas.DataFrame
        One row per metric with the columns of :data:`VALIDATION_COLUMNS`: ``metric`` (key
        as in :data:`availcalc.METRICS`, or ``unavailability[<block>]``,
        ``probability[<send state>]``, and with planned work the planned metrics and two
        informational overlaps: ``planned_downtime_in_outage_min_per_year``,
        ``planned_one_short_with_failure_min_per_year``), ``label``, ``unit``, ``analytic``,
        ``simulated`` (mean
        over replications), ``ci_low``, ``ci_high``, ``rel_error`` = (simulated − analytic) /
        analytic, ``agrees`` (bool; missing where the simulation cannot judge: a state too
        rare to visit) and ``note``.

    Raises
    ------
    ValueError
        For an invalid argument.

    Examples
    --------
    >>> from availcalc import load_preset
    >>> from availcalc.simulation import validate
    >>> df = validate(load_preset("ordered_send_port"), replications=5, years=50,
    ...               messages=5_000, seed=3, n_jobs=1)
    >>> df.loc[df.metric == "mean_latency_s", ["analytic", "agrees"]].round(3).values.tolist()
    [[0.2, True]]
    """
    check_scenario(scenario)
    rtol = scalar("rtol", rtol, check_nonnegative)
    min_outages = check_count("min_outages", min_outages, 0, 10**9)
    if outage_s is not None:
        outage_s = scalar("outage_s", outage_s, check_positive)
    check_type("result", result, (SimulationResult, type(None)), "a SimulationResult or None")
    ev = evaluate(scenario)
    sim = result or simulate(
        scenario,
        replications=replications,
        years=years,
        messages=messages,
        confidence=confidence,
        seed=seed,
        n_jobs=n_jobs,
        client=client,
        **simulate_options,
    )
    conf = sim.settings["confidence"]
    w = scenario.workload
    total_years = sim.simulated_years
    rows: list[dict[str, Any]] = []

    def add(metric: str, label: str, unit: str, a: float, e: Estimate, note: str = "") -> None:
        rows.append(
            {
                "metric": metric,
                "label": label,
                "unit": unit,
                "analytic": float(a),
                "simulated": e.mean,
                # every metric here is >= 0 and the fractions are <= 1: a t-interval on a
                # few rare outages can cross those bounds, which would read as nonsense
                "ci_low": max(e.low, 0.0),
                "ci_high": max(min(e.high, 1.0) if _is_fraction(metric) else e.high, 0.0),
                "rel_error": _rel(float(a), e.mean),
                "agrees": _agrees(float(a), e, rtol),
                "note": note,
            }
        )

    add(
        "throughput_per_s",
        "Throughput, everything up",
        "msg/s",
        min(w.arrival_rate_per_s, ev.capacity_per_s),
        sim.throughput_per_s,
        "" if ev.stable else "overloaded: the simulated queue grows; throughput = capacity",
    )
    for key in ("mean_latency_s", "latency_percentile_s"):
        add(key, METRICS[key].label, METRICS[key].unit, getattr(ev, key), getattr(sim, key))
    if sim.latency_one_down_s is not None:
        add(
            "latency_one_down_s",
            METRICS["latency_one_down_s"].label,
            "s",
            ev.latency_with_instances_down(1),
            sim.latency_one_down_s,
        )

    few = sim.outages < min_outages
    omega = ev.failures_per_year
    lo, hi = sim.failures_per_year_exact
    count_ok = lo <= omega <= hi
    few_note = (
        f"only {sim.outages} outages in {total_years:g} simulated years: judged on the "
        f"outage count (analytic {omega * total_years:.3g} expected; exact Poisson interval)"
    )
    for key in _PATH_METRICS:
        add(key, METRICS[key].label, METRICS[key].unit, getattr(ev, key), getattr(sim, key))
        if few:
            rows[-1]["agrees"] = count_ok or rows[-1]["agrees"]
            rows[-1]["note"] = few_note
    fe = sim.failures_per_year
    if few:
        fe = Estimate(fe.mean, lo, hi, fe.std_error, fe.replications, conf)
    add("failures_per_year", METRICS["failures_per_year"].label, "1/yr", omega, fe)
    if few:
        rows[-1]["note"] = "exact Poisson interval of the pooled outage count"
    _planned_rows(ev, sim, add, rows)

    blocks = {b.name: b for b in ev.system.blocks}
    for row in sim.components.itertuples():
        b = blocks[row.component]
        e = Estimate(row.unavailability, row.ci_low, row.ci_high, math.nan, 0, conf)
        add(f"unavailability[{row.component}]", f"Unavailability of {row.component}", "",
            b.unavailability, e)  # fmt: skip
        if row.outages < min_outages:
            blo, bhi = _poisson(row.outages, total_years, conf)
            om = b.failure_frequency_per_h * HOURS_PER_YEAR
            rows[-1]["agrees"] = (blo <= om <= bhi) or rows[-1]["agrees"]
            rows[-1]["note"] = (
                f"only {row.outages} outages: judged on the count (exact Poisson interval)"
            )

    analytic_states = dict(zip(ev.states["state"], ev.states["probability"], strict=True))
    total_h = total_years * HOURS_PER_YEAR
    mttr = scenario.send_host.mttr_h
    for row in sim.send_states.itertuples():
        a = float(analytic_states.get(row.state, 0.0))
        e = Estimate(row.probability, row.ci_low, row.ci_high, math.nan, 0, conf)
        add(f"probability[{row.state}]", f"Fraction of time: send tier {row.state}", "", a, e)
        if a * total_h < 10.0 * mttr and row.probability == 0.0:
            rows[-1]["agrees"] = pd.NA
            rows[-1]["note"] = (
                f"expected {a * total_h:.2g} h in this state over {total_years:g} simulated "
                "years: too rare to check"
            )
    if outage_s is not None and ev.stable:
        from availcalc.simulation.outage import simulate_outage

        out = simulate_outage(
            scenario,
            outage_s,
            replications=replications,
            confidence=conf,
            seed=seed,
            n_jobs=n_jobs,
            client=client,
        )
        tag = f"[outage {outage_s:g} s]"
        add(f"backlog_messages{tag}", "Backlog left by the outage", "msg",
            out.analytic_backlog_messages, out.backlog_messages)  # fmt: skip
        add(f"drain_time_s{tag}", "Drain time after the outage (fluid model)", "s",
            out.analytic_drain_time_s, out.drain_time_s, "fluid approximation")  # fmt: skip
        add(f"sla_seconds_missed{tag}", "Late messages after the outage, as SLA seconds", "s",
            0.0, out.sla_seconds_missed_per_outage)  # fmt: skip
        rows[-1]["agrees"] = pd.NA
        rows[-1]["note"] = (
            "quasi-steady state counts 0: messages arriving after the outage still queue "
            f"behind its backlog ({out.late_after_outage.mean:.4g} late messages per outage)"
        )
    df = pd.DataFrame(rows, columns=list(VALIDATION_COLUMNS))
    df["agrees"] = df["agrees"].astype("boolean")
    return df


def _planned_rows(
    ev: Any, sim: SimulationResult, add: Callable[..., None], rows: list[dict[str, Any]]
) -> None:
    """Add the planned-work rows, and the overlaps the additive model leaves out (informational).

    The overlaps' analytic values assume planned work independent of failures, as the
    simulation draws it: the expected planned time in a failure state is the planned time ×
    the state's probability (Fubini over two independent stationary processes). They are
    reported, not judged (``agrees`` missing): no metric of :func:`~availcalc.evaluate`
    includes them.
    """
    values = [(getattr(ev, k), getattr(sim, k)) for k in _PLANNED_METRICS]
    if all(a == 0.0 and e.mean == 0.0 for a, e in values):
        return
    for (key, note), (a, e) in zip(_PLANNED_METRICS.items(), values, strict=True):
        add(key, METRICS[key].label, METRICS[key].unit, a, e, note)
    down, short = ev.planned_downtime_min_per_year, ev.planned_one_short_min_per_year
    if down > 0.0:
        add(
            "planned_downtime_in_outage_min_per_year",
            "Planned downtime during failure outages",
            "min/yr",
            down * ev.unavailability,
            sim.planned_downtime_in_outage_min_per_year,
        )
        rows[-1]["agrees"] = pd.NA
        rows[-1]["note"] = (
            "informational: counted in both downtime_min_per_year and "
            "planned_downtime_min_per_year; analytic = planned downtime × unavailability"
        )
    if short > 0.0:
        states = ev.states
        full = states["active_instances"].iloc[0]
        p_failed = float(states.loc[states["active_instances"] < full, "probability"].sum())
        add(
            "planned_one_short_with_failure_min_per_year",
            "Planned time one short while another instance has failed",
            "min/yr",
            short * p_failed,
            sim.planned_one_short_with_failure_min_per_year,
        )
        rows[-1]["agrees"] = pd.NA
        rows[-1]["note"] = (
            "informational: the host is two instances short (with two: down), which no "
            "metric counts; analytic = time one short × P(a send instance failed)"
        )


def _poisson(count: int, exposure: float, confidence: float) -> tuple[float, float]:
    from availcalc.simulation._stats import poisson_interval

    return poisson_interval(count, exposure, confidence)


def _is_fraction(metric: str) -> bool:
    return "availability" in metric or "fraction" in metric or metric.startswith("prob")
