"""Batch runs: many reports in parallel, skipping the unchanged ones, then a portfolio report.

:func:`run_batch` runs :func:`evaluation.run.report.run_report` for every parameter file in
worker processes or on an existing Dask cluster (``scheduler="tcp://host:port"``; see
:mod:`evaluation.run.executors`). Each report writes only its own folder ``reports/<project>/``;
a report that fails (bad parameters, bad data, a failing cell, a dead or hung kernel) is
recorded as ``failed`` with its reason and never stops the others (:mod:`evaluation.run.tasks`).
Kernel start-up collisions ("Address already in use") are retried with a short back-off, and
kernels are forked warm from a zygote (:mod:`evaluation.run.kernels`). A report whose inputs
are unchanged since its last successful run is ``skipped`` (:mod:`evaluation.run.fingerprint`).
After the reports, ``notebooks/portfolio.ipynb`` is run over every project of the batch into
``reports/portfolio.{ipynb,html,pdf,json,docx}`` and ``reports/index.html`` lists everything
with links (:mod:`evaluation.run.index`).

Configuration. The batch runs with the current :class:`~evaluation.core.settings.Settings`
(home, reports folder, workers); every task carries them to its worker, which makes them
current for the task, and the worker hands them to the report's kernel. ``os.environ`` is
neither read nor changed on the way.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import glob as _glob
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluation.core import paths, settings
from evaluation.core.errors import EvaluationError, InputError, ParameterError, Problem
from evaluation.core.i18n import DEFAULT_LANGUAGE
from evaluation.core.settings import Settings
from evaluation.run.delivery import delivered, skip_reason
from evaluation.run.executors import open_executor
from evaluation.run.files import shown_path
from evaluation.run.fingerprint import (
    code_fingerprint,
    portfolio_fingerprint,
    recorded_fingerprint,
    report_fingerprint,
)
from evaluation.run.index import write_index
from evaluation.run.kernels import DEFAULT_PRELOAD, KernelZygote, call_with_startup_retries
from evaluation.run.outcomes import BatchResult, ReportOutcome, Status
from evaluation.run.tasks import (
    PORTFOLIO_NOTEBOOK,
    PortfolioTask,
    ReportTask,
    portfolio_stem,
    run_portfolio_task,
    run_report_task,
)

__all__ = [
    # defined here
    "run_batch",
    "format_table",
    "add_cli",
    # defined in the run layer's other modules, importable from here as before
    "Status",
    "ReportOutcome",
    "BatchResult",
    "write_index",
    "code_fingerprint",
    "report_fingerprint",
    "call_with_startup_retries",
    "KernelZygote",
    "DEFAULT_PRELOAD",
    "PORTFOLIO_NOTEBOOK",
]


# --------------------------------------------------------------------------- planning


@dataclass
class _Planned:
    index: int
    params_file: Path
    project: str
    kind: str
    fingerprint: dict[str, Any] | None = None
    outcome: ReportOutcome | None = None
    params: Any = None


def _stem_guess(path: Path) -> tuple[str, str]:
    stem, _, kind = path.stem.rpartition("_")
    return (stem, kind) if stem else (path.stem, "")


def _plan(param_files: Sequence[Path], reports_dir: Path, force: bool, code: str, supersede: bool = False) -> list[_Planned]:
    from evaluation.report.params import load_params

    planned: list[_Planned] = []
    seen: dict[tuple[str, str], Path] = {}
    for i, raw in enumerate(param_files):
        path = Path(raw).resolve()
        project, kind = _stem_guess(path)
        item = _Planned(i, path, project, kind)
        planned.append(item)
        try:
            params = load_params(path)
        except EvaluationError as exc:
            item.outcome = ReportOutcome(path, project, kind, "failed", str(exc), 0.0)
            continue
        item.project, item.kind, item.params = params.project, params.kind, params
        key = (params.project, params.kind)
        if key in seen:
            item.outcome = ReportOutcome(path, params.project, params.kind, "failed",
                                         f"the same report as {paths.display_path(seen[key])} (one parameter file "
                                         f"per project and kind in a batch)", 0.0)
            continue
        seen[key] = path
        done = None if supersede or params.kind == "portfolio" else delivered(params.project, params.kind)
        if done is not None:  # a delivered report is never overwritten (evaluation deliver); --supersede makes a new one
            item.outcome = ReportOutcome(path, params.project, params.kind, "skipped", skip_reason(done), 0.0)
            continue
        stem = reports_dir / params.project / params.kind
        item.fingerprint = report_fingerprint(path, params.project, params.kind, code=code,
                                              reference_docx=params.reference_path())
        wanted = [stem.parent / f"{stem.name}.ipynb", *(stem.parent / f"{stem.name}.{f}" for f in params.formats)]
        if (not force and recorded_fingerprint(stem) == item.fingerprint["fingerprint"]
                and all(p.is_file() for p in wanted)):
            item.outcome = ReportOutcome(path, params.project, params.kind, "skipped",
                                         "unchanged since the last successful run", 0.0, tuple(wanted))
    return planned


def _portfolio_plan(
    planned: Sequence[_Planned], config: Settings, timeout: float | None, retries: int, warm: bool, code: str,
    force: bool,
) -> tuple[PortfolioTask | None, ReportOutcome | None, dict[str, Any] | None]:
    """The portfolio task (or an outcome saying why there is none) and its fingerprint."""
    from evaluation.io.loader import load_project

    loaded = [p for p in planned if p.params is not None and p.params.kind != "portfolio"]  # not a region's portfolio
    projects: list[str] = []
    left_out: list[str] = []
    for pid in sorted({p.project for p in loaded}):
        try:
            load_project(pid)
        except EvaluationError:
            left_out.append(pid)
            continue
        projects.append(pid)
    if not projects:
        return None, ReportOutcome(None, "portfolio", "portfolio", "skipped", "no project of the batch loads", 0.0), None
    as_of = max(p.params.as_of for p in loaded if p.project in projects)
    languages = {p.params.language for p in loaded if p.project in projects}
    language = languages.pop() if len(languages) == 1 else DEFAULT_LANGUAGE
    formats = tuple(f for f in ("html", "pdf", "json", "docx") if any(f in p.params.formats for p in loaded))
    task = PortfolioTask(tuple(projects), as_of.isoformat(), language, formats, config, timeout, retries, warm)
    record = portfolio_fingerprint(paths.notebooks_dir() / PORTFOLIO_NOTEBOOK, projects, task.as_of, language,
                                   formats, code=code)
    stem = portfolio_stem(config.reports)
    wanted = [stem.parent / f"{stem.name}.ipynb", *(stem.parent / f"{stem.name}.{f}" for f in formats)]
    note = f" (left out, they do not load: {', '.join(left_out)})" if left_out else ""
    if not force and recorded_fingerprint(stem) == record["fingerprint"] and all(p.is_file() for p in wanted):
        return None, ReportOutcome(None, "portfolio", "portfolio", "skipped",
                                   "unchanged since the last successful run" + note, 0.0, tuple(wanted)), record
    task = dataclasses.replace(task, fingerprint=record)
    return task, None, {**record, "note": note}


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """Inside the block a SIGTERM (``kill``) stops the batch as Ctrl-C does: a KeyboardInterrupt, on which
    the executor stops its workers and kernels at once (only the main thread can take signals)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"stopped by signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_batch(
    param_files: Sequence[Path | str],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    reports_dir: Path | str | None = None,
    timeout: float | None = 600,
    force: bool = False,
    retries: int = 3,
    progress: bool = True,
    portfolio: bool = True,
    warm_kernels: bool = True,
    supersede: bool = False,
    final: bool = False,
) -> BatchResult:
    """Run the report of every parameter file, in parallel; then the portfolio and the index.

    ``workers`` worker processes (default: the settings' ``workers``, else ``os.cpu_count()``), or
    the Dask cluster at ``scheduler`` (``tcp://host:port``; ``workers`` is then ignored). ``timeout`` limits each
    cell (papermill) and, with a margin, each whole report (wall clock). ``force`` re-runs
    unchanged reports. ``retries`` is the number of retries after a kernel start-up error.
    ``progress`` shows a tqdm bar on stderr when stderr is a terminal. ``portfolio`` runs
    the portfolio notebook over the batch's projects. ``reports_dir`` defaults to the settings'
    reports folder. A delivered report (``evaluation deliver``) is skipped unless ``supersede``; with ``final`` a draft
    (the evaluator has not finished, :mod:`evaluation.review.completeness`) fails instead of being written. Runs with the current settings (:func:`evaluation.core.settings.current`),
    which every task carries to its worker. Never raises for a failing report: see :class:`BatchResult`.
    """
    started = time.monotonic()
    problems = []
    if workers is not None and (not isinstance(workers, int) or isinstance(workers, bool) or workers < 1):
        problems.append(Problem("run_batch() arguments", "workers", "a whole number >= 1", workers))
    if scheduler is not None and (not isinstance(scheduler, str) or "://" not in scheduler):
        problems.append(Problem("run_batch() arguments", "scheduler", "a scheduler address such as tcp://host:8786", scheduler))
    if timeout is not None and (not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0):
        problems.append(Problem("run_batch() arguments", "timeout", "seconds > 0 or None", timeout))
    if not isinstance(retries, int) or isinstance(retries, bool) or retries < 0:
        problems.append(Problem("run_batch() arguments", "retries", "a whole number >= 0", retries))
    if problems:
        raise InputError(problems)
    config = settings.current()
    out_dir = (Path(reports_dir) if reports_dir is not None else config.reports).resolve()
    config = config.replace(reports_dir=out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError([Problem("command line", "--reports-dir", "a folder that can be written",
                                  f"{out_dir.name} ({type(err).__name__}: {err.strerror or err})")]) from None
    with settings.use(config):
        return _run(param_files, config, out_dir, started, workers=workers, scheduler=scheduler, timeout=timeout,
                    force=force, retries=retries, progress=progress, portfolio=portfolio, warm_kernels=warm_kernels,
                    supersede=supersede, final=final)


def _run(
    param_files: Sequence[Path | str], config: Settings, out_dir: Path, started: float, *, workers: int | None,
    scheduler: str | None, timeout: float | None, force: bool, retries: int, progress: bool, portfolio: bool,
    warm_kernels: bool, supersede: bool = False, final: bool = False,
) -> BatchResult:
    """:func:`run_batch` with its arguments checked and its settings (``config``) current."""
    code = code_fingerprint()
    planned = _plan([Path(p) for p in param_files], out_dir, force, code, supersede)
    todo = [p for p in planned if p.outcome is None]
    todo.sort(key=lambda p: p.kind != "final")  # finals first: mid-terms then find shared figures drawn (report/figcache.py)
    tasks = [ReportTask(str(p.params_file), p.project, p.kind, config, timeout, retries, warm_kernels, final) for p in todo]
    wanted = workers or config.workers or os.cpu_count() or 1
    n_workers = max(1, min(wanted, max(1, len(tasks) + (1 if portfolio else 0))))

    from tqdm import tqdm

    bar = tqdm(total=len(planned), desc="reports", unit="report", file=sys.stderr,
               disable=not progress or not sys.stderr.isatty())
    bar.update(len(planned) - len(todo))
    portfolio_outcome: ReportOutcome | None = None
    try:
        with _stop_on_sigterm(), open_executor(n_workers, scheduler, warm_kernels) as executor:

            def done(i: int, outcome: ReportOutcome) -> None:
                item = todo[i]
                item.outcome = outcome  # the report recorded its own fingerprint with its files
                bar.update(1)
                bar.set_postfix_str(f"{outcome.project}/{outcome.kind}: {outcome.status}")

            executor.run(run_report_task, tasks, done)
            if portfolio:
                task, portfolio_outcome, record = _portfolio_plan(planned, config, timeout, retries, warm_kernels,
                                                                  code, force)
                if task is not None and record is not None:
                    note = record.pop("note", "")
                    results: list[ReportOutcome] = []
                    executor.run(run_portfolio_task, [task], lambda _i, o: results.append(o))
                    portfolio_outcome = results[0]
                    if note:
                        portfolio_outcome = ReportOutcome(
                            None, "portfolio", "portfolio", portfolio_outcome.status,
                            (portfolio_outcome.message + note).strip(), portfolio_outcome.duration,
                            portfolio_outcome.outputs, portfolio_outcome.attempts)
    finally:
        bar.close()
    outcomes = tuple(p.outcome for p in planned if p.outcome is not None)
    result = BatchResult(outcomes=outcomes, reports_dir=out_dir, portfolio=portfolio_outcome,
                         wall_time=time.monotonic() - started)
    index = write_index(result, out_dir)
    return BatchResult(outcomes=outcomes, reports_dir=out_dir, portfolio=portfolio_outcome, index=index,
                       wall_time=time.monotonic() - started)


# --------------------------------------------------------------------------- command line


def _expand(arguments: Sequence[str]) -> list[Path]:
    """Parameter files from the arguments (globs expanded, sorted); default: every params/*.yaml."""
    if not arguments:
        files = sorted(paths.params_dir().glob("*.yaml"))
        if not files:
            raise ParameterError([Problem(paths.display_path(paths.params_dir()), "PARAMS",
                                          "a folder holding <project>_<kind>.yaml files", "none found")])
        return files
    out: list[Path] = []
    problems = []
    for arg in arguments:
        if _glob.has_magic(arg):
            matches = sorted(Path(m) for m in _glob.glob(arg))
            if not matches:
                problems.append(Problem("command line", "PARAMS", "a pattern matching parameter files", arg))
            out += matches
        elif not Path(arg).is_file():
            problems.append(Problem("command line", "PARAMS", "an existing parameter file", arg))
        else:
            out.append(Path(arg))
    if problems:
        raise ParameterError(problems)
    unique: dict[Path, None] = {}
    for p in out:
        unique.setdefault(p.resolve(), None)
    return list(unique)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1 (got {text!r})") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1 (got {text!r})")
    return value


def format_table(result: BatchResult) -> str:
    """The final table as text: one line per report, then the full reason of each failure."""
    import pandas as pd

    frame = result.table()
    short = frame.assign(message=[m.splitlines()[0][:80] + ("…" if len(m) > 80 or "\n" in m else "") if m else ""
                                  for m in frame["message"]])
    with pd.option_context("display.max_colwidth", None, "display.width", 200):
        text = short.drop(columns=["params_file"]).to_string(index=False)
    failures = [o for o in [*result.outcomes, *([result.portfolio] if result.portfolio else [])] if o.status == "failed"]
    lines = [text]
    counts = {s: sum(1 for o in result.outcomes if o.status == s) for s in ("ok", "skipped", "failed")}
    lines.append(f"\n{len(result.outcomes)} reports: {counts['ok']} ok, {counts['skipped']} skipped (unchanged), "
                 f"{counts['failed']} failed; {result.wall_time:.1f} s")
    if failures:
        lines.append("\nFailures:")
        for o in failures:
            lines.append(f"- {o.project}/{o.kind}: {o.message}")
    if result.index is not None:
        with settings.use(reports_dir=result.reports_dir):
            lines.append(f"\nIndex: {shown_path(result.index)}")
    return "\n".join(lines)


def _handle(args: argparse.Namespace) -> int:
    try:
        files = _expand(args.params)
        result = run_batch(files, workers=args.workers, scheduler=args.scheduler, reports_dir=args.reports_dir,
                           timeout=args.timeout, force=args.force, portfolio=not args.no_portfolio,
                           progress=not args.no_progress, supersede=args.supersede, final=args.final)
    except EvaluationError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    print(format_table(result))
    return result.exit_code()


def add_cli(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``evaluation batch [PARAMS ...] [--workers N] [--scheduler tcp://...] [--timeout S]
    [--force] [--no-portfolio] [--reports-dir DIR]``."""
    from evaluation.run.report import timeout_arg

    parser = subparsers.add_parser(
        "batch",
        help="run many reports in parallel, then the portfolio report",
        description=("Run the report of every parameter file (default: every params/*.yaml) in parallel "
                     "worker processes or on a Dask cluster, skip reports whose inputs are unchanged, then "
                     "render the portfolio over all projects and write reports/index.html. Prints a table of "
                     "what succeeded and what failed and why; exit status 1 when any report failed."),
        epilog=("examples:\n  evaluation batch\n  evaluation batch 'params/*_final.yaml' --workers 2 --force\n"
                "  evaluation batch --scheduler tcp://10.0.0.5:8786"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("params", nargs="*", metavar="PARAMS",
                        help="parameter files or glob patterns (default: params/*.yaml)")
    parser.add_argument("--workers", type=_positive_int, default=None, metavar="N",
                        help="worker processes (default: the number of CPUs)")
    parser.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                        help="run on this Dask distributed scheduler instead of local processes")
    parser.add_argument("--timeout", type=timeout_arg, default=600.0, metavar="S",
                        help="seconds one report may run (default 600; 'none' for no limit)")
    parser.add_argument("--force", action="store_true", help="re-run reports whose inputs are unchanged")
    parser.add_argument("--final", action="store_true",
                        help="refuse to write drafts: a report the evaluator has not finished fails, listing what is missing")
    parser.add_argument("--supersede", action="store_true",
                        help="also re-run delivered reports (the delivered copies stay in deliveries/)")
    parser.add_argument("--no-portfolio", action="store_true", help="do not render the portfolio report")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--reports-dir", type=Path, default=None, metavar="DIR",
                        help="folder for the reports (default: reports/ in the project home)")
    parser.set_defaults(func=_handle)
    return parser
