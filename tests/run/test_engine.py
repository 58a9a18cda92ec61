"""Tests for evaluation.run.engine: the executed notebook is written once, and on failure where asked."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill
import pytest
from papermill.exceptions import PapermillExecutionError

from evaluation.run.engine import ENGINE_NAME


def _notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def _run(src: Path, out: Path, failure: Path, timeout: float = 60) -> nbformat.NotebookNode:
    return papermill.execute_notebook(str(src), str(out), engine_name=ENGINE_NAME, request_save_on_cell_execute=False,
                                      failure_path=failure, kernel_name="python3", progress_bar=False,
                                      execution_timeout=timeout)


def test_written_once_at_the_end_not_per_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three cells run: papermill's per-cell saves write nothing; the notebook is written once, complete."""
    import papermill.engines as engines

    saves: list[str] = []
    real = engines.write_ipynb
    monkeypatch.setattr(engines, "write_ipynb", lambda nb, path: (saves.append(str(path)), real(nb, path)))
    out = tmp_path / "out.ipynb"
    nb = _run(_notebook(tmp_path / "in.ipynb", "a = 1", "b = a + 1", "print(b)"), out, tmp_path / "failed.ipynb")
    assert saves == []  # no per-cell saves
    assert out.is_file() and not (tmp_path / "failed.ipynb").exists()
    written = nbformat.read(out, as_version=4)
    assert written.cells[2].outputs[0]["text"] == "2\n" == nb.cells[2].outputs[0]["text"]


def test_a_timeout_leaves_the_notebook_at_the_failure_path(tmp_path: Path) -> None:
    """A cell past the timeout (raised inside the engine): the notebook is written where asked, with that
    cell's start time, so the run can say which cell timed out."""
    from nbclient.exceptions import CellTimeoutError

    failure = tmp_path / "failed.ipynb"
    with pytest.raises(CellTimeoutError):
        _run(_notebook(tmp_path / "in.ipynb", "a = 1", "import time; time.sleep(60)", "b = 2"),
             tmp_path / "out.ipynb", failure, timeout=3)
    kept = nbformat.read(failure, as_version=4)
    assert kept.cells[1].metadata["papermill"]["start_time"]
    assert not kept.cells[2].metadata["papermill"].get("start_time")


def test_a_failing_cell_is_written_by_papermill_with_its_error(tmp_path: Path) -> None:
    """A cell that raises (run_report passes the same file as output and failure path): the error output is kept."""
    out = tmp_path / "run.ipynb"
    with pytest.raises(PapermillExecutionError):
        _run(_notebook(tmp_path / "in.ipynb", "a = 1", "raise ValueError('avsiktligt fel')", "b = 2"), out, out)
    kept = nbformat.read(out, as_version=4)
    assert any(o.get("ename") == "ValueError" for cell in kept.cells for o in cell.get("outputs", []))
