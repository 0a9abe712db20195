r"""Reliability block diagrams: ``series``, ``parallel``, ``k_of_n`` over shared leaves (layer 2).

A diagram is a tree of ``series``/``parallel``/``k_of_n``/``network`` nodes whose leaves are blocks
(:class:`~availcalc.reliability.Component`, :class:`~availcalc.reliability.KofN`,
:class:`~availcalc.reliability.ActivePassive`, :class:`~availcalc.reliability.NLBPool`,
:class:`~availcalc.reliability.MarkovModel`). Leaves are independent binary-state subsystems,
each with its own repair. **A leaf object used in several places is one physical leaf**
(identity by object): the structure function is a BDD over the distinct leaves, so shared
components and non-series-parallel structures (the bridge) are evaluated exactly. A
``network`` node is a two-terminal network whose links are blocks (:func:`network`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, reduce
from numbers import Integral

import numpy as np
import scipy.sparse as sp

from availcalc._validation import _short, check_choice, check_type, sequence
from availcalc.reliability._base import _SMALLEST_EXACT, Block, Structure, _log_leaves
from availcalc.reliability.blocks import _count
from availcalc.reliability.chain import (
    DENSE_UP_CHAIN_MAX,
    Chain,
    UpChain,
    chain_mttf,
    chain_reliability,
    chain_unreliability,
    up_chain,
)
from availcalc.reliability.markov import MTTF_GTH_MAX_STATES, StateSpaceTooLarge
from availcalc.reliability.structure import BDD, FALSE, TRUE, _breadth_first_links, _log_add

__all__ = [
    "MAX_EDGES",
    "NETWORK_MAX_STATES",
    "PRODUCT_MAX_STATES",
    "Diagram",
    "k_of_n",
    "network",
    "parallel",
    "series",
]

#: Largest product state space built for the MTTF and reliability of a diagram (its up-chain
#: must then have at most ``MTTF_GTH_MAX_STATES`` states).
PRODUCT_MAX_STATES = 200_000
#: Largest number of distinct leaves in one diagram (BDD recursion depth).
MAX_LEAVES = 500
#: Largest number of links of a :func:`network`.
MAX_EDGES = 200
#: Most frontier states built for the structure function of one :func:`network` (an 8 x 8
#: grid needs 8.5e4, about 0.5 s); a wider network raises ``StateSpaceTooLarge``.
NETWORK_MAX_STATES = 100_000

_KINDS = ("series", "parallel", "k_of_n", "network")

#: A node of a network: a string or an integer.
Node = str | int
_GL_X, _GL_W = np.polynomial.legendre.leggauss(20)


def _check_blocks(blocks: Sequence[object]) -> tuple[Block, ...]:
    blocks = tuple(sequence("blocks", blocks, min_size=0))
    if not blocks:
        raise ValueError("blocks must contain at least one block; got an empty diagram")
    for i, b in enumerate(blocks):
        check_type(
            f"blocks[{i}]",
            b,
            Block,
            "a Component, KofN, ActivePassive, NLBPool, Standby, MarkovModel or a diagram",
        )
    return blocks


def _check_node(name: str, x: object) -> Node:
    """Return a node label: a string or an integer (not a bool)."""
    if isinstance(x, str):
        return x
    if isinstance(x, Integral) and not isinstance(x, bool):
        return int(x)
    raise ValueError(f"{name} must be a node label (a string or an integer); got {_short(x)}")


def _check_links(name: str, links: object, count: int) -> tuple[tuple[Node, Node], ...]:
    """Return ``count`` checked (node, node) pairs of different nodes."""
    items = sequence(name, links, min_size=0)
    if len(items) != count:
        raise ValueError(
            f"{name} must have one (node_u, node_v) pair per block ({count}); got {len(items)}"
        )
    out = []
    for i, pair in enumerate(items):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"{name}[{i}] must be a (node_u, node_v) pair; got {_short(pair)}")
        u = _check_node(f"{name}[{i}][0]", pair[0])
        v = _check_node(f"{name}[{i}][1]", pair[1])
        if u == v:
            raise ValueError(
                f"{name}[{i}] joins node {_short(u)} to itself; a link must join two "
                "different nodes"
            )
        out.append((u, v))
    return tuple(out)


def _check_terminals(
    links: tuple[tuple[Node, Node], ...], source: object, target: object, names: tuple[str, str]
) -> tuple[Node, Node]:
    """Return (source, target): different nodes of the links, joined by some path."""
    s = _check_node(names[0], source)
    t = _check_node(names[1], target)
    adj: dict[Node, list[Node]] = {}
    for u, v in links:
        adj.setdefault(u, []).append(v)
        adj.setdefault(v, []).append(u)
    for name, x in zip(names, (s, t), strict=True):
        if x not in adj:
            raise ValueError(
                f"{name} must be a node of some link (one of {_short(list(adj))}); got {_short(x)}"
            )
    if s == t:
        raise ValueError(f"{names[1]} must differ from {names[0]}; got {_short(t)} for both")
    seen = {s}
    queue = [s]
    for x in queue:
        for y in adj[x]:
            if y not in seen:
                seen.add(y)
                queue.append(y)
    if t not in seen:
        raise ValueError(
            f"{names[1]} must be joined to {names[0]} {_short(s)} by a path of links (else the "
            f"system is never up); got {_short(t)}, in another part of the network"
        )
    return s, t


@dataclass(frozen=True, eq=False, repr=False)
class Diagram(Block):
    r"""A series, parallel, k-of-n or two-terminal network node of a reliability block diagram.

    Build it with :func:`series`, :func:`parallel`, :func:`k_of_n` or :func:`network`.

    Parameters
    ----------
    kind : {"series", "parallel", "k_of_n", "network"}
        Node type.
    k : int
        Children needed up (``len(blocks)`` for series, 1 for parallel and network).
    blocks : tuple of blocks
        Children: blocks or diagrams (for a network, the block of each link, in the order of
        ``links``; a block in several links is one physical leaf).
    name : str or None
        Optional label (used in ``repr``).
    links : tuple of (node, node) pairs, optional
        Network only: the two end nodes of each block's (undirected) link; nodes are strings
        or integers. ``None`` for the other kinds.
    terminals : (node, node), optional
        Network only: ``(source, target)``. ``None`` for the other kinds.

    Notes
    -----
    With independent leaves of availability :math:`A_i`, unavailability :math:`U_i`
    (each computed directly) and failure frequency :math:`\omega_i`:

    .. math::

        A_s = \varphi(A_1, \dots, A_L)\ \text{(BDD, pairs } (A, U)\text{ propagated)},\quad
        \omega_s = \sum_i I_B(i)\,\omega_i,\quad
        A_s(t) = \varphi(A_1(t), \dots, A_L(t)).

    :math:`I_B(i)` is the probability that leaf *i* is critical [1]_, [2]_. MTTF,
    :math:`R(t)` and :math:`F(t) = 1 - R(t)` (the mass absorbed in the down set, computed
    directly) come from the product CTMC of the leaves restricted to the system-up states
    reachable from all-up: a series node of children without common leaves is the Kronecker
    sum of its children's up-chains (so a long series stays small); any other node builds the
    product of its leaves' chains, limited to :data:`PRODUCT_MAX_STATES` states; the up-chain
    so built may have at most ``MTTF_GTH_MAX_STATES`` (1000) states, solved by GTH (a sparse
    LU loses every digit of the MTTF of a stiff chain), else both raise
    :class:`~availcalc.reliability.StateSpaceTooLarge` at once. Interval
    availability integrates :math:`A_s(t)` by Gauss–Legendre on geometrically graded panels
    (the shortest time constant first), with absolute error far below 1e-12.

    References
    ----------
    .. [1] M. Rausand, A. Høyland, *System Reliability Theory*, 2nd ed., Wiley, 2004, ch. 4
       (structure functions, pivotal decomposition) and ch. 5 (Birnbaum importance).
    .. [2] R. Billinton, R. N. Allan, *Reliability Evaluation of Engineering Systems*, 2nd ed.,
       Plenum, 1992, ch. 9 (frequency and duration of series/parallel systems).
    """

    kind: str
    k: int
    blocks: tuple[Block, ...]
    name: str | None = None
    links: tuple[tuple[Node, Node], ...] | None = field(default=None, kw_only=True)
    terminals: tuple[Node, Node] | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        check_choice("kind", self.kind, _KINDS)
        object.__setattr__(self, "blocks", _check_blocks(self.blocks))
        object.__setattr__(self, "k", _count("k", self.k, maximum=len(self.blocks)))
        self._check_network()
        if self.name is not None:
            check_type("name", self.name, str, "a string or None")
        leaves = self.leaves
        if len(leaves) > MAX_LEAVES:
            raise ValueError(
                f"a diagram may have at most {MAX_LEAVES} distinct leaves; got {len(leaves)} "
                "(use KofN for many identical units)"
            )
        seen: dict[str, Block] = {}
        for leaf in leaves:
            other = seen.setdefault(leaf.name, leaf)
            if other is not leaf:
                raise ValueError(
                    f"two different blocks are both named {leaf.name!r}; give each physical "
                    "component its own name (reuse the same object for a shared component)"
                )
        if self.kind == "network":  # a network too wide for its BDD fails here, not later
            _ = self._structure_cached

    def _check_network(self) -> None:
        """Check ``links``/``terminals``: given for a network, ``None`` for the other kinds."""
        if self.kind != "network":
            for attr in ("links", "terminals"):
                if getattr(self, attr) is not None:
                    raise ValueError(
                        f"{attr} must be None for a {self.kind} diagram (only a network has "
                        f"them); got {_short(getattr(self, attr))}"
                    )
            return
        if len(self.blocks) > MAX_EDGES:
            raise ValueError(
                f"blocks of a network must be at most {MAX_EDGES} links; got {len(self.blocks)}"
            )
        if self.k != 1:
            raise ValueError(f"k must be 1 for a network; got {self.k}")
        links = _check_links("links", self.links, len(self.blocks))
        terminals = self.terminals
        if not isinstance(terminals, (tuple, list)) or len(terminals) != 2:
            raise ValueError(f"terminals must be a (source, target) pair; got {_short(terminals)}")
        terminals = _check_terminals(links, *terminals, names=("terminals[0]", "terminals[1]"))
        object.__setattr__(self, "links", links)
        object.__setattr__(self, "terminals", terminals)

    def __repr__(self) -> str:
        inner = ", ".join(repr(b) for b in self.blocks)
        tail = "" if self.name is None else f", name={self.name!r}"
        if self.kind == "network":
            assert self.links is not None and self.terminals is not None
            triples = ", ".join(
                f"({u!r}, {v!r}, {b!r})" for (u, v), b in zip(self.links, self.blocks, strict=True)
            )
            source, target = self.terminals
            return f"network([{triples}], source={source!r}, target={target!r}{tail})"
        if self.kind == "k_of_n":
            return f"k_of_n({self.k}, [{inner}]{tail})"
        return f"{self.kind}({inner}{tail})"

    # ------------------------------------------------------------------ structure
    @cached_property
    def leaves(self) -> tuple[Block, ...]:
        """Distinct leaf blocks, in order of first appearance (depth first)."""
        out: dict[int, Block] = {}

        def walk(b: Block) -> None:
            if isinstance(b, Diagram):
                for c in b.blocks:
                    walk(c)
            else:
                out.setdefault(id(b), b)

        walk(self)
        return tuple(out.values())

    @cached_property
    def _built(self) -> tuple[Structure, dict[int, int], dict[int, frozenset[int]]]:
        leaves = self.leaves
        index = {id(b): i for i, b in enumerate(leaves)}
        bdd = BDD(len(leaves))
        roots: dict[int, int] = {}
        support: dict[int, frozenset[int]] = {}

        def build(b: Block) -> int:
            key = id(b)
            if not isinstance(b, Diagram):
                support[key] = frozenset([index[key]])
                return bdd.var(index[key])
            if key in roots:
                return roots[key]
            fs = [build(c) for c in b.blocks]
            if b.kind == "series":
                r = reduce(bdd.and_, fs, TRUE)
            elif b.kind == "parallel":
                r = reduce(bdd.or_, fs, FALSE)
            elif b.kind == "network":
                assert b.links is not None and b.terminals is not None
                ids: dict[Node, int] = {}
                ends = [
                    (ids.setdefault(u, len(ids)), ids.setdefault(v, len(ids))) for u, v in b.links
                ]
                s, t = (ids[x] for x in b.terminals)
                r = bdd.two_terminal(ends, fs, s, t, NETWORK_MAX_STATES)
            else:
                r = bdd.at_least(b.k, fs)
            roots[key] = r
            support[key] = frozenset().union(*(support[id(c)] for c in b.blocks))
            return r

        root = build(self)
        return Structure(leaves, bdd, root), roots, support

    def _structure(self) -> Structure:
        return self._built[0]

    # ------------------------------------------------------------------ steady state
    def _steady(self) -> tuple[float, float, float]:
        s = self._structure_cached
        vals = [leaf._steady_values for leaf in s.leaves]
        a = [v[0] for v in vals]
        u = [v[1] for v in vals]
        up, down = s.bdd.probability(s.root, a, u)
        omega = 0.0
        for i, v in enumerate(vals):
            if v[2] > 0.0:
                omega += float(s.bdd.probability(s.critical(i), a, u)[0]) * v[2]
        return float(up), float(down), omega

    # Below the double range (a parallel system of many very reliable blocks, U = prod U_i
    # < 1e-308) U and omega are taken from the leaves' logarithms, so that nines and the mean
    # down time U/omega stay exact where U and omega themselves are 0.
    def _log10_unavailability(self) -> float:
        u = self.unavailability
        if u > _SMALLEST_EXACT:
            return math.log10(u)
        s = self._structure_cached
        return s.bdd.log_probability(s.root, *_log_leaves(s))[1] / math.log(10.0)

    def _log10_failure_frequency(self) -> float:
        w = self.failure_frequency_per_h
        if w > _SMALLEST_EXACT:
            return math.log10(w)
        s = self._structure_cached
        log_a, log_u = _log_leaves(s)
        total = -math.inf
        for i, leaf in enumerate(s.leaves):  # omega = sum_i P(i critical) * omega_i
            lw = leaf._log10_failure_frequency()
            if lw > -math.inf:
                crit = s.bdd.log_probability(s.critical(i), log_a, log_u)[0]
                total = _log_add(total, crit + lw * math.log(10.0))
        return total / math.log(10.0)

    # ------------------------------------------------------------------ transient
    def _point(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s = self._structure_cached
        pts = [leaf._point(t) for leaf in s.leaves]
        up, down = s.bdd.probability(s.root, [p[0] for p in pts], [p[1] for p in pts])
        return np.broadcast_to(up, t.shape).copy(), np.broadcast_to(down, t.shape).copy()

    @cached_property
    def _up_chain(self) -> UpChain | None:
        uc = self._node_up_chain(self)
        if uc is not None and uc.size > MTTF_GTH_MAX_STATES:
            # Above it only a sparse LU remains, and an availability model is stiff: its MTTF
            # is many orders above the time constants and the LU loses every digit (measured:
            # 5.8e17 h for 10 components in parallel, whose MTTF is 1.0e29 h).
            raise StateSpaceTooLarge(
                f"the product chain of this diagram has {uc.size} up states (limit "
                f"{MTTF_GTH_MAX_STATES} for an exact MTTF and reliability) — evaluate its "
                "subsystems separately, use KofN for identical units, or model it as one "
                "MarkovModel"
            )
        return uc

    def _node_up_chain(self, node: Block) -> UpChain | None:
        structure, roots, support = self._built
        if not isinstance(node, Diagram):
            return node._up_chain
        kids = node.blocks
        disjoint = sum(len(support[id(c)]) for c in kids) == len(support[id(node)])
        if node.kind == "series" and disjoint:
            chains = [self._node_up_chain(c) for c in kids]
            if any(c is None for c in chains):
                return None
            size = math.prod(c.size for c in chains)
            if size > PRODUCT_MAX_STATES:
                raise StateSpaceTooLarge(_too_large(size))
            return reduce(_kron_up, chains)
        return _product_up_chain(structure, roots[id(node)], sorted(support[id(node)]))

    def _mttf(self) -> float:
        return chain_mttf(self._up_chain)

    def _reliability(self, t: np.ndarray) -> np.ndarray:
        return chain_reliability(self._up_chain, t)

    def _unreliability(self, t: np.ndarray) -> np.ndarray:
        # the absorbed mass of the same up-chain: a repairable leaf may fail and come back
        # before the system fails, so F_s(t) is not the structure function of the leaves' F_i
        return chain_unreliability(self._up_chain, t)

    @cached_property
    def _time_scales(self) -> tuple[float, list[np.ndarray]]:
        """Largest leaf exit rate, and leaf generator eigenvalues (small leaves only)."""
        top = 0.0
        eigs = []
        for leaf in self.leaves:
            ch = _leaf_chain(leaf)
            out = np.asarray(ch.rates.sum(axis=1)).ravel()
            top = max(top, float(out.max(initial=0.0)))
            if ch.size <= 200:
                dense = ch.rates.toarray()
                np.fill_diagonal(dense, -out)
                eigs.append(np.linalg.eigvals(dense))
        return top, eigs

    @cached_property
    def _settled_after(self) -> float:
        r"""Time after which every leaf's transient has decayed below :math:`e^{-60}` [h].

        :math:`60/d`, where :math:`d` is the slowest decay :math:`|\mathrm{Re}\,s|` among the
        leaves' non-zero generator eigenvalues (one zero eigenvalue per leaf: its limit); inf
        when a leaf is too large for its eigenvalues or has a second zero eigenvalue.
        """
        rate, eigs = self._time_scales
        if len(eigs) < len(self.leaves):
            return math.inf
        slowest = math.inf
        for ev in eigs:
            decay = np.sort(np.abs(ev.real))
            if decay.size > 1:
                slowest = min(slowest, float(decay[1]))
        if not slowest > 1e-12 * max(rate, 1e-300):
            return math.inf
        return 60.0 / slowest

    def _interval(self, t: np.ndarray) -> np.ndarray:
        r"""Interval availability :math:`\frac1t\int_0^t A(x)\,dx` by graded Gauss–Legendre.

        Past :attr:`_settled_after` (T) the point availability is its limit to
        :math:`e^{-60}`, so :math:`\int_T^t A = A(T)(t - T)` exactly enough, without
        quadrature nodes out to t (a horizon of 1e300 h took seconds).
        """
        rate, eigs = self._time_scales
        settled = self._settled_after
        nodes: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        owner: list[np.ndarray] = []
        for j, horizon in enumerate(t):
            if horizon == 0.0:
                continue
            x, w = _graded_rule(min(float(horizon), settled), rate, eigs)
            nodes.append(x)
            weights.append(w)
            owner.append(np.full(x.size, j))
        out = np.empty_like(t)
        zero = t == 0.0
        if zero.any():
            out[zero] = self._point(np.zeros(1))[0][0]
        if nodes:
            x = np.concatenate(nodes)
            a = self._point(x)[0] * np.concatenate(weights)
            sums = np.bincount(np.concatenate(owner), weights=a, minlength=t.size)
            late = t > settled
            if late.any():
                sums[late] += self._point(np.array([settled]))[0][0] * (t[late] - settled)
            out[~zero] = sums[~zero] / t[~zero]
        return out


def _leaf_chain(leaf: Block) -> Chain:
    chain = getattr(leaf, "chain", None)
    if chain is None:  # pragma: no cover - every built-in leaf has a chain
        raise TypeError(f"{leaf!r} has no Markov chain")
    return chain


def _too_large(size: int) -> str:
    return (
        f"the product state space would have {size} states (limit {PRODUCT_MAX_STATES}); "
        "MTTF and reliability of this diagram are not computed — evaluate its subsystems "
        "separately or model it as one MarkovModel"
    )


def _kron_up(a: UpChain, b: UpChain) -> UpChain:
    r"""Up-chain of two independent subsystems in series.

    Rates :math:`Q_A \oplus Q_B = Q_A \otimes I + I \otimes Q_B` (the generator of
    independent automata), exit rates :math:`e_A \otimes 1 + 1 \otimes e_B` [1]_.

    References
    ----------
    .. [1] W. J. Stewart, *Introduction to the Numerical Solution of Markov Chains*, Princeton
       University Press, 1994, ch. 9 (stochastic automata networks).
    """
    na, nb = a.size, b.size
    exit_ = np.add.outer(a.exit, b.exit).ravel()
    if na * nb <= DENSE_UP_CHAIN_MAX and not (sp.issparse(a.rates) or sp.issparse(b.rates)):
        # A ⊗ I + I ⊗ B written into the (i, k, j, l) view; both diagonals are zero.
        rates = np.zeros((na, nb, na, nb))
        rates[:, np.arange(nb), :, np.arange(nb)] = a.rates
        rates[np.arange(na), :, np.arange(na), :] += b.rates
        return UpChain(rates.reshape(na * nb, na * nb), exit_, a.init * nb + b.init)
    rates = (
        sp.kron(a.rates, sp.eye_array(nb), format="csr")
        + sp.kron(sp.eye_array(na), b.rates, format="csr")
    ).tocsr()
    return UpChain(rates, exit_, a.init * nb + b.init)


def _product_up_chain(structure: Structure, root: int, variables: list[int]) -> UpChain | None:
    """Up-chain of the full product of the given leaves' chains under the node ``root``."""
    chains = [_leaf_chain(structure.leaves[v]) for v in variables]
    sizes = [c.size for c in chains]
    total = math.prod(sizes)
    if total > PRODUCT_MAX_STATES:
        raise StateSpaceTooLarge(_too_large(total))
    rates = sp.csr_array((total, total))
    a: list[object] = [None] * structure.bdd.nvars
    u: list[object] = [None] * structure.bdd.nvars
    init = 0
    for pos, (v, c) in enumerate(zip(variables, chains, strict=True)):
        pre = math.prod(sizes[:pos])
        post = math.prod(sizes[pos + 1 :])
        rates = rates + sp.kron(
            sp.kron(sp.eye_array(pre), c.rates), sp.eye_array(post), format="csr"
        )
        shape = [1] * len(sizes)
        shape[pos] = c.size
        ind = np.broadcast_to(c.up.astype(float).reshape(shape), sizes).ravel()
        a[v] = ind
        u[v] = 1.0 - ind
        init = init * c.size + c.init
    up = np.asarray(structure.bdd.probability(root, a, u)[0]) > 0.5
    up = np.broadcast_to(up, (total,))
    return up_chain(Chain(tuple(range(total)), rates.tocsr(), up.copy(), init))


def _graded_rule(
    horizon: float, rate: float, eigs: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Legendre nodes/weights on [0, horizon], panels doubling from 1/rate.

    A panel [a, b] is split further if some leaf mode that has not yet decayed at ``a``
    (``|Re s| a < 50``) oscillates (``Im s``) too fast for 20 nodes.
    """
    h0 = horizon if rate <= 0.0 else min(horizon, 1.0 / rate)
    edges = [0.0]
    e = h0
    while e < horizon:
        edges.append(e)
        e *= 2.0
    edges.append(horizon)
    xs = []
    ws = []
    for a, b in itertools.pairwise(edges):
        omega = 0.0
        for ev in eigs:
            with np.errstate(over="ignore"):  # |Re s| a = inf is not < 50: decayed, rightly
                live = np.abs(ev.real) * a < 50.0
            if live.any():
                omega += float(np.abs(ev.imag[live]).max())
        m = int(min(10_000, max(1, math.ceil(omega * (b - a) / 8.0))))
        sub = np.linspace(a, b, m + 1)
        half = 0.5 * np.diff(sub)
        mid = 0.5 * (sub[:-1] + sub[1:])
        xs.append((mid[:, None] + half[:, None] * _GL_X[None, :]).ravel())
        ws.append((half[:, None] * _GL_W[None, :]).ravel())
    return np.concatenate(xs), np.concatenate(ws)


# ====================================================================== builders
def series(*blocks: Block, name: str | None = None) -> Diagram:
    r"""Series structure: up while every block is up.

    Parameters
    ----------
    *blocks : Block
        Components, Markov blocks or diagrams (at least one).
    name : str, optional
        Label for ``repr``.

    Returns
    -------
    Diagram

    Raises
    ------
    ValueError
        If no block is given, a child is not a block, or two different leaves share a name.

    Notes
    -----
    For independent leaves without repetition
    :math:`A = \prod A_i`, :math:`U = \sum_i U_i\prod_{j<i}A_j` (no :math:`1-A`),
    :math:`\omega = \sum_i \omega_i\prod_{j\ne i}A_j` [1]_.

    References
    ----------
    .. [1] M. Rausand, A. Høyland, *System Reliability Theory*, 2nd ed., Wiley, 2004, ch. 4.

    Examples
    --------
    >>> from availcalc.reliability import Component
    >>> s = series(Component("lb", 8760.0, 1.0), Component("db", 8760.0, 4.0))
    >>> round(s.unavailability, 9), round(s.mttf_h, 3)
    (0.000570503, 4380.0)
    """
    return Diagram("series", len(blocks), _check_blocks(blocks), name)


def parallel(*blocks: Block, name: str | None = None) -> Diagram:
    r"""Parallel (1-out-of-n) structure: up while at least one block is up.

    Parameters
    ----------
    *blocks : Block
        Components, Markov blocks or diagrams (at least one).
    name : str, optional
        Label for ``repr``.

    Returns
    -------
    Diagram

    Raises
    ------
    ValueError
        If no block is given, a child is not a block, or two different leaves share a name.

    Notes
    -----
    For independent leaves :math:`U = \prod U_i`, :math:`\omega = U\sum_i\mu_i` for
    two-state components [1]_. Four components with :math:`U_i = 10^{-4}` give exactly
    :math:`U = 10^{-16}` (``1 - A`` would give 1.1e-16).

    References
    ----------
    .. [1] R. Billinton, R. N. Allan, *Reliability Evaluation of Engineering Systems*, 2nd ed.,
       Plenum, 1992, ch. 9.

    Examples
    --------
    >>> from availcalc.reliability import Component
    >>> p = parallel(*(Component(f"h{i}", 9999.0, 1.0) for i in range(4)))
    >>> float(f"{p.unavailability:.15e}")
    1e-16
    """
    return Diagram("parallel", 1, _check_blocks(blocks), name)


def k_of_n(k: int, blocks: Iterable[Block], name: str | None = None) -> Diagram:
    r"""k-out-of-n structure over (possibly different) blocks: up while ``k`` are up.

    Parameters
    ----------
    k : int
        Blocks needed, :math:`1 \le k \le n`.
    blocks : iterable of Block
        The ``n`` blocks.
    name : str, optional
        Label for ``repr``.

    Returns
    -------
    Diagram

    Raises
    ------
    ValueError
        If ``blocks`` is empty or ``k`` is outside ``[1, n]``.

    Notes
    -----
    BDD of the threshold function :math:`T(i, m) = x_i T(i+1, m-1) + \bar x_i T(i+1, m)`,
    :math:`O(nk)` nodes; for distinct leaves this is the Poisson-binomial recursion [1]_.
    ``k = n`` is :func:`series`, ``k = 1`` is :func:`parallel`. For *identical* units with
    shared repair crews use :class:`~availcalc.reliability.KofN` instead.

    References
    ----------
    .. [1] M. Rausand, A. Høyland, *System Reliability Theory*, 2nd ed., Wiley, 2004, ch. 4
       (k-out-of-n structures).

    Examples
    --------
    >>> from availcalc.reliability import Component
    >>> hosts = [Component(f"h{i}", 1000.0 * (i + 1), 2.0) for i in range(3)]
    >>> round(k_of_n(2, hosts).availability, 9)
    0.999996013
    """
    blocks = _check_blocks(blocks)
    return Diagram("k_of_n", _count("k", k, maximum=len(blocks)), blocks, name)


def network(
    edges: Iterable[tuple[Node, Node, Block]],
    source: Node,
    target: Node,
    name: str | None = None,
) -> Diagram:
    r"""Two-terminal network: up while ``source`` and ``target`` are joined by links that are up.

    Parameters
    ----------
    edges : sequence of (node_u, node_v, block)
        The undirected links, 1 to :data:`MAX_EDGES` (200): their two end nodes (strings or
        integers, different) and the block whose state is the link's (a
        :class:`~availcalc.reliability.Component`, :class:`~availcalc.reliability.KofN`, any
        block or diagram). A block object in several links is **one** physical component,
        up or down in all of them at once, as everywhere in a diagram; two links between the
        same nodes are links in parallel.
    source, target : str or int
        The two terminals: different nodes of ``edges``, joined by some path of links.
    name : str, optional
        Label for ``repr``.

    Returns
    -------
    Diagram
        ``kind="network"``, its links kept in breadth-first order from ``source`` (the order
        of ``blocks``, ``links`` and ``repr``). Every measure of a diagram applies
        (availability, unavailability, failure frequency, MTTF, reliability, point and
        interval availability, importance, summary), and it can be a block of other diagrams.

    Raises
    ------
    ValueError
        If ``edges`` is empty, longer than 200 or not a sequence of (node, node, block)
        triples, a link joins a node to itself, a node is not a string or integer, ``source``
        or ``target`` is not a node of ``edges``, they are equal or not joined by any path,
        or two different leaves share a name.
    StateSpaceTooLarge
        If the structure function needs more than :data:`NETWORK_MAX_STATES` frontier
        states (a network wider than about an 8 x 8 grid).

    Notes
    -----
    Nodes are perfect (never fail); only the links' blocks do, independently. With
    :math:`x_e = 1` when the block of link *e* is up, the structure function and the
    two-terminal availability (reliability) are [1]_, [2]_

    .. math::

        \varphi(x) = \max_{P \in \mathcal P_{st}} \prod_{e \in P} x_e,\qquad
        A_{st} = P\bigl(s \text{ and } t \text{ connected through up links}\bigr)
        = P\bigl(\varphi(X) = 1\bigr),

    over the minimal *s*–*t* paths :math:`\mathcal P_{st}`. :math:`\varphi` is built as a
    BDD over the distinct leaves by the frontier construction of
    :meth:`~availcalc.reliability.structure.BDD.two_terminal` [3]_ (no path or cut set is
    enumerated), so :math:`A_{st}` and :math:`U_{st}` are each a sum of products of the
    leaves' :math:`A_i`, :math:`U_i` (no :math:`1 - A`). For the bridge (links
    *s-a*, *s-b*, *a-t*, *b-t* and *a-b*) with equal link availabilities *p*, pivotal
    decomposition on *a-b* gives :math:`A = 2p^2 + 2p^3 - 5p^4 + 2p^5` [2]_, and the
    bridge being self-dual, :math:`U = 2q^2 + 2q^3 - 5q^4 + 2q^5` with :math:`q = 1 - p`.
    Time is in hours as for every block; the measures are those of :class:`Diagram`.

    References
    ----------
    .. [1] C. J. Colbourn, *The Combinatorics of Network Reliability*, Oxford University
       Press, 1987, ch. 1 (two-terminal reliability of a network with perfect nodes).
    .. [2] M. Rausand, A. Høyland, *System Reliability Theory*, 2nd ed., Wiley, 2004, ch. 3
       (structure functions, minimal path sets, the bridge structure) and ch. 4 (pivotal
       decomposition of the bridge).
    .. [3] G. Hardy, C. Lucet, N. Limnios, "K-terminal network reliability measures with
       binary decision diagrams", IEEE Trans. Reliability 56(3), pp. 506–515, 2007.

    Examples
    --------
    The bridge with five links of unavailability :math:`q = 10^{-3}` (MTTF 999 h, MTTR 1 h):
    :math:`U = 2q^2 + 2q^3 - 5q^4 + 2q^5 = 2.001995002 \cdot 10^{-6}`, to every digit.

    >>> from availcalc.reliability import Component
    >>> c = [Component(f"c{i}", 999.0, 1.0) for i in range(1, 6)]
    >>> bridge = network(
    ...     [("s", "a", c[0]), ("s", "b", c[1]), ("a", "t", c[2]), ("b", "t", c[3]),
    ...      ("a", "b", c[4])],
    ...     "s",
    ...     "t",
    ... )
    >>> float(f"{bridge.unavailability:.13g}")
    2.001995002e-06
    >>> bridge.importance()["birnbaum"].round(6)  # links in breadth-first order; a-b is c5
    component
    c1    0.001001
    c2    0.001001
    c5    0.000002
    c3    0.001001
    c4    0.001001
    Name: birnbaum, dtype: float64
    """
    items = sequence("edges", edges, min_size=0)
    if not items:
        raise ValueError(
            "edges must contain at least one (node_u, node_v, block) triple; got an empty network"
        )
    if len(items) > MAX_EDGES:
        raise ValueError(f"edges must have at most {MAX_EDGES} links; got {len(items)}")
    for i, e in enumerate(items):
        if not isinstance(e, (tuple, list)) or len(e) != 3:
            raise ValueError(
                f"edges[{i}] must be a (node_u, node_v, block) triple; got {_short(e)}"
            )
        check_type(
            f"edges[{i}][2]",
            e[2],
            Block,
            "a Component, KofN, ActivePassive, NLBPool, Standby, MarkovModel or a diagram",
        )
    links = _check_links("edges", [e[:2] for e in items], len(items))
    s, t = _check_terminals(links, source, target, names=("source", "target"))
    ids: dict[Node, int] = {}
    ends = [(ids.setdefault(u, len(ids)), ids.setdefault(v, len(ids))) for u, v in links]
    order = _breadth_first_links(ends, ids[s])
    return Diagram(
        "network",
        1,
        tuple(items[e][2] for e in order),
        name,
        links=tuple(links[e] for e in order),
        terminals=(s, t),
    )
