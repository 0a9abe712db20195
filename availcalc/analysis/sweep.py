"""Sweeps: evaluate a scenario over values of any dotted scenario path → tidy DataFrame.

Points are grouped by their *reliability part* (instances, handler, MTTF/MTTR, failover, …):
each group's failure-state probabilities are solved once, and the group's queueing inputs (load,
latency target, concurrency, service time, capacities, …) are evaluated in one vectorised pass
(:mod:`availcalc.model.queueing_part`). The results are the same numbers :func:`~availcalc.evaluate`
gives point by point (the tests check this).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from availcalc._validation import check_type, sequence
from availcalc.model.evaluate import METRICS, check_scenario
from availcalc.model.queueing_part import QUEUEING_PATHS, Batch, Weights, queueing_arrays
from availcalc.model.reliability_part import Reliability
from availcalc.model.schema import Scenario

__all__ = ["MAX_LOAD_DOWN", "batch_metrics", "sweep"]


def _values(path: str, values: Any) -> list[Any]:
    vals = sequence(f"parameters[{path!r}]", values)
    return [v.item() if isinstance(v, np.generic) else v for v in vals]


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
        True: the full grid (Cartesian product), the first path varying slowest. False: the
        sequences are zipped (they must have equal lengths), for one-way or paired sweeps.
    include_max_load : bool
        Also compute ``max_load_per_s`` and ``max_load_one_down_per_s`` (a root search per
        point, about a millisecond each).

    Returns
    -------
    DataFrame
        One row per point: the swept paths as columns (named by their dotted path), then every
        metric of :data:`availcalc.model.evaluate.METRICS` (``stable`` included).

    Raises
    ------
    ScenarioError
        For an unknown path or an invalid value (the message names the path and the value).

    Examples
    --------
    >>> from availcalc import load_preset
    >>> s = load_preset("msmq_nonclustered_3x")
    >>> df = sweep(s, {"send_host.instances": [1, 2, 3], "send_host.concurrency": [1, 2]})
    >>> df.pivot(index="send_host.concurrency", columns="send_host.instances",
    ...          values="capacity_per_s").round(1).to_numpy().tolist()
    [[333.3, 600.0, 600.0], [600.0, 600.0, 600.0]]
    """
    check_scenario(scenario)
    check_type("parameters", parameters, Mapping, "a mapping of scenario paths to values")
    if not parameters:
        raise ValueError("parameters must name at least one scenario path to sweep; got {}")
    paths = list(parameters)
    columns = [_values(p, parameters[p]) for p in paths]
    for p in paths:
        scenario.get(p)  # unknown paths fail early, naming the path
    q_paths = [p for p in paths if p in QUEUEING_PATHS]
    checked = {
        p: scenario.check_values(p, col)
        for p, col in zip(paths, columns, strict=True)
        if p in QUEUEING_PATHS
    }

    if grid:
        # index arrays of the Cartesian product (first path slowest, like itertools.product)
        idx = np.indices([len(c) for c in columns]).reshape(len(columns), -1)
    else:
        lengths = {len(c) for c in columns}
        if len(lengths) != 1:
            raise ValueError(
                "with grid=False every value sequence must have the same length; got "
                + ", ".join(f"{p}: {len(c)}" for p, c in zip(paths, columns, strict=True))
            )
        n = lengths.pop()
        idx = np.tile(np.arange(n), (len(columns), 1))
    n_points = idx.shape[1]

    r_pos = [i for i, p in enumerate(paths) if p not in QUEUEING_PATHS]
    groups: dict[tuple[int, ...], list[int]] = {}
    for k in range(n_points):
        groups.setdefault(tuple(int(idx[i, k]) for i in r_pos), []).append(k)

    # solve each reliability group once, then batch the queueing side of every group that
    # shares a structure (same states and stages), weighting each point by its own group
    rels: list[Reliability] = []
    point_rel = np.empty(n_points, dtype=int)
    for key, members in groups.items():
        base = scenario
        if r_pos:
            base = scenario.replace(
                **{paths[i]: columns[i][j] for i, j in zip(r_pos, key, strict=True)}
            )
        point_rel[members] = len(rels)
        rels.append(Reliability(base))
    per_rel = [queueing_arrays(r.s) for r in rels]
    arrays = {k: np.concatenate([a[k] for a in per_rel])[point_rel] for k in per_rel[0]}
    for p in q_paths:
        arrays[QUEUEING_PATHS[p]] = checked[p][idx[paths.index(p)]]
    results = batch_metrics(rels, point_rel, arrays, (0, 1) if include_max_load else ())

    data: dict[str, Any] = {}
    for i, p in enumerate(paths):
        col = columns[i]
        data[p] = [col[j] for j in idx[i]] if not _all_numbers(col) else np.asarray(col)[idx[i]]
    for name in METRICS:
        if name in results:
            data[name] = results[name]
    return pd.DataFrame(data)


def _all_numbers(col: list[Any]) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in col)


#: The on-demand metrics: key → instances down.
MAX_LOAD_DOWN = {"max_load_per_s": 0, "max_load_one_down_per_s": 1}


def batch_metrics(
    rels: list[Reliability],
    point_rel: np.ndarray,
    arrays: dict[str, np.ndarray],
    max_load: Iterable[int] = (),
    *,
    others: bool | Iterable[str] = True,
) -> dict[str, np.ndarray]:
    """Return the metrics of many points, one array element per point.

    Point ``i`` has the reliability part ``rels[point_rel[i]]`` and the queueing inputs
    ``arrays[key][i]`` (:func:`~availcalc.model.queueing_part.queueing_arrays` keys). The
    points whose reliability parts share a structure (:attr:`Reliability.signature`) share
    one vectorised queueing pass (:class:`~availcalc.model.queueing_part.Batch`), each
    weighted by its own part's failure states. ``max_load`` lists the instances down (0, 1)
    whose :data:`MAX_LOAD_DOWN` metric is added (one root search on all the rows at once,
    :meth:`Batch.max_loads <availcalc.model.queueing_part.Batch.max_loads>`);
    ``others`` gives the other metrics: True every one, False none, or their names (only
    what those need is computed, :meth:`Batch.metrics
    <availcalc.model.queueing_part.Batch.metrics>`).
    """
    point_rel = np.asarray(point_rel)
    by_signature: dict[tuple[Any, ...], list[int]] = {}
    for r, rel in enumerate(rels):
        by_signature.setdefault(rel.signature, []).append(r)
    names = {down: key for key, down in MAX_LOAD_DOWN.items()}
    wanted = None if others is True else tuple(others or ())
    results: dict[str, np.ndarray] = {}
    for rel_ids in by_signature.values():
        member_idx = np.flatnonzero(np.isin(point_rel, rel_ids))
        if member_idx.size == 0:
            continue
        local = np.searchsorted(rel_ids, point_rel[member_idx])
        group_rels = [rels[r] for r in rel_ids]
        sub = {k: v[member_idx] for k, v in arrays.items()}
        batch = Batch(group_rels[0], sub, Weights.of(group_rels, local))
        metrics = batch.metrics(wanted)
        for down in max_load:  # it depends on the structure and the queueing row only
            metrics[names[down]] = batch.max_loads(down)[batch.inv]
        for name, values in metrics.items():
            if name not in results:
                results[name] = np.empty(len(point_rel), dtype=np.asarray(values).dtype)
            results[name][member_idx] = values
    return results
