"""Tests for evaluation.run.batch: parallel reports, failure isolation, skip-unchanged, Dask, settings passed to workers."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest

from evaluation.authoring.synthetic import write_synthetic_programme, write_synthetic_project
from evaluation.core import settings
from evaluation.core.errors import ParameterError
from evaluation.core.settings import Settings
from evaluation.run import batch
from evaluation.run.batch import BatchResult, ReportOutcome, run_batch

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
            for suffix in (".ipynb", ".html", ".pdf", ".json"):
                assert (reports / pid / f"{kind}{suffix}").is_file(), (pid, kind, suffix)
            assert batch.recorded_fingerprint(reports / pid / kind) is not None
    assert json.loads((reports / "syn01" / "final.json").read_text(encoding="utf-8"))["key_figures"]["project"] == "syn01"
    assert not (reports / "syn03").exists() or not list((reports / "syn03").glob("*.html"))
    assert (reports / "boom01" / "final.failed.ipynb").is_file()
    assert not (reports / "boom01" / "final.html").exists()
    assert batch.recorded_fingerprint(reports / "boom01" / "final") is None
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
            states = client.run(lambda: __import__("evaluation.run.executors", fromlist=["_STATE"])._STATE is None)
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
def test_workers_and_kernels_get_the_settings_not_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With EVALUATION_HOME unset, settings made current by the caller reach the workers and their kernels; os.environ stays as it was."""
    home = _make_home(tmp_path, monkeypatch)
    monkeypatch.delenv("EVALUATION_HOME")
    files = write_synthetic_programme(home, 1, 4, formats=("html", "json"))
    before = dict(os.environ)
    with settings.use(Settings(home=home)):
        result = run_batch(files, workers=1, progress=False, portfolio=True)
    assert [o.status for o in result.outcomes] == ["ok", "ok"], [o.message for o in result.outcomes]
    assert result.portfolio is not None and result.portfolio.status == "ok", result.portfolio
    assert json.loads((home / "reports" / "syn01" / "final.json").read_text(encoding="utf-8"))["key_figures"]["project"] == "syn01"
    assert dict(os.environ) == before
    for path in (home / "reports").rglob("*"):
        if path.suffix in (".ipynb", ".html", ".json"):
            assert str(home) not in path.read_text(encoding="utf-8"), path


# --------------------------------------------------------------------------- hardening


@pytest.mark.slow
def test_a_report_made_by_hand_from_other_data_is_not_taken_for_unchanged(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch, then `evaluation report` by hand on edited data, then the edit undone: the next batch
    re-runs the report (its files showed the edited data); the batch after that skips it."""
    from evaluation.run.report import run_report

    home = _make_home(tmp_path, monkeypatch)
    final = [f for f in write_synthetic_programme(home, 1, 5, formats=("json",)) if f.name.endswith("_final.yaml")]
    assert [o.status for o in run_batch(final, workers=1, progress=False, portfolio=False).outcomes] == ["ok"]
    costs = home / "data" / "syn01" / "costs.csv"
    original = costs.read_bytes()
    costs.write_bytes(original + "Övrigt,1000,900,wp1,illustrative\n".encode())
    run_report(final[0], timeout=120)
    edited = (home / "reports" / "syn01" / "final.json").read_bytes()
    costs.write_bytes(original)
    again = run_batch(final, workers=1, progress=False, portfolio=False)
    assert [o.status for o in again.outcomes] == ["ok"]
    assert (home / "reports" / "syn01" / "final.json").read_bytes() != edited
    assert [o.status for o in run_batch(final, workers=1, progress=False, portfolio=False).outcomes] == ["skipped"]


TAG = "EVALUATION_TEST_BATCH_TAG"


def _batch_processes(tag: str) -> list[psutil.Process]:
    """Every live process started for the batch tagged ``tag`` (the tag is in its environment)."""
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.status() == psutil.STATUS_ZOMBIE:
                continue
            if proc.environ().get(TAG) == tag:
                found.append(proc)
        except psutil.Error:
            continue
    return found


def _is_kernel(proc: psutil.Process) -> bool:
    try:
        cmd = " ".join(proc.cmdline())
    except psutil.Error:
        return False
    return "ipykernel" in cmd or "evaluation-warm-kernel-launcher" in cmd


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL, signal.SIGINT])
def test_a_killed_batch_leaves_no_process_and_no_half_written_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      signum: int) -> None:
    """`evaluation batch` stopped with SIGTERM, SIGKILL or SIGINT while kernels run: within 10 s no process
    of the batch (workers, zygote, launchers, kernels) is left, and each report's files are all there or none."""
    home = _make_home(tmp_path, monkeypatch)
    write_synthetic_programme(home, 3, 11, formats=("html", "json"))
    tag = uuid.uuid4().hex
    env = {**os.environ, "EVALUATION_HOME": str(home), TAG: tag}
    batch_process = subprocess.Popen([sys.executable, "-m", "evaluation", "batch", "--workers", "2", "--no-progress"],
                                     env=env, cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240  # a guard only: waits until a kernel runs
        while not any(_is_kernel(p) for p in _batch_processes(tag)):
            assert batch_process.poll() is None, batch_process.communicate()[1]
            assert time.monotonic() < deadline, "no kernel started"
            time.sleep(0.1)
        batch_process.send_signal(signum)
        batch_process.communicate(timeout=30)
        assert batch_process.returncode != 0
        deadline = time.monotonic() + 10
        while _batch_processes(tag) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = [(p.pid, " ".join(p.cmdline())[:120]) for p in _batch_processes(tag)]
        assert left == []
    finally:
        for proc in _batch_processes(tag):
            with contextlib.suppress(psutil.Error):
                proc.kill()
    for folder in (home / "reports").iterdir():
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        assert not [p.name for p in folder.iterdir() if p.name.startswith(".")], folder
        for kind in ("midterm", "final"):
            present = [(folder / f"{kind}.{ext}").is_file() for ext in ("ipynb", "html", "json")]
            assert all(present) or not any(present), (folder.name, kind, present)


@pytest.mark.slow
def test_batch_prints_no_kernel_chatter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`evaluation batch` prints neither the kernel's TCP-encryption warning nor 'KeyboardInterrupt caught in kernel'."""
    home = _make_home(tmp_path, monkeypatch)
    write_synthetic_programme(home, 2, 3, formats=("json",))
    done = subprocess.run([sys.executable, "-m", "evaluation", "batch", "--workers", "2", "--no-progress"],
                          env={**os.environ, "EVALUATION_HOME": str(home)}, cwd=home, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "without encryption" not in done.stderr and "KeyboardInterrupt" not in done.stderr, done.stderr
