"""Tests for evaluation.plots.portfolio: the portfolio figures have titles, units and a source line, and return their axes."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from evaluation.analysis import portfolio
from evaluation.core.model import Project
from evaluation.plots import portfolio as portfolio_plots


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
