"""Tests that keep the README true: the five-minute walkthrough runs as written, end to end, in a
scratch project home, and the example table in the data-format section loads."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evaluation.core import paths
from evaluation.core.errors import ProblemCollector
from evaluation.io.loader import INDICATOR_VALUE_COLUMNS, load_project
from evaluation.io.tables import read_table

REPO = paths.PACKAGE_DIR.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def walkthrough_commands() -> list[str]:
    """The command lines of the README's walkthrough block, in order (comments dropped)."""
    block = README.split("<!-- walkthrough:start -->", 1)[1].split("<!-- walkthrough:end -->", 1)[0]
    body = block.split("```sh", 1)[1].split("```", 1)[0]
    return [line.strip() for line in body.splitlines() if line.strip() and not line.strip().startswith("#")]


def fill_workbook(path: Path) -> None:
    """What the project team does: two indicator values and one activity row typed into the workbook."""
    wb = load_workbook(path)
    values = wb["Indikatorvärden"]
    header = [c.value for c in values[1]]
    for row in (
        {"indicator": "ind1", "period_end": "2025-06-30", "value": "12", "status": "preliminary", "source": "src1"},
        {"indicator": "ind1", "period_end": "2025-12-31", "value": "31", "status": "verified", "source": "src1"},
    ):
        values.append([row.get(h) for h in header])
    activities = wb["Aktiviteter"]
    header = [c.value for c in activities[1]]
    activities.append([{"activity": "a1", "period_end": "2025-12-31", "count": "4", "participants": "37"}.get(h) for h in header])
    wb.save(path)


def test_walkthrough_block_is_the_documented_sequence() -> None:
    """The walkthrough is new -> template -> import -> validate -> check -> report, all with the project 'demo'."""
    verbs = [shlex.split(line)[1] for line in walkthrough_commands()]
    assert verbs == ["new", "template", "import", "validate", "check", "report"]
    assert all(line.startswith("evaluation ") for line in walkthrough_commands())


@pytest.mark.slow
def test_walkthrough_runs_as_written(tmp_path: Path) -> None:
    """Each walkthrough command, run as written from a fresh project home, exits 0; the team's workbook data reach
    the project; the mid-term report is written in every format."""
    shutil.copytree(REPO / "notebooks", tmp_path / "notebooks")
    env = {**os.environ, "EVALUATION_HOME": str(tmp_path)}
    for line in walkthrough_commands():
        argv = shlex.split(line)
        if argv[1] == "import":
            fill_workbook(tmp_path / argv[3])
        done = subprocess.run([sys.executable, "-m", "evaluation", *argv[1:]], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, (line, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
    project = load_project(tmp_path / "data" / "demo")
    assert [m.value for m in project.indicator("ind1").values] == [12.0, 31.0]
    assert [(a.activity, a.count, a.participants) for a in project.activities] == [("a1", 4.0, 37.0)]
    report = tmp_path / "reports" / "demo"
    assert sorted(p.name for p in report.glob("midterm.*")) == [
        "midterm.docx", "midterm.html", "midterm.ipynb", "midterm.json", "midterm.pdf"]
    assert "Demoprojekt" in (report / "midterm.html").read_text(encoding="utf-8")


def test_readme_example_table_loads(tmp_path: Path) -> None:
    """The semicolon, decimal-comma indicator_values example in the README parses without a problem."""
    block = re.search(r"Example `indicator_values.csv`.*?```\n(.*?)```", README, flags=re.S)
    assert block is not None
    path = tmp_path / "indicator_values.csv"
    path.write_text(block.group(1), encoding="utf-8")
    problems = ProblemCollector()
    rows = read_table(path, INDICATOR_VALUE_COLUMNS, problems)
    assert problems.problems == []
    assert [(r["indicator"], r["value"], r["women"]) for r in rows] == [
        ("firms_reached", 503.0, None), ("participants", 2949.0, 1466.0), ("jobs", 43.5, None)]
    assert rows[2]["period_end"].isoformat() == "2022-10-31"


def test_readme_names_the_two_commands_and_ci_runs_the_test_one() -> None:
    """The README's quick start gives `make reports` and `make test`, and .ci/run calls `make test`."""
    assert "make reports" in README and "make test" in README
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
