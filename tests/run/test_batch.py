"""Tests for evaluation.run.batch: parallel reports, failure isolation, skip-unchanged, Dask, index."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from evaluation.authoring.synthetic import write_synthetic_programme, write_synthetic_project
from evaluation.core.errors import ParameterError, ReportError
from evaluation.run import batch
from evaluation.run.batch import (
    BatchResult,
    KernelZygote,
    ReportOutcome,
    call_with_startup_retries,
    code_fingerprint,
    report_fingerprint,
    run_batch,
    write_index,
)

REPO = Path(__file__).resolve().parents[2]
TEST_NOTEBOOKS = Path(__file__).resolve().parents[1] / "data" / "batch"


def _make_home(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = root / "home"
    (home / "notebooks").mkdir(parents=True)
    for kind in ("midterm", "final"):
        shutil.copy(TEST_NOTEBOOKS / f"{kind}.ipynb", home / "notebooks" / f"{kind}.ipynb")
    shutil.copy(REPO / "notebooks" / "portfolio.ipynb", home / "notebooks" / "portfolio.ipynb")
    monkeypatch.setenv("EVALUATION_HOME", str(home))
    return home


def _extra_project(home: Path, pid: str, kinds: tuple[str, ...] = ("final",), formats: str = "[html, json]") -> list[Path]:
    """A loadable project whose id triggers a hook of the test notebooks ('boom': raises, 'hang': sleeps)."""
    write_synthetic_project(home / "data", pid, 99, n_firms=4)
    (home / "params").mkdir(exist_ok=True)
    files = []
    for kind in kinds:
        path = home / "params" / f"{pid}_{kind}.yaml"
        path.write_text(f"project: {pid}\nkind: {kind}\nas_of: 2024-12-31\nlanguage: sv\nformats: {formats}\n"
                        "small_cell_threshold: 5\n", encoding="utf-8")
        files.append(path)
    return files


def _by_key(result: BatchResult) -> dict[tuple[str, str], ReportOutcome]:
    return {(o.project, o.kind): o for o in result.outcomes}


# --------------------------------------------------------------------------- unit tests (fast)


def test_retry_helper_retries_a_startup_collision_once() -> None:
    """A function failing once with 'Address already in use' is retried after a back-off and succeeds."""
    calls: list[int] = []
    waits: list[float] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise ReportError("notebooks/final.ipynb: the kernel 'python3' could not start: "
                              "ZMQError: Address already in use (addr='tcp://127.0.0.1:5555')")
        return "done"

    assert call_with_startup_retries(flaky, retries=3, backoff=0.5, sleep=waits.append) == ("done", 2)
    assert len(calls) == 2 and waits == [0.5]


def test_retry_helper_does_not_retry_other_errors() -> None:
    """A failing cell is not a start-up error: raised at once, no retry."""
    calls: list[int] = []

    def failing() -> None:
        calls.append(1)
        raise ReportError("notebooks/final.ipynb failed in cell 3 ('x = 1/0'): ZeroDivisionError: division by zero")

    with pytest.raises(ReportError, match="cell 3"):
        call_with_startup_retries(failing, retries=3, sleep=lambda s: None)
    assert len(calls) == 1


def test_retry_helper_gives_up_after_the_retries() -> None:
    """A kernel that never starts is tried retries + 1 times, then the last error is raised."""
    waits: list[float] = []

    def never() -> None:
        raise RuntimeError("Kernel died before replying to kernel_info")

    with pytest.raises(RuntimeError, match="Kernel died"):
        call_with_startup_retries(never, retries=2, backoff=1.0, sleep=waits.append)
    assert waits == [1.0, 2.0]


def test_wall_clock_guard_kills_only_kernel_processes() -> None:
    """After the limit the guard kills a kernel launcher below this process and leaves other children."""
    launcher = subprocess.Popen([sys.executable, "-c", f"# {batch._LAUNCHER_MARK}\nimport time\ntime.sleep(60)"])
    other = subprocess.Popen([sys.executable, "-c", "import time\ntime.sleep(60)"])
    try:
        with batch._WallClockGuard(0.3) as guard:
            launcher.wait(timeout=30)
        assert guard.fired and launcher.returncode == -9
        assert other.poll() is None
    finally:
        for proc in (launcher, other):
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_report_fingerprint_follows_every_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Data files, the params file and the notebook change the fingerprint; re-reading does not."""
    home = _make_home(tmp_path, monkeypatch)
    files = write_synthetic_programme(home, 1, 3, formats=("html",))
    params = files[0]
    base = report_fingerprint(params, "syn01", "final", code="c")
    assert report_fingerprint(params, "syn01", "final", code="c") == base
    assert report_fingerprint(params, "syn01", "final", code="d")["fingerprint"] != base["fingerprint"]
    with open(home / "data" / "syn01" / "costs.csv", "a", encoding="utf-8") as fh:
        fh.write("Övrigt,1000,900,wp1,illustrative\n")
    after_data = report_fingerprint(params, "syn01", "final", code="c")
    assert after_data["fingerprint"] != base["fingerprint"]
    assert after_data["components"]["inputs"]["costs.csv"] != base["components"]["inputs"]["costs.csv"]
    params.write_text(params.read_text(encoding="utf-8").replace("language: sv", "language: en"), encoding="utf-8")
    after_params = report_fingerprint(params, "syn01", "final", code="c")
    assert after_params["components"]["params_file"] != after_data["components"]["params_file"]
    (home / "notebooks" / "final.ipynb").write_text("{}", encoding="utf-8")
    assert report_fingerprint(params, "syn01", "final", code="c")["components"]["notebook"] != \
        after_params["components"]["notebook"]


def test_code_fingerprint_follows_python_files_and_templates(tmp_path: Path) -> None:
    """Editing a module or a template changes the code hash; other files do not."""
    package = tmp_path / "evaluation"
    shutil.copytree(batch.paths.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    base = code_fingerprint(package)
    assert code_fingerprint(package) == base
    (package / "notes.txt").write_text("not code", encoding="utf-8")
    assert code_fingerprint(package) == base
    with open(package / "fmt.py", "a", encoding="utf-8") as fh:
        fh.write("\n# changed\n")
    changed = code_fingerprint(package)
    assert changed != base
    css = next((package / "templates").rglob("*.css"))
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    assert code_fingerprint(package) != changed


def test_index_lists_reports_with_escaped_names_and_relative_links(tmp_path: Path) -> None:
    """index.html escapes every name and message, links outputs relatively and fetches nothing."""
    reports = tmp_path / "reports"
    (reports / "p1").mkdir(parents=True)
    for suffix in (".html", ".pdf", ".json", ".ipynb"):
        (reports / "p1" / f"final{suffix}").write_text("x", encoding="utf-8")
    (reports / "portfolio.html").write_text("x", encoding="utf-8")
    outcomes = (
        ReportOutcome(tmp_path / "p1_final.yaml", "p1", "final", "ok", "", 1.5),
        ReportOutcome(tmp_path / "p2_midterm.yaml", "p2", "midterm", "failed",
                      "cell 2 ('x'): ValueError: <script>alert(1)</script> & more", 2.0),
        ReportOutcome(tmp_path / "p1_midterm.yaml", "p1", "midterm", "skipped", "unchanged", 0.0),
    )
    portfolio = ReportOutcome(None, "portfolio", "portfolio", "ok", "", 3.0)
    result = BatchResult(outcomes=outcomes, reports_dir=reports, portfolio=portfolio)
    path = write_index(result, reports)
    text = path.read_text(encoding="utf-8")
    assert path == reports / "index.html"
    assert '<a href="p1/final.html">HTML</a>' in text and '<a href="p1/final.pdf">PDF</a>' in text
    assert '<a href="p1/final.json">JSON</a>' in text and '<a href="portfolio.html">HTML</a>' in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in text
    assert "<script" not in text and "http" not in text and "<link" not in text
    assert "3 rapporter: 1 klara, 1 oförändrade, 1 misslyckade" in text
    assert text.index(">p1<") < text.index(">p2<")
    again = BatchResult(outcomes=outcomes, reports_dir=reports, portfolio=portfolio, wall_time=99.0)
    assert write_index(again, reports).read_text(encoding="utf-8") == text


def test_cli_registers_batch_with_its_options() -> None:
    """add_cli adds 'batch' with every documented option and a handler."""
    parser = argparse.ArgumentParser(prog="evaluation")
    sub = parser.add_subparsers(dest="command")
    batch.add_cli(sub)
    args = parser.parse_args(["batch", "a.yaml", "b*.yaml", "--workers", "3", "--scheduler", "tcp://h:8786",
                              "--timeout", "5", "--force", "--no-portfolio", "--reports-dir", "out"])
    assert args.params == ["a.yaml", "b*.yaml"] and args.workers == 3 and args.scheduler == "tcp://h:8786"
    assert args.timeout == 5.0 and args.force and args.no_portfolio and args.reports_dir == Path("out")
    assert args.func is batch._handle
    defaults = parser.parse_args(["batch"])
    assert defaults.params == [] and defaults.timeout == 600.0 and not defaults.force


def test_cli_expands_globs_and_defaults_to_params_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No argument means every params/*.yaml; a pattern expands sorted; an empty pattern is an error."""
    home = _make_home(tmp_path, monkeypatch)
    files = write_synthetic_programme(home, 2, 1, formats=("html",))
    assert batch._expand([]) == files
    assert batch._expand([str(home / "params" / "syn02_*.yaml")]) == [f for f in files if "syn02" in f.name]
    with pytest.raises(ParameterError, match="pattern"):
        batch._expand([str(home / "params" / "nothing_*.yaml")])


def test_run_batch_rejects_bad_arguments(tmp_path: Path) -> None:
    """Bad workers, scheduler or timeout are one InputError before anything runs."""
    with pytest.raises(batch.InputError) as info:
        run_batch([], workers=0, scheduler="localhost", timeout=-1, reports_dir=tmp_path)
    text = str(info.value)
    assert "'workers'" in text and "'scheduler'" in text and "'timeout'" in text


def test_bad_params_file_fails_without_a_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A params file that does not validate is a failed outcome with its reason; nothing is started."""
    home = _make_home(tmp_path, monkeypatch)
    (home / "params").mkdir()
    bad = home / "params" / "nope_final.yaml"
    bad.write_text("project: nope\nkind: final\nas_of: 2024-13-01\n", encoding="utf-8")
    result = run_batch([bad], workers=1, progress=False, portfolio=False)
    (outcome,) = result.outcomes
    assert outcome.status == "failed" and "'as_of'" in outcome.message and outcome.duration == 0.0
    assert result.exit_code() == 1 and result.index is not None and result.index.is_file()


# --------------------------------------------------------------------------- notebooks executed


@pytest.mark.slow
def test_batch_isolates_failures_and_exits_non_zero(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Through the CLI: good reports succeed, a broken project and a failing kernel are reported with reasons."""
    home = _make_home(tmp_path, monkeypatch)
    write_synthetic_programme(home, 3, 21, broken=[3], formats=("html", "pdf", "json"))
    _extra_project(home, "boom01")
    parser = argparse.ArgumentParser(prog="evaluation")
    batch.add_cli(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["batch", "--workers", "2", "--no-progress"])
    code = args.func(args)
    out = capsys.readouterr().out
    assert code == 1
    reports = home / "reports"
    for pid in ("syn01", "syn02"):
        for kind in ("midterm", "final"):
            for suffix in (".ipynb", ".html", ".pdf", ".json", ".fingerprint.json"):
                assert (reports / pid / f"{kind}{suffix}").is_file(), (pid, kind, suffix)
    assert json.loads((reports / "syn01" / "final.json").read_text(encoding="utf-8"))["key_figures"]["project"] == "syn01"
    assert not (reports / "syn03").exists() or not list((reports / "syn03").glob("*.html"))
    assert (reports / "boom01" / "final.failed.ipynb").is_file()
    assert not (reports / "boom01" / "final.html").exists()
    assert not (reports / "boom01" / "final.fingerprint.json").exists()
    lines = {tuple(line.split()[:3]) for line in out.splitlines()}
    assert ("syn01", "final", "ok") in lines and ("syn03", "midterm", "failed") in lines
    assert ("boom01", "final", "failed") in lines and ("portfolio", "portfolio", "ok") in lines
    assert "'fund' in" in out and "must be one of" in out
    assert "deliberate failure in the kernel for boom01" in out and "cell" in out
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="syn01/final.html"' in index and 'href="portfolio.pdf"' in index
    assert "deliberate failure in the kernel" in index
    assert (reports / "portfolio.html").is_file() and (reports / "portfolio.pdf").is_file()
    key = json.loads((reports / "portfolio.json").read_text(encoding="utf-8"))["key_figures"]
    assert key["projects"] == ["boom01", "syn01", "syn02"]
    assert "syn03" in out.split("portfolio")[1].splitlines()[0] or "left out" in out


@pytest.mark.slow
def test_second_run_skips_and_a_changed_file_reruns_only_its_project(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Unchanged reports are skipped; a changed data file or a missing output re-runs just those; force re-runs all."""
    home = _make_home(tmp_path, monkeypatch)
    files = write_synthetic_programme(home, 2, 5, formats=("html", "json"))
    first = run_batch(files, workers=2, progress=False, portfolio=False)
    assert [o.status for o in first.outcomes] == ["ok"] * 4
    second = run_batch(files, workers=2, progress=False, portfolio=False)
    assert [o.status for o in second.outcomes] == ["skipped"] * 4
    assert all(o.message == "unchanged since the last successful run" for o in second.outcomes)
    with open(home / "data" / "syn02" / "costs.csv", "a", encoding="utf-8") as fh:
        fh.write("Övrigt,1000,900,wp1,illustrative\n")
    (home / "reports" / "syn01" / "midterm.html").unlink()
    third = _by_key(run_batch(files, workers=2, progress=False, portfolio=False))
    assert {k: o.status for k, o in third.items()} == {
        ("syn01", "final"): "skipped", ("syn01", "midterm"): "ok",
        ("syn02", "final"): "ok", ("syn02", "midterm"): "ok",
    }
    forced = run_batch(files, workers=2, progress=False, portfolio=False, force=True)
    assert [o.status for o in forced.outcomes] == ["ok"] * 4


@pytest.mark.slow
def test_dask_cluster_runs_the_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a real LocalCluster the reports and the portfolio run; a failing kernel stays isolated."""
    distributed = pytest.importorskip("distributed")
    home = _make_home(tmp_path, monkeypatch)
    files = write_synthetic_programme(home, 1, 8, formats=("html", "json")) + _extra_project(home, "boom02")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        result = run_batch(files, scheduler=cluster.scheduler_address, progress=False)
        with distributed.Client(cluster) as client:
            states = client.run(lambda: __import__("evaluation.run.batch", fromlist=["_STATE"])._STATE is None)
    outcomes = _by_key(result)
    assert outcomes[("syn01", "midterm")].status == "ok" and outcomes[("syn01", "final")].status == "ok"
    assert outcomes[("boom02", "final")].status == "failed"
    assert "deliberate failure in the kernel" in outcomes[("boom02", "final")].message
    assert result.portfolio is not None and result.portfolio.status == "ok"
    assert (home / "reports" / "syn01" / "final.html").is_file() and (home / "reports" / "portfolio.html").is_file()
    assert all(states.values())  # each worker's zygote was stopped at the end


@pytest.mark.slow
def test_hung_kernel_is_stopped_by_the_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A notebook that never finishes fails with a timeout naming the cell; the batch goes on."""
    home = _make_home(tmp_path, monkeypatch)
    files = _extra_project(home, "hang01") + write_synthetic_programme(home, 1, 2, formats=("html",))[:1]
    result = _by_key(run_batch(files, workers=2, timeout=4, progress=False, portfolio=False))
    hung = result[("hang01", "final")]
    assert hung.status == "failed" and "timed out in cell" in hung.message and "time.sleep" not in hung.message
    assert result[("syn01", "final")].status == "ok"


@pytest.mark.slow
def test_zygote_kernels_are_fresh_processes_and_fall_back_cold(tmp_path: Path) -> None:
    """Each report gets a new forked kernel with an empty namespace; without the zygote a cold kernel runs."""
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    def run(source: str) -> str:
        nb = new_notebook(cells=[new_code_cell(source)])
        NotebookClient(nb, kernel_name="python3", timeout=60).execute()
        return "".join(o.get("text", "") for o in nb.cells[0].outputs)

    saved = os.environ.get("JUPYTER_PATH")
    zygote = KernelZygote(preload=("json",)).start()
    try:
        zygote.activate()
        first = run("import json, os\njson.leak = 1\nsecret = 5\nprint(os.getppid(), os.getpid())")
        second = run("import json, os\nprint('secret' in globals(), hasattr(json, 'leak'), os.getppid(), os.getpid())")
        ppid1, pid1 = map(int, first.split())
        in_ns, leaked, ppid2, pid2 = second.split()
        assert ppid1 == int(ppid2) == zygote.process.pid and pid1 != int(pid2)
        assert (in_ns, leaked) == ("False", "False")
        zygote.process.kill()
        zygote.process.wait()
        cold = run("import os\nprint(os.getppid())")
        assert int(cold) != ppid1
    finally:
        folder = zygote.folder
        zygote.close()
    assert os.environ.get("JUPYTER_PATH") == saved and folder is not None and not folder.exists()


def _echo_or_die(task: str) -> ReportOutcome:
    """Worker function for the crash test: ends its worker process on 'die'."""
    if task == "die":
        os._exit(3)
    return ReportOutcome(None, task, "k", "ok", "", 0.0)


@pytest.mark.slow
def test_a_crashing_worker_fails_only_its_own_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker process that dies is replaced; its report fails, the others still run."""
    home = _make_home(tmp_path, monkeypatch)
    done: dict[int, ReportOutcome] = {}
    with batch._Executor(1, None, str(home), warm=False) as executor:
        executor.run(_echo_or_die, ["a", "die", "b"], lambda i, o: done.__setitem__(i, o))
    assert sorted(done) == [0, 1, 2]
    assert done[0].status == "ok" and done[2].status == "ok"
    assert done[1].status == "failed" and "ended unexpectedly" in done[1].message
