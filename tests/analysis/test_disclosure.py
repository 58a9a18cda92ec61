"""Tests for evaluation/analysis/disclosure.py: every decision on what restricted firm and survey data may show."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import minimal_spec, write_project

from evaluation.analysis import disclosure
from evaluation.io.loader import load_project


def _project(tmp_path: Path, **setting: Any) -> Any:
    spec = minimal_spec()
    spec["disclosure"] = setting
    return load_project(write_project(tmp_path, spec))


@pytest.mark.parametrize("setting,threshold,firms_min,survey_min", [
    ({}, 5, 5, 5),
    ({"min_cell": 10}, 5, 10, 10),
    ({"min_cell": 3}, 7, 7, 7),
    ({"firms": "public", "min_cell": 10}, 5, 0, 10),
    ({"survey": "public"}, 5, 5, 0),
])
def test_policy_takes_the_stricter_threshold_and_zero_for_public(tmp_path: Path, setting: dict[str, Any], threshold: int,
                                                                 firms_min: int, survey_min: int) -> None:
    """The policy: 0 for public data, else the larger of disclosure.min_cell and the report's threshold."""
    project = _project(tmp_path, **setting)
    pol = disclosure.policy(project, threshold)
    assert (pol.min_cell("firms"), pol.min_cell("survey")) == (firms_min, survey_min)
    assert (disclosure.min_cell(project, "firms", threshold), disclosure.min_cell(project, "survey", threshold)) == (firms_min, survey_min)
    assert pol.is_public("firms") == (firms_min == 0)


def test_mask_replaces_hidden_values_and_shows_the_rest() -> None:
    """mask() puts the marker where hidden and passes the other values through ``show``."""
    assert disclosure.mask([1, 2, 3], [False, True, False], "dolt") == [1, "dolt", 3]
    assert disclosure.mask([0.5, 0.25], [True, False], "hidden", lambda v: f"{v:.0%}") == ["hidden", "25%"]


def test_participation_hides_small_activities_and_one_more_to_protect_the_total() -> None:
    """Activities of 10, 12 and 2 firms: the 2 is hidden, and the 10 too so that 2 is not 24 - 10 - 12."""
    rows_hidden, firms_hidden = disclosure.participation_hidden([10, 12, 2], [10, 12, 2], 5)
    assert rows_hidden == [True, False, True]
    assert firms_hidden == [False, False, True]


def test_matching_counts_that_add_up_are_suppressed_as_a_row() -> None:
    """12 matched, 3 outside support, 0 without partner of 15: the 3 and the 0 are hidden (else 3 = 15 - 12 - 0)."""
    assert disclosure.matching_hidden(12, 3, 0, 15, 5) == [False, True, True, False]
    assert disclosure.matching_hidden(10, 3, 2, 15, 0) == [False, False, False, False]


def test_matching_counts_without_a_sum_hide_only_small_counts() -> None:
    """When the counts do not add up to the participants, only counts of 1 to t-1 are hidden."""
    assert disclosure.matching_hidden(10, 3, 0, 20, 5) == [False, True, False, False]


def test_small_groups_hide_shares_and_estimates() -> None:
    """Women-led share, growth split and effect estimate are hidden when a group is below the threshold."""
    assert disclosure.women_led_hidden(2, 1, 5)
    assert not disclosure.women_led_hidden(5, 5, 5)
    assert disclosure.growth_groups_hidden([10, 5, 0], 5)
    assert not disclosure.growth_groups_hidden([5, 5, 5], 5)
    assert disclosure.estimate_hidden(3, 10, 5) and not disclosure.estimate_hidden(5, 5, 5)
    assert disclosure.too_few(4, 5) and not disclosure.too_few(5, 5)


def test_balance_hides_means_of_small_groups_and_of_few_left_out() -> None:
    """Means are hidden for a covariate with fewer than t firms in a group, or when 1 to t-1 firms were left out by matching."""
    whole = pd.DataFrame({"covariate": ["employees", "turnover"], "n_participants": [15, 15], "n_comparison": [15, 3]}).set_index("covariate")
    after = pd.DataFrame({"covariate": ["employees", "turnover"], "n_participants": [13, 15], "n_comparison": [13, 3]}).set_index("covariate")
    before = disclosure.balance_hidden(whole, 5)
    assert before.means == [False, True] and before.participants == [False, False] and before.comparison == [False, True]
    matched = disclosure.balance_hidden(after, 5, whole)
    assert matched.means == [True, True]
    assert disclosure.comparison_hidden(whole, 5) is False
    assert disclosure.comparison_hidden(whole.assign(n_participants=[3, 3]), 5) is True


@dataclass(frozen=True)
class _EventStudy:
    table: pd.DataFrame


def test_event_study_drops_years_of_few_firms_but_keeps_the_reference() -> None:
    """Relative years observed for fewer than t firms are dropped; the reference year stays."""
    es = _EventStudy(pd.DataFrame({"rel_time": [-2, -1, 0, 1, 2], "n_obs": [15, 0, 15, 15, 3],
                                   "is_reference": [False, True, False, False, False]}))
    shown, dropped = disclosure.event_study_shown(es, 5)
    assert dropped and shown.table["rel_time"].tolist() == [-2, -1, 0, 1]
    same, dropped = disclosure.event_study_shown(replace(es), 3)
    assert not dropped and same.table["rel_time"].tolist() == [-2, -1, 0, 1, 2]


def test_agreement_hidden_when_a_top_answer_is_hidden() -> None:
    """An item's share agreeing is hidden when answer 4 or 5 is hidden in its distribution."""
    agree = pd.DataFrame({"item": ["a", "b"], "n": [20, 20], "agree": [12, 15], "share": [0.6, 0.75], "ci_low": [0.4, 0.5],
                          "ci_high": [0.8, 0.9], "suppressed": [False, False]})
    dist = pd.DataFrame({"item": ["a", "a", "b", "b"], "answer": [4, 5, 4, 5], "suppressed": [False, True, False, False]})
    out = disclosure.agreement_consistent(agree, dist)
    assert out["suppressed"].tolist() == [True, False]
    assert np.isnan(out.loc[0, "share"]) and out.loc[1, "share"] == 0.75


def test_findings_naming_firms_are_counted_not_shown(tmp_path: Path) -> None:
    """Restricted firm data: findings of a firm-naming check become one row counting them; public: shown as they are."""
    frame = pd.DataFrame([
        {"severity": "warning", "check": "firm_change_mismatch", "subject": "p1", "text": "Alfa AB"},
        {"severity": "warning", "check": "firm_change_mismatch", "subject": "p2", "text": "Beta AB"},
        {"severity": "warning", "check": "goal_without_indicator", "subject": "sg1", "text": "x"},
    ])
    restricted = _project(tmp_path / "r")
    redact = disclosure.redacted_checks(restricted, disclosure.policy(restricted, 5))
    assert redact["firm_change_mismatch"] == "firms" and redact["firm_total_mismatch"] == "firms"
    out = disclosure.redact_findings(frame, redact)
    assert out[["check", "subject", "redacted", "n"]].values.tolist() == [
        ["firm_change_mismatch", "–", "firms", 2], ["goal_without_indicator", "sg1", None, None]]
    public = _project(tmp_path / "p", firms="public", survey="public")
    assert disclosure.redacted_checks(public, disclosure.policy(public, 5)) == {}
    assert disclosure.redact_findings(frame, {})["text"].tolist() == ["Alfa AB", "Beta AB", "x"]
