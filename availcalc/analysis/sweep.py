"""Sweeps: evaluate a scenario over values of any dotted scenario path → tidy DataFrame."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from availcalc.model.evaluate import evaluate
from availcalc.model.schema import Scenario, ScenarioError

__all__ = ["sweep"]


def _values(path: str, values: Any) -> list[Any]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ValueError(f"values for {path!r} must be a sequence of values; got {values!r}")
    vals = [v.item() if isinstance(v, np.generic) else v for v in values]
    if not vals:
        raise ValueError(f"values for {path!r} must not be empty")
    return vals


def sweep(
    scenario: Scenario,
    parameters: Mapping[str, Any],
    *,
    grid: bool = True,
    include_max_load: bool = False,
) -> pd.DataFrame:
    """Evaluate ``scenario`` at every combination of parameter values.

    Parameters
    ----------
    scenario : Scenario
        The base scenario.
    parameters : mapping of str to sequence
        Dotted scenario paths (as in :meth:`Scenario.replace`) → values to try, e.g.
        ``{"workload.arrival_rate_per_s": np.linspace(10, 100, 50)}``.
    grid : bool
        True: the full grid (Cartesian product). False: the sequences are zipped (they must
        have equal lengths), for one-way or paired sweeps.
    include_max_load : bool
        Also compute ``max_load_per_s`` and ``max_load_one_down_per_s`` (slower).

    Returns
    -------
    DataFrame
        One row per point: the swept paths as columns (named by their dotted path), then every
        metric of :data:`availcalc.model.evaluate.METRICS` (``stable`` included).

    Raises
    ------
    ScenarioError
        For an unknown path or an invalid value (the message names the path).

    Examples
    --------
    >>> from availcalc import load_preset
    >>> df = sweep(load_preset("msmq_nonclustered_3x"), {"send_host.instances": [1, 2, 3]})
    >>> df["capacity_per_s"].round(1).tolist()
    [2666.7, 5333.3, 8000.0]
    """
    if not parameters:
        raise ValueError("parameters must name at least one scenario path to sweep")
    paths = list(parameters)
    for p in paths:
        scenario.get(p)  # unknown paths fail early, naming the path
    columns = [_values(p, parameters[p]) for p in paths]
    if grid:
        points: Iterable[tuple[Any, ...]] = itertools.product(*columns)
    else:
        lengths = {len(c) for c in columns}
        if len(lengths) != 1:
            raise ValueError(
                "with grid=False every value sequence must have the same length; got "
                + ", ".join(f"{p}: {len(c)}" for p, c in zip(paths, columns, strict=True))
            )
        points = zip(*columns, strict=True)
    rows = []
    for point in points:
        changes = dict(zip(paths, point, strict=True))
        try:
            ev = evaluate(scenario.replace(**changes))
        except ScenarioError:
            raise
        rows.append({**changes, **ev.metrics(include_max_load=include_max_load)})
    return pd.DataFrame(rows)
