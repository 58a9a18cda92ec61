"""Tests for evaluation/report/sections/sustainability.py: lessons, what lasts, and the targets achieved."""

from __future__ import annotations

from .helpers import Lazy


def test_nis60_lessons_and_targets_achieved(nis60: Lazy) -> None:
    """NIS 6.0: the lessons are listed and both achieved targets named."""
    text = nis60.text("sustainability")
    assert "Hållbarhet i DAC:s mening gäller om resultaten består efter projektslut." in text
    assert ("Uppnådda mål: Antal företag som nåtts av projektet; Ökning av antal anställda i företagen i Program för tillväxt."
            in text)


def test_lessons_attributed_to_the_project_not_the_data(nis60: Lazy) -> None:
    """The lessons are the project's own view with its source named, never "Underlaget redovisar" (issue 12)."""
    text = nis60.text("sustainability")
    assert ("Projektet redovisar följande lärdomar och vad som lever vidare; de är projektets egen bild "
            "(Slutrapport Näringsliv i samverkan NIS 6.0 (december 2022)), inte utvärderarens:") in text
    assert "Underlaget redovisar" not in text
