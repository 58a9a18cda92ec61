"""Tests for evaluation/report/sections/sustainability.py: lessons, what lasts, and the targets achieved."""

from __future__ import annotations

from .helpers import Lazy


def test_nis60_lessons_and_targets_achieved(nis60: Lazy) -> None:
    """NIS 6.0: the lessons are listed and both achieved targets named."""
    text = nis60.text("sustainability")
    assert "Hållbarhet i DAC:s mening gäller om resultaten består efter projektslut." in text
    assert ("Uppnådda mål: Antal företag som nåtts av projektet; Ökning av antal anställda i företagen i Program för tillväxt."
            in text)
