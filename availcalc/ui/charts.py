"""The plotly ``config`` of every chart in the UI: a report-quality, well-named image download.

Streamlit hands ``config`` to plotly.js. Its modebar camera button then saves the chart as it is
shown, rendered in the planner's own browser: no browser, kaleido or round trip on the server.
"""

from __future__ import annotations

from typing import Any

from availcalc.ui.payloads import file_stem

__all__ = ["IMAGE_FORMATS", "chart_config", "figure_file_stem"]

IMAGE_FORMATS = ("png", "svg", "jpeg", "webp")
"""Formats plotly.js can download from the modebar (client-side)."""

_SUFFIXES = ("_chart", "_diagram")


def figure_file_stem(name: str, scenario: str | None = None) -> str:
    """Return the file-name stem of a downloaded figure: scenario, then figure.

    A factory name loses its ``_chart`` / ``_diagram`` suffix and its underscores become
    hyphens, so the files of one scenario sort together and read as words.

    Parameters
    ----------
    name : str
        The figure, e.g. a factory name of :mod:`availcalc.figures` (``"tornado_chart"``).
    scenario : str, optional
        The scenario's name, put first.

    Examples
    --------
    >>> figure_file_stem("failure_states_chart", "msmq_nonclustered_3x")
    'msmq_nonclustered_3x-failure-states'
    >>> figure_file_stem("topology_diagram")
    'topology'
    """
    figure = name
    for suffix in _SUFFIXES:
        figure = figure.removesuffix(suffix)
    figure = figure.replace("_", "-")
    return file_stem(f"{file_stem(scenario)}-{figure}" if scenario else figure)


def chart_config(
    name: str, *, scenario: str | None = None, format: str = "png", scale: float = 2
) -> dict[str, Any]:
    """Return the plotly.js ``config`` for ``st.plotly_chart``: a named, sharp image download.

    The modebar's camera button ("Download plot") saves the chart at ``scale`` times its
    on-screen pixels, named after the scenario and the figure, ready to paste into a report.
    The plotly logo and the box/lasso selection tools (which do nothing here) are left out.

    Parameters
    ----------
    name : str
        The figure, e.g. its factory name (``"topology_diagram"``), see
        :func:`figure_file_stem`.
    scenario : str, optional
        The scenario's name, put first in the file name.
    format : {"png", "svg", "jpeg", "webp"}, default "png"
        The download's format.
    scale : float, default 2
        Device pixels per screen pixel of the image [-]: 2 stays sharp when a document scales
        the image to its column width.

    Returns
    -------
    dict
        ``toImageButtonOptions`` (format, file name without extension, scale), ``displaylogo``
        False, ``modeBarButtonsToRemove``.

    Raises
    ------
    ValueError
        For a format plotly.js cannot download or a non-positive scale.

    Examples
    --------
    >>> cfg = chart_config("tornado_chart", scenario="http_scaled_out_2node")
    >>> cfg["toImageButtonOptions"]
    {'format': 'png', 'filename': 'http_scaled_out_2node-tornado', 'scale': 2}
    >>> cfg["displaylogo"]
    False
    """
    if format not in IMAGE_FORMATS:
        raise ValueError(f"format must be one of {', '.join(IMAGE_FORMATS)}; got {format!r}")
    if not (isinstance(scale, int | float) and scale > 0):
        raise ValueError(f"scale must be a positive number; got {scale!r}")
    return {
        "toImageButtonOptions": {
            "format": format,
            "filename": figure_file_stem(name, scenario),
            "scale": scale,
        },
        "displaylogo": False,
        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    }
