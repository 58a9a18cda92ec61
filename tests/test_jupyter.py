"""Tests for working in JupyterLab: notebooks are committed without outputs, and each one runs top to
bottom interactively (no papermill, no parameters given) with its default parameters."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from evaluation.core import paths

NOTEBOOKS = sorted(paths.notebooks_dir().glob("*.ipynb"))
REPO = paths.PACKAGE_DIR.parent


def test_there_are_four_notebooks() -> None:
    """The collection holds the appraisal, mid-term, final and portfolio notebooks."""
    assert [p.name for p in NOTEBOOKS] == ["appraisal.ipynb", "final.ipynb", "midterm.ipynb", "portfolio.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_committed_without_outputs(path: Path) -> None:
    """A committed notebook has no outputs, no execution counts and no widget state."""
    nb = nbformat.read(path, as_version=4)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert dirty == [], f"{path.name}: cells {dirty} have outputs; clear them before committing"
    assert "widgets" not in nb.metadata


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_one_tagged_parameters_cell(path: Path) -> None:
    """Each notebook has exactly one code cell tagged 'parameters', right after the first code cell, which guards it."""
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [i for i, c in enumerate(code) if "parameters" in c.metadata.get("tags", [])]
    assert tagged == [1]
    assert "guard_parameters(" in code[0].source  # refuses code in papermill's injected cell


@pytest.mark.parametrize(("name", "expected"), [
    ("final.ipynb", "Näringsliv i samverkan NIS 6.0"),
    ("midterm.ipynb", "Hållbar samhällsomställning"),
    ("portfolio.ipynb", "NIS 6.0"),
    ("appraisal.ipynb", "Innovativa SMFs bidrag till stålindustrins omställning"),
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
    """`make lab` starts JupyterLab from the project's environment through scripts/lab.sh, and the README says so."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "\nlab: setup\n\tJUPYTER=$(BIN)/jupyter bash scripts/lab.sh\n" in makefile
    assert "make lab" in (REPO / "README.md").read_text(encoding="utf-8")


def test_lab_opens_scratch_copies_and_works_as_root(tmp_path: Path) -> None:
    """scripts/lab.sh opens copies in .lab/ (the committed notebooks stay untouched) and adds --allow-root for root."""
    home = tmp_path / "home"
    (home / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "lab.sh", home / "scripts" / "lab.sh")
    shutil.copytree(REPO / "notebooks", home / "notebooks")
    before = {p.name: p.read_bytes() for p in (home / "notebooks").glob("*.ipynb")}
    fake = tmp_path / "jupyter"
    fake.write_text('#!/usr/bin/env bash\necho "$@" > "$(dirname "$0")/args"\necho \'{"cells": [1]}\' > .lab/final.ipynb\n')
    fake.chmod(0o755)
    done = subprocess.run(["bash", str(home / "scripts" / "lab.sh")], env={**os.environ, "JUPYTER": str(fake)},
                          capture_output=True, text=True, check=True)
    args = (tmp_path / "args").read_text().split()
    assert args[:2] == ["lab", ".lab"]
    assert ("--allow-root" in args) == (os.geteuid() == 0)
    assert ("--allow-root" in done.stderr) == (os.geteuid() == 0)
    assert sorted(p.name for p in (home / ".lab").glob("*.ipynb")) == sorted(before)
    assert {p.name: p.read_bytes() for p in (home / "notebooks").glob("*.ipynb")} == before  # autosave hit the copy only
