"""Shared by the fuzz suites: the outcome table of calls per area and outcome.

Each fuzz test attaches what it tried to its report (:func:`recorder`, a ``record_property``
named ``"fuzz"``); ``tests/conftest.py`` adds them up, also across xdist workers, and prints
one table per suite at the end of the run.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest

#: The property name the fuzz counts travel under.
PROPERTY = "fuzz"


def outcome_table(outcomes: collections.Counter[tuple[str, str]], kinds: Sequence[str]) -> str:
    """Return the calls per area and outcome in ``outcomes`` as aligned text, with a total."""
    areas = sorted({a for a, _ in outcomes})
    rows = [("area", "calls", *kinds)]
    for area in areas:
        counts = [outcomes[area, k] for k in kinds]
        rows.append((area, sum(counts), *counts))
    totals = [sum(outcomes[a, k] for a in areas) for k in kinds]
    rows.append(("total", sum(totals), *totals))
    widths = [max(len(str(r[j])) for r in rows) for j in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            str(v).ljust(w) if j == 0 else str(v).rjust(w)
            for j, (v, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    )


def record(record_property: Any, suite: str, kinds: Sequence[str], counts: Any) -> None:
    """Attach ``counts`` ((area, kind) → calls) to the test's report, for the end-of-run table."""
    rows = [[area, kind, int(n)] for (area, kind), n in counts.items() if n]
    record_property(PROPERTY, {"suite": suite, "kinds": list(kinds), "rows": rows})


def recorder(
    suite: str, kinds: Sequence[str], outcomes: collections.Counter[tuple[str, str]]
) -> Callable[..., Iterator[None]]:
    """Return an autouse fixture that records what each test of a module added to ``outcomes``."""

    @pytest.fixture(autouse=True)
    def record_outcomes(record_property: Any) -> Iterator[None]:
        before = collections.Counter(outcomes)
        yield
        record(record_property, suite, kinds, outcomes - before)

    return record_outcomes


def summary_tables(properties: list[dict[str, Any]]) -> list[str]:
    """Return one outcome table per suite from the recorded ``properties``."""
    suites: dict[str, tuple[list[str], collections.Counter[tuple[str, str]]]] = {}
    for prop in properties:
        _, total = suites.setdefault(prop["suite"], (list(prop["kinds"]), collections.Counter()))
        for area, kind, n in prop["rows"]:
            total[area, kind] += n
    return [
        f"fuzz outcomes — {suite}:\n{outcome_table(total, kinds)}"
        for suite, (kinds, total) in sorted(suites.items())
    ]
