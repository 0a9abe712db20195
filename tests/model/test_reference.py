"""docs/scenario.md is generated from the field specs and must match them."""

from pathlib import Path

from availcalc.model.reference import scenario_reference_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenario.md"


def test_scenario_reference_is_up_to_date():
    assert DOC.read_text(encoding="utf-8") == scenario_reference_markdown(), (
        "regenerate with: python -m availcalc.model.reference > docs/scenario.md"
    )
