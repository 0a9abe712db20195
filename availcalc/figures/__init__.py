"""Plotly figure factories: a DataFrame or result in, a ``plotly.graph_objects.Figure`` out.

They never compute the model, show or write anything: pass them the output of
:mod:`availcalc.analysis` or :func:`availcalc.evaluate`. Figures display in notebooks (plotly
mimetype) and export offline with ``fig.to_html(include_plotlyjs=True)``. The common look
(colours by concept, axis titles with units, hover formats) is in :mod:`availcalc.figures.style`.
"""

from availcalc.figures.lines import (
    availability_vs_instances,
    heatmap,
    latency_vs_load,
    sensitivity_chart,
    sla_vs_instances,
    sla_vs_load,
)
from availcalc.figures.sensitivity import importance_chart, tornado_chart
from availcalc.figures.states import failure_states_chart
from availcalc.figures.topology import topology_diagram

__all__ = [
    "availability_vs_instances",
    "failure_states_chart",
    "heatmap",
    "importance_chart",
    "latency_vs_load",
    "sensitivity_chart",
    "sla_vs_instances",
    "sla_vs_load",
    "topology_diagram",
    "tornado_chart",
]
