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


# --------------------------------------------------------------------------- the report's ledger, dominance, aggregates


def _units(n: int, prefix: str = "f", value: float = 10.0) -> dict[str, float]:
    return {f"{prefix}{i}": value + i for i in range(n)}


def test_ledger_refuses_a_figure_differing_from_a_shown_one_by_fewer_than_t_units() -> None:
    """A total of 5 firms shown: a mean of those 5 plus 1 is refused (it gives the sixth), the same 5 or 5 more are not."""
    ledger = disclosure.Ledger(5)
    five = _units(5)
    assert ledger.publish(("employees", 2021), five).shown
    assert ledger.publish(("employees", 2021), {**five, "f9": 43.0}).reason == "differencing"
    assert ledger.publish(("employees", 2021), five).shown  # the same figure again reveals nothing new
    assert ledger.publish(("employees", 2021), {**five, **_units(5, "g")}).shown  # 5 more: a group of 5 is allowed
    assert ledger.publish(("employees", 2025), {**five, "f9": 43.0}).shown  # another quantity
    assert ledger.shown[("employees", 2021)] == [frozenset(five), frozenset({**five, **_units(5, "g")})]


def test_ledger_counts_units_differing_either_way() -> None:
    """Sets swapping one firm for another differ by 2 units: refused at t = 5, shown at t = 2."""
    a = _units(6)
    b = {**{k: v for k, v in a.items() if k != "f0"}, "x": 1.0}
    strict, lax = disclosure.Ledger(5), disclosure.Ledger(2)
    assert strict.publish("q", a).shown and strict.publish("q", b).reason == "differencing"
    assert lax.publish("q", a).shown and lax.publish("q", b).shown


def test_ledger_refuses_few_units_and_shows_everything_when_public() -> None:
    """Fewer than t units: refused and not recorded; t = 0 (public data): every figure is shown."""
    ledger = disclosure.Ledger(5)
    assert ledger.publish("q", _units(4)).reason == "too_few" and ledger.shown == {}
    public = disclosure.Ledger(0)
    assert public.publish("q", {"a": 1.0}).shown and public.publish("q", {"a": 1.0, "b": 99.0}).shown


def test_publish_all_records_nothing_unless_every_figure_is_shown() -> None:
    """Figures shown together (participants' and comparison means) are recorded only when both pass."""
    ledger = disclosure.Ledger(5)
    assert not ledger.publish_all([("p", _units(6)), ("c", _units(3, "c"))]).shown
    assert ledger.shown == {}


@pytest.mark.parametrize("values,dominated", [
    ([50, 40, 5, 3, 2], True),      # 2 largest: 90 % > 85 %
    ([40, 40, 10, 5, 5], False),    # 80 %
    ([-50, 40, 5, 3, 2], True),     # absolute values: value added may be negative
    ([10, 10, 10, 10, 10], False),
    ([0, 0, 0, 0, 0], False),
])
def test_nk_dominance_rule(values: list[float], dominated: bool) -> None:
    """The (2, 85 %) rule: a cell is dominated when its two largest contributions exceed 85 % of it."""
    assert disclosure.Dominance().dominated(values) is dominated


def test_p_percent_rule() -> None:
    """p = 10 %: dominated when the rest (after the two largest) is below 10 % of the largest."""
    rule = disclosure.Dominance(p=10)
    assert rule.dominated([100, 50, 5, 4]) and not rule.dominated([100, 50, 6, 5])


def test_dominance_refuses_a_magnitude_but_not_a_count() -> None:
    """A total that two of six firms dominate is refused as a magnitude, shown as a count of firms."""
    values = {"a": 500.0, "b": 500.0, **_units(4)}
    assert disclosure.Ledger(5).publish("q", values).reason == "dominated"
    assert disclosure.Ledger(5).publish("q", values, magnitude=False).shown


def test_rule_and_reason_sentences_name_the_parameters() -> None:
    """The rule sentence and a refusal name n and k (and p for the p % rule), in Swedish and English."""
    assert "n = 2, k = 85 %" in disclosure.DOMINANCE.text("sv")
    assert disclosure.Dominance(n=3, k=90).text("en").endswith("(dominance rule n = 3, k = 90 %).")
    assert "10 %" in disclosure.Dominance(p=10).text("sv")
    assert disclosure.Decision("differencing", 5).text("sv") == (
        "Uppgifterna visas inte, eftersom de tillsammans med en annan uppgift i rapporten skulle avslöja uppgifter om färre än 5 "
        "företag.")
    assert disclosure.Decision("shown", 5).text("sv") == ""


def test_policy_keeps_one_ledger_per_report_and_kind_of_data(tmp_path: Path) -> None:
    """policy() gives a fresh ledger per report; the same ledger for every call within it, with the data's threshold."""
    project = _project(tmp_path)
    pol = disclosure.policy(project, 5)
    assert pol.ledger("firms") is pol.ledger("firms") and pol.ledger("firms").t == 5
    assert disclosure.policy(project, 5).ledger("firms") is not pol.ledger("firms")
    assert pol == disclosure.policy(project, 5)  # the ledger is no part of the policy's value


def test_balance_means_hidden_when_they_difference_against_a_shown_total() -> None:
    """Participants' mean over 6 firms after a total over 5 of them: the row's means are hidden; its counts stay."""
    balance = pd.DataFrame({"covariate": ["employees"], "mean_participants": [17.7], "mean_comparison": [16.0], "smd": [0.18],
                            "n_participants": [6], "n_comparison": [8]}).set_index("covariate")
    five = _units(5)
    balance.attrs["units"] = {"year": 2021, "participants": {"employees": {**five, "p6": 43.0}},
                              "comparison": {"employees": _units(8, "c")}}
    ledger = disclosure.Ledger(5)
    ledger.publish(("employees", 2021), five)
    hide = disclosure.balance_hidden(balance, 5, ledger=ledger)
    assert hide.means == [True] and hide.participants == [False] and hide.comparison == [False]
    assert disclosure.balance_hidden(balance, 5).means == [False]  # without the ledger (as before)


def test_before_after_totals_rest_on_firms_seen_in_both_years() -> None:
    """The totals are checked over the firms with both values: 5 of 6 here, recorded for both years."""
    table = pd.DataFrame({"firm_id": [*(f"f{i}" for i in range(6)), None], "before": [1.0, 2, 3, 4, 5, 43, 15],
                          "after": [2.0, 3, 4, 5, 6, np.nan, 20]})
    ledger = disclosure.Ledger(5)
    assert disclosure.before_after_shown(ledger, table, "employees", 2021, 2025).shown
    assert ledger.shown[("employees", 2021)] == [frozenset(f"f{i}" for i in range(5))]
    assert set(ledger.shown) == {("employees", 2021), ("employees", 2025)}


def _aggregate_panel() -> pd.DataFrame:
    rows = [(f"p{i}", y, 10.0 + i + (y - 2021), True) for i in range(8) for y in (2021, 2025)]
    rows += [(f"c{i}", y, 10.0 + i, False) for i in range(3) for y in (2021, 2025)]
    rows += [("p9", 2021, 12.0, True)]
    return pd.DataFrame(rows, columns=["firm_id", "year", "employees", "participant"])


def test_aggregates_hide_small_groups_and_what_would_reveal_them() -> None:
    """3 comparison firms are hidden, and so is 'all' (all less participants would give them); 8 balanced of 9 too."""
    agg = disclosure.aggregates(_aggregate_panel(), 5).set_index(["year", "group"])
    assert agg.loc[(2021, "participants"), ["n_firms", "total"]].tolist() == [9, 120.0]
    assert agg.loc[(2021, "comparison"), "reason"] == "too_few"
    assert agg.loc[(2021, "all"), "reason"] == "differencing" and pd.isna(agg.loc[(2021, "all"), "total"])
    assert agg.loc[(2021, "participants_balanced"), "reason"] == "differencing"
    assert agg.loc[(2025, "participants_balanced"), "shown"]  # the same 8 firms as the participants of 2025
    assert agg["n_firms"].isna().tolist() == (~agg["shown"]).tolist()
    assert set(agg["rule"]) == {"min_cell=5; n=2; k=85"}


def test_aggregates_file_holds_no_firm() -> None:
    """The aggregates CSV has only aggregate columns: no firm id, name or single value."""
    data = disclosure.aggregates_csv(disclosure.aggregates(_aggregate_panel(), 5)).decode("utf-8")
    assert data.splitlines()[0] == "outcome,year,group,n_firms,total,mean,shown,reason,rule"
    assert "p9" not in data and "c0" not in data
