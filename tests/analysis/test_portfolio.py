"""Tests for evaluation.analysis.portfolio: the portfolio table and the EU common indicators summed over projects."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from evaluation.analysis import portfolio
from evaluation.authoring.synthetic import write_synthetic_project
from evaluation.core.errors import InputError
from evaluation.core.model import Project
from evaluation.io.loader import load_project


def test_portfolio_table_known_values(three: list[Project]) -> None:
    """alpha: 8 firms, 20 participants (60 % women), 2 jobs, 100 kr per firm and 400 per job."""
    table = portfolio.portfolio_table(three, "2024-12-31")
    assert list(table.columns) == list(portfolio.PORTFOLIO_COLUMNS)
    assert list(table["project"]) == ["alpha", "beta", "gamma"]
    a = table.iloc[0]
    assert (a.budget_total, a.outcome_total, a.firms_reached, a.participants, a.jobs) == (1000, 800, 8, 20, 2)
    assert a.share_women == pytest.approx(0.6)
    assert a.cost_per_firm == pytest.approx(100.0) and a.cost_per_job == pytest.approx(400.0)
    assert (a.n_targets, a.n_targets_met, a.n_targets_not_reported) == (2, 0, 0)
    assert a.attainment_median == pytest.approx(0.6) and a.attainment_min == pytest.approx(0.4)


def test_missing_figures_are_nan_never_zero(three: list[Project]) -> None:
    """No outcome, no participants, a not-reported indicator: NaN in the table, never 0."""
    table = portfolio.portfolio_table(three, "2024-12-31").set_index("project")
    assert math.isnan(table.loc["beta", "outcome_total"]) and math.isnan(table.loc["beta", "cost_per_firm"])
    assert math.isnan(table.loc["beta", "participants"]) and math.isnan(table.loc["beta", "share_women"])
    assert table.loc["beta", "jobs"] == 3
    assert math.isnan(table.loc["gamma", "firms_reached"]) and math.isnan(table.loc["gamma", "jobs"])
    assert math.isnan(table.loc["gamma", "cost_per_firm"])
    assert table.loc["gamma", "n_targets_not_reported"] == 1 and math.isnan(table.loc["gamma", "attainment_median"])
    assert bool(table.loc["gamma", "illustrative"]) and not bool(table.loc["alpha", "illustrative"])


def test_as_of_cuts_later_periods(three: list[Project]) -> None:
    """At 2024-06-30 alpha has reached 4 firms, and jobs are not yet reported."""
    table = portfolio.portfolio_table(three, date(2024, 6, 30)).set_index("project")
    assert table.loc["alpha", "firms_reached"] == 4
    assert math.isnan(table.loc["alpha", "jobs"]) and table.loc["alpha", "n_targets_not_reported"] == 1


def test_known_actuals_give_the_table_it_computes_itself(three: list[Project]) -> None:
    """known_actuals at 2024-06-30 (firms 4, no jobs yet) passed as actuals give the table computed without them."""
    when = date(2024, 6, 30)
    known = {p.id: portfolio.known_actuals(p, when) for p in three}
    assert known["alpha"][portfolio.firms_indicator(three[0]).id] == 4  # type: ignore[union-attr]
    pd.testing.assert_frame_equal(portfolio.portfolio_table(three, when, known), portfolio.portfolio_table(three, when),
                                  check_exact=True)


def test_actuals_given_are_the_ones_the_table_shows(three: list[Project]) -> None:
    """A firms figure passed in actuals is the one the table shows (the table does not compute it again)."""
    firms = portfolio.firms_indicator(three[0])
    assert firms is not None
    table = portfolio.portfolio_table(three, "2024-12-31", {"alpha": {firms.id: 5.0}}).set_index("project")
    assert table.loc["alpha", "firms_reached"] == 5 and table.loc["alpha", "cost_per_firm"] == pytest.approx(160.0)


def test_eu_totals_sum_only_reporting_projects_in_one_unit(three: list[Project]) -> None:
    """RCO01 = 8 + 6 with gamma missing; RCR01 mixes units, so only one unit is summed."""
    totals = portfolio.eu_indicator_totals(three, "2024-12-31").set_index("code")
    assert list(totals.index) == ["RCO01", "RCR01"]
    rco = totals.loc["RCO01"]
    assert (rco.total, rco.n_contributing, rco.n_projects) == (14.0, 2, 3)
    assert (rco.contributing, rco.missing, rco.other_unit) == ("alpha, beta", "gamma", "")
    assert rco["name"] == "Företag som får stöd" and rco.unit == "företag"
    rcr = totals.loc["RCR01"]
    assert rcr.unit == "heltidstjänster" and rcr.total == 3.0 and rcr.n_contributing == 1
    assert (rcr.missing, rcr.other_unit) == ("gamma", "alpha")


def test_eu_total_of_a_code_nobody_reports_is_nan(three: list[Project]) -> None:
    """When no project has a reported value for a code the total is NaN, not 0."""
    totals = portfolio.eu_indicator_totals([p for p in three if p.id == "gamma"])
    assert len(totals) == 1 and math.isnan(totals.iloc[0]["total"]) and totals.iloc[0]["n_contributing"] == 0


def test_load_projects_reports_every_broken_project(tmp_path: Path) -> None:
    """Loading a list with two broken projects raises one InputError naming both."""
    for pid in ("syn01", "syn02", "syn03"):
        write_synthetic_project(tmp_path, pid, 1, broken=pid != "syn01")
    with pytest.raises(InputError) as info:
        portfolio.load_projects(["syn01", "syn02", "syn03"], data_dir=tmp_path)
    text = str(info.value)
    assert "syn02" in text and "syn03" in text and "syn01" not in text
    loaded = portfolio.load_projects(["syn01"], data_dir=tmp_path)
    assert [p.id for p in loaded] == ["syn01"]


def test_nis60_row_matches_its_final_report() -> None:
    """nis60: 503 firms, 2 949 participants of whom 1 466 women, 43.5 jobs, both targets met."""
    nis60 = load_project(Path(__file__).resolve().parents[2] / "data" / "nis60")
    row = portfolio.portfolio_table([nis60]).iloc[0]
    assert (row.firms_reached, row.participants, row.jobs) == (503, 2949, 43.5)
    assert row.share_women == pytest.approx(1466 / 2949)
    assert row.cost_per_firm == pytest.approx(15470690 / 503)
    assert (row.n_targets, row.n_targets_met) == (2, 2)
    assert portfolio.eu_indicator_totals([nis60]).empty


def test_table_columns_have_float_dtype_for_figures(three: list[Project]) -> None:
    """Numeric columns are float (NaN-able), counts are integers."""
    table = portfolio.portfolio_table(three)
    assert table["firms_reached"].dtype == float and table["n_targets"].dtype == "int64"
    assert isinstance(table, pd.DataFrame)
