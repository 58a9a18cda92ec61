"""Benchmark: the portfolio path over many synthetic projects -- load, check, aggregate.

Writes N synthetic projects (``evaluation.authoring.synthetic.write_synthetic_project``, seeds
7001..7000+N, ids ``syn01``..) into a project home (kept with ``--home DIR`` and reused when it
already holds them), then times, in this process, the code path of the portfolio report
(``evaluation.report.portfolio_context.open_portfolio``, which the portfolio notebook and
``evaluation portfolio`` use):

* load: ``evaluation.report.portfolio_context.load_reviewed(ids, as_of)``: every file read,
  validated and built, and, in the same worker process right after loading, the logic checks, the
  coherence score and the indicator rows of each project (their CPU seconds are printed apart);
* aggregate: ``PortfolioContext.build`` in the main process (status by project, spending, EU
  roll-up, cost per outcome, the portfolio table, the attention list);
* total: load + aggregate, wall seconds: the figure the goal is about.

Revisions without ``load_reviewed`` (``--baseline``) are timed as they worked: load, then the
checks (``check_project``, ``coherence_score``) and the aggregation in the main process.

Wall and CPU seconds are printed for each phase (the machine may be shared: CPU seconds are the
steadier figure). ``--baseline REF`` measures the same phases, in a fresh Python, with the package
as it was at the git revision REF (``git archive``), for the before figure; old revisions without
the portfolio context time the old notebook's steps instead (``portfolio_table``,
``eu_indicator_totals`` and ``indicator_rows`` per project).

    .venv/bin/python benchmarks/bench_portfolio.py                       # N = 1000
    .venv/bin/python benchmarks/bench_portfolio.py --n 200 --home /tmp/bench_home
    .venv/bin/python benchmarks/bench_portfolio.py --baseline 05a4e03 --home /tmp/bench_home
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
AS_OF = date(2024, 6, 30)


class Phase:
    """Wall and CPU seconds accumulated over the blocks timed with :meth:`timed`."""

    def __init__(self) -> None:
        self.wall = 0.0
        self.cpu = 0.0

    @contextmanager
    def timed(self):  # noqa: ANN201 - a context manager
        w, c = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.wall += time.perf_counter() - w
            self.cpu += time.process_time() - c


def write_projects(home: Path, n: int) -> list[str]:
    """The ids of N synthetic projects under ``home/data``, written unless already there."""
    from evaluation.authoring.synthetic import synthetic_project_id, write_synthetic_project

    data = home / "data"
    data.mkdir(parents=True, exist_ok=True)
    ids = [synthetic_project_id(i) for i in range(1, n + 1)]
    missing = [i for i, pid in enumerate(ids, start=1) if not (data / pid / "project.yaml").is_file()]
    if missing:
        start = time.perf_counter()
        for i in missing:
            write_synthetic_project(data, synthetic_project_id(i), 7000 + i)
        print(f"wrote {len(missing)} synthetic projects in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return ids


def measure(home: Path, ids: list[str]) -> dict[str, Any]:
    """Phase timings of the portfolio path over ``ids`` (run in the package found on sys.path)."""
    import evaluation
    from evaluation.analysis import portfolio
    from evaluation.core import settings
    from evaluation.review import checks, coherence

    load, check, build = Phase(), Phase(), Phase()
    try:
        from evaluation.report import portfolio_context
    except ImportError:  # an old revision: the old notebook's steps
        portfolio_context = None  # type: ignore[assignment]
    in_workers = portfolio_context is not None and hasattr(portfolio_context, "load_reviewed")

    with settings.use(home=home):
        if in_workers:  # the path open_portfolio takes: checks and indicator rows in the loading workers
            with load.timed():
                loaded, reviews = portfolio_context.load_reviewed(ids, AS_OF)
            with build.timed():
                portfolio_context.PortfolioContext.build(loaded, AS_OF, "sv", None, reviews=reviews)
            worker_check = sum(r.check_seconds[1] for r in reviews.values())
            worker_rows = sum(r.rows_seconds[1] for r in reviews.values())
        else:
            real_check, real_coherence = checks.check_project, coherence.coherence_score

            def timed_check(project):  # noqa: ANN001, ANN202
                with check.timed():
                    return real_check(project)

            def timed_coherence(project):  # noqa: ANN001, ANN202
                with check.timed():
                    return real_coherence(project)

            with load.timed():
                loaded = portfolio.load_projects(ids)
            if portfolio_context is not None:
                checks.check_project = timed_check
                portfolio_context.coherence_score = timed_coherence
                try:
                    with build.timed():
                        portfolio_context.PortfolioContext.build(loaded, AS_OF, "sv", None)
                finally:
                    checks.check_project = real_check
                    portfolio_context.coherence_score = real_coherence
            else:
                from evaluation.analysis.status import indicator_rows

                with build.timed():
                    for p in loaded:
                        timed_check(p)
                        timed_coherence(p)
                    portfolio.portfolio_table(loaded, AS_OF)
                    portfolio.eu_indicator_totals(loaded, AS_OF, "sv")
                    for p in loaded:
                        indicator_rows(p, AS_OF, "midterm")
            worker_check = worker_rows = None
    return {
        "package": str(Path(evaluation.__file__).parent),
        "n": len(loaded),
        "indicators": sum(len(p.indicators) for p in loaded),
        "in_workers": in_workers,
        "worker_cpu": (worker_check, worker_rows),
        "load": (load.wall, load.cpu),
        "check": (check.wall, check.cpu),
        "aggregate": (build.wall - check.wall, build.cpu - check.cpu),
        "total": (load.wall + build.wall, load.cpu + build.cpu),
    }


def baseline(ref: str, home: Path, n: int) -> dict[str, Any]:
    """:func:`measure` in a fresh Python with the package of git revision ``ref``."""
    with tempfile.TemporaryDirectory(prefix="bench_portfolio_") as tmp:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", ref, "evaluation"], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        code = (f"import sys, json; sys.path.insert(0, {tmp!r}); sys.path.insert(1, {str(REPO / 'benchmarks')!r})\n"
                f"import bench_portfolio as b; from pathlib import Path\n"
                f"print(json.dumps(b.measure(Path({str(home)!r}), b.project_ids({n}))))")
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=tmp)
        return json.loads(out.stdout.strip().splitlines()[-1])


def project_ids(n: int) -> list[str]:
    return [f"syn{i:02d}" for i in range(1, n + 1)]


def show(label: str, result: dict[str, Any]) -> None:
    n = result["n"]
    print(f"{label}: {n} projects, {result['indicators']} indicators ({result['package']})")
    print(f"  {'phase':<10} {'wall s':>8} {'CPU s':>8} {'ms/project':>11}")
    phases = ("load", "aggregate", "total") if result.get("in_workers") else ("load", "check", "aggregate", "total")
    for phase in phases:
        wall, cpu = result[phase]
        print(f"  {phase:<10} {wall:8.2f} {cpu:8.2f} {wall / n * 1000:11.1f}")
    if result.get("in_workers"):
        checked, rows = result["worker_cpu"]
        print(f"  (load's wall time includes, in the worker processes, the checks and coherence score: {checked:.2f} CPU s, "
              f"and the indicator rows: {rows:.2f} CPU s; load's CPU column is the main process only)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="number of synthetic projects (default 1000)")
    parser.add_argument("--home", type=Path, help="project home to write them to and reuse (default: a temporary folder)")
    parser.add_argument("--baseline", metavar="REF", help="also measure the package of git revision REF (the before figure)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    with tempfile.TemporaryDirectory(prefix="bench_portfolio_home_") as tmp:
        home = (args.home or Path(tmp)).resolve()
        write_projects(home, args.n)
        ids = project_ids(args.n)
        if args.baseline:
            show(f"before ({args.baseline})", baseline(args.baseline, home, args.n))
        result = measure(home, ids)
        show("now", result)
        verdict = ("(met)" if result["total"][0] < 10 else "(not met)") if args.n == 1000 else "(the goal is for N = 1000)"
        print(f"goal: total under 10 s wall for 1 000 projects on 2 cores -> {result['total'][0]:.1f} s {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
