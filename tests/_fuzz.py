"""Shared by the fuzz suites: the outcome table of calls per area and outcome."""

from __future__ import annotations

import collections
from collections.abc import Sequence


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
