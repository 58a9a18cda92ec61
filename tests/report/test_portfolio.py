"""Tests for evaluation.report.portfolio (the views) and the thin notebook notebooks/portfolio.ipynb."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from evaluation.analysis import portfolio
from evaluation.core.model import Project
from evaluation.report import portfolio as portfolio_views
from evaluation.report.display import KeyFigures

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "portfolio.ipynb"



def test_views_mark_illustrative_and_missing(three: list[Project]) -> None:
    """The report table marks illustrative projects and shows missing values as 'uppgift saknas'."""
    table = portfolio.portfolio_table(three, "2024-12-31")
    html = portfolio_views.portfolio_view(table, "sv").html
    assert "Projekt gamma (illustrativt)" in html and "Projekt alpha (illustrativt)" not in html
    assert "uppgift saknas" in html
    en = portfolio_views.eu_totals_view(portfolio.eu_indicator_totals(three, "2024-12-31", "en"), "en").html
    assert "Enterprises supported" in en and "2 of 3" in en
    notice = portfolio_views.illustrative_notice(three, "sv").html
    assert "gamma" in notice and "alpha" not in notice
    assert portfolio_views.illustrative_notice([p for p in three if p.id == "alpha"], "sv").html == ""


def test_key_figures_are_plain_json(three: list[Project]) -> None:
    """Key figures sum what is reported and keep None for a total nobody reports."""
    table = portfolio.portfolio_table(three, "2024-12-31")
    totals = portfolio.eu_indicator_totals(three, "2024-12-31")
    figures = portfolio_views.key_figures(table, totals)
    assert figures["outcome_total_sek"] == 1300.0 and figures["n_projects_reporting_outcome"] == 2
    assert figures["illustrative_projects"] == ["gamma"]
    assert figures["eu_indicators"]["RCO01"] == {"unit": "företag", "total": 14.0, "n_contributing": 2}
    json.dumps(KeyFigures(figures).data, allow_nan=False)


def test_notebook_is_thin_and_stored_without_outputs() -> None:
    """The portfolio notebook has a parameters cell (a region or a list of projects), no outputs, only view calls."""
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    params = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1
    assert {t.id for t in ast.parse("".join(params[0]["source"])).body for t in t.targets} == {  # type: ignore[attr-defined]
        "projects", "region", "as_of", "language", "project", "kind", "formats", "small_cell_threshold"}
    forbidden = (ast.FunctionDef, ast.Lambda, ast.ClassDef, ast.For, ast.While, ast.If, ast.BinOp,
                 ast.ListComp, ast.DictComp, ast.GeneratorExp, ast.Subscript, ast.Compare)
    for cell in code:
        assert cell["outputs"] == [] and cell["execution_count"] is None
        if "guard_parameters(" in "".join(cell["source"]):
            continue  # the guard cell before the parameters refuses code in injected parameters (test_notebooks)
        tree = ast.parse("".join(cell["source"]))
        assert not [n for n in ast.walk(tree) if isinstance(n, forbidden)], "".join(cell["source"])
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            assert isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name)
            assert call.func.value.id == "portfolio_views"
