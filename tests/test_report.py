"""Tests for evaluation.report: one report run end to end, failures, timeouts, atomic outputs, CLI."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import types
from pathlib import Path

import pytest

from evaluation import paths
from evaluation.errors import InputError, ParameterError, Problem, ReportError
from evaluation.report import ReportResult, add_cli, is_kernel_startup_error, run_report

NOTEBOOKS = Path(__file__).parent / "data" / "notebooks"
REPO = paths.PACKAGE_DIR.parent

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
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "data" / "demo").mkdir(parents=True)
    (tmp_path / "data" / "demo" / "project.yaml").write_text("id: demo\n", encoding="utf-8")
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "demo_final.yaml").write_text(PARAMS, encoding="utf-8")
    monkeypatch.setenv("EVALUATION_HOME", str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    return tmp_path


def use_notebook(home: Path, name: str, kind: str = "final") -> None:
    shutil.copy(NOTEBOOKS / name, home / "notebooks" / f"{kind}.ipynb")


def outputs(home: Path) -> dict[str, Path]:
    folder = home / "reports" / "demo"
    return {ext: folder / f"final.{ext}" for ext in ("ipynb", "html", "pdf", "json")}


@pytest.mark.slow
def test_run_writes_every_format_byte_identical_on_rerun(home: Path) -> None:
    """A run writes .ipynb/.html/.pdf/.json; a second run with the same inputs gives the same bytes."""
    use_notebook(home, "report_ok.ipynb")
    first = run_report(home / "params" / "demo_final.yaml", preflight=no_preflight)
    files = outputs(home)
    assert isinstance(first, ReportResult)
    assert dict(first.paths) == files
    assert first.key_figures == {"budget_sek": 16713030, "share_women": 0.5, "firms": 2}
    before = {k: p.read_bytes() for k, p in files.items()}
    assert before["pdf"].startswith(b"%PDF-")
    run_report(home / "params" / "demo_final.yaml", preflight=no_preflight)
    after = {k: p.read_bytes() for k, p in files.items()}
    for key in before:
        assert before[key] == after[key], f"{key} differs between identical runs"
    leftovers = [p.name for p in files["ipynb"].parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


@pytest.mark.slow
def test_executed_notebook_has_no_timestamps(home: Path) -> None:
    """The kept .ipynb has no papermill times, no nbclient timing, stable injected cell id."""
    use_notebook(home, "report_ok.ipynb")
    run_report(home / "params" / "demo_final.yaml", preflight=no_preflight, timeout=120)
    nb = json.loads(outputs(home)["ipynb"].read_text(encoding="utf-8"))
    text = json.dumps(nb)
    assert "start_time" not in text and "end_time" not in text and '"duration"' not in text
    assert all("execution" not in c["metadata"] for c in nb["cells"])
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == 1 and injected[0]["id"] == "injected-parameters-2"
    assert nb["metadata"]["papermill"]["output_path"] == "reports/demo/final.ipynb"
    assert 'as_of = "2022-12-31"' in "".join(injected[0]["source"])


@pytest.mark.slow
def test_failing_cell_names_cell_keeps_notebook_removes_outputs(home: Path) -> None:
    """A failing cell: ReportError names cell 3 and the error; .ipynb kept; old html/pdf/json removed."""
    use_notebook(home, "report_fail.ipynb")
    files = outputs(home)
    files["html"].parent.mkdir(parents=True)
    for key in ("html", "pdf", "json"):
        files[key].write_text("from an earlier run", encoding="utf-8")
    with pytest.raises(ReportError) as info:
        run_report(home / "params" / "demo_final.yaml", preflight=no_preflight)
    msg = str(info.value)
    assert "notebooks/final.ipynb failed in cell 3" in msg
    assert 'raise ValueError("avsiktligt fel")' in msg
    assert "ValueError: avsiktligt fel" in msg
    assert "reports/demo/final.ipynb" in msg
    assert info.value.exit_code != 0
    assert files["ipynb"].is_file() and "avsiktligt fel" in files["ipynb"].read_text(encoding="utf-8")
    assert not files["html"].exists() and not files["pdf"].exists() and not files["json"].exists()
    assert [p.name for p in files["ipynb"].parent.iterdir()] == ["final.ipynb"]


@pytest.mark.slow
def test_timeout_names_cell_and_removes_outputs(home: Path) -> None:
    """A cell running past the timeout: ReportError names it; .ipynb kept; no html/pdf/json."""
    use_notebook(home, "report_slow.ipynb")
    files = outputs(home)
    files["pdf"].parent.mkdir(parents=True)
    files["pdf"].write_bytes(b"%PDF-old")
    with pytest.raises(ReportError) as info:
        run_report(home / "params" / "demo_final.yaml", preflight=no_preflight, timeout=2)
    msg = str(info.value)
    assert "timed out in cell 2 ('import time')" in msg and "within 2 s" in msg
    assert files["ipynb"].is_file()
    assert not files["pdf"].exists() and not files["html"].exists() and not files["json"].exists()


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
        seen.append(getattr(params, "project"))
        raise InputError([Problem("data/demo/firms.csv", "org_nr", "ten digits", "12", 3)])

    with pytest.raises(InputError, match="'org_nr' in data/demo/firms.csv row 3"):
        run_report(home / "params" / "demo_final.yaml", preflight=bad)
    assert seen == ["demo"] and not (home / "reports").exists()


def test_default_preflight_calls_loader(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a preflight argument, evaluation.loader.load_project(project) is called."""
    use_notebook(home, "report_ok.ipynb")
    fake = types.ModuleType("evaluation.loader")

    def load_project(project: str) -> None:
        raise InputError([Problem(f"data/{project}/project.yaml", "name", "given", None)])

    fake.load_project = load_project  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "evaluation.loader", fake)
    with pytest.raises(InputError, match="data/demo/project.yaml"):
        run_report(home / "params" / "demo_final.yaml")


def test_default_preflight_skipped_without_loader(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When evaluation.loader cannot be imported, the preflight is skipped (only ImportError)."""
    monkeypatch.setitem(sys.modules, "evaluation.loader", None)  # import raises ImportError
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
    args = _cli().parse_args(["report", str(home / "params" / "demo_final.yaml")])
    assert args.func(args) == ParameterError.exit_code != 0
    assert "'colour' in params/demo_final.yaml row 7" in capsys.readouterr().err


def test_cli_rejects_unknown_format(capsys: pytest.CaptureFixture[str]) -> None:
    """--formats accepts only html, pdf, json."""
    with pytest.raises(SystemExit) as info:
        _cli().parse_args(["report", "x.yaml", "--formats", "html,docx"])
    assert info.value.code == 2
    assert "html, pdf, json" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_formats_subset_and_reports_dir(home: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """--formats json writes only .ipynb and .json into --reports-dir, removing a stale .html; exit 0."""
    monkeypatch.setitem(sys.modules, "evaluation.loader", None)
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
