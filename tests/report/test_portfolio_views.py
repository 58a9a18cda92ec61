"""Tests for evaluation.report.portfolio_views (with portfolio_context and portfolio_appendix): the committee's report."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import minimal_spec, write_project

from evaluation.core.errors import InputError, ParameterError
from evaluation.core.model import Project
from evaluation.report import portfolio_views as views
from evaluation.report.params import parse_params
from evaluation.report.portfolio_context import PortfolioContext, region_project_ids

AS_OF = date(2024, 12, 31)


@pytest.fixture
def ctx(three: list[Project]) -> PortfolioContext:
    return PortfolioContext.build(tuple(sorted(three, key=lambda p: p.id)), AS_OF, "sv", None)


def test_first_page_is_not_empty(ctx: PortfolioContext) -> None:
    """The first page has the title, the key figures (projects, budget, outcome, statuses) and a chart."""
    html = views.first_page(ctx).text()
    assert "<h1>Portföljöversikt</h1>" in html
    assert "3\xa0000\xa0kr" in html and "1\xa0300\xa0kr" in html  # decided budget and outcome, summed over reporting projects
    assert "65,0\xa0%" in html  # 1 300 of the 2 000 kr decided by the projects reporting an outcome
    assert html.count("<img") == 1 and "<table" in html
    assert "gamma" in html and "ILLUSTRATIVA" in html


def test_each_view_has_a_table_and_a_chart(ctx: PortfolioContext) -> None:
    """Goals, funds, status, budget, EU indicators, cost and attention each show a table and a chart, numbered 1-7."""
    for number, view in enumerate((views.goals, views.funds, views.status, views.budget, views.eu_indicators,
                                   views.cost, views.attention), start=1):
        html = view(ctx).text()
        assert "<table" in html and "<img" in html, view.__name__
        assert f'<span class="section-number">{number}</span>' in html, view.__name__
        assert "gamma *" in html, view.__name__  # every view naming the illustrative project marks it


def test_eu_view_lists_what_is_not_summable(ctx: PortfolioContext) -> None:
    """The EU view sums RCO01 over alpha and beta and lists beta's jobs (other unit) and gamma (not reported)."""
    html = views.eu_indicators(ctx).text()
    assert "14,0" in html and "alpha, beta" in html
    assert "annan enhet" in html or "another unit" in html
    rows = re.findall(r"<tr><td>(\w+)[ *]*</td><td>(\w+)</td><td>(RC\w+)</td>", html)
    assert ("beta", "jobs", "RCR01") in rows and ("gamma", "firms", "RCO01") in rows


def test_cost_view_states_the_caveats(ctx: PortfolioContext) -> None:
    """The cost view puts the caveats beside the figures: outcomes, periods and stages, target groups."""
    html = views.cost(ctx).text()
    assert html.count("<li>") == 4 and "100\xa0kr" in html and "400\xa0kr" in html


def test_appendix_has_one_page_per_project(ctx: PortfolioContext) -> None:
    """One page-breaking heading per project, the illustrative one with its banner."""
    html = views.appendix(ctx).text()
    assert html.count('class="appendix-page"') == 3
    assert html.count("break-before:page") == 3
    gamma = html.split("(gamma)")[1]
    assert "ILLUSTRATIVA" in gamma.split('class="appendix-page"')[0]


def test_key_figures_are_plain_json(ctx: PortfolioContext) -> None:
    """The JSON has the summary, each project's status and the EU totals, with NaN as null."""
    data = views.key_figures(ctx).data
    json.dumps(data, allow_nan=False)
    assert data["n_projects"] == 3 and data["projects"] == ["alpha", "beta", "gamma"]
    assert data["eu_indicators"]["RCO01"]["total"] == 14.0 and data["illustrative_projects"] == ["gamma"]
    assert {"project": "beta", "indicator": "jobs", "code": "RCR01", "reason": "other_unit"} in data["not_summable"]


def test_region_selects_its_projects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A region's projects are those whose project.yaml names the region; an unknown region is an error."""
    from evaluation.core import settings

    for pid, region in (("p1", "gavleborg"), ("p2", "Västerbotten"), ("p3", "gavleborg")):
        spec = minimal_spec()
        spec.update({"id": pid, "region": region})
        write_project(tmp_path / "data", spec)
    with settings.use(home=tmp_path):
        assert region_project_ids("gavleborg") == ["p1", "p3"]
        with pytest.raises(InputError, match="region"):
            views.open_portfolio(region="nowhere", as_of="2024-12-31")


def test_params_kind_portfolio_needs_an_existing_region(tmp_path: Path) -> None:
    """kind 'portfolio' needs region: <id> with regions/<id>/region.yaml; 'appraisal' is a kind."""
    from evaluation.core import settings

    with settings.use(home=tmp_path):
        with pytest.raises(ParameterError, match="'region' in .* must be a region id"):
            parse_params({"project": "x", "kind": "portfolio", "as_of": "2024-12-31"})
        (tmp_path / "regions" / "x").mkdir(parents=True)
        (tmp_path / "regions" / "x" / "region.yaml").write_text("id: x\n", encoding="utf-8")
        params = parse_params({"project": "x", "kind": "portfolio", "region": "x", "as_of": "2024-12-31"})
        assert params.notebook_path().name == "portfolio.ipynb" and params.notebook_parameters()["region"] == "x"
        appraisal = parse_params({"project": "p", "kind": "appraisal", "as_of": "2024-12-31"}, project_exists=None)
        assert appraisal.notebook_path().name == "appraisal.ipynb" and "region" not in appraisal.notebook_parameters()
