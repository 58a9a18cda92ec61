"""Tests for evaluation/report/sections/project_description.py: facts, work packages, financiers."""

from __future__ import annotations

from .helpers import (
    Lazy,
    table_with,
)


def test_nis60_financing_shares(nis60: Lazy) -> None:
    """NIS 6.0: Tillväxtverket 7 735 351 kr is 50,0 % of the 15 477 874 kr financing."""
    shares = table_with(nis60["project_description"], "Finansiär")
    assert shares[1] == ["Tillväxtverket", "7 735 351 kr", "50,0 %"]
    assert shares[2] == ["Region Västerbotten", "2 443 502 kr", "15,8 %"]
    assert shares[-1] == ["Totalt", "15 477 874 kr", "100,0 %"]
    assert len(shares) == 1 + 7 + 1
