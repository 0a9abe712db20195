"""Text formatting for the UI: metric values, validation messages, side-by-side tables."""

from __future__ import annotations

import pandas as pd

from availcalc.model.metrics import METRICS, format_metric, format_number, format_percent
from availcalc.ui.fields import GROUP_TITLES, input_specs

__all__ = [
    "format_compare",
    "format_error",
    "format_metric",
    "format_number",
    "format_percent",
]


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
