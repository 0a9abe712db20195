"""Static export of the figures for reports: HTML (offline), PNG, SVG and PDF.

HTML needs nothing but plotly: the file carries plotly.js inline and opens offline. PNG, SVG and
PDF are rendered by `kaleido <https://pypi.org/project/kaleido/>`_ (≥ 1.0, the ``[export]``
extra), which drives a Chrome/Chromium browser. The browser is, in this order, the one named by
the ``BROWSER_PATH`` environment variable, Debian's ``/usr/bin/chromium``, or whatever kaleido's
own lookup finds (a Chrome on the ``PATH`` or one downloaded with ``kaleido_get_chrome``).
Without kaleido or without a browser the export raises a :class:`RuntimeError` whose one-line
message says what to install.

kaleido is imported only when an image is rendered, so ``import availcalc.figures`` stays light.
Each image starts a headless browser (about 2–3 s).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

__all__ = ["FORMATS", "figure_bytes", "save_figure"]

FORMATS = ("html", "png", "svg", "pdf")
"""The formats :func:`save_figure` and :func:`figure_bytes` write."""

NO_KALEIDO = "static export needs kaleido: pip install 'availcalc[export]'"
NO_BROWSER = (
    "static export (PNG/SVG/PDF) needs a Chrome/Chromium browser: apt-get install chromium "
    "(or set BROWSER_PATH); HTML export works without one"
)
_DEBIAN_CHROMIUM = "/usr/bin/chromium"
_DEFAULT_SIZE = (700, 500)  # plotly's default image size [px] when the layout sets none


def _executable(path: str) -> bool:
    return Path(path).is_file() and os.access(path, os.X_OK)


def _find_browser() -> str | None:
    """Return the Chrome/Chromium executable static export uses, or None when there is none.

    ``BROWSER_PATH`` when set (None when it names no executable: an explicit choice is never
    replaced by another browser), else ``/usr/bin/chromium``, else kaleido's own lookup.
    """
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env if _executable(env) else None
    if _executable(_DEBIAN_CHROMIUM):
        return _DEBIAN_CHROMIUM
    try:
        from choreographer.browsers.chromium import Chromium  # kaleido's browser driver

        found = Chromium.find_browser(skip_local=False)
    except Exception:  # an older or newer choreographer: search the PATH ourselves
        names = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
        found = next((p for p in map(shutil.which, names) if p), None)
    return str(found) if found else None


def _format(format: str | None, path: Path | None = None) -> str:
    fmt = format if format is not None else (path.suffix.lstrip(".") if path else "")
    fmt = fmt.lower().lstrip(".")
    fmt = "html" if fmt == "htm" else fmt
    if fmt not in FORMATS:
        where = f"format={format!r}" if format is not None else f"the extension of {str(path)!r}"
        raise ValueError(
            f"cannot export a figure as {fmt!r} ({where}); expected one of {', '.join(FORMATS)}"
        )
    return fmt


def _check_size(name: str, value: Any) -> None:
    if value is not None and not (isinstance(value, int | float) and value > 0):
        raise ValueError(f"{name} must be a positive number of pixels or None; got {value!r}")


def _first_line(exc: BaseException) -> str:
    text = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    return (text.strip().splitlines() or [type(exc).__name__])[0]


def _image(fig: go.Figure, fmt: str, width: Any, height: Any, scale: float) -> bytes:
    """Render ``fig`` with kaleido; one-line RuntimeError without kaleido or a browser."""
    try:
        import kaleido
    except ImportError:
        raise RuntimeError(NO_KALEIDO) from None
    browser = _find_browser()
    if browser is None:
        raise RuntimeError(NO_BROWSER)
    from kaleido.errors import ChromeNotFoundError

    layout, template = fig.layout, fig.layout.template.layout
    opts = {
        "format": fmt,
        "width": width or layout.width or template.width or _DEFAULT_SIZE[0],
        "height": height or layout.height or template.height or _DEFAULT_SIZE[1],
        "scale": scale,
    }
    # mathjax=False: the figures use no LaTeX, and kaleido would fetch MathJax from a CDN
    kopts = {"path": browser, "mathjax": False}
    try:
        data = kaleido.calc_fig_sync(fig.to_dict(), opts=opts, kopts=kopts)
    except ChromeNotFoundError:
        raise RuntimeError(NO_BROWSER) from None
    except Exception as exc:  # the browser crashed, timed out or plotly.js failed
        raise RuntimeError(f"static export with {browser} failed: {_first_line(exc)}") from exc
    return bytes(data)


def figure_bytes(
    fig: go.Figure,
    format: str,
    *,
    width: float | None = None,
    height: float | None = None,
    scale: float = 2,
) -> bytes:
    """Return a figure as the bytes of an HTML, PNG, SVG or PDF file.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        A figure, e.g. from a factory of :mod:`availcalc.figures`.
    format : {"html", "png", "svg", "pdf"}
        The file format (case-insensitive, a leading dot is ignored).
    width, height : float, optional
        Size [px] of the image (HTML: of the figure in the page). Default: the figure's layout
        size, else 700 × 500 for images and the full page width (and height) for HTML.
    scale : float, default 2
        Pixel density of PNG images [device px per layout px]: 2 keeps a 700 px wide figure
        sharp when a report scales it. SVG and PDF are vector formats; HTML ignores it.

    Returns
    -------
    bytes
        The file's content (HTML as UTF-8 with plotly.js inline, so it works offline).

    Raises
    ------
    ValueError
        For an unknown format or a non-positive size or scale.
    RuntimeError
        For PNG/SVG/PDF when kaleido is not installed (``pip install 'availcalc[export]'``) or
        no Chrome/Chromium browser is found, or when the browser fails; the message is one line.

    See Also
    --------
    save_figure : write the same bytes to a file, the format taken from its extension.

    Examples
    --------
    >>> from availcalc import evaluate, load_preset
    >>> from availcalc.figures import topology_diagram
    >>> fig = topology_diagram(evaluate(load_preset("msmq_clustered_active_passive")))
    >>> html = figure_bytes(fig, "html")
    >>> b"<html>" in html[:100], b"<script" in html  # plotly.js inline: works offline
    (True, True)
    >>> figure_bytes(fig, "png")[1:4]  # doctest: +SKIP
    b'PNG'
    """
    fmt = _format(format)
    _check_size("width", width)
    _check_size("height", height)
    if not (isinstance(scale, int | float) and scale > 0):
        raise ValueError(f"scale must be a positive number; got {scale!r}")
    if fmt == "html":
        size = {k: v for k, v in (("width", width), ("height", height)) if v is not None}
        if size:  # on a copy: the caller's figure is left as it is
            fig = go.Figure(fig).update_layout(**size)
        return fig.to_html(include_plotlyjs=True, full_html=True).encode("utf-8")
    return _image(fig, fmt, width, height, scale)


def save_figure(
    fig: go.Figure,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    width: float | None = None,
    height: float | None = None,
    scale: float = 2,
) -> Path:
    """Write a figure to an HTML, PNG, SVG or PDF file for a report.

    HTML needs no browser (plotly.js is inlined, so the file works offline); PNG, SVG and PDF
    are rendered by kaleido in a headless Chrome/Chromium (``BROWSER_PATH``, else
    ``/usr/bin/chromium``, else kaleido's own lookup).

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        A figure, e.g. from a factory of :mod:`availcalc.figures`.
    path : str or path-like
        The file to write (replaced if it exists; its folder must exist).
    format : {"html", "png", "svg", "pdf"}, optional
        The file format; default: from the extension of ``path`` (``.htm`` is HTML).
    width, height : float, optional
        Size [px] of the image (HTML: of the figure in the page). Default: the figure's layout
        size, else 700 × 500 for images and the full page width (and height) for HTML.
    scale : float, default 2
        Pixel density of PNG images [device px per layout px].

    Returns
    -------
    pathlib.Path
        ``path``, written.

    Raises
    ------
    ValueError
        For an unknown format or extension, or a non-positive size or scale.
    RuntimeError
        For PNG/SVG/PDF when kaleido is not installed or no Chrome/Chromium browser is found
        (one-line message saying what to install), or when the browser fails.
    FileNotFoundError
        When the folder of ``path`` does not exist.

    See Also
    --------
    figure_bytes : the same content as bytes (for a download button or a web response).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from availcalc import evaluate, load_preset
    >>> from availcalc.figures import failure_states_chart
    >>> fig = failure_states_chart(evaluate(load_preset("msmq_clustered_active_passive")))
    >>> out = save_figure(fig, pathlib.Path(tempfile.mkdtemp()) / "states.html")
    >>> out.name, out.stat().st_size > 1_000_000  # plotly.js is inline
    ('states.html', True)
    >>> save_figure(fig, "states.png")  # doctest: +SKIP
    PosixPath('states.png')
    """
    path = Path(path)
    fmt = _format(format, path)
    if not path.parent.is_dir():  # before the browser spends seconds on the image
        raise FileNotFoundError(f"cannot write {str(path)!r}: no folder {str(path.parent)!r}")
    data = figure_bytes(fig, fmt, width=width, height=height, scale=scale)
    path.write_bytes(data)
    return path
