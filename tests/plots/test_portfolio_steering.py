"""Tests for evaluation.plots.portfolio_steering: each view's chart draws what its table holds."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from evaluation.analysis import portfolio_steering as ps
from evaluation.core.model import Project
from evaluation.plots import portfolio_steering as charts

AS_OF = "2024-12-31"


def _texts(ax: object) -> list[str]:
    return [t.get_text() for t in ax.texts]  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_view_has_a_titled_chart_with_a_source(three: list[Project], lang: str) -> None:
    """Each chart has a title, an x label, a source line, and draws on a given ax."""
    status = ps.project_status(three, AS_OF)
    sums, out = ps.eu_rollup(three, AS_OF, lang)  # type: ignore[arg-type]
    watch = ps.attention(three, {}, {"alpha": 90.0, "beta": None, "gamma": 40.0}, status)
    axes = [
        charts.plot_status(ps.status_counts(status), lang=lang),  # type: ignore[arg-type]
        charts.plot_effect_goals(ps.by_effect_goal(three), lang=lang),  # type: ignore[arg-type]
        charts.plot_funds(ps.by_fund(three), lang=lang),  # type: ignore[arg-type]
        charts.plot_financiers(ps.by_financier(three), lang=lang),  # type: ignore[arg-type]
        charts.plot_spending(ps.spending(three, AS_OF), lang=lang),  # type: ignore[arg-type]
        charts.plot_eu_coverage(sums, out, lang=lang),  # type: ignore[arg-type]
        charts.plot_cost_per_outcome(ps.cost_per_outcome(three, AS_OF), lang=lang),  # type: ignore[arg-type]
        charts.plot_attention(watch, ps.ATTENTION_COHERENCE, lang=lang),  # type: ignore[arg-type]
    ]
    for ax in axes:
        assert ax.get_title() and ax.get_xlabel()
        assert any(t.get_text().startswith(("Källa", "Source")) for t in ax.figure.texts)
    host = Figure()
    ax = host.add_subplot(1, 1, 1)
    assert charts.plot_status(ps.status_counts(status), ax, lang=lang) is ax  # type: ignore[arg-type]


def test_status_bars_count_projects(three: list[Project]) -> None:
    """The status chart's bars are the number of projects per status, in the order of PROJECT_STATUSES."""
    status = ps.project_status(three, AS_OF)
    ax = charts.plot_status(ps.status_counts(status), lang="en")
    widths = [p.get_width() for p in ax.patches]
    assert widths == [0, 0, 0, 3]  # two values at most per indicator: all too early to tell
    assert [t.get_text() for t in ax.get_yticklabels()] == ["On track", "At risk", "Off track", "Too early to tell"]


def test_missing_values_are_marked_not_drawn(three: list[Project]) -> None:
    """A project without an outcome gets 'not reported' on the spending and cost charts, never a bar of 0 read as a value."""
    ax = charts.plot_spending(ps.spending(three, AS_OF), lang="sv")
    assert "uppgift saknas" in " ".join(_texts(ax))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["alpha", "beta", "gamma *"]
    cost = charts.plot_cost_per_outcome(ps.cost_per_outcome(three, AS_OF), lang="en")
    per_firm = [p.get_width() for p in cost.patches[:3]]
    assert per_firm == pytest.approx([0.1, 0.0, 0.0])  # alpha 800 SEK / 8 firms = 0.1 kSEK; beta, gamma none
    assert sum(" not reported" in t for t in _texts(cost)) == 2  # beta (no outcome), gamma (no counts)
