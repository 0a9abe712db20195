"""Plotly figure factories: a DataFrame or result in, a ``plotly.graph_objects.Figure`` out.

The factories never compute the model, show or write anything: pass them the output of
:mod:`availcalc.analysis` or :func:`availcalc.evaluate`. Figures display in notebooks (plotly
mimetype); :func:`save_figure` / :func:`figure_bytes` export them for reports (HTML offline;
PNG, SVG and PDF through kaleido and a Chrome/Chromium, the ``[export]`` extra, imported only
when an image is rendered). The common look (colours by concept, axis titles with units, hover
formats) is in :mod:`availcalc.figures.style`.
"""

# the export helpers are importable from here, but `__all__` lists the factories only
from availcalc.figures.export import figure_bytes as figure_bytes
from availcalc.figures.export import save_figure as save_figure
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
