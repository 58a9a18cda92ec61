"""Tests for evaluation.analysis.dissemination: activities and reach by channel, audience and year;
a reach that is not reported stays not reported, never zero."""

from __future__ import annotations

import math
from datetime import date

from evaluation.analysis import dissemination
from evaluation.core.model import DisseminationActivity, Project


def project(*items: DisseminationActivity) -> Project:
    return Project(id="x", name="X", fund="ERUF", programme="P", owner=None, start=date(2024, 1, 1), end=date(2025, 12, 31),
                   dissemination=items)


ITEMS = (
    DisseminationActivity("d1", "conference", "Konferens", date(2024, 5, 2), "Näringslivsfrämjare", 120),
    DisseminationActivity("d2", "conference", "Seminarium", date(2025, 3, 1), "Näringslivsfrämjare", None),
    DisseminationActivity("d3", "media", "Artikel", date(2025, 4, 1), "Allmänheten", 3000),
    DisseminationActivity("d4", "website", "Webbplatsen", None, "Allmänheten", None),
)


def test_by_channel_counts_and_sums_reported_reach() -> None:
    """Conference: 2 activities, reach 120 from the one reporting it, 1 not reported; website: reach not reported (NaN)."""
    t = dissemination.by_channel(project(*ITEMS)).set_index("channel")
    assert t.loc["conference", "activities"] == 2 and t.loc["conference", "reach"] == 120
    assert t.loc["conference", "reach_not_reported"] == 1
    assert t.loc["media", "reach"] == 3000
    assert math.isnan(t.loc["website", "reach"]) and t.loc["website", "reach_not_reported"] == 1
    assert list(t.index)[0] == "conference"  # most activities first


def test_by_year_puts_undated_activities_last() -> None:
    """Years in order, the activity without a date in a row of its own (year not reported)."""
    t = dissemination.by_year(project(*ITEMS))
    assert t["year"].tolist()[:2] == [2024, 2025] and t["year"].isna().tolist() == [False, False, True]
    assert t["activities"].tolist() == [1, 2, 1] and t["reach"].tolist()[:2] == [120, 3000]


def test_by_audience_and_reach_total() -> None:
    """Per audience in order of appearance; the total reach leaves out activities without one, None when none reports it."""
    t = dissemination.by_audience(project(*ITEMS))
    assert t["audience"].tolist() == ["Näringslivsfrämjare", "Allmänheten"]
    assert dissemination.reach_total(list(ITEMS)) == 3120
    assert dissemination.reach_total([ITEMS[1], ITEMS[3]]) is None


def test_activities_lists_in_date_order() -> None:
    """The list of activities is sorted by date with the undated last."""
    t = dissemination.activities(project(ITEMS[3], ITEMS[2], ITEMS[0]))
    assert t["id"].tolist() == ["d1", "d3", "d4"] and math.isnan(t["reach"].iloc[2])


def test_no_dissemination_gives_empty_frames() -> None:
    """A project without dissemination data gives empty frames with the columns."""
    t = dissemination.by_channel(project())
    assert t.empty and list(t.columns) == ["channel", "activities", "reach", "reach_not_reported"]
