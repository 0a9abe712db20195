r"""The measures common to every reliability block, derived from a few primitives (layer 2).

A block implements five primitives — steady state ``(A, U, ω)``, MTTF, point availability,
reliability and interval availability — and its structure (one leaf for a Markov block, a BDD
over the leaves for a diagram). Everything else (nines, downtime, MUT, MDT, MTBF, importance,
summary, broadcasting over time, input checks) lives here, once.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from availcalc._validation import broadcast, check_nonnegative
from availcalc.reliability.markov import StateSpaceTooLarge
from availcalc.reliability.structure import BDD
from availcalc.units import HOURS_PER_YEAR, MINUTES_PER_YEAR

__all__ = ["HOURS_PER_YEAR", "MINUTES_PER_YEAR", "Block", "StateSpaceTooLarge"]

#: Longest time the transient measures solve for [h] (its inverse is the shortest above 0);
#: times beyond give the same value to every digit (see ``Block._over_time``).
_LONGEST_H = 1e300


#: Below this a probability or frequency is taken from its logarithm (a subnormal double has
#: lost digits; below ~5e-324 it is 0).
_SMALLEST_EXACT = 1e-290


def _log_leaves(structure: Structure) -> tuple[list[float], list[float]]:
    """Return the natural logarithms of each leaf's availability and unavailability.

    Taken from the leaves' own logarithms: exact where the probabilities underflow.
    """
    ln10 = math.log(10.0)
    log_u = [leaf._log10_unavailability() * ln10 for leaf in structure.leaves]
    log_a = [math.log1p(-math.exp(lu)) if lu < 0.0 else -math.inf for lu in log_u]
    return log_a, log_u


def _exp(x: float) -> float:
    """``exp(x)``, inf beyond the double range (a ratio of two logarithms)."""
    return math.inf if x > 709.0 else math.exp(x)


def _ratio(num: float, den: float) -> float:
    """``num / den`` with ``x/0 = inf`` for ``x > 0`` and ``0/0 = nan``, without warnings."""
    if den > 0.0:
        return num / den
    return math.inf if num > 0.0 else math.nan


@dataclass(eq=False)
class Structure:
    """A structure function over distinct leaves: ``leaves[i]`` is BDD variable ``i``."""

    leaves: tuple[Block, ...]
    bdd: BDD
    root: int
    _crit: dict[int, int] = field(default_factory=dict, repr=False)

    def critical(self, v: int) -> int:
        """BDD of "leaf ``v`` is critical" (cached)."""
        node = self._crit.get(v)
        if node is None:
            node = self.bdd.critical(self.root, v)
            self._crit[v] = node
        return node


class Block:
    """Base of every reliability block: the measures, derived from the primitives.

    Subclasses provide ``name`` and implement ``_steady``, ``_mttf``, ``_point``,
    ``_reliability``, ``_interval`` and ``_structure``.
    """

    name: str

    def __getstate__(self) -> dict[str, Any]:
        """Pickle only the parameters: cached results hold ``id()``-keyed tables."""
        return {f.name: self.__dict__[f.name] for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    # ----------------------------------------------------------------- primitives
    def _steady(self) -> tuple[float, float, float]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _mttf(self) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def _point(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover
        raise NotImplementedError

    def _reliability(self, t: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _unreliability(self, t: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _interval(self, t: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _structure(self) -> Structure:
        """Return the structure of a single leaf: the block itself."""
        bdd = BDD(1)
        return Structure((self,), bdd, bdd.var(0))

    def _log10_unavailability(self) -> float:
        u = self.unavailability
        return math.log10(u) if u > 0.0 else -math.inf

    def _log10_failure_frequency(self) -> float:
        w = self.failure_frequency_per_h
        return math.log10(w) if w > 0.0 else -math.inf

    # ----------------------------------------------------------------- cached core
    @cached_property
    def _steady_values(self) -> tuple[float, float, float]:
        a, u, w = self._steady()
        # A and U are computed separately, each to full relative precision; an ulp of rounding
        # must not put either outside [0, 1].
        return min(max(a, 0.0), 1.0), min(max(u, 0.0), 1.0), w

    @cached_property
    def _mttf_value(self) -> float:
        return self._mttf()

    @cached_property
    def _structure_cached(self) -> Structure:
        return self._structure()

    # ----------------------------------------------------------------- steady state
    @property
    def availability(self) -> float:
        """Steady-state availability :math:`A` [-]."""
        return self._steady_values[0]

    @property
    def unavailability(self) -> float:
        """Steady-state unavailability :math:`U` [-], computed directly (never ``1 - A``)."""
        return self._steady_values[1]

    @property
    def nines(self) -> float:
        r"""Number of nines :math:`-\log_{10} U` [-] (``inf`` if :math:`U = 0`)."""
        return 0.0 - self._log10_unavailability()  # 0.0 - x: no "-0.0" when U = 1

    @property
    def downtime_min_per_year(self) -> float:
        r"""Expected downtime :math:`U \cdot 525\,600` [min/yr] (a 365-day year)."""
        return self.unavailability * MINUTES_PER_YEAR

    @property
    def failure_frequency_per_h(self) -> float:
        r"""Steady-state system failure frequency :math:`\omega` [1/h] (up→down transitions)."""
        return self._steady_values[2]

    @property
    def outages_per_year(self) -> float:
        r"""Expected number of outages per year :math:`8760\,\omega` [1/yr]."""
        return self.failure_frequency_per_h * HOURS_PER_YEAR

    @property
    def mut_h(self) -> float:
        r"""Mean up time :math:`A/\omega` [h].

        A block that is never repaired (``mttr_h=math.inf``) ends down for good
        (:math:`A = \omega = 0`): its one up period is the first, and its mean up time is
        :attr:`mttf_h` — the limit of :math:`A/\omega` for a component as
        :math:`\mathrm{MTTR}\to\infty` too.
        """
        a, w = self.availability, self.failure_frequency_per_h
        if a == 0.0 and w == 0.0:
            return self.mttf_h
        return _ratio(a, w)

    @property
    def mdt_h(self) -> float:
        r"""Mean down time (mean outage duration) :math:`U/\omega` [h].

        When :math:`U` or :math:`\omega` is below the double range (a KofN block of many very
        reliable units, a parallel diagram of very reliable blocks) the ratio is taken of
        their logarithms, which the birth–death blocks and diagrams keep.
        """
        u, w = self.unavailability, self.failure_frequency_per_h
        if u < _SMALLEST_EXACT or w < _SMALLEST_EXACT:
            log10_mdt = self._log10_unavailability() - self._log10_failure_frequency()
            if math.isfinite(log10_mdt):
                return math.inf if log10_mdt > 308.0 else 10.0**log10_mdt
        return _ratio(u, w)

    @property
    def mtbf_h(self) -> float:
        r"""Mean time between system failures :math:`1/\omega = \mathrm{MUT} + \mathrm{MDT}` [h]."""
        return _ratio(1.0, self.failure_frequency_per_h)

    @property
    def mttf_h(self) -> float:
        r"""Mean time to the first system failure from the all-up state [h].

        ``inf`` is the right value in two cases, and only there: the system can never fail
        from all-up (no path to a down state), or the MTTF exceeds the double range — it
        grows like :math:`(\mu/\lambda)^{n-k}/\lambda` for redundant units repaired much
        faster than they fail, e.g. ``KofN(200, 1, 1e7, 1e-3)``. Without repair it is finite
        (at most ``MAX_DURATION`` times the harmonic sum of the units).

        Raises
        ------
        StateSpaceTooLarge
            For a diagram whose product chain exceeds the documented limits.
        """
        return self._mttf_value

    # ----------------------------------------------------------------- transient
    def _over_time(self, fn: Any, t_h: Any) -> Any:
        (t,), wrap = broadcast(t_h, names=("t_h",))  # refuses non-numbers and 10**400 by name
        check_nonnegative("t_h", t_h if type(t_h) is float else t)
        if t.size == 0:  # no times in, no times out (and nothing to solve)
            return wrap(np.empty(t.shape))
        # Times beyond 1e300 h are taken as 1e300 h: there A(t) and R(t) equal their limits to
        # every digit, and the interval availability differs from its value at 1e300 by a
        # bounded transient excess divided by t, below 1e-290; beyond it Q t overflows. Times
        # below 1e-300 h are taken as 0: each measure moves by at most (largest rate) x t
        # from its value at 0, and the integral over [0, t] would underflow.
        flat = np.ascontiguousarray(t, dtype=float).ravel()
        flat = np.where(flat < 1.0 / _LONGEST_H, 0.0, np.minimum(flat, _LONGEST_H))
        with np.errstate(under="ignore"):
            out = np.clip(np.asarray(fn(flat), dtype=float), 0.0, 1.0)  # rounding guard only
        return wrap(out.reshape(t.shape))

    def reliability(self, t_h: Any) -> Any:
        r"""Reliability :math:`R(t) = P(\text{no system failure in } [0, t])` from all-up [-].

        Parameters
        ----------
        t_h : numeric
            Mission time [h], >= 0; float, array or Series (the result has the same type).

        Returns
        -------
        numeric
            :math:`R(t) = p_0\,e^{Q_{UU}t}\,\mathbf 1` on the system-up states.

        Raises
        ------
        ValueError
            If a time is negative or NaN.

        Examples
        --------
        >>> from availcalc.reliability import Component
        >>> round(Component("c", 1000.0, 5.0).reliability(100.0), 12)  # e^{-0.1}
        0.904837418036
        """
        return self._over_time(self._reliability, t_h)

    def point_availability(self, t_h: Any) -> Any:
        r"""Point availability :math:`A(t) = P(\text{system up at } t)` from the initial state.

        Parameters
        ----------
        t_h : numeric
            Time [h], >= 0; float, array or Series.

        Returns
        -------
        numeric
            :math:`A(t)`; for a diagram the structure function of the leaves' :math:`A_i(t)`.

        Raises
        ------
        ValueError
            If a time is negative or NaN.

        Examples
        --------
        >>> import numpy as np
        >>> from availcalc.reliability import KofN
        >>> KofN(2, 1, 100.0, 10.0, crews=1).point_availability(np.array([0.0, 5.0])).round(6)
        array([1.      , 0.998277])
        """
        return self._over_time(lambda t: self._point(t)[0], t_h)

    def unreliability(self, t_h: Any) -> Any:
        r"""Unreliability :math:`F(t) = 1 - R(t) = P(\text{system failed in } [0, t])` [-].

        Computed directly, never as :math:`1 - R(t)` (which keeps no digit below 1.1e-16):
        the probability mass that has left the system-up states by :math:`t`,

        .. math::

            F(t) = \int_0^t p_0\,e^{Q_{UU}s}\,\mathbf e\,ds
            = \bigl[e^{Gt}\bigr]_{0,\,\mathrm{down}},\qquad
            G = \begin{bmatrix} Q_{UU} & \mathbf e \\ 0 & 0\end{bmatrix},

        the entry of the absorbing down state of the up-chain made absorbing
        (:math:`\mathbf e` = exit rates into the down set), which the non-negative
        uniformisation of :mod:`~availcalc.reliability.transient` keeps to a small relative
        error; for a :class:`~availcalc.reliability.Component`
        :math:`F(t) = -\mathrm{expm1}(-\lambda t)` [1]_, [2]_.

        Parameters
        ----------
        t_h : numeric
            Mission time [h], >= 0; float, array or Series (the result has the same type).

        Returns
        -------
        numeric
            :math:`F(t)`, 0 at :math:`t = 0`; :math:`R(t) + F(t) = 1` to rounding.

        Raises
        ------
        ValueError
            If a time is negative or NaN.

        References
        ----------
        .. [1] M. Rausand, A. Høyland, *System Reliability Theory*, 2nd ed., Wiley, 2004,
           ch. 8 (Markov processes: the system-failed states made absorbing).
        .. [2] J. Xue, Q. Ye, "Entrywise relative perturbation bounds for exponentials of
           essentially non-negative matrices", Numerische Mathematik 110, pp. 393–403, 2008.

        Examples
        --------
        One failure per 10⁹ h, a mission of 10⁻⁴ h: :math:`F = \lambda t - (\lambda t)^2/2
        + \dots = 10^{-13} - 5\cdot 10^{-27}` to every digit (``1 - reliability`` gives
        1.0003e-13):

        >>> from availcalc.reliability import Component
        >>> c = Component("c", 1e9, 5.0)
        >>> c.unreliability(1e-4)
        9.9999999999995e-14
        >>> float(f"{1 - c.reliability(1e-4):.5g}")
        1.0003e-13
        """
        return self._over_time(self._unreliability, t_h)

    def point_unavailability(self, t_h: Any) -> Any:
        r"""Point unavailability :math:`U(t) = 1 - A(t) = P(\text{system down at } t)` [-].

        Computed directly, never as :math:`1 - A(t)`: the sum of the down-state
        probabilities of :math:`p(t) = p_0 e^{Qt}` for a Markov block, the structure function
        of the leaves' :math:`(A_i(t), U_i(t))` pairs (BDD, no subtraction) for a diagram,
        and for a component up at 0

        .. math::

            U(t) = \frac{\lambda}{\lambda+\mu}\bigl(1 - e^{-(\lambda+\mu)t}\bigr)
            = -\frac{\lambda}{\lambda+\mu}\,\mathrm{expm1}\bigl(-(\lambda+\mu)t\bigr)

        [1]_.

        Parameters
        ----------
        t_h : numeric
            Time [h], >= 0; float, array or Series.

        Returns
        -------
        numeric
            :math:`U(t)`; :math:`A(t) + U(t) = 1` to rounding.

        Raises
        ------
        ValueError
            If a time is negative or NaN.

        References
        ----------
        .. [1] M. Rausand, A. Høyland, *System Reliability Theory*, 2nd ed., Wiley, 2004,
           ch. 8 (the two-state Markov model of a repairable component).

        Examples
        --------
        >>> from availcalc.reliability import Component
        >>> c = Component("c", 1e6, 1.0)
        >>> lam, mu = 1e-6, 1.0
        >>> u = c.point_unavailability(1e-3)
        >>> abs(u - lam / (lam + mu) * -math.expm1(-(lam + mu) * 1e-3)) <= 1e-16 * u
        True
        """
        return self._over_time(lambda t: self._point(t)[1], t_h)

    def interval_availability(self, t_h: Any) -> Any:
        r"""Interval availability :math:`\bar A(t) = \frac1t\int_0^t A(s)\,ds` [-].

        Parameters
        ----------
        t_h : numeric
            Horizon [h], >= 0 (at 0 the value is :math:`A(0)`).

        Returns
        -------
        numeric
            Expected fraction of :math:`[0, t]` spent up.

        Raises
        ------
        ValueError
            If a time is negative or NaN.

        Examples
        --------
        >>> from availcalc.reliability import Component
        >>> c = Component("c", 99.0, 1.0)
        >>> round(c.interval_availability(1e6), 6), round(c.availability, 6)
        (0.99, 0.99)
        """
        return self._over_time(self._interval, t_h)

    # ----------------------------------------------------------------- importance
    def importance(self) -> pd.DataFrame:
        r"""Compute the importance measures of each leaf (component or sub-model).

        Returns
        -------
        DataFrame
            Indexed by leaf name, columns:

            * ``birnbaum`` :math:`I_B(i) = A_s(A_i{=}1) - A_s(A_i{=}0)` [-], evaluated as the
              probability that leaf *i* is critical (no subtraction);
            * ``criticality`` :math:`I_B(i)\,U_i/U_s` [-];
            * ``fussell_vesely`` :math:`P(\cup\{C \ni i \text{ failed}\})/U_s` [-] over the
              minimal cut sets *C* (cut-set definition);
            * ``raw`` risk achievement worth :math:`U_s(U_i{=}1)/U_s` [-];
            * ``rrw`` risk reduction worth :math:`U_s/U_s(U_i{=}0)` [-]: ``inf`` when a
              perfect leaf *i* makes the system perfect (:math:`U_s(U_i{=}0) = 0`, the leaf is
              in every minimal cut set, e.g. a single point of failure of a model that is
              nothing else). That is the mathematically right value — removing that leaf's
              failures removes all of the risk — and it is kept.

        Notes
        -----
        The cut-set event of leaf *i* is
        :math:`\{x_i = 0\}\cap\{\exists x' \ge x: x' \text{ critical for } i\}`, built on the
        BDD, so no cut set is enumerated. A Markov block used on its own is a single leaf.

        References
        ----------
        .. [1] M. Rausand, A. Høyland, *System Reliability Theory*, 2nd ed., Wiley, 2004,
           ch. 5 (Birnbaum, criticality, Fussell–Vesely, RAW, RRW).

        Examples
        --------
        A load balancer in series with two redundant web servers:

        >>> from availcalc.reliability import Component, parallel, series
        >>> lb = Component("lb", 8760.0, 1.0)
        >>> web = parallel(Component("w1", 2190.0, 0.5), Component("w2", 2190.0, 0.5))
        >>> series(lb, web).importance()[["birnbaum", "fussell_vesely"]].round(4)
                   birnbaum  fussell_vesely
        component
        lb           1.0000          0.9995
        w1           0.0002          0.0005
        w2           0.0002          0.0005
        """
        s = self._structure_cached
        vals = [leaf._steady_values for leaf in s.leaves]
        a = [v[0] for v in vals]
        u = [v[1] for v in vals]
        bdd = s.bdd
        _, u_s = bdd.probability(s.root, a, u)
        if u_s < _SMALLEST_EXACT:
            return self._importance_from_logs(s)
        rows = []
        for i in range(len(s.leaves)):
            crit = s.critical(i)
            i_b = float(bdd.probability(crit, a, u)[0])
            fv_event = bdd.lower_closure(crit)
            fv = u[i] * float(bdd.probability(fv_event, a, u)[0])
            u_if_down = float(bdd.probability(bdd.restrict(s.root, i, False), a, u)[1])
            u_if_up = float(bdd.probability(bdd.restrict(s.root, i, True), a, u)[1])
            rows.append(
                (
                    i_b,
                    _ratio(i_b * u[i], u_s),
                    _ratio(fv, u_s),
                    _ratio(u_if_down, u_s),
                    _ratio(u_s, u_if_up),
                )
            )
        return _importance_frame(s, rows)

    def _importance_from_logs(self, s: Structure) -> pd.DataFrame:
        """Return :meth:`importance` where :math:`U_s` is below the double range.

        The same events, their probabilities as logarithms (:meth:`BDD.log_probability`), and
        the ratios of those.
        """
        bdd = s.bdd
        log_a, log_u = _log_leaves(s)
        lus = bdd.log_probability(s.root, log_a, log_u)[1]
        rows = []
        for i in range(len(s.leaves)):
            crit = s.critical(i)
            l_b = bdd.log_probability(crit, log_a, log_u)[0]
            l_fv = log_u[i] + bdd.log_probability(bdd.lower_closure(crit), log_a, log_u)[0]
            l_down = bdd.log_probability(bdd.restrict(s.root, i, False), log_a, log_u)[1]
            l_up = bdd.log_probability(bdd.restrict(s.root, i, True), log_a, log_u)[1]
            rows.append(
                (
                    _exp(l_b),
                    _exp(l_b + log_u[i] - lus),
                    _exp(l_fv - lus),
                    _exp(l_down - lus),
                    _exp(lus - l_up),
                )
            )
        return _importance_frame(s, rows)

    # ----------------------------------------------------------------- reporting
    def summary(self) -> pd.DataFrame:
        """Tidy table of the steady-state measures and the MTTF: ``measure``, ``value``, ``unit``.

        The MTTF (and the MUT of a block without repair, which is its MTTF) is ``NaN`` when it
        would need a state space beyond the documented limits.

        Examples
        --------
        >>> from availcalc.reliability import Component
        >>> Component("db", 8760.0, 4.0).summary().round(4).head(4)
                         measure     value unit
        0           availability    0.9995    -
        1         unavailability    0.0005    -
        2                  nines    3.3406    -
        3  downtime_min_per_year  239.8905  min/yr
        """

        def value(measure: str) -> float:
            try:
                return getattr(self, measure)
            except StateSpaceTooLarge:
                return math.nan

        units = {
            "availability": "-",
            "unavailability": "-",
            "nines": "-",
            "downtime_min_per_year": "min/yr",
            "failure_frequency_per_h": "1/h",
            "outages_per_year": "1/yr",
            "mut_h": "h",
            "mdt_h": "h",
            "mtbf_h": "h",
            "mttf_h": "h",
        }
        rows = [(m, value(m), unit) for m, unit in units.items()]
        return pd.DataFrame(rows, columns=["measure", "value", "unit"])


def _importance_frame(s: Structure, rows: list[tuple[float, ...]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        index=pd.Index([leaf.name for leaf in s.leaves], name="component"),
        columns=["birnbaum", "criticality", "fussell_vesely", "raw", "rrw"],
    )
