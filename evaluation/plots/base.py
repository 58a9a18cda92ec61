"""What the plot modules share: an axes to draw on and the source line under a figure."""

from __future__ import annotations

from typing import cast

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from evaluation.core.i18n import Language, text

__all__ = ["axes_of", "finish"]


def axes_of(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    """The figure and axes to draw on: ``ax`` and its figure, or a new figure of ``size`` inches (no pyplot state)."""
    if ax is None:
        fig = Figure(figsize=size)
        return fig, fig.add_subplot(1, 1, 1)
    return cast(Figure, ax.get_figure(root=True)), ax


def finish(fig: Figure, source: str | None, lang: Language) -> None:
    """The source line at the foot of ``fig`` (when given), then the layout."""
    if source:
        fig.text(0.01, 0.005, text(lang, "Source: {source}", source=source), fontsize=7, ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
