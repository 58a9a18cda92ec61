"""Tests for evaluation/report/sections/labels.py: report words for the codes of the data and the analysis."""

from __future__ import annotations

from evaluation.analysis.status import STATUSES
from evaluation.report.sections import labels


def test_every_status_has_a_label_in_both_languages() -> None:
    """Each status has a Swedish and an English label; "not_reported" is "Uppgift saknas"."""
    for code in STATUSES:
        assert labels.status("sv", code) != code and labels.status("en", code) != code
    assert labels.status("sv", "not_reported") == "Uppgift saknas" and labels.status("en", "partly") == "Partly achieved"


def test_labels_of_codes() -> None:
    """Criteria, funds, levels, severities and tests have labels; an unknown code is shown as it is."""
    assert labels.criterion("sv", "gender_equality") == "Jämställdhet"
    assert labels.fund("sv", "regional") == "Regionala medel" and labels.fund("sv", "ERUF") == "ERUF"
    assert labels.effect_level("sv", "short_term") == "Kortsiktig effekt"
    assert labels.goal_level("en", "sub") == "Sub-goal"
    assert labels.severity("sv", "warning") == "Varning"
    assert labels.test("sv", "chi-square") == "χ²-test" and labels.test("sv", "t-test") == "t-test"
