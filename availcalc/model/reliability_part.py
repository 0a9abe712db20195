"""The reliability part of a scenario: its blocks, failure states and availability measures.

:class:`Reliability` is everything of a scenario that changes the failure-state probabilities
(instances, handler, MTTF/MTTR, failover, crews, the MessageBox and destination reliability):
the blocks come from the tier kinds (:mod:`availcalc.model.kinds`), are solved once and cached
by their inputs, so a sweep over a queueing input (or another section's input) reuses them.
Times are in hours. The queueing side is :mod:`availcalc.model.queueing_part`.
"""

from __future__ import annotations

import functools
import math
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from availcalc._validation import check_integer, scalar
from availcalc.model.kinds import (
    TierStates,
    destination_kind,
    handler_kind,
    messagebox_blocks,
    messagebox_kind,
)
from availcalc.model.schema import Endpoint, NLBDestination, Scenario
from availcalc.reliability import series
from availcalc.units import HOURS_PER_YEAR, MINUTES_PER_YEAR, SECONDS_PER_HOUR

__all__ = ["Reliability", "series_measures"]


def _frozen(x: Any) -> np.ndarray:
    a = np.array(x)
    a.setflags(write=False)
    return a


@functools.lru_cache(maxsize=256)
def _messagebox_blocks(mb: Any) -> tuple[Any, ...]:
    return messagebox_blocks(mb)


@functools.lru_cache(maxsize=256)
def _messagebox_availability(mb: Any) -> float:
    a = 1.0
    for b in _messagebox_blocks(mb):
        a *= float(b.availability)
    return a


_ONE_STATE = (_frozen([1]), _frozen([1.0]))


@functools.lru_cache(maxsize=256)
def _destination(d: Any) -> tuple[Any, np.ndarray, np.ndarray]:
    """(block, NLB nodes serving in each up state, probability of each up state)."""
    return destination_kind(d).states(d)


class Reliability:
    """Failure-state probabilities and availability measures of a scenario (time in hours)."""

    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        h = scenario.send_host
        self.kind = handler_kind(h)
        self.instances = h.instances
        self.full_active = h.active_instances
        self.ordered = scenario.send_port.ordered_delivery
        self.transactional = scenario.send_port.transactional
        d = scenario.destination
        self.nlb = d if isinstance(d, NLBDestination) else None
        self.endpoint = d if isinstance(d, Endpoint) else None
        self.full_nodes = self.nlb.nodes if self.nlb is not None else 1

    @cached_property
    def _send(self) -> TierStates:
        return self.kind.tier(self.s.send_host)

    @property
    def send_block(self) -> Any:
        """The send tier's block (from the handler kind)."""
        return self._send.block

    @property
    def send_active(self) -> np.ndarray:
        """Active (sending) instances in each send-tier state, all up first."""
        return self._send.serving

    @property
    def send_prob(self) -> np.ndarray:
        """Steady-state probability of each send-tier state."""
        return self._send.prob

    @cached_property
    def send_states(self) -> pd.DataFrame:
        """Failure states of the send tier: state, instances_up, active_instances, probability."""
        t = self._send
        return pd.DataFrame(
            {
                "state": list(t.labels),
                "instances_up": t.up,
                "active_instances": t.serving,
                "probability": t.prob,
            }
        )

    @cached_property
    def messagebox_blocks(self) -> list[Any]:
        """The MessageBox blocks: per database, its SQL tier (from its kind), then its storage.

        One database gives the SQL tier and the storage; several give each database's pair in
        turn, the master first (:func:`~availcalc.model.kinds.messagebox_blocks`).
        """
        mb = self.s.messagebox
        return [] if mb is None else list(_messagebox_blocks(mb))

    @cached_property
    def _dest(self) -> tuple[Any, np.ndarray, np.ndarray] | None:
        d = self.s.destination
        return None if d is None else _destination(d)

    @property
    def destination_block(self) -> Any:
        """The destination's block (None when it is not modelled)."""
        return None if self._dest is None else self._dest[0]

    @cached_property
    def blocks(self) -> list[Any]:
        """Every block of the path in series order: MessageBox, send tier, destination."""
        out = [*self.messagebox_blocks, self.send_block]
        if self.destination_block is not None:
            out.append(self.destination_block)
        return out

    @cached_property
    def system(self) -> Any:
        """The path as a series diagram of :attr:`blocks`."""
        return series(*self.blocks)

    @cached_property
    def parts(self) -> dict[str, list[Any]]:
        """The blocks of each part of the path (MessageBox, send tier, destination), in order.

        A part that is not modelled has no blocks (it is taken as always up).
        """
        return {
            "messagebox": list(self.messagebox_blocks),
            "send_tier": [self.send_block],
            "destination": [] if self.destination_block is None else [self.destination_block],
        }

    @cached_property
    def measures(self) -> dict[str, float]:
        r"""Path and per-part availability, unavailability, downtime and outage rate.

        The blocks are independent and each appears once, so the series formulas apply
        directly (the same as ``system``'s, without building its decision diagram):
        :math:`A = \prod A_i`, :math:`U = \sum_i U_i \prod_{j<i} A_j` (no :math:`1 - A`),
        :math:`\omega = \sum_i \omega_i \prod_{j \ne i} A_j` (Rausand & Høyland, 2nd ed.,
        2004, ch. 4). The same formulas give each part (the MessageBox is SQL and storage in
        series). A test checks them against ``system`` on every preset.
        """
        avail, unavail, omega = series_measures(self.blocks)
        out = {
            "availability": avail,
            "unavailability": unavail,
            "downtime_min_per_year": unavail * MINUTES_PER_YEAR,
            "failures_per_year": omega * HOURS_PER_YEAR,
        }
        for part, blocks in self.parts.items():
            a, u, _ = series_measures(blocks)
            out[f"{part}_availability"] = a
            out[f"{part}_downtime_min_per_year"] = u * MINUTES_PER_YEAR
        return out

    @cached_property
    def block_outages(self) -> np.ndarray:
        """Per block (in ``blocks`` order): outages per hour and mean outage duration [h]."""
        return np.array(
            [
                (
                    float(b.failure_frequency_per_h),
                    float(b.mdt_h) if b.failure_frequency_per_h > 0 else 0.0,
                )
                for b in self.blocks
            ]
        )

    @property
    def send_block_index(self) -> int:
        """Position of the send tier in ``blocks``."""
        return len(self.messagebox_blocks)

    @property
    def destination_states(self) -> tuple[np.ndarray, np.ndarray]:
        """Destination states in which it is up: (NLB nodes serving, probability)."""
        return _ONE_STATE if self._dest is None else self._dest[1:]

    @cached_property
    def messagebox_availability(self) -> float:
        """Availability of the MessageBox (1 when it is not modelled)."""
        mb = self.s.messagebox
        return 1.0 if mb is None else _messagebox_availability(mb)

    @cached_property
    def active_failures_per_h(self) -> float:
        """Failures per hour of instances that are sending (each fails at 1/MTTF)."""
        return float(self.send_prob @ self.send_active) / self.s.send_host.mttf_h

    @cached_property
    def suspensions(self) -> tuple[float, float]:
        """Destination outages outlasting the retry window: (per year, seconds beyond it per year).

        An outage of length D suspends the messages that arrive more than W = retry_count ×
        retry_interval before it ends. For exponential outage durations of mean m,
        P(D > W) = exp(−W/m) and E[(D − W)+] = m·exp(−W/m). The endpoint's outages are exactly
        that; for an NLB pool the short convergence outages never outlast the retries, so the
        pool's k-of-n outages are used, taken as exponential with their mean duration.
        """
        port = self.s.send_port
        window_h = port.retry_count * port.retry_interval_min / 60.0
        d = self.s.destination
        if d is None:
            return 0.0, 0.0
        rate_h, mean_h = destination_kind(d).retry_outages(self.destination_block, d)
        p = math.exp(-window_h / mean_h)
        return rate_h * HOURS_PER_YEAR * p, rate_h * HOURS_PER_YEAR * mean_h * p * SECONDS_PER_HOUR

    @cached_property
    def signature(self) -> tuple[Any, ...]:
        """What the queueing side depends on: reliabilities with equal signatures share a batch."""
        nodes, _ = self.destination_states
        return (
            self.kind.key,
            self.instances,
            self.ordered,
            self.transactional,
            0 if self.s.messagebox is None else self.s.messagebox.databases,
            self.nlb is not None,
            self.endpoint is not None and self.endpoint.capacity_per_s is not None,
            tuple(self.send_active),
            tuple(nodes),
        )

    @property
    def messagebox_planned_move_s(self) -> float:
        """Planned SQL downtime of one patch round [s]: every database's SQL move, in turn.

        Each move costs its failover plus the host restart it forces, once per MessageBox
        database (each is its own SQL instance). 0 where the MessageBox kind has no planned
        move, or is not modelled.
        """
        mb = self.s.messagebox
        if mb is None or "messagebox.patch_failovers_per_year" not in messagebox_kind(mb).fields:
            return 0.0
        return mb.databases * (mb.failover_s + mb.host_restart_s)

    @staticmethod
    def check_down(instances_down: Any) -> int:
        """Return ``instances_down`` as an int, or raise naming it (an integer >= 0)."""
        return int(scalar("instances_down", instances_down, check_integer, minimum=0))

    def active_with_down(self, instances_down: int) -> int:
        """Active (sending) instances with ``instances_down`` failed (0 when none is left)."""
        return self.kind.active_with_down(self.instances, self.check_down(instances_down))

    def downtime_breakdown(self) -> pd.DataFrame:
        """Per block: availability, downtime, outages and share of the path's downtime."""
        u_sys = self.measures["unavailability"]
        rows = []
        for b in self.blocks:
            others = 1.0
            for o in self.blocks:
                if o is not b:
                    others *= float(o.availability)
            u = float(b.unavailability)
            rows.append(
                {
                    "component": b.name,
                    "availability": float(b.availability),
                    "unavailability": u,
                    "downtime_min_per_year": u * MINUTES_PER_YEAR,
                    "outages_per_year": float(b.failure_frequency_per_h) * HOURS_PER_YEAR,
                    "mean_outage_min": float(b.mdt_h) * 60.0,
                    "share_of_downtime": u * others / u_sys if u_sys > 0 else 0.0,
                }
            )
        return pd.DataFrame(rows)


def series_measures(blocks: list[Any]) -> tuple[float, float, float]:
    r"""Availability, unavailability (directly) and failure frequency [1/h] of blocks in series.

    :math:`A = \prod A_i`, :math:`U = \sum_i U_i \prod_{j<i} A_j`,
    :math:`\omega = \sum_i \omega_i \prod_{j \ne i} A_j` for independent blocks (Rausand &
    Høyland, *System Reliability Theory*, 2nd ed., Wiley 2004, ch. 4). No blocks: always up.
    """
    a = [float(b.availability) for b in blocks]
    u = [float(b.unavailability) for b in blocks]
    w = [float(b.failure_frequency_per_h) for b in blocks]
    avail, unavail = 1.0, 0.0
    for ai, ui in zip(a, u, strict=True):
        unavail += ui * avail
        avail *= ai
    omega = 0.0
    for i, wi in enumerate(w):
        others = 1.0
        for j, aj in enumerate(a):
            if j != i:
                others *= aj
        omega += wi * others
    return avail, unavail, omega
