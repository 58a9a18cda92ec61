"""Tests for evaluation/report/sections/process.py: activities carried out per year and per activity."""

from __future__ import annotations

from .helpers import BANNER, Lazy, table_with


def test_hso_activities_per_work_package_and_year(midterms: dict[str, Lazy]) -> None:
    """HSO (illustrative): a banner, a chart, the counts per work package and year, and the totals per activity."""
    block = midterms["hso"]["process"]
    assert BANNER in block.text() and block.text().count("<img") == 1
    per_year = table_with(block, "Arbetspaket")
    assert per_year[0] == ["Arbetspaket", "2024", "2025"] and per_year[1] == ["ap1", "10", "4"]
    totals = table_with(block, "Aktivitet")
    assert totals[0] == ["Aktivitet", "Beskrivning", "Arbetspaket", "Antal", "Deltagare"]
    assert totals[1][0] == "a11" and totals[1][4] == "uppgift saknas"
