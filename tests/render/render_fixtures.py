"""Shared by the render tests: one real run of tests/data/notebooks/report_ok.ipynb (once per session)
and small notebooks made of given outputs."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from conftest import kernel_env
from nbformat.v4 import new_code_cell, new_notebook

from evaluation.report.params import ReportParams
from evaluation.run.report import run_report

NOTEBOOKS = Path(__file__).resolve().parents[1] / "data" / "notebooks"
PARAMS = ReportParams(project="demo", kind="final", as_of=dt.date(2022, 12, 31))

_RUN: dict[str, Any] = {}


def executed_report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The run's home, executed notebook, html, pdf and json, with the environment pointing at its home.

    The notebook runs on the first call of the session; later calls get the same files.
    """
    if not _RUN:
        home = tmp_path_factory.mktemp("home")
        (home / "notebooks").mkdir()
        shutil.copy(NOTEBOOKS / "report_ok.ipynb", home / "notebooks" / "final.ipynb")
        (home / "data" / "demo").mkdir(parents=True)
        (home / "data" / "demo" / "project.yaml").write_text("id: demo\n", encoding="utf-8")
        with pytest.MonkeyPatch.context() as mp:
            kernel_env(mp, home)
            result = run_report(PARAMS, preflight=lambda p: None, timeout=120)
        _RUN.update(home=home, nb=nbformat.read(result.paths["ipynb"], as_version=4),
                    html=result.paths["html"].read_text(encoding="utf-8"), pdf=result.paths["pdf"].read_bytes(),
                    json=result.paths["json"].read_text(encoding="utf-8"))
    with pytest.MonkeyPatch.context() as mp:
        kernel_env(mp, _RUN["home"])
        yield _RUN


def nb_with(outputs: list, cells_before: list | None = None) -> nbformat.NotebookNode:
    """A notebook of ``cells_before`` and one code cell with ``outputs``."""
    cell = new_code_cell("x")
    cell.outputs = outputs
    return new_notebook(cells=[*(cells_before or []), cell])
