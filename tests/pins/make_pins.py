"""Write ``preset_results.json``: every result of every preset, to pin a refactor against.

Run ``.venv/bin/python tests/pins/make_pins.py`` on the commit *before* a refactor that must
not change any number (issue 12: tier kinds, blocks, the split of ``_core.py``); the test
``test_pins.py`` then checks the refactored code against the file to 1e-12. These are
regression pins, not references: correctness is shown by the reference tests elsewhere.
Re-generate only when a change is *meant* to move a number, and say so in the commit.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import availcalc as ac
from availcalc.ui.analysis import handler_variants

PINS = Path(__file__).with_name("preset_results.json")


def pinned_scenarios() -> dict[str, ac.Scenario]:
    """Every preset as shipped, and its clustered and 3-instance scaled-out variants."""
    out: dict[str, ac.Scenario] = {}
    for name in ac.presets():
        s = ac.load_preset(name)
        clustered, scaled_out = handler_variants(s, 3)
        out[name] = s
        out[f"{name}/clustered"] = clustered
        out[f"{name}/scaled_out_3"] = scaled_out
    return out


def results(scenario: ac.Scenario) -> dict[str, Any]:
    """All metrics of ``evaluate(scenario)``, max loads included."""
    return ac.evaluate(scenario).metrics(True)


def main() -> None:
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    data = {
        "commit": commit,
        "results": {key: results(s) for key, s in pinned_scenarios().items()},
    }
    PINS.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {PINS} ({len(data['results'])} scenarios, at {commit[:10]})")


if __name__ == "__main__":
    main()
