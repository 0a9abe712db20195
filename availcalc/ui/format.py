"""Text formatting for the UI: metric values, validation messages, side-by-side tables."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from availcalc.model.evaluate import METRICS
from availcalc.ui.fields import GROUP_TITLES, input_specs

__all__ = [
    "format_compare",
    "format_error",
    "format_metric",
    "format_number",
    "format_percent",
]


def _percent_kind(key: str) -> str | None:
    """How a metric shows as a percentage: ``"nines"`` (availabilities), ``"plain"``, or None."""
    if key == "utilization":
        return "plain"
    if key == "unavailability" or METRICS.get(key, ("", "?"))[1] != "":
        return None
    if "availability" in key or key.endswith("_fraction"):
        return "nines"
    return None


def format_number(x: Any, digits: int = 3) -> str:
    """Return a number with ``digits`` significant digits; ∞ for infinity, – for NaN/None.

    Numbers from 10**digits up to a billion are rounded to whole numbers rather than written
    in exponent form.

    Examples
    --------
    >>> format_number(0.45123), format_number(float("inf")), format_number(26.666666)
    ('0.451', '∞', '26.7')
    >>> format_number(50000.0), format_number(1026.3), format_number(3.2e10)
    ('50000', '1026', '3.2e+10')
    >>> format_number(0.000123456)
    '0.000123'
    """
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, str):
        return x
    if isinstance(x, int):
        return str(x)
    x = float(x)
    if math.isnan(x):
        return "–"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    if 10**digits <= abs(x) < 1e9 or (x.is_integer() and abs(x) < 1e9):
        return f"{x:.0f}"
    return f"{x:.{digits}g}"


def format_percent(p: float, nines: bool = False) -> str:
    """Return a fraction as a percentage.

    With ``nines=True`` (availabilities) enough decimals are kept to show three significant
    digits of the complement (the unavailability): 0.998974 → ``99.897 %``.

    Examples
    --------
    >>> format_percent(0.15), format_percent(1.5)
    ('15.0 %', '150 %')
    >>> format_percent(0.9989743, nines=True), format_percent(0.99999994, nines=True)
    ('99.897 %', '99.99999400 %')
    >>> format_percent(1.0, nines=True), format_percent(0.0, nines=True)
    ('100 %', '0 %')
    """
    if p is None or math.isnan(p):
        return "–"
    if nines:
        if p >= 1.0:
            return "100 %"
        if p <= 0.0:
            return "0 %"
        u_pct = 100.0 * (1.0 - p)
        first = math.ceil(-math.log10(u_pct) - 1e-9) if u_pct < 1 else 0
        decimals = min(max(first + 2, 1), 14)
        return f"{100 * p:.{decimals}f} %"
    pct = 100 * p
    if pct < 1:
        return f"{pct:.2g} %"
    return f"{pct:.1f} %" if pct < 100 else f"{pct:.0f} %"


def format_metric(key: str, value: Any) -> str:
    """Return a metric of :data:`~availcalc.model.evaluate.METRICS` with its unit.

    Examples
    --------
    >>> format_metric("latency_percentile_s", 0.45123), format_metric("availability", 0.998974)
    ('0.451 s', '99.897 %')
    >>> format_metric("mean_latency_s", float("inf")), format_metric("nines", 2.989)
    ('∞ s', '2.99')
    """
    kind = _percent_kind(key)
    if kind and isinstance(value, int | float) and not isinstance(value, bool):
        return format_percent(float(value), nines=kind == "nines")
    unit = METRICS.get(key, ("", ""))[1]
    text = format_number(value)
    return f"{text} {unit}" if unit and text != "–" else text


def _path_label(path: str) -> str | None:
    parts = path.split(".")
    if len(parts) != 2:
        return None
    section, name = parts
    for spec in input_specs():
        if spec.section == section and spec.name == name:
            title = GROUP_TITLES[spec.group].split(":")[0]
            return f"{title} › {spec.spec.label}"
    return None


def format_error(exc: BaseException) -> str:
    """Return a validation error as one readable sentence naming the input.

    Examples
    --------
    >>> from availcalc import ScenarioError
    >>> format_error(ScenarioError("send_host.instances", "must be 2 for a clustered handler"))
    'Send host and adapter handler › Host instances: must be 2 for a clustered handler'
    """
    path = getattr(exc, "path", "")
    text = str(exc)
    if path and text.startswith(path + ": "):
        detail = text[len(path) + 2 :]
        label = _path_label(path)
        return f"{label}: {detail}" if label else f"{path}: {detail}"
    return text


def format_compare(df: pd.DataFrame) -> pd.DataFrame:
    """Return a :func:`~availcalc.compare` table as display text, one column per scenario.

    The ``label`` and ``unit`` columns become one ``metric`` column; values are formatted like
    the headline metrics.
    """
    scenario_cols = [c for c in df.columns if c not in ("label", "unit")]
    rows = []
    for key, row in df.iterrows():
        label = str(row["label"])
        out = {"metric": label[:1].upper() + label[1:]}
        for col in scenario_cols:
            value = row[col]
            if key in METRICS:
                out[col] = format_metric(str(key), value)
            elif isinstance(value, bool):
                out[col] = "yes" if value else "no"
            else:
                out[col] = str(value).replace("_", " ")
        rows.append(out)
    return pd.DataFrame(rows, columns=["metric", *scenario_cols])
