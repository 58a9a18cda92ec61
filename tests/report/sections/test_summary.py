"""Tests for evaluation/report/sections/summary.py: results in brief and the recommendations."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from conftest import minimal_spec, write_project

from evaluation.report import sections
from evaluation.report.sections import ReportContext

from .helpers import (
    NBSP,
    Lazy,
    final_values,
    open_report,
    plain,
    table_with,
    value,
)


def test_nis60_women_share_of_participants(nis60: Lazy) -> None:
    """NIS 6.0: 49,7 % women, 1 466 of 2 949 participants, in the summary and the gender table."""
    assert "Andelen kvinnor bland deltagarna är 49,7 % (1 466 av 2 949 deltagare)." in nis60.text("summary")
    raw = html.unescape(nis60["summary"].text())
    assert f"1{NBSP}466 av 2{NBSP}949" in raw
    gender = table_with(nis60["horizontal"], "Indikator")
    assert gender[1] == ["Deltagare i projektets aktiviteter", "2 949", "1 466", "1 483", "uppgift saknas", "49,7 %"]


def test_nis60_budget_against_outcome(nis60: Lazy) -> None:
    """NIS 6.0: budget 16 713 030 kr against outcome 15 470 690 kr, 1 242 340 kr under budget."""
    assert ("Utfallet blev 15 470 690 kr mot budgeten 16 713 030 kr, 1 242 340 kr under budget."
            in nis60.text("summary"))
    assert f"16{NBSP}713{NBSP}030{NBSP}kr" in html.unescape(nis60["summary"].text())
    lines = table_with(nis60["efficiency"], "Kostnadsslag")
    assert lines[-1] == ["Totalt", "16 713 030 kr", "15 470 690 kr", "-1 242 340 kr", "100,0 %"]
    personal = next(r for r in lines if r[0] == "Personal")
    assert personal == ["Personal", "uppgift saknas", "7 095 150 kr", "uppgift saknas", "45,9 %"]


def test_midterm_recommendations_from_projection(midterm_tiny: Callable[[str], ReportContext]) -> None:
    """Mid-term: indicators off track / at risk get a "Se över insatserna" recommendation; one value is too early to tell."""
    recs = sections.recommendations(midterm_tiny("sv"))
    assert recs == ("Se över insatserna bakom ”Output-indikator”: med nuvarande takt väntas 67 mot målvärdet 100.",)


def test_clean_project_continue_as_planned(tmp_path: Path) -> None:
    """A project with no findings and every target achieved: only "fortsätt enligt plan"."""
    folder = write_project(tmp_path, minimal_spec(), {"indicator_values": final_values()})
    r = open_report(folder, "final", "2025-12-31")
    assert r.findings == ()
    assert sections.recommendations(r) == ("Projektlogiken och uppföljningen håller; fortsätt enligt plan.",)
    assert "fortsätt enligt plan" in plain(sections.summary(r).text())


def test_goal_without_indicator_gets_complete_goals_recommendation(tmp_path: Path) -> None:
    """A sub-goal measured by no indicator: "Komplettera målen sg1 med indikatorer ..."; no "fortsätt"."""
    spec = minimal_spec()
    # og -> pg1 -> sg1 -> a1: the new sub-goal sg1 has an activity but no indicator.
    spec["goal_tree"].insert(2, {"id": "sg1", "level": "sub", "parent": "pg1", "statement": "Delmål"})
    spec["goal_tree"][3]["parent"] = "sg1"
    folder = write_project(tmp_path, spec, {"indicator_values": final_values()})
    r = open_report(folder, "final", "2025-12-31")
    assert [(f.check, f.subject) for f in r.findings] == [("goal_without_indicator", "sg1")]
    recs = sections.recommendations(r)
    assert recs == ("Komplettera målen sg1 med indikatorer så att de kan följas upp.",)
    assert "Komplettera målen sg1 med indikatorer så att de kan följas upp." in plain(sections.summary(r).text())


def test_cumulative_decrease_gets_correction_recommendation(tmp_path: Path) -> None:
    """A cumulative indicator that goes down: an error finding and "Rätta de kumulativa indikatorer ..."."""
    values = [value("out1", "2024-12-31", 12), value("out1", "2025-12-31", 10), value("res1", "2025-12-31", 5)]
    folder = write_project(tmp_path, minimal_spec(), {"indicator_values": values})
    r = open_report(folder, "final", "2025-12-31")
    assert [(f.check, f.severity, f.subject) for f in r.findings] == [("cumulative_decrease", "error", "out1")]
    assert "Rätta de kumulativa indikatorer som minskar: out1." in sections.recommendations(r)
    assert "Logikgranskningen gav 1 fel, 0 varningar och 0 upplysningar." in plain(sections.summary(r).text())


def test_final_not_achieved_gets_analysis_recommendation(tmp_path: Path) -> None:
    """Final report: an indicator below 70 % of its target is "Ej uppnått" and gets an "Analysera" recommendation."""
    values = [value("out1", "2025-12-31", 6), value("res1", "2025-12-31", 5)]
    folder = write_project(tmp_path, minimal_spec(), {"indicator_values": values})
    r = open_report(folder, "final", "2025-12-31")
    assert [row.status for row in r.indicator_rows] == ["not_achieved", "achieved"]
    assert [plain(rec) for rec in sections.recommendations(r)] == [
        "Analysera varför ”Output-indikator” nådde 60 % av målet, som lärdom för kommande projekt."]
