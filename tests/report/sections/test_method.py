"""Tests for evaluation/report/sections/method.py: the guidelines followed, the sources and the limits of the data."""

from __future__ import annotations

from .helpers import Lazy, table_with


def test_nba_limits_name_what_is_missing(nba: Lazy) -> None:
    """NBA: estimated period, the jobs outcome, targets missing, no final outcome, no firm or survey data, and the project's notes."""
    text = nba.text("method")
    assert "Projektperioden är uppskattad ur källan." in text
    assert "Utfall saknas för: Nya jobb." in text
    assert "Något slutligt ekonomiskt utfall är inte redovisat." in text
    assert "Inga företagsdata (anställda, omsättning) finns för deltagande företag." in text
    assert "Inga enkätsvar finns i underlaget." in text
    assert table_with(nba["method"], "Källa")[0] == ["Källa", "Referens", "Kommentar"]


def test_method_names_the_guidelines_in_english(nis60_en: Lazy) -> None:
    """English report: the method paragraph and the limits heading are in English."""
    text = nis60_en.text("method")
    assert "The evaluation follows Tillväxtverket's guidelines" in text and "Limits of the data" in text
