"""Two-terminal networks (``network``): the bridge, reductions, brute force, tiny probabilities.

References, each independent of availcalc's BDD:

* the bridge with equal link availabilities *p*: :math:`A = 2p^2 + 2p^3 - 5p^4 + 2p^5`, and for
  unequal links the pivotal decomposition on the bridge link (Rausand & Høyland, *System
  Reliability Theory*, 2nd ed., 2004, ch. 4), both in mpmath at 50 digits;
* inclusion–exclusion over the four minimal cut sets of the bridge, in mpmath (tiny U);
* enumeration of all :math:`2^m` link states (m <= 10) in mpmath, connectivity by a
  breadth-first search written here: A, U (each a sum of positive terms) and the failure
  frequency :math:`\\omega = \\sum_{x \\text{ up}} P(x) \\sum_{i \\text{ critical in } x}
  \\lambda_i`;
* the joint CTMC of the five bridge components solved in mpmath (``mpref.product_chain``) for
  MTTF, R(t) and omega;
* the same system written with ``series``/``parallel`` over shared components (the four
  minimal paths), a second construction inside availcalc.
"""

from __future__ import annotations

import itertools
import math
import pickle
import random

import mpmath as mp
import numpy as np
import pandas as pd
import pytest

from availcalc.reliability import Component, KofN, parallel, series
from availcalc.reliability.diagram import MAX_EDGES, Diagram, network
from availcalc.reliability.markov import StateSpaceTooLarge
from tests.reliability import mpref

mp.mp.dps = 50

# bridge links: s-a (1), s-b (2), a-t (3), b-t (4), a-b (5, the bridge link)
BRIDGE = mpref.BRIDGE
ENDS = {1: ("s", "a"), 2: ("s", "b"), 3: ("a", "t"), 4: ("b", "t"), 5: ("a", "b")}
PATHS = [(1, 3), (2, 4), (1, 5, 4), (2, 5, 3)]
CUTS = [(1, 2), (3, 4), (1, 5, 4), (2, 5, 3)]


def _bridge(params=BRIDGE):
    c = {i: Component(f"c{i}", *params[i]) for i in params}
    net = network([(*ENDS[i], c[i]) for i in params], "s", "t")
    sp = parallel(*(series(*(c[i] for i in p)) for p in PATHS))
    return c, net, sp


def _connected(links, up, s, t):
    adj: dict = {}
    for (u, v), x in zip(links, up, strict=True):
        if x:
            adj.setdefault(u, []).append(v)
            adj.setdefault(v, []).append(u)
    seen, queue = {s}, [s]
    for x in queue:
        for y in adj.get(x, []):
            if y not in seen:
                seen.add(y)
                queue.append(y)
    return t in seen


def _enumerate(links, leaf_of, params, s, t):
    """A, U, omega of the network by all states of the distinct leaves, in mpmath.

    ``leaf_of[e]`` is the leaf index of link e; ``params[i] = (mttf, mttr)`` of leaf i.
    """
    a = [mp.mpf(f) / (mp.mpf(f) + mp.mpf(r)) for f, r in params]
    q = [mp.mpf(r) / (mp.mpf(f) + mp.mpf(r)) for f, r in params]
    lam = [1 / mp.mpf(f) for f, _ in params]
    n = len(params)

    def up(x):
        return _connected(links, [x[leaf_of[e]] for e in range(len(links))], s, t)

    terms_up, terms_down, terms_w = [], [], []
    for x in itertools.product((0, 1), repeat=n):
        p = mp.fprod(a[i] if x[i] else q[i] for i in range(n))
        if up(x):
            terms_up.append(p)
            for i in range(n):
                if x[i] and not up((*x[:i], 0, *x[i + 1 :])):
                    terms_w.append(p * lam[i])
        else:
            terms_down.append(p)
    return mp.fsum(terms_up), mp.fsum(terms_down), mp.fsum(terms_w)


# ------------------------------------------------------------------ the bridge
@pytest.mark.parametrize(("mttf", "mttr"), [(9.0, 1.0), (1.0, 1.0), (99.0, 1.0), (999999.0, 1.0)])
def test_bridge_closed_form_equal_links(mttf, mttr, check_rel):
    """Rausand & Høyland (2004) ch. 4: h(p) = 2p^2 + 2p^3 - 5p^4 + 2p^5 (self-dual in q)."""
    _, net, _ = _bridge(dict.fromkeys(BRIDGE, (mttf, mttr)))
    p = mp.mpf(mttf) / (mp.mpf(mttf) + mp.mpf(mttr))
    q = mp.mpf(mttr) / (mp.mpf(mttf) + mp.mpf(mttr))
    ref_a = 2 * p**2 + 2 * p**3 - 5 * p**4 + 2 * p**5
    ref_u = 2 * q**2 + 2 * q**3 - 5 * q**4 + 2 * q**5
    assert abs(ref_a + ref_u - 1) < mp.mpf(10) ** -45  # the two closed forms agree
    check_rel("network A", net.availability, ref_a, 1e-14)
    check_rel("network U", net.unavailability, ref_u, 1e-14)


def test_bridge_pivotal_decomposition(check_rel):
    _, net, _ = _bridge()
    a = {i: mp.mpf(f) / (mp.mpf(f) + mp.mpf(r)) for i, (f, r) in BRIDGE.items()}
    # pivot on the bridge link 5: up -> (1 || 2) then (3 || 4); down -> 1-3 || 2-4
    ref = a[5] * (1 - (1 - a[1]) * (1 - a[2])) * (1 - (1 - a[3]) * (1 - a[4])) + (1 - a[5]) * (
        1 - (1 - a[1] * a[3]) * (1 - a[2] * a[4])
    )
    check_rel("network A", net.availability, ref, 1e-14)
    check_rel("network U", net.unavailability, 1 - ref, 1e-13)


def test_bridge_equals_shared_series_parallel(check_rel):
    """The four minimal paths in parallel, components shared: every measure equal."""
    _, net, sp = _bridge()
    for m in (
        "availability",
        "unavailability",
        "failure_frequency_per_h",
        "mttf_h",
        "mut_h",
        "mdt_h",
        "nines",
    ):
        check_rel(f"network {m} vs sp", getattr(net, m), getattr(sp, m), 1e-14)
    t = np.array([0.0, 1.0, 100.0, 1e4, 1e6])
    for fn in (
        "reliability",
        "unreliability",
        "point_availability",
        "point_unavailability",
        "interval_availability",
    ):
        got, ref = getattr(net, fn)(t), getattr(sp, fn)(t)
        for x, y in zip(got, ref, strict=True):
            check_rel(f"network {fn} vs sp", x, y, 1e-12)
    imp_net = net.importance().sort_index()
    imp_sp = sp.importance().sort_index()
    pd.testing.assert_frame_equal(imp_net, imp_sp, rtol=1e-13, atol=0.0)
    s_net, s_sp = net.summary(), sp.summary()
    np.testing.assert_allclose(s_net["value"], s_sp["value"], rtol=1e-13)


def test_bridge_against_product_chain(check_rel):
    """The joint CTMC of the five components in mpmath: U, omega, MTTF, R(t)."""
    _, net, _ = _bridge()
    chains = [mpref.component_chain(*BRIDGE[i]) for i in BRIDGE]

    def up(x):
        return _connected([ENDS[i] for i in BRIDGE], x, "s", "t")

    prod = mpref.product_chain(chains, up)
    ref = prod.measures()
    check_rel("network U", net.unavailability, ref["U"], 1e-13)
    check_rel("network omega", net.failure_frequency_per_h, ref["omega"], 1e-12)
    check_rel("network MTTF", net.mttf_h, prod.mttf(), 1e-12)
    check_rel("network R(t)", net.reliability(500.0), prod.reliability(500.0), 1e-12)


def test_bridge_tiny_unavailability_inclusion_exclusion(check_rel):
    """Links with U = 1e-20: inclusion–exclusion over the minimal cut sets in mpmath."""
    params = {i: (1e11 * (1 + 0.1 * i), 1e-9) for i in BRIDGE}  # U_i ~ 1e-20
    _, net, sp = _bridge(params)
    q = {i: mp.mpf(r) / (mp.mpf(f) + mp.mpf(r)) for i, (f, r) in params.items()}
    ref = mp.mpf(0)
    for size in range(1, len(CUTS) + 1):
        for group in itertools.combinations(CUTS, size):
            members = set().union(*group)
            ref += (-1) ** (size + 1) * mp.fprod(q[i] for i in members)
    assert 1e-41 < ref < 1e-39
    check_rel("network tiny U", net.unavailability, ref, 1e-12)
    check_rel("network tiny U vs sp", net.unavailability, sp.unavailability, 1e-14)
    check_rel("network tiny nines", net.nines, -mp.log10(ref), 1e-12)


def test_unavailability_below_double_range_from_logs(check_rel):
    """20 parallel links of U = 1e-20: U = 1e-400, nines and MDT from the logarithms."""
    c = [Component(f"p{i}", 1e11, 1e-9) for i in range(20)]
    net = network([("s", "t", x) for x in c], "s", "t")
    q = mp.mpf(1e-9) / (mp.mpf(1e11) + mp.mpf(1e-9))
    check_rel("network nines (log)", net.nines, -20 * mp.log10(q), 1e-12)
    assert net.unavailability == 0.0
    check_rel("network MDT (log)", net.mdt_h, parallel(*c).mdt_h, 1e-12)


# ------------------------------------------------------------------ reductions
def test_series_and_parallel_networks_reduce(check_rel):
    c = [Component(f"r{i}", 500.0 * (i + 1), 1.0 + i) for i in range(6)]
    cases = [
        # a chain s-a-b-t is a series
        (network([("s", "a", c[0]), ("a", "b", c[1]), ("b", "t", c[2])], "s", "t"), series(*c[:3])),
        # links between the same two nodes are in parallel
        (
            network([("s", "t", c[0]), ("t", "s", c[1]), ("s", "t", c[2])], "s", "t"),
            parallel(*c[:3]),
        ),
        # (c0 || c1) then c2, plus a dead end a-x that never matters
        (
            network([(0, 1, c[0]), (0, 1, c[1]), (1, 2, c[2]), (1, 9, c[3])], 0, 2),
            series(parallel(c[0], c[1]), c[2]),
        ),
        # a ring: two disjoint paths in parallel
        (
            network(
                [("s", "a", c[0]), ("a", "t", c[1]), ("t", "b", c[2]), ("b", "s", c[3])], "s", "t"
            ),
            parallel(series(c[0], c[1]), series(c[3], c[2])),
        ),
    ]
    for net, ref in cases:
        for m in ("availability", "unavailability", "failure_frequency_per_h", "mttf_h"):
            check_rel(f"network {m} reduce", getattr(net, m), getattr(ref, m), 1e-13)
    dead_end = cases[2][0].importance()
    assert dead_end.loc["r3", "birnbaum"] == 0.0


def test_links_may_be_any_block_and_networks_nest(check_rel):
    k = KofN(3, 2, 1000.0, 5.0, name="pool")
    sub = parallel(Component("x1", 400.0, 2.0), Component("x2", 600.0, 3.0), name="pair")
    c = Component("c", 2000.0, 8.0)
    d = Component("d", 900.0, 1.0)
    e = Component("e", 700.0, 2.0)
    net = network(
        [("s", "a", k), ("s", "b", sub), ("a", "t", c), ("b", "t", d), ("a", "b", e)], "s", "t"
    )
    sp = parallel(series(k, c), series(sub, d), series(k, e, d), series(sub, e, c))
    for m in ("availability", "unavailability", "failure_frequency_per_h", "mttf_h"):
        check_rel(f"network {m} any block", getattr(net, m), getattr(sp, m), 1e-13)
    lb = Component("lb", 5000.0, 1.0)
    check_rel(
        "network nested", series(lb, net).unavailability, series(lb, sp).unavailability, 1e-14
    )
    # a network as a link of another network
    outer = network([("S", "M", net), ("M", "T", lb)], "S", "T")
    check_rel("network in network", outer.unavailability, series(net, lb).unavailability, 1e-14)


def test_shared_block_across_links_is_one_leaf(check_rel):
    """One power feed on two links: one physical component, not two."""
    feed = Component("feed", 1000.0, 10.0)
    c = {i: Component(f"c{i}", *BRIDGE[i]) for i in BRIDGE}
    links = [
        ("s", "a", feed),
        ("s", "b", feed),
        ("a", "t", c[3]),
        ("b", "t", c[4]),
        ("a", "b", c[5]),
    ]
    net = network(links, "s", "t")
    assert len(net.leaves) == 4
    # the feed down cuts s off; up, the rest is (3 || 4): exact by conditioning
    a = {i: mp.mpf(f) / (mp.mpf(f) + mp.mpf(r)) for i, (f, r) in BRIDGE.items()}
    a_feed = mp.mpf(1000) / 1010
    ref = a_feed * (1 - (1 - a[3]) * (1 - a[4]))
    check_rel("network shared A", net.availability, ref, 1e-14)
    check_rel("network shared U", net.unavailability, 1 - ref, 1e-13)


# ------------------------------------------------------------------ brute force
def _random_network(rng: random.Random):
    n = rng.randint(2, 7)
    m = rng.randint(1, 10)
    labels = [f"v{i}" for i in range(n)] if rng.random() < 0.5 else list(range(n))
    links = [(labels[0], labels[1])]  # source and target exist
    while len(links) < m:
        u, v = rng.sample(labels, 2)
        links.append((u, v))
    rng.shuffle(links)
    nodes = list(dict.fromkeys(x for link in links for x in link))
    s, t = rng.sample(nodes, 2)
    if not _connected(links, [1] * len(links), s, t):
        return None
    shared = rng.random() < 0.3
    n_leaves = rng.randint(1, m) if shared else m
    leaf_of = [rng.randrange(n_leaves) for _ in range(m)] if shared else list(range(m))
    used = sorted(set(leaf_of))
    leaf_of = [used.index(i) for i in leaf_of]
    params = [(10.0 ** rng.uniform(1, 6), 10.0 ** rng.uniform(-1, 2)) for _ in used]
    return links, leaf_of, params, s, t


def test_random_networks_against_state_enumeration(check_rel):
    rng = random.Random(20240519)
    done = 0
    while done < 60:
        case = _random_network(rng)
        if case is None:
            continue
        links, leaf_of, params, s, t = case
        leaves = [Component(f"L{i}", f, r) for i, (f, r) in enumerate(params)]
        net = network([(u, v, leaves[leaf_of[e]]) for e, (u, v) in enumerate(links)], s, t)
        ref_a, ref_u, ref_w = _enumerate(links, leaf_of, params, s, t)
        check_rel("network A brute", net.availability, ref_a, 1e-13)
        check_rel("network U brute", net.unavailability, ref_u, 1e-12)
        check_rel("network omega brute", net.failure_frequency_per_h, ref_w, 1e-12)
        done += 1


def test_tiny_link_unavailability_against_state_enumeration(check_rel):
    """A 10-link two-layer network, links U ~ 1e-20 .. 1e-16: U by positive sums in mpmath."""
    links = [
        ("s", "a"),
        ("s", "b"),
        ("s", "c"),
        ("a", "b"),
        ("b", "c"),
        ("a", "d"),
        ("b", "d"),
        ("c", "e"),
        ("d", "t"),
        ("e", "t"),
    ]
    params = [(1e11 / (1 + 3 * i), 1e-9 * (1 + i)) for i in range(len(links))]
    leaves = [Component(f"t{i}", f, r) for i, (f, r) in enumerate(params)]
    net = network([(u, v, x) for (u, v), x in zip(links, leaves, strict=True)], "s", "t")
    ref_a, ref_u, ref_w = _enumerate(links, list(range(len(links))), params, "s", "t")
    assert ref_u < 1e-30
    check_rel("network tiny U brute", net.unavailability, ref_u, 1e-12)
    check_rel("network tiny omega brute", net.failure_frequency_per_h, ref_w, 1e-12)
    check_rel("network tiny A brute", net.availability, ref_a, 1e-15)


def test_grid_any_link_order_same_result(check_rel):
    """A 4 x 4 grid corner to corner: given shuffled to ``Diagram`` directly, or via network."""
    idx = {(i, j): 4 * i + j for i in range(4) for j in range(4)}
    links = [(idx[i, j], idx[i, j + 1]) for i in range(4) for j in range(3)]
    links += [(idx[i, j], idx[i + 1, j]) for i in range(3) for j in range(4)]
    rng = random.Random(7)
    blocks = [Component(f"g{e}", 10.0 ** rng.uniform(2, 4), 1.0) for e in range(len(links))]
    net = network([(u, v, b) for (u, v), b in zip(links, blocks, strict=True)], 0, 15)
    perm = list(range(len(links)))
    rng.shuffle(perm)
    direct = Diagram(
        "network",
        1,
        tuple(blocks[e] for e in perm),
        links=tuple(links[e] for e in perm),
        terminals=(0, 15),
    )
    check_rel("network grid order", net.unavailability, direct.unavailability, 1e-13)
    check_rel("network grid order A", net.availability, direct.availability, 1e-15)


def test_too_wide_network_raises_at_construction():
    idx = {(i, j): 10 * i + j for i in range(10) for j in range(10)}
    links = [(idx[i, j], idx[i, j + 1]) for i in range(10) for j in range(9)]
    links += [(idx[i, j], idx[i + 1, j]) for i in range(9) for j in range(10)]
    c = [Component(f"w{e}", 1000.0, 1.0) for e in range(len(links))]
    with pytest.raises(StateSpaceTooLarge, match="frontier states"):
        network([(u, v, x) for (u, v), x in zip(links, c, strict=True)], 0, 99)


# ------------------------------------------------------------------ object behaviour
def test_repr_pickle_and_fields():
    c, net, _ = _bridge()
    assert net.kind == "network"
    assert net.terminals == ("s", "t")
    assert set(net.links) == {ENDS[i] for i in BRIDGE}
    assert repr(net).startswith("network([('s', 'a', Component('c1'")
    assert "source='s', target='t'" in repr(net)
    named = network([("s", "t", c[1])], "s", "t", name="wan")
    assert repr(named).endswith("name='wan')")
    clone = pickle.loads(pickle.dumps(net))
    assert clone.unavailability == net.unavailability
    assert clone.links == net.links
    # integer-like labels are kept as int
    n2 = network([(np.int64(0), np.int64(1), c[1])], 0, 1)
    assert n2.links == ((0, 1),) and type(n2.links[0][0]) is int


# ------------------------------------------------------------------ invalid input
def _c(name="x"):
    return Component(name, 100.0, 1.0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"edges": []}, r"edges must contain at least one"),
        ({"edges": 3}, r"edges must be a sequence"),
        ({"edges": "s-t"}, r"edges must be a sequence"),
        ({"edges": [("s", "t")]}, r"edges\[0\] must be a \(node_u, node_v, block\) triple"),
        ({"edges": [("s", "t", _c(), 1)]}, r"edges\[0\] must be a"),
        ({"edges": [{"s": "t"}]}, r"edges\[0\] must be a"),
        ({"edges": [("s", "t", 0.99)]}, r"edges\[0\]\[2\] must be a Component"),
        ({"edges": [("s", 1.5, _c())]}, r"edges\[0\]\[1\] must be a node label.*got 1.5"),
        ({"edges": [(True, "t", _c())]}, r"edges\[0\]\[0\] must be a node label"),
        ({"edges": [(None, "t", _c())]}, r"edges\[0\]\[0\] must be a node label"),
        ({"edges": [(["s"], "t", _c())]}, r"edges\[0\]\[0\] must be a node label"),
        ({"edges": [("s", "t", _c("a")), ("t", "t", _c("b"))]}, r"edges\[1\] joins node 't'"),
        ({"source": "x"}, r"source must be a node of some link.*got 'x'"),
        ({"source": 0}, r"source must be a node of some link.*got 0"),
        ({"source": [1, 2]}, r"source must be a node label"),
        ({"target": math.nan}, r"target must be a node label"),
        ({"target": "s"}, r"target must differ from source; got 's'"),
        ({"name": 3}, r"name must be a string"),
    ],
)
def test_invalid_input_names_the_parameter(kwargs, match):
    args = {"edges": [("s", "a", _c("a")), ("a", "t", _c("b"))], "source": "s", "target": "t"}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        network(**args)


def test_disconnected_target_and_too_many_edges():
    edges = [("s", "a", _c("a")), ("b", "t", _c("b"))]
    with pytest.raises(ValueError, match=r"target must be joined to source 's'.*got 't'"):
        network(edges, "s", "t")
    c = _c()
    chain = [(i, i + 1, c) for i in range(MAX_EDGES + 1)]
    with pytest.raises(ValueError, match=rf"edges must have at most {MAX_EDGES} links; got 201"):
        network(chain, 0, MAX_EDGES + 1)
    assert network(chain[:MAX_EDGES], 0, MAX_EDGES).availability == pytest.approx(100 / 101)


def test_direct_diagram_checks_links_and_terminals():
    a, b = _c("a"), _c("b")
    with pytest.raises(ValueError, match="links must be a sequence"):
        Diagram("network", 1, (a, b), terminals=("s", "t"))
    with pytest.raises(ValueError, match=r"links must have one \(node_u, node_v\) pair per block"):
        Diagram("network", 1, (a, b), links=(("s", "t"),), terminals=("s", "t"))
    with pytest.raises(ValueError, match=r"links\[1\] must be a \(node_u, node_v\) pair"):
        Diagram("network", 1, (a, b), links=(("s", "t"), "st"), terminals=("s", "t"))
    with pytest.raises(ValueError, match=r"terminals must be a \(source, target\) pair"):
        Diagram("network", 1, (a, b), links=(("s", "a"), ("a", "t")))
    with pytest.raises(ValueError, match=r"terminals\[1\] must be a node of some link"):
        Diagram("network", 1, (a, b), links=(("s", "a"), ("a", "t")), terminals=("s", "z"))
    with pytest.raises(ValueError, match="k must be 1 for a network; got 2"):
        Diagram("network", 2, (a, b), links=(("s", "a"), ("a", "t")), terminals=("s", "t"))
    with pytest.raises(ValueError, match="links must be None for a series diagram"):
        Diagram("series", 2, (a, b), links=(("s", "a"), ("a", "t")))
    with pytest.raises(ValueError, match="terminals must be None for a parallel diagram"):
        Diagram("parallel", 1, (a, b), terminals=("s", "t"))
    ok = Diagram("network", 1, (a, b), links=[["s", "a"], ["a", "t"]], terminals=["s", "t"])
    assert ok.links == (("s", "a"), ("a", "t")) and ok.terminals == ("s", "t")
    assert ok.unavailability == pytest.approx(series(a, b).unavailability, rel=1e-15)
