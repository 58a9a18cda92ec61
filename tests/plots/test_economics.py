"""Tests for evaluation.plots.economics: budget, financing and funnel figures on NIS 6.0 and NBA published figures."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from conftest import NIS_COSTS
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from evaluation.analysis.economics import budget_vs_outcome, financing_shares, funnel
from evaluation.core.errors import InputError
from evaluation.plots.economics import plot_budget_vs_outcome, plot_financing, plot_funnel

NAN = float("nan")


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.texts]


def _renders(fig: Figure) -> bool:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getbuffer().nbytes > 0


def test_plot_budget_vs_outcome_labels(nis_lines: pd.DataFrame) -> None:
    """Budget plot: Figure with Swedish title, kr axis label, legend Budget/Utfall and the source line."""
    drawn = plot_budget_vs_outcome(budget_vs_outcome(nis_lines), source="NIS 6.0 slutrapport")
    assert isinstance(drawn, Axes)
    fig = drawn.figure
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == "Budget och utfall per kostnadsslag"
    assert ax.get_xlabel() == "Belopp (kr)" and ax.get_ylabel() == "Kostnadsslag"
    assert "Källa: NIS 6.0 slutrapport" in _texts(fig)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Budget", "Utfall"]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(NIS_COSTS)
    assert sum(t.get_text() == "ej rapporterad" for t in ax.texts) == 5
    assert _renders(fig)


def test_plot_budget_vs_outcome_english_and_given_ax() -> None:
    """English labels on request; drawing on a given ax returns that ax, in its figure."""
    lines = pd.DataFrame({"category": ["A"], "budget": [10.0], "outcome": [8.0]})
    host = Figure()
    ax = host.add_subplot()
    drawn = plot_budget_vs_outcome(lines, ax=ax, source="test", language="en")
    assert drawn is ax
    fig = drawn.figure
    assert fig is host
    assert ax.get_title() == "Budget and outcome by cost category"
    assert "SEK" in ax.get_xlabel()
    assert "Source: test" in _texts(fig)
    with pytest.raises(InputError, match="language"):
        plot_budget_vs_outcome(lines, language="de")  # type: ignore[arg-type]


def test_plot_financing_labels(nis_financiers: pd.DataFrame) -> None:
    """Financing plot: title, kr axis, share labels in Swedish format, kinds in the legend, source line."""
    fig = plot_financing(financing_shares(nis_financiers), source="NIS 6.0 slutrapport").figure
    ax = fig.axes[0]
    assert ax.get_title() == "Finansiering per finansiär"
    assert "kr" in ax.get_xlabel() and ax.get_ylabel() == "Finansiär"
    assert "Källa: NIS 6.0 slutrapport" in _texts(fig)
    assert "50,0 %" in [t.get_text() for t in ax.texts]  # 7 735 351 / 15 477 874 = 49.98 %
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Stat", "Region", "Kommun"]
    assert _renders(fig)


def test_plot_funnel_labels(nba_stages: pd.DataFrame) -> None:
    """Funnel plot: title, axis labels, conversion labels and the source line; missing source is flagged."""
    fig = plot_funnel(funnel(nba_stages), source="North Business Arena").figure
    ax = fig.axes[0]
    assert ax.get_title() and ax.get_xlabel() == "Antal (st)" and ax.get_ylabel() == "Steg"
    assert "Källa: North Business Arena" in _texts(fig)
    labels = [t.get_text() for t in ax.texts]
    assert "1 200" in labels and "220 (18,3 % av föregående)" in labels
    assert _renders(fig)
    assert "Källa: ej angiven" in _texts(plot_funnel(nba_stages).figure)
