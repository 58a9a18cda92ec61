"""Tests for evaluation/analysis/participation.py: activities, firms taking part and the firm panel's design."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from conftest import minimal_spec, write_project

from evaluation.analysis import firms, participation
from evaluation.analysis import process as process_analysis
from evaluation.io.loader import load_project


def test_hso_counts_each_firm_once() -> None:
    """HSO (illustrative): 52 distinct firms in 74 participations, per activity too."""
    counted = participation.participation(load_project("hso"), date(2025, 8, 31))
    assert counted is not None
    assert (counted.unique, counted.n_participations, counted.illustrative) == (52, 74, True)
    assert counted.by_activity["n_rows"].sum() == 74
    assert participation.participation(load_project("nis60"), date(2022, 12, 31)) is None


def test_top_activities_and_those_without_count(tmp_path: Path) -> None:
    """The most frequent activities come first; an activity of the goal tree with no record is listed as uncounted."""
    spec = minimal_spec()
    spec["goal_tree"].append({"id": "a2", "level": "activity", "parent": "pg1", "work_package": "wp1", "statement": "Aktivitet 2"})
    spec["effect_logic"]["nodes"][0]["goals"] = ["a1", "a2"]
    project = load_project(write_project(tmp_path, spec, {"activities": [{"activity": "a1", "period_end": "2024-06-30", "count": 3}]}))
    top = participation.top_activities(project, date(2025, 12, 31))
    assert top[["activity", "count"]].values.tolist() == [["a1", 3]]
    totals = process_analysis.activity_totals(project, date(2025, 12, 31))
    assert participation.activities_without_count(project, totals) == ["a2"]


def test_nis60_panel_years_and_published_change() -> None:
    """NIS 6.0 compares 2019 with October 2022; the published change adds up to 43,5 against 42,5 in the columns."""
    panel = load_project("nis60").firms
    assert panel is not None
    years = participation.panel_years(panel)
    assert years == participation.PanelYears(2019, 2022, "2019", "okt-22")
    table_ba = firms.before_after(panel, "employees", before=2019, after=2022, names=participation.firm_names(panel))
    published = participation.published_change(panel, 2022)
    summary = firms.before_after_summary(panel, "employees", before=2019, after=2022)
    gap = participation.published_gap(published, summary.change, summary.total_before)
    assert gap is not None and gap[0] == 43.5
    assert participation.published_by_row(table_ba, published)[-1] == 43.5
    assert sum(participation.growth_counts(table_ba)) == 32
    assert participation.comparison_design(panel) is None  # only participants


def test_comparison_design_year_before_first_start() -> None:
    """Participants from 2024 with comparison firms: compared in 2023 on the employees."""
    rows = []
    for fid, participant in (("p1", "yes"), ("p2", "yes"), ("p3", "yes"), ("c1", "no"), ("c2", "no"), ("c3", "no")):
        for year in (2022, 2023, 2024, 2025):
            rows.append({"firm_id": fid, "year": year, "employees": 3, "participant": participant == "yes",
                         "participation_start": 2024 if participant == "yes" else None})
    design = participation.comparison_design(pd.DataFrame(rows))
    assert design == participation.ComparisonDesign(2023, ["employees"])


def test_women_led_once_per_participating_firm(tmp_path: Path) -> None:
    """women_led is read once per participating firm; a panel without the column gives None."""
    rows = [{"firm_id": f, "year": y, "employees": 2, "participant": "yes", "women_led": led}
            for f, led in (("p1", "yes"), ("p2", "no")) for y in (2022, 2025)]
    project = load_project(write_project(tmp_path, minimal_spec(), {"firms": rows}))
    led = participation.women_led(project)
    assert led == participation.WomenLed(n_firms=2, n_women_led=1)
    assert (led.n_other, led.share) == (1, 0.5)
    assert participation.women_led(load_project("nba")) is None
