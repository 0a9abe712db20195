r"""Structure functions as reduced ordered binary decision diagrams (layer 1).

A reliability block diagram whose leaves appear more than once (a shared database, a load
balancer on two paths, the bridge) cannot be reduced bottom-up: the paths are not independent.
A BDD over the distinct leaves is the Shannon (pivotal) decomposition

.. math::

    \varphi(x) = x_i\,\varphi(x \mid x_i = 1) + (1 - x_i)\,\varphi(x \mid x_i = 0)

applied recursively with shared sub-results, so the probability of any structure of
independent leaves is exact [1]_, [2]_. Probabilities are propagated as the pair
(P(up), P(down)) from the leaves' own (A, U), so both are sums of products of positive numbers:
no ``1 - A`` ever happens and an unavailability of 1e-40 keeps its relative precision.

Variables are leaf indices ``0..nvars-1`` (1 = leaf up); node 0 is *false*, node 1 is *true*.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

__all__ = ["BDD"]

FALSE = 0
TRUE = 1


def _log_add(x: float, y: float) -> float:
    r"""Return :math:`\log(e^x + e^y)` without overflow or underflow."""
    if x < y:
        x, y = y, x
    if y == -math.inf:
        return x
    return x + math.log1p(math.exp(y - x))


class BDD:
    r"""A minimal ROBDD manager: ``ite``, ``and_``, ``or_``, ``not_``, cofactors, probability.

    Parameters
    ----------
    nvars : int
        Number of variables (leaves); variable ``i`` is tested before ``i + 1``.

    Notes
    -----
    Nodes are integers; the children of a node always have smaller numbers, so evaluating the
    nodes in increasing order is a valid bottom-up order. Operations are memoised
    (Bryant 1986). Recursion depth is at most ``nvars``.

    References
    ----------
    .. [1] R. E. Bryant, "Graph-based algorithms for Boolean function manipulation", IEEE Trans.
       Computers C-35(8), pp. 677–691, 1986.
    .. [2] M. Rausand, A. Høyland, *System Reliability Theory*, 2nd ed., Wiley, 2004, ch. 4
       (pivotal decomposition) and ch. 5 (importance).

    Examples
    --------
    Bridge: paths {1, 3}, {2, 4}, {1, 5, 4}, {2, 5, 3} (0-based leaves 0..4), all A = 0.9.

    >>> b = BDD(5)
    >>> x = [b.var(i) for i in range(5)]
    >>> paths = [(0, 2), (1, 3), (0, 4, 3), (1, 4, 2)]
    >>> f = FALSE
    >>> for p in paths:
    ...     g = TRUE
    ...     for i in p:
    ...         g = b.and_(g, x[i])
    ...     f = b.or_(f, g)
    >>> up, down = b.probability(f, [0.9] * 5, [0.1] * 5)
    >>> round(up, 6), round(down, 6)
    (0.97848, 0.02152)
    """

    def __init__(self, nvars: int) -> None:
        self.nvars = nvars
        self._var = [nvars, nvars]
        self._lo = [0, 1]
        self._hi = [0, 1]
        self._unique: dict[tuple[int, int, int], int] = {}
        self._ite: dict[tuple[int, int, int], int] = {}

    def __len__(self) -> int:
        return len(self._var)

    def level(self, f: int) -> int:
        """Variable tested at node ``f`` (``nvars`` for a terminal)."""
        return self._var[f]

    def mk(self, v: int, lo: int, hi: int) -> int:
        """Return the node testing ``v`` with children ``lo`` (v down) and ``hi`` (v up)."""
        if lo == hi:
            return lo
        key = (v, lo, hi)
        node = self._unique.get(key)
        if node is None:
            node = len(self._var)
            self._var.append(v)
            self._lo.append(lo)
            self._hi.append(hi)
            self._unique[key] = node
        return node

    def var(self, i: int) -> int:
        """Return the function :math:`x_i`."""
        return self.mk(i, FALSE, TRUE)

    def _cof(self, f: int, v: int) -> tuple[int, int]:
        if self._var[f] == v:
            return self._lo[f], self._hi[f]
        return f, f

    def ite(self, f: int, g: int, h: int) -> int:
        """If-then-else: ``f ? g : h``."""
        if f == TRUE:
            return g
        if f == FALSE:
            return h
        if g == h:
            return g
        if g == TRUE and h == FALSE:
            return f
        key = (f, g, h)
        r = self._ite.get(key)
        if r is not None:
            return r
        v = min(self._var[f], self._var[g], self._var[h])
        f0, f1 = self._cof(f, v)
        g0, g1 = self._cof(g, v)
        h0, h1 = self._cof(h, v)
        r = self.mk(v, self.ite(f0, g0, h0), self.ite(f1, g1, h1))
        self._ite[key] = r
        return r

    def and_(self, f: int, g: int) -> int:
        """Conjunction."""
        return self.ite(f, g, FALSE)

    def or_(self, f: int, g: int) -> int:
        """Disjunction."""
        return self.ite(f, TRUE, g)

    def not_(self, f: int) -> int:
        """Negation."""
        return self.ite(f, FALSE, TRUE)

    def at_least(self, k: int, fs: Sequence[int]) -> int:
        r"""Threshold function: at least ``k`` of the functions ``fs`` are true.

        Built by the recursion :math:`T(i, m) = f_i\,T(i+1, m-1) + \bar f_i\,T(i+1, m)`,
        :math:`O(nk)` ``ite`` calls.
        """
        n = len(fs)
        # row[m] = T(i, m) for the current i, m = 0..k
        row = [TRUE] + [FALSE] * k
        for i in range(n - 1, -1, -1):
            new = [TRUE]
            for m in range(1, k + 1):
                new.append(self.ite(fs[i], row[m - 1], row[m]))
            row = new
        return row[k]

    def restrict(self, f: int, v: int, value: bool) -> int:
        """Cofactor :math:`f|_{x_v = value}`."""
        memo: dict[int, int] = {}

        def rec(g: int) -> int:
            if self._var[g] > v:
                return g
            r = memo.get(g)
            if r is not None:
                return r
            if self._var[g] == v:
                r = self._hi[g] if value else self._lo[g]
            else:
                r = self.mk(self._var[g], rec(self._lo[g]), rec(self._hi[g]))
            memo[g] = r
            return r

        return rec(f)

    def critical(self, f: int, v: int) -> int:
        r"""States of the other leaves in which leaf ``v`` is critical.

        For a coherent (monotone) :math:`\varphi`:
        :math:`\varphi(1_v, x)\wedge\lnot\varphi(0_v, x)`; its probability is the Birnbaum
        importance, obtained without subtracting two probabilities.
        """
        return self.and_(self.restrict(f, v, True), self.not_(self.restrict(f, v, False)))

    def lower_closure(self, f: int) -> int:
        r"""States that have at most the leaves up of some state of ``f``.

        :math:`\exists x' \ge x: f(x')` (componentwise, 1 = up). Applied to :meth:`critical`
        it gives the event "some minimal cut set containing leaf v has all its other members
        down", used for the cut-set Fussell–Vesely importance.
        """
        memo: dict[int, int] = {}

        def rec(g: int) -> int:
            if g <= TRUE:
                return g
            r = memo.get(g)
            if r is not None:
                return r
            hi = rec(self._hi[g])
            r = self.mk(self._var[g], self.or_(hi, rec(self._lo[g])), hi)
            memo[g] = r
            return r

        return rec(f)

    def reachable(self, f: int) -> list[int]:
        """Non-terminal nodes reachable from ``f``, in increasing (bottom-up) order."""
        seen: set[int] = set()
        stack = [f]
        while stack:
            g = stack.pop()
            if g <= TRUE or g in seen:
                continue
            seen.add(g)
            stack.append(self._lo[g])
            stack.append(self._hi[g])
        return sorted(seen)

    def probability(self, f: int, a: Sequence[Any], u: Sequence[Any]) -> tuple[Any, Any]:
        r"""P(f true) and P(f false) for independent variables.

        Parameters
        ----------
        f : int
            Root node.
        a, u : sequence of float or ndarray
            P(variable up) and P(variable down) per variable, each computed directly by the
            caller; arrays broadcast (e.g. over time points).

        Returns
        -------
        (up, down)
            Both as sums of products of the inputs, no subtraction.
        """
        if f <= TRUE:
            return float(f), float(1 - f)
        up: dict[int, Any] = {FALSE: 0.0, TRUE: 1.0}
        down: dict[int, Any] = {FALSE: 1.0, TRUE: 0.0}
        for g in self.reachable(f):
            v, lo, hi = self._var[g], self._lo[g], self._hi[g]
            up[g] = a[v] * up[hi] + u[v] * up[lo]
            down[g] = a[v] * down[hi] + u[v] * down[lo]
        return up[f], down[f]

    def log_probability(
        self, f: int, log_a: Sequence[float], log_u: Sequence[float]
    ) -> tuple[float, float]:
        r"""Return the natural logarithms of P(f true) and P(f false).

        For probabilities below the double range (a parallel system of many very reliable
        blocks: :math:`U = \prod_i U_i`). The same pass as :meth:`probability`, each sum of
        products taken as
        :math:`\log(e^x + e^y)`: no underflow, no subtraction.

        Examples
        --------
        >>> bdd = BDD(2)
        >>> f = bdd.or_(bdd.var(0), bdd.var(1))  # parallel: down only if both are down
        >>> lu = math.log(1e-200)
        >>> round(bdd.log_probability(f, [0.0, 0.0], [lu, lu])[1] / math.log(10), 6)
        -400.0
        """
        if f <= TRUE:
            return math.log(float(f)) if f else -math.inf, 0.0 if not f else -math.inf
        up: dict[int, float] = {FALSE: -math.inf, TRUE: 0.0}
        down: dict[int, float] = {FALSE: 0.0, TRUE: -math.inf}
        for g in self.reachable(f):
            v, lo, hi = self._var[g], self._lo[g], self._hi[g]
            up[g] = _log_add(log_a[v] + up[hi], log_u[v] + up[lo])
            down[g] = _log_add(log_a[v] + down[hi], log_u[v] + down[lo])
        return up[f], down[f]

    def support(self, f: int) -> set[int]:
        """Variables that ``f`` depends on."""
        return {self._var[g] for g in self.reachable(f)}
