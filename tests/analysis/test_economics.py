"""Tests for evaluation.analysis.economics: hand-checked values, NIS 6.0 and NBA published figures."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import NIS_COSTS, NIS_FINANCIERS

from evaluation.analysis.economics import (
    Reconciliation,
    budget_vs_outcome,
    cost_per,
    financing_shares,
    funnel,
    reconcile,
)
from evaluation.core.errors import InputError

NAN = float("nan")

# NIS 6.0 final report (published figures, kr).
NIS_BUDGET_TOTAL = 16_713_030
NIS_OUTCOME_TOTAL = 15_470_690


def test_nis_published_sums() -> None:
    """NIS 6.0: cost lines sum to 15 470 694, financing to 15 477 874, budget - outcome is 1 242 340."""
    assert sum(NIS_COSTS.values()) == 15_470_694
    assert sum(a for _, _, a in NIS_FINANCIERS) == 15_477_874
    assert NIS_BUDGET_TOTAL - NIS_OUTCOME_TOTAL == 1_242_340


# --------------------------------------------------------------------------- budget


def test_budget_vs_outcome_hand_checked() -> None:
    """Difference, outcome share and utilisation per line and in the totals row."""
    lines = pd.DataFrame({"category": ["A", "B"], "budget": [100.0, 200.0], "outcome": [80.0, 220.0]})
    out = budget_vs_outcome(lines)
    assert out["category"].tolist() == ["A", "B", "Totalt"]
    assert out["difference"].tolist() == [-20.0, 20.0, 0.0]
    assert out["outcome_share"].tolist() == pytest.approx([80 / 300, 220 / 300, 1.0])
    assert out["utilisation"].tolist() == pytest.approx([0.8, 1.1, 1.0])
    assert out["is_total"].tolist() == [False, False, True]


def test_budget_vs_outcome_nis_budget_not_reported(nis_lines: pd.DataFrame) -> None:
    """NIS 6.0: NaN budgets stay NaN (never 0); shares of outcome; stated totals give 1 242 340 under budget."""
    out = budget_vs_outcome(nis_lines, budget_total=NIS_BUDGET_TOTAL, outcome_total=NIS_OUTCOME_TOTAL)
    lines = out[~out["is_total"]]
    assert lines["budget"].isna().all()
    assert lines["difference"].isna().all() and lines["utilisation"].isna().all()
    assert (lines["note"] == "budget not reported").all()
    personal = out.set_index("category").loc["Personal"]
    assert personal["outcome_share"] == pytest.approx(7_095_150 / 15_470_694)
    assert lines["outcome_share"].sum() == pytest.approx(1.0)
    total = out[out["is_total"]].iloc[0]
    assert total["budget"] == NIS_BUDGET_TOTAL and total["outcome"] == NIS_OUTCOME_TOTAL
    assert total["difference"] == -1_242_340
    assert total["utilisation"] == pytest.approx(15_470_690 / 16_713_030)
    assert "stated total" in total["note"]


def test_budget_vs_outcome_total_unknown_without_stated_total(nis_lines: pd.DataFrame) -> None:
    """Without a stated total, the totals row of not-reported budgets is NaN, and outcome is the line sum."""
    total = budget_vs_outcome(nis_lines).iloc[-1]
    assert math.isnan(total["budget"])
    assert total["outcome"] == 15_470_694
    assert "not reported for 5 of 5 lines" in total["note"]


def test_budget_vs_outcome_zero_budget_not_divided() -> None:
    """A zero budget gives NaN utilisation, not inf."""
    out = budget_vs_outcome(pd.DataFrame({"category": ["A"], "budget": [0.0], "outcome": [5.0]}))
    assert math.isnan(out["utilisation"].iloc[0])
    assert "budget 0" in out["note"].iloc[0]


def test_budget_vs_outcome_input_problems() -> None:
    """Non-numeric amounts and duplicate categories are reported together with their rows."""
    lines = pd.DataFrame({"category": ["A", "A"], "budget": ["100", "lots"], "outcome": [1.0, 2.0]})
    with pytest.raises(InputError) as err:
        budget_vs_outcome(lines, file="budget.csv")
    msgs = [p.message() for p in err.value.problems]
    assert "'category' in budget.csv row 2 must be unique (got 'A')" in msgs
    assert any("'budget' in budget.csv row 2" in m for m in msgs)


# --------------------------------------------------------------------------- reconcile


def test_reconcile_nis() -> None:
    """NIS 6.0: 1 242 340 under budget; cost lines 4 kr and financing 7 184 kr (0.046 %) off, within 0.5 %."""
    r = reconcile(NIS_BUDGET_TOTAL, NIS_OUTCOME_TOTAL, sum(NIS_COSTS.values()), sum(a for _, _, a in NIS_FINANCIERS))
    assert isinstance(r, Reconciliation) and r.tolerance == 0.005
    assert [c.name for c in r.comparisons] == [
        "outcome_vs_budget",
        "outcome_vs_cost_lines",
        "outcome_vs_financing",
        "cost_lines_vs_financing",
    ]
    budget = r.get("outcome_vs_budget")
    assert budget.difference == -1_242_340 and budget.ok is True
    assert budget.relative_difference == pytest.approx(-1_242_340 / 16_713_030)
    assert r.under_budget == 1_242_340
    lines = r.get("outcome_vs_cost_lines")
    assert lines.difference == 4 and lines.ok is True
    assert lines.relative_difference == pytest.approx(4 / 15_470_690)
    fin = r.get("outcome_vs_financing")
    assert fin.difference == 7_184 and fin.ok is True
    assert fin.relative_difference == pytest.approx(7_184 / 15_470_690)
    assert f"{fin.relative_difference:.3%}" == "0.046%"
    assert r.get("cost_lines_vs_financing").difference == 7_180
    assert r.ok is True
    frame = r.to_frame()
    assert frame["difference"].tolist() == [-1_242_340, 4, 7_184, 7_180]


def test_reconcile_outside_tolerance_and_not_reported() -> None:
    """A difference above the relative tolerance fails; a missing total gives ok None, never a zero."""
    r = reconcile(1000, 1010, 1000, None, tolerance=0.005)
    assert r.get("outcome_vs_budget").ok is False  # 1 % over budget
    assert r.get("outcome_vs_cost_lines").ok is False
    assert r.get("outcome_vs_financing").ok is None
    assert r.get("outcome_vs_financing").difference is None
    assert r.ok is False
    assert reconcile(1000, 900, 900, None).ok is None


# --------------------------------------------------------------------------- financing


def test_financing_shares_nis(nis_financiers: pd.DataFrame) -> None:
    """NIS 6.0: Tillväxtverket's share is 7 735 351 / 15 477 874; shares add to 1; total row sums."""
    out = financing_shares(nis_financiers)
    tv = out.set_index("name").loc["Tillväxtverket"]
    assert tv["share"] == pytest.approx(7_735_351 / 15_477_874)
    assert tv["share"] == pytest.approx(0.49977, abs=1e-5)
    total = out.iloc[-1]
    assert total["is_total"] and total["amount"] == 15_477_874 and total["share"] == 1.0
    assert out.loc[~out["is_total"], "share"].sum() == pytest.approx(1.0)


def test_financing_shares_not_reported_row_kept(nis_financiers: pd.DataFrame) -> None:
    """A not-reported amount keeps NaN amount and share with a note; others are shares of the reported total."""
    f = nis_financiers.copy()
    f.loc[6, "amount"] = NAN
    out = financing_shares(f)
    bj = out.set_index("name").loc["Bjurholms kommun"]
    assert math.isnan(bj["amount"]) and math.isnan(bj["share"]) and bj["note"] == "not reported"
    reported_total = 15_477_874 - 794_841
    assert out.iloc[-1]["amount"] == reported_total
    assert out.set_index("name").loc["Tillväxtverket", "share"] == pytest.approx(7_735_351 / reported_total)
    assert "1 of 7 not reported" in out.iloc[-1]["note"]


def test_financing_shares_rejects_negative() -> None:
    """A negative financing amount is an input error."""
    with pytest.raises(InputError, match="'amount' in financiers row 1 must be a number >= 0"):
        financing_shares(pd.DataFrame({"name": ["X"], "kind": ["state"], "amount": [-5.0]}))


# --------------------------------------------------------------------------- cost per


def test_cost_per_nis() -> None:
    """NIS 6.0: 15 470 690 kr per 503 firms, 2 949 participants and 43.5 jobs."""
    out = cost_per(
        NIS_OUTCOME_TOTAL,
        {"firm": (503, "slutrapport"), "participant": (2949, "slutrapport"), "job": (43.5, "slutrapport")},
    ).set_index("measure")
    assert out.loc["firm", "cost_per"] == pytest.approx(15_470_690 / 503)
    assert out.loc["firm", "cost_per"] == pytest.approx(30_756.84, abs=0.01)
    assert out.loc["participant", "cost_per"] == pytest.approx(15_470_690 / 2949)
    assert out.loc["participant", "cost_per"] == pytest.approx(5_246.08, abs=0.01)
    assert out.loc["job", "cost_per"] == pytest.approx(15_470_690 / 43.5)
    assert out.loc["job", "cost_per"] == pytest.approx(355_648.05, abs=0.01)
    assert out.loc["job", "denominator"] == 43.5 and out.loc["job", "source"] == "slutrapport"


def test_cost_per_not_reported_and_zero() -> None:
    """A None denominator gives NaN 'not reported'; zero gives NaN, not inf; missing outcome gives NaN."""
    out = cost_per(1000.0, {"firm": (None, "—"), "job": (0, "x"), "participant": (4, "y")})
    assert out["measure"].tolist() == ["firm", "job", "participant"]
    assert math.isnan(out["cost_per"].iloc[0]) and math.isnan(out["denominator"].iloc[0])
    assert out["note"].iloc[0] == "denominator not reported"
    assert math.isnan(out["cost_per"].iloc[1]) and out["note"].iloc[1] == "denominator is 0"
    assert out["cost_per"].iloc[2] == 250.0
    none = cost_per(None, {"firm": (10, "x")})
    assert math.isnan(none["cost_per"].iloc[0]) and none["note"].iloc[0] == "outcome not reported"


# --------------------------------------------------------------------------- funnel


def test_funnel_nba(nba_stages: pd.DataFrame) -> None:
    """NBA pyramid: 220/1200 = 0.1833, 70/220 = 0.3182, 20/70 = 0.2857, 20/1200 = 0.01667."""
    out = funnel(nba_stages.iloc[::-1])  # order column decides, not row order
    assert out["stage"].tolist() == ["Kontakter/besök", "Möten", "Analyser", "Fördjupningar"]
    prev = out["conversion_from_previous"].tolist()
    assert math.isnan(prev[0])
    assert prev[1:] == pytest.approx([0.1833, 0.3182, 0.2857], abs=5e-5)
    assert prev[1:] == pytest.approx([220 / 1200, 70 / 220, 20 / 70])
    assert out["conversion_from_first"].tolist() == pytest.approx([1.0, 220 / 1200, 70 / 1200, 20 / 1200])
    assert out["conversion_from_first"].iloc[-1] == pytest.approx(0.01667, abs=5e-6)


def test_funnel_not_reported_stage() -> None:
    """A not-reported stage count gives NaN conversions into and out of it, never a zero."""
    st = pd.DataFrame({"order": [1, 2, 3], "stage": ["a", "b", "c"], "count": [100, NAN, 10]})
    out = funnel(st)
    assert math.isnan(out["count"].iloc[1])
    assert math.isnan(out["conversion_from_previous"].iloc[1]) and math.isnan(out["conversion_from_previous"].iloc[2])
    assert out["conversion_from_first"].iloc[2] == pytest.approx(0.1)
    assert out["note"].iloc[1] == "not reported"
