"""The notebooks in ``notebooks/`` run top to bottom and show their figures.

Each notebook is executed with nbclient on the current interpreter's ipykernel (the ``python3``
kernel name resolves to it). A notebook passes when no cell raises, when it draws at least one
plotly figure (the ``application/vnd.plotly.v1+json`` mimetype JupyterLab and VS Code render),
and when it leaves no file behind in ``notebooks/``. One executed notebook is exported to HTML
with nbconvert, the way a reader without Jupyter sees it: its figures must be there as plotly
divs with plotly.js inline (the notebooks set ``plotly.io.renderers.default`` for this).

The committed notebooks carry no outputs (the repository stays small and diffs stay readable).
"""

from functools import cache
from pathlib import Path

import nbclient
import nbformat
import pytest
from nbconvert import HTMLExporter

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
PLOTLY_MIME = "application/vnd.plotly.v1+json"
CELL_TIMEOUT_S = 180

pytestmark = pytest.mark.notebook


def _ids(paths):
    return [p.stem for p in paths]


@cache
def _executed(path: Path) -> nbformat.NotebookNode:
    """Execute a notebook once per test session (the HTML test reuses the run)."""
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, on the first error
    return nb


def _mimetypes(nb: nbformat.NotebookNode) -> list[str]:
    return [
        mime
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        for mime in out.get("data", {})
    ]


def test_the_notebooks_are_there():
    # the glob must not silently find nothing (the parametrized tests would then pass vacuously)
    expected = {
        "01_quick_start.ipynb",
        "02_clustered_vs_scaled_out_msmq.ipynb",
        "03_sharepoint_nlb.ipynb",
        "04_sizing_growth_plan.ipynb",
        "05_trust.ipynb",
    }
    assert expected <= {p.name for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: clear the outputs of cells {dirty} before committing"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_runs_and_draws_plotly_figures(path):
    before = set(NOTEBOOK_DIR.iterdir())
    nb = _executed(path)
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.output_type == "error"
    ]
    assert not errors, errors
    mimes = _mimetypes(nb)
    assert PLOTLY_MIME in mimes, f"{path.name} draws no plotly figure"
    # the renderer set in the first code cell also emits HTML for nbconvert and static viewers
    assert "text/html" in mimes
    assert set(NOTEBOOK_DIR.iterdir()) == before, "the notebook wrote files into notebooks/"


def test_html_export_shows_the_plotly_figures():
    path = NOTEBOOKS[0]
    nb = _executed(path)
    html, _ = HTMLExporter().from_notebook_node(nb)
    n_figures = _mimetypes(nb).count(PLOTLY_MIME)
    assert n_figures >= 1
    assert html.count('class="plotly-graph-div"') == n_figures
    assert html.count("Plotly.newPlot(") >= n_figures
    assert "plotly.js v" in html  # the library itself is inline: the page works offline
