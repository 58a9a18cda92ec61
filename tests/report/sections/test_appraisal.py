"""Tests for the appraisal (beslutsunderlag): the committee's questions with their reasons, and the report in every format."""

from __future__ import annotations

import json
import math
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import minimal_spec, write_project

from evaluation.analysis.cofinancing import KEY_COLUMNS
from evaluation.core import paths
from evaluation.core.model import Project
from evaluation.io.loader import load_project
from evaluation.report.sections.appraisal_questions import questions
from evaluation.review.findings import Finding

REPO = paths.PACKAGE_DIR.parent
STAL_PARAMS = REPO / "params" / "stal_appraisal.yaml"


def _key(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame([{c: r.get(c, "" if c in ("key", "party", "kind", "input_source", "data_status") else math.nan)
                          for c in KEY_COLUMNS} for r in rows], columns=KEY_COLUMNS)


@pytest.fixture
def bare(tmp_path: Path) -> Project:
    """An ERUF project linked to no RUS goal, without EU codes or stated risks."""
    spec = minimal_spec()
    spec.update({"fund": "ERUF", "rus_goals": []})
    return load_project(write_project(tmp_path, spec))


def test_gaps_give_questions_with_reasons(bare: Project) -> None:
    """No RUS goal, no EU code, no stated risk, an undecided and a differing party each give a question and its reason."""
    keys = _key([{"key": "k", "party": "Region A", "computed": 1000.0, "decided": math.nan, "difference": math.nan},
                  {"key": "k", "party": "Region B", "computed": 2000.0, "decided": 1500.0, "difference": -500.0},
                  {"key": "k", "party": "Region C", "computed": 700.0, "decided": 700.0, "difference": 0.0}])
    asked = questions(bare, (), 90.0, keys, (), "en")
    by_question = {q.question: q.reason for q in asked}
    assert by_question["Which effect goal of the regional development strategy (RUS) does the project serve?"] == \
        "The application links to no RUS effect goal."
    assert by_question["When will Region A decide on its part of SEK\xa01,000?"] == \
        "The key gives Region A SEK\xa01,000; no decision is reported."
    assert by_question["Why does Region B's decided amount differ from its part by the key?"] == \
        "Decided SEK\xa01,500, by the key SEK\xa02,000: a difference of -SEK\xa0500."
    assert not any("Region C" in q for q in by_question)  # no difference, no question
    assert any(q.startswith("Which EU common indicators") for q in by_question)


def test_findings_give_one_question_per_check(bare: Project) -> None:
    """Findings of one check become one question naming every subject; stopping checks come first and say so."""
    found = [Finding("goal_without_indicator", "warning", "sg2", "Goal {id} is not measured.", id="sg2"),
             Finding("goal_without_indicator", "warning", "sg1", "Goal {id} is not measured.", id="sg1"),
             Finding("reconcile_financing_vs_budget", "error", "budget", "Financing differs."),
             Finding("link_without_assumption", "info", "l1", "Only a note.")]
    asked = questions(bare, found, 90.0, _key([]), (), "en")
    from_findings = asked[-2:]
    assert from_findings[0].question == "Who finances the difference between the budget and the financing plan?"
    assert from_findings[0].reason.startswith("Stops a report:")
    assert from_findings[1].question == "How will the project show that these goals are reached: sg1, sg2?"
    assert "(2 findings of this kind.)" in from_findings[1].reason
    assert not any("l1" in q.question for q in asked)  # information is not a question


def test_restricted_findings_do_not_name_their_subjects(bare: Project) -> None:
    """A check whose findings would name single firms asks without naming them."""
    found = [Finding("firm_duplicate_name", "warning", "Acme AB", "Firm {name} twice.", name="Acme AB")]
    asked = questions(bare, found, 90.0, _key([]), ("firm_duplicate_name",), "en")
    assert not any("Acme" in q.question or "Acme" in q.reason for q in asked)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """params/stal_appraisal.yaml rendered once in every format into a scratch reports folder."""
    from evaluation.run.report import run_report

    out = tmp_path_factory.mktemp("reports")
    result = run_report(STAL_PARAMS, reports_dir=out, timeout=300)
    return {fmt: Path(p) for fmt, p in result.paths.items()}


def test_appraisal_renders_in_every_format(rendered: dict[str, Path]) -> None:
    """HTML, PDF, Word and JSON are written; each section and the committee's questions are in the HTML and the Word file."""
    assert set(rendered) == {"ipynb", "html", "pdf", "docx", "json"}
    html = rendered["html"].read_text(encoding="utf-8")
    for title in ("Beslutsunderlag", "Projektlogik", "regionala utvecklingsstrategin", "Medfinansiering", "EU-katalogen",
                  "Risker", "Frågor till utskottet"):
        assert title in html, title
    assert rendered["pdf"].read_bytes().startswith(b"%PDF")
    with zipfile.ZipFile(rendered["docx"]) as docx:
        assert "Frågor till utskottet" in docx.read("word/document.xml").decode("utf-8")
    data = json.loads(rendered["json"].read_text(encoding="utf-8"))
    assert data["key_figures"]["kind"] == "appraisal" and data["key_figures"]["n_questions"] >= 1
    assert data["params"]["kind"] == "appraisal"
