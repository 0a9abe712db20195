"""Analysis layer: sweeps, sensitivity and crossovers, returning tidy DataFrames."""

from availcalc.analysis.sweep import sweep

__all__ = ["sweep"]
