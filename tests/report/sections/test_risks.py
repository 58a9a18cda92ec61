"""Tests for evaluation/report/sections/risks.py: assumptions and risks of the goal tree and of the effect logic."""

from __future__ import annotations

from .helpers import Lazy, table_with


def test_nis60_risks_and_numbered_assumptions(nis60: Lazy) -> None:
    """NIS 6.0: the goal tree's risks by node, the effect logic's assumptions numbered from 1, and the external factors."""
    block = nis60["risks"]
    risks = table_with(block, "Mål/aktivitet")
    assert risks[0] == ["Mål/aktivitet", "Formulering", "Antaganden", "Risker"]
    assert risks[1][0] == "pg2" and risks[1][3] == "Kompetensbrist begränsar företagens möjlighet att anställa"
    legend = table_with(block, "nr")
    assert [r[0] for r in legend[1:4]] == ["1", "2", "3"]
    assert "Omvärldsfaktorer" in nis60.text("risks")
