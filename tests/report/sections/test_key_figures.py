"""Tests for evaluation/report/sections/key_figures.py: the key figures collected into <kind>.json."""

from __future__ import annotations

import pytest

from evaluation.report import sections

from .helpers import (
    Lazy,
)


def test_nis60_key_figures_json(nis60: Lazy) -> None:
    """key_figures(): firms_reached attainment 1.2575, cost per firm reached 30 756.84 kr, women 1 466/2 949."""
    data = sections.key_figures(nis60.report).data
    assert data["project"] == "nis60" and data["kind"] == "final" and data["as_of"] == "2022-12-31"
    firms = data["indicators"]["firms_reached"]
    assert firms["actual"] == 503 and firms["target"] == 400
    assert firms["attainment"] == pytest.approx(1.2575)
    assert firms["status"] == "achieved"
    assert data["cost_per_sek"]["per_firm_reached"] == pytest.approx(30756.84, abs=0.01)
    assert data["cost_per_sek"]["per_participant"] == pytest.approx(15470690 / 2949)
    assert data["participants_women_share"] == pytest.approx(1466 / 2949)
    assert data["budget_total_sek"] == 16713030 and data["outcome_total_sek"] == 15470690
    assert data["financing_total_sek"] == 15477874
    assert data["indicators"]["participants"]["target"] is None
    assert data["findings"]["error"] == 0
