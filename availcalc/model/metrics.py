r"""The metric specs: one table describing every result of :func:`~availcalc.evaluate`.

Each headline result has one :class:`MetricSpec` (label, unit, kind, which direction is better,
group, help). ``Evaluation``'s attributes, ``metrics()``, ``summary()``, ``to_dict()``, the CLI
tables, :func:`~availcalc.compare`, the UI cards and tables and the figures' axis titles are all
generated from (or ask) this table, so a label or unit is written once. A new metric is one
spec here plus the code that computes it (in :mod:`availcalc.model.queueing_part`).

Kinds (how a value reads, and so how it is formatted):

* ``"availability"`` — a long-run fraction close to 1 (shown as a percentage with enough
  decimals to show three digits of its complement);
* ``"fraction"`` — any other fraction (utilisation), shown as a plain percentage;
* ``"probability"`` — a small probability (unavailability), shown as a number;
* ``"nines"``, ``"rate"``, ``"time"``, ``"downtime"``, ``"count"`` — numbers with the unit;
* ``"text"`` and ``"flag"`` — a word, or yes/no.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from availcalc._validation import check_choice, check_type, scalar

__all__ = [
    "METRICS",
    "MetricSpec",
    "format_metric",
    "format_number",
    "format_percent",
    "metric_spec",
]

Kind = Literal[
    "availability",
    "fraction",
    "probability",
    "nines",
    "rate",
    "time",
    "downtime",
    "count",
    "text",
    "flag",
]


@dataclass(frozen=True)
class MetricSpec:
    """Description of one result (drives every table, card, header and axis title).

    Attributes
    ----------
    key : str
        Machine name: the attribute of ``Evaluation``, the sweep column, the JSON key.
    label : str
        Human name without the unit, e.g. ``"SLA availability"``.
    unit : str
        Unit as shown to users (``"msg/s"``, ``"s"``, ``"min/yr"``); ``""`` if none.
    kind : str
        How the value reads (see the module docstring).
    better : {"higher", "lower", None}
        Which direction is an improvement (None: neither, e.g. the load or a label).
    group : str
        The group it is shown in: ``"capacity"``, ``"latency"``, ``"availability"``,
        ``"parts"``, ``"sla"``, ``"impact"``.
    help : str
        One or two sentences: what the number means in the model.
    on_demand : bool
        Costs a root search (the max loads): left out of sweeps unless asked, and not an
        attribute (``Evaluation.max_load_per_s(k)`` is a method).
    """

    key: str
    label: str
    unit: str
    kind: Kind
    better: Literal["higher", "lower"] | None
    group: str
    help: str
    on_demand: bool = False

    @property
    def title(self) -> str:
        """The label with its unit, e.g. ``"Mean latency (s)"`` (axis titles, table headers)."""
        return f"{self.label} ({self.unit})" if self.unit else self.label

    @property
    def is_percentage(self) -> bool:
        """Whether the value is shown as a percentage."""
        return self.kind in ("availability", "fraction")


#: Group key → title shown to users, in display order.
GROUPS: dict[str, str] = {
    "capacity": "Capacity",
    "latency": "Latency",
    "availability": "Availability of the whole path",
    "parts": "Availability by part",
    "sla": "SLA (up and on time)",
    "impact": "Messages and outages",
}

_SPECS: tuple[MetricSpec, ...] = (
    MetricSpec(
        "arrival_rate_per_s",
        "Arrival rate λ",
        "msg/s",
        "rate",
        None,
        "capacity",
        "The offered load the tier must send.",
    ),
    MetricSpec(
        "capacity_per_s",
        "Capacity",
        "msg/s",
        "rate",
        "higher",
        "capacity",
        "Throughput ceiling with everything up: the smallest stage capacity.",
    ),
    MetricSpec(
        "bottleneck",
        "Bottleneck",
        "",
        "text",
        None,
        "capacity",
        "The stage with the smallest capacity (send host, MessageBox or destination).",
    ),
    MetricSpec(
        "utilization",
        "Utilisation ρ",
        "",
        "fraction",
        "lower",
        "capacity",
        "Load λ over the capacity of the bottleneck.",
    ),
    MetricSpec(
        "stable",
        "Stable",
        "",
        "flag",
        "higher",
        "capacity",
        "Whether every stage keeps up with the load (λ below every stage's capacity).",
    ),
    MetricSpec(
        "mean_latency_s",
        "Mean latency",
        "s",
        "time",
        "lower",
        "latency",
        "Mean end-to-end latency: the sum of the stages' mean response times; inf if unstable.",
    ),
    MetricSpec(
        "latency_percentile_s",
        "Latency percentile",
        "s",
        "time",
        "lower",
        "latency",
        "The workload's latency percentile (e.g. p95) of the end-to-end latency, all up.",
    ),
    MetricSpec(
        "latency_target_s",
        "Latency target",
        "s",
        "time",
        None,
        "latency",
        "The objective the latency percentile is judged against.",
    ),
    MetricSpec(
        "meets_latency_target",
        "Meets latency target",
        "",
        "flag",
        "higher",
        "latency",
        "Whether the latency percentile with everything up is within the target.",
    ),
    MetricSpec(
        "latency_one_down_s",
        "Latency percentile, one instance down",
        "s",
        "time",
        "lower",
        "latency",
        "N−1: the latency percentile with one send instance failed (a clustered pair keeps "
        "the passive node); inf if that leaves no instance.",
    ),
    MetricSpec(
        "max_load_per_s",
        "Max load meeting the target",
        "msg/s",
        "rate",
        "higher",
        "latency",
        "Largest arrival rate whose latency percentile stays within the target, all up "
        "(0 when even the lightest load misses it: the service time alone is too long).",
        on_demand=True,
    ),
    MetricSpec(
        "max_load_one_down_per_s",
        "Max load meeting the target, one instance down",
        "msg/s",
        "rate",
        "higher",
        "latency",
        "The same with one send instance failed: the N−1 headroom (0 when one failure "
        "leaves no instance, or no load meets the target).",
        on_demand=True,
    ),
    MetricSpec(
        "availability",
        "Availability",
        "",
        "availability",
        "higher",
        "availability",
        "Long-run fraction of time the whole path can send: some send instance, the "
        "MessageBox and the destination up (planned downtime not included).",
    ),
    MetricSpec(
        "unavailability",
        "Unavailability",
        "",
        "probability",
        "lower",
        "availability",
        "1 − availability, computed directly (never as 1 − A).",
    ),
    MetricSpec(
        "nines",
        "Nines",
        "",
        "nines",
        "higher",
        "availability",
        "−log10 of the unavailability.",
    ),
    MetricSpec(
        "downtime_min_per_year",
        "Downtime",
        "min/yr",
        "downtime",
        "lower",
        "availability",
        "Unavailability × 525 600 min (a 365-day year), all parts of the path together.",
    ),
    MetricSpec(
        "failures_per_year",
        "Outages",
        "1/yr",
        "count",
        "lower",
        "availability",
        "Path outages per year, failovers and NLB node failures (partial outages) included.",
    ),
    MetricSpec(
        "send_tier_availability",
        "Send tier availability",
        "",
        "availability",
        "higher",
        "parts",
        "Availability of the send host alone: at least one instance (or the active cluster "
        "node) can send. This is what adding instances improves.",
    ),
    MetricSpec(
        "send_tier_downtime_min_per_year",
        "Send tier downtime",
        "min/yr",
        "downtime",
        "lower",
        "parts",
        "Downtime of the send host alone, failovers included.",
    ),
    MetricSpec(
        "messagebox_availability",
        "MessageBox availability",
        "",
        "availability",
        "higher",
        "parts",
        "Availability of the MessageBox (SQL Server, its failover and the shared storage); "
        "1 when the MessageBox is not modelled.",
    ),
    MetricSpec(
        "messagebox_downtime_min_per_year",
        "MessageBox downtime",
        "min/yr",
        "downtime",
        "lower",
        "parts",
        "Downtime of the MessageBox alone; 0 when it is not modelled.",
    ),
    MetricSpec(
        "destination_availability",
        "Destination availability",
        "",
        "availability",
        "higher",
        "parts",
        "Availability of the destination (endpoint or NLB pool, the requests lost while NLB "
        "converges included); 1 "
        "when no destination is modelled.",
    ),
    MetricSpec(
        "destination_downtime_min_per_year",
        "Destination downtime",
        "min/yr",
        "downtime",
        "lower",
        "parts",
        "Downtime of the destination alone; 0 when it is not modelled.",
    ),
    MetricSpec(
        "sla_availability",
        "SLA availability",
        "",
        "availability",
        "higher",
        "sla",
        "Long-run fraction of time the path is up AND messages meet the latency target: "
        "each failure state as its own steady queue, minus the time after each outage "
        "while its backlog drains (the headline SLA figure).",
    ),
    MetricSpec(
        "sla_downtime_min_per_year",
        "SLA downtime",
        "min/yr",
        "downtime",
        "lower",
        "sla",
        "Minutes per year the path is down or misses the latency target, backlog drain "
        "included: (1 − SLA availability) × 525 600, computed directly.",
    ),
    MetricSpec(
        "backlog_sla_downtime_min_per_year",
        "SLA downtime from post-outage backlogs",
        "min/yr",
        "downtime",
        "lower",
        "sla",
        "The part of the SLA downtime spent draining the backlog after outages (fluid "
        "approximation, checked against an outage simulation).",
    ),
    MetricSpec(
        "sla_availability_excluding_backlog",
        "SLA availability excluding backlog drain",
        "",
        "availability",
        "higher",
        "sla",
        "The quasi-steady figure: each failure state as its own steady queue, leaving out "
        "the backlog left by outages (optimistic after long outages).",
    ),
    MetricSpec(
        "sla_downtime_excluding_backlog_min_per_year",
        "SLA downtime excluding backlog drain",
        "min/yr",
        "downtime",
        "lower",
        "sla",
        "(1 − SLA availability excluding backlog drain) × 525 600, computed directly.",
    ),
    MetricSpec(
        "expected_throughput_fraction",
        "Expected throughput fraction",
        "",
        "availability",
        "higher",
        "sla",
        "Fraction of the offered load delivered over all failure states: "
        "E[min(λ, capacity of the current state)] / λ (performability).",
    ),
    MetricSpec(
        "planned_downtime_min_per_year",
        "Planned downtime",
        "min/yr",
        "downtime",
        "lower",
        "impact",
        "Planned outages (not in availability): group-wide stops, SQL patch failovers with "
        "their host restart, a clustered host's planned failovers, the reboots of a single "
        "scaled-out instance.",
    ),
    MetricSpec(
        "planned_one_short_min_per_year",
        "Planned time one instance short",
        "min/yr",
        "downtime",
        "lower",
        "impact",
        "Time a scaled-out host runs one instance short in its rolling reboots "
        "(instances × reboot time per round).",
    ),
    MetricSpec(
        "planned_sla_missed_min_per_year",
        "Planned SLA time missed",
        "min/yr",
        "downtime",
        "lower",
        "impact",
        "Planned downtime, plus the time one instance short when the latency target is "
        "missed with one instance down.",
    ),
    MetricSpec(
        "messages_at_risk_per_year",
        "Messages at risk",
        "msg/yr",
        "count",
        "lower",
        "impact",
        "Expected messages lost per year by instance crashes (0 for transactional sends).",
    ),
    MetricSpec(
        "suspended_outages_per_year",
        "Destination outages outlasting the retries",
        "1/yr",
        "count",
        "lower",
        "impact",
        "Destination outages per year longer than retry count × retry interval, so "
        "messages get suspended.",
    ),
    MetricSpec(
        "messages_suspended_per_year",
        "Messages suspended",
        "msg/yr",
        "count",
        "lower",
        "impact",
        "Expected messages suspended per year by those outages (they need a manual resume).",
    ),
)

#: Every headline metric, key → :class:`MetricSpec`, in display order.
METRICS: dict[str, MetricSpec] = {m.key: m for m in _SPECS}

#: The parts of the path, in path order: part key → (label, metric key prefix).
PARTS: dict[str, str] = {
    "messagebox": "MessageBox",
    "send_tier": "Send tier",
    "destination": "Destination",
}


def metric_spec(key: str) -> MetricSpec:
    """Return the spec of a metric; a ``ValueError`` naming the closest key if unknown.

    Examples
    --------
    >>> metric_spec("sla_availability").title
    'SLA availability'
    >>> metric_spec("downtime_min_per_year").title
    'Downtime (min/yr)'
    """
    if not (isinstance(key, str) and key in METRICS):
        import difflib

        close = difflib.get_close_matches(str(key), METRICS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        check_choice("metric key", key, METRICS, hint)
    return METRICS[key]


# ------------------------------------------------------------------------------------------------
# formatting: how every front end (repr, CLI, UI, figures' hovers) writes a metric's value


def format_number(x: Any, digits: int = 3) -> str:
    """Return a number with ``digits`` significant digits; ∞ for infinity, – for NaN/None.

    Numbers from 10**digits up to a billion are rounded to whole numbers rather than written
    in exponent form.

    Examples
    --------
    >>> format_number(0.45123), format_number(float("inf")), format_number(26.666666)
    ('0.451', '∞', '26.7')
    >>> format_number(50000.0), format_number(1026.3), format_number(3.2e10)
    ('50000', '1026', '3.2e+10')
    >>> format_number(0.000123456)
    '0.000123'
    """
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, str):
        return x
    if isinstance(x, int):
        return str(x)
    x = scalar("value", x)
    if math.isnan(x):
        return "–"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    if 10**digits <= abs(x) < 1e9 or (x.is_integer() and abs(x) < 1e9):
        return f"{x:.0f}"
    return f"{x:.{digits}g}"


def format_percent(p: float, nines: bool = False) -> str:
    """Return a fraction as a percentage.

    With ``nines=True`` (availabilities) enough decimals are kept to show three significant
    digits of the complement (the unavailability): 0.998974 → ``99.897 %``.

    Examples
    --------
    >>> format_percent(0.15), format_percent(1.5)
    ('15.0 %', '150 %')
    >>> format_percent(0.9989743, nines=True), format_percent(0.99999994, nines=True)
    ('99.897 %', '99.99999400 %')
    >>> format_percent(1.0, nines=True), format_percent(0.0, nines=True)
    ('100 %', '0 %')
    """
    if p is None or math.isnan(p):
        return "–"
    if nines:
        if p >= 1.0:
            return "100 %"
        if p <= 0.0:
            return "0 %"
        return f"{100 * p:.{max(_nines_decimals(p) - 2, 1)}f} %"
    pct = 100 * p
    if pct < 1:
        return f"{pct:.2g} %"
    return f"{pct:.1f} %" if pct < 100 else f"{pct:.0f} %"


def _nines_decimals(p: float) -> int:
    """Decimals that show three significant digits of ``1 - p`` (for ``p`` just below 1)."""
    u = 1.0 - p
    first = math.ceil(-math.log10(u) - 1e-9) if u < 0.01 else 2
    return min(max(first + 2, 3), 16)


def format_availability(p: float) -> str:
    """Return an availability-like fraction with three significant digits of its complement.

    Examples
    --------
    >>> format_availability(0.998974), format_availability(0.99999977684)
    ('0.99897', '0.999999777')
    >>> format_availability(1.0), format_availability(0.5)
    ('1', '0.5')
    """
    if not (0.99 < p < 1.0):
        return format_number(p, 6)
    return f"{p:.{_nines_decimals(p)}f}"


def format_metric(key: str, value: Any) -> str:
    """Return a metric's value as text with its unit, formatted by the metric's kind.

    Availabilities show as percentages with enough decimals for three digits of the
    complement, other fractions as plain percentages, everything else as a number with three
    significant digits and the unit. Unknown keys are formatted as plain numbers.

    Examples
    --------
    >>> format_metric("latency_percentile_s", 0.45123), format_metric("availability", 0.998974)
    ('0.451 s', '99.897 %')
    >>> format_metric("mean_latency_s", float("inf")), format_metric("nines", 2.989)
    ('∞ s', '2.99')
    >>> format_metric("utilization", 0.15), format_metric("stable", True)
    ('15.0 %', 'yes')
    """
    check_type("key", key, str, "a metric key (text)")
    spec = METRICS.get(key)
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if spec is not None and spec.is_percentage and is_number:
        return format_percent(scalar("value", value), nines=spec.kind == "availability")
    unit = spec.unit if spec is not None else ""
    text = format_number(value)
    return f"{text} {unit}" if unit and text != "–" else text
