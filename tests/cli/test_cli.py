"""Tests for evaluation.cli.main: list, validate, check (table, JSON, --strict), bad input, --help of every sub-command."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import minimal_spec, write_project

from evaluation import __version__
from evaluation.cli.main import build_parser, main

EXAMPLES = ("hso", "nba", "nis60", "sam")
SUBCOMMANDS = ("list", "validate", "check", "rules", "report", "batch", "new", "template", "import", "export-firms",
               "firm-aggregates", "deliver", "verify")


def value(indicator: str, period_end: str, v: object) -> dict[str, object]:
    return {"indicator": indicator, "period_end": period_end, "value": v, "status": "verified", "source": "src"}


def spec_with_id(pid: str, **changes: Any) -> dict[str, Any]:
    spec = minimal_spec()
    spec["id"] = pid
    spec.update(changes)
    return spec


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """EVALUATION_HOME with data/mini (clean), data/down (a cumulative indicator that goes down),
    data/bad (a non-number on row 3 of indicator_values.csv) and data/demo (illustrative values)."""
    data = tmp_path / "data"
    write_project(data, minimal_spec())
    write_project(data, spec_with_id("down"), {"indicator_values": [value("out1", "2024-06-30", 5),
                                                                    value("out1", "2024-12-31", 3)]})
    write_project(data, spec_with_id("bad"), {"indicator_values": [value("out1", "2024-06-30", 5),
                                                                   value("out1", "2024-12-31", "fem")]})
    illustrative = [{**value("out1", "2024-06-30", 5), "data_status": "illustrative"}]
    write_project(data, spec_with_id("demo", name="Demoprojekt"), {"indicator_values": illustrative})
    monkeypatch.setenv("EVALUATION_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def repo_home(monkeypatch: pytest.MonkeyPatch) -> None:
    """No EVALUATION_HOME: the repository's own data/ (the four example projects)."""
    monkeypatch.delenv("EVALUATION_HOME", raising=False)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- list


def test_list_examples(repo_home: None, capsys: pytest.CaptureFixture[str]) -> None:
    """list: the four example projects, sorted, the illustrative ones flagged [illustrativ]."""
    code, out, err = run(["list"], capsys)
    assert code == 0 and err == ""
    lines = out.splitlines()
    ids = [line.split("\t")[0] for line in lines]  # a user's own projects may be listed beside the examples
    assert ids == sorted(ids) and [i for i in ids if i in EXAMPLES] == ["hso", "nba", "nis60", "sam"]
    assert "nis60\tNäringsliv i samverkan NIS 6.0" in lines
    flagged = {line.split("\t")[0] for line in lines if line.endswith(" [illustrativ]")}
    assert flagged & set(EXAMPLES) == {"hso", "sam"}


def test_list_custom_home_shows_invalid_projects(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """list under EVALUATION_HOME: valid projects by name, an invalid one with its first problem; exit 0."""
    code, out, _ = run(["list"], capsys)
    assert code == 0
    assert out.splitlines() == [
        "bad\t(invalid: 'value' in data/bad/indicator_values.csv row 3 must be a number (e.g. 16 713 030 or 159,5) (got 'fem'))",
        "demo\tDemoprojekt [illustrativ]",
        "down\tMiniprojekt",
        "mini\tMiniprojekt",
    ]


# --------------------------------------------------------------------------- validate


def test_validate_ok(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """validate: "<id>: ok (3 goal-tree nodes, 4 effect-logic nodes, 2 indicators)" and exit 0."""
    code, out, err = run(["validate", "mini", "down"], capsys)
    assert code == 0 and err == ""
    assert out.splitlines() == ["mini: ok (3 goal-tree nodes, 4 effect-logic nodes, 2 indicators)",
                                "down: ok (3 goal-tree nodes, 4 effect-logic nodes, 2 indicators)"]


def test_validate_example(repo_home: None, capsys: pytest.CaptureFixture[str]) -> None:
    """validate nis60: the example project loads (5 indicators)."""
    code, out, _ = run(["validate", "nis60"], capsys)
    assert code == 0 and out.startswith("nis60: ok (") and out.rstrip().endswith("5 indicators)")


def test_validate_bad_input_exit_2_one_message(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Bad input: exit 2 and one message naming the file, the row and the field."""
    code, out, err = run(["validate", "bad"], capsys)
    assert code == 2 and out == ""
    assert err == "error: 'value' in data/bad/indicator_values.csv row 3 must be a number (e.g. 16 713 030 or 159,5) (got 'fem')\n"


def test_validate_goes_on_after_a_bad_project(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """validate reports a bad project and still validates the ones after it; exit 2."""
    code, out, err = run(["validate", "bad", "mini"], capsys)
    assert code == 2 and out.startswith("mini: ok") and err.startswith("error: 'value' in data/bad/indicator_values.csv row 3")


def test_validate_by_folder_path(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """validate accepts a project folder path as well as an id."""
    code, out, _ = run(["validate", str(home / "data" / "mini")], capsys)
    assert code == 0 and out.startswith("mini: ok")


def test_unknown_project_exit_2(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown project id: exit 2 and a message naming 'project', the id and the known ids."""
    code, _, err = run(["check", "nope"], capsys)
    assert code == 2
    assert err.startswith("error: 'project' in data must be the id of a folder holding project.yaml")
    assert "known: bad, demo, down, mini" in err and "(got 'nope')" in err


# --------------------------------------------------------------------------- check


def findings_part(out: str) -> list[str]:
    """The lines of check's table before what the evaluator still has to write (issue 12)."""
    return out.split("\nHalvtidsrapport:")[0].split("\nMid-term report:")[0].splitlines()


def test_check_table_clean(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """check (table): header with the coherence score and "inga anmärkningar", then what is missing per report; exit 0."""
    code, out, _ = run(["check", "mini"], capsys)
    assert code == 0
    assert findings_part(out) == ["== mini: Miniprojekt (röd tråd: 100)", "inga anmärkningar"]
    assert "\nHalvtidsrapport: Utkast: 17 uppgifter saknas\n" in out and "  - P1 Projektlogik: ingen bedömning ännu." in out


def test_check_table_english(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """check --lang en: "coherence" and "no findings"."""
    code, out, _ = run(["check", "mini", "--lang", "en"], capsys)
    assert code == 0 and findings_part(out) == ["== mini: Miniprojekt (coherence: 100)", "no findings"]
    assert "\nMid-term report: Draft: 17 items missing\n" in out


def test_check_table_lists_error_finding(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """check (table): a header, one row per finding (severity, check, subject, text), a line saying it stops; exit 1."""
    code, out, _ = run(["check", "down"], capsys)
    assert code == 1
    lines = findings_part(out)
    assert lines[0] == "== down: Miniprojekt (röd tråd: 100)"
    assert lines[1].split() == ["allvar", "kontroll", "gäller", "anmärkning"]
    assert lines[3].split()[:3] == ["stopp", "cumulative_decrease", "out1"]
    assert " ".join(" ".join(lines[3:-1]).split()).endswith(
        "Den kumulativa indikatorn out1 minskar från 5 (2024-06-30) till 3 (2024-12-31).")
    assert lines[-1] == "1 anmärkning(ar) stoppar rapporten (se evaluation rules down)"


def test_check_exit_1_on_stop_and_strict_on_warnings(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """check: exit 1 when a finding's rule is stop (with or without --strict); --strict also fails on warnings."""
    assert run(["check", "down"], capsys)[0] == 1
    assert run(["check", "mini", "down"], capsys)[0] == 1
    assert run(["check", "mini", "--strict"], capsys)[0] == 0


def test_check_strict_fails_on_warnings(repo_home: None, capsys: pytest.CaptureFixture[str]) -> None:
    """check on NIS 6.0 (13 warnings, no stop): exit 0, and exit 1 with --strict."""
    code, out, _ = run(["check", "nis60", "--lang", "en"], capsys)
    assert code == 0
    assert out.splitlines()[0] == "== nis60: Näringsliv i samverkan NIS 6.0 (coherence: 81.7)"
    assert sum(1 for line in out.splitlines()[1:] if line.startswith("warning ")) == 13
    assert run(["check", "nis60", "--strict"], capsys)[0] == 1


def test_check_json(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """check --format json: project, coherence score and findings with both languages."""
    code, out, _ = run(["check", "down", "--format", "json"], capsys)
    assert code == 1
    document = json.loads(out)
    missing = document.pop("missing")  # what the evaluator still has to write, per report kind (issue 12)
    assert sorted(missing) == ["final", "midterm"] and missing["final"][0]["kind"] == "file"
    assert document == {
        "project": "down",
        "coherence_score": 100.0,
        "findings": [{
            "severity": "error", "check": "cumulative_decrease", "subject": "out1",
            "sv": "Den kumulativa indikatorn out1 minskar från 5 (2024-06-30) till 3 (2024-12-31).",
            "en": "Cumulative indicator out1 goes down from 5 (2024-06-30) to 3 (2024-12-31).",
        }],
    }


def test_check_json_strict(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """check --format json --strict: the JSON is printed and the exit status is still 1."""
    code, out, _ = run(["check", "down", "--format", "json", "--strict"], capsys)
    assert code == 1 and json.loads(out)["findings"][0]["severity"] == "error"


def test_check_json_several_projects(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """check --format json with two projects: one JSON list holding a document per project, in order."""
    code, out, _ = run(["check", "mini", "down", "--format", "json"], capsys)
    assert code == 1
    docs = json.loads(out)
    assert [d["project"] for d in docs] == ["mini", "down"]
    assert docs[0]["findings"] == [] and len(docs[1]["findings"]) == 1


def test_check_bad_input_exit_2(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """check on a project with bad input: exit 2, the same one-line message, nothing on stdout."""
    code, out, err = run(["check", "bad", "--strict"], capsys)
    assert code == 2 and out == ""
    assert err == "error: 'value' in data/bad/indicator_values.csv row 3 must be a number (e.g. 16 713 030 or 159,5) (got 'fem')\n"


# --------------------------------------------------------------------------- report (no kernel on bad params)


def test_report_bad_params_exit_2_before_kernel(home: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """report with an unknown parameter: exit 2, the message names key and line; no kernel, nothing written."""
    import papermill

    def no_kernel(*args: object, **kwargs: object) -> None:
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    params = home / "params"
    params.mkdir()
    (params / "mini_final.yaml").write_text(
        "project: mini\nkind: final\nas_of: 2025-12-31\ncolour: red\n", encoding="utf-8")
    code, out, err = run(["report", str(params / "mini_final.yaml")], capsys)
    assert code == 2 and out == ""
    assert "'colour' in params/mini_final.yaml row 4 must be a known parameter" in err
    assert not (home / "reports").exists()


def _mini_params(home: Path) -> Path:
    params = home / "params"
    params.mkdir(exist_ok=True)
    path = params / "mini_final.yaml"
    path.write_text("project: mini\nkind: final\nas_of: 2025-12-31\nformats: [json]\n", encoding="utf-8")
    return path


def test_batch_scheduler_that_does_not_answer_is_exit_2(home: Path, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """batch --scheduler with an address where no scheduler answers, or an unknown scheme: exit 2 and a
    message naming --scheduler, not an internal error."""
    from evaluation.run import executors

    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", 1.0, raising=False)
    params = _mini_params(home)
    for address in ("tcp://127.0.0.1:9", "foo://somewhere"):
        code, _, err = run(["batch", str(params), "--scheduler", address, "--no-progress"], capsys)
        assert code == 2, err
        assert "'--scheduler' in command line must be the address of a running Dask scheduler" in err
        assert address in err and "internal error" not in err


def test_batch_and_report_option_mistakes_are_exit_2(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A --reports-dir that is a file, a parameter file that does not exist: exit 2 with a message, no traceback."""
    params = _mini_params(home)
    a_file = home / "notes.txt"
    a_file.write_text("not a folder", encoding="utf-8")
    for argv in (["batch", str(params), "--reports-dir", str(a_file), "--no-progress"],
                 ["report", str(params), "--reports-dir", str(a_file)],
                 ["batch", str(home / "params" / "nothing_final.yaml"), "--no-progress"]):
        code, _, err = run(argv, capsys)
        assert code == 2, (argv, err)
        assert err.startswith("error: ") and "internal error" not in err and "Traceback" not in err


@pytest.mark.slow
def test_report_prints_no_kernel_warning(tmp_path: Path) -> None:
    """`evaluation report` on an example prints neither the kernel's TCP-encryption warning nor
    'KeyboardInterrupt caught in kernel' on stderr."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "EVALUATION_HOME"}
    done = subprocess.run([sys.executable, "-m", "evaluation", "report", "params/sam_midterm.yaml", "--formats", "json",
                           "--reports-dir", str(tmp_path / "reports")], cwd=Path(__file__).resolve().parents[2],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "without encryption" not in done.stderr and "KeyboardInterrupt" not in done.stderr, done.stderr
    assert "json: reports/sam/midterm.json" in done.stdout


# --------------------------------------------------------------------------- --help, --version


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`evaluation <command> --help` prints a usage line and exits 0."""
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: evaluation {command}")


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_help_has_an_example(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`evaluation <command> --help` says what the command does and shows an example command line."""
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = capsys.readouterr().out
    assert "example" in out.lower()
    assert f"  evaluation {command}" in out


def test_top_level_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    """`evaluation --help` exits 0 and names every sub-command."""
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for command in SUBCOMMANDS:
        assert f"    {command}" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """`evaluation --version` prints the package version and exits 0."""
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out == f"evaluation {__version__}\n"


def test_missing_subcommand_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """No sub-command: argparse usage error, exit 2."""
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 2
    assert "required: COMMAND" in capsys.readouterr().err


def test_parser_knows_exactly_the_subcommands() -> None:
    """build_parser registers list, validate, check, report and batch."""
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sorted(sub.choices) == sorted(SUBCOMMANDS)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- settings (the entry point)


def test_main_reads_the_environment_once_into_settings(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """main reads EVALUATION_HOME and EVALUATION_TRACEBACK (or --traceback) into the settings the sub-command sees."""
    from evaluation.core import settings

    cli = importlib.import_module("evaluation.cli.main")  # the module (evaluation.cli.main is also the function's name)
    seen: list[settings.Settings] = []

    def record(args: object) -> int:
        seen.append(settings.current())
        return 0

    monkeypatch.setattr(cli, "_cmd_list", record)
    monkeypatch.delenv("EVALUATION_TRACEBACK", raising=False)
    assert main(["list"]) == 0 and main(["--traceback", "list"]) == 0
    monkeypatch.setenv("EVALUATION_TRACEBACK", "1")
    assert main(["list"]) == 0
    assert [s.home for s in seen] == [home.resolve()] * 3
    assert [s.traceback for s in seen] == [False, True, True]


def test_traceback_from_the_environment(home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """EVALUATION_TRACEBACK=1 shows the traceback before the one-line message; without it only the message."""
    monkeypatch.delenv("EVALUATION_TRACEBACK", raising=False)
    code, _, plain = run(["validate", "bad"], capsys)
    assert code == 2 and "Traceback" not in plain
    monkeypatch.setenv("EVALUATION_TRACEBACK", "1")
    code, _, traced = run(["validate", "bad"], capsys)
    assert code == 2 and "Traceback (most recent call last)" in traced and traced.endswith(plain)
