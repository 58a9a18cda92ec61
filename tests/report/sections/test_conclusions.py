"""Tests for evaluation/report/sections/conclusions.py: the factual recap, then the overall entry; the summary's status line."""

from __future__ import annotations

from pathlib import Path

from evaluation.report import sections

from . import assessed
from .helpers import Lazy, heading, open_report
from .test_recommendations import words

DECIDED = """evaluator: Testutvärderare
suggestions:
  - {id: S1, decision: adopted}
  - {id: S2, decision: rejected}
  - {id: S3, decision: rejected}
"""


def test_final_report_recap_then_overall(tmp_path: Path) -> None:
    """Every question assessed and every suggestion decided: "slutlig", the recap, then the overall entry under its label."""
    ctx = open_report(assessed.write(tmp_path, DECIDED + assessed.entries(overall="low")), "final", assessed.FINAL_AS_OF)
    assert ctx.completeness == ()
    block = sections.conclusions(ctx)
    assert heading(block)[1] == "Slutsatser"
    text = words(block.text())
    assert "1 av 3 indikatorer med målvärde nådde sina målvärden." in text
    assert "Av effektlogikens 3 länkar håller 1, 1 håller inte, 0 har blandat utfall och 1 är ej prövade" in text
    assert "Rapporten ger 1 rekommendation." in text
    assert "Rapporten är slutlig" in text
    recap, overall = text.index("I korthet"), text.index("Utvärderarens bedömning")
    assert recap < overall and "Bedömning av overall." in text[overall:] and "i låg grad" in text[overall:]
    summary = words(sections.summary(ctx).text())
    assert "Rapporten är slutlig" in summary and "Samlad bedömning (illustrativ): i låg grad (se slutsatserna)." in summary


def test_draft_says_so_and_overall_missing(tmp_path: Path) -> None:
    """No assessment file: the summary and the conclusions say DRAFT with the count, and that no overall conclusion exists."""
    ctx = open_report(assessed.write(tmp_path), "final", assessed.FINAL_AS_OF)
    n = len(ctx.completeness)
    assert n > 0
    for name in ("summary", "conclusions"):
        text = words(getattr(sections, name)(ctx).text())
        assert f"Rapporten är ett UTKAST: {n} punkter som utvärderaren ännu inte har skrivit listas överst." in text, name
    assert "Utvärderaren har ännu inte skrivit den samlade slutsatsen." in words(sections.summary(ctx).text())


def test_nis60_overall_attributed_to_the_final_report(nis60: Lazy) -> None:
    """NIS 6.0: the overall grade is quoted as the project's final report states it, not as an evaluator's."""
    text = words(nis60["summary"].text())
    assert ("Samlad slutsats enligt Slutrapport Näringsliv i samverkan NIS 6.0 (december 2022): i hög grad (se slutsatserna)."
            in text)
    assert "Utvärderarens samlade bedömning" not in text
