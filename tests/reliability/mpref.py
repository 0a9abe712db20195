"""High-precision (mpmath, 50 digits) references for the reliability tests.

Everything here is written independently of availcalc: the generators are built from the model
definitions (state lists and rates written out again), solved with mpmath's LU at 50 digits,
and the transients use ``mpmath.expm``. The closed forms are typed in from the textbooks
(Trivedi 2002 ch. 8; Rausand & Høyland 2004 ch. 4–5) and evaluated in mpmath too, so each
model has two independent references that must agree to ~1e-40 before the library is compared
with them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import mpmath as mp

mp.mp.dps = 50

S_PER_H = mp.mpf(3600)


# ---------------------------------------------------------------- generic CTMC in mpmath
class MpChain:
    """States 0..n-1, rates dict {(i, j): rate}, up set, initial state."""

    def __init__(self, n: int, rates: dict[tuple[int, int], object], up: set[int], init: int = 0):
        self.n = n
        self.rates = {k: mp.mpf(v) for k, v in rates.items() if mp.mpf(v) != 0}
        self.up = set(up)
        self.init = init

    def generator(self) -> mp.matrix:
        q = mp.matrix(self.n, self.n)
        for (i, j), r in self.rates.items():
            q[i, j] += r
            q[i, i] -= r
        return q

    def steady(self) -> list:
        """pi Q = 0, sum pi = 1: solve Q^T pi = 0 with the last equation replaced by sum = 1."""
        q = self.generator()
        n = self.n
        a = mp.matrix(n, n)
        for i in range(n):
            for j in range(n):
                a[i, j] = q[j, i]
        b = mp.matrix(n, 1)
        for j in range(n):
            a[n - 1, j] = 1
        b[n - 1] = 1
        x = mp.lu_solve(a, b)
        return [x[i] for i in range(n)]

    def measures(self) -> dict:
        pi = self.steady()
        down = [i for i in range(self.n) if i not in self.up]
        a = mp.fsum(pi[i] for i in self.up)
        u = mp.fsum(pi[i] for i in down)
        w = mp.fsum(
            pi[i] * r for (i, j), r in self.rates.items() if i in self.up and j not in self.up
        )
        return {"A": a, "U": u, "omega": w, "MUT": a / w, "MDT": u / w, "pi": pi}

    def _up_sub(self) -> tuple[list[int], mp.matrix]:
        ups = sorted(self.up)
        ix = {s: k for k, s in enumerate(ups)}
        m = mp.matrix(len(ups), len(ups))
        for (i, j), r in self.rates.items():
            if i in ix:
                m[ix[i], ix[i]] -= r
                if j in ix:
                    m[ix[i], ix[j]] += r
        return ups, m

    def mttf(self) -> mp.mpf:
        ups, m = self._up_sub()
        neg = -m
        tau = mp.lu_solve(neg, mp.matrix([1] * len(ups)))
        return tau[ups.index(self.init)]

    def reliability(self, t) -> mp.mpf:
        ups, m = self._up_sub()
        e = mp.expm(m * mp.mpf(t))
        i = ups.index(self.init)
        return mp.fsum(e[i, j] for j in range(len(ups)))

    def point(self, t, init: int | None = None) -> mp.mpf:
        init = self.init if init is None else init
        e = mp.expm(self.generator() * mp.mpf(t))
        return mp.fsum(e[init, j] for j in self.up)

    def interval(self, t, init: int | None = None) -> mp.mpf:
        """(1/t) int_0^t A(s) ds via the augmented generator."""
        init = self.init if init is None else init
        n = self.n
        q = self.generator()
        aug = mp.matrix(n + 1, n + 1)
        for i in range(n):
            for j in range(n):
                aug[i, j] = q[i, j]
            aug[i, n] = 1 if i in self.up else 0
        e = mp.expm(aug * mp.mpf(t))
        return e[init, n] / mp.mpf(t)


# ---------------------------------------------------------------- model generators
def component_chain(mttf, mttr, initially_up=True) -> MpChain:
    lam, mu = 1 / mp.mpf(mttf), 1 / mp.mpf(mttr)
    return MpChain(2, {(0, 1): lam, (1, 0): mu}, {0}, 0 if initially_up else 1)


def kofn_chain(n, k, mttf, mttr, crews=None) -> MpChain:
    """State i = failed units."""
    lam, mu = 1 / mp.mpf(mttf), 1 / mp.mpf(mttr)
    r = n if crews is None else min(crews, n)
    rates = {}
    for i in range(n + 1):
        if i < n:
            rates[(i, i + 1)] = (n - i) * lam
        if i > 0:
            rates[(i, i - 1)] = min(i, r) * mu
    return MpChain(n + 1, rates, {i for i in range(n + 1) if n - i >= k}, 0)


AP_NAMES = [
    "both_up",
    "switchover",
    "awaiting_manual_failover",
    "one_up_one_in_repair",
    "both_down",
]


def ap_chain(mttf, mttr, c, switch_s, manual_h, crews) -> tuple[MpChain, list[str]]:
    """Formula-sheet §5 chain; zero delays remove their state."""
    lam, mu = 1 / mp.mpf(mttf), 1 / mp.mpf(mttr)
    c = mp.mpf(c)
    r = min(crews, 2)
    names = ["both_up"]
    if switch_s > 0:
        names.append("switchover")
    if manual_h > 0:
        names.append("awaiting_manual_failover")
    names += ["one_up_one_in_repair", "both_down"]
    ix = {s: i for i, s in enumerate(names)}
    rates: dict = {}

    def add(a, b, v):
        rates[(ix[a], ix[b])] = rates.get((ix[a], ix[b]), 0) + v

    add("both_up", "one_up_one_in_repair", lam)
    if switch_s > 0:
        add("both_up", "switchover", c * lam)
        add("switchover", "one_up_one_in_repair", S_PER_H / mp.mpf(switch_s))
        add("switchover", "both_down", lam)
    else:
        add("both_up", "one_up_one_in_repair", c * lam)
    if manual_h > 0:
        add("both_up", "awaiting_manual_failover", (1 - c) * lam)
        add("awaiting_manual_failover", "one_up_one_in_repair", 1 / mp.mpf(manual_h))
        add("awaiting_manual_failover", "both_down", lam)
    else:
        add("both_up", "one_up_one_in_repair", (1 - c) * lam)
    add("one_up_one_in_repair", "both_up", mu)
    add("one_up_one_in_repair", "both_down", lam)
    add("both_down", "one_up_one_in_repair", r * mu)
    up = {ix["both_up"], ix["one_up_one_in_repair"]}
    return MpChain(len(names), rates, up, 0), names


def ap_node_chain(mttf, mttr, c, switch_s, manual_h) -> tuple[MpChain, list[str]]:
    """Two named nodes, each repaired by its own crew: a generic CTMC built from node rules.

    Unlike :func:`ap_chain` (the five lumped states with a crew count r), this chain keeps both
    nodes apart — which one is active and what each one is doing — and writes no crew count:
    every node in repair is repaired at μ on its own. States are ``(phase, active, s0, s1)``:
    phase ``"run"`` (the active node serves), ``"switch"`` / ``"manual"`` (an automatic /
    manual failover from the failed ``active`` to the other node), ``"down"`` (nothing up); a
    node is ``"up"``, ``"wait"`` (failed, its repair starts when the failover ends) or
    ``"rep"`` (in repair). Enumerated from the all-up state; returns the chain and, per state,
    the lumped name of :data:`AP_NAMES` it belongs to.
    """
    lam, mu, c = 1 / mp.mpf(mttf), 1 / mp.mpf(mttr), mp.mpf(c)
    delta = S_PER_H / mp.mpf(switch_s) if switch_s > 0 else None
    beta = 1 / mp.mpf(manual_h) if manual_h > 0 else None

    def put(st, node, status):
        s = list(st[2:])
        s[node] = status
        return (st[0], st[1], *s)

    def moves(st):
        phase, act = st[0], st[1]
        stat = st[2:]
        other = 1 - act
        out = []
        for node in (0, 1):  # every node in repair has its own crew
            if stat[node] == "rep":
                nxt = put(st, node, "up")
                if phase == "down":  # the first node repaired becomes active at once
                    nxt = ("run", node, *nxt[2:])
                out.append((nxt, mu))
        if phase == "run":
            if stat[other] == "up":
                out.append((put(st, other, "rep"), lam))  # the passive node fails
                # the active node fails: automatic failover (c) or manual (1 - c); a zero
                # delay is an instantaneous move to the other node
                for prob, rate in ((c, delta), (1 - c, beta)):
                    if rate is None:
                        out.append((("run", other, *put(st, act, "rep")[2:]), prob * lam))
                    else:
                        kind = "switch" if rate is delta else "manual"
                        out.append(((kind, act, *put(st, act, "wait")[2:]), prob * lam))
            else:  # the other node is in repair: the active node's failure is an outage
                out.append((("down", act, *put(st, act, "rep")[2:]), lam))
        elif phase in ("switch", "manual"):
            rate = delta if phase == "switch" else beta
            out.append((("run", other, *put(st, act, "rep")[2:]), rate))  # failover done
            both = ("down", act, "rep", "rep")
            out.append((both, lam))  # the surviving node fails during the failover
        return out

    start = ("run", 0, "up", "up")
    states, todo, edges = [start], [start], []
    while todo:
        st = todo.pop()
        for nxt, rate in moves(st):
            if rate == 0:
                continue
            if nxt not in states:
                states.append(nxt)
                todo.append(nxt)
            edges.append((st, nxt, rate))
    ix = {st: i for i, st in enumerate(states)}
    rates: dict = {}
    for a, b, v in edges:
        rates[(ix[a], ix[b])] = rates.get((ix[a], ix[b]), 0) + v

    def lumped(st):
        if st[0] == "run":
            return "both_up" if st[2:] == ("up", "up") else "one_up_one_in_repair"
        return {"switch": "switchover", "manual": "awaiting_manual_failover"}.get(
            st[0], "both_down"
        )

    up = {ix[st] for st in states if st[0] == "run"}
    return MpChain(len(states), rates, up, 0), [lumped(st) for st in states]


def nlb_chain(
    nodes, needed, mttf, mttr, window_s, crews=None, scope="failed_node"
) -> tuple[MpChain, list]:
    """Formula-sheet §6 chain on (i failed, in the window after a failure).

    ``scope="whole_pool"``: the window ends at 1/w. ``"failed_node"``: the failed node's share
    1/(nodes up before) lost for w, as an equivalent whole-pool outage of w/(n - i + 1).
    """
    lam, mu = 1 / mp.mpf(mttf), 1 / mp.mpf(mttr)
    n, k = nodes, needed
    r = n if crews is None else min(crews, n)
    conv = window_s > 0 and n - 1 >= k
    states = [(i, 0) for i in range(n + 1)]
    if conv:
        states += [(i, 1) for i in range(n - k + 1)]
    ix = {s: j for j, s in enumerate(states)}
    rates: dict = {}
    for i, f in states:
        if i < n:
            to = (i + 1, 1 if (conv and n - i - 1 >= k) else 0)
            rates[(ix[(i, f)], ix[to])] = (n - i) * lam
        if i > 0:
            rates[(ix[(i, f)], ix[(i - 1, f)])] = min(i, r) * mu
        if f:
            share = 1 if scope == "whole_pool" else mp.mpf(1) / (n - i + 1)
            rates[(ix[(i, f)], ix[(i, 0)])] = S_PER_H / (mp.mpf(window_s) * share)
    up = {ix[s] for s in states if s[1] == 0 and n - s[0] >= k}
    return MpChain(len(states), rates, up, 0), states


def nlb_served_fraction(nodes, needed, mttf, mttr, window_s, crews=None):
    """Fraction of requests an NLB pool serves, by the mechanism itself (a reward model).

    States (i failed, u): u = 0 outside a window, else the nodes up just before the failure
    that opened it; the window lasts w (exponential), repairs and failures go on meanwhile (a
    new failure opens a new window); the reward is 1 when up, 1 - 1/u in a window (the failed
    node's share is lost, the survivors serve theirs), 0 with fewer than k nodes up.
    """
    lam, mu = 1 / mp.mpf(mttf), 1 / mp.mpf(mttr)
    n, k = nodes, needed
    r = n if crews is None else min(crews, n)
    states = [(i, 0) for i in range(n + 1)]
    states += [(i, u) for u in range(k + 1, n + 1) for i in range(n - k + 1)]
    ix = {s: j for j, s in enumerate(states)}
    rates: dict = {}
    for i, u in states:
        if i < n:
            to = (i + 1, n - i if n - i - 1 >= k else 0)
            rates[(ix[(i, u)], ix[to])] = (n - i) * lam
        if i > 0:
            rates[(ix[(i, u)], ix[(i - 1, u)])] = min(i, r) * mu
        if u:
            rates[(ix[(i, u)], ix[(i, 0)])] = S_PER_H / mp.mpf(window_s)
    ch = MpChain(len(states), rates, set(), 0)
    pi = ch.steady()
    served = mp.mpf(0)
    for (i, u), p in zip(states, pi, strict=True):
        if n - i >= k:
            served += p * (1 - (mp.mpf(1) / u if u else 0))
    return served


def product_chain(chains: Sequence[MpChain], structure: Callable[[tuple[bool, ...]], bool]):
    """Joint CTMC of independent chains; up iff structure(tuple of leaf-up flags)."""
    sizes = [c.n for c in chains]
    states = list(itertools.product(*(range(s) for s in sizes)))
    ix = {s: i for i, s in enumerate(states)}
    rates: dict = {}
    for s in states:
        for pos, c in enumerate(chains):
            for (a, b), r in c.rates.items():
                if s[pos] == a:
                    t = list(s)
                    t[pos] = b
                    key = (ix[s], ix[tuple(t)])
                    rates[key] = rates.get(key, 0) + r
    up = {ix[s] for s in states if structure(tuple(s[p] in c.up for p, c in enumerate(chains)))}
    init = ix[tuple(c.init for c in chains)]
    return MpChain(len(states), rates, up, init)


# ---------------------------------------------------------------- closed forms (mpmath)
def cf_component(mttf, mttr):
    f, r = mp.mpf(mttf), mp.mpf(mttr)
    return {"A": f / (f + r), "U": r / (f + r), "omega": 1 / (f + r), "MUT": f, "MDT": r}


def cf_component_point(mttf, mttr, t, up=True):
    lam, mu, t = 1 / mp.mpf(mttf), 1 / mp.mpf(mttr), mp.mpf(t)
    s = lam + mu
    if up:
        return mu / s + lam / s * mp.exp(-s * t)
    return mu / s * (1 - mp.exp(-s * t))


def cf_component_interval(mttf, mttr, t):
    lam, mu, t = 1 / mp.mpf(mttf), 1 / mp.mpf(mttr), mp.mpf(t)
    s = lam + mu
    return mu / s + lam / (s**2 * t) * (1 - mp.exp(-s * t))


def cf_kofn_weights(n, k, mttf, mttr, crews):
    """p_i = C(n,i) rho^i (i <= r), C(n,i) i!/(r! r^(i-r)) rho^i (i > r)."""
    rho = mp.mpf(mttr) / mp.mpf(mttf)
    r = min(crews, n)
    p = []
    for i in range(n + 1):
        if i <= r:
            p.append(mp.binomial(n, i) * rho**i)
        else:
            p.append(
                mp.binomial(n, i) * mp.factorial(i) / (mp.factorial(r) * r ** (i - r)) * rho**i
            )
    return p


def cf_kofn(n, k, mttf, mttr, crews):
    p = cf_kofn_weights(n, k, mttf, mttr, crews)
    tot = mp.fsum(p)
    m = n - k
    lam = 1 / mp.mpf(mttf)
    u = mp.fsum(p[m + 1 :]) / tot
    a = mp.fsum(p[: m + 1]) / tot
    w = p[m] / tot * k * lam
    mttf_sys = mp.fsum(mp.fsum(p[: j + 1]) / ((n - j) * lam * p[j]) for j in range(m + 1))
    return {"A": a, "U": u, "omega": w, "MUT": a / w, "MDT": u / w, "MTTF": mttf_sys}


def cf_binomial_kofn(n, k, mttf, mttr):
    """Independent repair (binomial).

    A = sum_{i>=k} C(n,i) Ac^i Uc^(n-i), omega = C(n,k) k Ac^k Uc^(n-k) lam.
    """
    f, r = mp.mpf(mttf), mp.mpf(mttr)
    ac, uc = f / (f + r), r / (f + r)
    a = mp.fsum(mp.binomial(n, i) * ac**i * uc ** (n - i) for i in range(k, n + 1))
    u = mp.fsum(mp.binomial(n, i) * ac**i * uc ** (n - i) for i in range(0, k))
    w = mp.binomial(n, k) * k * ac**k * uc ** (n - k) / f
    return {"A": a, "U": u, "omega": w}


def cf_1of2_u(mttf, mttr, crews):
    rho = mp.mpf(mttr) / mp.mpf(mttf)
    if crews == 1:
        return 2 * rho**2 / (1 + 2 * rho + 2 * rho**2)
    return rho**2 / (1 + rho) ** 2


def cf_1of3_one_crew_u(mttf, mttr):
    rho = mp.mpf(mttr) / mp.mpf(mttf)
    return 6 * rho**3 / (1 + 3 * rho + 6 * rho**2 + 6 * rho**3)


def cf_1of2_mttf(mttf, mttr):
    lam, mu = 1 / mp.mpf(mttf), 1 / mp.mpf(mttr)
    return (3 * lam + mu) / (2 * lam**2)


def cf_1of2_reliability(mttf, mttr, t):
    lam, mu, t = 1 / mp.mpf(mttf), 1 / mp.mpf(mttr), mp.mpf(t)
    disc = mp.sqrt(lam**2 + 6 * lam * mu + mu**2)
    a1 = ((3 * lam + mu) + disc) / 2
    a2 = ((3 * lam + mu) - disc) / 2
    return (a1 * mp.exp(-a2 * t) - a2 * mp.exp(-a1 * t)) / (a1 - a2)


def cf_2of3_mttf(mttf, mttr):
    lam, mu = 1 / mp.mpf(mttf), 1 / mp.mpf(mttr)
    return (5 * lam + mu) / (6 * lam**2)


def cf_ap(mttf, mttr, c, switch_s, manual_h, crews):
    """Formula sheet §5 product form a1..a4."""
    lam, mu, c = 1 / mp.mpf(mttf), 1 / mp.mpf(mttr), mp.mpf(c)
    r = min(crews, 2)
    a1 = c * lam / (S_PER_H / mp.mpf(switch_s) + lam) if switch_s > 0 else mp.mpf(0)
    a2 = (1 - c) * lam / (1 / mp.mpf(manual_h) + lam) if manual_h > 0 else mp.mpf(0)
    a3 = 2 * lam / mu
    a4 = lam * (a1 + a2 + a3) / (r * mu)
    pi0 = 1 / (1 + a1 + a2 + a3 + a4)
    u = (a1 + a2 + a4) * pi0
    a = (1 + a3) * pi0
    alpha = (c if switch_s > 0 else 0) + ((1 - c) if manual_h > 0 else 0)
    w = lam * (alpha * pi0 + a3 * pi0)
    return {"A": a, "U": u, "omega": w, "MUT": a / w, "MDT": u / w}


def cf_nlb(nodes, needed, mttf, mttr, window_s, crews=None, scope="failed_node"):
    """Formula sheet §6 reduced solution: marginal pi_i (birth-death) and the x_i recursion."""
    n, k = nodes, needed
    r = n if crews is None else min(crews, n)
    lam, mu = 1 / mp.mpf(mttf), 1 / mp.mpf(mttr)

    def gamma(i):
        return S_PER_H / mp.mpf(window_s) * (1 if scope == "whole_pool" else n - i + 1)

    p = cf_kofn_weights(n, k, mttf, mttr, r)
    tot = mp.fsum(p)
    pi = [v / tot for v in p]
    m = n - k

    def b(i):
        return (n - i) * lam

    def d(i):
        return min(i, r) * mu

    x = [mp.mpf(0)] * (m + 2)
    for i in range(m, -1, -1):
        src = pi[i - 1] * b(i - 1) if i >= 1 else 0
        x[i] = (src + d(i + 1) * x[i + 1]) / (b(i) + d(i) + gamma(i))
    u = mp.fsum(x[: m + 1]) + mp.fsum(pi[m + 1 :])
    a = mp.fsum(pi[i] - x[i] for i in range(m + 1))
    w = mp.fsum((pi[i] - x[i]) * b(i) for i in range(m + 1))
    return {"A": a, "U": u, "omega": w, "MUT": a / w, "MDT": u / w}


def rel(x, ref) -> float:
    """Relative error |x - ref| / |ref| (absolute if ref == 0), as a float."""
    ref = mp.mpf(ref)
    if ref == 0:
        return float(abs(mp.mpf(x)))
    return float(abs((mp.mpf(x) - ref) / ref))


def one_active_unit_chain(n, mttf, mttr, rho, c, switch_s, manual_h, crews) -> MpChain:
    """n named units, one active, FIFO repair crews: a generic CTMC built from unit rules.

    Written independently of availcalc's lumped (mode, units up) chain: every unit has its own
    status — ``"A"`` active, ``"P"`` up and waiting (fails at ρλ), ``"W"`` the failed active
    unit whose repair starts when the switch ends, ``"R"`` in repair, ``"Q"`` queued for a
    crew — and the crew queue keeps its order. ``phase`` is ``"run"`` (no switch under way) or
    ``"switch"`` / ``"manual"``. Rules: the active unit fails at λ; if another unit is up the
    switch starts (automatic with probability c, else manual; a zero time switches at once to
    the lowest-numbered unit up), else the system is down; a waiting unit fails at ρλ (also
    during a switch; when the last one fails during a switch, the waiting unit joins the
    repair queue and everything is down); a switch ends at 1/t and hands the load to the
    lowest-numbered unit up; a repaired unit becomes active when nothing is active and no
    switch is under way, else waits.
    """
    lam, mu, c, rho = 1 / mp.mpf(mttf), 1 / mp.mpf(mttr), mp.mpf(c), mp.mpf(rho)
    delta = S_PER_H / mp.mpf(switch_s) if switch_s > 0 else None
    beta = 1 / mp.mpf(manual_h) if manual_h > 0 else None
    r = n if crews is None else min(crews, n)

    def to_repair(stat, queue, i):
        stat = list(stat)
        if sum(s == "R" for s in stat) < r:
            stat[i] = "R"
        else:
            stat[i] = "Q"
            queue = (*queue, i)
        return tuple(stat), queue

    def first_up(stat):
        ups = [i for i, s in enumerate(stat) if s == "P"]
        return ups[0] if ups else None

    def moves(st):
        phase, stat, queue = st
        out = []
        for i, s in enumerate(stat):
            if s == "R":  # repair done; the next queued unit gets the crew
                ns = list(stat)
                busy_active = any(x == "A" for x in stat)
                ns[i] = "A" if phase == "run" and not busy_active else "P"
                nq = queue
                if nq:
                    ns[nq[0]] = "R"
                    nq = nq[1:]
                out.append(((phase, tuple(ns), nq), mu))
            elif s == "P":  # a waiting unit fails
                ns, nq = to_repair(stat, queue, i)
                nphase = phase
                if phase != "run" and first_up(ns) is None:  # the last one: all down
                    w = ns.index("W")
                    ns, nq = to_repair(ns, nq, w)
                    nphase = "run"
                out.append(((nphase, ns, nq), rho * lam))
            elif s == "A":
                if first_up(stat) is None:
                    ns, nq = to_repair(stat, queue, i)
                    out.append((("run", ns, nq), lam))
                    continue
                for prob, rate, name in ((c, delta, "switch"), (1 - c, beta, "manual")):
                    if rate is None:
                        ns, nq = to_repair(stat, queue, i)
                        ns = list(ns)
                        ns[first_up(ns)] = "A"
                        out.append((("run", tuple(ns), nq), prob * lam))
                    else:
                        ns = list(stat)
                        ns[i] = "W"
                        out.append(((name, tuple(ns), queue), prob * lam))
        if phase != "run":  # the switch ends
            rate = delta if phase == "switch" else beta
            ns = list(stat)
            ns[first_up(stat)] = "A"
            ns, nq = to_repair(tuple(ns), queue, stat.index("W"))
            out.append((("run", ns, nq), rate))
        return out

    start = ("run", ("A",) + ("P",) * (n - 1), ())
    states, todo, edges = [start], [start], []
    seen = {start: 0}
    while todo:
        st = todo.pop()
        for nxt, rate in moves(st):
            if rate == 0:
                continue
            if nxt not in seen:
                seen[nxt] = len(states)
                states.append(nxt)
                todo.append(nxt)
            edges.append((seen[st], seen[nxt], rate))
    rates: dict = {}
    for a, b, v in edges:
        rates[(a, b)] = rates.get((a, b), 0) + v
    up = {i for i, st in enumerate(states) if st[0] == "run" and "A" in st[1]}
    return MpChain(len(states), rates, up, 0)


def cf_cold_standby_u(n, mttf, mttr, crews):
    """Cold standby, perfect instantaneous switch: the birth–death chain on units failed.

    Only the active unit fails (rate λ in every up state); j failed units are repaired at
    min(j, r)μ: π_j ∝ ∏_{i=1..j} λ / (min(i, r) μ), U = π_n (Trivedi 2002, ch. 8).
    """
    lam, mu = 1 / mp.mpf(mttf), 1 / mp.mpf(mttr)
    r = n if crews is None else min(crews, n)
    w = [mp.mpf(1)]
    for i in range(1, n + 1):
        w.append(w[-1] * lam / (min(i, r) * mu))
    return w[n] / mp.fsum(w)


#: The bridge used by the diagram and network tests: link -> (MTTF [h], MTTR [h]).
BRIDGE = {
    1: (1000.0, 10.0),
    2: (2000.0, 5.0),
    3: (1500.0, 20.0),
    4: (800.0, 4.0),
    5: (3000.0, 50.0),
}
