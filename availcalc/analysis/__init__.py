"""Analysis layer: sweeps, sensitivity, importance and crossovers, returning tidy DataFrames.

Everything here is computed from :func:`~availcalc.evaluate` (layer 3); the figures in
:mod:`availcalc.figures` draw these DataFrames.
"""

from availcalc.analysis.crossover import (
    Crossover,
    failover_time_where_clustering_loses,
    handler_comparison,
    load_at_latency_target,
    scaled_out_beats_clustered_at,
)
from availcalc.analysis.importance import block_importance, importance, parameter_importance
from availcalc.analysis.sweep import sweep
from availcalc.analysis.tornado import tornado

__all__ = [
    "Crossover",
    "block_importance",
    "failover_time_where_clustering_loses",
    "handler_comparison",
    "importance",
    "load_at_latency_target",
    "parameter_importance",
    "scaled_out_beats_clustered_at",
    "sweep",
    "tornado",
]
