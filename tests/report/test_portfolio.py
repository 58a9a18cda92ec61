"""Tests for evaluation.report.portfolio and the thin notebook notebooks/portfolio.ipynb."""

from __future__ import annotations

import ast
import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import minimal_spec, write_project
from matplotlib.figure import Figure

from evaluation.authoring.synthetic import write_synthetic_project
from evaluation.core.errors import InputError
from evaluation.core.model import Project
from evaluation.io.loader import load_project
from evaluation.report import portfolio
from evaluation.report.display import KeyFigures

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "portfolio.ipynb"


def _indicator(ind_id: str, unit: str, level: str, code: str | None, target: float | None) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "id": ind_id, "name": ind_id.capitalize(), "unit": unit, "level": level,
        "measures": ["e_out" if level == "output" else "e_st"],
        "baseline": {"value": 0, "date": date(2024, 1, 1)}, "aggregation": "cumulative", "source": "src",
    }
    if target is not None:
        spec["target"] = {"value": target, "date": date(2025, 12, 31)}
    if ind_id == "participants":  # the role the reports and the portfolio use (no EU code here)
        spec["role"] = "participants"
    if code is not None:
        spec["code"] = code
    return spec


def _project(root: Path, pid: str, indicators: list[dict[str, Any]], values: list[dict[str, Any]],
             outcome: float | None, status: str = "published") -> Project:
    spec = minimal_spec()
    spec["id"] = pid
    spec["name"] = f"Projekt {pid}"
    spec["data_status"] = status
    spec["budget"] = {"total": 1000} if outcome is None else {"total": 1000, "outcome_total": outcome}
    spec["indicators"] = indicators
    first = indicators[0]["id"]
    for crit in spec["horizontal"]:
        crit["indicators"] = [first]
    tables = {"indicator_values": [{"source": "src", "status": "verified", **v} for v in values]} if values else {}
    return load_project(write_project(root, spec, tables))


@pytest.fixture
def three(tmp_path: Path) -> list[Project]:
    """alpha reports everything; beta has no outcome and jobs in another unit; gamma reports nothing."""
    alpha = _project(
        tmp_path, "alpha",
        [_indicator("firms", "företag", "output", "RCO01", 10), _indicator("jobs", "årsarbetskrafter", "short_term", "RCR01", 5),
         _indicator("participants", "personer", "output", None, None)],
        [{"indicator": "firms", "period_end": "2024-06-30", "value": 4},
         {"indicator": "firms", "period_end": "2024-12-31", "value": 8},
         {"indicator": "jobs", "period_end": "2024-12-31", "value": 2},
         {"indicator": "participants", "period_end": "2024-12-31", "value": 20, "women": 12, "men": 8}],
        outcome=800,
    )
    beta = _project(
        tmp_path, "beta",
        [_indicator("firms", "företag", "output", "RCO01", 10), _indicator("jobs", "heltidstjänster", "short_term", "RCR01", None)],
        [{"indicator": "firms", "period_end": "2024-12-31", "value": 6},
         {"indicator": "jobs", "period_end": "2024-12-31", "value": 3}],
        outcome=None,
    )
    gamma = _project(
        tmp_path, "gamma",
        [_indicator("firms", "företag", "output", "RCO01", 10)],
        [{"indicator": "firms", "period_end": "2024-12-31", "value": "", "status": "not_reported"}],
        outcome=500, status="illustrative",
    )
    return [gamma, alpha, beta]


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


def test_views_mark_illustrative_and_missing(three: list[Project]) -> None:
    """The report table marks illustrative projects and shows missing values as 'uppgift saknas'."""
    table = portfolio.portfolio_table(three, "2024-12-31")
    html = portfolio.portfolio_view(table, "sv").html
    assert "Projekt gamma (illustrativt)" in html and "Projekt alpha (illustrativt)" not in html
    assert "uppgift saknas" in html
    en = portfolio.eu_totals_view(portfolio.eu_indicator_totals(three, "2024-12-31", "en"), "en").html
    assert "Enterprises supported" in en and "2 of 3" in en
    notice = portfolio.illustrative_notice(three, "sv").html
    assert "gamma" in notice and "alpha" not in notice
    assert portfolio.illustrative_notice([p for p in three if p.id == "alpha"], "sv").html == ""


def test_key_figures_are_plain_json(three: list[Project]) -> None:
    """Key figures sum what is reported and keep None for a total nobody reports."""
    table = portfolio.portfolio_table(three, "2024-12-31")
    totals = portfolio.eu_indicator_totals(three, "2024-12-31")
    figures = portfolio.key_figures(table, totals)
    assert figures["outcome_total_sek"] == 1300.0 and figures["n_projects_reporting_outcome"] == 2
    assert figures["illustrative_projects"] == ["gamma"]
    assert figures["eu_indicators"]["RCO01"] == {"unit": "företag", "total": 14.0, "n_contributing": 2}
    json.dumps(KeyFigures(figures).data, allow_nan=False)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_figures_have_titles_units_and_source(three: list[Project], lang: str) -> None:
    """Every figure has a title, an axis label with a unit, a source line, and draws on a given ax."""
    table = portfolio.portfolio_table(three, "2024-12-31")
    figures = [portfolio.plot_budget_outcome(table, lang=lang), portfolio.plot_cost_per_firm(table, lang=lang),
               portfolio.plot_attainment(three, "2024-12-31", lang=lang)]
    for fig in figures:
        ax = fig.axes[0]
        assert ax.get_title() and "(" in ax.get_xlabel()
        assert any(t.get_text().startswith(("Källa", "Source")) for t in fig.texts)
    host = Figure()
    ax = host.add_subplot(1, 1, 1)
    assert portfolio.plot_cost_per_firm(table, ax, lang=lang) is host


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


def test_notebook_is_thin_and_stored_without_outputs() -> None:
    """The portfolio notebook has a parameters cell, no outputs, and no definitions or computation."""
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    params = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1
    assert {t.id for t in ast.parse("".join(params[0]["source"])).body for t in t.targets} == {  # type: ignore[attr-defined]
        "projects", "as_of", "language"}
    forbidden = (ast.FunctionDef, ast.Lambda, ast.ClassDef, ast.For, ast.While, ast.If, ast.BinOp,
                 ast.ListComp, ast.DictComp, ast.GeneratorExp, ast.Subscript, ast.Compare)
    for cell in code:
        assert cell["outputs"] == [] and cell["execution_count"] is None
        tree = ast.parse("".join(cell["source"]))
        assert not [n for n in ast.walk(tree) if isinstance(n, forbidden)], "".join(cell["source"])
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            assert isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name)
            assert call.func.value.id in {"portfolio", "display"}


def test_table_columns_have_float_dtype_for_figures(three: list[Project]) -> None:
    """Numeric columns are float (NaN-able), counts are integers."""
    table = portfolio.portfolio_table(three)
    assert table["firms_reached"].dtype == float and table["n_targets"].dtype == "int64"
    assert isinstance(table, pd.DataFrame)
