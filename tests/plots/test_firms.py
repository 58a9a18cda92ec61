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


def _segments(ax: object, gid: str) -> list[tuple[float, float, float]]:
    """(x, low, high) of each vertical line in the collection of ``ax`` whose gid is ``gid``."""
    collection = next(c for c in ax.collections if c.get_gid() == gid)  # type: ignore[attr-defined]
    return [(float(s[0][0]), float(min(s[0][1], s[1][1])), float(max(s[0][1], s[1][1]))) for s in collection.get_segments()]


def test_dynamic_effects_chart_draws_the_uniform_band_from_the_analysis() -> None:
    """The dark bars are Callaway & Sant'Anna's uniform band (pinned), wider than the lighter pointwise intervals."""
    import numpy as np
    import pytest

    from evaluation.plots.firms import POINTWISE_BAND, UNIFORM_BAND, plot_dynamic_effects

    panel = F.synthetic_panel(120, 8, 2.0, True, 3, share_participants=0.5, heterogeneous=True)
    result = F.callaway_santanna(panel, "employees", boot_iterations=199, seed=1)
    ax = plot_dynamic_effects(result)
    uniform = _segments(ax, UNIFORM_BAND)
    expected = {-5: (-0.772055, 1.078445), -1: (-0.751805, 0.316841), 0: (2.651441, 3.738278), 3: (6.073137, 7.937132),
                5: (8.201899, 11.385065)}
    drawn = {int(x): (lo, hi) for x, lo, hi in uniform}
    assert sorted(drawn) == list(range(-5, 6))
    for e, (lo, hi) in expected.items():
        assert drawn[e] == pytest.approx((lo, hi), abs=1e-6)
    for (_x, lo, hi), (_, plo, phi) in zip(uniform, _segments(ax, POINTWISE_BAND)):
        assert lo < plo and phi < hi  # the uniform band holds for all years at once: wider than each pointwise interval
    row = result.dynamic.set_index("rel_time").loc[0]
    assert _segments(ax, POINTWISE_BAND)[5][1:] == pytest.approx(
        (row["coefficient"] - 1.959964 * row["std_error"], row["coefficient"] + 1.959964 * row["std_error"]), abs=1e-5)
    assert ax.get_title() == "Effekt på antal anställda per år i förhållande till start (Callaway & Sant'Anna)"
    labels = ax.get_legend_handles_labels()[1]
    assert "Likformigt 95 %-band (alla år samtidigt)" in labels and "Punktvisa 95 %-intervall" in labels
    kept = result.dynamic.loc[result.dynamic["rel_time"] >= -2]
    assert [int(x) for x, _, _ in _segments(plot_dynamic_effects(result, table=kept, lang="en"), UNIFORM_BAND)] == list(
        np.arange(-2, 6))
