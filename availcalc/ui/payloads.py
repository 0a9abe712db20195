"""Download payloads (CSV and JSON text) built from library results.

The UI's download buttons hand these strings to the browser; they are unit-tested here because
Streamlit's test harness cannot read a download button's payload.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

from availcalc.model.evaluate import Evaluation
from availcalc.model.io import scenario_from_bytes, scenario_to_json
from availcalc.model.schema import Scenario

__all__ = ["file_stem", "frame_csv", "read_scenario", "results_csv", "scenario_json"]


def file_stem(name: str) -> str:
    """Return a safe file-name stem for a scenario name.

    Examples
    --------
    >>> file_stem("http scaled-out / 2 nodes")
    'http_scaled-out_2_nodes'
    >>> file_stem("")
    'scenario'
    """
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")
    return stem or "scenario"


def scenario_json(scenario: Scenario) -> str:
    """Return the scenario file (JSON) that :func:`availcalc.scenario_from_json` reads back."""
    return scenario_to_json(scenario)


def read_scenario(filename: str, data: bytes) -> Scenario:
    r"""Parse and validate an uploaded scenario file (TOML if the name ends in .toml, else JSON).

    Raises
    ------
    ScenarioError
        (a ``ValueError``) for a malformed file or an invalid scenario, naming the field.

    Examples
    --------
    >>> read_scenario("s.json", b'{"send_host": {"instances": 3}}').send_host.instances
    3
    >>> read_scenario("s.toml", b"[workload]\narrival_rate_per_s = 5").workload.arrival_rate_per_s
    5.0
    >>> read_scenario("s.json", b'{"workload": {"arrival_rate_per_s": -1}}')
    Traceback (most recent call last):
    ...
    availcalc.model.schema.ScenarioError: workload.arrival_rate_per_s: must be in [...]; got -1
    """
    return scenario_from_bytes(data, "toml" if filename.lower().endswith(".toml") else "json")


def _cell(v: Any) -> Any:
    if isinstance(v, float) and math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def frame_csv(df: pd.DataFrame, index: bool = False) -> str:
    """Return a table as CSV text (infinities written ``inf``, NaN left empty)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].map(_cell)
    return out.to_csv(index=index, lineterminator="\n")


def results_csv(ev: Evaluation, metrics: dict[str, Any] | None = None) -> str:
    """Return the headline results as CSV: scenario, metric, label, value, unit.

    Parameters
    ----------
    ev : Evaluation
        The evaluation.
    metrics : dict, optional
        ``ev.metrics()`` if already computed (saves two root searches).

    Examples
    --------
    >>> from availcalc import evaluate, load_preset
    >>> text = results_csv(evaluate(load_preset("ordered_send_port")))
    >>> text.splitlines()[0]
    'scenario,metric,label,value,unit'
    >>> [line for line in text.splitlines() if ",capacity_per_s," in line]
    ['ordered_send_port,capacity_per_s,Capacity,20.0,msg/s']
    """
    if metrics is None:
        df = ev.summary()
    else:
        from availcalc.model.metrics import METRICS

        df = pd.DataFrame(
            [(k, v, METRICS[k].unit, METRICS[k].label) for k, v in metrics.items()],
            columns=["metric", "value", "unit", "label"],
        )
    df = df.assign(scenario=ev.scenario.name)[["scenario", "metric", "label", "value", "unit"]]
    return frame_csv(df)
