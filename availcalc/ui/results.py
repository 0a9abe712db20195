"""Results at a glance: headline cards judged against the targets, and advisories.

Everything here reads an :class:`~availcalc.Evaluation` (and its ``metrics()``); nothing is
computed that the library does not already answer. A card's ``good`` is True (green), False
(red) or None (neutral).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from availcalc.model.evaluate import Evaluation, OutageImpact
from availcalc.model.metrics import METRICS, PARTS
from availcalc.ui.format import format_metric, format_number, format_percent

__all__ = [
    "Advice",
    "Card",
    "advisories",
    "headline_cards",
    "metric_label",
    "outage_cards",
    "results_table",
]


@dataclass(frozen=True)
class Card:
    """One headline number.

    Attributes
    ----------
    key : str
        Metric key (of :data:`~availcalc.model.evaluate.METRICS`, or a derived name).
    label : str
        Card title.
    value : str
        The value with its unit.
    delta : str or None
        A short verdict or context line under the value.
    good : bool or None
        Verdict against the target: True green, False red, None neutral.
    help : str
        Tooltip: what the number means.
    """

    key: str
    label: str
    value: str
    delta: str | None = None
    good: bool | None = None
    help: str = ""

    @property
    def color(self) -> str:
        """Streamlit delta colour for the verdict (``"green"``, ``"red"`` or ``"gray"``)."""
        return {True: "green", False: "red", None: "gray"}[self.good]


@dataclass(frozen=True)
class Advice:
    """A message about the scenario: level ``"error"``, ``"warning"`` or ``"info"``."""

    level: str
    text: str


def _compact_percent(p: float) -> str:
    """Return a target as a short percentage: 0.999 → ``99.9 %``, 0.99995 → ``99.995 %``."""
    return f"{100 * p:.10f}".rstrip("0").rstrip(".") + " %"


def _pct(q: float) -> str:
    return f"p{100 * q:g}"


def _latency_card(key: str, label: str, value: float, target: float, help: str) -> Card:
    ok = bool(value <= target)
    if math.isinf(value):
        delta = f"✗ unbounded (target {format_number(target)} s)"
    else:
        delta = f"{'✓ within' if ok else '✗ over'} the {format_number(target)} s target"
    return Card(key, label, format_metric("latency_percentile_s", value), delta, ok, help)


def _load_card(key: str, label: str, value: float, lam: float, help: str) -> Card:
    ok = bool(value >= lam)
    ratio = value / lam
    delta = f"{'✓' if ok else '✗'} {format_number(ratio)} × the load"
    return Card(key, label, format_metric("max_load_per_s", value), delta, ok, help)


def headline_cards(
    ev: Evaluation, metrics: dict[str, Any], availability_target: float
) -> dict[str, list[Card]]:
    """Return the headline cards, in groups (group title → cards).

    Parameters
    ----------
    ev : Evaluation
        The evaluation of the current scenario.
    metrics : dict
        ``ev.metrics()`` (passed in so a cached copy can be reused).
    availability_target : float
        Availability objective in (0, 1) that availabilities are judged against.

    Examples
    --------
    >>> from availcalc import evaluate, load_preset
    >>> ev = evaluate(load_preset("http_scaled_out_2node"))
    >>> cards = headline_cards(ev, ev.metrics(), 0.999)
    >>> [(c.label, c.value, c.good) for c in cards["Capacity and latency"][:2]]
    [('Capacity', '26.7 msg/s', False), ('Utilisation ρ', '150 %', False)]
    """
    s = ev.scenario
    w = s.workload
    lam, target, q = w.arrival_rate_per_s, w.latency_target_s, w.latency_percentile
    p = _pct(q)
    m = metrics
    bottleneck = str(m["bottleneck"])
    a_tgt = _compact_percent(availability_target)

    def verdict(a: float) -> str:
        return f"✓ ≥ {a_tgt} target" if meets(a) else f"✗ < {a_tgt} target"

    def meets(a: float) -> bool:
        return bool(a >= availability_target)

    capacity = [
        Card(
            "capacity_per_s",
            "Capacity",
            format_metric("capacity_per_s", m["capacity_per_s"]),
            f"bottleneck: {bottleneck}",
            bool(m["stable"]),
            "Throughput ceiling with everything up: the smallest stage capacity.",
        ),
        Card(
            "utilization",
            "Utilisation ρ",
            format_metric("utilization", m["utilization"]),
            "✓ stable" if m["stable"] else "✗ overloaded: the queue grows without bound",
            bool(m["stable"]),
            f"Load λ over the capacity of the bottleneck ({bottleneck}).",
        ),
        Card(
            "mean_latency_s",
            "Mean latency",
            format_metric("mean_latency_s", m["mean_latency_s"]),
            "all stages",
            None,
            "Mean end-to-end latency: the sum of the stages' mean response times.",
        ),
        _latency_card(
            "latency_percentile_s",
            f"Latency {p}",
            m["latency_percentile_s"],
            target,
            f"The {p} end-to-end latency with everything up, against the latency target.",
        ),
    ]
    availability = [
        Card(
            "availability",
            "Availability",
            format_metric("availability", m["availability"]),
            verdict(m["availability"]),
            meets(m["availability"]),
            "Long-run fraction of time the path can send (some instance, MessageBox and "
            "destination up). Planned downtime is not included.",
        ),
        Card(
            "downtime_min_per_year",
            METRICS["downtime_min_per_year"].label,
            format_metric("downtime_min_per_year", m["downtime_min_per_year"]),
            f"{format_number(m['failures_per_year'])} outages per year",
            None,
            "Unavailability × 525 600 min (a 365-day year).",
        ),
        Card(
            "nines",
            "Nines",
            format_metric("nines", m["nines"]),
            f"target {format_number(-math.log10(1 - availability_target))}",
            meets(m["availability"]),
            "−log10 of the unavailability.",
        ),
        Card(
            "sla_availability",
            METRICS["sla_availability"].label,
            format_metric("sla_availability", m["sla_availability"]),
            verdict(m["sla_availability"]),
            meets(m["sla_availability"]),
            f"Fraction of time the path is up AND the {p} latency meets the target, the time "
            "after each outage while its backlog drains included (excluding that drain: "
            f"{format_metric('sla_availability', m['sla_availability_excluding_backlog'])}).",
        ),
    ]
    parts = []
    modelled = dict(zip(ev.parts["part"], ev.parts["modelled"], strict=True))
    for key, title in PARTS.items():
        if not modelled[title]:
            continue
        down = f"{key}_downtime_min_per_year"
        delta = format_metric("availability", m[f"{key}_availability"])
        if key == "send_tier":
            delta += f" · {ev.repair_crews} repair crew{'s' if ev.repair_crews != 1 else ''}"
        parts.append(
            Card(down, title, format_metric(down, m[down]), delta, None, METRICS[down].help)
        )
    headroom = [
        Card(
            "expected_throughput_fraction",
            "Expected throughput",
            format_metric("expected_throughput_fraction", m["expected_throughput_fraction"]),
            verdict(m["expected_throughput_fraction"]),
            meets(m["expected_throughput_fraction"]),
            "Fraction of the offered load delivered over all failure states: "
            "E[min(λ, capacity of the current failure state)] / λ (performability).",
        ),
        _latency_card(
            "latency_one_down_s",
            f"Latency {p}, 1 down",
            m["latency_one_down_s"],
            target,
            "N−1: the latency percentile with one send host instance failed (MessageBox and "
            "destination up). A clustered pair keeps one node.",
        ),
        _load_card(
            "max_load_per_s",
            "Max load, all up",
            m["max_load_per_s"],
            lam,
            f"Largest arrival rate whose {p} latency stays within the target, all up.",
        ),
        _load_card(
            "max_load_one_down_per_s",
            "Max load, 1 down",
            m["max_load_one_down_per_s"],
            lam,
            f"Largest arrival rate whose {p} latency stays within the target with one "
            "instance failed: the N−1 headroom.",
        ),
    ]
    return {
        "Capacity and latency": capacity,
        "Availability": availability,
        "Downtime per year by part": parts,
        "Throughput and N−1 headroom": headroom,
    }


def advisories(ev: Evaluation, metrics: dict[str, Any]) -> list[Advice]:
    """Return messages about the scenario the numbers alone do not say.

    Examples
    --------
    >>> from availcalc import evaluate, load_preset
    >>> ev = evaluate(load_preset("msmq_clustered_active_passive"))
    >>> [a.level for a in advisories(ev, ev.metrics())]
    ['info', 'info']
    """
    s = ev.scenario
    h, port, w = s.send_host, s.send_port, s.workload
    out: list[Advice] = []
    if not metrics["stable"]:
        out.append(
            Advice(
                "warning",
                f"Overloaded: the load λ = {format_number(w.arrival_rate_per_s)} msg/s exceeds "
                f"the capacity of the {metrics['bottleneck']} "
                f"({format_metric('capacity_per_s', metrics['capacity_per_s'])}, "
                f"ρ = {format_percent(metrics['utilization'])}). Queues grow without bound and "
                "latency is infinite: lower the load or add capacity (see Sizing).",
            )
        )
    kind = h.handler_kind
    if kind.advice is not None:
        out.append(Advice("info", kind.advice))
    if kind.planned_failovers and h.planned_failovers_per_year > 0:
        out.append(
            Advice(
                "info",
                "Planned failovers cost "
                + format_metric(
                    "planned_downtime_min_per_year", metrics["planned_downtime_min_per_year"]
                )
                + " of planned downtime, reported apart from availability.",
            )
        )
    if kind.instances_add_capacity and h.concurrency <= 2 and not port.ordered_delivery:
        out.append(
            Advice(
                "info",
                f"{h.concurrency} concurrent send(s) per instance: with the HTTP, SOAP or WCF "
                "adapters this is the default maxconnection = 2, a hidden concurrency cap. "
                "Raising it is cheaper than adding servers.",
            )
        )
    if port.ordered_delivery:
        out.append(
            Advice(
                "info",
                "Ordered delivery: one instance sends one message at a time; more host "
                "instances add availability, not capacity.",
            )
        )
    if metrics["messages_at_risk_per_year"] > 0:
        out.append(
            Advice(
                "warning",
                "Non-transactional sends: about "
                + format_metric("messages_at_risk_per_year", metrics["messages_at_risk_per_year"])
                + " are lost when an instance crashes with messages in flight.",
            )
        )
    if h.service_scv != 1.0 or w.arrival_scv != 1.0:
        out.append(
            Advice(
                "info",
                "A variability c² other than 1 switches the send stage to the Allen–Cunneen "
                "G/G/c approximation (latency percentiles are approximate).",
            )
        )
    return out


def metric_label(key: str) -> str:
    """Return a metric's label with its unit, e.g. ``"Mean latency (s)"``."""
    return METRICS[key].title


def _duration(seconds: float) -> str:
    if math.isinf(seconds):
        return "never"
    if seconds < 120:
        return f"{format_number(seconds)} s"
    if seconds < 7200:
        return f"{format_number(seconds / 60)} min"
    return f"{format_number(seconds / 3600)} h"


def outage_cards(impact: OutageImpact) -> list[Card]:
    """Return the cards of :meth:`Evaluation.backlog_after_outage`: backlog, drain, throttling.

    Examples
    --------
    >>> from availcalc import evaluate, load_preset
    >>> ev = evaluate(load_preset("http_scaled_out_2node_tuned"))
    >>> [c.value for c in outage_cards(ev.backlog_after_outage(3600))]
    ['144000 msg', '10.6 min', '20.8 min']
    """
    thr = impact.throttling_threshold_messages
    if thr is None:
        thr_card = Card(
            "time_to_threshold_s",
            "Time to throttling",
            "not checked",
            "no threshold set",
            None,
            "Set the send host's throttling threshold to check it.",
        )
    else:
        crosses = bool(impact.crosses_threshold)
        thr_card = Card(
            "time_to_threshold_s",
            "Time to throttling",
            _duration(impact.time_to_threshold_s or 0.0),
            f"{'✗ crossed' if crosses else '✓ not reached'} ({format_number(thr)} msg)",
            not crosses,
            "When the backlog reaches the host throttling 'Message count in DB' and upstream "
            "publishing is throttled.",
        )
    return [
        Card(
            "backlog_messages",
            "Backlog at the end",
            f"{format_number(impact.backlog_messages)} msg",
            "λ × outage length",
            None,
            "Messages that pile up in the MessageBox while nothing is sent.",
        ),
        Card(
            "drain_time_s",
            "Time to drain it",
            _duration(impact.drain_time_s),
            "at the spare capacity",
            bool(math.isfinite(impact.drain_time_s)),
            "Backlog / (capacity − λ) with everything back up.",
        ),
        thr_card,
    ]


def results_table(metrics: dict[str, Any]) -> pd.DataFrame:
    """Return every headline metric as display text: ``result``, ``value``, ``key``."""
    rows = [
        {"result": METRICS[k].label, "value": format_metric(k, v), "key": k}
        for k, v in metrics.items()
        if k in METRICS
    ]
    return pd.DataFrame(rows, columns=["result", "value", "key"])
