"""The scenario: plain data describing a sending tier, validated field by field.

A :class:`Scenario` is a tree of small frozen dataclasses (sections). Every field carries a
:class:`FieldSpec` in its metadata: label, unit, valid range, help text and where its default
comes from (``documented`` in the BizTalk Server docs, or an engineering ``estimate``). That one
table drives validation, the UI widgets, the tornado analysis and the scenario file reference
(``docs/scenario.md``), so they cannot drift apart.

Units are in every field name: ``_per_s`` (per second), ``_s`` (seconds), ``_h`` (hours),
``_min`` (minutes). A year is 365 days.

Dictionaries and files use the same names, nested by section::

    {"workload": {"arrival_rate_per_s": 40, ...}, "send_host": {...},
     "messagebox": None, "destination": {"kind": "endpoint", "availability": 0.999}}

Absent fields take their defaults; absent optional sections (``messagebox``, ``destination``)
mean "not modelled". Every field that may be empty (None) has None as its default, so a file
format without a null (TOML) round-trips losslessly by leaving the key out.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import math
import numbers
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from availcalc._validation import _short
from availcalc.model.kinds import (
    HANDLER_KINDS,
    MESSAGEBOX_KINDS,
    NLB_AFFINITIES,
    HandlerKind,
    handler_kind,
    messagebox_kind,
)
from availcalc.reliability.blocks import NLB_OUTAGE_SCOPES
from availcalc.units import MINUTES_PER_YEAR

__all__ = [
    "ALTERNATIVE_FIELDS",
    "AlternativeField",
    "Endpoint",
    "FieldSpec",
    "MessageBox",
    "NLBDestination",
    "Scenario",
    "ScenarioError",
    "SendHost",
    "SendPort",
    "Workload",
    "inapplicable_fields",
    "numeric_fields",
]


class ScenarioError(ValueError):
    """A scenario failed validation. The message starts with the dotted field path.

    Attributes
    ----------
    path : str
        The dotted path of the field (``""`` for the document as a whole).
    reason : str
        What is wrong with it: the message without the path.
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.reason = message
        shown = path if path.isprintable() and len(path) <= 80 else _short(path)
        super().__init__(f"{shown}: {message}" if path else message)


@dataclass(frozen=True)
class FieldSpec:
    """Description of one scenario field (drives validation, UI, docs and sensitivity).

    Attributes
    ----------
    label : str
        Human-readable name without the unit, e.g. ``"Arrival rate"``.
    unit : str
        Unit as shown to users, e.g. ``"msg/s"``; ``""`` for dimensionless or text.
    help : str
        One or two sentences: what the field means in the model.
    source : str
        ``"documented"`` (BizTalk Server documentation), ``"estimate"`` (engineering estimate
        to calibrate) or ``"model"`` (a modelling choice), followed by the reference.
    low, high : float or None
        Valid range; open or closed according to ``low_open`` / ``high_open``.
    choices : tuple of str or None
        Valid values for a text field.
    """

    label: str
    unit: str
    help: str
    source: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    choices: tuple[str, ...] | None = None

    def range_text(self) -> str:
        """Return the valid range in words, e.g. ``"> 0"`` or ``"in [0, 1]"``."""
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.low is not None and self.high is not None:
            lo = "(" if self.low_open else "["
            hi = ")" if self.high_open else "]"
            return f"in {lo}{_num(self.low)}, {_num(self.high)}{hi}"
        if self.low is not None:
            return ("> " if self.low_open else ">= ") + _num(self.low)
        if self.high is not None:
            return ("< " if self.high_open else "<= ") + _num(self.high)
        return "any value"

    def admits(self, v: float) -> bool:
        """Return True if the number ``v`` lies in the valid range."""
        if math.isnan(v):
            return False
        if self.low is not None and (v < self.low or (self.low_open and v == self.low)):
            return False
        return not (
            self.high is not None and (v > self.high or (self.high_open and v == self.high))
        )


def _num(x: float) -> str:
    if x != 0 and not 1e-4 <= abs(x) < 1e6:
        return f"{x:g}"  # 1e-09, 1e+09
    return str(int(x)) if float(x).is_integer() else repr(x)


def _f(default: Any, label: str, unit: str, help: str, source: str, **kw: Any) -> Any:
    return field(default=default, metadata={"spec": FieldSpec(label, unit, help, source, **kw)})


PROB = {"low": 0.0, "high": 1.0}

#: The widest range a planner's quantity of each unit may take: far beyond any real tier, and
#: narrow enough that no model overflows a double on the way (a service time of 1e-300 s or a
#: capacity of 1e-300 msg/s would, and mean nothing). Times in seconds 1 ns to 31.7 years;
#: times in hours the reliability engine's own [1e-9, 1e15] h; rates 1e-9 (one message in
#: 31.7 years) to 1e9 msg/s; planned events up to 1e6 a year; backlogs up to 1e12 messages.
SPAN = {
    "s": (1e-9, 1e9),
    "h": (1e-9, 1e15),
    "msg/s": (1e-9, 1e9),
    "1/yr": (1e-9, 1e6),
    "msg": (1, 10**12),
}


def _positive(unit: str) -> dict[str, float]:
    """Range of a quantity that must be > 0: :data:`SPAN` of its unit."""
    low, high = SPAN[unit]
    return {"low": low, "high": high}


def _nonnegative(unit: str) -> dict[str, float]:
    """Range of a quantity that may be 0 (none): 0 to the top of :data:`SPAN` of its unit."""
    return {"low": 0.0, "high": SPAN[unit][1]}


# ------------------------------------------------------------------------------------------------
# sections


@dataclass(frozen=True)
class _Section:
    """Base of scenario sections: validation from the field specs."""

    kind: ClassVar[str | None] = None

    def __post_init__(self) -> None:
        hints = _hints(type(self))
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            object.__setattr__(
                self, f.name, _coerce(f.name, value, hints[f.name], f.metadata.get("spec"))
            )
        self._check()

    def _check(self) -> None:
        """Cross-field checks (override)."""

    def to_dict(self) -> dict[str, Any]:
        """Return the section as a plain dict (JSON-ready)."""
        d: dict[str, Any] = {"kind": self.kind} if self.kind else {}
        d.update({f.name: getattr(self, f.name) for f in dataclasses.fields(self)})
        return d


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _coerce(name: str, value: Any, hint: Any, spec: FieldSpec | None) -> Any:
    optional = False
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        optional = len(args) < len(typing.get_args(hint))
        hint = args[0]
    if value is None:
        if optional:
            return None
        raise ScenarioError(name, "is required (got null/None)")
    if hint is bool:
        if not isinstance(value, bool | np.bool_):
            raise ScenarioError(name, f"must be true or false; got {_short(value)}")
        return bool(value)
    if hint is str:
        if not isinstance(value, str):
            raise ScenarioError(name, f"must be text; got {_short(value)}")
        if spec is not None and spec.choices and value not in spec.choices:
            raise ScenarioError(
                name, f"must be one of {', '.join(map(repr, spec.choices))}; got {_short(value)}"
            )
        return value
    if hint in (int, float):
        # any real number (numpy's too), not a bool; plain numbers skip the slow ABC check
        if type(value) not in (int, float) and (
            isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real)
        ):
            raise ScenarioError(
                name, f"must be a number; got {_short(value)} ({type(value).__name__})"
            )
        try:
            v = float(value)
        except OverflowError:  # an integer beyond any double (10**400): infinite for the checks
            v = math.inf if value > 0 else -math.inf
        if hint is int and math.isfinite(v) and not v.is_integer():
            raise ScenarioError(name, f"must be a whole number; got {_short(value)}")
        if spec is not None and not spec.admits(v):
            raise ScenarioError(name, f"must be {spec.range_text()}; got {_short(value)}")
        if not math.isfinite(v):
            raise ScenarioError(name, f"must be finite; got {_short(value)}")
        return int(v) if hint is int else v
    raise TypeError(f"unsupported field type {hint!r} for {name}")  # pragma: no cover


@dataclass(frozen=True)
class Workload(_Section):
    """What arrives to be sent, and the latency objective."""

    arrival_rate_per_s: float = _f(
        40.0,
        "Arrival rate λ",
        "msg/s",
        "Peak rate of messages this send host must deliver (after fan-out).",
        "estimate: the planner's peak load",
        **_positive("msg/s"),
    )
    latency_target_s: float = _f(
        2.0,
        "Latency target",
        "s",
        "Objective for the end-to-end send latency percentile (queueing + sending).",
        "estimate: planner's SLO (docs example '<2 s' for interactive flows)",
        **_positive("s"),
    )
    latency_percentile: float = _f(
        0.95,
        "Latency percentile",
        "",
        "Which percentile of the latency must stay within the target (0.95 = p95).",
        "model: p95 is the usual SLO",
        low=0.0,
        high=1.0,
        low_open=True,
        high_open=True,
    )
    arrival_scv: float = _f(
        1.0,
        "Arrival burstiness c²ₐ",
        "",
        "Squared coefficient of variation of inter-arrival times (1 = Poisson). Values "
        "other than 1 switch the send stage to the Allen–Cunneen G/G/c approximation. "
        "Alternative input: arrival_cv, the coefficient of variation cₐ = √c²ₐ (in [0, 5]), "
        "in a file, --set, replace() or the UI; give one of the two, not both.",
        "estimate: 1.0 = Poisson arrivals",
        low=0.0,
        high=25.0,
    )

    @property
    def arrival_cv(self) -> float:
        """Coefficient of variation of the inter-arrival times, √``arrival_scv`` [-]."""
        return ALTERNATIVE_FIELDS["workload.arrival_cv"].from_field(self.arrival_scv)


@dataclass(frozen=True)
class SendHost(_Section):
    """The send host: its instances, the adapter handler and their reliability."""

    instances: int = _f(
        2,
        "Host instances",
        "",
        "Servers running an instance of the send host (a host has at most one instance per "
        "server). For a clustered handler: the nodes of its failover cluster, 2 to 64 (one "
        "active, the others passive).",
        "documented: ≥ 2 instances on ≥ 2 servers for HA",
        low=1,
        high=10_000,
    )
    concurrency: int = _f(
        20,
        "Concurrent sends per instance",
        "",
        "Parallel sends one instance performs to the destination (HTTP: min(maxconnection, "
        "HttpOutInflightSize); maxconnection defaults to 2; the rule of thumb for it is 12 × "
        "the CPUs of the computer hosting the web application, the destination, not the "
        "sender).",
        "documented: maxconnection default 2; 12 × CPUs of the web application's host "
        "(BizTalk performance guide, 'Optimizing performance: maxconnection')",
        low=1,
        high=100_000,
    )
    service_time_s: float = _f(
        0.15,
        "Service time per send",
        "s",
        "Mean time one send occupies a sending thread, endpoint round trip included.",
        "estimate: adapter profiles (HTTP 150 ms)",
        **_positive("s"),
    )
    service_scv: float = _f(
        1.0,
        "Service-time variability c²ₛ",
        "",
        "Squared coefficient of variation of the send time (1 = exponential, 0 = constant, "
        "2–4 for SharePoint/FTP endpoints). Values other than 1 use the Allen–Cunneen G/G/c "
        "approximation. Alternative input: service_cv, the coefficient of variation "
        "cₛ = √c²ₛ (in [0, 5]), in a file, --set, replace() or the UI; give one of the two, "
        "not both.",
        "estimate: 1.0 = exponential; 2–4 for heavy-tailed endpoints",
        low=0.0,
        high=25.0,
    )
    handler: str = _f(
        "scaled_out",
        "Adapter handler",
        "",
        " ".join(k.help for k in HANDLER_KINDS.values()),
        "documented: Scaled-Out Sending Hosts; clustered MSMQ send handler",
        choices=tuple(HANDLER_KINDS),
    )
    mttf_h: float = _f(
        1460.0,
        "Instance MTTF",
        "h",
        "Mean time to failure of one instance (server + host-instance process in series).",
        "estimate: node 4 380 h and host process 2 190 h combined",
        **_positive("h"),
    )
    mttr_h: float = _f(
        0.69,
        "Instance MTTR",
        "h",
        "Mean time to restore a failed instance (weighted: 2 h hardware, 2 min process restart).",
        "estimate",
        **_positive("h"),
    )
    repair_crews: int | None = _f(
        None,
        "Repair crews",
        "",
        "Instances that can be repaired at the same time (empty = one repair crew per "
        "instance (per node for a clustered pair), so clustered and scaled-out compare like "
        "for like).",
        "model: independent repair unless limited",
        low=1,
        high=10_000,
    )
    coverage: float = _f(
        0.98,
        "Failover coverage",
        "",
        "Probability that the cluster fails over automatically after an active-node failure "
        "(clustered only).",
        "estimate: 0.98 (range 0.8–1)",
        **PROB,
    )
    failover_s: float = _f(
        60.0,
        "Failover time",
        "s",
        "Mean time of an automatic failover: detection + resources offline + online "
        "(clustered only).",
        "estimate: detection 5–20 s + resources offline/online; 30–120 s",
        **_nonnegative("s"),
    )
    manual_failover_h: float = _f(
        0.75,
        "Manual recovery time",
        "h",
        "Mean time to recover by hand when automatic failover fails (clustered only).",
        "estimate",
        **_nonnegative("h"),
    )
    planned_failovers_per_year: float = _f(
        0.0,
        "Planned failovers per year",
        "1/yr",
        "Patching moves of a clustered group; each costs one failover time of planned "
        "downtime (reported separately, not in availability). A scaled-out host's "
        "patching is its rolling reboots.",
        "estimate: 24/yr for monthly patching with failback",
        **_nonnegative("1/yr"),
    )
    rolling_reboots_per_year: float = _f(
        0.0,
        "Rolling reboots per year",
        "1/yr",
        "Patch rounds of a scaled-out host: each restarts every instance in turn, so the "
        "host runs one instance short for instances × reboot time (planned downtime only "
        "with a single instance; with a latency miss at one down, SLA time missed).",
        "estimate: 12/yr for monthly OS patching",
        **_nonnegative("1/yr"),
    )
    reboot_h: float = _f(
        0.25,
        "Reboot time per instance",
        "h",
        "Mean time one instance is out of service in a rolling reboot (drain, patch, restart).",
        "estimate: 15 min",
        **_nonnegative("h"),
    )
    group_stops_per_year: float = _f(
        0.0,
        "Group-wide stops per year",
        "1/yr",
        "Updates that stop every host instance of the BizTalk group at once (a cumulative "
        "update carrying SQL scripts): planned downtime for every topology.",
        "documented: a BizTalk cumulative update with SQL scripts needs all host instances "
        "stopped (Microsoft support article 2003907); estimate: 4/yr",
        **_nonnegative("1/yr"),
    )
    group_stop_h: float = _f(
        1.0,
        "Group-wide stop duration",
        "h",
        "Mean length of one group-wide stop, from the first host instance stopped to the "
        "last restarted.",
        "estimate: 1 h for a CU with SQL scripts",
        **_nonnegative("h"),
    )
    throttling_threshold_messages: int | None = _f(
        None,
        "Throttling threshold",
        "msg",
        "Host throttling 'Message count in DB': a backlog above it throttles publishing "
        "hosts upstream (empty = not checked).",
        "documented: BizTalk default 50 000",
        **_positive("msg"),
    )

    def _check(self) -> None:
        why = handler_kind(self.handler).check_instances(self.instances)
        if why is not None:
            raise ScenarioError("instances", why)
        if self.repair_crews is not None and self.repair_crews > self.instances:
            raise ScenarioError(
                "repair_crews",
                f"must be <= instances ({self.instances}); got {self.repair_crews}",
            )

    @property
    def service_cv(self) -> float:
        """Coefficient of variation of the send time, √``service_scv`` [-]."""
        return ALTERNATIVE_FIELDS["send_host.service_cv"].from_field(self.service_scv)

    @property
    def handler_kind(self) -> HandlerKind:
        """The handler's kind (:mod:`availcalc.model.kinds`): what differs between handlers."""
        return handler_kind(self.handler)

    @property
    def active_instances(self) -> int:
        """Instances sending at once when all are up: all (scaled out) or 1 (clustered)."""
        return self.handler_kind.active_instances(self.instances)


@dataclass(frozen=True)
class SendPort(_Section):
    """Send-port behaviour: retries, ordered delivery, transactional sends."""

    retry_count: int = _f(
        3,
        "Retry count",
        "",
        "Retries of a failed send before the message is suspended.",
        "documented: default 3 (0–1000)",
        low=0,
        high=1000,
    )
    retry_interval_min: float = _f(
        5.0,
        "Retry interval",
        "min",
        "Wait between retries of a failed send.",
        "documented: default 5 min (1 min recommended for ordered ports)",
        low=0.0,
        high=MINUTES_PER_YEAR,
    )
    ordered_delivery: bool = _f(
        False,
        "Ordered delivery",
        "",
        "Ordered send ports run on a single instance, one message at a time (c = 1), waiting "
        "for each delete from the MessageBox.",
        "documented: Ordered Delivery of Messages",
    )
    ordered_overhead_s: float = _f(
        0.03,
        "Ordered-delivery overhead",
        "s",
        "Extra time per message for an ordered port (batch of one, wait for delete).",
        "estimate: 30 ms",
        **_nonnegative("s"),
    )
    volatile_residence_s: float = _f(
        0.0,
        "Volatile residence after send",
        "s",
        "Time a sent message still sits in volatile local storage (e.g. the MSMQ outgoing "
        "queue of express messages) where an instance crash loses it; only for "
        "non-transactional sends.",
        "estimate: 50 ms for a local MSMQ outgoing queue",
        **_nonnegative("s"),
    )
    transactional: bool = _f(
        False,
        "Transactional sends",
        "",
        "Transactional (recoverable) sends lose nothing when an instance crashes; otherwise "
        "messages in flight on the failed instance are at risk (MSMQ express messages). "
        "False by default, as the MSMQ adapter's Transactional and Recoverable properties. "
        "Set true for adapters whose message stays in the MessageBox until the send "
        "succeeds (HTTP, SOAP/WCF, FILE, SharePoint): a crash leaves it to be sent again.",
        "documented: BizTalk 'MSMQ Adapter Configuration Properties' (learn.microsoft.com): "
        "Transactional and Recoverable default to false",
    )


@dataclass(frozen=True)
class MessageBox(_Section):
    r"""The MessageBox database(s) (SQL Server) the send host dequeues from.

    The MessageBox stage's capacity with :math:`H` send host instances running (the failure
    state's) is :func:`~availcalc.model.kinds.messagebox_capacity`:

    .. math:: C(H, D) = \max(1, D - 1)\,\frac{C}{1 + \sigma\,(H - 1)},

    :math:`C` = ``capacity_per_s``, :math:`D` = ``databases``, :math:`\sigma` =
    ``contention_per_host``; each publishing database is an M/M/1 station of rate
    :math:`C/(1 + \sigma(H - 1))` taking a random :math:`1/\max(1, D - 1)` share of the
    messages. Every database is a SQL block of the section's ``ha`` kind and reliability
    inputs (with its own shared storage), all in series.
    """

    capacity_per_s: float = _f(
        600.0,
        "MessageBox capacity",
        "msg/s",
        "Messages per second one MessageBox database sustains for this flow (publish + "
        "deliver) with one host instance polling it.",
        "estimate: between BizTalk Benchmark Wizard 700–1400 and the tuned lab 1266 msg/s",
        **_positive("msg/s"),
    )
    databases: int = _f(
        1,
        "MessageBox databases",
        "",
        "MessageBox databases in the group: the master, which routes, and the secondaries. "
        "With 2 or more, publication is taken as disabled on the master, so max(1, databases "
        "− 1) of them publish and the capacity is that many × the per-database capacity (2 "
        "give no gain: 'the scaling factor is almost 1'; the docs recommend at least 3). Each "
        "is its own SQL Server of the kind and inputs below, with its own storage, and any "
        "one's outage stops the group (series; the docs call each 'potentially a single point "
        "of failure'). The master's routing limit is not modelled; the 2010 lab measured 1.8× "
        "(3 databases) and 2.2× (4) one database's throughput, below 2× and 3×.",
        "documented: BizTalk 'Scaled-Out Databases' and 'Scaling Out the SQL Server Tier' "
        "(learn.microsoft.com/biztalk/core): a minimum of 3 with publication disabled on the "
        "master, cluster every one; lab figures: performance guide 'Observations and "
        "Recommendations'",
        low=1,
        high=20,
    )
    contention_per_host: float = _f(
        0.0,
        "MessageBox contention per host instance",
        "",
        "Extra MessageBox work per message with each further send host instance polling it "
        "(lock contention on its shared tables): a database's capacity with H instances "
        "running is capacity / (1 + contention × (H − 1)), so it changes with the failure "
        "state. 0 = independent of the instances. The performance guide's four-MessageBox "
        "lab fell from 2790 to 2656 docs/s (messaging) and from 1487 to 1388 (orchestration) "
        "going from 2 to 3 BizTalk computers: 134/2522 = 0.0531 and 99/1289 = 0.0768; with "
        "one MessageBox, 1 → 2 computers stayed flat (1266 → 1267: no measurable contention).",
        "estimate: fitted to the performance guide's 'Observations and Recommendations' lab "
        "(learn.microsoft.com/biztalk/technical-guides); the contention term of the universal "
        "scalability law (Gunther, Guerrilla Capacity Planning, Springer 2007, ch. 4)",
        low=0.0,
        high=100.0,
    )
    ha: str = _f(
        "failover_cluster",
        "SQL high availability",
        "",
        " ".join(k.help for k in MESSAGEBOX_KINDS.values()),
        "documented: cluster every MessageBox",
        choices=tuple(MESSAGEBOX_KINDS),
    )
    mttf_h: float = _f(
        4380.0,
        "SQL node MTTF",
        "h",
        "Mean time to failure of one SQL Server node.",
        "estimate",
        **_positive("h"),
    )
    mttr_h: float = _f(
        2.0,
        "SQL node MTTR",
        "h",
        "Mean time to repair a failed SQL Server node.",
        "estimate",
        **_positive("h"),
    )
    failover_s: float = _f(
        60.0,
        "SQL failover time",
        "s",
        "Mean time of an automatic SQL failover.",
        "estimate: 60 s FCI, 30 s availability group",
        **_nonnegative("s"),
    )
    coverage: float = _f(
        0.98,
        "SQL failover coverage",
        "",
        "Probability that an SQL failover succeeds without manual intervention.",
        "estimate",
        **PROB,
    )
    manual_failover_h: float = _f(
        0.75,
        "SQL manual recovery time",
        "h",
        "Mean time to recover by hand when an SQL failover does not complete.",
        "estimate",
        **_nonnegative("h"),
    )
    host_restart_s: float = _f(
        30.0,
        "Host restart after SQL failover",
        "s",
        "Every SQL failover recycles all host instances; their restart adds to the outage.",
        "documented behaviour; 30 s is an estimate",
        **_nonnegative("s"),
    )
    patch_failovers_per_year: float = _f(
        0.0,
        "SQL patch failovers per year",
        "1/yr",
        "Planned moves of each MessageBox database's SQL instance for patching; each costs "
        "a failover time plus the host restart it forces (planned downtime, not in "
        "availability).",
        "documented: every SQL failover recycles the host instances; estimate: 24/yr for "
        "monthly patching with failback",
        **_nonnegative("1/yr"),
    )
    standby_failure_ratio: float = _f(
        0.0,
        "Standby failure ratio",
        "",
        "Failure rate of the standby SQL server as a fraction of a running one (0 = cold: "
        "it cannot fail while it waits; 1 = hot). Standby server only.",
        "estimate: 0 for a powered-off or idle log-shipping secondary",
        **PROB,
    )
    storage_mttf_h: float | None = _f(
        None,
        "Shared storage MTTF",
        "h",
        "Shared cluster disk / SAN in series with SQL (empty = not modelled).",
        "estimate: dual-controller SAN",
        **_positive("h"),
    )
    storage_mttr_h: float = _f(
        8.0,
        "Shared storage MTTR",
        "h",
        "Mean time to repair the shared storage.",
        "estimate",
        **_positive("h"),
    )


@dataclass(frozen=True)
class Endpoint(_Section):
    """A single destination endpoint with a known availability (a partner's service)."""

    kind: ClassVar[str] = "endpoint"
    availability: float = _f(
        0.999,
        "Endpoint availability",
        "",
        "Long-run fraction of time the destination accepts messages.",
        "estimate: partner SLA 99.9 %",
        low=0.0,
        high=1.0,
        low_open=True,
        high_open=True,
    )
    mttr_h: float = _f(
        0.5,
        "Endpoint MTTR",
        "h",
        "Mean duration of an endpoint outage.",
        "estimate",
        **_positive("h"),
    )
    capacity_per_s: float | None = _f(
        None,
        "Endpoint capacity",
        "msg/s",
        "Rate the endpoint can absorb (empty = never the bottleneck).",
        "estimate",
        **_positive("msg/s"),
    )

    @property
    def implied_mttf_h(self) -> float:
        r"""Mean time between the endpoint's outages [h], :math:`\mathrm{MTTR}\,A/(1-A)`."""
        return self.mttr_h * self.availability / (1.0 - self.availability)

    def _check(self) -> None:
        low, high = SPAN["h"]
        if not low <= self.implied_mttf_h <= high:
            raise ScenarioError(
                "availability",
                f"with mttr_h = {self.mttr_h:g} h implies an MTTF of {self.implied_mttf_h:.3g} h, "
                f"outside [{low:g}, {high:g}] h; got {self.availability!r}",
            )


@dataclass(frozen=True)
class NLBDestination(_Section):
    """A destination farm behind Windows NLB (e.g. SharePoint web front ends)."""

    kind: ClassVar[str] = "nlb_pool"
    nodes: int = _f(3, "NLB nodes", "", "Hosts in the NLB pool.", "estimate", low=1, high=10_000)
    needed: int = _f(
        1,
        "Nodes needed",
        "",
        "Nodes that must be up for the pool to serve at all.",
        "model",
        low=1,
        high=10_000,
    )
    capacity_per_node_per_s: float = _f(
        30.0,
        "Capacity per node",
        "msg/s",
        "Requests per second one node serves.",
        "estimate: SharePoint uploads per WFE",
        **_positive("msg/s"),
    )
    affinity: str = _f(
        "single",
        "NLB client affinity",
        "",
        "How NLB spreads the senders' traffic over the nodes up. "
        + " ".join(a.help for a in NLB_AFFINITIES.values()),
        "documented: Windows NLB port rules, affinity Single by default (TechNet cc739690, "
        "Network Load Balancing Technical Overview)",
        choices=tuple(NLB_AFFINITIES),
    )
    detection_s: float = _f(
        5.0,
        "Failure detection",
        "s",
        "Time until the other nodes notice a failed node; its clients' requests fail meanwhile.",
        "documented: NLB hosts exchange heartbeats every second and start convergence after "
        "five missed ones (TechNet cc739690, Network Load Balancing Technical Overview)",
        **_nonnegative("s"),
    )
    convergence_s: float = _f(
        3.0,
        "NLB convergence",
        "s",
        "Time NLB then takes to evict the failed node and give its clients to the survivors.",
        "documented: 2.5–3 s to evict a failed host and redistribute its load (TechNet "
        "cc739690, Network Load Balancing Technical Overview)",
        **_nonnegative("s"),
    )
    outage_scope: str = _f(
        "failed_node",
        "Lost during detection + convergence",
        "",
        "failed_node: the failed node's share of the requests fails, the survivors keep "
        "serving theirs (what NLB documents); whole_pool: every request fails (if you "
        "observe that). Downtime counts the lost requests as equivalent whole-pool minutes.",
        "documented: surviving hosts keep serving their clients during convergence (TechNet "
        "cc739690, Network Load Balancing Technical Overview)",
        choices=NLB_OUTAGE_SCOPES,
    )
    mttf_h: float = _f(
        2190.0,
        "Node MTTF",
        "h",
        "Mean time to failure of one pool node.",
        "estimate",
        **_positive("h"),
    )
    mttr_h: float = _f(
        0.5, "Node MTTR", "h", "Mean time to repair one pool node.", "estimate", **_positive("h")
    )
    repair_crews: int | None = _f(
        None,
        "Repair crews",
        "",
        "Nodes repaired at the same time (empty = one per node).",
        "model",
        low=1,
        high=10_000,
    )

    def _check(self) -> None:
        if self.needed > self.nodes:
            raise ScenarioError("needed", f"must be <= nodes ({self.nodes}); got {self.needed}")
        if self.repair_crews is not None and self.repair_crews > self.nodes:
            raise ScenarioError(
                "repair_crews", f"must be <= nodes ({self.nodes}); got {self.repair_crews}"
            )


_DESTINATIONS: dict[str, type[_Section]] = {"endpoint": Endpoint, "nlb_pool": NLBDestination}
_SECTIONS: dict[str, type[_Section]] = {
    "workload": Workload,
    "send_host": SendHost,
    "send_port": SendPort,
    "messagebox": MessageBox,
}
_OPTIONAL_SECTIONS = ("messagebox", "destination")
_PARTS = ("name", "description", *_SECTIONS, "destination")
# the longest texts: any valid scenario then fits a scenario file (256 KiB, availcalc.model.io)
TEXT_LIMITS = {"name": 1_000, "description": 10_000}
# what each part of a built Scenario is (a str is valid text only once _build_part checked it)
_PART_TYPES: dict[str, Any] = {
    "name": (),
    "description": (),
    **{k: (v, type(None)) if k in _OPTIONAL_SECTIONS else v for k, v in _SECTIONS.items()},
    "destination": (*_DESTINATIONS.values(), type(None)),
}


@dataclass(frozen=True)
class Scenario:
    """A sending-tier scenario: workload, send host, send port, MessageBox, destination.

    Build one from a dict (:meth:`from_dict`), a file (:func:`availcalc.load_scenario`) or a
    preset (:func:`availcalc.load_preset`); change it with :meth:`replace` using dotted paths.
    Parts given as plain data (``Scenario(workload={"arrival_rate_per_s": 10})``) are built
    and validated as :meth:`from_dict` builds them.

    Examples
    --------
    >>> s = Scenario.from_dict({"workload": {"arrival_rate_per_s": 10}})
    >>> s.workload.arrival_rate_per_s
    10.0
    >>> s.replace(**{"send_host.instances": 4}).send_host.instances
    4
    >>> Scenario.from_dict({"workload": {"arrival_rate_per_s": -1}})
    Traceback (most recent call last):
    ...
    availcalc.model.schema.ScenarioError: workload.arrival_rate_per_s: must be in [...]; got -1
    """

    name: str = "custom"
    description: str = ""
    workload: Workload = field(default_factory=Workload)
    send_host: SendHost = field(default_factory=SendHost)
    send_port: SendPort = field(default_factory=SendPort)
    messagebox: MessageBox | None = None
    destination: Endpoint | NLBDestination | None = None

    def __post_init__(self) -> None:
        # parts given as plain data (a dict, a str) are built and validated as from_dict does
        for key, types_ in _PART_TYPES.items():
            value = getattr(self, key)
            if not isinstance(value, types_):
                object.__setattr__(self, key, _build_part(key, value))

    # -- dict form -------------------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Any) -> Scenario:
        """Build and validate a scenario from nested plain data.

        Raises
        ------
        ScenarioError
            (a ValueError) naming the dotted field path for an unknown field, a wrong type or
            a value out of range.
        """
        if not isinstance(data, dict):
            raise ScenarioError("", f"a scenario must be a mapping; got {type(data).__name__}")
        for key in data:
            if key not in _PARTS:
                raise ScenarioError(str(key), _unknown(key, _PARTS))
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        """Return the scenario as nested plain data (JSON-ready; ``from_dict`` inverts it)."""
        out: dict[str, Any] = {"name": self.name, "description": self.description}
        for key in (*_SECTIONS, "destination"):
            section = getattr(self, key)
            out[key] = None if section is None else section.to_dict()
        return out

    # -- changes -------------------------------------------------------------------------------
    def replace(self, **changes: Any) -> Scenario:
        """Return a copy with fields changed by dotted path, validated.

        Paths are ``"section.field"`` (e.g. ``"send_host.instances"``), a whole section
        (``"messagebox"`` with a dict or None) or ``"name"`` / ``"description"``.

        Raises
        ------
        ScenarioError
            For an unknown path or an invalid value.
        """
        # only the parts a change touches are rebuilt (and validated); the others are reused
        data = self.to_dict()
        touched: set[str] = set()
        for path, value in changes.items():
            touched.add(path.split(".")[0])
            parts = path.split(".")
            if len(parts) == 1:
                if parts[0] not in data:
                    raise ScenarioError(path, _unknown(parts[0], data))
                data[parts[0]] = value
            elif len(parts) == 2:
                sec, name = parts
                if sec not in data:
                    raise ScenarioError(path, _unknown(sec, data))
                if data[sec] is None:
                    raise ScenarioError(
                        path, f"section {sec!r} is not modelled in this scenario; set it first"
                    )
                if not isinstance(data[sec], dict):
                    raise ScenarioError(path, f"{sec!r} is text, not a section with fields")
                alts = _alternatives(sec)
                if name in alts:  # e.g. send_host.service_cv: stands for service_scv
                    alt = alts[name]
                    if alt.field_path in changes:
                        raise _both(alt, value, changes[alt.field_path])
                    # the section builder converts and validates it (in the user's terms)
                    kept = {k: v for k, v in data[sec].items() if k not in (name, alt.field)}
                    data[sec] = {**kept, name: value}
                    continue
                if name not in data[sec]:
                    raise ScenarioError(path, _unknown(name, {*data[sec], *alts}))
                data[sec] = {**data[sec], name: value}
            else:
                raise ScenarioError(path, "paths have the form 'section.field'")
        return dataclasses.replace(self, **{key: data[key] for key in touched})

    def get(self, path: str) -> Any:
        """Return the value at a dotted path (e.g. ``"send_host.mttr_h"``).

        A section name alone returns the section (None if not modelled); an alternative input
        (``"send_host.service_cv"``) returns its value derived from the stored field.

        Raises
        ------
        ScenarioError
            For an unknown section or field (suggesting the closest valid name) or a field of
            a section the scenario does not model.
        """
        sec, _, name = path.partition(".")
        if sec not in _PARTS:
            raise ScenarioError(path, _unknown(sec, _PARTS))
        obj = getattr(self, sec)
        if not name:
            return obj
        if obj is None:
            raise ScenarioError(path, f"section {sec!r} is not modelled in this scenario")
        if not isinstance(obj, _Section):
            raise ScenarioError(path, f"{sec!r} is text, not a section with fields")
        names = {*_field_specs(type(obj)), *_alternatives(sec)}
        if name not in names and not isinstance(getattr(type(obj), name, None), property):
            raise ScenarioError(path, _unknown(name, names))
        return getattr(obj, name)

    def check_values(self, path: str, values: Any) -> np.ndarray:
        """Validate many candidate values of one numeric field at once; return them as an array.

        Applies the field's type (whole numbers for integer fields) and valid range, as
        :meth:`replace` would, without building a scenario per value.

        Raises
        ------
        ScenarioError
            Naming the path and the first offending value.
        """
        self.get(path)  # unknown paths fail here, naming the path (and the closest name)
        sec, _, name = path.partition(".")
        section = getattr(self, sec)
        alt = _alternatives(sec).get(name)
        if alt is not None:  # validated in the user's terms, as replace() does
            hint: Any = float
            spec: FieldSpec = alt.spec
        elif name in _field_specs(type(section)):
            hint = _hints(type(section))[name]
            spec = _field_specs(type(section))[name]
            if typing.get_origin(hint) in (typing.Union, types.UnionType):
                hint = next(a for a in typing.get_args(hint) if a is not type(None))
        else:
            hint = None
        if hint not in (int, float):
            raise ScenarioError(path, "is not a numeric field")
        raw = list(values)
        try:
            arr = np.asarray(raw, dtype=float)
        except (TypeError, ValueError, OverflowError):
            arr = None
        if arr is None or any(isinstance(v, bool | np.bool_) for v in raw):
            for v in raw:  # let the scalar check name the first bad value
                _coerce(path, v, hint, spec)
            raise ScenarioError(path, f"must be numbers; got {raw!r}")  # pragma: no cover
        ok = np.isfinite(arr)
        if hint is int:
            ok &= arr == np.round(arr)
        if spec.low is not None:
            ok &= (arr > spec.low) if spec.low_open else (arr >= spec.low)
        if spec.high is not None:
            ok &= (arr < spec.high) if spec.high_open else (arr <= spec.high)
        if not ok.all():
            _coerce(path, raw[int(np.flatnonzero(~ok)[0])], hint, spec)  # raises with the message
        return arr


_MISSING = object()


def _unknown(key: Any, known: Any) -> str:
    """Return the message for an unknown name, suggesting the closest valid one (difflib)."""
    names = sorted(map(str, known))
    text = str(key)[:100]  # a longer key is like none of them (and difflib would take long)
    close = difflib.get_close_matches(text, names, n=1, cutoff=0.6)
    hint = f" did you mean {close[0]!r}?" if close else ""
    return f"unknown field {_short(key)};{hint} expected one of {', '.join(names)}"


# ------------------------------------------------------------------------------------------------
# alternative input fields


def _square(cv: float) -> float:
    """Return cv² rounded to 15 significant digits.

    The rounding (below one part in 10¹⁵) makes a CV typed in decimal, or read back from the
    stored SCV, give the SCV a planner would write: 0.3 → 0.09 (not 0.09000000000000001),
    √2 → 2 (not 2.0000000000000004).
    """
    return float(f"{cv * cv:.15g}")


@dataclass(frozen=True)
class AlternativeField:
    """Another name under which a scenario field may be given, with the conversion.

    The scenario stores only the canonical ``field``; ``name`` is accepted instead of it (never
    together with it) by :meth:`Scenario.from_dict`, scenario files, :meth:`Scenario.replace`
    (and so ``--set``) and the UI, and converted with ``to_field``. Its valid range is the
    canonical range mapped through ``from_field`` (both increasing), so errors speak of the
    value the user typed.

    Attributes
    ----------
    section : str
        Section of both fields, e.g. ``"send_host"``.
    name : str
        The alternative name, e.g. ``"service_cv"``.
    field : str
        The stored (canonical) field, e.g. ``"service_scv"``.
    label, help, source : str
        As in :class:`FieldSpec`, for the alternative quantity.
    to_field, from_field : callable
        Alternative value → stored value, and its inverse.
    """

    section: str
    name: str
    field: str
    label: str
    help: str
    source: str
    to_field: Callable[[float], float]
    from_field: Callable[[float], float]

    @property
    def path(self) -> str:
        """Dotted path of the alternative, e.g. ``"send_host.service_cv"``."""
        return f"{self.section}.{self.name}"

    @property
    def field_path(self) -> str:
        """Dotted path of the stored field, e.g. ``"send_host.service_scv"``."""
        return f"{self.section}.{self.field}"

    @property
    def field_spec(self) -> FieldSpec:
        """The :class:`FieldSpec` of the stored field."""
        return _field_specs(_SECTIONS[self.section])[self.field]

    @property
    def spec(self) -> FieldSpec:
        """The :class:`FieldSpec` of the alternative: its range follows from the stored one.

        Examples
        --------
        >>> ALTERNATIVE_FIELDS["send_host.service_cv"].spec.range_text()
        'in [0, 5]'
        """
        f = self.field_spec
        return FieldSpec(
            self.label,
            f.unit,
            self.help,
            self.source,
            low=None if f.low is None else self.from_field(f.low),
            high=None if f.high is None else self.from_field(f.high),
            low_open=f.low_open,
            high_open=f.high_open,
        )


#: The alternative input fields, by dotted path: the one definition that
#: :meth:`Scenario.from_dict`, :meth:`Scenario.replace`, :meth:`Scenario.get`,
#: :meth:`Scenario.check_values` and the UI use. Planners quote the coefficient of variation
#: (CV = standard deviation / mean); the queueing formulas take its square (the SCV).
ALTERNATIVE_FIELDS: dict[str, AlternativeField] = {
    a.path: a
    for a in (
        AlternativeField(
            "workload",
            "arrival_cv",
            "arrival_scv",
            "Arrival burstiness as CV cₐ",
            "Coefficient of variation of inter-arrival times (standard deviation / mean; "
            "1 = Poisson). Stored as its square, arrival_scv = cₐ².",
            "estimate: 1.0 = Poisson arrivals",
            _square,
            math.sqrt,
        ),
        AlternativeField(
            "send_host",
            "service_cv",
            "service_scv",
            "Service-time variability as CV cₛ",
            "Coefficient of variation of the send time (standard deviation / mean; "
            "1 = exponential, 0 = constant, about 1.4–2 for SharePoint/FTP endpoints). Stored "
            "as its square, service_scv = cₛ².",
            "estimate: 1.0 = exponential; 1.4–2 for heavy-tailed endpoints",
            _square,
            math.sqrt,
        ),
    )
}


@functools.cache
def _field_specs(cls: type) -> dict[str, FieldSpec]:
    return {f.name: f.metadata["spec"] for f in dataclasses.fields(cls)}


def _alternatives(section: str) -> dict[str, AlternativeField]:
    """Return alternative name → :class:`AlternativeField` for one section."""
    return {a.name: a for a in ALTERNATIVE_FIELDS.values() if a.section == section}


def _both(alt: AlternativeField, value: Any, stored: Any) -> ScenarioError:
    return ScenarioError(
        alt.path,
        f"give either {alt.name} or {alt.field}, not both (got {alt.name}={_short(value)} and "
        f"{alt.field}={_short(stored)})",
    )


def _resolve_alternatives(section: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Replace alternative inputs (e.g. ``service_cv``) by their stored field, validated."""
    alts = _alternatives(section)
    if not any(k in raw for k in alts):
        return raw
    out = dict(raw)
    for name, alt in alts.items():
        if name not in out:
            continue
        value = out.pop(name)
        if alt.field in raw:
            raise _both(alt, value, raw[alt.field])
        out[alt.field] = alt.to_field(_coerce(alt.path, value, float, alt.spec))
    return out


def _build_part(key: str, raw: Any) -> Any:
    """Build and validate one top-level part of a scenario from plain data."""
    if key in TEXT_LIMITS:
        if not isinstance(raw, str):
            raise ScenarioError(key, f"must be text; got {_short(raw)}")
        if len(raw) > TEXT_LIMITS[key]:
            raise ScenarioError(
                key, f"must be at most {TEXT_LIMITS[key]:,} characters long; got {len(raw):,}"
            )
        if not raw.isascii():  # a lone surrogate ('\\ud800' in JSON) is no text a file can hold
            try:
                raw.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ScenarioError(
                    key, f"must be Unicode text; got {raw[exc.start]!r} at position {exc.start}"
                ) from None
        return raw
    if key == "destination":
        return _build_destination(raw)
    return _build_section(key, _SECTIONS[key], raw, key in _OPTIONAL_SECTIONS)


def _build_section(path: str, cls: type[_Section], raw: Any, optional: bool) -> _Section | None:
    if raw is None:
        if optional:
            return None
        raise ScenarioError(path, "is required (got null/None)")
    if isinstance(raw, _Section):
        raw = raw.to_dict()
    if not isinstance(raw, dict):
        raise ScenarioError(path, f"must be a mapping of fields; got {_short(raw)}")
    names = {f.name for f in dataclasses.fields(cls)}
    raw = {
        k: v
        for k, v in raw.items()
        if not (k == "kind" and isinstance(v, str | None) and v == cls.kind)
    }
    raw = _resolve_alternatives(path, raw)
    for key in raw:
        if key not in names:
            raise ScenarioError(f"{path}.{key}", _unknown(key, names | set(_alternatives(path))))
    try:
        return cls(**raw)
    except ScenarioError as exc:
        raise ScenarioError(f"{path}.{exc.path}", exc.reason) from None


def _build_destination(raw: Any) -> _Section | None:
    if raw is None:
        return None
    if isinstance(raw, _Section):
        raw = raw.to_dict()
    if not isinstance(raw, dict):
        raise ScenarioError("destination", f"must be a mapping of fields; got {_short(raw)}")
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in _DESTINATIONS:
        raise ScenarioError(
            "destination.kind",
            f"must be one of {', '.join(map(repr, _DESTINATIONS))}; got {_short(kind)}",
        )
    return _build_section("destination", _DESTINATIONS[kind], raw, True)


def section_classes() -> dict[str, tuple[type[_Section], ...]]:
    """Return the section name → possible section classes (for UIs and docs)."""
    return {
        **{k: (v,) for k, v in _SECTIONS.items()},
        "destination": tuple(_DESTINATIONS.values()),
    }


def inapplicable_fields(scenario: Scenario) -> frozenset[str]:
    """Return the dotted paths of fields that the scenario's settings make irrelevant.

    Cluster settings on a scaled-out handler, the ordered-delivery overhead on an unordered
    port, the volatile residence of transactional sends, the shared-storage MTTR without a
    storage MTTF: changing them changes no result.
    """
    own = scenario.send_host.handler_kind.fields
    out = {f for k in HANDLER_KINDS.values() for f in k.fields} - own
    if not scenario.send_port.ordered_delivery:
        out.add("send_port.ordered_overhead_s")
    if scenario.send_port.transactional:
        out.add("send_port.volatile_residence_s")
    mb = scenario.messagebox
    if mb is not None:
        out |= {f for k in MESSAGEBOX_KINDS.values() for f in k.fields} - messagebox_kind(mb).fields
        if mb.storage_mttf_h is None:
            out.add("messagebox.storage_mttr_h")
    return frozenset(out)


def numeric_fields(scenario: Scenario, applicable_only: bool = True) -> dict[str, FieldSpec]:
    """Return the dotted paths of the scenario's numeric fields that are set, with their specs.

    Used by sensitivity analyses to know what can be varied and within which range.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    applicable_only : bool
        Leave out the fields the scenario's settings make irrelevant
        (:func:`inapplicable_fields`).
    """
    skip = inapplicable_fields(scenario) if applicable_only else frozenset()
    out: dict[str, FieldSpec] = {}
    for sec in (*_SECTIONS, "destination"):
        section = getattr(scenario, sec)
        if section is None:
            continue
        for f in dataclasses.fields(section):
            value = getattr(section, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            path = f"{sec}.{f.name}"
            if path not in skip:
                out[path] = f.metadata["spec"]
    return out
