"""Tests for evaluation.plots.firms: the event-study chart."""

from __future__ import annotations

from evaluation.analysis import firms as F
from evaluation.plots.firms import plot_event_study


def test_plot_event_study_returns_labelled_axes() -> None:
    """The plot has a title and axis labels with units, in Swedish by default, and draws on (and returns) a given ax."""
    from matplotlib.figure import Figure

    es = F.event_study(F.synthetic_panel(200, 8, 2.0, False, 4), "employees")
    fig = plot_event_study(es).figure
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == "Effekt på antal anställda per år i förhållande till start"
    assert ax.get_ylabel() == "Skattad effekt på antal anställda (personer)"
    assert "År i förhållande" in ax.get_xlabel()
    fig2 = Figure()
    ax2 = fig2.add_subplot(1, 1, 1)
    assert plot_event_study(es, ax=ax2, lang="en").figure is fig2
    assert plot_event_study(es, ax=ax2, lang="en") is ax2
    assert ax2.get_ylabel() == "Estimated effect on number of employees (persons)"
