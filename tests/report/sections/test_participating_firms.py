"""Tests for evaluation/report/sections/participating_firms.py: employees before and after, comparison group, effect."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
from conftest import write_project

from evaluation.io.loader import load_project
from evaluation.report import sections
from evaluation.report.params import validate_notebook_parameters
from evaluation.report.sections import ReportContext

from .helpers import (
    Lazy,
    table_with,
)


def test_nis60_employee_table_of_32_firms(nis60: Lazy) -> None:
    """NIS 6.0: 32 firms, totals 159,5 -> 202 (42,5) and the published 43,5; a notice names the gap."""
    rows = table_with(nis60["participating_firms"], "Företag")
    assert rows[0] == ["Företag", "Anställda 2019", "Anställda okt-22", "Förändring", "Publicerad ökning"]
    firms = rows[1:-1]
    assert len(firms) == 32
    assert rows[-1] == ["Summa", "159,5", "202", "42,5", "43,5"]
    fruktvin = next(r for r in firms if r[0] == "Norrlands fruktvin")
    assert fruktvin[1:] == ["1", "1", "0", "1"]
    text = nis60.text("participating_firms")
    assert "De 32 deltagande företagen hade 159,5 anställda 2019 och 202 okt-22, en förändring med 42,5 (26,6 %)." in text
    assert "Den publicerade ökningen är 43,5 (27 %), medan kolumnerna ger 42,5" in text
    assert 'class="notice notice-warning"' in nis60["participating_firms"].text()


def test_no_comparison_firms_notice_in_report_language(nis60: Lazy, nis60_en: Lazy) -> None:
    """The "effect cannot be estimated" notice is written in the report's language only."""
    sv = nis60.text("participating_firms")
    en = nis60_en.text("participating_firms")
    assert "Det finns inga jämförelseföretag" in sv and "There are no comparison firms" not in sv
    assert "There are no comparison firms" in en and "Det finns inga jämförelseföretag" not in en


def test_comparison_group_balance_before_and_after_matching(tmp_path: Path) -> None:
    """With comparison firms the firm section shows the balance table before and after matching, and the DiD estimate."""
    from test_notebooks import tiny_spec, tiny_tables

    spec = tiny_spec()
    spec["disclosure"] = {"firms": "public"}  # 3 + 3 firms: hidden when restricted (see test_privacy)
    folder = write_project(tmp_path, spec, tiny_tables(), folder="mini")
    project = load_project(folder)
    params = validate_notebook_parameters(project_exists=None, project="mini", kind="final", as_of="2025-12-31",
                                          language="sv", formats=["html"], small_cell_threshold=5)
    text = sections.participating_firms(ReportContext.build(params, project)).text()
    assert "året före den första starten (2023)" in text
    assert "Före matchning" in text and "Efter matchning (närmaste granne)" in text
    assert "Skattad effekt av deltagande på antalet anställda" in text


def test_nis60_has_no_comparison_group_and_says_so(nis60: Lazy) -> None:
    """NIS 6.0 has only participants: no balance table, and the report says no effect can be estimated."""
    text = nis60["participating_firms"].text()
    assert "Före matchning" not in text
    assert "Det finns inga jämförelseföretag" in text


def test_applicants_estimate_shown_beside_the_general_one(tmp_path: Path) -> None:
    """With an applicant column, the effect against non-supported applicants is shown beside the general estimate."""
    from test_notebooks import tiny_spec, tiny_tables

    spec = tiny_spec()
    spec["disclosure"] = {"firms": "public"}
    folder = write_project(tmp_path, spec, tiny_tables(), folder="mini")
    project = load_project(folder)
    assert project.firms is not None  # the firm table's schema does not take the column yet: added to the loaded panel
    panel = project.firms.copy()
    comparison = sorted(panel.loc[~panel["participant"], "firm_id"].unique())
    panel["applicant"] = pd.array(panel["participant"] | panel["firm_id"].isin(comparison[:2]), dtype="boolean")
    project = dataclasses.replace(project, firms=panel)
    params = validate_notebook_parameters(project_exists=None, project="mini", kind="final", as_of="2025-12-31",
                                          language="en", formats=["html"], small_cell_threshold=5)
    text = sections.participating_firms(ReportContext.build(params, project)).text()
    assert "Against the 2 firms that applied but were not supported" in text
    assert "against all comparison firms" in text
    assert "nested in the clusters counted once" in text
