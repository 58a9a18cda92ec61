"""Tests for evaluation/report/sections/follow_up.py: the mid-term's adopted recommendations with the project's response
and the evaluator's verdict, and each indicator at the mid-term beside its final value."""

from __future__ import annotations

from pathlib import Path

from evaluation.core import settings
from evaluation.report import sections
from evaluation.report.sections.follow_up import midterm_as_of

from . import assessed
from .helpers import open_report, tables
from .test_recommendations import words

MIDTERM = """evaluator: Testutvärderare
suggestions:
  - {id: S1, decision: adopted, addressee: Projektledningen, priority: high, due: 2025-03-31}
  - {id: S2, decision: rejected}
recommendations:
  - {id: R1, text: Stärk *rekryteringen*., addressee: Projektägaren, priority: medium, due: 2025-06-30}
  - {id: R2, text: Följ upp nätverken., addressee: Projektägaren, priority: low, due: 2025-06-30}
"""

FINAL = """evaluator: Testutvärderare
follow_up:
  - recommendation: S1
    response: Projektet har lagt om *uppsökandet*.
    verdict: implemented
  - {recommendation: R1, response: Delvis., verdict: partly}
"""


def test_adopted_midterm_recommendations_with_response_and_verdict(tmp_path: Path) -> None:
    """S1 and R1 followed up (implemented, partly); R2 adopted but not followed up; the rejected S2 is not shown."""
    folder = assessed.write(tmp_path, final=FINAL, midterm=MIDTERM)
    ctx = open_report(folder, "final", assessed.FINAL_AS_OF)
    block = sections.follow_up(ctx)
    rows = tables(block)[0]
    assert rows[0] == ["Id", "Rekommendation vid halvtid", "Projektets svar", "Utvärderarens bedömning"]
    assert [r[0] for r in rows[1:]] == ["S1", "R1", "R2"]
    assert rows[1][2:] == ["Projektet har lagt om uppsökandet.", "Genomförd"]
    assert rows[2][1:] == ["Stärk rekryteringen.", "Delvis.", "Delvis genomförd"]
    assert rows[3][2:] == ["uppgift saknas", "Ännu inte uppföljd"]
    assert "<em>uppsökandet</em>" in block.text()
    assert "ILLUSTRATIVA" in words(block.text())  # both files are illustrative by default


def test_indicators_at_the_midterm_from_the_midpoint_without_a_params_file(tmp_path: Path) -> None:
    """No params/mini_midterm.yaml: the middle of 2024-01-01..2025-12-31 (31 December 2024), said so; out1 2 then 6."""
    with settings.use(home=tmp_path):
        folder = assessed.write(tmp_path / "data")
        ctx = open_report(folder, "final", assessed.FINAL_AS_OF)
        assert midterm_as_of(ctx) == (ctx.project.start + (ctx.project.end - ctx.project.start) / 2, "midpoint")
        block = sections.follow_up(ctx)
    text = words(block.text())
    assert "Det finns ingen parameterfil för halvtidsrapporten (params/mini_midterm.yaml)" in text
    assert "mitten av projektperioden" in text
    assert "Det finns ingen bedömning vid halvtid" in text
    table = tables(block)[0]
    assert table[0] == ["Indikator", "Enhet", "Målvärde", "Halvtid (31 december 2024)", "Slut (31 december 2025)"]
    assert table[1] == ["Output-indikator", "st", "10", "2", "6"]
    assert table[3] == ["Saknat utfall", "st", "3", "uppgift saknas", "uppgift saknas"]


def test_midterm_date_from_the_params_file(tmp_path: Path) -> None:
    """params/mini_midterm.yaml exists: its as_of (30 June 2024) is the mid-term date, and the section names the file."""
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "mini_midterm.yaml").write_text(
        "project: mini\nkind: midterm\nas_of: 2024-06-30\nlanguage: sv\nformats: [html]\n", encoding="utf-8")
    with settings.use(home=tmp_path):
        folder = assessed.write(tmp_path / "data")
        ctx = open_report(folder, "final", assessed.FINAL_AS_OF)
        assert midterm_as_of(ctx)[1] == "params"
        block = sections.follow_up(ctx)
    text = words(block.text())
    assert "Värdena vid halvtid avser 30 juni 2024, halvtidsrapportens avstämningsdatum (params/mini_midterm.yaml)." in text
    assert tables(block)[0][1] == ["Output-indikator", "st", "10", "uppgift saknas", "6"]
