"""Tests for evaluation.run.tasks: a task runs with the settings it carries and never raises."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from evaluation.core.settings import Settings
from evaluation.run import executors
from evaluation.run.tasks import PortfolioTask, ReportTask, portfolio_stem, run_portfolio_task, run_report_task

PARAMS = "project: demo\nkind: final\nas_of: 2022-12-31\nlanguage: sv\nformats: [html]\nsmall_cell_threshold: 5\n"


@pytest.fixture
def cold_worker() -> Iterator[None]:
    """This process acts as a worker without warm kernels; its state is dropped afterwards."""
    executors.ensure_worker(warm=False)
    yield
    executors.close_worker()


def _home(root: Path) -> Path:
    (root / "notebooks").mkdir(parents=True)
    (root / "data" / "demo").mkdir(parents=True)
    (root / "data" / "demo" / "project.yaml").write_text("id: demo\n", encoding="utf-8")
    (root / "params").mkdir()
    (root / "params" / "demo_final.yaml").write_text(PARAMS, encoding="utf-8")
    return root


def test_report_task_fails_as_an_outcome_in_the_home_it_carries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                cold_worker: None) -> None:
    """A report that cannot run is a failed outcome naming the cause in the task's home; os.environ is not touched."""
    home = _home(tmp_path / "home")
    monkeypatch.setenv("EVALUATION_HOME", str(tmp_path / "somewhere-else"))
    before = dict(os.environ)
    task = ReportTask(str(home / "params" / "demo_final.yaml"), "demo", "final", Settings(home=home), 5, 0, False)
    outcome = run_report_task(task)
    assert outcome.status == "failed" and outcome.project == "demo" and outcome.outputs == ()
    assert "data/demo/project.yaml" in outcome.message and "somewhere-else" not in outcome.message
    assert dict(os.environ) == before


def test_portfolio_task_without_its_notebook_fails_as_an_outcome(tmp_path: Path, cold_worker: None) -> None:
    """No notebooks/portfolio.ipynb: the portfolio fails with that reason, nothing is written."""
    home = _home(tmp_path / "home")
    task = PortfolioTask(("demo",), "2022-12-31", "sv", ("html",), Settings(home=home), 5, 0, False)
    outcome = run_portfolio_task(task)
    assert outcome.status == "failed" and "the portfolio notebook" in outcome.message
    assert portfolio_stem(home / "reports") == home / "reports" / "portfolio"
    assert not (home / "reports" / "portfolio.html").exists()
