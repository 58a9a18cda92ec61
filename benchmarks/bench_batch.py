"""Benchmark: `evaluation batch` against a plain sequential loop of command lines.

Builds N synthetic projects (a midterm and a final report each, HTML and PDF) in a temporary
project home and renders them twice, side by side in the same run:

* batch: ``python -m evaluation batch --workers W --no-portfolio`` (worker processes, warm
  kernels forked from a zygote, libraries imported once per worker);
* loop: for each report, one after the other, the ``papermill`` command line, the
  ``jupyter nbconvert --to html`` command line and the same PDF step as the batch
  (``evaluation.render.pdf.render_pdf`` in a fresh ``python``).

It also measures the cost of starting a fresh Python that imports the report's libraries
(pandas, matplotlib, statsmodels, scipy and the toolkit's loader and display modules) and
prints the wall times, their ratio and the time per report against that import cost.

    PYTHONPATH=/work/main /tmp/lockvenv/v/bin/python benchmarks/bench_batch.py --n 4
    PYTHONPATH=/work/main /tmp/lockvenv/v/bin/python benchmarks/bench_batch.py          # N = 20

``--notebooks repo`` (default) uses notebooks/midterm.ipynb and final.ipynb of the
repository; ``--notebooks tiny`` the small test notebooks of tests/data/batch/.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from evaluation.authoring.synthetic import write_synthetic_programme  # noqa: E402

IMPORTS = ("import pandas, numpy, scipy.stats, matplotlib, matplotlib.pyplot, statsmodels.api, "
           "evaluation.io.loader, evaluation.report.display")

PDF_STEP = (
    "import sys, datetime\n"
    "from pathlib import Path\n"
    "from evaluation.render.pdf import render_pdf\n"
    "html = Path(sys.argv[1]).read_text(encoding='utf-8')\n"
    "Path(sys.argv[2]).write_bytes(render_pdf(html, base_url=sys.argv[3]))\n"
)


class Meter:
    """Wall time, CPU time of finished child processes, and CPU used by everything else meanwhile.

    Child CPU comes from RUSAGE_CHILDREN (every waited-for descendant: papermill's kernels,
    the batch's workers, kernels and zygote). "Other" is the machine's busy CPU time from
    /proc/stat minus ours: load from other processes sharing the machine, which slows both
    sides of the comparison unevenly.
    """

    def __enter__(self) -> Meter:
        self.wall0 = time.perf_counter()
        self.cpu0 = self._children()
        self.busy0 = self._busy()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall0
        self.cpu = self._children() - self.cpu0
        busy = self._busy()
        self.other = None if busy is None or self.busy0 is None else max(0.0, busy - self.busy0 - self.cpu)

    @staticmethod
    def _children() -> float:
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        return ru.ru_utime + ru.ru_stime

    @staticmethod
    def _busy() -> float | None:
        try:
            fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        except OSError:
            return None
        user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
        return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")

    def describe(self, n: int) -> str:
        other = "" if self.other is None else f"; other processes used {self.other:.0f} CPU-s meanwhile"
        return f"CPU {self.cpu:.0f} s ({self.cpu / n:.2f} CPU-s per report){other}"


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["EVALUATION_HOME"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(REPO), env.get("PYTHONPATH", "")] if p)
    return env


def _run(cmd: list[str], env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, check=False)


def import_cost(env: dict[str, str], repeats: int = 3) -> tuple[float, float]:
    """Median wall and CPU time of ``python -c '<imports>'`` (after one warm-up run)."""
    _run([sys.executable, "-c", IMPORTS], env)
    walls, cpus = [], []
    for _ in range(repeats):
        with Meter() as meter:
            done = _run([sys.executable, "-c", IMPORTS], env)
        walls.append(meter.wall)
        cpus.append(meter.cpu)
        if done.returncode != 0:
            raise SystemExit(f"the import command failed:\n{done.stderr}")
    return statistics.median(walls), statistics.median(cpus)


def run_batch_cli(home: Path, env: dict[str, str], workers: int, scheduler: str | None = None,
                  reports: str = "reports") -> tuple[Meter, str, int]:
    where = ["--scheduler", scheduler] if scheduler else ["--workers", str(workers)]
    with Meter() as meter:
        done = _run([sys.executable, "-m", "evaluation", "batch", *where, "--no-portfolio",
                     "--no-progress", "--force", "--reports-dir", str(home / reports)], env, cwd=home)
    return meter, done.stdout + done.stderr, done.returncode


def run_dask(home: Path, env: dict[str, str], n_workers: int, n_reports: int) -> str:
    """The batch on a fresh dask LocalCluster of ``n_workers`` single-threaded worker processes.

    The cluster is started in a child process (its workers are then waited-for children of that
    process, so their CPU counts); the batch connects with ``--scheduler``.
    """
    starter = (
        "import sys, time\n"
        "from distributed import LocalCluster\n"
        f"c = LocalCluster(n_workers={n_workers}, threads_per_worker=1, processes=True, dashboard_address=None)\n"
        "print(c.scheduler_address, flush=True)\n"
        "sys.stdin.read()\n"
        "c.close()\n"
    )
    t0 = time.perf_counter()
    cpu0 = Meter._children()
    cluster = subprocess.Popen([sys.executable, "-c", starter], env=env, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    try:
        assert cluster.stdout is not None
        address = cluster.stdout.readline().strip()
        started = time.perf_counter() - t0
        meter, out, code = run_batch_cli(home, env, 0, scheduler=address, reports=f"reports_dask{n_workers}")
    finally:
        if cluster.stdin is not None:
            cluster.stdin.close()
        cluster.wait(timeout=120)
    cpu = Meter._children() - cpu0
    failed = sum(1 for line in out.splitlines() if " failed " in f" {line} " and "reports:" not in line)
    return (f"dask LocalCluster {n_workers} worker(s): cluster start {started:.1f} s, batch {meter.wall:.1f} s wall "
            f"({meter.wall / n_reports:.2f} s per report), exit {code}, failed {failed}; "
            f"CPU incl. cluster {cpu:.0f} s ({cpu / n_reports:.2f} CPU-s per report)")


def run_loop(home: Path, env: dict[str, str], params: list[Path]) -> tuple[Meter, int, list[float]]:
    """The plain sequential loop; returns its meter, failures and the time of each report."""
    out_root = home / "reports_loop"
    failures = 0
    each: list[float] = []
    meter = Meter().__enter__()
    for p in params:
        project, _, kind = p.stem.rpartition("_")
        out = out_root / project
        out.mkdir(parents=True, exist_ok=True)
        ipynb, html, pdf = out / f"{kind}.ipynb", out / f"{kind}.html", out / f"{kind}.pdf"
        t = time.perf_counter()
        steps = [
            ["papermill", str(home / "notebooks" / f"{kind}.ipynb"), str(ipynb), "-f", str(p), "-k", "python3",
             "--cwd", str(home / "notebooks"), "--no-progress-bar"],
            ["jupyter", "nbconvert", "--to", "html", "--no-input", "--HTMLExporter.embed_images=True", str(ipynb),
             "--output", html.name, "--output-dir", str(out)],
            [sys.executable, "-c", PDF_STEP, str(html), str(pdf), str(home)],
        ]
        for cmd in steps:
            exe = shutil.which(cmd[0], path=str(Path(sys.executable).parent)) if cmd[0] != sys.executable else cmd[0]
            done = _run([exe or cmd[0], *cmd[1:]], env)
            if done.returncode != 0:
                failures += 1
                break
        each.append(time.perf_counter() - t)
    meter.__exit__()
    return meter, failures, each


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=20, help="number of synthetic projects (2 reports each; default 20)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="batch workers (default: CPUs)")
    ap.add_argument("--notebooks", choices=("repo", "tiny"), default="repo",
                    help="the repository's report notebooks or the tiny test notebooks")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--item-nonresponse", type=float, default=0.0,
                    help="share of empty survey answers in the synthetic data (default 0)")
    ap.add_argument("--skip-loop", action="store_true", help="only time the batch")
    ap.add_argument("--keep", action="store_true", help="keep the temporary home and print its path")
    ap.add_argument("--warn-rule", action="append", default=[], metavar="CHECK",
                    help="add 'rules: {CHECK: warn}' to every synthetic project (repeatable)")
    ap.add_argument("--dask", default="", metavar="N,N,...",
                    help="also run the batch on a dask LocalCluster of each number of worker processes, e.g. 1,2,4")
    ap.add_argument("--profile", action="store_true",
                    help="print the breakdown of one final report in a warm worker (benchmarks/profile_report.py)")
    args = ap.parse_args(argv)

    home = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        source = REPO / "notebooks" if args.notebooks == "repo" else REPO / "tests" / "data" / "batch"
        (home / "notebooks").mkdir()
        for kind in ("midterm", "final"):
            shutil.copy(source / f"{kind}.ipynb", home / "notebooks" / f"{kind}.ipynb")
        params = write_synthetic_programme(home, args.n, args.seed, formats=("html", "pdf"),
                                           item_nonresponse=args.item_nonresponse)
        for rule in args.warn_rule:  # e.g. a check the synthetic generator does not (yet) satisfy
            for project_yaml in sorted((home / "data").glob("*/project.yaml")):
                body = project_yaml.read_text(encoding="utf-8").rstrip("\n")
                project_yaml.write_text(body + ("\n" if "\nrules:" in body else "\nrules:\n")
                                        + f"  {rule}: warn\n", encoding="utf-8")
        env = _env(home)
        n_reports = len(params)
        print(f"{args.n} synthetic projects, {n_reports} reports (HTML + PDF), notebooks: {args.notebooks}, "
              f"workers: {args.workers}, CPUs: {os.cpu_count()}")

        cost, cost_cpu = import_cost(env)
        print(f"fresh python + imports ({IMPORTS[7:]}): {cost:.2f} s wall, {cost_cpu:.2f} CPU-s (median of 3)")

        batch_meter, batch_out, code = run_batch_cli(home, env, args.workers)
        batch_wall = batch_meter.wall
        batch_failed = sum(1 for line in batch_out.splitlines() if " failed " in f" {line} " and "reports:" not in line)
        seconds = []
        for line in batch_out.splitlines():
            parts = line.split()
            if len(parts) >= 4 and parts[2] == "ok":
                with contextlib.suppress(ValueError):
                    seconds.append(float(parts[3]))
        print(f"batch: {batch_wall:.1f} s wall for {n_reports} reports ({batch_wall / n_reports:.2f} s per report), "
              f"exit {code}, failed {batch_failed}; {batch_meter.describe(n_reports)}")
        if seconds:
            print(f"batch: latency of one report inside a worker: mean {statistics.mean(seconds):.2f} s, "
                  f"median {statistics.median(seconds):.2f} s")
        if code != 0:
            print(batch_out[-3000:])

        if not args.skip_loop:
            loop_meter, loop_failed, each = run_loop(home, env, params)
            loop_wall = loop_meter.wall
            print(f"loop:  {loop_wall:.1f} s wall for {n_reports} reports ({loop_wall / n_reports:.2f} s per report, "
                  f"median {statistics.median(each):.2f} s), failed {loop_failed}; {loop_meter.describe(n_reports)}")
            print(f"ratio loop / batch: {loop_wall / batch_wall:.2f}x wall, "
                  f"{loop_meter.cpu / max(batch_meter.cpu, 1e-9):.2f}x CPU")
        per_report = batch_wall / n_reports
        print(f"batch time per report / fresh-python import cost: {per_report / cost:.2f}x "
              f"({per_report:.2f} s vs {cost:.2f} s)")
        print(f"batch CPU per report / fresh-python import CPU: {batch_meter.cpu / n_reports / cost_cpu:.2f}x")
        if seconds:
            print(f"batch latency per report / fresh-python import cost: {statistics.mean(seconds) / cost:.2f}x")
        single = home / "params" / sorted(p.name for p in params if p.name.endswith("_final.yaml"))[0]
        _run([sys.executable, "-m", "evaluation", "report", str(single), "--reports-dir", str(home / "single")], env)
        walls = []
        for _ in range(3):  # the second and third find the figures cached, as an evaluator re-running it would
            with Meter() as one:
                done = _run([sys.executable, "-m", "evaluation", "report", str(single), "--reports-dir",
                             str(home / "single")], env)
            walls.append((one.wall, one.cpu, done.returncode))
        wall, cpu, rc = sorted(walls)[1]
        print(f"single `evaluation report` {single.name} (fresh process, median of 3 re-runs): {wall:.2f} s wall, "
              f"{cpu:.2f} CPU-s, exit {rc}; latency / fresh-python import wall: {wall / cost:.2f}x")
        for n in [int(x) for x in args.dask.split(",") if x.strip()]:
            print(run_dask(home, env, n, n_reports))
        if args.profile:
            from profile_report import profile  # benchmarks/profile_report.py

            print()
            print(profile(single, repeats=3, home=home))
    finally:
        if args.keep:
            print(f"home kept at {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
