r"""General user-defined Markov availability model (layer 2): the escape hatch."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from availcalc.reliability.blocks import _ChainBlock, _check_name
from availcalc.reliability.chain import Chain, chain_steady

__all__ = ["MarkovModel"]


def _rates_from_matrix(m: Any, n: int) -> sp.csr_array:
    if sp.issparse(m):
        csr = sp.csr_array(m, dtype=float)
    else:
        try:
            arr = np.asarray(m, dtype=float)
        except (TypeError, ValueError):
            raise ValueError("transitions must be a dict or a square numeric matrix") from None
        if arr.ndim != 2:
            raise ValueError(f"transitions must be a square matrix; got shape {arr.shape}")
        csr = sp.csr_array(arr)
    if csr.shape != (n, n):
        raise ValueError(
            f"transitions must be a {n}x{n} matrix (one row per state); got {csr.shape}"
        )
    data = csr.data
    if not np.all(np.isfinite(data)):
        raise ValueError("transitions must be finite rates; got NaN or inf")
    diag = csr.diagonal()
    off = csr.copy()
    off.sum_duplicates()
    off.data[np.repeat(np.arange(n), np.diff(off.indptr)) == off.indices] = 0.0  # diagonal
    off.eliminate_zeros()
    if (off.data < 0).any():
        coo = off.tocoo()
        j = int(np.flatnonzero(coo.data < 0)[0])
        raise ValueError(
            f"transitions must be rates >= 0 off the diagonal; got {coo.data[j]!r} at "
            f"({coo.row[j]}, {coo.col[j]})"
        )
    rowsum = np.asarray(off.sum(axis=1)).ravel()
    bad = (diag != 0) & ~np.isclose(diag, -rowsum, rtol=1e-9, atol=0.0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            "transitions diagonal must be 0 or minus the row sum (a generator); "
            f"got {diag[i]!r} in row {i}, row sum {rowsum[i]!r}"
        )
    return off


def _rates_from_dict(d: Mapping[Any, Any], index: Mapping[Hashable, int], n: int) -> sp.csr_array:
    rows, cols, vals = [], [], []
    for key, rate in d.items():
        try:
            a, b = key
        except (TypeError, ValueError):
            raise ValueError(
                f"transitions keys must be (from_state, to_state) pairs; got {key!r}"
            ) from None
        for s in (a, b):
            if s not in index:
                raise ValueError(f"transitions refers to unknown state {s!r}")
        if a == b:
            raise ValueError(f"transitions must not contain self-loops; got {key!r}")
        r = float(rate)
        if not (r >= 0.0 and np.isfinite(r)):
            raise ValueError(f"transitions must be finite rates >= 0; got {rate!r} for {key!r}")
        rows.append(index[a])
        cols.append(index[b])
        vals.append(r)
    m = sp.coo_array((vals, (rows, cols)), shape=(n, n)).tocsr()
    m.sum_duplicates()
    m.eliminate_zeros()
    return m


@dataclass(frozen=True, eq=False, repr=False, init=False)
class MarkovModel(_ChainBlock):
    r"""A CTMC availability model given by its states, transition rates and up states.

    Parameters
    ----------
    states : sequence of hashable
        State names (unique, at least one).
    transitions : dict or (n, n) matrix
        Rates [1/h]: a dict ``{(from_state, to_state): rate}`` or a dense/sparse matrix whose
        off-diagonal entry ``[i, j]`` is the rate from ``states[i]`` to ``states[j]``. A matrix
        diagonal must be 0 or minus the row sum (a generator).
    up_states : iterable of hashable
        The states in which the system is up (non-empty subset of ``states``).
    initial_state : hashable, optional
        Start of :meth:`reliability`, :meth:`point_availability`, MTTF; default
        ``states[0]``. It should be the all-up state.
    rewards : dict or sequence of float, optional
        Reward rate per state (e.g. capacity fraction); missing states have reward 0. Default:
        1 on up states, so :attr:`expected_reward` is the availability.
    name : str, default "markov"

    Raises
    ------
    ValueError
        On an empty ``states`` or ``up_states``, duplicate or unknown state names, negative or
        non-finite rates, self-loops, or a bad matrix shape.

    Notes
    -----
    Steady state by GTH (subtraction-free) up to
    :data:`~availcalc.reliability.markov.GTH_MAX_STATES` states, by sparse LU beyond; the
    chain needs a single closed class for steady-state measures (transient states get
    :math:`\pi = 0`). :math:`\omega = \sum_{x\in\mathcal U}\pi_x\sum_{y\notin\mathcal U}q_{xy}`;
    MTTF is the mean first-passage time into the down set (regenerative GTH); transients by
    non-negative uniformisation-and-squaring (dense, up to
    :data:`~availcalc.reliability.transient.DENSE_TRANSIENT_MAX_STATES` states) or
    ``expm_multiply`` [1]_, [2]_, [3]_.

    References
    ----------
    .. [1] W. K. Grassmann, M. I. Taksar, D. P. Heyman, "Regenerative analysis and steady state
       distributions for Markov chains", Operations Research 33(5), pp. 1107–1116, 1985.
    .. [2] W. J. Stewart, *Introduction to the Numerical Solution of Markov Chains*, Princeton
       University Press, 1994, ch. 2 and 8.
    .. [3] K. S. Trivedi, *Probability and Statistics with Reliability, Queuing, and Computer
       Science Applications*, 2nd ed., Wiley, 2002, ch. 8 (Markov reward models).

    Examples
    --------
    A host with a software hang (fast restart) and a hardware failure (slow repair), with
    half capacity while degraded:

    >>> m = MarkovModel(
    ...     ["ok", "degraded", "hung", "broken"],
    ...     {("ok", "degraded"): 1 / 1000, ("degraded", "ok"): 1.0,
    ...      ("ok", "hung"): 1 / 500, ("hung", "ok"): 6.0,
    ...      ("ok", "broken"): 1 / 8760, ("broken", "ok"): 1 / 8},
    ...     up_states=["ok", "degraded"],
    ...     rewards={"ok": 1.0, "degraded": 0.5},
    ...     name="host",
    ... )
    >>> round(m.unavailability, 7), round(m.expected_reward, 7)
    (0.0012438, 0.9982573)
    """

    states: tuple[Hashable, ...]
    rates: sp.csr_array
    up_states: frozenset[Hashable]
    initial_state: Hashable
    rewards: np.ndarray | None
    name: str

    def __init__(
        self,
        states: Sequence[Hashable],
        transitions: Mapping[Any, float] | Any,
        up_states: Iterable[Hashable],
        initial_state: Hashable | None = None,
        rewards: Mapping[Hashable, float] | Sequence[float] | None = None,
        name: str = "markov",
    ) -> None:
        states = tuple(states)
        if not states:
            raise ValueError("states must contain at least one state; got an empty sequence")
        index = dict(zip(states, range(len(states)), strict=True))
        if len(index) != len(states):
            dup = next(s for s in states if states.count(s) > 1)
            raise ValueError(f"states must be unique; {dup!r} appears more than once")
        n = len(states)
        if isinstance(transitions, Mapping):
            rates = _rates_from_dict(transitions, index, n)
        else:
            rates = _rates_from_matrix(transitions, n)
        up = frozenset(up_states)
        if not up:
            raise ValueError("up_states must contain at least one state; got an empty set")
        unknown = [s for s in up if s not in index]
        if unknown:
            raise ValueError(f"up_states contains unknown state {unknown[0]!r}")
        if initial_state is None:
            initial_state = states[0]
        elif initial_state not in index:
            raise ValueError(f"initial_state must be one of the states; got {initial_state!r}")
        rew: np.ndarray | None = None
        if rewards is not None:
            if isinstance(rewards, Mapping):
                rew = np.zeros(n)
                for s, v in rewards.items():
                    if s not in index:
                        raise ValueError(f"rewards refers to unknown state {s!r}")
                    rew[index[s]] = float(v)
            else:
                rew = np.asarray(rewards, dtype=float)
                if rew.shape != (n,):
                    raise ValueError(
                        f"rewards must have one value per state ({n}); got {rew.shape}"
                    )
            if not np.all(np.isfinite(rew)):
                raise ValueError("rewards must be finite numbers")
        object.__setattr__(self, "states", states)
        object.__setattr__(self, "rates", rates)
        object.__setattr__(self, "up_states", up)
        object.__setattr__(self, "initial_state", initial_state)
        object.__setattr__(self, "rewards", rew)
        object.__setattr__(self, "name", _check_name(name))

    def __repr__(self) -> str:
        shown = list(self.states[:6])
        more = f" + {len(self.states) - 6} more" if len(self.states) > 6 else ""
        return (
            f"MarkovModel(states={shown!r}{more}, transitions={self.rates.nnz} rates, "
            f"up_states={len(self.up_states)} states, initial_state={self.initial_state!r}, "
            f"name={self.name!r})"
        )

    def _build_chain(self) -> Chain:
        up = np.fromiter(map(self.up_states.__contains__, self.states), bool, len(self.states))
        init = self.states.index(self.initial_state)
        return Chain(self.states, self.rates, up, init)

    @cached_property
    def _solved(self) -> tuple[float, float, float, np.ndarray]:
        return chain_steady(self.chain)

    def _steady(self) -> tuple[float, float, float]:
        a, u, w, _ = self._solved
        return a, u, w

    @property
    def state_probabilities(self) -> pd.Series:
        """Steady-state probability of each state, indexed by state name."""
        return pd.Series(
            self._solved[3], index=pd.Index(self.states, name="state"), name="probability"
        )

    @property
    def expected_reward(self) -> float:
        r"""Steady-state expected reward rate :math:`\sum_s \pi_s r_s` (default: availability)."""
        if self.rewards is None:
            return self.availability
        return float(self._solved[3] @ self.rewards)
