"""Tests for evaluation.analysis.process: activity tables per work package and period.

The small project below has two work packages and three activities; every expected count is
worked out by hand from its activities.csv. A count that is not reported stays NaN, never 0.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from conftest import ACTIVITIES, activities_project, activities_spec, minimal_spec, write_project

from evaluation.analysis import process
from evaluation.core.model import Project
from evaluation.io.loader import load_project


# activity -> work package: a1 -> wp1, a2 -> wp2, a3 -> wp2
@pytest.fixture
def project(tmp_path: Path) -> Project:
    """Two work packages, three activities, two not-reported counts (conftest.ACTIVITIES)."""
    return activities_project(tmp_path)

def nan(x: object) -> bool:
    return isinstance(x, float) and math.isnan(x)


def test_activities_frame_keeps_not_reported_as_nan(project: Project) -> None:
    """activities_frame: one row per record with statement and work package; missing counts are NaN."""
    frame = process.activities_frame(project)
    assert list(frame["activity"]) == ["a1", "a1", "a1", "a2", "a2", "a3"]
    assert list(frame["work_package"]) == ["wp1", "wp1", "wp1", "wp2", "wp2", "wp2"]
    assert list(frame["work_package_name"]) == ["Arbetspaket 1"] * 3 + ["Arbetspaket 2"] * 3
    assert frame.loc[3, "statement"] == "Aktivitet två"
    counts = frame["count"].tolist()
    assert counts[:2] == [2.0, 3.0] and nan(counts[2]) and counts[3:5] == [1.0, 4.0] and nan(counts[5])
    assert frame["period_end"].iloc[0] == pd.Timestamp("2024-03-31")
    assert nan(frame["participants"].iloc[1])


def test_activity_totals_per_activity(project: Project) -> None:
    """activity_totals: a1 5 times (10 participants), a2 5 times (12), a3 never reported -> NaN, not 0."""
    totals = process.activity_totals(project).set_index("activity")
    assert totals.loc["a1", "count"] == 5 and totals.loc["a1", "participants"] == 10
    assert totals.loc["a2", "count"] == 5 and totals.loc["a2", "participants"] == 12
    assert nan(totals.loc["a3", "count"]) and nan(totals.loc["a3", "participants"])
    assert list(totals["work_package"]) == ["wp1", "wp2", "wp2"]


def test_activity_totals_up_to_as_of(project: Project) -> None:
    """activity_totals(as_of=2024-12-31) leaves out the 2025 records."""
    totals = process.activity_totals(project, "2024-12-31").set_index("activity")
    assert list(totals.index) == ["a1", "a2"]
    assert totals.loc["a1", "count"] == 5 and totals.loc["a2", "count"] == 1


def test_activities_by_year_per_work_package(project: Project) -> None:
    """activities_by_period (years): wp1 5 in 2024 and NaN in 2025 (only a not-reported count), wp2 1 and 4."""
    table = process.activities_by_period(project)
    assert list(table.index) == ["wp1", "wp2"] and table.index.name == "work_package"
    assert list(table.columns) == ["2024", "2025"]
    assert table.loc["wp1", "2024"] == 5 and nan(table.loc["wp1", "2025"])
    assert table.loc["wp2", "2024"] == 1 and table.loc["wp2", "2025"] == 4
    assert not (table.fillna(-1) == 0).any().any()


def test_activities_by_quarter_no_record_is_nan(project: Project) -> None:
    """activities_by_period (quarters): counts per quarter; a quarter without a record is NaN, not 0."""
    table = process.activities_by_period(project, freq="Q")
    assert table.loc["wp1", "2024 K1"] == 2 and table.loc["wp1", "2024 K2"] == 3
    assert table.loc["wp2", "2024 K4"] == 1 and table.loc["wp2", "2025 K2"] == 4
    assert nan(table.loc["wp1", "2024 K4"]) and nan(table.loc["wp2", "2024 K1"])
    assert list(table.columns) == sorted(table.columns)


def test_not_reported_period_stays_as_nan_column(project: Project) -> None:
    """A period whose only record is not reported is kept as a NaN column (not dropped)."""
    table = process.activities_by_period(project, freq="Q")
    assert "2025 K1" in table.columns
    assert nan(table.loc["wp1", "2025 K1"])


def test_activities_by_period_up_to_as_of(project: Project) -> None:
    """activities_by_period(as_of=2024-12-31): only the 2024 column."""
    table = process.activities_by_period(project, "2024-12-31")
    assert list(table.columns) == ["2024"]
    assert table["2024"].tolist() == [5.0, 1.0]


def test_activities_by_period_without_work_packages_groups_by_activity(tmp_path: Path) -> None:
    """Without work packages the rows are the activities."""
    project = load_project(write_project(tmp_path, activities_spec(work_packages=False), {"activities": ACTIVITIES}))
    table = process.activities_by_period(project)
    assert table.index.name == "activity"
    assert table.loc["a1", "2024"] == 5 and table.loc["a2", "2025"] == 4 and table.loc["a2", "2024"] == 1


def test_no_activities_give_empty_tables(tmp_path: Path) -> None:
    """A project without activities.csv: empty totals and period tables."""
    project = load_project(write_project(tmp_path, minimal_spec()))
    assert process.activity_totals(project).empty
    assert process.activities_by_period(project).empty
    assert process.activities_frame(project).empty
