"""Tests for evaluation/report/sections/efficiency.py: budget, financing, reconciliation, costs per unit."""

from __future__ import annotations

from evaluation.report import sections
from evaluation.report.sections import ReportContext

from .helpers import (
    BANNER,
    Lazy,
    table_with,
    tables,
)


def test_nis60_cost_per_firm(nis60: Lazy) -> None:
    """NIS 6.0: cost per firm reached 30 757 kr (15 470 690 / 503), per participant 5 246 kr."""
    cost = table_with(nis60["efficiency"], "Mått")
    assert cost[1][:3] == ["Kostnad per nått företag", "503", "30 757 kr"]
    assert cost[2][:3] == ["Kostnad per deltagare", "2 949", "5 246 kr"]
    assert cost[1][3] == "Antal företag som nåtts av projektet (slutrapport)"


def test_efficiency_labels_cost_per_illustrative_denominator(illustrative_values_only: ReportContext) -> None:
    """Cost per firm computed from an illustrative firm count shows the banner."""
    block = sections.efficiency(illustrative_values_only)
    cost = table_with(block, "Mått")
    assert cost[1][:3] == ["Kostnad per nått företag", "8", "125 kr"]
    assert BANNER in block.text()


def test_reconciliation_table_has_no_index_column(illustrative_values_only: ReportContext) -> None:
    """The reconciliation table starts with the check's name, without a stray index column."""
    rec = next(t for t in tables(sections.efficiency(illustrative_values_only)) if "Avstämning" in t[0])
    assert rec[0][0] == "Avstämning"
    assert [r[0] for r in rec[1:]] == ["Utfall mot budget", "Finansieringsplan mot budget"]  # plan with plan
