"""The queueing part of a scenario, batched: every point of a sweep in one vectorised pass.

:class:`Batch` holds the queueing inputs (load, latency target and percentile, variabilities,
concurrency, service time, stage capacities) as numpy arrays, one element per point, and
computes every headline metric of :func:`~availcalc.evaluate` for all points at once, weighting
the failure states of the points' :class:`~availcalc.model.reliability_part.Reliability`
(:class:`Weights`). ``evaluate`` is the batch of one point; a sweep groups its points by
reliability part (:meth:`Reliability.signature`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from availcalc.model.kinds import messagebox_database_rate, nlb_affinity, publishing_databases
from availcalc.model.latency import Sojourn, sum_sojourn_percentile, sum_sojourn_tail
from availcalc.model.reliability_part import Reliability
from availcalc.model.schema import Scenario
from availcalc.queueing import MGc, MMc
from availcalc.units import HOURS_PER_YEAR, MINUTES_PER_YEAR, SECONDS_PER_HOUR, nines

__all__ = ["QUEUEING_PATHS", "Batch", "Tandem", "Weights", "queueing_arrays"]

PRUNE_PROB = 1e-20  # failure states rarer than this skip the latency check (see performability)

SEND = "send host"
MESSAGEBOX = "MessageBox"
DESTINATION = "destination"

#: Scenario paths that change only the queueing part (vectorised in sweeps). Every other path
#: changes the reliability part.
QUEUEING_PATHS: dict[str, str] = {
    "workload.arrival_rate_per_s": "lam",
    "workload.latency_target_s": "target",
    "workload.latency_percentile": "q",
    "workload.arrival_scv": "ca2",
    "send_host.concurrency": "conc",
    "send_host.service_time_s": "service_time",
    "send_host.service_scv": "scv",
    "send_host.planned_failovers_per_year": "planned",
    "send_host.rolling_reboots_per_year": "reboots",
    "send_host.reboot_h": "reboot_h",
    "send_host.group_stops_per_year": "stops",
    "send_host.group_stop_h": "stop_h",
    "messagebox.patch_failovers_per_year": "mb_patches",
    "send_port.ordered_overhead_s": "overhead",
    "send_port.volatile_residence_s": "residence",
    "messagebox.capacity_per_s": "mb_cap",
    "messagebox.contention_per_host": "mb_sigma",
    "destination.capacity_per_node_per_s": "node_cap",
    "destination.capacity_per_s": "ep_cap",
}


def queueing_arrays(scenario: Scenario, n: int = 1) -> dict[str, np.ndarray]:
    """Return the queueing inputs of ``scenario`` as arrays of length ``n`` (by short name)."""
    out: dict[str, np.ndarray] = {}
    for path, key in QUEUEING_PATHS.items():
        sec, _, name = path.partition(".")
        section = getattr(scenario, sec)
        value = getattr(section, name, None) if section is not None else None
        out[key] = np.full(n, np.inf if value is None else float(value))
    return out


# ------------------------------------------------------------------------------------------------
# stations in tandem


def _sojourn(q: Any, service_rate: np.ndarray, scv: np.ndarray) -> Sojourn:
    pw = np.asarray(q.prob_wait, dtype=float)
    wq = np.asarray(q.mean_wait, dtype=float)
    stable = np.asarray(q.stable, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        beta = np.where((pw > 0) & stable & (wq > 0), pw / wq, 1.0)
    pw = np.where(stable, pw, 1.0)
    shape = pw.shape
    return Sojourn(
        prob_wait=pw,
        wait_rate=beta,
        service_rate=np.broadcast_to(service_rate, shape),
        service_scv=np.broadcast_to(scv, shape),
        stable=stable,
    )


@dataclass(frozen=True)
class Tandem:
    """Queues in tandem for one or many points/states (arrays broadcast)."""

    send: Any
    send_rate: np.ndarray
    send_scv: np.ndarray
    others: tuple[tuple[Any, np.ndarray], ...]  # (MMc queue, its service rate)

    @property
    def stable(self) -> np.ndarray:
        """Whether every station is stable (ρ < 1), per point/state."""
        ok = np.asarray(self.send.stable, dtype=bool)
        for q, _ in self.others:
            ok = ok & np.asarray(q.stable, dtype=bool)
        return ok

    @property
    def mean_response(self) -> np.ndarray:
        """Mean end-to-end latency [s] (inf where a station is unstable)."""
        total = np.asarray(self.send.mean_response, dtype=float)
        for q, _ in self.others:
            total = total + np.asarray(q.mean_response, dtype=float)
        return np.where(self.stable, total, np.inf)

    def _stations(self) -> list[Sojourn]:
        return [
            _sojourn(self.send, self.send_rate, self.send_scv),
            *(_sojourn(q, rate, np.ones(())) for q, rate in self.others),
        ]

    def tail(self, t: Any) -> np.ndarray:
        """Return P(end-to-end latency > t)."""
        if not self.others:
            return np.asarray(self.send.prob_response_exceeds(t), dtype=float)
        return sum_sojourn_tail(t, self._stations())

    def percentile(self, q: Any) -> np.ndarray:
        """Return the q-quantile of the end-to-end latency."""
        if not self.others:
            return np.asarray(self.send.response_percentile(q), dtype=float)
        return sum_sojourn_percentile(q, self._stations(), self.mean_response)


def _distinct_rows(arrays: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Return the distinct rows of equal-length arrays and the index of each original row."""
    keys = sorted(arrays)
    n = len(arrays[keys[0]])
    if n == 1:
        return arrays, np.zeros(1, dtype=int)
    table = np.column_stack([np.asarray(arrays[k], dtype=float) for k in keys])
    rows, inv = np.unique(table, axis=0, return_inverse=True)
    if len(rows) == n:
        return arrays, np.arange(n)
    return {k: rows[:, i].copy() for i, k in enumerate(keys)}, inv.reshape(-1)


@dataclass(frozen=True)
class Weights:
    """Per-point reliability results for a batch whose points may differ in reliability.

    All points share one :attr:`Reliability.signature`; arrays have one row per point.
    """

    send_prob: np.ndarray  # (P, S) send-tier state probabilities
    dest_prob: np.ndarray  # (P, D) destination up-state probabilities
    mb_avail: np.ndarray  # (P,)
    measures: dict[str, np.ndarray]  # availability, unavailability, downtime, failures (P,)
    failover_s: np.ndarray  # (P,) send-host failover time (planned downtime)
    mb_move_s: np.ndarray  # (P,) planned SQL move: failover + host restart [s] (0: none)
    active_failures_per_h: np.ndarray  # (P,)
    suspended_per_year: np.ndarray  # (P,)
    suspended_seconds_per_year: np.ndarray  # (P,)
    block_outages: np.ndarray  # (P, B, 2): outages per hour, mean outage duration [h]

    @classmethod
    def of(cls, rels: list[Reliability], index: np.ndarray) -> Weights:
        """Gather the results of ``rels`` for points mapped to them by ``index``."""

        def col(f: Any) -> np.ndarray:
            return np.array([f(r) for r in rels], dtype=float)[index]

        return cls(
            send_prob=np.array([r.send_prob for r in rels])[index],
            dest_prob=np.array([r.destination_states[1] for r in rels])[index],
            mb_avail=col(lambda r: r.messagebox_availability),
            measures={k: col(lambda r, k=k: r.measures[k]) for k in rels[0].measures},
            failover_s=col(lambda r: r.s.send_host.failover_s),
            mb_move_s=col(lambda r: r.messagebox_planned_move_s),
            active_failures_per_h=col(lambda r: r.active_failures_per_h),
            suspended_per_year=col(lambda r: r.suspensions[0]),
            suspended_seconds_per_year=col(lambda r: r.suspensions[1]),
            block_outages=np.array([r.block_outages for r in rels])[index],
        )


class Batch:
    """The queueing side of P points (arrays of length P).

    ``rel`` gives the structure (states, stages); ``weights`` the per-point reliability results
    when the points differ in reliability but share ``rel.signature`` (default: all ``rel``).
    Queueing quantities are computed on the distinct rows ``a`` of the inputs ``points``;
    ``inv`` maps each point to its row.
    """

    def __init__(
        self, rel: Reliability, arrays: dict[str, np.ndarray], weights: Weights | None = None
    ) -> None:
        self.rel = rel
        n = len(arrays["lam"])
        self.w = weights if weights is not None else Weights.of([rel], np.zeros(n, dtype=int))
        self.points = arrays
        # The queueing side is computed once per distinct set of queueing inputs (a sweep over
        # a reliability input repeats the same ones): ``a`` holds the distinct rows, ``inv``
        # maps every point to its row.
        self.a, self.inv = a, _ = _distinct_rows(arrays)
        service_time = a["service_time"] + (a["overhead"] if rel.ordered else 0.0)
        self.send_rate = 1.0 / service_time
        self.exponential = bool(np.all(a["scv"] == 1.0) and np.all(a["ca2"] == 1.0))

    def _col(self, x: np.ndarray, ndim: int) -> np.ndarray:
        """Reshape a per-point array to broadcast against ``ndim`` trailing state axes."""
        return x.reshape(x.shape + (1,) * ndim)

    def send_servers(self, active: Any, ndim: int = 0) -> Any:
        """Send servers: active instances × concurrency, or 1 for an ordered port."""
        active = np.asarray(active)
        if self.rel.ordered:
            return np.broadcast_to(np.minimum(active, 1), (len(self.send_rate), *active.shape))
        return self._col(self.a["conc"], ndim) * active

    def serving_nodes(self, active: Any, nodes: Any) -> Any:
        """NLB nodes that carry traffic: of ``nodes`` up, those the senders reach (affinity).

        The senders are the send instances that send: ``active``, or one on an ordered port.
        """
        senders = np.minimum(active, 1) if self.rel.ordered else np.asarray(active)
        return nlb_affinity(self.rel.s.destination.affinity).reachable(nodes, senders)

    @cached_property
    def publishing(self) -> int:
        """MessageBox databases that publish (1 when none is modelled)."""
        mb = self.rel.s.messagebox
        return 1 if mb is None else int(publishing_databases(mb.databases))

    def messagebox_rate(self, active: Any, ndim: int = 0) -> np.ndarray:
        """One publishing MessageBox database's capacity [msg/s] with ``active`` instances up.

        :func:`~availcalc.model.kinds.messagebox_database_rate`: the host instances polling it
        are the send tier's running ones, so the rate changes with the failure state.
        """
        return messagebox_database_rate(
            self._col(self.a["mb_cap"], ndim), self._col(self.a["mb_sigma"], ndim), active
        )

    def capacities(self, active: Any, nodes: Any, ndim: int = 0) -> dict[str, np.ndarray]:
        """Stage capacities [msg/s] for ``active`` send instances and NLB ``nodes`` up."""
        caps = {SEND: self.send_servers(active, ndim) * self._col(self.send_rate, ndim)}
        if self.rel.s.messagebox is not None:
            caps[MESSAGEBOX] = self.publishing * self.messagebox_rate(active, ndim)
        if self.rel.nlb is not None:
            serving = self.serving_nodes(active, nodes)
            caps[DESTINATION] = self._col(self.a["node_cap"], ndim) * np.asarray(serving)
        elif self.rel.endpoint is not None and self.rel.endpoint.capacity_per_s is not None:
            caps[DESTINATION] = self._col(self.a["ep_cap"], ndim)
        return caps

    def tandem(self, active: Any, nodes: Any, ndim: int = 0, lam: Any = None) -> Tandem:
        """Stations for ``active`` (≥ 1) send instances and ``nodes`` (≥ 1) NLB nodes up.

        The MessageBox station is one publishing database, an M/M/1 queue taking its random
        share λ/P of the messages (P publishing databases; a Poisson stream split at random
        stays Poisson, the conservative reading of the docs' round robin).
        """
        lam = self._col(self.a["lam"], ndim) if lam is None else lam
        rate = self._col(self.send_rate, ndim)
        scv = self._col(self.a["scv"], ndim)
        servers = self.send_servers(active, ndim)
        if self.exponential:
            send: Any = MMc(lam, rate, servers)
        else:
            send = MGc(
                lam, rate, servers, service_scv=scv, arrival_scv=self._col(self.a["ca2"], ndim)
            )
        others: list[tuple[Any, np.ndarray]] = []
        if self.rel.s.messagebox is not None:
            mb = self.messagebox_rate(active, ndim)
            others.append((MMc(lam / self.publishing, mb, 1), mb))
        if self.rel.nlb is not None:
            nc = self._col(self.a["node_cap"], ndim)
            others.append((MMc(lam, nc, self.serving_nodes(active, nodes)), nc))
        return Tandem(send, rate, scv, tuple(others))

    # -- headline metrics for every point ------------------------------------------------------
    def metrics(self, names: Iterable[str] | None = None) -> dict[str, np.ndarray]:
        """Headline metrics of :func:`~availcalc.evaluate`, one array element per point.

        ``names``: the metrics wanted (default: every one). Only what they need is computed:
        ``capacity_per_s`` alone, say, inverts no latency distribution.
        """
        measures = self.w.measures
        if names is None:
            names = [*_HEADLINE, *measures]
        # Extreme in-range inputs (a capacity of 1e-300 msg/s, 1.8e308 msg/s of load) overflow
        # to the exact limit: inf utilisation, waits, messages at risk. NaN still warns.
        with np.errstate(over="ignore", divide="ignore"):
            return {k: measures[k] if k in measures else _HEADLINE[k](self) for k in names}

    @cached_property
    def _stages(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Stage names, each distinct row's smallest stage, capacities (stage × row) at full."""
        caps = self.capacities(self.rel.full_active, self.rel.full_nodes)
        stacked = np.stack([np.broadcast_to(v, self.a["q"].shape) for v in caps.values()])
        return np.array(list(caps), dtype=object), np.argmin(stacked, axis=0), stacked

    @cached_property
    def full_capacity(self) -> np.ndarray:
        """Capacity [msg/s] with everything up: the smallest stage capacity, per point."""
        _, which, stacked = self._stages
        return np.take_along_axis(stacked, which[None], axis=0)[0][self.inv]

    @cached_property
    def bottleneck(self) -> np.ndarray:
        """The stage whose capacity is :attr:`full_capacity`, per point."""
        names, which, _ = self._stages
        return names[which[self.inv]]

    @cached_property
    def full(self) -> Tandem:
        """The stations with everything up, per distinct row."""
        return self.tandem(self.rel.full_active, self.rel.full_nodes)

    @cached_property
    def latency_percentile(self) -> np.ndarray:
        """The latency percentile [s] with everything up, per point."""
        return self.full.percentile(self.a["q"])[self.inv]

    @cached_property
    def latency_one_down(self) -> np.ndarray:
        """The latency percentile [s] with one send instance down (inf if none sends)."""
        one_down = self.rel.active_with_down(1)
        if one_down == 0:
            return np.full(self.points["lam"].shape, np.inf)
        return self.tandem(one_down, self.rel.full_nodes).percentile(self.a["q"])[self.inv]

    @cached_property
    def sla(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Throughput fraction, SLA availability, SLA miss (:meth:`performability`) and backlog.

        The backlog is the fraction of time lost after outages (:meth:`backlog_sla_fraction`).
        """
        return (*self.performability(), self.backlog_sla_fraction(self.full_capacity))

    @cached_property
    def planned(self) -> tuple[np.ndarray, np.ndarray]:
        r"""Planned downtime and planned time one instance short [min/yr], per point.

        Notes
        -----
        Each planned event costs its mean length, once per occurrence (the yearly total of
        a renewal count is its rate × its mean length, whatever the distribution: renewal
        reward theorem, S. M. Ross, *Introduction to Probability Models*, 11th ed., 2014,
        §7.4):

        .. math::

            D = n_{stop} t_{stop} + n_{SQL} (t_{fo} + t_{restart})
                + \begin{cases} n_{fo}\, t_{fo,host} & \text{clustered} \\
                n_{reboot} t_{reboot} [N = 1] & \text{scaled out} \end{cases},
            \qquad S = n_{reboot}\, N\, t_{reboot}\,[N \ge 2],

        a rolling reboot taking each of the :math:`N` instances out once, in turn.
        """
        p, w, rel = self.points, self.w, self.rel
        down = p["stops"] * p["stop_h"] * 60.0
        if rel.s.messagebox is not None:
            down = down + p["mb_patches"] * w.mb_move_s / 60.0
        short = np.zeros(down.shape)
        if rel.kind.planned_failovers:  # a clustered group's patching is its failovers
            down = down + p["planned"] * w.failover_s / 60.0
        else:  # a scaled-out host's patching is its rolling reboots
            per_instance = p["reboots"] * p["reboot_h"] * 60.0
            if rel.instances == 1:
                down = down + per_instance
            else:
                short = per_instance * rel.instances
        return down, short

    def planned_sla_missed(self) -> np.ndarray:
        """Return the planned SLA time missed [min/yr], per point.

        The planned downtime, and the time one instance short where the latency target is
        missed with one instance down.
        """
        down, short = self.planned
        misses = ~(self.latency_one_down <= self.points["target"])
        return down + np.where(misses, short, 0.0)

    def performability(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return expected throughput fraction, SLA availability and SLA miss per point.

        Quasi-steady state: each failure state as its own steady queue. The miss (path down
        or latency target missed) is summed directly over the missing states, plus the path
        unavailability, never taken as 1 − SLA availability.
        """
        rel, a, w = self.rel, self.a, self.w
        nodes, _ = rel.destination_states
        active = rel.send_active[:, None]  # (S, 1)
        prob = w.send_prob[:, :, None] * w.dest_prob[:, None, :] * w.mb_avail[:, None, None]
        serving = active >= 1
        act = np.maximum(active, 1)
        nod = np.maximum(nodes, 1)[None, :]
        cap = np.full((len(a["lam"]), *prob.shape[1:]), np.inf)
        for v in self.capacities(act, nod, ndim=2).values():
            cap = np.minimum(cap, v)
        cap = np.where(serving, cap, 0.0)[self.inv]
        lam = self._col(self.points["lam"], 2)
        tp = np.sum(prob * np.minimum(lam, cap) / lam, axis=(1, 2))
        unavailability = w.measures["unavailability"]
        # The latency check needs a tail inversion per state; states with probability below
        # PRUNE_PROB (e.g. 30 of 50 instances down) are counted as missing the target. That
        # bounds the error of the SLA availability by their total mass (< 1e-18), far below
        # the rounding of a number close to 1.
        rows = np.flatnonzero(serving[:, 0] & (prob.max(axis=(0, 2)) >= PRUNE_PROB))
        cols = np.flatnonzero(prob.max(axis=(0, 1)) >= PRUNE_PROB)
        kept = np.zeros(prob.shape[1:], dtype=bool)
        kept[np.ix_(rows, cols)] = True
        pruned = np.broadcast_to(serving, kept.shape) & ~kept
        miss = unavailability + np.sum(np.where(pruned, prob, 0.0), axis=(1, 2))
        if rows.size == 0 or cols.size == 0:
            return tp, np.zeros(lam.shape[0]), np.minimum(miss, 1.0)
        tandem = self.tandem(act[rows], nod[:, cols], ndim=2)
        tail = tandem.tail(self._col(a["target"], 2))
        meets = (np.asarray(tandem.stable) & (tail <= 1.0 - self._col(a["q"], 2)))[self.inv]
        sub = prob[:, rows][:, :, cols]
        sla = np.sum(np.where(meets, sub, 0.0), axis=(1, 2))
        miss = miss + np.sum(np.where(meets, 0.0, sub), axis=(1, 2))
        return tp, sla, np.minimum(miss, 1.0)

    def backlog_sla_fraction(self, full_capacity: np.ndarray) -> np.ndarray:
        r"""Fraction of time lost to the backlog left by outages (beyond quasi-steady state).

        After an outage of length T the λT messages that piled up drain at the spare capacity
        X − λ; a message arriving τ after the restore waits about (λT − (X − λ)τ)/X, so it
        misses a target d while τ < (λT − X d)/(X − λ). For outage lengths exponential with
        the block's mean down time m this window averages

        .. math:: \frac{\lambda m\, e^{-X d/(\lambda m)}}{X - \lambda}

        per outage, summed over blocks at their outage rates. X is the capacity right after
        the restore (one instance for the send tier, the full capacity otherwise); where that
        cannot carry λ the full capacity is used (the state itself already misses the SLA).
        The window uses the mean latency target criterion on each message's wait, a fluid
        approximation checked against :func:`availcalc.simulation.simulate_outage`.
        """
        rel, w = self.rel, self.w
        lam, d = self.points["lam"], self.points["target"]
        rates = w.block_outages[:, :, 0] / SECONDS_PER_HOUR  # per second
        mean = w.block_outages[:, :, 1] * SECONDS_PER_HOUR  # seconds
        x = np.broadcast_to(full_capacity[:, None], rates.shape).copy()
        one = self.capacities(1, rel.full_nodes)
        x_one = np.full(self.a["lam"].shape, np.inf)
        for v in one.values():
            x_one = np.minimum(x_one, np.broadcast_to(v, x_one.shape))
        x_one = x_one[self.inv]
        k = rel.send_block_index
        x[:, k] = np.where(x_one > lam, x_one, full_capacity)
        lam2 = lam[:, None]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            window = np.where(
                (mean > 0) & (x > lam2),
                lam2 * mean * np.exp(-x * d[:, None] / (lam2 * mean)) / (x - lam2),
                0.0,
            )
        frac = np.sum(rates * window, axis=1)
        return np.where(full_capacity > lam, frac, 0.0)

    def messages_at_risk(self) -> np.ndarray:
        """Messages lost per year to crashes with non-transactional sends in flight."""
        rel, pts, inv, full = self.rel, self.points, self.inv, self.full
        lam = pts["lam"]
        if rel.transactional:
            return np.zeros(lam.shape)
        send_time = np.asarray(full.send.mean_response)[inv]
        in_flight = lam / rel.full_active * (send_time + pts["residence"])
        risk = self.w.active_failures_per_h * HOURS_PER_YEAR * in_flight
        return np.where(np.asarray(full.stable)[inv], risk, np.inf)

    # -- single-point questions (P = 1) ---------------------------------------------------------
    def percentile_with_down(self, instances_down: int) -> float:
        """Latency percentile [s] with ``instances_down`` failed (P = 1; inf if none sends)."""
        active = self.rel.active_with_down(instances_down)
        if active == 0:
            return math.inf
        return float(self.tandem(active, self.rel.full_nodes).percentile(self.a["q"])[0])

    def max_load(self, instances_down: int) -> float:
        """Largest λ meeting the latency target with ``instances_down`` failed (P = 1)."""
        return float(self.max_loads(instances_down)[0])

    def max_loads(self, instances_down: int) -> np.ndarray:
        """Largest λ meeting the latency target with ``instances_down`` failed, per row of ``a``.

        The MessageBox and destination are taken fully up. The tail P(latency > target) rises
        with λ: two 65-point grids over (0, capacity) narrow the root of
        P(latency > target) − (1 − q) to capacity/4096 on every row at once (about 10× fewer
        model evaluations than Brent's method alone), then :func:`_brentq` finishes all the
        rows together to 1e-12 × capacity and 1e-12 relative. A row that meets the target up
        to the capacity gets the last grid point; one that misses it even at the lightest
        load gets 0.0, as does every row when ``instances_down`` leaves no instance.
        """
        rel, a = self.rel, self.a
        active = rel.active_with_down(instances_down)
        rows = np.arange(len(a["lam"]))
        if active == 0:
            return np.zeros(rows.size)
        cap = np.full(rows.size, np.inf)
        for v in self.capacities(active, rel.full_nodes).values():
            cap = np.minimum(cap, v)
        target, alpha = a["target"], 1.0 - a["q"]

        def excess(lam: np.ndarray) -> np.ndarray:
            """P(latency > target) − (1 − q) at loads ``lam`` (one row per queueing row)."""
            trailing = (1,) * (lam.ndim - 1)  # a grid of loads per row, or one load per row
            t = self.tandem(np.full(trailing, active), rel.full_nodes, len(trailing), lam=lam)
            tail = np.asarray(t.tail(self._col(target, len(trailing))), dtype=float)
            return tail - self._col(alpha, len(trailing))

        grid = np.linspace(cap * 1e-9, cap * (1.0 - 1e-12), 65, axis=1)
        over = excess(grid) > 0
        out = np.where(over.any(axis=1), np.nan, grid[:, -1])  # meets the target up to capacity
        k = np.argmax(over, axis=1)
        out[np.isnan(out) & (k == 0)] = 0.0  # even the lightest load misses the target
        k = np.maximum(k, 1)
        grid = np.linspace(grid[rows, k - 1], grid[rows, k], 65, axis=1)
        k = np.argmax(excess(grid) > 0, axis=1)  # grid[:, 0] is below the root, grid[:, k] above
        live = np.isnan(out)
        out[live] = _brentq(
            excess, grid[rows, (k - 1) % 65], grid[rows, k], 1e-12 * cap, 1e-12, live
        )[live]
        return out


#: How :meth:`Batch.metrics` computes each headline metric (the availability measures come
#: from :class:`Weights`). The SLA figure includes the time lost to post-outage backlogs; the
#: quasi-steady figure stays available under a name that says what it leaves out.
_HEADLINE: dict[str, Callable[[Batch], np.ndarray]] = {
    "arrival_rate_per_s": lambda b: b.points["lam"],
    "capacity_per_s": lambda b: b.full_capacity,
    "bottleneck": lambda b: b.bottleneck,
    "utilization": lambda b: b.points["lam"] / b.full_capacity,
    "stable": lambda b: np.asarray(b.full.stable)[b.inv],
    "mean_latency_s": lambda b: np.asarray(b.full.mean_response, dtype=float)[b.inv],
    "latency_percentile_s": lambda b: b.latency_percentile,
    "latency_target_s": lambda b: b.points["target"],
    "meets_latency_target": lambda b: b.latency_percentile <= b.points["target"],
    "latency_one_down_s": lambda b: b.latency_one_down,
    "nines": lambda b: nines(b.w.measures["unavailability"]),
    "expected_throughput_fraction": lambda b: b.sla[0],
    "sla_availability": lambda b: np.maximum(b.sla[1] - b.sla[3], 0.0),
    "sla_downtime_min_per_year": lambda b: np.minimum(b.sla[2] + b.sla[3], 1.0) * MINUTES_PER_YEAR,
    "backlog_sla_downtime_min_per_year": lambda b: b.sla[3] * MINUTES_PER_YEAR,
    "sla_availability_excluding_backlog": lambda b: b.sla[1],
    "sla_downtime_excluding_backlog_min_per_year": lambda b: b.sla[2] * MINUTES_PER_YEAR,
    "planned_downtime_min_per_year": lambda b: b.planned[0],
    "planned_one_short_min_per_year": lambda b: b.planned[1],
    "planned_sla_missed_min_per_year": Batch.planned_sla_missed,
    "messages_at_risk_per_year": Batch.messages_at_risk,
    "suspended_outages_per_year": lambda b: b.w.suspended_per_year,
    "messages_suspended_per_year": lambda b: b.points["lam"] * b.w.suspended_seconds_per_year,
}


def _brentq(
    f: Any, xpre: np.ndarray, xcur: np.ndarray, xtol: np.ndarray, rtol: float, live: np.ndarray
) -> np.ndarray:
    """Roots of the vectorised ``f`` bracketed by ``xpre`` and ``xcur``, on the ``live`` rows.

    Brent's method [1]_ on every row at once, step for step as scipy's ``brentq`` (the same
    arithmetic, so the same iterates): ``f`` maps an array of one abscissa per row to its
    values, and is called once per step on all the rows (the rows that are not live, or have
    converged, keep a valid abscissa and are ignored). A row not converged in 100 steps gets
    its last iterate (``brentq`` would raise).

    References
    ----------
    .. [1] R. P. Brent, *Algorithms for Minimization without Derivatives*, Prentice-Hall 1973,
       ch. 4; as implemented by C. Harris in scipy (``scipy/optimize/Zeros/brentq.c``).
    """
    out = np.full(xcur.shape, np.nan)
    fpre, fcur = f(xpre), f(xcur)
    for fx, x in ((fpre, xpre), (fcur, xcur)):
        hit = live & (fx == 0)
        out[hit], live = x[hit], live & ~hit
    xblk = fblk = spre = scur = np.zeros(xcur.shape)
    with np.errstate(all="ignore"):
        for _ in range(100):
            # the root is between xpre and xcur: xblk is the contrapoint
            flip = live & (np.sign(fpre) * np.sign(fcur) < 0)
            xblk, fblk = np.where(flip, xpre, xblk), np.where(flip, fpre, fblk)
            spre, scur = np.where(flip, xcur - xpre, spre), np.where(flip, xcur - xpre, scur)
            swap = live & (np.abs(fblk) < np.abs(fcur))  # keep the best estimate in xcur
            xpre, xcur, xblk = (
                np.where(swap, xcur, xpre),
                np.where(swap, xblk, xcur),
                np.where(swap, xcur, xblk),
            )
            fpre, fcur, fblk = (
                np.where(swap, fcur, fpre),
                np.where(swap, fblk, fcur),
                np.where(swap, fcur, fblk),
            )
            delta = (xtol + rtol * np.abs(xcur)) / 2
            sbis = (xblk - xcur) / 2
            done = live & ((fcur == 0) | (np.abs(sbis) < delta))
            out[done], live = xcur[done], live & ~done
            if not live.any():
                return out
            interpolate = -fcur * (xcur - xpre) / (fcur - fpre)
            dpre = (fpre - fcur) / (xpre - xcur)
            dblk = (fblk - fcur) / (xblk - xcur)
            extrapolate = -fcur * (fblk * dblk - fpre * dpre) / (dblk * dpre * (fblk - fpre))
            stry = np.where(xpre == xblk, interpolate, extrapolate)
            short = (
                (np.abs(spre) > delta)
                & (np.abs(fcur) < np.abs(fpre))
                & (2 * np.abs(stry) < np.minimum(np.abs(spre), 3 * np.abs(sbis) - delta))
            )
            spre, scur = np.where(short, scur, sbis), np.where(short, stry, sbis)
            xpre, fpre = xcur, fcur
            step = np.where(np.abs(scur) > delta, scur, np.where(sbis > 0, delta, -delta))
            xcur = np.where(live, xcur + step, xcur)
            fcur = f(xcur)
    out[live] = xcur[live]
    return out
