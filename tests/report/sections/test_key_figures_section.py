"""Tests for evaluation/report/sections/key_figures_section.py: N1 key activities, N2 key persons, N3 key figures."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from evaluation.report import sections
from evaluation.report.sections import ReportContext

from .helpers import (
    T_975_2,
    Lazy,
    open_report,
    plain,
    table_with,
)


@pytest.mark.parametrize("pid", ["hso", "sam", "nis60"])
def test_illustrative_label_next_to_illustrative_indicators(midterms: dict[str, Lazy], nis60: Lazy, pid: str) -> None:
    """N3 table: "[illustrativ]" after exactly the indicators that have illustrative values."""
    lazy = nis60 if pid == "nis60" else midterms[pid]
    rows = table_with(lazy["key_figures_section"], "Indikator")[1:]
    indicators = lazy.report.project.indicators
    assert len(rows) == len(indicators)
    for row, ind in zip(rows, indicators):
        illustrative = any(m.data_status == "illustrative" for m in ind.values)
        assert row[0].startswith(ind.name)
        assert row[0].endswith("[illustrativ]") == illustrative, row[0]
    if pid != "nis60":
        assert all(r[0].endswith(" [illustrativ]") for r in rows)


def test_midterm_indicator_rows_by_hand(midterm_tiny: Callable[[str], ReportContext]) -> None:
    """Mid-term: expectation, band and status by hand; the band reaching 100 is at risk, one value too early to tell."""
    r = midterm_tiny("sv")
    out1, res1 = r.indicator_rows
    half = T_975_2 * (35 * (1 + 1 / 4 + 450**2 / 50000)) ** 0.5
    assert out1.expected == pytest.approx(50.0)
    assert out1.projected == pytest.approx(67.0)
    assert out1.projected_low == pytest.approx(67 - half) and out1.projected_high == pytest.approx(67 + half)
    assert out1.status == "at_risk" and out1.attainment == pytest.approx(0.3)
    assert res1.expected == pytest.approx(2.5) and res1.projected == pytest.approx(4.0)
    assert res1.projected_low is None and res1.no_band == "too_few_points" and res1.status == "too_early"
    rows = table_with(sections.key_figures_section(r), "Indikator")
    assert rows[0] == ["Indikator", "Enhet", "Nivå", "Utfall", "Målvärde", "Måluppfyllelse", "Förväntat vid datum",
                       "Prognos vid mål (intervall)", "Bedömning"]
    assert rows[1] == ["Output-indikator", "st", "Output", "30", "100", "30,0 %", "50,0", "67 (8–126)",
                       "Risk för att målet inte nås"]
    assert rows[2] == ["Resultatindikator", "st", "Kortsiktig effekt", "2", "5", "40,0 %", "2,5",
                       "4 (för få värden för ett intervall)", "För tidigt att bedöma"]
    text = plain(sections.key_figures_section(r).text())
    assert "Bedömning: i fas när prognosen vid måldatum når målvärdet" in text
    assert "färre än 3 rapporterade värden eller innan 25 % av tiden" in text


def test_hso_counts_each_firm_once_across_activities() -> None:
    """HSO's illustrative participation table: 52 distinct firms in 74 participations, labelled illustrative."""
    text = plain(sections.key_figures_section(open_report("hso", "midterm", "2025-08-31")).text())
    assert "52 unika företag har deltagit i aktiviteterna, sammanlagt 74 deltaganden" in text
    assert "ILLUSTRATIVA" in text
