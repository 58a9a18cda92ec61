"""Tests for evaluation.plots.process: the P2 charts of activities per period and per activity.

The small project below has two work packages and three activities (as in tests/analysis/test_process.py);
a count that is not reported is never drawn as a bar.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import activities_project, minimal_spec, write_project
from matplotlib.figure import Figure

from evaluation.core.model import Project
from evaluation.io.loader import load_project
from evaluation.plots import process as plots_process


# activity -> work package: a1 -> wp1, a2 -> wp2, a3 -> wp2
@pytest.fixture
def project(tmp_path: Path) -> Project:
    """Two work packages, three activities, two not-reported counts (conftest.ACTIVITIES)."""
    return activities_project(tmp_path)

def _bars(fig: Figure) -> list[list[float]]:
    ax = fig.axes[0]
    return [[float(r.get_height()) for r in c] for c in ax.containers]


def test_plot_activities_bars_title_axes_source(project: Project) -> None:
    """plot_activities: title, axis labels, source line, one band per work package, one bar per quarter."""
    fig = plots_process.plot_activities(project, lang="sv", source="Testkälla").figure
    ax = fig.axes[0]
    assert ax.get_title() == "Genomförda aktiviteter per period"
    assert ax.get_ylabel() == "Antal aktiviteter (st)" and ax.get_xlabel() == "Period (slutdatum)"
    assert "Källa: Testkälla" in [t.get_text() for t in fig.texts]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    heights = _bars(fig)
    assert len(heights) == 2 and all(len(h) == len(ticks) for h in heights)
    by_quarter = dict(zip(ticks, zip(*heights)))
    assert by_quarter["2024 K1"] == (2.0, 0.0) and by_quarter["2025 K2"] == (0.0, 4.0)
    assert sum(1 for h in heights for v in h if v > 0) == 4  # the four reported quarter counts
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["wp1 Arbetspaket 1", "wp2 Arbetspaket 2"]


def test_plot_activities_english(project: Project) -> None:
    """plot_activities in English: English title, labels and "Source:" line."""
    fig = plots_process.plot_activities(project, lang="en", freq="Y", source="Test source").figure
    ax = fig.axes[0]
    assert ax.get_title() == "Activities carried out per period"
    assert ax.get_ylabel() == "Number of activities" and ax.get_xlabel() == "Period (end date)"
    assert "Source: Test source" in [t.get_text() for t in fig.texts]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2024", "2025"]
    assert _bars(fig) == [[5.0, 0.0], [1.0, 4.0]]


def test_plot_activities_without_data_says_missing(tmp_path: Path) -> None:
    """plot_activities without activities: no bars and the text "uppgift saknas"."""
    project = load_project(write_project(tmp_path, minimal_spec()))
    fig = plots_process.plot_activities(project, source="Testkälla").figure
    ax = fig.axes[0]
    assert ax.containers == [] and "uppgift saknas" in [t.get_text() for t in ax.texts]


def test_plot_activity_totals_one_bar_per_reported_activity(project: Project) -> None:
    """plot_activity_totals: a bar for a1 and a2 (5 each), none for never-reported a3; labels and source."""
    fig = plots_process.plot_activity_totals(project, lang="sv", source="Testkälla").figure
    ax = fig.axes[0]
    assert ax.get_title() == "Genomförda aktiviteter" and ax.get_xlabel() == "Antal tillfällen (st)"
    assert "Källa: Testkälla" in [t.get_text() for t in fig.texts]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a1: Aktivitet", "a2: Aktivitet två"]
    assert [float(p.get_width()) for p in ax.patches] == [5.0, 5.0]
    assert [t.get_text() for t in ax.texts] == [" 5", " 5"]


def test_plot_draws_on_given_axes(project: Project) -> None:
    """With ax= the chart is drawn on that axes, which is returned (in its figure)."""
    fig = Figure()
    ax = fig.add_subplot(1, 1, 1)
    drawn = plots_process.plot_activities(project, ax=ax)
    assert drawn is ax
    assert drawn.figure is fig
    assert len(ax.containers) == 2
    assert np.isclose(sum(float(r.get_height()) for c in ax.containers for r in c), 2 + 3 + 1 + 4)
