"""Tests for evaluation/plots/qualitative.py: the theme heat map leaves hidden groups out; dissemination bars per channel."""

from __future__ import annotations

from datetime import date

import matplotlib

matplotlib.use("Agg")
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from evaluation.analysis import dissemination, interviews
from evaluation.core.model import DisseminationActivity, Excerpt, Interview, Project
from evaluation.plots import qualitative


def _project() -> Project:
    ivs = tuple(Interview(id=f"f{i}", group="participating_firm") for i in range(6)) + (Interview(id="p1", group="financier"),)
    ex = (Excerpt("f0", "net", "positive"), Excerpt("f1", "net", "negative"), Excerpt("p1", "net", "positive"))
    acts = (DisseminationActivity("d1", "media", "A", date(2024, 1, 1)), DisseminationActivity("d2", "media", "B"),
            DisseminationActivity("d3", "website", "C", reach=10))
    return Project(id="x", name="X", fund="ERUF", programme="P", owner=None, start=date(2024, 1, 1), end=date(2025, 1, 1),
                   interviews=ivs, excerpts=ex, dissemination=acts)


def test_heat_map_shows_only_shown_groups() -> None:
    """The financier group (1 interview, hidden at 5) and the firms hidden with it are not drawn: no column at all."""
    m = interviews.theme_matrix(_project(), 5)
    ax = qualitative.plot_theme_matrix(m, lang="en")
    assert isinstance(ax, Axes) and not ax.images and [t.get_text() for t in ax.texts] == ["not reported"]
    m2 = interviews.theme_matrix(_project(), 1)
    ax2 = qualitative.plot_theme_matrix(m2, lang="en", theme_labels={"net": "Networks"})
    assert [t.get_text() for t in ax2.get_xticklabels()] == ["Participating firms", "Financiers"]
    assert [t.get_text() for t in ax2.get_yticklabels()] == ["Networks"]
    assert sorted(t.get_text() for t in ax2.texts) == ["1", "2"]


def test_plots_draw_on_given_axes() -> None:
    """ax given -> the same axes returned; bars per channel with their counts."""
    ax = Figure().add_subplot(1, 1, 1)
    out = qualitative.plot_dissemination_by_channel(dissemination.by_channel(_project()), ax, lang="sv")
    assert out is ax and [t.get_text() for t in ax.get_yticklabels()] == ["Media", "Webbplats"]
    assert [p.get_width() for p in ax.patches] == [2.0, 1.0]


def test_empty_inputs_say_not_reported() -> None:
    """No channels: the chart says 'uppgift saknas' instead of drawing bars."""
    ax = qualitative.plot_dissemination_by_channel(dissemination.by_channel(Project(
        id="x", name="X", fund="ERUF", programme="P", owner=None, start=date(2024, 1, 1), end=date(2025, 1, 1))), lang="sv")
    assert [t.get_text() for t in ax.texts] == ["uppgift saknas"] and not ax.patches
