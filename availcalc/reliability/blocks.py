r"""Built-in availability blocks: component, k-of-n with crews, active/passive, NLB pool (layer 2).

Each block is a small frozen dataclass, validated on construction, that solves its own CTMC —
in closed form where one exists (cross-checked in the tests against a generic 50-digit CTMC
solve) — and inherits every measure from :class:`~availcalc.reliability._base.Block`.

Time is in hours (``_h``) except where a name says seconds (``_s``). A year has 365 days.
The constructor arguments ``mttf_h`` and ``mttr_h`` describe *one unit*; they are stored as
``unit_mttf_h`` and ``unit_mttr_h`` because the attribute ``mttf_h`` of every block is the
*system's* mean time to first failure.

Every MTTF and MTTR lies in [:data:`MIN_DURATION`, :data:`MAX_DURATION`] hours (an MTTR may
also be ``math.inf``) and every switchover, manual failover and convergence time in
[0, :data:`MAX_DURATION`] in its own unit, values below :data:`NEGLIGIBLE_DURATION` taken as
0 (their limit). Counts go through one check (:func:`_count`); a value outside its range
raises a ``ValueError`` naming the parameter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd

from availcalc._validation import (
    check_choice,
    check_fraction,
    check_integer,
    check_nonnegative,
    check_positive,
    check_probability,
    check_type,
    scalar,
)
from availcalc.reliability._base import Block
from availcalc.reliability.birth_death import (
    KofNSolution,
    kofn_solution,
    nlb_converging_probabilities,
)
from availcalc.reliability.chain import (
    Chain,
    UpChain,
    chain_interval_availability,
    chain_mttf,
    chain_point_availability,
    chain_reliability,
    chain_steady,
    chain_unreliability,
    make_chain,
    up_chain,
)
from availcalc.reliability.one_active import one_active_states, one_active_transitions
from availcalc.units import SECONDS_PER_HOUR

__all__ = [
    "MAX_CLUSTER_NODES",
    "MAX_DURATION",
    "MAX_UNITS",
    "MIN_DURATION",
    "NEGLIGIBLE_DURATION",
    "NLB_OUTAGE_SCOPES",
    "ActivePassive",
    "Component",
    "KofN",
    "NLBPool",
    "Standby",
]

#: Most nodes of a failover cluster (Windows Server Failover Clustering supports 64).
MAX_CLUSTER_NODES = 64
#: Most units of a :class:`KofN` or :class:`NLBPool` block: their chains have O(n) states and
#: solve in under a second at 10**6 (about 2 s and 8 s at 10**7); a larger count is refused at
#: once, naming this limit, instead of running for minutes.
MAX_UNITS = 1_000_000
#: What an :class:`NLBPool` loses in the window after a node failure (detection +
#: convergence): the failed node's share of the traffic (what NLB documents) or everything.
NLB_OUTAGE_SCOPES = ("failed_node", "whole_pool")


def _check_name(name: Any, default: str | None = None) -> str:
    """Return ``name`` (or ``default`` for None / "" when there is one) as a non-empty string."""
    if default is not None and (name is None or (isinstance(name, str) and not name)):
        return default
    check_type("name", name, str, "a non-empty string")
    if not name:
        raise ValueError("name must be a non-empty string; got ''")
    return name


def _count(name: str, x: Any, minimum: int = 1, maximum: int | None = None) -> int:
    """Return the integer count ``x`` checked to lie in [minimum, maximum].

    An integer is checked as it is (its message shows it as one); anything else — a float,
    an array, a Series — must first be one number (:func:`~availcalc._validation.scalar`), so
    no ``int()`` of an array is ever reached.
    """
    if not (isinstance(x, Integral) and not isinstance(x, bool)):
        x = scalar(name, x)
    check_integer(name, x, minimum, maximum)
    return int(x)


def _rates(mttf_h: float, mttr_h: float) -> tuple[float, float]:
    """(λ, μ) [1/h]; μ = 0 for a non-repairable unit (mttr_h = inf)."""
    return 1.0 / mttf_h, (0.0 if math.isinf(mttr_h) else 1.0 / mttr_h)


#: Shortest and longest MTTF / MTTR of a unit [h] (3.6 µs to 1.1e11 years), and longest
#: switchover, manual failover and convergence time (in their own unit). Inside, every rate,
#: every ratio of two rates times the unit count, and the chain weights of GTH (at most that
#: ratio to the power of the state index, rescaled at 1e250) stay finite; beyond, the rates of
#: a chain overflow or underflow (1/5e-324 is inf) and the solvers would return NaN.
MIN_DURATION = 1e-9
MAX_DURATION = 1e15
#: A switchover, manual failover or convergence time below this is taken as 0 (the state it
#: creates removed): its rate would exceed 3.6e283/h, so the state would hold a probability
#: below 1e-260 relative to its neighbours — the limit d -> 0 *is* the model with d = 0.
NEGLIGIBLE_DURATION = 1e-280


def _duration(name: str, x: Any, unit: str, *, zero: bool = False, inf: bool = False) -> float:
    """Return the duration ``x`` [unit]: 0 (if ``zero``), inf (if ``inf``) or in the range.

    With ``zero``, values below :data:`NEGLIGIBLE_DURATION` are returned as 0 (their limit).
    """
    value = scalar(name, x, check_nonnegative if zero else check_positive, allow_inf=inf)
    if zero and value < NEGLIGIBLE_DURATION:
        return 0.0
    lowest = 0.0 if zero else MIN_DURATION
    if not (math.isinf(value) or lowest <= value <= MAX_DURATION):
        raise ValueError(
            f"{name} must be between {lowest:g} and {MAX_DURATION:g} {unit}"
            f"{' (or math.inf)' if inf else ''}; got {value!r}"
        )
    return value


def _check_unit(mttf_h: Any, mttr_h: Any) -> tuple[float, float]:
    return _duration("mttf_h", mttf_h, "h"), _duration("mttr_h", mttr_h, "h", inf=True)


def _check_crews(crews: Any) -> int | None:
    return None if crews is None else _count("crews", crews)


def _effective_crews(crews: int | None, units: int) -> int:
    """Return the crews in use: one per unit unless ``crews`` limits them (every block's rule)."""
    return units if crews is None else min(crews, units)


def _fmt(x: float) -> str:
    return "math.inf" if math.isinf(x) else repr(float(x))


class _ChainBlock(Block):
    """A Markov block: transient measures from its :class:`Chain` unless overridden."""

    def _build_chain(self) -> Chain:  # pragma: no cover - abstract
        raise NotImplementedError

    @cached_property
    def chain(self) -> Chain:
        """The block's CTMC (states, rates [1/h], up set, initial state)."""
        return self._build_chain()

    @cached_property
    def _up_chain(self) -> UpChain | None:
        """The chain on the up states reachable from the initial state (diagrams reuse it)."""
        return up_chain(self.chain)

    def _mttf(self) -> float:
        return chain_mttf(self._up_chain)

    def _reliability(self, t: np.ndarray) -> np.ndarray:
        return chain_reliability(self._up_chain, t)

    def _unreliability(self, t: np.ndarray) -> np.ndarray:
        return chain_unreliability(self._up_chain, t)

    def _point(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return chain_point_availability(self.chain, t)

    def _interval(self, t: np.ndarray) -> np.ndarray:
        return chain_interval_availability(self.chain, t)


# ===================================================================== Component
@dataclass(frozen=True, eq=False, repr=False, init=False)
class Component(_ChainBlock):
    r"""A repairable component with exponential life and repair.

    Parameters
    ----------
    name : str
        Name (the index of :meth:`importance`). Two different objects may not share a name in
        one diagram; the *same* object used twice is one physical component.
    mttf_h : float
        Mean time to failure (mean up time) [h], finite and > 0. Failure rate
        :math:`\lambda = 1/\mathrm{MTTF}`.
    mttr_h : float
        Mean time to repair [h], > 0; ``math.inf`` for a non-repairable component.
        Repair rate :math:`\mu = 1/\mathrm{MTTR}`.
    initially_up : bool, default True
        State at :math:`t = 0` for :meth:`point_availability` and
        :meth:`interval_availability` (reliability and MTTF always start up).

    Raises
    ------
    ValueError
        If ``mttf_h`` is not finite and > 0, ``mttr_h`` is not > 0, ``name`` is empty or
        ``initially_up`` is not True or False.

    Notes
    -----
    .. math::

        A = \frac{\mu}{\lambda+\mu},\quad U = \frac{\mathrm{MTTR}}{\mathrm{MTTF}+\mathrm{MTTR}},
        \quad \omega = \lambda A = \frac{1}{\mathrm{MTTF}+\mathrm{MTTR}},

        A(t) = \frac{\mu}{\lambda+\mu} + \frac{\lambda}{\lambda+\mu}e^{-(\lambda+\mu)t}
        \ \text{(up at 0)},\qquad
        \bar A(t) = \frac{\mu}{\lambda+\mu}
        + \frac{\lambda}{(\lambda+\mu)^2 t}\bigl(1-e^{-(\lambda+\mu)t}\bigr),

    and :math:`R(t) = e^{-\lambda t}`, MTTF = ``mttf_h`` [1]_, [2]_. "MTBF" in the common
    :math:`A = \mathrm{MTBF}/(\mathrm{MTBF}+\mathrm{MTTR})` is the mean up time, i.e. the
    ``mttf_h`` here.

    References
    ----------
    .. [1] K. S. Trivedi, *Probability and Statistics with Reliability, Queuing, and Computer
       Science Applications*, 2nd ed., Wiley, 2002, ch. 8 (two-state availability model).
    .. [2] M. Rausand, A. Høyland, *System Reliability Theory*, 2nd ed., Wiley, 2004, ch. 8
       and ch. 13.

    Examples
    --------
    >>> db = Component("db", mttf_h=8760.0, mttr_h=4.0)
    >>> db
    Component('db', mttf_h=8760.0, mttr_h=4.0)
    >>> round(db.unavailability, 9), round(db.downtime_min_per_year, 2)
    (0.000456413, 239.89)
    >>> round(db.point_availability(4.0), 9)
    0.999711416
    """

    name: str
    unit_mttf_h: float
    unit_mttr_h: float
    initially_up: bool

    def __init__(self, name: str, mttf_h: float, mttr_h: float, initially_up: bool = True) -> None:
        mttf_h, mttr_h = _check_unit(mttf_h, mttr_h)
        object.__setattr__(self, "name", _check_name(name))
        object.__setattr__(self, "unit_mttf_h", mttf_h)
        object.__setattr__(self, "unit_mttr_h", mttr_h)
        check_type("initially_up", initially_up, (bool, np.bool_), "True or False")
        object.__setattr__(self, "initially_up", bool(initially_up))

    def __repr__(self) -> str:
        extra = "" if self.initially_up else ", initially_up=False"
        return (
            f"Component({self.name!r}, mttf_h={_fmt(self.unit_mttf_h)}, "
            f"mttr_h={_fmt(self.unit_mttr_h)}{extra})"
        )

    @classmethod
    def from_unavailability(cls, name: str, q: float, mttr_h: float) -> Component:
        r"""Return the component with steady-state unavailability ``q`` and mean repair ``mttr_h``.

        Parameters
        ----------
        name : str
            Name of the component.
        q : float
            Steady-state unavailability :math:`U`, in the open interval (0, 1).
        mttr_h : float
            Mean time to repair [h], finite, in [:data:`MIN_DURATION`, :data:`MAX_DURATION`].

        Returns
        -------
        Component
            With :math:`\mathrm{MTTF} = \mathrm{MTTR}\,(1-q)/q`, the inverse of
            :math:`U = \mathrm{MTTR}/(\mathrm{MTTF}+\mathrm{MTTR})` [1]_; its
            :attr:`unavailability` equals ``q`` to a few ulp (``1 - q`` is exact to
            half an ulp, the rest are three roundings).

        Raises
        ------
        ValueError
            If ``q`` is not in (0, 1), ``mttr_h`` is not a finite duration in range, or the
            MTTF they give lies outside [:data:`MIN_DURATION`, :data:`MAX_DURATION`] h.

        Notes
        -----
        .. math::

            U = \frac{\mathrm{MTTR}}{\mathrm{MTTF}+\mathrm{MTTR}}
            \iff \mathrm{MTTF} = \mathrm{MTTR}\,\frac{1-q}{q}.

        References
        ----------
        .. [1] M. Rausand, A. Høyland, *System Reliability Theory*, 2nd ed., Wiley, 2004,
           ch. 8 (the two-state model of a repairable component, steady-state unavailability).

        Examples
        --------
        A database down 0.05 % of the time, repaired in 4 h on average:

        >>> db = Component.from_unavailability("db", 5e-4, 4.0)
        >>> db
        Component('db', mttf_h=7996.0, mttr_h=4.0)
        >>> db.unavailability
        0.0005
        """
        q = scalar("q", q, check_probability)
        mttr_h = _duration("mttr_h", mttr_h, "h")
        mttf_h = mttr_h * ((1.0 - q) / q)  # finite or inf: float products never raise
        if not MIN_DURATION <= mttf_h <= MAX_DURATION:
            raise ValueError(
                f"q={q!r} with mttr_h={mttr_h!r} gives mttf_h = mttr_h (1 - q) / q = "
                f"{mttf_h!r}, outside [{MIN_DURATION:g}, {MAX_DURATION:g}] h; choose q and "
                "mttr_h so that it lies inside"
            )
        return cls(name, mttf_h, mttr_h)

    @property
    def mttr_h(self) -> float:
        """Mean time to repair [h] (as given)."""
        return self.unit_mttr_h

    def _build_chain(self) -> Chain:
        lam, mu = _rates(self.unit_mttf_h, self.unit_mttr_h)
        # The chain starts up (reliability, MTTF); ``initially_up`` only enters the closed
        # forms of point and interval availability.
        return make_chain(("up", "down"), [0, 1], [1, 0], [lam, mu], [True, False], 0)

    def _steady(self) -> tuple[float, float, float]:
        f, r = self.unit_mttf_h, self.unit_mttr_h
        if math.isinf(r):
            return 0.0, 1.0, 0.0
        return f / (f + r), r / (f + r), 1.0 / (f + r)

    def _mttf(self) -> float:
        return self.unit_mttf_h

    # In the three closed forms below s t (or t / MTTF) may exceed the double range at the
    # longest times: it becomes inf, and e^{-st} = 0, 1 - e^{-st} = 1, (1 - e^{-st})/(st) = 0
    # are then exactly the limits, so the overflow warning is silenced there and only there.
    def _reliability(self, t: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return np.exp(-t / self.unit_mttf_h)

    def _unreliability(self, t: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return -np.expm1(-t / self.unit_mttf_h)  # 1 - e^{-λt} without cancellation

    def _point(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lam, mu = _rates(self.unit_mttf_h, self.unit_mttr_h)
        s = lam + mu
        with np.errstate(over="ignore"):
            st = s * t
        decay = np.exp(-st)
        grow = -np.expm1(-st)  # 1 - e^{-st}, without cancellation
        if self.initially_up:
            return mu / s + lam / s * decay, lam / s * grow
        return mu / s * grow, lam / s + mu / s * decay

    def _interval(self, t: np.ndarray) -> np.ndarray:
        lam, mu = _rates(self.unit_mttf_h, self.unit_mttr_h)
        s = lam + mu
        with np.errstate(over="ignore"):
            st = s * t
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.where(st > 0, -np.expm1(-st) / np.where(st > 0, st, 1.0), 1.0)
        if self.initially_up:
            return mu / s + lam / s * frac
        return mu / s * (1.0 - frac)


# ===================================================================== KofN
@dataclass(frozen=True, eq=False, repr=False, init=False)
class KofN(_ChainBlock):
    r"""k-out-of-n identical repairable units sharing ``crews`` repair crews.

    Parameters
    ----------
    n : int
        Number of units, >= 1.
    k : int
        Units needed for the system to be up, :math:`1 \le k \le n`.
    mttf_h : float
        Mean time to failure of one unit [h], finite and > 0 (stored as ``unit_mttf_h``).
    mttr_h : float
        Mean repair time of one unit by one crew [h], > 0; ``math.inf`` for no repair
        (stored as ``unit_mttr_h``).
    crews : int or None, default None
        Repair crews :math:`r \ge 1`; ``None`` = one per unit (independent repair). Values
        above ``n`` act as ``n``.
    name : str, optional
        Default ``"<k>-of-<n>"``.

    Raises
    ------
    ValueError
        If ``n`` is not an integer in [1, :data:`MAX_UNITS`], ``k`` is outside ``[1, n]``,
        ``crews < 1``, or a time is invalid.

    Notes
    -----
    Birth–death chain on :math:`i` = failed units, :math:`b_i = (n-i)\lambda` (units keep
    failing while the system is down), :math:`d_i = \min(i, r)\mu`:

    .. math::

        \pi_i \propto p_i = \prod_{j=1}^{i}\frac{b_{j-1}}{d_j},\quad
        U = \sum_{i>n-k}\pi_i,\quad \omega = \pi_{n-k}\,k\lambda,\quad
        \mathrm{MTTF} = \sum_{j=0}^{n-k}\frac{\sum_{i\le j}p_i}{b_j\,p_j}.

    Computed in log space: :math:`n = 10^6` takes tens of milliseconds and an unavailability
    below the double range still gives finite :attr:`nines` [1]_, [2]_. With
    ``crews=None`` the result equals the binomial formula
    :math:`A = \sum_{i\ge k}\binom{n}{i}A_c^i U_c^{n-i}`.

    References
    ----------
    .. [1] K. S. Trivedi, *Probability and Statistics with Reliability, Queuing, and Computer
       Science Applications*, 2nd ed., Wiley, 2002, ch. 8 (k-out-of-n with repair).
    .. [2] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, *Fundamentals of Queueing
       Theory*, 4th ed., Wiley, 2008, §2.8 (machine-repair model).

    Examples
    --------
    Four send-host instances, one needed, one repair crew:

    >>> hosts = KofN(4, 1, mttf_h=4380.0, mttr_h=2.0, crews=1, name="send hosts")
    >>> float(f"{hosts.unavailability:.6e}")
    1.041457e-12
    >>> round(hosts.nines, 3)
    11.982
    >>> [round(float(p), 6) for p in hosts.up_count_probabilities]
    [0.0, 0.0, 2e-06, 0.001823, 0.998174]
    """

    n: int
    k: int
    unit_mttf_h: float
    unit_mttr_h: float
    crews: int | None
    name: str

    def __init__(
        self,
        n: int,
        k: int,
        mttf_h: float,
        mttr_h: float,
        crews: int | None = None,
        name: str | None = None,
    ) -> None:
        n = _count("n", n, maximum=MAX_UNITS)
        k = _count("k", k, maximum=n)
        mttf_h, mttr_h = _check_unit(mttf_h, mttr_h)
        object.__setattr__(self, "n", n)
        object.__setattr__(self, "k", k)
        object.__setattr__(self, "unit_mttf_h", mttf_h)
        object.__setattr__(self, "unit_mttr_h", mttr_h)
        object.__setattr__(self, "crews", _check_crews(crews))
        object.__setattr__(self, "name", _check_name(name, f"{k}-of-{n}"))

    def __repr__(self) -> str:
        return (
            f"KofN(n={self.n}, k={self.k}, mttf_h={_fmt(self.unit_mttf_h)}, "
            f"mttr_h={_fmt(self.unit_mttr_h)}, crews={self.crews}, name={self.name!r})"
        )

    @property
    def effective_crews(self) -> int:
        """Crews actually usable: ``min(crews, n)`` (``n`` when ``crews`` is None)."""
        return _effective_crews(self.crews, self.n)

    @cached_property
    def _solution(self) -> KofNSolution:
        lam, mu = _rates(self.unit_mttf_h, self.unit_mttr_h)
        return kofn_solution(self.n, self.k, lam, mu, self.effective_crews)

    def _steady(self) -> tuple[float, float, float]:
        s = self._solution
        return s.availability, s.unavailability, s.failure_frequency

    def _log10_unavailability(self) -> float:
        return self._solution.log10_unavailability

    def _log10_failure_frequency(self) -> float:
        s = self._solution  # omega = pi_{n-k} k lambda, in logs (see kofn_solution)
        log_omega = (
            s.log_weights[self.n - self.k] - s.log_total + math.log(self.k / self.unit_mttf_h)
        )
        return float(log_omega) / math.log(10.0)

    def _mttf(self) -> float:
        return self._solution.mttf

    @property
    def up_count_probabilities(self) -> np.ndarray:
        r"""Steady-state :math:`P(\text{exactly } j \text{ units up})`, index :math:`j = 0..n`."""
        s = self._solution
        p = np.exp(s.log_weights - s.log_total)[::-1]
        return p / p.sum()

    @cached_property
    def _repair_queue(self) -> tuple[float, float, float]:
        """(mean failed units, mean busy crews, failure throughput [1/h]) of the stationary π.

        Sums of their own non-negative terms over the weights scaled by their largest (no
        overflow, no subtraction).
        """
        n, r = self.n, self.effective_crews
        lam = 1.0 / self.unit_mttf_h
        if math.isinf(self.unit_mttr_h):  # every unit ends failed, no repair ever ends
            return float(n), float(r), 0.0
        lw = self._solution.log_weights
        with np.errstate(under="ignore"):
            w = np.exp(lw - lw.max())
        i = np.arange(n + 1, dtype=float)
        total = float(w.sum())
        return (
            float(i @ w) / total,
            float(np.minimum(i, r) @ w) / total,
            lam * float((n - i) @ w) / total,
        )

    @property
    def mean_in_repair(self) -> float:
        r"""Mean number of failed units :math:`L` [-], in repair or waiting for a crew.

        The finite-source (machine-repair, :math:`M/M/r//n`) queue of the units: with the
        stationary :math:`\pi_i` of :math:`i` failed units (see the class notes),

        .. math::

            L = \sum_{i=0}^{n} i\,\pi_i,\qquad
            L_q = \sum_{i>r} (i - r)\,\pi_i = L - r\,\rho_c

        (:math:`\rho_c` = :attr:`crew_utilization`) [1]_, [2]_. Without repair
        (``mttr_h=math.inf``) every unit ends failed: :math:`L = n`.

        References
        ----------
        .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, *Fundamentals of
           Queueing Theory*, 4th ed., Wiley, 2008, §2.8 (finite-source queues).
        .. [2] D. R. Anderson, D. J. Sweeney, T. A. Williams et al., *An Introduction to
           Management Science*, ch. 11 (queuing models with finite calling populations),
           pp. 477–478: the Kolkmeyer machine-repair example, :math:`L = 0.8451`.

        Examples
        --------
        The Kolkmeyer example: six machines, 20 h between breakdowns, 2 h repairs, one
        repairer:

        >>> shop = KofN(6, 1, mttf_h=20.0, mttr_h=2.0, crews=1)
        >>> round(shop.mean_in_repair, 4)
        0.8451
        """
        return self._repair_queue[0]

    @property
    def crew_utilization(self) -> float:
        r"""Mean fraction of the repair crews busy :math:`\rho_c` [-].

        .. math::

            \rho_c = \frac{1}{r}\sum_{i=0}^{n}\min(i, r)\,\pi_i
            = \frac{\Lambda}{r\mu},\qquad \Lambda = \lambda\,(n - L),

        :math:`r` = :attr:`effective_crews`; the second form is the balance of the failure
        and repair flows (Gross et al., *Fundamentals of Queueing Theory*, 4th ed., Wiley,
        2008, §2.8). For one crew it is :math:`1 - \pi_0`. Without repair every crew is
        busy for ever (1.0).

        Examples
        --------
        >>> shop = KofN(6, 1, mttf_h=20.0, mttr_h=2.0, crews=1)
        >>> round(shop.crew_utilization, 4)  # Anderson et al. p. 478: 1 - P0 = 0.5155
        0.5155
        """
        return self._repair_queue[1] / self.effective_crews

    @property
    def repair_response_h(self) -> float:
        r"""Mean time from a unit's failure until it is back up :math:`W` [h].

        Waiting for a crew plus the repair itself, by Little's law over the failed units:

        .. math::

            W = \frac{L}{\Lambda},\qquad \Lambda = \sum_{i=0}^{n}(n-i)\,\lambda\,\pi_i
            = \lambda\,(n - L),\qquad W = W_q + \frac{1}{\mu},

        :math:`\Lambda` the failure throughput [1/h], summed from its own terms (Gross et al.,
        *Fundamentals of Queueing Theory*, 4th ed., Wiley, 2008, §2.8 and §1.5, Little's
        law). With one crew per unit it is the mean repair time itself; ``math.inf``
        without repair.

        Examples
        --------
        The Kolkmeyer example (Anderson et al., *An Introduction to Management Science*,
        ch. 11, p. 478): :math:`W = 3.279` h with one repairer, :math:`W_q = 0.0834` h with
        two:

        >>> round(KofN(6, 1, mttf_h=20.0, mttr_h=2.0, crews=1).repair_response_h, 3)
        3.279
        >>> round(KofN(6, 1, mttf_h=20.0, mttr_h=2.0, crews=2).repair_response_h - 2.0, 4)
        0.0834
        """
        length, _, throughput = self._repair_queue
        return length / throughput if throughput > 0.0 else math.inf

    def _build_chain(self) -> Chain:
        n = self.n
        lam, mu = _rates(self.unit_mttf_h, self.unit_mttr_h)
        i = np.arange(n + 1)
        rows = np.r_[i[:-1], i[1:]]
        cols = np.r_[i[1:], i[:-1]]
        vals = np.r_[(n - i[:-1]) * lam, np.minimum(i[1:], self.effective_crews) * mu]
        return make_chain(tuple(range(n + 1)), rows, cols, vals, i <= n - self.k, 0)


# ===================================================================== one active unit
_AP_STATES = (
    "both_up",
    "switchover",
    "awaiting_manual_failover",
    "one_up_one_in_repair",
    "both_down",
)


class _OneActiveBlock(_ChainBlock):
    """n units, one active (:mod:`availcalc.reliability.one_active`): the shared machinery.

    Subclasses set ``units``, ``unit_mttf_h``, ``unit_mttr_h``, ``coverage``, ``switchover_s``,
    ``manual_failover_h``, ``crews`` and :attr:`_standby_ratio`.
    """

    units: int
    unit_mttf_h: float
    unit_mttr_h: float
    coverage: float
    switchover_s: float
    manual_failover_h: float

    crews: int | None

    _standby_ratio: float = 1.0

    @property
    def effective_crews(self) -> int:
        """Crews actually usable: ``min(crews, units)`` (``units`` when ``crews`` is None)."""
        return _effective_crews(self.crews, self.units)

    def _steady(self) -> tuple[float, float, float]:
        a, u, w, _ = chain_steady(self.chain)
        return a, u, w

    def _set_common(
        self,
        mttf_h: Any,
        mttr_h: Any,
        coverage: Any,
        switchover_s: Any,
        manual_failover_h: Any,
        crews: Any,
        name: Any,
    ) -> None:
        """Check and set the arguments every one-active block has (each named in its error)."""
        mttf_h, mttr_h = _check_unit(mttf_h, mttr_h)
        object.__setattr__(self, "unit_mttf_h", mttf_h)
        object.__setattr__(self, "unit_mttr_h", mttr_h)
        object.__setattr__(self, "coverage", scalar("coverage", coverage, check_fraction))
        for field_name, value, unit in (
            ("switchover_s", switchover_s, "s"),
            ("manual_failover_h", manual_failover_h, "h"),
        ):
            object.__setattr__(self, field_name, _duration(field_name, value, unit, zero=True))
        object.__setattr__(self, "crews", _check_crews(crews))
        object.__setattr__(self, "name", _check_name(name))

    def _present(self) -> tuple[bool, bool]:
        return self.switchover_s > 0.0, self.manual_failover_h > 0.0

    @cached_property
    def _all_states(self) -> list[tuple[str, int]]:
        return one_active_states(self.units, True, True)

    def _state_name(self, mode: str, up: int) -> str:
        n = self.units
        if mode == "S":
            return f"switchover, {up} of {n} up"
        if mode == "M":
            return f"awaiting manual failover, {up} of {n} up"
        return f"{up} of {n} up"

    @property
    def state_names(self) -> tuple[str, ...]:
        """Name of every state, in the order of :attr:`state_probability_array`."""
        return tuple(self._state_name(m, u) for m, u in self._all_states)

    @property
    def units_up(self) -> np.ndarray:
        """Units up in each state (order of :attr:`state_names`)."""
        return np.array([u for _, u in self._all_states])

    @property
    def serving(self) -> np.ndarray:
        """Units carrying the load in each state: 1 in an up state, else 0."""
        return np.array([int(m == "N" and u >= 1) for m, u in self._all_states])

    def _build_chain(self) -> Chain:
        lam, mu = _rates(self.unit_mttf_h, self.unit_mttr_h)
        has_s, has_m = self._present()
        states, rows, cols, vals = one_active_transitions(
            self.units,
            lam,
            mu,
            self._standby_ratio,
            self.coverage,
            SECONDS_PER_HOUR / self.switchover_s if has_s else None,
            1.0 / self.manual_failover_h if has_m else None,
            self.effective_crews,
        )
        names = tuple(self._state_name(m, u) for m, u in states)
        up = [m == "N" and u >= 1 for m, u in states]
        return make_chain(names, rows, cols, vals, up, 0)

    @cached_property
    def state_probability_array(self) -> np.ndarray:
        """Steady-state probabilities in the order of :attr:`state_names` (removed states: 0).

        The same numbers as :attr:`state_probabilities`, without building a Series (for
        callers that evaluate many blocks).
        """
        pi_chain = chain_steady(self.chain)[3]
        d = dict(zip(self.chain.names, pi_chain, strict=True))
        return np.array([d.get(s, 0.0) for s in self.state_names])

    @property
    def state_probabilities(self) -> pd.Series:
        """Steady-state probability of every state (removed states: 0)."""
        return pd.Series(
            self.state_probability_array,
            index=pd.Index(self.state_names, name="state"),
            name="probability",
        )


# ===================================================================== ActivePassive
@dataclass(frozen=True, eq=False, repr=False, init=False)
class ActivePassive(_OneActiveBlock):
    r"""Failover cluster of ``nodes`` hot nodes (one active) with coverage and switchover.

    Parameters
    ----------
    mttf_h : float
        Mean time to failure of one node [h], finite and > 0 (every node fails at
        :math:`\lambda`: hot standby). Stored as ``unit_mttf_h``.
    mttr_h : float
        Mean repair time of one node [h], > 0 (``math.inf``: no repair). Stored as
        ``unit_mttr_h``.
    coverage : float, default 1.0
        Probability :math:`c \in [0, 1]` that a failure of the active node is detected and
        failed over automatically.
    switchover_s : float, default 0.0
        Mean automatic failover time [s], >= 0; 0 removes the switchover state (an
        instantaneous transition, not a limit).
    manual_failover_h : float, default 0.5
        Mean time to fail over by hand after an uncovered failure [h], >= 0; 0 removes that
        state.
    crews : int or None, default None
        Repair crews :math:`r \ge 1`. ``None`` = one per node, i.e. independent repair with
        :math:`r` = ``nodes`` (the rule of :class:`KofN` and :class:`NLBPool` too);
        ``crews=1`` makes the nodes share one crew (the others wait); values above ``nodes``
        act as ``nodes`` (see :attr:`effective_crews`).
    nodes : int, default 2
        Nodes of the cluster, 2..64 (Windows Server Failover Clustering supports up to 64
        nodes): one active, the others passive. Stored as ``nodes`` (and ``units``).
    name : str, default "active-passive"

    Raises
    ------
    ValueError
        If ``coverage`` is outside [0, 1], a time is invalid, ``crews < 1`` or ``nodes`` is
        not an integer in [2, 64].

    Notes
    -----
    The chain of :mod:`availcalc.reliability.one_active` with :math:`\rho = 1`; a second
    failure during a failover moves it to another node, and the last node's failure takes the
    cluster down. For two nodes its states are named (up: ``both_up``,
    ``one_up_one_in_repair``) and the rates, with :math:`\delta = 1/t_s`,
    :math:`\beta = 1/t_m`, :math:`r` = :attr:`effective_crews` (2 by default, 1 with
    ``crews=1``), are: ``both_up`` → ``switchover`` :math:`c\lambda`,
    → ``awaiting_manual_failover`` :math:`(1-c)\lambda`, → ``one_up_one_in_repair``
    :math:`\lambda` (the passive node fails); ``switchover`` → ``one_up_one_in_repair``
    :math:`\delta`, → ``both_down`` :math:`\lambda`; ``awaiting_manual_failover`` →
    ``one_up_one_in_repair`` :math:`\beta`, → ``both_down`` :math:`\lambda`;
    ``one_up_one_in_repair`` → ``both_up`` :math:`\mu`, → ``both_down`` :math:`\lambda`;
    ``both_down`` → ``one_up_one_in_repair`` :math:`r\mu`. The two-node balance equations
    have the product form

    .. math::

        a_1 = \frac{c\lambda}{\delta+\lambda},\ a_2 = \frac{(1-c)\lambda}{\beta+\lambda},\
        a_3 = \frac{2\lambda}{\mu},\ a_4 = \frac{\lambda(a_1+a_2+a_3)}{r\mu},\quad
        \pi_0 = \frac{1}{1+a_1+a_2+a_3+a_4},

        U = (a_1+a_2+a_4)\,\pi_0,\qquad \omega = \lambda(\alpha\,\pi_0 + \pi_3),\qquad
        \mathrm{MTTF} = \frac{\lambda+\mu+(2-\alpha)\lambda}{2\lambda^2+\alpha\lambda\mu},

    where :math:`\alpha = c\,[t_s>0] + (1-c)\,[t_m>0]` is the fraction of active-node
    failures that cause an outage (:math:`a_1 = 0` if :math:`t_s = 0`, :math:`a_2 = 0` if
    :math:`t_m = 0`). The crews enter only through :math:`a_4` (``both_down`` is the only
    state with two nodes in repair). With more nodes the chain is solved by GTH elimination
    (3n − 1 states). With :math:`c = 1` and :math:`t_s = 0` the model *is* :class:`KofN`
    ``(nodes, 1, crews=crews)`` [1]_, [2]_, [3]_.

    References
    ----------
    .. [1] T. F. Arnold, "The concept of coverage and its effect on the reliability model of a
       repairable system", IEEE Trans. Computers C-22(3), pp. 251–254, 1973.
    .. [2] J. B. Dugan, K. S. Trivedi, "Coverage modeling for dependability analysis of
       fault-tolerant systems", IEEE Trans. Computers 38(6), pp. 775–787, 1989.
    .. [3] K. S. Trivedi, *Probability and Statistics with Reliability, Queuing, and Computer
       Science Applications*, 2nd ed., Wiley, 2002, ch. 8 (imperfect coverage).

    Examples
    --------
    Clustered SQL Server: node MTTF 2000 h, repair 4 h, 95 % coverage, 60 s failover, one repair
    crew shared by the two nodes:

    >>> sql = ActivePassive(2000.0, 4.0, coverage=0.95, switchover_s=60.0, crews=1, name="sql")
    >>> round(sql.downtime_min_per_year, 3)
    14.896
    >>> round(sql.mut_h, 6)  # every active-node failure is an outage: MUT = 1/λ
    2000.0
    >>> sql.state_probabilities.round(8).to_dict()["both_down"]
    8.01e-06

    By default each node has its own crew: ``both_down`` is repaired twice as fast.

    >>> pair = ActivePassive(2000.0, 4.0, coverage=0.95, switchover_s=60.0, name="sql")
    >>> pair.crews, pair.effective_crews
    (None, 2)
    >>> pair.state_probabilities.round(8).to_dict()["both_down"]
    4.01e-06

    A third node makes a second failure survivable (the failovers still cost their time):

    >>> three = ActivePassive(2000.0, 4.0, coverage=0.95, switchover_s=60.0, nodes=3)
    >>> round(pair.downtime_min_per_year, 3), round(three.downtime_min_per_year, 3)
    (12.791, 10.735)
    """

    unit_mttf_h: float
    unit_mttr_h: float
    coverage: float
    switchover_s: float
    manual_failover_h: float
    crews: int | None
    nodes: int
    name: str

    #: The five states of a two-node cluster, in the order of :attr:`state_probability_array`.
    STATES = _AP_STATES

    def __init__(
        self,
        mttf_h: float,
        mttr_h: float,
        coverage: float = 1.0,
        switchover_s: float = 0.0,
        manual_failover_h: float = 0.5,
        crews: int | None = None,
        name: str = "active-passive",
        *,
        nodes: int = 2,
    ) -> None:
        object.__setattr__(self, "nodes", _count("nodes", nodes, 2, MAX_CLUSTER_NODES))
        self._set_common(mttf_h, mttr_h, coverage, switchover_s, manual_failover_h, crews, name)

    def __repr__(self) -> str:
        nodes = "" if self.nodes == 2 else f", nodes={self.nodes}"
        return (
            f"ActivePassive(mttf_h={_fmt(self.unit_mttf_h)}, mttr_h={_fmt(self.unit_mttr_h)}, "
            f"coverage={self.coverage!r}, switchover_s={self.switchover_s!r}, "
            f"manual_failover_h={self.manual_failover_h!r}, crews={self.crews}, "
            f"name={self.name!r}{nodes})"
        )

    @property
    def units(self) -> int:  # type: ignore[override]
        """Units of the one-active chain: the nodes."""
        return self.nodes

    def _state_name(self, mode: str, up: int) -> str:
        if self.nodes == 2:
            return _AP_STATES[self._all_states.index((mode, up))]
        return super()._state_name(mode, up)

    @cached_property
    def _closed_form(self) -> tuple[np.ndarray, float] | None:
        """Two nodes: (π over the five states, ω); None otherwise or without repair."""
        lam, mu = _rates(self.unit_mttf_h, self.unit_mttr_h)
        if mu == 0.0 or self.nodes != 2:
            return None
        c = self.coverage
        r = self.effective_crews
        has_s, has_m = self._present()
        a1 = c * lam / (SECONDS_PER_HOUR / self.switchover_s + lam) if has_s else 0.0
        a2 = (1.0 - c) * lam / (1.0 / self.manual_failover_h + lam) if has_m else 0.0
        a3 = 2.0 * lam / mu
        a4 = lam * (a1 + a2 + a3) / (r * mu)
        pi0 = 1.0 / (1.0 + a1 + a2 + a3 + a4)
        pi = np.array([1.0, a1, a2, a3, a4]) * pi0
        alpha = (c if has_s else 0.0) + ((1.0 - c) if has_m else 0.0)
        omega = lam * (alpha * pi[0] + pi[3])
        return pi, omega

    def _steady(self) -> tuple[float, float, float]:
        cf = self._closed_form
        if cf is None:
            return super()._steady()
        pi, omega = cf
        return float(pi[0] + pi[3]), float(pi[1] + pi[2] + pi[4]), float(omega)

    def _mttf(self) -> float:
        if self.nodes != 2:
            return super()._mttf()
        lam, mu = _rates(self.unit_mttf_h, self.unit_mttr_h)
        has_s, has_m = self._present()
        c = self.coverage
        alpha = (c if has_s else 0.0) + ((1.0 - c) if has_m else 0.0)
        # from both_up: outage rate alpha*lam, non-outage rate (2 - alpha)*lam to S3
        return (lam + mu + (2.0 - alpha) * lam) / (2.0 * lam * lam + alpha * lam * mu)

    @cached_property
    def state_probability_array(self) -> np.ndarray:
        """Steady-state probabilities in the order of :attr:`state_names` (removed states: 0)."""
        cf = self._closed_form
        return super().state_probability_array if cf is None else cf[0]


# ===================================================================== Standby
@dataclass(frozen=True, eq=False, repr=False, init=False)
class Standby(_OneActiveBlock):
    r"""Standby redundancy: one active unit, the others in cold, warm or hot standby.

    Parameters
    ----------
    units : int
        Units, 1..10 000: one active, ``units − 1`` in standby.
    mttf_h : float
        Mean time to failure of the active unit [h], finite and > 0 (``unit_mttf_h``).
    mttr_h : float
        Mean repair time of one unit by one crew [h], > 0 (``math.inf``: no repair).
    standby_failure_ratio : float, default 0.0
        :math:`\rho \in [0, 1]`: a unit in standby fails at :math:`\rho\lambda` (0 = cold,
        1 = hot, in between = warm).
    coverage : float, default 1.0
        Probability that the switch to a standby unit succeeds automatically.
    switchover_s : float, default 0.0
        Mean time of an automatic switch [s], >= 0 (0: instantaneous).
    manual_failover_h : float, default 0.5
        Mean time of a switch made by hand after an automatic one failed [h], >= 0
        (0: instantaneous). Irrelevant when ``coverage`` is 1.
    crews : int or None, default 1
        Repair crews :math:`r \ge 1` (``None`` = one per unit); values above ``units`` act as
        ``units``.
    name : str, default "standby"

    Raises
    ------
    ValueError
        If an argument is outside its range (the message names it).

    Notes
    -----
    The chain of :mod:`availcalc.reliability.one_active` (3·units − 1 states, solved by GTH
    elimination). Cold standby with a perfect, instantaneous switch is the birth–death chain

    .. math::

        \pi_{j\,\text{failed}} \propto \prod_{i=1}^{j}\frac{\lambda}{\min(i, r)\,\mu},\qquad
        U = \pi_{n\,\text{failed}},

    (Trivedi, 2nd ed., 2002, ch. 8; Barlow & Proschan 1975, ch. 7); hot standby
    (:math:`\rho = 1`) with coverage 1 and no switchover time is :class:`KofN`
    ``(units, 1, crews=crews)``; :math:`\rho = 1` in general is :class:`ActivePassive`
    ``(nodes=units)``. Units in standby that wait for a switch keep failing at
    :math:`\rho\lambda`; the unit whose failure started a switch is repaired once it ends.

    Examples
    --------
    A cold-standby SQL server (node MTTF 4380 h, repair 2 h, one crew):

    >>> cold = Standby(2, 4380.0, 2.0)
    >>> lam, mu = 1 / 4380.0, 1 / 2.0
    >>> x = lam / mu
    >>> abs(cold.unavailability - x * x / (1 + x + x * x)) < 1e-18
    True
    >>> hot = Standby(2, 4380.0, 2.0, standby_failure_ratio=1.0)
    >>> hot.unavailability > cold.unavailability
    True
    """

    units: int
    unit_mttf_h: float
    unit_mttr_h: float
    standby_failure_ratio: float
    coverage: float
    switchover_s: float
    manual_failover_h: float
    crews: int | None
    name: str

    def __init__(
        self,
        units: int,
        mttf_h: float,
        mttr_h: float,
        standby_failure_ratio: float = 0.0,
        coverage: float = 1.0,
        switchover_s: float = 0.0,
        crews: int | None = 1,
        *,
        manual_failover_h: float = 0.5,
        name: str = "standby",
    ) -> None:
        units = _count("units", units, maximum=10_000)
        ratio = scalar("standby_failure_ratio", standby_failure_ratio, check_fraction)
        object.__setattr__(self, "units", units)
        object.__setattr__(self, "standby_failure_ratio", ratio)
        self._set_common(mttf_h, mttr_h, coverage, switchover_s, manual_failover_h, crews, name)

    def __repr__(self) -> str:
        return (
            f"Standby(units={self.units}, mttf_h={_fmt(self.unit_mttf_h)}, "
            f"mttr_h={_fmt(self.unit_mttr_h)}, "
            f"standby_failure_ratio={self.standby_failure_ratio!r}, "
            f"coverage={self.coverage!r}, switchover_s={self.switchover_s!r}, "
            f"crews={self.crews}, manual_failover_h={self.manual_failover_h!r}, "
            f"name={self.name!r})"
        )

    @property
    def _standby_ratio(self) -> float:  # type: ignore[override]
        return self.standby_failure_ratio


# ===================================================================== NLBPool
@dataclass(frozen=True, eq=False, repr=False, init=False)
class NLBPool(_ChainBlock):
    r"""Network-load-balanced pool: k of n nodes, and traffic lost while NLB converges.

    Parameters
    ----------
    nodes : int
        Nodes :math:`N \ge 1`.
    needed : int
        Nodes needed, :math:`1 \le k \le N`.
    mttf_h : float
        Mean time to failure of one node [h] (stored as ``unit_mttf_h``).
    mttr_h : float
        Mean repair time of one node [h] (stored as ``unit_mttr_h``); ``math.inf``: no repair.
    convergence_s : float
        Mean time NLB takes, once a failure is detected, to evict the failed node and give its
        clients to the survivors [s], >= 0 (2.5–3 s documented).
    crews : int or None, default None
        Repair crews (None = one per node).
    name : str, optional
        Default ``"NLB <k>-of-<N>"``.
    detection_s : float, default 0
        Mean time until the other nodes notice a failed node [s], >= 0 (about 5 s documented:
        five missed one-second heartbeats). The window after a failure is
        :math:`w = t_{det} + t_{conv}`; :math:`w = 0` reduces the model exactly to
        :class:`KofN` ``(N, k)``.
    outage_scope : {"failed_node", "whole_pool"}, default "failed_node"
        What is lost during the window: the failed node's share of the traffic while the
        survivors keep serving theirs (what NLB documents), or the whole pool (for planners who
        observe that).

    Raises
    ------
    ValueError
        If ``nodes`` is not an integer in [1, :data:`MAX_UNITS`], ``needed`` is outside
        ``[1, nodes]``, ``crews < 1``, a time is invalid or ``outage_scope`` is unknown.

    Notes
    -----
    CTMC on (:math:`i` failed, window flag :math:`f`): a failure from :math:`(i, f)` goes
    to :math:`(i+1, 1)` if the pool keeps :math:`\ge k` nodes, else to :math:`(i+1, 0)`;
    repairs move :math:`(i, f) \to (i-1, f)` at :math:`\min(i, r)\mu` (re-joining causes no
    outage); the flag clears at rate :math:`\gamma_i`. Up :math:`\iff f = 0` and
    :math:`N - i \ge k`.

    * ``"whole_pool"``: the pool is down for the whole window, :math:`\gamma_i = 1/w`.
    * ``"failed_node"``: NLB maps each client to one node by a hash of its address, so the
      failed node carried, on average, the share :math:`1/(N-i+1)` of the traffic of the
      :math:`N-i+1` nodes up before the failure (whatever the affinity: with fewer clients
      than nodes, a node carries traffic with probability clients/nodes and then a share
      1/clients). Losing that share for :math:`w` loses the same traffic as losing the whole
      pool for :math:`w/(N-i+1)`, so :math:`\gamma_i = (N-i+1)/w` and every measure is the
      *traffic-weighted* one: availability is the fraction of requests served, downtime the
      equivalent whole-pool downtime (lost requests × mean gap between requests). A repair
      inside the few-second window keeps the window's share at that of the state it moves to,
      an error of order :math:`w\mu` of a term already :math:`O(\lambda w)`.

    The flag does not change the rates of :math:`i`, so the marginal of :math:`i` is the
    :class:`KofN` :math:`\pi_i`; the window probabilities solve

    .. math::

        x_i(b_i + d_i + \gamma_i) = [i\ge1]\,\pi_{i-1}b_{i-1} + d_{i+1}x_{i+1},\qquad
        U = \sum_{N-i\ge k} x_i + \sum_{N-i<k}\pi_i,

    and :math:`\omega = \sum_{N-i\ge k}(\pi_i - x_i)\,b_i` (every failure from an up state
    is an outage, hence MTTF :math:`= 1/(N\lambda)` and :math:`R(t) = e^{-N\lambda t}` when
    :math:`w > 0`: some requests fail at the first node failure). With ``"whole_pool"``,
    adding nodes adds convergence outages: availability is *not* monotone in ``nodes``.

    References
    ----------
    .. [1] Microsoft, "Network Load Balancing Technical Overview", TechNet cc739690 (Windows
       Server 2003): heartbeats every second, five missed start convergence (about 5 s),
       then 2.5–3 s to evict the failed host and redistribute its load; surviving hosts keep
       serving their clients.
    .. [2] K. S. Trivedi, *Probability and Statistics with Reliability, Queuing, and Computer
       Science Applications*, 2nd ed., Wiley, 2002, ch. 8 (CTMC availability models,
       lumpability).
    .. [3] R. Billinton, R. N. Allan, *Reliability Evaluation of Engineering Systems*, 2nd ed.,
       Plenum, 1992, ch. 9 (frequency and duration).

    Examples
    --------
    Three SharePoint front-ends, two needed, 5 s detection + 3 s convergence:

    >>> nlb = NLBPool(3, 2, mttf_h=2190.0, mttr_h=0.5, convergence_s=3.0, detection_s=5.0)
    >>> round(nlb.downtime_min_per_year, 4)
    0.6149
    >>> whole = NLBPool(3, 2, 2190.0, 0.5, 3.0, detection_s=5.0, outage_scope="whole_pool")
    >>> round(whole.downtime_min_per_year, 4)
    1.681
    >>> round(nlb.outages_per_year, 3)
    12.0
    """

    nodes: int
    needed: int
    unit_mttf_h: float
    unit_mttr_h: float
    convergence_s: float
    crews: int | None
    name: str
    detection_s: float
    outage_scope: str

    def __init__(
        self,
        nodes: int,
        needed: int,
        mttf_h: float,
        mttr_h: float,
        convergence_s: float,
        crews: int | None = None,
        name: str | None = None,
        detection_s: float = 0.0,
        outage_scope: str = "failed_node",
    ) -> None:
        nodes = _count("nodes", nodes, maximum=MAX_UNITS)
        needed = _count("needed", needed, maximum=nodes)
        mttf_h, mttr_h = _check_unit(mttf_h, mttr_h)
        convergence_s = _duration("convergence_s", convergence_s, "s", zero=True)
        detection_s = _duration("detection_s", detection_s, "s", zero=True)
        check_choice("outage_scope", outage_scope, NLB_OUTAGE_SCOPES)
        object.__setattr__(self, "nodes", nodes)
        object.__setattr__(self, "needed", needed)
        object.__setattr__(self, "unit_mttf_h", mttf_h)
        object.__setattr__(self, "unit_mttr_h", mttr_h)
        object.__setattr__(self, "convergence_s", convergence_s)
        object.__setattr__(self, "crews", _check_crews(crews))
        object.__setattr__(self, "name", _check_name(name, f"NLB {needed}-of-{nodes}"))
        object.__setattr__(self, "detection_s", detection_s)
        object.__setattr__(self, "outage_scope", outage_scope)

    def __repr__(self) -> str:
        return (
            f"NLBPool(nodes={self.nodes}, needed={self.needed}, "
            f"mttf_h={_fmt(self.unit_mttf_h)}, mttr_h={_fmt(self.unit_mttr_h)}, "
            f"convergence_s={self.convergence_s!r}, crews={self.crews}, name={self.name!r}, "
            f"detection_s={self.detection_s!r}, outage_scope={self.outage_scope!r})"
        )

    @property
    def window_s(self) -> float:
        """Mean window after a node failure [s]: detection plus convergence."""
        return self.detection_s + self.convergence_s

    def window_end_rates(self) -> np.ndarray:
        r"""Rate :math:`\gamma_i` at which the window of state :math:`i` failed ends [1/h].

        For :math:`i = 0..N-k`: :math:`1/w` for ``"whole_pool"``, :math:`(N-i+1)/w` for
        ``"failed_node"`` (the equivalent whole-pool outage of the failed node's share; see
        the class notes). Empty when there is no window.

        Examples
        --------
        An 8 s window: a third of the requests lost for 8 s is the whole pool for 8/3 s.

        >>> NLBPool(3, 1, 2190.0, 0.5, 3.0, detection_s=5.0).window_end_rates() * 8 / 3600
        array([4., 3., 2.])
        """
        if not self._converging():
            return np.zeros(0)
        gamma = SECONDS_PER_HOUR / self.window_s
        i = np.arange(self.nodes - self.needed + 1)
        if self.outage_scope == "whole_pool":
            return np.full(i.size, gamma)
        return gamma * (self.nodes - i + 1)

    @property
    def effective_crews(self) -> int:
        """Crews actually usable: ``min(crews, nodes)`` (``nodes`` when ``crews`` is None)."""
        return _effective_crews(self.crews, self.nodes)

    @cached_property
    def _kofn(self) -> KofN:
        return KofN(
            self.nodes,
            self.needed,
            self.unit_mttf_h,
            self.unit_mttr_h,
            crews=self.crews,
            name=self.name,
        )

    @property
    def without_convergence(self) -> KofN:
        """The same pool with instantaneous convergence: the plain k-of-n block.

        Its outages are the ones where too few nodes are up (the convergence outages left
        out), e.g. to judge which outages can outlast a client's retries.
        """
        return self._kofn

    def _converging(self) -> bool:
        """Tell whether window states exist (w > 0 and a failure can leave k up)."""
        return self.window_s > 0.0 and self.nodes - 1 >= self.needed

    @cached_property
    def _reduced(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(π_i, x_i) of the reduced solution, or None when the chain must be used."""
        if math.isinf(self.unit_mttr_h) or not self._converging():
            return None
        lam, mu = _rates(self.unit_mttf_h, self.unit_mttr_h)
        s = self._kofn._solution
        pi = np.exp(s.log_weights - s.log_total)
        x = nlb_converging_probabilities(
            pi,
            self.nodes,
            self.needed,
            lam,
            mu,
            self.effective_crews,
            self.window_end_rates(),
        )
        return pi, x

    def _steady(self) -> tuple[float, float, float]:
        if not self._converging():
            return self._kofn._steady_values
        red = self._reduced
        if red is None:
            a, u, w, _ = chain_steady(self.chain)
            return a, u, w
        pi, x = red
        m = self.nodes - self.needed
        lam = 1.0 / self.unit_mttf_h
        b = (self.nodes - np.arange(m + 1)) * lam
        # x_i <= pi_i exactly; when convergence fills nearly all of pi_i their difference is
        # below one ulp of pi_i and may round below 0: a rounding guard, not a limit.
        up = np.maximum(pi[: m + 1] - x, 0.0)
        u = float(x.sum()) + self._kofn._solution.unavailability
        return float(up.sum()), u, float(up @ b)

    def _log10_unavailability(self) -> float:
        if self._converging():
            return super()._log10_unavailability()
        return self._kofn._log10_unavailability()

    def _log10_failure_frequency(self) -> float:
        if self._converging():
            return super()._log10_failure_frequency()
        return self._kofn._log10_failure_frequency()

    def _mttf(self) -> float:
        if self._converging():
            return self.unit_mttf_h / self.nodes
        return self._kofn._mttf_value

    def _reliability(self, t: np.ndarray) -> np.ndarray:
        if self._converging():
            return np.exp(-t * self.nodes / self.unit_mttf_h)
        return self._kofn._reliability(t)

    def _unreliability(self, t: np.ndarray) -> np.ndarray:
        if self._converging():
            return -np.expm1(-t * self.nodes / self.unit_mttf_h)
        return self._kofn._unreliability(t)

    def _build_chain(self) -> Chain:
        n, k = self.nodes, self.needed
        lam, mu = _rates(self.unit_mttf_h, self.unit_mttr_h)
        r = self.effective_crews
        conv = self._converging()
        names: list[tuple[int, bool]] = [(i, False) for i in range(n + 1)]
        if conv:
            names += [(i, True) for i in range(n - k + 1)]
        ix = {s: j for j, s in enumerate(names)}
        gamma = self.window_end_rates()
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for i, f in names:
            if i < n:
                to = (i + 1, conv and n - i - 1 >= k)
                rows.append(ix[(i, f)])
                cols.append(ix[to])
                vals.append((n - i) * lam)
            if i > 0:
                rows.append(ix[(i, f)])
                cols.append(ix[(i - 1, f)])
                vals.append(min(i, r) * mu)
            if f:
                rows.append(ix[(i, f)])
                cols.append(ix[(i, False)])
                vals.append(float(gamma[i]))
        up = [(not f) and n - i >= k for i, f in names]
        return make_chain(tuple(names), rows, cols, vals, up, 0)

    @cached_property
    def state_probability_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return ``(nodes_up, converging, probability)`` as numpy arrays.

        The rows of :attr:`state_probabilities`, without building a DataFrame (for callers
        that evaluate many pools).
        """
        n, k = self.nodes, self.needed
        m = n - k
        red = self._reduced
        if red is not None:
            pi, x = red
        elif not self._converging():
            s = self._kofn._solution
            pi, x = np.exp(s.log_weights - s.log_total), np.zeros(m + 1)
        else:
            p = chain_steady(self.chain)[3]
            d = dict(zip(self.chain.names, p, strict=True))
            pi = np.array([d[(i, False)] + d.get((i, True), 0.0) for i in range(n + 1)])
            x = np.array([d.get((i, True), 0.0) for i in range(m + 1)])
        idle = pi.copy()
        idle[: m + 1] = np.maximum(idle[: m + 1] - x, 0.0)  # the same rounding guard as _steady
        # rows: nodes up descending; at equal nodes up, not converging first
        up = n - np.arange(n + 1)
        if m >= 1:
            conv_up = n - np.arange(m + 1)
            nodes = np.concatenate([up, conv_up])
            conv = np.concatenate([np.zeros(n + 1, bool), np.ones(m + 1, bool)])
            prob = np.concatenate([idle, x])
        else:
            nodes, conv, prob = up, np.zeros(n + 1, bool), idle
        order = np.lexsort((conv, -nodes))
        return nodes[order], conv[order], prob[order]

    @property
    def state_probabilities(self) -> pd.DataFrame:
        """Steady-state probability per (``nodes_up``, ``converging``).

        Columns ``nodes_up`` (int), ``converging`` (bool), ``probability``; converging rows
        exist whenever a failure can leave the pool running (probability 0 if
        there is no window).
        """
        nodes, conv, prob = self.state_probability_arrays
        return pd.DataFrame({"nodes_up": nodes, "converging": conv, "probability": prob})
