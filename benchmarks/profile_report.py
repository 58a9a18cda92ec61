"""Breakdown of one report inside a warm batch worker: where its seconds go.

Two measurements of the same report (default ``params/nis60_final.yaml``):

* **worker side** -- the report is run with :func:`evaluation.run.report.run_report` exactly as a
  batch worker runs it (warm kernel forked from a zygote, libraries imported), after one warm-up
  run; the steps are timed by wrapping the functions ``run_report`` calls: pre-flight, kernel
  start (papermill's start until the first cell starts), the notebook's cells, papermill's
  saves and shutdown, HTML, PDF, Word, JSON and writing the set;
* **kernel side** -- the notebook's code (``open_report`` and one section call per cell) run in
  this process, once to warm up and then timed: loading, checks, each section, and inside the
  sections every figure (``evaluation.report.display.figure``: drawing + PNG).

    PYTHONPATH=/work/main .venv/bin/python benchmarks/profile_report.py [params/nis60_final.yaml] [--repeats 3]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import functools
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


class Timer:
    """Seconds per label, added up over one run."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.order: list[str] = []

    def add(self, label: str, seconds: float) -> None:
        if label not in self.seconds:
            self.order.append(label)
        self.seconds[label] += seconds

    @contextmanager
    def time(self, label: str) -> Iterator[None]:
        t = time.perf_counter()
        try:
            yield
        finally:
            self.add(label, time.perf_counter() - t)


@contextmanager
def patched(owner: Any, name: str, wrapper: Callable[[Callable[..., Any]], Callable[..., Any]]) -> Iterator[None]:
    original = getattr(owner, name)
    setattr(owner, name, wrapper(original))
    try:
        yield
    finally:
        setattr(owner, name, original)


def _timed(timer: Timer, label: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def inner(*a: Any, **k: Any) -> Any:
            with timer.time(label):
                return fn(*a, **k)
        return inner
    return wrap


def _cell_times(nb: Any) -> list[tuple[str, float, float]]:
    """(first line, start epoch, end epoch) of each executed cell, from papermill's metadata."""
    out = []
    for cell in nb.cells:
        pm = cell.get("metadata", {}).get("papermill", {})
        if pm.get("start_time") and pm.get("end_time"):
            first = next((x.strip() for x in cell.source.splitlines() if x.strip()), "")
            start = _dt.datetime.fromisoformat(pm["start_time"].replace("Z", "+00:00")).timestamp()
            end = _dt.datetime.fromisoformat(pm["end_time"].replace("Z", "+00:00")).timestamp()
            out.append((first, start, end))
    return out


def worker_side(params_file: Path, reports_dir: Path) -> Timer:
    """One warm run of ``run_report`` (after the caller's warm-up), its steps timed."""
    import evaluation.render.html as html_mod
    import evaluation.render.keyfigures as kf_mod
    import evaluation.render.pdf as pdf_mod
    import evaluation.render.word as word_mod
    import evaluation.run.report as report_mod
    from evaluation.io.atomic import FileSet

    timer = Timer()
    seen: dict[str, Any] = {}

    def execute_wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        def inner(*a: Any, **k: Any) -> Any:
            t0_wall = time.time()
            t0 = time.perf_counter()
            nb = fn(*a, **k)
            total = time.perf_counter() - t0
            cells = _cell_times(nb)
            if cells:
                timer.add("kernel start (fork from zygote, connect)", cells[0][1] - t0_wall)
                in_cells = sum(e - s for _, s, e in cells)
                timer.add("notebook cells (kernel side, below)", in_cells)
                timer.add("papermill saves, messages, shutdown", total - (cells[0][1] - t0_wall) - in_cells)
            seen["cells"] = cells
            return nb
        return inner

    with (patched(report_mod, "_default_preflight", _timed(timer, "pre-flight: load + checks")),
          patched(report_mod, "_execute", execute_wrap),
          patched(html_mod, "render_html", _timed(timer, "HTML (nbconvert)")),
          patched(pdf_mod, "render_pdf", _timed(timer, "PDF (WeasyPrint)")),
          patched(word_mod, "render_docx", _timed(timer, "Word (python-docx)")),
          patched(kf_mod, "render_json", _timed(timer, "JSON")),
          patched(FileSet, "publish", _timed(timer, "write the set")),
          patched(report_mod, "normalise_notebook", _timed(timer, "normalise notebook"))):
        t = time.perf_counter()
        report_mod.run_report(params_file, reports_dir=reports_dir)
        timer.add("TOTAL", time.perf_counter() - t)
    for first, s, e in seen.get("cells", []):
        timer.add(f"  cell: {first[:60]}", e - s)
    return timer


def kernel_side(params_file: Path) -> Timer:
    """The notebook's code in this process, timed by step, section and figure."""
    import evaluation.io.loader as loader
    import evaluation.report.context as context
    import evaluation.report.display as display
    import evaluation.review.checks as checks
    from evaluation.report import sections
    from evaluation.report.params import load_params

    p = load_params(params_file)
    nb = json.loads(p.notebook_path().read_text(encoding="utf-8"))
    calls = []
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        for line in src.splitlines():
            if line.startswith("sections.") and "(ctx)" in line:
                calls.append(line.split("(")[0].split(".")[1])
    timer = Timer()
    current = {"section": "open_report"}

    def figure_wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        def inner(fig: Any, *a: Any, **k: Any) -> Any:
            t = time.perf_counter()
            out = fn(fig, *a, **k)
            n = sum(1 for label in timer.order if label.startswith(f"    figure {current['section']}"))
            timer.add(f"    figure {current['section']} #{n + 1} ({len(out.png) // 1024} KiB)",
                      time.perf_counter() - t)
            return out
        return inner

    figure_original = display.figure
    mods = [m for name, m in sorted(sys.modules.items()) if name.startswith("evaluation.report.sections.")
            and getattr(m, "figure", None) is display.figure]
    with (patched(context, "load_project", _timed(timer, "  load project")),
          patched(checks, "check_project", _timed(timer, "  checks (check_project)")),
          patched(display, "figure", figure_wrap)):
        for m in mods:
            m.figure = display.figure  # the wrapped one
        try:
            t0 = time.perf_counter()
            with timer.time("open_report (params, load, checks, context)"):
                ctx = sections.open_report(**p.notebook_parameters())
            for name in calls:
                current["section"] = name
                with timer.time(f"section {name}"):
                    block = getattr(sections, name)(ctx)
                    if hasattr(block, "_repr_html_"):
                        block._repr_html_()
            timer.add("TOTAL (kernel side)", time.perf_counter() - t0)
        finally:
            for m in mods:
                m.figure = figure_original
    _ = loader
    return timer


def median_timers(timers: list[Timer]) -> Timer:
    out = Timer()
    for label in timers[-1].order:
        out.add(label, statistics.median(t.seconds.get(label, 0.0) for t in timers))
    return out


def format_timer(timer: Timer, title: str) -> str:
    lines = [f"{title}", f"{'step':<64} {'seconds':>8}"]
    for label in timer.order:
        lines.append(f"{label:<64} {timer.seconds[label]:>8.3f}")
    return "\n".join(lines)


def profile(params_file: Path, repeats: int = 3, home: Path | None = None) -> str:
    """Both breakdowns as text (median of ``repeats`` warm runs each); ``home``: the project home."""
    from evaluation.core import settings

    with settings.use(**({"home": home} if home is not None else {})):
        return _profile(params_file, repeats)


def _profile(params_file: Path, repeats: int) -> str:
    import logging

    from evaluation.core import settings
    from evaluation.run.executors import _WORKER_PRELOAD
    from evaluation.run.kernels import KernelZygote

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    for name in _WORKER_PRELOAD:
        __import__(name)
    zygote = KernelZygote().launch()
    zygote.wait_ready()
    try:
        with tempfile.TemporaryDirectory(prefix="profile-report-") as tmp, \
                settings.use(kernel_dir=zygote.folder):
            import evaluation.run.report as report_mod

            report_mod.run_report(params_file, reports_dir=Path(tmp) / "warmup")  # imports, fonts
            # a new reports folder each time: an empty figure cache, as for a report drawn the first time
            cold = median_timers([worker_side(params_file, Path(tmp) / f"cold{i}") for i in range(repeats)])
            # the same folder again: figures from the cache, as when an evaluator re-runs a report
            warm = median_timers([worker_side(params_file, Path(tmp) / "cold0") for _ in range(repeats)])
        import evaluation.report.figcache as figcache

        with patched(figcache, "png_for", lambda _orig: lambda fig, draw, kwargs, folder=None: draw()):
            kernel_side(params_file)  # warm-up (imports, font cache)
            kernel = median_timers([kernel_side(params_file) for _ in range(repeats)])
    finally:
        zygote.close()
    return (format_timer(cold, f"worker side: {params_file.name}, warm worker, figures drawn (empty cache), "
                               f"median of {repeats}") + "\n\n"
            + format_timer(warm, "worker side, the same report re-run (figures from the cache)") + "\n\n"
            + format_timer(kernel, "kernel side (the notebook's code in one process, every figure drawn)"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("params", nargs="?", default=str(REPO / "params" / "nis60_final.yaml"))
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    print(profile(Path(args.params).resolve(), args.repeats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
