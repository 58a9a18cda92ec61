"""Tests for evaluation/report/sections/evidence_map.py: the figure and the table of links with evidence, grade, verdict."""

from __future__ import annotations

from pathlib import Path

from evaluation.report import sections

from . import assessed
from .helpers import Lazy, heading, open_report, tables
from .test_recommendations import words

NIS60_LINKS = ("e_act1 → e_out1", "e_act2 → e_out2", "e_act3 → e_out3", "e_act4 → e_out4", "e_out1 → e_st1", "e_out2 → e_st2",
               "e_out3 → e_st3", "e_out4 → e_st3", "e_st1 → e_lt1", "e_st2 → e_lt1", "e_st3 → e_lt2")
GRADES_SV = ("i hög grad", "i ganska hög grad", "i låg grad", "inte alls")


def test_nis60_every_link_graded_or_untested(nis60: Lazy) -> None:
    """NIS 6.0 final: the map and a row per link, each either graded on the scale or marked untested ("Ej prövat")."""
    block = nis60["evidence_map"]
    assert heading(block)[1] == "Förändringsteorin prövad: evidenskarta"
    assert '<img src="data:image/png;base64,' in block.text()
    rows = tables(block)[0]
    assert rows[0] == ["Länk", "Underlag", "Bedömning", "Utfall"]
    assert tuple(r[0] for r in rows[1:]) == NIS60_LINKS
    for link, _evidence, grade, verdict in rows[1:]:
        assert grade.startswith(GRADES_SV) or verdict == "? Ej prövat", link
    by_link = {r[0]: r for r in rows[1:]}
    assert by_link["e_out2 → e_st2"][2:] == ["i ganska hög grad", "✓ Håller"]  # jobs achieved and graded by the source
    assert "Ökning av antal anställda i företagen i Program för tillväxt (verkan): uppnått" in by_link["e_out2 → e_st2"][1]
    assert by_link["e_st1 → e_lt1"][2:] == ["ej bedömt", "? Ej prövat"]
    text = words(block.text())
    assert "En länk utan signal är ej prövad" in text  # the rule is stated
    assert "återger vad projektets källor säger" in text  # published link grades are the sources' view


def test_grade_and_cited_evidence_of_a_tiny_project(tmp_path: Path) -> None:
    """A link graded low with a cited survey item and source: failed unless data disagree; the source named by its title."""
    final = ("evaluator: Testutvärderare\nlinks:\n"
             "  - {link: e_out->e_st, grade: low, text: Svagt *stöd*., evidence: [source:src]}\n"
             "  - {link: e_act->e_out, grade: high}\n")
    ctx = open_report(assessed.write(tmp_path, final), "final", assessed.FINAL_AS_OF)
    block = sections.evidence_map(ctx)
    rows = {r[0]: r for r in tables(block)[0][1:]}
    # e_out -> e_st: graded low, res1 at its effect end achieved (5 of 5): mixed
    assert rows["e_out → e_st"][2:] == ["i låg grad (illustrativ)", "± Blandat"]
    assert "även åberopat: Testkälla" in rows["e_out → e_st"][1] and "Svagt stöd." in rows["e_out → e_st"][1]
    # e_act -> e_out: graded high, out1 at its effect end not achieved (6 of 10): mixed
    assert rows["e_act → e_out"][2:] == ["i hög grad (illustrativ)", "± Blandat"]
    assert rows["e_st → e_lt"][2:] == ["ej graderat", "? Ej prövat"]
    assert 'id="ev-link-e_out--e_st"' in block.text()  # the anchor evidence references link:e_out->e_st point to
    assert "ILLUSTRATIV" in block.text().upper()
