"""Tests for evaluation.analysis.surveys: validation, suppression, descriptives and group tests."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from evaluation.analysis import surveys as S
from evaluation.core.errors import AnalysisError, InputError


def _responses(rows: list[tuple]) -> pd.DataFrame:
    """Responses from (wave, respondent, item, answer, group) tuples."""
    return pd.DataFrame(rows, columns=["wave", "respondent", "item", "answer", "group"])


def _ordinal(item: str, answers: list[int], wave: str = "2023", groups: list[str] | None = None,
             prefix: str = "R") -> list[tuple]:
    groups = groups or ["a"] * len(answers)
    return [(wave, f"{prefix}{i:03d}", item, a, g) for i, (a, g) in enumerate(zip(answers, groups))]


INVITED = pd.DataFrame({"wave": ["2023", "2024"], "invited": [50, 40]})


# --------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------


def test_validate_survey_cleans_and_types_answers() -> None:
    """Numbers become ints (also '4' and 4.0), text stays text, output is sorted."""
    raw = _responses(
        [("2023", "R2", "q1", "4", "k"), ("2023", "R1", "q1", 5.0, "m"), ("2023", "R1", "kön", "kvinna", None)]
    )
    resp, inv = S.validate_survey(raw, INVITED)
    assert resp["item"].tolist() == ["kön", "q1", "q1"]
    assert resp["answer"].tolist() == ["kvinna", 5, 4]
    assert [type(v) for v in resp["answer"]] == [str, int, int]
    assert resp["group"].isna().tolist() == [True, False, False]
    assert inv["invited"].tolist() == [50, 40]


def test_validate_survey_lists_every_problem() -> None:
    """Bad answers, mixed kinds, duplicates, uninvited waves and too few invited all reported."""
    raw = _responses(
        [
            ("2023", "R1", "q1", 7, "a"),  # off scale
            ("2023", "R2", "q1", None, "a"),  # missing
            ("2023", "", "q1", 3, "a"),  # empty respondent
            ("2023", "R3", "q2", 4, "a"),
            ("2023", "R4", "q2", 5, "a"),
            ("2023", "R5", "q2", "ja", "a"),  # text among numbers
            ("2023", "R3", "q2", 2, "a"),  # duplicate
            ("2025", "R9", "q1", 1, "a"),  # wave not invited
        ]
    )
    invited = pd.DataFrame({"wave": ["2023", "2024", "2024"], "invited": [3, -1, 5]})
    with pytest.raises(InputError) as info:
        S.validate_survey(raw, invited, file="svar.csv", invited_file="inbjudna.csv")
    found = {(p.file, p.field, p.row) for p in info.value.problems}
    assert found == {
        ("svar.csv", "answer", 2),
        ("svar.csv", "answer", 3),
        ("svar.csv", "respondent", 4),
        ("svar.csv", "answer", 7),
        ("svar.csv", "wave, respondent, item", 8),
        ("svar.csv", "wave", 9),
        ("inbjudna.csv", "invited", 3),
        ("inbjudna.csv", "wave", 4),
        ("inbjudna.csv", "invited", 2),  # 4 respondents in 2023 but 3 invited
    }


# --------------------------------------------------------------------------------------
# suppression
# --------------------------------------------------------------------------------------


def test_suppress_hides_complement_when_total_would_reveal_cell() -> None:
    """Row 12, 3, 10 of 25: hiding 3 alone leaves 25 - 12 - 10 = 3, so 10 is hidden too."""
    table = pd.DataFrame([[12, 3, 10]], columns=[1, 2, 3])
    primary_only = table.astype(float).where(table >= 5)
    assert 25 - primary_only.sum(axis=1).iloc[0] == 3  # what primary suppression alone leaks
    out = S.suppress(table, 5, row_totals=True, col_totals=False)
    assert list(out.values.columns) == [1, 2, 3, "Total"]
    row = out.values.iloc[0]
    assert row[1] == 12 and math.isnan(row[2]) and math.isnan(row[3]) and row["Total"] == 25
    assert out.suppressed.iloc[0].tolist() == [False, True, True, False]


def test_suppress_two_way_table_hand_checked() -> None:
    """Both margins published: the hidden 2 needs complements in its row and column."""
    table = pd.DataFrame([[10, 2, 15], [8, 9, 12]], index=["g1", "g2"], columns=["a", "b", "c"])
    out = S.suppress(table, 5)
    expected = pd.DataFrame(
        [[np.nan, np.nan, 15, 27], [np.nan, np.nan, 12, 29], [18, 11, 27, 56]],
        index=["g1", "g2", "Total"], columns=["a", "b", "c", "Total"], dtype=float,
    )
    pd.testing.assert_frame_equal(out.values, expected)
    assert out.suppressed.to_numpy().sum() == 4
    # no published sum has exactly one hidden member
    mask = out.suppressed.to_numpy()
    assert all(mask[i].sum() != 1 for i in range(mask.shape[0]))
    assert all(mask[:, j].sum() != 1 for j in range(mask.shape[1]))


def test_suppress_small_group_hides_its_total_and_a_complement_total() -> None:
    """A group of 3 is hidden whole; another row total is hidden so 38 - 35 cannot reveal it."""
    table = pd.DataFrame([[20, 15], [2, 1]], index=["stor", "liten"], columns=["x", "y"])
    out = S.suppress(table, 5)
    assert out.suppressed.loc["liten"].all()
    assert out.suppressed.loc["stor"].all()  # x, y as column complements; total as row-total complement
    assert out.values.loc["Total"].tolist() == [22.0, 16.0, 38.0]


def test_suppress_zero_cells_and_keep_zeros() -> None:
    """Zeros are hidden by default (NaN, never 0) and kept with keep_zeros."""
    table = pd.DataFrame([[0, 7, 9]])
    hidden = S.suppress(table, 5, col_totals=False)
    assert hidden.suppressed.iloc[0].tolist() == [True, True, False, False]
    # two hidden zeros would add up to total - shown = 0, so a non-zero complement is hidden
    zeros = S.suppress(pd.DataFrame([[0, 8, 0, 6, 6]]), 5, col_totals=False)
    assert zeros.suppressed.iloc[0].tolist() == [True, False, True, True, False, False]
    assert math.isnan(hidden.values.iloc[0, 0])
    kept = S.suppress(table, 5, col_totals=False, keep_zeros=True)
    assert kept.values.iloc[0].tolist() == [0.0, 7.0, 9.0, 16.0]
    assert not kept.suppressed.to_numpy().any()


# --------------------------------------------------------------------------------------
# descriptives
# --------------------------------------------------------------------------------------


def test_response_rate_per_wave_with_suppression() -> None:
    """30 of 50 -> 0.6; a wave with 3 respondents is hidden (NaN, flagged)."""
    rows = _ordinal("q1", [3] * 30, wave="2023") + _ordinal("q1", [4] * 3, wave="2024")
    out = S.response_rate(_responses(rows), INVITED, threshold=5)
    assert out["wave"].tolist() == ["2023", "2024"]
    assert out["invited"].tolist() == [50, 40]
    assert out.loc[0, "respondents"] == 30 and out.loc[0, "response_rate"] == pytest.approx(0.6)
    assert math.isnan(out.loc[1, "respondents"]) and math.isnan(out.loc[1, "response_rate"])
    assert out["suppressed"].tolist() == [False, True]
    plain = S.response_rate(_responses(rows), INVITED, threshold=0)
    assert plain.loc[1, "response_rate"] == pytest.approx(3 / 40)


def test_distribution_has_every_scale_point_and_shares() -> None:
    """All five points appear even when nobody chose them; categorical items list categories."""
    rows = _ordinal("q1", [5] * 6 + [4] * 6 + [2] * 8) + [
        ("2023", f"R{i:03d}", "bransch", b, "a") for i, b in enumerate(["handel"] * 12 + ["industri"] * 8)
    ]
    out = S.distribution(_responses(rows), threshold=0)
    q1 = out.loc[out["item"] == "q1"]
    assert q1["answer"].tolist() == [1, 2, 3, 4, 5]
    assert q1["count"].tolist() == [0.0, 8.0, 0.0, 6.0, 6.0]
    assert q1["share"].tolist() == pytest.approx([0.0, 0.4, 0.0, 0.3, 0.3])
    assert (q1["n"] == 20).all()
    cat = out.loc[out["item"] == "bransch"]
    assert cat["answer"].tolist() == ["handel", "industri"]
    assert cat["share"].tolist() == pytest.approx([0.6, 0.4])
    hidden = S.distribution(_responses(rows), item="q1", threshold=5)
    assert hidden["suppressed"].tolist() == [True, False, True, True, False]
    assert hidden.loc[hidden["suppressed"], ["count", "share"]].isna().all().all()
    assert hidden["count"].tolist()[1] == 8.0 and hidden["count"].tolist()[4] == 6.0


def test_agreement_wilson_interval_pinned() -> None:
    """8 of 10 agreeing -> Wilson 95 % CI (0.490, 0.943); 2 disagreeing hides it at threshold 5."""
    rows = _ordinal("q1", [5, 5, 4, 4, 4, 5, 4, 4, 2, 1])
    out = S.agreement(_responses(rows), top=(4, 5), threshold=2)
    row = out.iloc[0]
    assert (row["n"], row["agree"], row["share"]) == (10.0, 8.0, 0.8)
    assert round(row["ci_low"], 3) == 0.490 and round(row["ci_high"], 3) == 0.943
    assert not row["suppressed"]
    hidden = S.agreement(_responses(rows), threshold=5).iloc[0]
    assert hidden["suppressed"] and hidden["n"] == 10.0
    assert math.isnan(hidden["share"]) and math.isnan(hidden["ci_low"]) and math.isnan(hidden["agree"])


def test_agreement_second_wilson_value() -> None:
    """15 of 20 -> Wilson 95 % CI (0.531, 0.888)."""
    rows = _ordinal("q1", [4] * 15 + [1] * 5)
    row = S.agreement(_responses(rows), threshold=5).iloc[0]
    assert (round(row["ci_low"], 3), round(row["ci_high"], 3)) == (0.531, 0.888)


def test_median_iqr_hand_checked() -> None:
    """Answers 1,2,2,3,4,5: median 2.5, quartiles 2 and 3.75; fewer than threshold hidden."""
    rows = _ordinal("q1", [1, 2, 2, 3, 4, 5])
    row = S.median_iqr(_responses(rows), threshold=5).iloc[0]
    assert (row["n"], row["median"], row["q1"], row["q3"], row["iqr"]) == (6.0, 2.5, 2.0, 3.75, 1.75)
    hidden = S.median_iqr(_responses(rows), threshold=7).iloc[0]
    assert hidden["suppressed"] and math.isnan(hidden["median"]) and math.isnan(hidden["n"])


def test_suppress_primary_mask_hides_more_cells_and_their_complement() -> None:
    """primary marks a count of 10 (e.g. from 3 firms): it is hidden, and so is 8, the smallest other of the row."""
    sup = S.suppress(pd.DataFrame([[10, 12, 8]]), 5, row_totals=True, col_totals=False,
                     primary=np.array([[True, False, False]]))
    assert sup.suppressed.iloc[0].tolist() == [True, False, True, False]
    assert sup.values.iloc[0].tolist()[1::2] == [12.0, 30.0]
    with pytest.raises(InputError, match="primary"):
        S.suppress(pd.DataFrame([[10, 12, 8]]), 5, primary=np.array([True, False]))


def test_median_hidden_when_quartile_falls_among_hidden_answers() -> None:
    """1x4, 2x4 hidden, 3/4/5 x5 each: Q1 lies among the hidden 1s and 2s, so with the distribution it is hidden."""
    responses = _responses(_ordinal("q1", [1] * 4 + [2] * 4 + [3] * 5 + [4] * 5 + [5] * 5))
    dist = S.distribution(responses, threshold=5)
    assert dist["suppressed"].tolist() == [True, True, False, False, False]
    plain = S.median_iqr(responses, threshold=5).iloc[0]
    assert (plain["median"], plain["q1"], plain["q3"]) == (3.0, 2.0, 4.0)
    row = S.median_iqr(responses, threshold=5, distribution=dist).iloc[0]
    assert row["suppressed"] and math.isnan(row["median"]) and math.isnan(row["q1"])


def test_median_shown_when_hidden_answers_cannot_move_it() -> None:
    """1x2, 2x1 hidden among 20 answers: every split of the 3 hidden gives the same quartiles (3, 4, 5), so they show."""
    answers = [1] * 2 + [2] * 1 + [3] * 5 + [4] * 6 + [5] * 6
    responses = _responses(_ordinal("q1", answers))
    dist = S.distribution(responses, threshold=5)
    row = S.median_iqr(responses, threshold=5, distribution=dist).iloc[0]
    assert not row["suppressed"] and (row["q1"], row["median"], row["q3"]) == (3.0, 4.0, 5.0)
    for ones in range(4):  # every split of the 3 hidden answers between 1 and 2 gives the same quartiles
        other = [1] * ones + [2] * (3 - ones) + answers[3:]
        assert tuple(np.percentile(other, [25, 50, 75])) == (3.0, 4.0, 5.0)


# --------------------------------------------------------------------------------------
# comparisons
# --------------------------------------------------------------------------------------


def test_compare_two_groups_is_mann_whitney_as_scipy() -> None:
    """Two groups on an ordinal item: Mann-Whitney U with scipy's statistic and p-value."""
    a = [5, 4, 4, 5, 3, 4, 5, 5, 2, 4]
    b = [2, 3, 1, 3, 4, 2, 2, 3, 1, 3, 2]
    rows = _ordinal("q1", a + b, groups=["kvinna"] * len(a) + ["man"] * len(b))
    res = S.compare_groups(_responses(rows), "q1", threshold=5)
    ref = stats.mannwhitneyu(a, b, alternative="two-sided")
    assert res.test == "mann-whitney-u" and res.kind == "ordinal"
    assert res.statistic == pytest.approx(ref.statistic) and res.p_value == pytest.approx(ref.pvalue)
    assert res.groups["group"].tolist() == ["kvinna", "man"]
    assert res.groups["n"].tolist() == [10.0, 11.0]
    assert res.groups["median"].tolist() == [4.0, 2.0]
    assert not res.suppressed


def test_compare_three_groups_is_kruskal_wallis_as_scipy() -> None:
    """Three groups on an ordinal item: Kruskal-Wallis H as scipy."""
    samples = {"Bjurholm": [1, 2, 2, 3, 3, 2], "Umeå": [3, 4, 4, 5, 3, 4, 5], "Vännäs": [2, 3, 3, 4, 2, 3]}
    answers = [v for g in samples for v in samples[g]]
    groups = [g for g in samples for _ in samples[g]]
    res = S.compare_groups(_responses(_ordinal("q1", answers, groups=groups)), "q1", threshold=5)
    ref = stats.kruskal(*samples.values())
    assert res.test == "kruskal-wallis"
    assert res.statistic == pytest.approx(ref.statistic) and res.p_value == pytest.approx(ref.pvalue)


def test_compare_categorical_chi_square_and_fisher_as_scipy() -> None:
    """Categorical items: chi-square as scipy for 2 x 3; Fisher exact for a sparse 2 x 2."""
    cats = ["ja"] * 12 + ["nej"] * 6 + ["vet ej"] * 7 + ["ja"] * 5 + ["nej"] * 13 + ["vet ej"] * 6
    groups = ["A"] * 25 + ["B"] * 24
    rows = [("2023", f"R{i:03d}", "q", c, g) for i, (c, g) in enumerate(zip(cats, groups))]
    res = S.compare_groups(_responses(rows), "q", threshold=5)
    chi2, p, _, _ = stats.chi2_contingency(np.array([[12, 6, 7], [5, 13, 6]]))
    assert res.test == "chi-square" and res.kind == "categorical"
    assert res.statistic == pytest.approx(chi2) and res.p_value == pytest.approx(p)

    cats2 = ["ja"] * 9 + ["nej"] * 1 + ["ja"] * 2 + ["nej"] * 6
    groups2 = ["A"] * 10 + ["B"] * 8
    rows2 = [("2023", f"R{i:03d}", "q", c, g) for i, (c, g) in enumerate(zip(cats2, groups2))]
    res2 = S.compare_groups(_responses(rows2), "q", threshold=5)
    ref = stats.fisher_exact([[9, 1], [2, 6]])
    assert res2.test == "fisher-exact"
    assert res2.p_value == pytest.approx(ref.pvalue)
    assert res2.table.suppressed.loc["A", "nej"]  # the cell of 1 is hidden in the published table


def test_compare_groups_hides_test_when_a_group_is_small() -> None:
    """A group below the threshold hides its row, the statistic and the p-value."""
    rows = _ordinal("q1", [4, 5, 4, 3, 5, 4, 2, 1, 2], groups=["a"] * 6 + ["b"] * 3)
    res = S.compare_groups(_responses(rows), "q1", threshold=5)
    assert res.suppressed
    assert math.isnan(res.statistic) and math.isnan(res.p_value)
    assert res.groups["suppressed"].tolist() == [False, True]
    assert math.isnan(res.groups.loc[1, "median"])
    with pytest.raises(AnalysisError):
        S.compare_groups(_responses(_ordinal("q1", [1, 2, 3])), "q1")


def test_compare_waves_independent_and_paired_as_scipy() -> None:
    """Waves compared with Mann-Whitney (independent) or Wilcoxon signed-rank (paired) as scipy."""
    w1 = [2, 3, 3, 2, 4, 3, 2, 3, 1, 3]
    w2 = [4, 4, 3, 5, 4, 3, 5, 4, 2, 5]
    rows = _ordinal("q1", w1, wave="2023") + _ordinal("q1", w2, wave="2024")
    resp = _responses(rows)
    res = S.compare_waves(resp, "q1", threshold=5)
    ref = stats.mannwhitneyu(w1, w2, alternative="two-sided")
    assert res.test == "mann-whitney-u" and res.by == "wave"
    assert res.p_value == pytest.approx(ref.pvalue)
    assert "10 respondents answered in more than one wave" in res.note
    paired = S.compare_waves(resp, "q1", threshold=5, paired=True)
    ref2 = stats.wilcoxon(w1, w2)
    assert paired.test == "wilcoxon-signed-rank"
    assert paired.statistic == pytest.approx(ref2.statistic) and paired.p_value == pytest.approx(ref2.pvalue)


def test_threshold_must_be_a_non_negative_whole_number() -> None:
    """A negative or fractional threshold is a parameter problem."""
    with pytest.raises(InputError):
        S.suppress(pd.DataFrame([[1, 2]]), threshold=-1)
    with pytest.raises(InputError):
        S.distribution(_responses(_ordinal("q1", [1, 2])), threshold=2.5)  # type: ignore[arg-type]


def test_blank_answers_are_no_answer_but_count_for_the_response_rate() -> None:
    """An item left blank is left out of that item's analyses, and the respondent still counts as responding."""
    import pandas as pd

    from evaluation.analysis import surveys

    rows = [{"wave": "w", "respondent": f"r{i}", "item": "q", "answer": (None if i == 35 else 1 + i % 5), "group": "a"}
            for i in range(36)]
    responses = pd.DataFrame(rows)
    invited = pd.DataFrame({"wave": ["w"], "invited": [40]})
    assert surveys.response_rate(responses, invited)["respondents"].iloc[0] == 36
    dist = surveys.distribution(responses)
    assert list(dist["count"]) == [7, 7, 7, 7, 7] and dist["n"].iloc[0] == 35
    agree = surveys.agreement(responses)
    assert agree["n"].iloc[0] == 35 and agree["agree"].iloc[0] == 14
    assert surveys.median_iqr(responses)["median"].iloc[0] == 3
