"""Tests for evaluation/report/sections/recommendations.py: only adopted and edited suggestions and the evaluator's own
recommendations are the report's; rejected ones never appear; undecided ones are listed as such (a draft)."""

from __future__ import annotations

import re
from pathlib import Path

from evaluation.report import sections
from evaluation.report.sections.recommendations import report_recommendations, report_suggestions

from . import assessed
from .helpers import open_report, plain, tables


def words(html: str) -> str:
    """The text of HTML: tags dropped, entities decoded, no-break spaces plain, spaces collapsed."""
    return " ".join(plain(re.sub(r"<[^>]+>", " ", html)).split()).replace(" .", ".")


DECIDED = """evaluator: Testutvärderare
suggestions:
  - {id: S1, decision: adopted, addressee: Projektägaren, priority: high, due: 2026-03-31}
  - id: S2
    decision: edited
    text: Redovisa utfallet för x1 **senast i mars**.
    addressee: Projektledningen
    priority: low
    due: 2026-02-28
  - {id: S3, decision: rejected}
recommendations:
  - {id: R1, text: "Egen rekommendation <script>x</script>.", addressee: Regionen, priority: medium, due: 2026-06-30}
"""


def test_suggestion_ids_of_the_tiny_project(tmp_path: Path) -> None:
    """The tiny project's suggestions: S1 analyse out1, S2 report x1's outcome, S3 the goal without indicator."""
    ctx = open_report(assessed.write(tmp_path), "final", assessed.FINAL_AS_OF)
    assert [(s.id, s.key) for s in report_suggestions(ctx)] == [
        ("S1", "analyse:out1"), ("S2", "report_outcome:x1"), ("S3", "goal_without_indicator")]


def test_only_adopted_edited_and_own_with_id_addressee_priority_due(tmp_path: Path) -> None:
    """S1 (generated text), S2 (the evaluator's edited Markdown), R1 (escaped); S3 rejected is nowhere; no draft list."""
    ctx = open_report(assessed.write(tmp_path, DECIDED + assessed.entries()), "final", assessed.FINAL_AS_OF)
    assert [r.id for r in report_recommendations(ctx)] == ["S1", "S2", "R1"]
    block = sections.recommendations_section(ctx)
    rows = tables(block)[0]
    assert rows[0] == ["Id", "Rekommendation", "Mottagare", "Prioritet", "Senast"]
    assert rows[1] == ["S1", "Analysera varför ”Output-indikator” nådde 60 % av målet, som lärdom för kommande projekt.",
                       "Projektägaren", "Hög", "31 mars 2026"]
    assert rows[2] == ["S2", "Redovisa utfallet för x1 senast i mars.", "Projektledningen", "Låg", "28 februari 2026"]
    assert rows[3] == ["R1", "Egen rekommendation <script>x</script>.", "Regionen", "Medel", "30 juni 2026"]
    html = block.text()
    assert "<strong>senast i mars</strong>" in html and "<script>" not in html
    text = plain(html)
    assert "Komplettera målen sg1" not in text  # the rejected S3
    assert "utkast" not in text.lower()
    summary = words(sections.summary(ctx).text())
    assert "Komplettera målen sg1" not in summary and "Redovisa utfallet för x1 senast i mars." in summary


def test_undecided_suggestions_listed_only_as_draft(tmp_path: Path) -> None:
    """Without decisions every suggestion is listed under "not yet decided (draft)" and none as a recommendation."""
    ctx = open_report(assessed.write(tmp_path), "final", assessed.FINAL_AS_OF)
    assert report_recommendations(ctx) == ()
    text = words(sections.recommendations_section(ctx).text())
    assert "Utvärderaren har ännu inte lämnat några rekommendationer." in text
    assert "Förslag som ännu inte är avgjorda (utkast)" in text
    assert "S3 Komplettera målen sg1 med indikatorer så att de kan följas upp." in text
    assert tables(sections.recommendations_section(ctx)) == []
