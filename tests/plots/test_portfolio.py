"""Tests for evaluation.plots.portfolio: the portfolio figures have titles, units and a source line, and return their axes."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import minimal_spec, write_project
from matplotlib.figure import Figure

from evaluation.analysis import portfolio
from evaluation.core.model import Project
from evaluation.io.loader import load_project
from evaluation.plots import portfolio as portfolio_plots


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


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_figures_have_titles_units_and_source(three: list[Project], lang: str) -> None:
    """Every figure has a title, an axis label with a unit, a source line, and draws on a given ax."""
    table = portfolio.portfolio_table(three, "2024-12-31")
    figures = [portfolio_plots.plot_budget_outcome(table, lang=lang).figure,
               portfolio_plots.plot_cost_per_firm(table, lang=lang).figure,
               portfolio_plots.plot_attainment(three, "2024-12-31", lang=lang).figure]
    for fig in figures:
        ax = fig.axes[0]
        assert ax.get_title() and "(" in ax.get_xlabel()
        assert any(t.get_text().startswith(("Källa", "Source")) for t in fig.texts)
    host = Figure()
    ax = host.add_subplot(1, 1, 1)
    drawn = portfolio_plots.plot_cost_per_firm(table, ax, lang=lang)
    assert drawn is ax
    assert drawn.figure is host
