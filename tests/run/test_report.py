"""Tests for evaluation.run.report: one report run end to end, failures, timeouts, atomic outputs, CLI."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from conftest import kernel_env

from evaluation.core.errors import InputError, ParameterError, Problem, ReportError
from evaluation.run.report import ReportResult, add_cli, is_kernel_startup_error, run_report

NOTEBOOKS = Path(__file__).resolve().parents[1] / "data" / "notebooks"

PARAMS = """\
project: demo
kind: final
as_of: 2022-12-31
language: sv
formats: [html, pdf, json]
small_cell_threshold: 5
"""


def no_preflight(params: object) -> None:
    """Preflight that accepts every project (the tests' stub data is not a real project)."""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project home with project 'demo' and params/demo_final.yaml; the kernel inherits it."""
    make_home(tmp_path)
    kernel_env(monkeypatch, tmp_path)
    return tmp_path


def use_notebook(home: Path, name: str, kind: str = "final") -> None:
    shutil.copy(NOTEBOOKS / name, home / "notebooks" / f"{kind}.ipynb")


def outputs(home: Path) -> dict[str, Path]:
    folder = home / "reports" / "demo"
    return {ext: folder / f"final.{ext}" for ext in ("ipynb", "html", "pdf", "json")}


def make_home(root: Path) -> Path:
    """Project 'demo' with params/demo_final.yaml under ``root``."""
    (root / "notebooks").mkdir()
    (root / "data" / "demo").mkdir(parents=True)
    (root / "data" / "demo" / "project.yaml").write_text("id: demo\n", encoding="utf-8")
    (root / "params").mkdir()
    (root / "params" / "demo_final.yaml").write_text(PARAMS, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """report_ok.ipynb run twice with the same inputs; the files' bytes after each run."""
    home = make_home(tmp_path_factory.mktemp("home"))
    use_notebook(home, "report_ok.ipynb")
    with pytest.MonkeyPatch.context() as mp:
        kernel_env(mp, home)
        first = run_report(home / "params" / "demo_final.yaml", preflight=no_preflight, timeout=120)
        before = {k: p.read_bytes() for k, p in outputs(home).items()}
        run_report(home / "params" / "demo_final.yaml", preflight=no_preflight, timeout=120)
        after = {k: p.read_bytes() for k, p in outputs(home).items()}
        yield {"home": home, "result": first, "before": before, "after": after}


@pytest.mark.slow
def test_run_writes_every_format(two_runs: dict[str, Any]) -> None:
    """A run writes .ipynb/.html/.pdf/.json, returns their paths and the key figures, leaves no temp files."""
    result, files = two_runs["result"], outputs(two_runs["home"])
    assert isinstance(result, ReportResult)
    assert dict(result.paths) == files
    assert result.key_figures == {"budget_sek": 16713030, "share_women": 0.5, "firms": 2}
    assert result.duration > 0
    assert two_runs["before"]["pdf"].startswith(b"%PDF-")
    assert sorted(p.name for p in files["ipynb"].parent.iterdir()) == sorted(p.name for p in files.values())


@pytest.mark.slow
def test_rerun_is_byte_identical(two_runs: dict[str, Any]) -> None:
    """A second run with the same inputs gives the same .ipynb, HTML, PDF and JSON bytes."""
    for key, content in two_runs["before"].items():
        assert content == two_runs["after"][key], f"{key} differs between identical runs"


@pytest.mark.slow
def test_executed_notebook_has_no_timestamps(two_runs: dict[str, Any]) -> None:
    """The kept .ipynb has no papermill times, no nbclient timing, a stable injected cell id."""
    nb = json.loads(two_runs["before"]["ipynb"].decode("utf-8"))
    text = json.dumps(nb)
    assert "start_time" not in text and "end_time" not in text and '"duration"' not in text
    assert all("execution" not in c["metadata"] for c in nb["cells"])
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == 1 and injected[0]["id"] == "injected-parameters-2"
    assert nb["metadata"]["papermill"]["output_path"] == "reports/demo/final.ipynb"
    assert 'as_of = "2022-12-31"' in "".join(injected[0]["source"])


@pytest.mark.slow
def test_failing_cell_names_cell_keeps_notebook_and_previous_report(home: Path) -> None:
    """A failing cell: ReportError names cell 3 and the error; the failed notebook is kept as final.failed.ipynb;
    the previous report's .ipynb, html, pdf, json and docx are left byte for byte as they were."""
    use_notebook(home, "report_fail.ipynb")
    files = outputs(home)
    files["html"].parent.mkdir(parents=True)
    earlier = {}
    for key in ("ipynb", "html", "pdf", "json"):
        files[key].write_text(f"{key} from an earlier good run", encoding="utf-8")
        earlier[key] = files[key].read_bytes()
    with pytest.raises(ReportError) as info:
        run_report(home / "params" / "demo_final.yaml", preflight=no_preflight)
    msg = str(info.value)
    assert "notebooks/final.ipynb failed in cell 3" in msg
    assert 'raise ValueError("avsiktligt fel")' in msg
    assert "ValueError: avsiktligt fel" in msg
    assert "kept at reports/demo/final.failed.ipynb; the previous report, if any, is untouched" in msg
    assert info.value.exit_code != 0
    failed = files["ipynb"].parent / "final.failed.ipynb"
    assert failed.is_file() and "avsiktligt fel" in failed.read_text(encoding="utf-8")
    assert {key: files[key].read_bytes() for key in earlier} == earlier
    assert sorted(p.name for p in files["ipynb"].parent.iterdir()) == sorted(
        ["final.failed.ipynb", "final.html", "final.ipynb", "final.json", "final.pdf"])


@pytest.mark.slow
def test_timeout_names_cell_and_keeps_previous_report(home: Path) -> None:
    """A cell running past the timeout: ReportError names it; the failed notebook is kept; the old PDF stays."""
    use_notebook(home, "report_slow.ipynb")
    files = outputs(home)
    files["pdf"].parent.mkdir(parents=True)
    files["pdf"].write_bytes(b"%PDF-old")
    with pytest.raises(ReportError) as info:
        run_report(home / "params" / "demo_final.yaml", preflight=no_preflight, timeout=2)
    msg = str(info.value)
    assert "timed out in cell 2 ('import time')" in msg and "within 2 s" in msg
    assert (files["ipynb"].parent / "final.failed.ipynb").is_file()
    assert files["pdf"].read_bytes() == b"%PDF-old"
    assert not files["html"].exists() and not files["json"].exists() and not files["ipynb"].exists()


def test_normalise_gives_old_notebooks_stable_ids(tmp_path: Path) -> None:
    """A notebook without cell ids (nbformat 4.4) gets valid, deterministic ids and loses timings."""
    from nbformat.v4 import new_code_cell, new_notebook

    from evaluation.run.report import normalise_notebook

    def executed() -> nbformat.NotebookNode:
        nb = new_notebook(cells=[new_code_cell("1"), new_code_cell("2")])
        nb.nbformat_minor = 4
        for cell in nb.cells:
            del cell["id"]
            cell.metadata["papermill"] = {"start_time": "2026-01-01T00:00:00", "duration": 0.1, "status": "completed"}
            cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00"}
        nb.metadata["papermill"] = {"start_time": "x", "end_time": "y", "duration": 1.0, "input_path": "in.ipynb"}
        return nb

    a = normalise_notebook(executed(), [], tmp_path / "final.ipynb")
    b = normalise_notebook(executed(), [], tmp_path / "final.ipynb")
    nbformat.validate(a)
    assert nbformat.writes(a) == nbformat.writes(b)
    assert [c.id for c in a.cells] == ["cell-0", "cell-1"]
    assert a.cells[0].metadata == {"papermill": {"status": "completed"}}
    assert "start_time" not in a.metadata["papermill"]


def test_kernel_that_cannot_start_is_report_error(home: Path) -> None:
    """An unknown kernel is a ReportError carrying the original exception text."""
    use_notebook(home, "report_ok.ipynb")
    with pytest.raises(ReportError) as info:
        run_report(home / "params" / "demo_final.yaml", preflight=no_preflight, kernel_name="no-such-kernel")
    assert "no-such-kernel" in str(info.value) and "NoSuchKernel" in str(info.value)
    assert not outputs(home)["html"].exists()


def test_is_kernel_startup_error() -> None:
    """Start-up failures the batch runner retries are recognised, also when wrapped."""
    assert is_kernel_startup_error(RuntimeError("Kernel died before replying to kernel_info"))
    try:
        try:
            raise OSError("ZMQError: Address already in use (addr='tcp://127.0.0.1:5555')")
        except OSError as inner:
            raise ReportError("kernel failed") from inner
    except ReportError as outer:
        assert is_kernel_startup_error(outer)
    assert not is_kernel_startup_error(ReportError("notebooks/final.ipynb failed in cell 3"))
    assert not is_kernel_startup_error(ValueError("boom"))


def test_parameter_error_before_any_kernel(home: Path) -> None:
    """Bad parameters raise ParameterError and nothing is written."""
    (home / "params" / "demo_final.yaml").write_text(PARAMS.replace("language: sv", "language: fi"),
                                                     encoding="utf-8")
    use_notebook(home, "report_ok.ipynb")
    with pytest.raises(ParameterError, match="'language' in params/demo_final.yaml row 4"):
        run_report(home / "params" / "demo_final.yaml", preflight=no_preflight)
    assert not (home / "reports").exists()


def test_preflight_input_error_stops_before_kernel(home: Path) -> None:
    """The preflight's InputError propagates and no notebook is executed."""
    use_notebook(home, "report_ok.ipynb")
    seen: list[str] = []

    def bad(params: object) -> None:
        seen.append(params.project)
        raise InputError([Problem("data/demo/firms.csv", "org_nr", "ten digits", "12", 3)])

    with pytest.raises(InputError, match="'org_nr' in data/demo/firms.csv row 3"):
        run_report(home / "params" / "demo_final.yaml", preflight=bad)
    assert seen == ["demo"] and not (home / "reports").exists()


def test_default_preflight_calls_loader(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a preflight argument, evaluation.io.loader.load_project(project) is called."""
    use_notebook(home, "report_ok.ipynb")
    fake = types.ModuleType("evaluation.io.loader")

    def load_project(project: str) -> None:
        raise InputError([Problem(f"data/{project}/project.yaml", "name", "given", None)])

    fake.load_project = load_project  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "evaluation.io.loader", fake)
    with pytest.raises(InputError, match="data/demo/project.yaml"):
        run_report(home / "params" / "demo_final.yaml")


def test_default_preflight_skipped_without_loader(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When evaluation.io.loader cannot be imported, the preflight is skipped (only ImportError)."""
    monkeypatch.setitem(sys.modules, "evaluation.io.loader", None)  # import raises ImportError
    # No notebook: getting as far as the notebook check proves the preflight was skipped.
    with pytest.raises(ParameterError, match="notebooks/<kind>.ipynb"):
        run_report(home / "params" / "demo_final.yaml")


def _cli() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="evaluation")
    sub = parser.add_subparsers(dest="command", required=True)
    add_cli(sub)
    return parser


def test_cli_help(capsys: pytest.CaptureFixture[str]) -> None:
    """`evaluation report --help` documents the arguments and exits 0."""
    with pytest.raises(SystemExit) as info:
        _cli().parse_args(["report", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for word in ("PARAMS_FILE", "--reports-dir", "--timeout", "--formats"):
        assert word in out


def test_cli_parameter_error_exit_code(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad parameter file: message on stderr, the error's non-zero exit code."""
    (home / "params" / "demo_final.yaml").write_text(PARAMS + "colour: blue\n", encoding="utf-8")
    from evaluation.cli.main import main

    assert main(["report", str(home / "params" / "demo_final.yaml")]) == ParameterError.exit_code != 0
    assert "'colour' in params/demo_final.yaml row 7" in capsys.readouterr().err


def test_cli_rejects_unknown_format(capsys: pytest.CaptureFixture[str]) -> None:
    """--formats accepts only html, pdf, json, docx."""
    with pytest.raises(SystemExit) as info:
        _cli().parse_args(["report", "x.yaml", "--formats", "html,rtf"])
    assert info.value.code == 2
    assert "html, pdf, json, docx" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_formats_subset_and_reports_dir(home: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """--formats json writes only .ipynb and .json into --reports-dir, removing a stale .html; exit 0."""
    monkeypatch.setitem(sys.modules, "evaluation.io.loader", None)
    use_notebook(home, "report_ok.ipynb")
    out = home / "elsewhere"
    (out / "demo").mkdir(parents=True)
    (out / "demo" / "final.html").write_text("stale", encoding="utf-8")
    args = _cli().parse_args(["report", str(home / "params" / "demo_final.yaml"), "--formats", "json",
                              "--reports-dir", str(out), "--timeout", "120"])
    assert args.func(args) == 0
    assert sorted(p.name for p in (out / "demo").iterdir()) == ["final.ipynb", "final.json"]
    data = json.loads((out / "demo" / "final.json").read_text(encoding="utf-8"))
    assert data["params"]["formats"] == ["json"]
    assert "json: elsewhere/demo/final.json" in capsys.readouterr().out


# --------------------------------------------------------------------------- nothing half-written


class _Killed(BaseException):
    """A simulated kill (no ``except Exception`` catches it)."""


def _kill_at_link_step(monkeypatch: pytest.MonkeyPatch, n: int) -> None:
    """Once rendering is done (the key figures are collected), the ``n``-th rename or link call and every
    file-system call after it raise :class:`_Killed`, as if the process were killed there."""
    import evaluation.render.keyfigures as keyfigures

    state = {"armed": False, "calls": 0, "dead": False}
    collect = keyfigures.collect_key_figures

    def arm(nb: Any) -> Any:
        state["armed"] = True
        return collect(nb)

    monkeypatch.setattr(keyfigures, "collect_key_figures", arm)
    for name in ("replace", "rename", "symlink", "link", "unlink", "rmdir", "mkdir", "fsync", "chmod"):
        real = getattr(os, name)

        def call(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            if state["armed"] and _name in ("replace", "rename", "symlink", "link"):
                state["calls"] += 1
                state["dead"] = state["dead"] or state["calls"] >= n
            if state["dead"]:
                raise _Killed
            return _real(*args, **kwargs)

        monkeypatch.setattr(os, name, call)


def _readable(home: Path) -> dict[str, bytes | None]:
    out: dict[str, bytes | None] = {}
    for key, path in outputs(home).items():
        try:
            out[key] = path.read_bytes()
        except OSError:
            out[key] = None
    return out


@pytest.mark.slow
def test_a_folder_where_a_file_must_go_leaves_the_previous_report(home: Path) -> None:
    """A folder where final.json must go: the run fails with an InputError naming it, and the
    previous report's notebook, HTML and PDF are still there, byte for byte."""
    use_notebook(home, "report_ok.ipynb")
    params = home / "params" / "demo_final.yaml"
    run_report(params, preflight=no_preflight, timeout=120)
    before = _readable(home)
    json_path = outputs(home)["json"]
    json_path.unlink()
    json_path.mkdir()
    params.write_text(PARAMS.replace("2022-12-31", "2023-06-30"), encoding="utf-8")
    with pytest.raises(InputError, match="final.json"):
        run_report(params, preflight=no_preflight, timeout=120)
    after = _readable(home)
    assert {k: after[k] for k in ("ipynb", "html", "pdf")} == {k: before[k] for k in ("ipynb", "html", "pdf")}


@pytest.mark.slow
@pytest.mark.parametrize("step", [1, 2])
def test_a_kill_while_writing_leaves_the_old_or_the_new_report(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                               step: int) -> None:
    """Killed at a rename or link while the files are written (before the one switch): a reader sees the
    whole previous report, nothing of the new one; the next run replaces it completely and leaves no
    temporary file."""
    use_notebook(home, "report_ok.ipynb")
    params = home / "params" / "demo_final.yaml"
    run_report(params, preflight=no_preflight, timeout=120)
    old = _readable(home)
    params.write_text(PARAMS.replace("2022-12-31", "2023-06-30"), encoding="utf-8")
    with monkeypatch.context() as mp:
        _kill_at_link_step(mp, step)
        with pytest.raises(_Killed):
            run_report(params, preflight=no_preflight, timeout=120)
    seen = _readable(home)
    assert seen == old, {k: (seen[k] == old[k]) for k in seen}  # nothing new was complete: all old
    run_report(params, preflight=no_preflight, timeout=120)
    new = _readable(home)
    assert all(new[k] is not None and new[k] != old[k] for k in ("ipynb", "html", "json"))
    leftovers = [p for p in (home / "reports").rglob("*") if ".tmp" in p.name]
    assert leftovers == []


# --------------------------------------------------------------------------- no absolute paths


@pytest.mark.slow
def test_reports_dir_outside_the_home_appears_by_its_name_only(home: Path, tmp_path_factory: pytest.TempPathFactory,
                                                               capsys: pytest.CaptureFixture[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """With --reports-dir outside the project home, neither the files written nor the terminal (a good
    run, then a failing one) show its absolute path: only its name, e.g. 'outside/demo/final.json'."""
    monkeypatch.setitem(sys.modules, "evaluation.io.loader", None)
    use_notebook(home, "report_ok.ipynb")
    out = tmp_path_factory.mktemp("elsewhere") / "outside"
    from evaluation.cli.main import main

    assert main(["report", str(home / "params" / "demo_final.yaml"), "--reports-dir", str(out),
                 "--timeout", "120"]) == 0
    shown = capsys.readouterr()
    assert "json: outside/demo/final.json" in shown.out
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".ipynb", ".html", ".json"):
            text = path.read_text(encoding="utf-8")
            assert str(out.parent) not in text and str(home) not in text, path
    use_notebook(home, "report_fail.ipynb")
    assert main(["report", str(home / "params" / "demo_final.yaml"), "--reports-dir", str(out)]) != 0
    err = capsys.readouterr().err
    assert "kept at outside/demo/final.failed.ipynb" in err and str(out.parent) not in err
