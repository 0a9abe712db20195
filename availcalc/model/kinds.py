r"""Tier kinds: every kind of send handler, MessageBox and destination, defined once.

A *kind* is one object that owns everything that differs between, say, a scaled-out and a
clustered handler: its reliability block, its failure states and the instances sending in each,
the N−k rule, the fields only it uses, its display name and colour, what the topology says about
it and the advice the UI gives. Everything else (the evaluation, sweeps, importance, sizing, the
simulation, the UI and the figures) asks the kind; no code outside this module tests a kind's
name. A new kind is one subclass here, registered in :data:`HANDLER_KINDS` (or
:data:`MESSAGEBOX_KINDS`, :data:`DESTINATION_KINDS`), plus the maths of its block in
:mod:`availcalc.reliability` (see DEVELOPERS.md, "Add a handler kind").

Sections are passed duck-typed (``host.mttf_h``, ``mb.failover_s``, ...), so this module does
not import :mod:`availcalc.model.schema`; the schema imports it to validate and to list the
choices of ``send_host.handler`` and ``messagebox.ha``.

Examples
--------
>>> from availcalc.model.kinds import handler_kind
>>> k = handler_kind("clustered")
>>> k.name, k.active_instances(2), k.active_with_down(2, 1), k.active_with_down(2, 2)
('clustered', 1, 1, 0)
>>> handler_kind("scaled_out").active_with_down(4, 1)
3
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from availcalc.reliability import ActivePassive, Component, KofN, NLBPool, Standby
from availcalc.reliability.blocks import MAX_CLUSTER_NODES, NLB_OUTAGE_SCOPES

__all__ = [
    "CLUSTERED",
    "DESTINATION_KINDS",
    "HANDLER_KINDS",
    "MESSAGEBOX_KINDS",
    "NLB_AFFINITIES",
    "NLB_OUTAGE_SCOPE_LABELS",
    "SCALED_OUT",
    "DestinationKind",
    "HandlerKind",
    "MessageBoxKind",
    "TierStates",
    "destination_kind",
    "handler_kind",
    "messagebox_kind",
    "nlb_affinity",
    "with_handler",
]

#: How an input improves the system (importance analyses): "up" = more is better, "down" =
#: less is better, "complement" = 1 − value is a failure probability (less of it is better).
UP, DOWN, COMPLEMENT = "up", "down", "complement"


def _lookup(kinds: Mapping[str, Any], what: str, key: Any) -> Any:
    """Return ``kinds[key]``, or raise a ValueError naming ``what`` and the valid keys."""
    try:
        return kinds[key]
    except (KeyError, TypeError):
        raise ValueError(
            f"{what} must be one of {', '.join(map(repr, kinds))}; got {key!r}"
        ) from None


def _frozen(x: Any) -> np.ndarray:
    a = np.array(x)
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class TierStates:
    """The solved failure states of one tier, all-up first.

    Attributes
    ----------
    block : Block
        The tier's reliability block.
    labels : tuple of str
        Name of each state.
    up : numpy.ndarray
        Units (instances, nodes) up in each state.
    serving : numpy.ndarray
        Units *serving* in each state: sending instances for a send tier (0 when it is down).
    prob : numpy.ndarray
        Steady-state probability of each state.
    codes : numpy.ndarray
        The state code of each state in the block's own simulation
        (:func:`availcalc.simulation.failure.leaf_trajectory`), so simulated trajectories map
        to these states.
    """

    block: Any
    labels: tuple[str, ...]
    up: np.ndarray
    serving: np.ndarray
    prob: np.ndarray
    codes: np.ndarray

    @property
    def serving_by_code(self) -> np.ndarray:
        """Units serving, indexed by simulation state code (``serving_by_code[codes]``)."""
        lookup = np.zeros(int(np.max(self.codes)) + 1, dtype=np.int64)
        lookup[self.codes] = self.serving
        return lookup

    def label_of_code(self, code: int) -> str:
        """Name of the state whose simulation code is ``code``."""
        return self.labels[int(np.flatnonzero(self.codes == code)[0])]


def _chain_tier(block: Any) -> TierStates:
    """Return the states of a one-active-unit block (ActivePassive, Standby), in its own order."""
    return TierStates(
        block,
        tuple(block.state_names),
        _frozen(block.units_up),
        _frozen(block.serving),
        _frozen(block.state_probability_array),
        _frozen(np.arange(len(block.state_names))),
    )


# ================================================================================ handler kinds
class HandlerKind:
    """How an adapter handler uses the send host's instances (base class of the kinds).

    Class attributes
    ----------------
    key : str
        Value of ``send_host.handler``.
    name : str
        Short display name (legends, comparisons).
    label : str
        What a selector shows.
    help : str
        One sentence for the field's help and ``docs/scenario.md``.
    color : str
        Colour of the kind in every figure.
    dash : str
        Line dash of the kind in line charts.
    fields : frozenset of str
        Dotted paths of the fields only this kind uses (irrelevant for the others).
    levers : tuple of (path, direction)
        Its reliability inputs beyond the instance MTTF and MTTR, with how each improves.
    min_instances : int
        Fewest instances it runs on.
    instances_add_capacity : bool
        Whether more instances send more (a sizing and queueing lever), or only add spares.
    planned_failovers : bool
        Whether patching moves cost planned downtime (``send_host.planned_failovers_per_year``).
    advice : str or None
        What the UI tells a planner who picks it.
    """

    key: ClassVar[str]
    name: ClassVar[str]
    label: ClassVar[str]
    help: ClassVar[str]
    color: ClassVar[str]
    dash: ClassVar[str] = "solid"
    fields: ClassVar[frozenset[str]] = frozenset()
    levers: ClassVar[tuple[tuple[str, str], ...]] = ()
    min_instances: ClassVar[int] = 1
    instances_add_capacity: ClassVar[bool] = True
    planned_failovers: ClassVar[bool] = False
    advice: ClassVar[str | None] = None

    def __repr__(self) -> str:
        return f"<handler kind {self.key!r}>"

    # -- capacity -------------------------------------------------------------------------------
    def active_instances(self, instances: int) -> int:  # pragma: no cover - abstract
        """Instances sending at once when all ``instances`` are up."""
        raise NotImplementedError

    def active_with_down(self, instances: int, down: int) -> int:  # pragma: no cover
        """Instances sending with ``down`` of ``instances`` failed (0: the tier is down)."""
        raise NotImplementedError

    # -- reliability ----------------------------------------------------------------------------
    def tier(self, host: Any) -> TierStates:
        """Return the send tier's block and failure states for the send-host section ``host``."""
        return _handler_tier(
            self.key,
            host.instances,
            host.mttf_h,
            host.mttr_h,
            host.repair_crews,
            host.coverage,
            host.failover_s,
            host.manual_failover_h,
        )

    def _tier(
        self,
        instances: int,
        mttf_h: float,
        mttr_h: float,
        crews: int | None,
        coverage: float,
        failover_s: float,
        manual_failover_h: float,
    ) -> TierStates:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- checks and words -----------------------------------------------------------------------
    def check_instances(self, instances: int) -> str | None:
        """Why ``instances`` is not allowed for this kind (None when it is)."""
        if instances < self.min_instances:
            return f"must be >= {self.min_instances} for a {self.name} handler; got {instances}"
        return None

    def unit_label(self, k: int) -> str:
        """Label of the ``k``-th instance (0-based) in the topology."""
        return f"instance {k + 1}"

    def noun(self, n: int) -> str:
        """'instances' / 'nodes', agreeing with ``n``."""
        return "instance" if n == 1 else "instances"

    def describe(self, host: Any) -> str:
        """How the handler runs, for the topology (HTML line breaks)."""
        return f"{self.name} on all {host.instances}"

    def default_instances(self, host: Any) -> int:
        """Instances of this kind's variant of ``host`` (comparisons): keep the count if valid."""
        return max(host.instances, self.min_instances)


class ScaledOut(HandlerKind):
    r"""The handler runs on every instance, all active: a 1-of-n tier (:class:`KofN`).

    With :math:`n` independent instances (one repair crew each unless ``repair_crews`` limits
    them), :math:`j` up send with :math:`j \times` concurrency threads.
    """

    key = "scaled_out"
    name = "scaled out"
    label = "scaled out (all active)"
    help = "'scaled_out': the handler runs on every instance, all active."
    color = "#1f77b4"  # blue

    fields = frozenset({"send_host.rolling_reboots_per_year", "send_host.reboot_h"})

    def active_instances(self, instances: int) -> int:
        return instances

    def active_with_down(self, instances: int, down: int) -> int:
        return max(instances - down, 0)

    def _tier(self, instances, mttf_h, mttr_h, crews, coverage, failover_s, manual_failover_h):
        block = KofN(instances, 1, mttf_h, mttr_h, crews=crews, name="send host instances")
        j = np.arange(instances, -1, -1)
        return TierStates(
            block,
            tuple(f"{k} of {instances} up" for k in j),
            _frozen(j),
            _frozen(j),
            _frozen(np.asarray(block.up_count_probabilities, dtype=float)[::-1]),
            _frozen(j),  # KofN's simulation code is the number of units up
        )


class Clustered(HandlerKind):
    r"""The handler runs in a clustered host: one active node, the others passive.

    Windows Server Failover Clustering runs the clustered host on one of its ``instances``
    nodes (2 or more); a failure of the active node fails over to a passive one (automatically
    with probability ``coverage`` after ``failover_s``, else by hand after
    ``manual_failover_h``). The block is :class:`~availcalc.ActivePassive` with
    ``nodes = instances``.
    """

    key = "clustered"
    name = "clustered"
    label = "clustered (active/passive)"
    help = (
        "'clustered': it runs in a clustered host on a failover cluster of `instances` nodes "
        "(2 or more), one active and the others passive (MSMQ transactional sends)."
    )
    color = "#ff7f0e"  # orange
    dash = "dash"
    fields = frozenset(
        {
            "send_host.coverage",
            "send_host.failover_s",
            "send_host.manual_failover_h",
            "send_host.planned_failovers_per_year",
        }
    )
    levers = (
        ("send_host.coverage", COMPLEMENT),
        ("send_host.failover_s", DOWN),
        ("send_host.manual_failover_h", DOWN),
    )
    min_instances = 2
    instances_add_capacity = False
    planned_failovers = True
    advice = (
        "A clustered host (active/passive) needs BizTalk Server Enterprise Edition, a Windows "
        "failover cluster and shared storage; only one node sends at a time."
    )

    def active_instances(self, instances: int) -> int:
        return 1

    def active_with_down(self, instances: int, down: int) -> int:
        return 1 if down < instances else 0

    def _tier(self, instances, mttf_h, mttr_h, crews, coverage, failover_s, manual_failover_h):
        block = ActivePassive(
            mttf_h,
            mttr_h,
            coverage=coverage,
            switchover_s=failover_s,
            manual_failover_h=manual_failover_h,
            crews=crews,  # None: one crew per node (the one rule for every block)
            nodes=instances,
            name="send host cluster",
        )
        return _chain_tier(block)

    def check_instances(self, instances: int) -> str | None:
        if instances < 2:
            return (
                "must be >= 2 for a clustered handler (a failover cluster of one active node "
                f"and at least one passive); got {instances}"
            )
        if instances > MAX_CLUSTER_NODES:
            return (
                f"must be <= {MAX_CLUSTER_NODES} for a clustered handler (Windows Server "
                f"Failover Clustering's most nodes); got {instances}"
            )
        return None

    def unit_label(self, k: int) -> str:
        return f"node {k + 1} ({'active' if k == 0 else 'passive'})"

    def noun(self, n: int) -> str:
        return "nodes"

    def describe(self, host: Any) -> str:
        passive = host.instances - 1
        return (
            f"clustered<br>1 active, {passive} passive<br>failover {host.failover_s:g} s<br>"
            f"coverage {host.coverage:g}"
        )

    def default_instances(self, host: Any) -> int:
        # a clustered variant of a scaled-out host is the classic pair
        return host.instances if handler_kind(host.handler) is self else 2


@functools.lru_cache(maxsize=1024)
def _handler_tier(key: str, *args: Any) -> TierStates:
    # cached by the inputs: a sweep over another section's input reuses the solved tier
    return HANDLER_KINDS[key]._tier(*args)


#: The two handler kinds the clustered-vs-scaled-out comparisons set against each other.
SCALED_OUT = ScaledOut()
CLUSTERED = Clustered()

#: The handler kinds, by ``send_host.handler`` value (the selector's order).
HANDLER_KINDS: Mapping[str, HandlerKind] = {k.key: k for k in (SCALED_OUT, CLUSTERED)}


def handler_kind(key_or_host: Any) -> HandlerKind:
    """Return the kind of a handler, from its key, a send-host section or the kind itself."""
    if isinstance(key_or_host, HandlerKind):
        return key_or_host
    return _lookup(HANDLER_KINDS, "handler", getattr(key_or_host, "handler", key_or_host))


def with_handler(scenario: Any, handler: HandlerKind | str, instances: int, **changes: Any) -> Any:
    """Return ``scenario`` with the given handler and instance count (repair crews clamped).

    Parameters
    ----------
    scenario : Scenario
    handler : HandlerKind or str
        A kind, or a key of :data:`HANDLER_KINDS`.
    instances : int
        Host instances (nodes of a clustered host).
    **changes
        Further dotted-path changes for :meth:`Scenario.replace`.
    """
    key = handler_kind(handler).key
    crews = scenario.send_host.repair_crews
    out: dict[str, Any] = {"send_host.handler": key, "send_host.instances": instances}
    if crews is not None and crews > instances:
        out["send_host.repair_crews"] = instances
    return scenario.replace(**out, **changes)


# ============================================================================= MessageBox kinds
class MessageBoxKind:
    """How the MessageBox's SQL Server is made highly available (base class of the kinds).

    Class attributes: ``key`` (value of ``messagebox.ha``), ``label``, ``help``,
    ``topology_text`` (what the topology diagram says), ``fields`` (dotted paths only this
    kind uses) and ``levers`` (its reliability inputs beyond the node MTTF and MTTR, with how
    each improves).
    """

    key: ClassVar[str]
    label: ClassVar[str]
    topology_text: ClassVar[str]
    help: ClassVar[str]
    fields: ClassVar[frozenset[str]] = frozenset()
    levers: ClassVar[tuple[tuple[str, str], ...]] = ()

    def __repr__(self) -> str:
        return f"<MessageBox kind {self.key!r}>"

    def sql_block(self, mb: Any, suffix: str = "") -> Any:  # pragma: no cover - abstract
        """Return the block of one MessageBox database's SQL Server tier (section ``mb``).

        ``suffix`` ends the block's name, telling the databases of a group apart
        (:func:`messagebox_blocks`); one database has none.
        """
        raise NotImplementedError


class SingleServer(MessageBoxKind):
    """One SQL Server: a :class:`~availcalc.Component`."""

    key = "none"
    label = "single SQL server"
    topology_text = "one server"
    help = "'none': a single server."

    def sql_block(self, mb: Any, suffix: str = "") -> Any:
        return Component("MessageBox SQL server" + suffix, mb.mttf_h, mb.mttr_h)


_SQL_CLUSTER_FIELDS = frozenset(
    {
        "messagebox.failover_s",
        "messagebox.coverage",
        "messagebox.manual_failover_h",
        "messagebox.host_restart_s",
        "messagebox.patch_failovers_per_year",
    }
)
_SQL_CLUSTER_LEVERS = (
    ("messagebox.coverage", COMPLEMENT),
    ("messagebox.failover_s", DOWN),
    ("messagebox.manual_failover_h", DOWN),
    ("messagebox.host_restart_s", DOWN),
)


def _sql_switch(mb: Any) -> dict[str, float]:
    """Return the switch of an SQL tier (every SQL failover recycles the host instances too)."""
    return {
        "coverage": mb.coverage,
        "switchover_s": mb.failover_s + mb.host_restart_s,
        "manual_failover_h": mb.manual_failover_h,
    }


class FailoverCluster(MessageBoxKind):
    """A 2-node SQL Server failover cluster instance: :class:`~availcalc.ActivePassive`.

    Every SQL failover recycles the host instances, so their restart adds to the switchover.
    """

    key = "failover_cluster"
    label = "failover cluster (FCI)"
    topology_text = "2-node failover<br>cluster"
    help = "'failover_cluster': a 2-node SQL Server failover cluster instance."
    fields = _SQL_CLUSTER_FIELDS
    levers = _SQL_CLUSTER_LEVERS

    def sql_block(self, mb: Any, suffix: str = "") -> Any:
        # one repair crew per node, as every block
        return ActivePassive(
            mb.mttf_h, mb.mttr_h, name="MessageBox SQL cluster" + suffix, **_sql_switch(mb)
        )


class ColdStandby(MessageBoxKind):
    """A standby SQL server brought in when the primary fails: :class:`~availcalc.Standby`.

    The standby (log shipping or a restored backup on a second server) does not run, so it
    fails at ``standby_failure_ratio`` × the node rate (0 = cold); bringing it in takes
    ``failover_s`` plus the host restart and succeeds with probability ``coverage``, else by
    hand after ``manual_failover_h``. One repair crew.
    """

    key = "cold_standby"
    label = "standby server"
    topology_text = "primary +<br>standby server"
    help = (
        "'cold_standby': a second SQL server in standby (log shipping), failing at "
        "standby_failure_ratio × the node rate and brought in on failover; one repair crew."
    )
    fields = _SQL_CLUSTER_FIELDS | {"messagebox.standby_failure_ratio"}
    levers = _SQL_CLUSTER_LEVERS

    def sql_block(self, mb: Any, suffix: str = "") -> Any:
        return Standby(
            2,
            mb.mttf_h,
            mb.mttr_h,
            standby_failure_ratio=mb.standby_failure_ratio,
            crews=1,
            name="MessageBox SQL standby" + suffix,
            **_sql_switch(mb),
        )


#: The MessageBox kinds, by ``messagebox.ha`` value.
MESSAGEBOX_KINDS: Mapping[str, MessageBoxKind] = {
    k.key: k for k in (FailoverCluster(), SingleServer(), ColdStandby())
}


def messagebox_kind(key_or_mb: Any) -> MessageBoxKind:
    """Return the kind of a MessageBox, from its key or a MessageBox section."""
    return _lookup(MESSAGEBOX_KINDS, "ha", getattr(key_or_mb, "ha", key_or_mb))


def messagebox_blocks(mb: Any) -> tuple[Any, ...]:
    """Return the blocks of every MessageBox database in series: its SQL tier, its storage.

    Each of the ``mb.databases`` databases is its own SQL Server tier of the section's kind
    and reliability inputs (the docs: "each MessageBox database is unique and independent
    and is potentially a single point of failure ... you must cluster all the MessageBox
    databases, including the master and secondary", BizTalk Server, "Scaled-Out Databases",
    learn.microsoft.com/biztalk/core/scaled-out-databases), followed by its own shared
    storage when that is modelled. All of them are in series: an in-process host instance
    "will be recycled until the connection to the SQL Server is restored" whichever
    database is down ("Behavior of BizTalk Server Host Instances during SQL Server
    Failover", learn.microsoft.com/biztalk/core/behavior-of-biztalk-server-host-instances-
    during-sql-server-failover), so the model takes any database's outage as stopping the
    group (the docs do not say that the group runs on without a secondary: the conservative
    reading). One database keeps the plain names; with several, the first is the master.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> mb = NS(ha="none", databases=3, mttf_h=4380.0, mttr_h=2.0, storage_mttf_h=None)
    >>> [b.name for b in messagebox_blocks(mb)]
    ['MessageBox SQL server (master)', 'MessageBox SQL server 2', 'MessageBox SQL server 3']
    """
    kind = messagebox_kind(mb)
    out: list[Any] = []
    for i in range(mb.databases):
        suffix = "" if mb.databases == 1 else (" (master)" if i == 0 else f" {i + 1}")
        out.append(kind.sql_block(mb, suffix))
        if mb.storage_mttf_h is not None:
            name = "MessageBox shared storage" + suffix
            out.append(Component(name, mb.storage_mttf_h, mb.storage_mttr_h))
    return tuple(out)


def publishing_databases(databases: Any) -> Any:
    r"""Return how many of a group's MessageBox databases publish: :math:`\max(1, D - 1)`.

    .. math:: P(D) = \begin{cases} 1 & D = 1 \\ D - 1 & D \ge 2 \end{cases}

    The master "handles all subscriptions and message routing"; with several databases the
    docs recommend "a minimum of 3 MessageBox databases" and to "disable message publication
    on the Master MessageBox", and "work is evenly distributed among the publishing
    MessageBox databases", so :math:`D - 1` publish. With two, "the scaling factor is almost
    1" whether the master publishes or not, so :math:`P(2) = 1`: the formula's value
    (BizTalk Server, "Scaling Out the SQL Server Tier",
    learn.microsoft.com/biztalk/core/scaling-out-the-sql-server-tier; "Scaled-Out
    Databases", learn.microsoft.com/biztalk/core/scaled-out-databases).

    Examples
    --------
    >>> [int(publishing_databases(d)) for d in (1, 2, 3, 4)]
    [1, 1, 2, 3]
    """
    return np.maximum(np.asarray(databases) - 1, 1)


def messagebox_database_rate(capacity_per_s: Any, contention_per_host: Any, hosts: Any) -> Any:
    r"""Return one publishing MessageBox database's capacity [msg/s] with ``hosts`` polling it.

    .. math:: \mu(H) = \frac{C}{1 + \sigma\,(H - 1)}

    :math:`C` = ``capacity_per_s`` (one host instance polling), :math:`\sigma` =
    ``contention_per_host``, :math:`H` = host instances running (at least one counted).
    Every host instance polls the MessageBox and adds lock contention on its shared tables
    ("each host instance ... generates additional load against the MessageBox database",
    "General optimizations for BizTalk Server - Part 1",
    learn.microsoft.com/biztalk/technical-guides/general-biztalk-server-optimizations1;
    "a contention point occurred on the shared tables within the MessageBox database, which
    caused performance to diminish", "Observations and Recommendations",
    learn.microsoft.com/biztalk/technical-guides/observations-and-recommendations). The
    model takes the work per message to grow by the fraction :math:`\sigma` with each
    further instance, :math:`D(H) = D(1)\,(1 + \sigma (H - 1))`: the contention term of the
    universal scalability law with no coherency term, whose per-unit efficiency is
    :math:`1/(1 + \sigma (N - 1))` (N. J. Gunther, *Guerrilla Capacity Planning*, Springer
    2007, ch. 4; page not checked here). :math:`\sigma = 0` makes the capacity independent
    of the instances.

    Examples
    --------
    The lab's four-MessageBox messaging runs fell from 2790 to 2656 documents/s as the
    BizTalk computers went from 2 to 3; :math:`\sigma = 134/2522` gives that ratio:

    >>> sigma = (2790 - 2656) / (2 * 2656 - 2790)
    >>> round(float(messagebox_database_rate(2790.0, sigma, 3) * (1 + sigma)), 9)
    2656.0
    """
    h = np.maximum(np.asarray(hosts, dtype=float), 1.0)
    return capacity_per_s / (1.0 + contention_per_host * (h - 1.0))


def messagebox_capacity(
    capacity_per_s: Any, databases: Any, contention_per_host: Any, hosts: Any
) -> Any:
    r"""Return the MessageBox tier's capacity [msg/s]: publishing databases × one's rate.

    .. math:: C(H, D) = P(D)\,\frac{C}{1 + \sigma\,(H - 1)}

    with :math:`P` of :func:`publishing_databases` and the rate of
    :func:`messagebox_database_rate` (every host instance polls every database, so each sees
    all :math:`H`). The master's routing work is not a separate limit: the docs' "the
    Master MessageBox database will eventually be the bottleneck" is left to the calibration
    of ``capacity_per_s``.

    Examples
    --------
    >>> float(messagebox_capacity(600.0, 1, 0.0, 4)), float(messagebox_capacity(600.0, 4, 0.0, 4))
    (600.0, 1800.0)
    >>> round(float(messagebox_capacity(600.0, 1, 0.05, 3)), 6)
    545.454545
    """
    return publishing_databases(databases) * messagebox_database_rate(
        capacity_per_s, contention_per_host, hosts
    )


# ============================================================================ destination kinds
class DestinationKind:
    """How a destination fails and serves (base class; key = the section's ``kind``).

    Class attributes: ``key``, ``label``, ``levers`` (every reliability input, with how it
    improves) and ``pooled`` (whether its capacity is per node up).
    """

    key: ClassVar[str]
    label: ClassVar[str]
    levers: ClassVar[tuple[tuple[str, str], ...]] = ()
    pooled: ClassVar[bool] = False

    def __repr__(self) -> str:
        return f"<destination kind {self.key!r}>"

    def states(self, d: Any) -> tuple[Any, np.ndarray, np.ndarray]:  # pragma: no cover
        """(block, nodes serving in each up state, probability of each up state)."""
        raise NotImplementedError

    def retry_outages(self, block: Any, d: Any) -> tuple[float, float]:  # pragma: no cover
        """(outages per hour, mean outage duration [h]) that the send port's retries face."""
        raise NotImplementedError


class EndpointKind(DestinationKind):
    """One endpoint of known availability and mean outage: a :class:`~availcalc.Component`."""

    key = "endpoint"
    label = "endpoint (partner service)"
    levers = (("destination.availability", COMPLEMENT), ("destination.mttr_h", DOWN))

    def states(self, d: Any) -> tuple[Any, np.ndarray, np.ndarray]:
        block = Component("destination endpoint", d.implied_mttf_h, d.mttr_h)
        return block, _frozen([1]), _frozen([float(block.availability)])

    def retry_outages(self, block: Any, d: Any) -> tuple[float, float]:
        return float(block.failure_frequency_per_h), d.mttr_h


class NLBPoolKind(DestinationKind):
    """A farm behind Windows NLB: an :class:`~availcalc.NLBPool` (k of n, NLB convergence)."""

    key = "nlb_pool"
    label = "NLB pool (e.g. SharePoint)"
    levers = (
        ("destination.mttf_h", UP),
        ("destination.mttr_h", DOWN),
        ("destination.detection_s", DOWN),
        ("destination.convergence_s", DOWN),
    )
    pooled = True

    def states(self, d: Any) -> tuple[Any, np.ndarray, np.ndarray]:
        block = NLBPool(
            d.nodes,
            d.needed,
            d.mttf_h,
            d.mttr_h,
            d.convergence_s,
            crews=d.repair_crews,
            name="destination NLB pool",
            detection_s=d.detection_s,
            outage_scope=d.outage_scope,
        )
        nodes, converging, prob = block.state_probability_arrays
        up = (nodes >= d.needed) & ~converging
        return block, _frozen(nodes[up]), _frozen(prob[up])

    def retry_outages(self, block: Any, d: Any) -> tuple[float, float]:
        # the few seconds of detection and convergence never outlast the retries: the
        # pool's k-of-n outages, taken as exponential with their mean duration
        pool = block.without_convergence
        rate = float(pool.failure_frequency_per_h)
        return rate, (float(pool.mdt_h) if rate > 0 else 1.0)


@dataclass(frozen=True)
class NLBAffinity:
    """A Windows NLB port rule's client affinity: how many nodes the senders' traffic reaches.

    Windows NLB maps each client to a host by a hash of its address (TechNet cc739690,
    "Network Load Balancing Technical Overview": port rules, affinity). The clients of a
    destination behind NLB are the BizTalk servers sending to it.

    Attributes
    ----------
    key : str
        ``"none"``, ``"single"`` or ``"network"``.
    help : str
        What the setting does, for the field's help.
    reachable : callable
        ``reachable(nodes_up, senders)`` → nodes that carry traffic (arrays broadcast).
    """

    key: str
    help: str
    reachable: Callable[[Any, Any], Any]


#: The NLB affinity settings, by key (Windows NLB's default is ``single``).
NLB_AFFINITIES: Mapping[str, NLBAffinity] = {
    a.key: a
    for a in (
        NLBAffinity(
            "none",
            "None: each connection goes to any node, so every node up carries traffic.",
            lambda nodes, senders: np.asarray(nodes),
        ),
        NLBAffinity(
            "single",
            "Single (the NLB default): one client address goes to one node, so at most as "
            "many nodes carry traffic as BizTalk servers send (an ordered port or a clustered "
            "host: one).",
            lambda nodes, senders: np.minimum(nodes, senders),
        ),
        NLBAffinity(
            "network",
            "Network: one class C network goes to one node; BizTalk servers on one subnet "
            "reach a single node.",
            lambda nodes, senders: np.minimum(nodes, np.minimum(senders, 1)),
        ),
    )
}


#: What an NLB pool loses after a node failure, by ``destination.outage_scope`` value (the
#: values are the block's :data:`~availcalc.reliability.blocks.NLB_OUTAGE_SCOPES`).
NLB_OUTAGE_SCOPE_LABELS: Mapping[str, str] = dict(
    zip(
        NLB_OUTAGE_SCOPES,
        ("the failed node's requests (as documented)", "every request (whole pool)"),
        strict=True,
    )
)


def nlb_affinity(key: Any) -> NLBAffinity:
    """Return an NLB affinity setting by its key."""
    return _lookup(NLB_AFFINITIES, "NLB affinity", key)


#: The destination kinds, by the section's ``kind``.
DESTINATION_KINDS: Mapping[str, DestinationKind] = {
    k.key: k for k in (EndpointKind(), NLBPoolKind())
}


def destination_kind(key_or_section: Any) -> DestinationKind:
    """Return the kind of a destination, from its key or a destination section."""
    key = getattr(key_or_section, "kind", key_or_section)
    return _lookup(DESTINATION_KINDS, "destination kind", key)
