"""Tests for working in JupyterLab: notebooks are committed without outputs, and each one runs top to
bottom interactively (no papermill, no parameters given) with its default parameters."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from evaluation.core import paths

NOTEBOOKS = sorted(paths.notebooks_dir().glob("*.ipynb"))
REPO = paths.PACKAGE_DIR.parent


def test_there_are_three_notebooks() -> None:
    """The collection holds the mid-term, final and portfolio notebooks."""
    assert [p.name for p in NOTEBOOKS] == ["final.ipynb", "midterm.ipynb", "portfolio.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_committed_without_outputs(path: Path) -> None:
    """A committed notebook has no outputs, no execution counts and no widget state."""
    nb = nbformat.read(path, as_version=4)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert dirty == [], f"{path.name}: cells {dirty} have outputs; clear them before committing"
    assert "widgets" not in nb.metadata


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_one_tagged_parameters_cell(path: Path) -> None:
    """Each notebook has exactly one code cell tagged 'parameters', and it is the first code cell."""
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [i for i, c in enumerate(code) if "parameters" in c.metadata.get("tags", [])]
    assert tagged == [0]


@pytest.mark.parametrize(("name", "expected"), [
    ("final.ipynb", "Näringsliv i samverkan NIS 6.0"),
    ("midterm.ipynb", "Hållbar samhällsomställning"),
    ("portfolio.ipynb", "NIS 6.0"),
])
def test_notebook_runs_top_to_bottom_with_defaults(name: str, expected: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Run as a user in JupyterLab would (Run All, default parameters): no cell fails, the project's name shows."""
    monkeypatch.delenv("EVALUATION_HOME", raising=False)
    nb = nbformat.read(paths.notebooks_dir() / name, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    text = "".join(
        str(o.get("data", {}).get("text/html", "")) + str(o.get("data", {}).get("text/markdown", "")) + str(o.get("text", ""))
        for c in nb.cells if c.cell_type == "code" for o in c.outputs
    )
    assert expected in text
    assert not any(o.get("output_type") == "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def test_makefile_and_readme_open_jupyterlab() -> None:
    """`make lab` starts JupyterLab from the project's environment, and the README says so."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "\nlab: setup\n\t$(BIN)/jupyter lab notebooks\n" in makefile
    assert "make lab" in (REPO / "README.md").read_text(encoding="utf-8")
