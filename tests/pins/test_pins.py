"""Every result of every preset (and its handler variants) is unchanged since the pin.

The pins were written by ``make_pins.py`` before the issue-12 refactor (the commit is in the
file); a refactor must reproduce them to a relative 1e-12 (exact for text, flags, inf, NaN).
"""

import json
import math

import pytest

from tests.pins.make_pins import PINS, pinned_scenarios, results

PINNED = json.loads(PINS.read_text(encoding="utf-8"))["results"]
SCENARIOS = pinned_scenarios()


def test_the_pins_cover_every_preset_and_variant():
    assert set(PINNED) == set(SCENARIOS)


@pytest.mark.parametrize("key", sorted(PINNED))
def test_results_match_the_pins(key):
    now = results(SCENARIOS[key])
    pinned = PINNED[key]
    assert set(now) == set(pinned), key
    for metric, want in pinned.items():
        got = now[metric]
        if isinstance(want, float) and not isinstance(got, bool):
            if math.isnan(want):
                assert math.isnan(got), metric
            elif math.isinf(want):
                assert got == want, metric
            else:
                assert got == pytest.approx(want, rel=1e-12, abs=1e-300), metric
        else:
            assert got == want, metric
