r"""A CTMC with an up/down partition and the measures every availability model derives from it.

Layer 1: :class:`Chain` is a plain container (state names, sparse rate matrix, up mask,
initial state) and the functions below compute steady-state availability, failure frequency,
MTTF, reliability, point and interval availability from it. The blocks of
:mod:`availcalc.reliability` build their chain and either call these functions or use a closed
form that the tests check against them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

from availcalc.reliability.markov import mean_time_to_absorption, steady_state
from availcalc.reliability.transient import (
    absorbed_probability,
    accumulated_reward,
    transient_distribution,
)

__all__ = [
    "Chain",
    "UpChain",
    "chain_interval_availability",
    "chain_mttf",
    "chain_point_availability",
    "chain_reliability",
    "chain_steady",
    "chain_unreliability",
    "up_chain",
]


@dataclass(frozen=True, eq=False)
class Chain:
    """A CTMC: ``rates`` (CSR, zero diagonal), ``up`` mask, ``init`` state, state ``names``."""

    names: tuple[object, ...]
    rates: sp.csr_array
    up: np.ndarray
    init: int

    @property
    def size(self) -> int:
        """Number of states."""
        return len(self.names)

    @cached_property
    def dense(self) -> np.ndarray:
        """The rate matrix as a dense array (small chains only)."""
        return self.rates.toarray()

    def p0(self) -> np.ndarray:
        """Return the initial distribution (all mass on ``init``)."""
        p = np.zeros(self.size)
        p[self.init] = 1.0
        return p


#: Up-chains up to this size are kept as dense arrays (no sparse overhead on small models).
DENSE_UP_CHAIN_MAX = 200


@dataclass(frozen=True, eq=False)
class UpChain:
    """The chain restricted to the up states reachable from ``init`` without a system failure.

    ``rates`` among those states (dense up to :data:`DENSE_UP_CHAIN_MAX` states, else CSR),
    ``exit`` = total rate into the down set, ``init`` = start.
    """

    rates: np.ndarray | sp.csr_array
    exit: np.ndarray
    init: int

    @property
    def size(self) -> int:
        """Number of states."""
        return self.rates.shape[0]


def make_chain(
    names: tuple[object, ...], rows: list[int], cols: list[int], vals: list[float], up, init: int
) -> Chain:
    """Build a :class:`Chain` from coordinate lists of transition rates (zeros dropped)."""
    n = len(names)
    r = sp.coo_array(
        (np.asarray(vals, float), (np.asarray(rows, int), np.asarray(cols, int))), shape=(n, n)
    ).tocsr()
    r.sum_duplicates()
    r.eliminate_zeros()
    return Chain(tuple(names), r, np.asarray(up, dtype=bool), int(init))


def chain_steady(chain: Chain) -> tuple[float, float, float, np.ndarray]:
    r"""Steady-state availability, unavailability, failure frequency and :math:`\pi`.

    Notes
    -----
    .. math::

        A = \sum_{x \in \mathcal U}\pi_x,\quad U = \sum_{x \notin \mathcal U}\pi_x,\quad
        \omega = \sum_{x\in\mathcal U}\pi_x\sum_{y \notin\mathcal U} q_{xy},

    each a sum of the (GTH-accurate) :math:`\pi_x` themselves, never :math:`1 - A`.
    """
    pi = steady_state(chain.rates, ref=chain.init)
    up = chain.up
    down_exit = np.asarray(chain.rates[:, ~up].sum(axis=1)).ravel()
    return (
        float(pi[up].sum()),
        float(pi[~up].sum()),
        float(pi[up] @ down_exit[up]),
        pi,
    )


def up_chain(chain: Chain) -> UpChain | None:
    """Restrict ``chain`` to the up states reachable from ``init``; ``None`` if ``init`` is down."""
    if not chain.up[chain.init]:
        return None
    if chain.size <= DENSE_UP_CHAIN_MAX:
        d = chain.dense
        into_up = (d > 0.0) & chain.up
        seen = np.zeros(chain.size, dtype=bool)
        seen[chain.init] = True
        frontier = seen
        while (nxt := into_up[frontier].any(axis=0) & ~seen).any():
            seen = seen | nxt
            frontier = nxt
        rows = d[seen]
        return UpChain(
            rows[:, seen], rows[:, ~chain.up].sum(axis=1), int(np.count_nonzero(seen[: chain.init]))
        )
    up_idx = np.flatnonzero(chain.up)
    sub = chain.rates[up_idx][:, up_idx]
    start = int(np.searchsorted(up_idx, chain.init))
    reach = np.sort(csgraph.breadth_first_order(sub, start, directed=True)[0])
    keep = up_idx[reach]
    rates = chain.rates[keep][:, keep].tocsr()
    exit_ = np.asarray(chain.rates[keep][:, ~chain.up].sum(axis=1)).ravel()
    return UpChain(rates, exit_, int(np.searchsorted(keep, chain.init)))


def chain_mttf(uc: UpChain | None) -> float:
    """Mean time to the first system failure [h] (0 if the system starts down)."""
    if uc is None:
        return 0.0
    return mean_time_to_absorption(uc.rates, uc.exit, uc.init)


def chain_reliability(uc: UpChain | None, t: np.ndarray) -> np.ndarray:
    r""":math:`R(t) = p_0\,e^{Q_{UU}t}\,\mathbf 1`."""
    if uc is None:
        return np.zeros_like(t)
    p0 = np.zeros(uc.size)
    p0[uc.init] = 1.0
    return transient_distribution(uc.rates, p0, t, exit_rates=uc.exit).sum(axis=1)


def chain_unreliability(uc: UpChain | None, t: np.ndarray) -> np.ndarray:
    r""":math:`F(t) = 1 - R(t)`, the mass absorbed in the down set, computed directly.

    The entry of the absorbing state in :math:`p_0\,e^{Gt}` (see
    :func:`~availcalc.reliability.transient.absorbed_probability`), never :math:`1 - R(t)`.
    """
    if uc is None:
        return np.ones_like(t)
    p0 = np.zeros(uc.size)
    p0[uc.init] = 1.0
    return absorbed_probability(uc.rates, p0, t, uc.exit)


def chain_point_availability(chain: Chain, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r""":math:`A(t)` and :math:`U(t)`, each summed from its own states of :math:`p(t)`."""
    p = transient_distribution(chain.rates, chain.p0(), t)
    return p[:, chain.up].sum(axis=1), p[:, ~chain.up].sum(axis=1)


def chain_interval_availability(chain: Chain, t: np.ndarray) -> np.ndarray:
    r""":math:`\bar A(t) = \frac1t\int_0^t A(s)\,ds`, and :math:`A(0)` at :math:`t = 0`."""
    acc = accumulated_reward(chain.rates, chain.p0(), chain.up.astype(float), t)
    a0 = float(chain.up[chain.init])
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(t > 0, acc / np.where(t > 0, t, 1.0), a0)
