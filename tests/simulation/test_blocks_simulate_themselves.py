"""Every Markov block simulates itself: the registry, and the jump-chain default for any block.

References: each block's own analytic (exact) unavailability must lie in the simulated 99.9 %
interval, including a user's MarkovModel and a block type the simulation has never heard of.
"""

from __future__ import annotations

import numpy as np
import pytest

import availcalc as ac
from availcalc.reliability.blocks import Component
from availcalc.simulation import Distribution, monte_carlo_availability
from availcalc.simulation.failure import JUMP_CHAIN, simulation_of


class Flaky(Component):
    """A block type of a user's own (a subclass the registry does not list)."""


def _user_markov():
    return ac.MarkovModel(
        ["ok", "hung", "broken"],
        {("ok", "hung"): 1 / 50, ("hung", "ok"): 2.0, ("ok", "broken"): 1 / 200,
         ("broken", "ok"): 1 / 8},
        up_states=["ok"],
        name="user chain",
    )  # fmt: skip


BLOCKS = {
    "3-node cluster": lambda: ac.ActivePassive(
        80.0, 4.0, coverage=0.9, switchover_s=1800.0, manual_failover_h=1.0, nodes=3, name="c3"
    ),
    "warm standby": lambda: ac.Standby(3, 60.0, 6.0, 0.3, 0.9, 900.0, 1, name="warm"),
    "user MarkovModel": _user_markov,
}


@pytest.mark.parametrize("name", list(BLOCKS))
def test_simulated_unavailability_contains_the_exact_one(name):
    block = BLOCKS[name]()
    res = monte_carlo_availability(
        block, years=200, replications=20, confidence=0.999, seed=7, n_jobs=1
    )
    u = res.unavailability
    assert u.low <= block.unavailability <= u.high, (u, block.unavailability)


def test_a_series_of_new_blocks_simulates():
    system = ac.series(BLOCKS["3-node cluster"](), BLOCKS["warm standby"](), _user_markov())
    res = monte_carlo_availability(
        system, years=200, replications=20, confidence=0.999, seed=3, n_jobs=1
    )
    assert res.unavailability.low <= system.unavailability <= res.unavailability.high


def test_registry_lookup_follows_the_class_hierarchy():
    assert simulation_of(Flaky("f", 10.0, 1.0)) is simulation_of(Component("c", 10.0, 1.0))
    assert simulation_of(_user_markov()) is JUMP_CHAIN
    with pytest.raises(ValueError, match="can simulate every block with a Markov chain"):
        simulation_of(object())


def test_chain_simulated_blocks_refuse_other_distributions():
    block = BLOCKS["warm standby"]()
    with pytest.raises(ValueError, match="simulated as its CTMC: only exponential"):
        monte_carlo_availability(
            block, years=10, replications=2, failure=Distribution.weibull(2.0), seed=1, n_jobs=1
        )


def test_jump_chain_codes_index_the_state_names():
    from availcalc.simulation.failure import leaf_dists, leaf_trajectory

    block = BLOCKS["warm standby"]()
    tr = leaf_trajectory(block, leaf_dists(block), 5_000.0, np.random.default_rng(1))
    assert set(tr.values.tolist()) <= set(range(len(block.state_names)))
    assert tr.values[0] == 0  # all up, first
