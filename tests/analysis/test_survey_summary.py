"""Tests for evaluation/analysis/survey_summary.py: answers counted, comparisons made, bounds drawn."""

from __future__ import annotations

import pandas as pd

from evaluation.analysis import survey_summary


def _responses() -> pd.DataFrame:
    rows = []
    for i in range(20):
        for wave in ("2024", "2025"):
            rows.append({"wave": wave, "respondent": f"r{i}", "item": "Nytta", "answer": (3, 4, 5, None)[i % 4],
                         "group": ("Kvinna", "Man")[i % 2]})
    return pd.DataFrame(rows)


def test_blank_answers_are_no_answers() -> None:
    """answered() drops the responses that leave their item blank."""
    frame = _responses()
    assert len(survey_summary.answered(frame)) == len(frame) - frame["answer"].isna().sum()


def test_comparisons_between_groups_and_waves() -> None:
    """Two groups and two waves: each item is compared between groups, then between waves."""
    compared = survey_summary.comparisons(survey_summary.answered(_responses()), 5)
    assert [(item, between) for item, between, _ in compared] == [("Nytta", "groups"), ("Nytta", "waves")]


def test_drawable_bounds_include_the_share() -> None:
    """Wilson bounds that miss a share of 0 or 1 by a rounding error are widened to it."""
    agree = pd.DataFrame({"share": [1.0, 0.0, 0.5], "ci_low": [0.8, 1e-17, 0.3], "ci_high": [1.0 - 1e-16, 0.2, 0.7]})
    drawn = survey_summary.drawable(agree)
    assert (drawn["ci_low"] <= drawn["share"]).all() and (drawn["share"] <= drawn["ci_high"]).all()
    assert drawn.loc[2, "ci_low"] == 0.3
