"""Run one report: validate parameters, execute the notebook with papermill, render, write atomically.

``evaluation report params/nis60_final.yaml`` writes ``reports/nis60/final.ipynb`` (always)
and ``final.html``, ``final.pdf``, ``final.json``, ``final.docx`` (as the parameters ask). Parameters are
validated and the project pre-flighted before any kernel starts. When a cell fails or the
run times out, the executed notebook is kept for inspection as ``<kind>.failed.ipynb``, the
previous good report (if any) is left untouched, and a :class:`~evaluation.core.errors.ReportError`
names the cell. Outputs are rendered completely in memory, then written as one set
(:func:`evaluation.run.files.report_files`): the new files go into a fresh hidden folder and one
link is switched to it, so a reader sees the whole previous report or the whole new one, never
a mix, even when the run is killed while writing. The set records the fingerprint of the inputs
it was made from, which ``evaluation batch`` compares to skip unchanged reports.
Identical inputs give byte-identical .ipynb, HTML, PDF, JSON and Word files: timestamps and
durations are stripped from the executed notebook.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from evaluation.core import paths, settings
from evaluation.core.errors import EvaluationError, InputError, ParameterError, Problem, ReportError
from evaluation.io.atomic import write_atomically
from evaluation.report.params import FORMATS, ReportParams, load_params
from evaluation.run.delivery import refuse_overwrite
from evaluation.run.files import FINGERPRINT_FILE, report_files, running_notebook_path, shown_path
from evaluation.run.fingerprint import code_fingerprint, fingerprint_bytes, fingerprint_path, report_fingerprint
from evaluation.run.kernels import is_kernel_startup_error, kernel_manager_class

OUTPUT_SUFFIXES: dict[str, str] = {"html": ".html", "pdf": ".pdf", "json": ".json", "docx": ".docx"}

_ADDRESS_RE = re.compile(r" at 0x[0-9a-fA-F]+")


@dataclass(frozen=True)
class ReportResult:
    """What one report run wrote: paths per format (always ``ipynb``), duration in s, key figures."""

    params: ReportParams
    paths: Mapping[str, Path]
    duration: float
    key_figures: Mapping[str, Any] = field(default_factory=dict)


def _default_preflight(params: ReportParams) -> None:
    """Load the project with the model team's loader when it exists (raises InputError on bad data)."""
    if params.kind == "portfolio":  # a region's portfolio: its notebook loads the region's projects
        return
    try:
        from evaluation.io.loader import load_project
    except ImportError:
        return
    from evaluation.analysis.asof import as_of_view
    from evaluation.analysis.firms.panel import validate_register_columns
    from evaluation.review.gate import enforce

    project = load_project(params.project)
    if project.firms is not None:
        validate_register_columns(project.firms)  # organisation numbers, SNI and municipality codes
    enforce(as_of_view(project, params.as_of))  # the gate judges what the report shows: the project as of its date


# --- the executed notebook -------------------------------------------------------------------

def recorded_path(path: Path | str) -> str:
    """A path as an output records it, never absolute (:func:`evaluation.run.files.shown_path`): relative
    to the project home; in a reports folder elsewhere, from that folder's name on; else by its name."""
    return shown_path(path)


def normalise_notebook(nb: nbformat.NotebookNode, source_ids: list[str], output_path: Path) -> nbformat.NotebookNode:
    """Strip what differs between identical runs (times, durations, random cell ids, addresses)
    and where it ran (paths are recorded with :func:`recorded_path`)."""
    pm = nb.metadata.get("papermill")
    if isinstance(pm, dict):
        for key in ("start_time", "end_time", "duration"):
            pm.pop(key, None)
        pm["input_path"] = recorded_path(pm["input_path"]) if pm.get("input_path") else pm.get("input_path")
        pm["output_path"] = recorded_path(output_path)
    nb.metadata.pop("widgets", None)
    if nb.get("nbformat", 4) == 4 and nb.get("nbformat_minor", 0) < 5:
        nb["nbformat_minor"] = 5  # cell ids exist from 4.5 on; they are given below, deterministically
    known = set(source_ids)
    used: set[str] = set()
    for index, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {})
        cpm = meta.get("papermill")
        if isinstance(cpm, dict):
            for key in ("start_time", "end_time", "duration"):
                cpm.pop(key, None)
        meta.pop("execution", None)
        cid = cell.get("id")
        if cid not in known or cid in used:
            tags = meta.get("tags", [])
            base = ("injected-parameters" if "injected-parameters" in tags
                    else "papermill-error" if "papermill-error-cell-tag" in tags else "cell")
            cid = f"{base}-{index}"
        cell["id"] = cid
        used.add(cid)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            text = data.get("text/plain")
            if isinstance(text, str):
                data["text/plain"] = _ADDRESS_RE.sub("", text)
    return nb


def _notebook_bytes(nb: nbformat.NotebookNode) -> bytes:
    text = nbformat.writes(nb)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def _source_cell_ids(notebook: Path) -> list[str]:
    try:
        raw = json.loads(notebook.read_text(encoding="utf-8"))
        return [str(c.get("id")) for c in raw.get("cells", []) if c.get("id")]
    except (OSError, ValueError):
        return []


def _source_cells(nb: nbformat.NotebookNode) -> list[tuple[int, Any]]:
    """Cells of the executed notebook that come from the source notebook, with their source index."""
    cells = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "injected-parameters" in tags or "papermill-error-cell-tag" in tags:
            continue
        cells.append(cell)
    return list(enumerate(cells))


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            return line.strip()
    return ""


def _failed_cell(nb: nbformat.NotebookNode) -> tuple[int, str, str, str] | None:
    """(source index, first line, ename, evalue) of the first cell with an error output."""
    for index, cell in _source_cells(nb):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                if output.get("ename") == "SystemExit" and output.get("evalue") in ("", "0"):
                    continue
                return index, _first_line(cell.source), output.get("ename", ""), output.get("evalue", "")
        if cell.get("metadata", {}).get("papermill", {}).get("exception") is True:
            return index, _first_line(cell.source), "CellExecutionError", ""
    return None


def _last_started_cell(nb: nbformat.NotebookNode) -> tuple[int, str] | None:
    """(source index, first line) of the last cell papermill started (the one that timed out)."""
    found = None
    for index, cell in _source_cells(nb):
        if cell.get("metadata", {}).get("papermill", {}).get("start_time"):
            found = (index, _first_line(cell.source))
    return found


# --- files -----------------------------------------------------------------------------------

def _output_files(stem: Path) -> dict[str, Path]:
    return {fmt: stem.parent / (stem.name + suffix) for fmt, suffix in OUTPUT_SUFFIXES.items()}


def failed_notebook_path(stem: Path) -> Path:
    """Where the executed notebook of a failed run is kept: ``<stem>.failed.ipynb``."""
    return stem.parent / (stem.name + ".failed.ipynb")


def _keep_notebook(tmp_nb: Path, source_ids: list[str], ipynb: Path) -> nbformat.NotebookNode | None:
    """Keep the partly executed notebook, normalised, at ``ipynb``; return it as run (or None).

    The returned notebook still has papermill's start times, which tell which cell timed out.
    """
    try:
        nb = nbformat.read(tmp_nb, as_version=4)
    except Exception:  # noqa: BLE001 - nothing usable was written
        return None
    kept = normalise_notebook(copy.deepcopy(nb), source_ids, ipynb)
    write_atomically({ipynb: _notebook_bytes(kept)})
    return nb


# --- running ---------------------------------------------------------------------------------

def run_report(
    params: ReportParams | str | Path,
    *,
    reports_dir: Path | None = None,
    timeout: float | None = 600,
    kernel_name: str = "python3",
    preflight: Callable[[ReportParams], None] | None = None,
    params_file: Path | None = None,
    final: bool = False,
    supersede: bool = False,
) -> ReportResult:
    """Execute the report notebook for ``params`` and write the requested formats as one set.

    ``params`` is a :class:`ReportParams` or the path of a parameter file (``params_file``: the
    file a given :class:`ReportParams` was read from, for the fingerprint the report records).
    ``reports_dir`` (default: the current settings' reports folder) is made the settings'
    reports folder for the run. The kernel is started with the current settings
    (:func:`evaluation.run.kernels.kernel_manager_class`). ``preflight`` (default:
    ``evaluation.io.loader.load_project`` when it exists) runs before any kernel.
    Raises ParameterError/InputError before execution (InputError also when the files cannot be
    written), ReportError when a cell fails, the run times out, the kernel dies or cannot start,
    or rendering fails. DeliveredReportError when the report was delivered (``evaluation deliver``)
    and ``supersede`` is not given.
    """
    if reports_dir is not None:  # the reports folder of this run, for the kernel too
        with settings.use(reports_dir=reports_dir):
            return run_report(params, timeout=timeout, kernel_name=kernel_name, preflight=preflight,
                              params_file=params_file, final=final, supersede=supersede)
    started = time.monotonic()
    if not isinstance(params, ReportParams):
        params_file = Path(params)
    p = params if isinstance(params, ReportParams) else load_params(params)
    refuse_overwrite(p, supersede)  # a delivered report is never overwritten unless superseded (evaluation deliver)
    # What the report is made from, taken before anything reads the data (recorded with the report).
    record = (report_fingerprint(params_file.resolve(), p.project, p.kind, code=code_fingerprint(),
                                 reference_docx=p.reference_path())
              if params_file is not None else None)
    (preflight or _default_preflight)(p)
    if final:  # --final: a draft (the evaluator has not finished) is refused before any kernel, exit 1
        from evaluation.review.completeness import refuse_draft

        refuse_draft(p.project, p.kind, p.as_of)

    notebook = p.notebook_path()
    if not notebook.is_file():
        raise ParameterError([Problem(file=paths.display_path(notebook), field="kind",
                                      expectation="a kind with a notebook notebooks/<kind>.ipynb", got=p.kind)])
    stem = p.output_stem()
    files = report_files(stem)
    try:
        stem.parent.mkdir(parents=True, exist_ok=True)
        files.clean()  # what a killed run left
        tmp_nb = running_notebook_path(stem)
    except OSError as err:
        raise InputError([Problem(shown_path(stem.parent), "--reports-dir", "a folder that can be written",
                                  f"{type(err).__name__}: {err}")]) from None
    ipynb = files.path(".ipynb")
    failed_nb = failed_notebook_path(stem)
    outputs = _output_files(stem)
    source_ids = _source_cell_ids(notebook)
    where = paths.display_path(notebook)
    kept = shown_path(failed_nb)

    try:
        nb = _execute(p, notebook, tmp_nb, kernel_name=kernel_name, timeout=timeout,
                      source_ids=source_ids, ipynb=failed_nb, stem=stem, where=where, kept=kept)
    finally:
        tmp_nb.unlink(missing_ok=True)

    normalise_notebook(nb, source_ids, ipynb)
    try:
        from evaluation.render import html as render
        from evaluation.render.keyfigures import collect_key_figures, render_json
        from evaluation.render.pdf import font_cache, render_pdf

        rendered: dict[str, bytes] = {".ipynb": _notebook_bytes(nb)}
        html: str | None = None
        if "html" in p.formats or "pdf" in p.formats or "docx" in p.formats:
            html = render.render_html(nb, p)
        if "html" in p.formats:
            assert html is not None
            rendered[".html"] = html.encode("utf-8")
        if "pdf" in p.formats:
            assert html is not None
            rendered[".pdf"] = render_pdf(html, base_url=paths.home(), font_cache=font_cache())
        if "json" in p.formats:
            rendered[".json"] = render_json(nb, p).encode("utf-8")
        if "docx" in p.formats:
            from evaluation.render import word

            assert html is not None
            rendered[".docx"] = word.render_docx(html, title=render.report_title(nb, p), lang=p.language,
                                                 date=p.as_of, reference=p.reference_path())
        key_figures = collect_key_figures(nb)
    except EvaluationError:
        write_atomically({failed_nb: _notebook_bytes(nb)})
        raise
    except Exception as err:  # noqa: BLE001 - any rendering failure is a failed report
        write_atomically({failed_nb: _notebook_bytes(nb)})
        raise ReportError(f"{where} ran, but rendering the report failed: {type(err).__name__}: {err}. "
                          f"The executed notebook is kept at {kept}; "
                          "the previous report, if any, is untouched.") from err

    # One switch: formats not asked for this time leave the report with the old ones.
    files.publish(rendered, {FINGERPRINT_FILE: fingerprint_bytes(record)} if record is not None else {})
    fingerprint_path(stem).unlink(missing_ok=True)  # where batches before report sets kept it
    failed_nb.unlink(missing_ok=True)  # an earlier failure's notebook no longer describes the report
    written: dict[str, Path] = {"ipynb": ipynb, **{fmt: outputs[fmt] for fmt in FORMATS if fmt in p.formats}}
    return ReportResult(params=p, paths=written, duration=time.monotonic() - started,
                        key_figures=key_figures)


def _execute(
    p: ReportParams,
    notebook: Path,
    tmp_nb: Path,
    *,
    kernel_name: str,
    timeout: float | None,
    source_ids: list[str],
    ipynb: Path,
    stem: Path,
    where: str,
    kept: str,
) -> nbformat.NotebookNode:
    """Run papermill into ``tmp_nb``; on any failure keep the notebook at ``ipynb`` (the failed-notebook
    path), leave the previous outputs alone and raise ReportError."""
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    from evaluation.run.engine import ENGINE_NAME

    kept_note = f"The executed notebook is kept at {kept}; the previous report, if any, is untouched."
    try:
        return papermill.execute_notebook(
            str(notebook),
            str(tmp_nb),
            parameters=p.notebook_parameters(),
            engine_name=ENGINE_NAME,  # the notebook is written once (or on failure), not after every cell
            request_save_on_cell_execute=False,
            failure_path=tmp_nb,
            kernel_name=kernel_name,
            progress_bar=False,
            log_output=False,
            execution_timeout=timeout,
            cwd=str(paths.notebooks_dir()),
            kernel_manager_class=kernel_manager_class(settings.current()),
        )
    except PapermillExecutionError as err:
        nb = _keep_notebook(tmp_nb, source_ids, ipynb)
        failed = _failed_cell(nb) if nb is not None else None
        if failed is not None:
            index, line, ename, evalue = failed
        else:
            index, line, ename, evalue = err.cell_index, _first_line(err.source), err.ename, err.evalue
        raise ReportError(f"{where} failed in cell {index} ({line!r}): {ename}: {evalue}. {kept_note}") from err
    except (CellTimeoutError, TimeoutError) as err:
        nb = _keep_notebook(tmp_nb, source_ids, ipynb)
        cell = _last_started_cell(nb) if nb is not None else None
        if cell is None or is_kernel_startup_error(err):
            raise ReportError(f"{where}: the kernel {kernel_name!r} could not start: "
                              f"{type(err).__name__}: {err}") from err
        index, line = cell
        raise ReportError(f"{where} timed out in cell {index} ({line!r}): it did not finish within "
                          f"{timeout:g} s. {kept_note}") from err
    except DeadKernelError as err:
        nb = _keep_notebook(tmp_nb, source_ids, ipynb)
        cell = _last_started_cell(nb) if nb is not None else None
        at = f" in cell {cell[0]} ({cell[1]!r})" if cell else ""
        raise ReportError(f"{where}: the kernel died{at}: {err}. {kept_note}") from err
    except EvaluationError:
        raise
    except Exception as err:  # noqa: BLE001 - kernel could not start (zmq, jupyter_client, ...)
        if tmp_nb.is_file() and tmp_nb.stat().st_size:
            _keep_notebook(tmp_nb, source_ids, ipynb)
        raise ReportError(f"{where}: the kernel {kernel_name!r} failed: {type(err).__name__}: {err}") from err


# --- command line ----------------------------------------------------------------------------

def _formats_arg(text: str) -> tuple[str, ...]:
    items = tuple(part.strip() for part in text.split(",") if part.strip())
    bad = [item for item in items if item not in FORMATS]
    if not items or bad:
        raise argparse.ArgumentTypeError(
            f"must be a comma-separated list of {', '.join(FORMATS)} (got {text!r})")
    return items


def timeout_arg(text: str) -> float | None:
    """argparse type for ``--timeout``: seconds > 0, or ``none``/``0`` for no limit."""
    if text.lower() in ("none", "0"):
        return None
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be seconds > 0 or 'none' (got {text!r})") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be seconds > 0 or 'none' (got {text!r})")
    return value


def _handle(args: argparse.Namespace) -> int:
    """``evaluation report``: errors go up to :func:`evaluation.cli.main` (one message, exit code, --traceback)."""
    params = load_params(args.params_file)
    if args.formats is not None:
        params = params.with_formats(args.formats)
    with settings.use(**({"reports_dir": args.reports_dir} if args.reports_dir is not None else {})), \
            warm_kernel_ahead() as ready:
        result = run_report(params, timeout=args.timeout, params_file=args.params_file, final=args.final,
                            supersede=args.supersede, preflight=_then(_default_preflight, ready))
        for fmt, path in result.paths.items():
            print(f"{fmt}: {shown_path(path)}")
    return 0


def _then(preflight: Callable[[ReportParams], None], after: Callable[[], None]) -> Callable[[ReportParams], None]:
    """``preflight``, then ``after`` (only when the pre-flight passed)."""
    def both(p: ReportParams) -> None:
        preflight(p)
        after()
    return both


@contextlib.contextmanager
def warm_kernel_ahead() -> Iterator[Callable[[], None]]:
    """A kernel zygote started now, importing the report libraries on the other core while this process
    reads the parameters and checks the project; the callable yielded waits for it and makes the
    report's kernel a fork of it (a cold kernel when it cannot start: the same notebook either way)."""
    from evaluation.run.kernels import DEFAULT_PRELOAD, KernelZygote

    # modules only: pyfixest (imported on first use) would make this one report wait for it (about 1 s)
    zygote = KernelZygote(preload=tuple(name for name in DEFAULT_PRELOAD if ":" not in name)).launch()

    def ready() -> None:
        try:
            zygote.wait_ready()
        except RuntimeError:
            return  # the launcher starts a cold kernel
        zygote.activate()

    try:
        yield ready
    finally:
        zygote.close()


def add_cli(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``evaluation report PARAMS_FILE [--reports-dir DIR] [--timeout S] [--formats ...]``."""
    parser = subparsers.add_parser(
        "report",
        help="execute a report notebook and write HTML, PDF, JSON and Word",
        description=("Validate PARAMS_FILE (params/<project>_<kind>.yaml), execute "
                     "notebooks/<kind>.ipynb with it and write reports/<project>/<kind>.ipynb plus the "
                     "requested formats. Exit status 0 when done, non-zero with a message on error."),
        epilog=("example:\n  evaluation report params/nis60_final.yaml\n"
                "  evaluation report params/hso_midterm.yaml --formats html,json"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("params_file", metavar="PARAMS_FILE", type=Path,
                        help="parameter file, e.g. params/nis60_final.yaml")
    parser.add_argument("--reports-dir", metavar="DIR", type=Path, default=None,
                        help="folder for the reports (default: reports/ in the project home)")
    parser.add_argument("--timeout", metavar="S", type=timeout_arg, default=600.0,
                        help="seconds one cell may run (default 600; 'none' for no limit)")
    parser.add_argument("--formats", metavar="LIST", type=_formats_arg, default=None,
                        help=f"comma-separated subset of {','.join(FORMATS)} (default: as in PARAMS_FILE)")
    parser.add_argument("--supersede", action="store_true",
                        help="make a new report even though this one was delivered (the delivered copy stays in deliveries/)")
    parser.add_argument("--final", action="store_true",
                        help="refuse to write a draft: exit 1 listing what the evaluator still has to write")
    parser.set_defaults(func=_handle)
    return parser
