"""What a batch worker does: run one report (:func:`run_report_task`) or the portfolio (:func:`run_portfolio_task`).

A task is a small picklable record that carries its :class:`~evaluation.core.settings.Settings`
(home, reports folder); the worker makes them current for the task with
:func:`evaluation.core.settings.use`, adding the folder of its warm kernels, and the kernel
receives them from there (:func:`evaluation.run.kernels.kernel_manager_class`). Nothing is
read from or written to ``os.environ``. A task never raises: a failure (bad input, a failing
cell, a dead or hung kernel) is its outcome, with the reason.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from evaluation.core import paths, settings
from evaluation.core.errors import EvaluationError, ParameterError, Problem, ReportError
from evaluation.core.settings import Settings
from evaluation.io.atomic import write_atomically
from evaluation.run.executors import WorkerState, ensure_worker
from evaluation.run.files import FINGERPRINT_FILE, report_files, running_notebook_path, shown_path
from evaluation.run.fingerprint import fingerprint_bytes, fingerprint_path
from evaluation.run.kernels import WallClockGuard, call_with_startup_retries, kernel_manager_class, wall_limit
from evaluation.run.outcomes import ReportOutcome
from evaluation.run.report import failed_notebook_path, normalise_notebook, run_report

__all__ = ["PORTFOLIO_NOTEBOOK", "ReportTask", "PortfolioTask", "run_report_task", "run_portfolio_task", "portfolio_stem"]

T = TypeVar("T")

PORTFOLIO_NOTEBOOK = "portfolio.ipynb"
"""The portfolio notebook, in ``notebooks/``."""


@dataclass(frozen=True)
class ReportTask:
    """One report for a worker (picklable): its parameter file and the settings to run it with."""

    params_file: str
    project: str
    kind: str
    settings: Settings
    timeout: float | None
    retries: int
    warm: bool
    final: bool = False  # refuse a draft (evaluation batch --final)


@dataclass(frozen=True)
class PortfolioTask:
    """The portfolio over ``projects`` for a worker (picklable)."""

    projects: tuple[str, ...]
    as_of: str
    language: str
    formats: tuple[str, ...]
    settings: Settings
    timeout: float | None
    retries: int
    warm: bool
    fingerprint: dict[str, Any] | None = None
    """What the portfolio is made from (:func:`evaluation.run.fingerprint.portfolio_fingerprint`), recorded with it."""


def portfolio_stem(reports_dir: Path) -> Path:
    """The portfolio's outputs are ``<stem>.ipynb``, ``<stem>.html``, ...: ``reports/portfolio``."""
    return reports_dir / "portfolio"


def _task_settings(task: ReportTask | PortfolioTask, state: WorkerState) -> Settings:
    """The task's settings, with the worker's warm kernels when it has them."""
    kernel_dir = state.kernel_dir if state.kernel_dir is not None else task.settings.kernel_dir
    return task.settings.replace(kernel_dir=kernel_dir)


def _existing(files: Iterable[Path]) -> tuple[Path, ...]:
    return tuple(p for p in files if p.is_file())


def _failed_outputs(stem: Path) -> tuple[Path, ...]:
    """What a failed run leaves: its executed notebook (the previous good report stays as it was)."""
    return _existing([failed_notebook_path(stem)])


class _TimedOut(Exception):
    pass


def _guarded(fn: Callable[[], T], task: ReportTask | PortfolioTask, state: WorkerState) -> tuple[T, int]:
    guard = WallClockGuard(wall_limit(task.timeout), keep=state.own_processes)
    try:
        with guard:
            return call_with_startup_retries(fn, retries=task.retries)
    except Exception as exc:
        if guard.fired:
            raise _TimedOut(f"did not finish within {wall_limit(task.timeout):g} s (wall-clock limit); "
                            f"the kernel was stopped ({exc})") from exc
        raise


def _failure_message(exc: BaseException) -> str:
    if isinstance(exc, (EvaluationError, _TimedOut)):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def run_report_task(task: ReportTask) -> ReportOutcome:
    """Run one report in a worker; never raises (a failure is an outcome)."""
    state = ensure_worker(task.warm)
    started = time.monotonic()
    reports_dir = task.settings.reports
    try:
        with settings.use(_task_settings(task, state)):

            def attempt() -> Any:
                return run_report(Path(task.params_file), reports_dir=reports_dir, timeout=task.timeout,
                                  supersede=True, final=task.final)  # the batch's plan has skipped delivered reports

            result, attempts = _guarded(attempt, task, state)
        outputs = tuple(Path(p) for p in result.paths.values())
        return ReportOutcome(Path(task.params_file), task.project, task.kind, "ok", "",
                             time.monotonic() - started, outputs, attempts)
    except Exception as exc:  # noqa: BLE001 - one report's failure is its own
        return ReportOutcome(Path(task.params_file), task.project, task.kind, "failed", _failure_message(exc),
                             time.monotonic() - started, _failed_outputs(reports_dir / task.project / task.kind))


def run_portfolio_task(task: PortfolioTask) -> ReportOutcome:
    """Execute and render notebooks/portfolio.ipynb in a worker; never raises."""
    state = ensure_worker(task.warm)
    started = time.monotonic()
    stem = portfolio_stem(task.settings.reports)
    try:
        with settings.use(_task_settings(task, state)):
            _render_portfolio(task, stem, state)
        outputs = _existing(stem.parent / f"{stem.name}{s}" for s in (".ipynb", ".html", ".pdf", ".json", ".docx"))
        return ReportOutcome(None, "portfolio", "portfolio", "ok", "", time.monotonic() - started, outputs)
    except Exception as exc:  # noqa: BLE001
        return ReportOutcome(None, "portfolio", "portfolio", "failed", _failure_message(exc),
                             time.monotonic() - started, _failed_outputs(stem))


def _failed_cell_text(nb: Any) -> str:
    for index, cell in enumerate(c for c in nb.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
                return f"cell {index} ({first!r}): {output.get('ename', '')}: {output.get('evalue', '')}"
    return "a cell"


def _render_portfolio(task: PortfolioTask, stem: Path, state: WorkerState) -> None:
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from evaluation.render import html as render
    from evaluation.render.keyfigures import collect_key_figures
    from evaluation.render.pdf import font_cache, render_pdf
    from evaluation.report.params import ReportParams
    from evaluation.report.provenance import project_input_files, provenance
    from evaluation.run.engine import ENGINE_NAME

    notebook = paths.notebooks_dir() / PORTFOLIO_NOTEBOOK
    if not notebook.is_file():
        raise ParameterError([Problem(paths.display_path(notebook), "notebook", "the portfolio notebook", "missing")])
    files = report_files(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    files.clean()  # what a killed run left
    ipynb = files.path(".ipynb")
    failed_nb = failed_notebook_path(stem)
    raw = json.loads(notebook.read_text(encoding="utf-8"))
    source_ids = [str(c.get("id")) for c in raw.get("cells", []) if c.get("id")]
    parameters = {"projects": list(task.projects), "as_of": task.as_of, "language": task.language}
    tmp_nb = running_notebook_path(stem)

    def execute() -> Any:
        return papermill.execute_notebook(
            str(notebook), str(tmp_nb), parameters=parameters, kernel_name="python3", progress_bar=False,
            engine_name=ENGINE_NAME, request_save_on_cell_execute=False, failure_path=tmp_nb,  # run/engine.py
            log_output=False, execution_timeout=task.timeout, cwd=str(paths.notebooks_dir()),
            kernel_manager_class=kernel_manager_class(settings.current()),
        )

    try:
        try:
            nb, _ = _guarded(execute, task, state)
        except PapermillExecutionError as err:
            failed = nbformat.read(tmp_nb, as_version=4) if tmp_nb.is_file() else None
            if failed is not None:
                normalise_notebook(failed, source_ids, failed_nb)
                write_atomically({failed_nb: nbformat.writes(failed).encode("utf-8") + b"\n"})
            where = _failed_cell_text(failed) if failed is not None else f"cell {err.cell_index}"
            raise ReportError(f"{paths.display_path(notebook)} failed in {where}. The executed notebook is kept "
                              f"at {shown_path(failed_nb)}; the previous portfolio, if any, is untouched.") from err
    finally:
        tmp_nb.unlink(missing_ok=True)
    normalise_notebook(nb, source_ids, ipynb)
    params = ReportParams(project="portfolio", kind="final", as_of=date.fromisoformat(task.as_of),
                          language=task.language, formats=task.formats)  # type: ignore[arg-type]
    rendered: dict[str, bytes] = {".ipynb": (nbformat.writes(nb).rstrip("\n") + "\n").encode("utf-8")}
    html_text = (render.render_html(nb, params)
                 if any(f in task.formats for f in ("html", "pdf", "docx")) else None)
    if "html" in task.formats and html_text is not None:
        rendered[".html"] = html_text.encode("utf-8")
    if "pdf" in task.formats and html_text is not None:
        rendered[".pdf"] = render_pdf(html_text, base_url=paths.home(), font_cache=font_cache())
    if "docx" in task.formats and html_text is not None:
        from evaluation.render.word import render_docx

        rendered[".docx"] = render_docx(html_text, title=render.report_title(nb, params),
                                        lang=task.language, date=params.as_of)
    if "json" in task.formats:
        inputs = [p for project in task.projects for p in project_input_files(project)] + [notebook]
        document = {
            "key_figures": collect_key_figures(nb),
            "params": parameters,
            "provenance": provenance(inputs, parameters),
        }
        rendered[".json"] = (json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False,
                                        allow_nan=False) + "\n").encode("utf-8")
    # One switch; formats not asked for this time leave the portfolio with the old ones.
    files.publish(rendered, {FINGERPRINT_FILE: fingerprint_bytes(task.fingerprint)} if task.fingerprint else {})
    fingerprint_path(stem).unlink(missing_ok=True)  # where batches before report sets kept it
    failed_nb.unlink(missing_ok=True)
