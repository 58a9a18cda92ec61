"""The spending rate of each cost category against the share of the project period that has passed."""

from __future__ import annotations

from matplotlib.axes import Axes

from evaluation.analysis.spending import Spending
from evaluation.core import fmt
from evaluation.core.errors import check_language
from evaluation.core.i18n import Language, text
from evaluation.plots.base import axes_of, finish

__all__ = ["plot_spending"]


def plot_spending(spent: Spending, *, total_label: str, source: str | None = None, language: Language = "sv",
                  ax: Axes | None = None) -> Axes:
    """Horizontal bars of each category's spending rate (outcome / budget) with a line at the elapsed share.

    A category without a rate (budget or outcome not reported) gets no bar and the words "not reported".
    """
    check_language(language, "plot_spending() arguments", "language")
    rows = spent.rows
    labels = [total_label if c is None or c != c else str(c) for c in rows["category"]]  # None/NaN: the total row
    fig, ax = axes_of(ax, (7.0, 0.45 * len(labels) + 1.6))
    y = list(range(len(labels)))[::-1]
    for yi, rate, label in zip(y, rows["spending_rate"], labels):
        if rate is None or rate != rate:  # not reported (None or NaN)
            ax.text(0.01, yi, text(language, "not reported"), va="center", fontsize=8, style="italic")
            continue
        ax.barh(yi, rate * 100, color="#4a6fa5" if label != total_label else "#1f3b5c", height=0.6)
        ax.text(rate * 100 + 1, yi, fmt.percent(rate, language, 0), va="center", fontsize=8)
    ax.axvline(spent.elapsed * 100, color="#b03a2e", linestyle="--", linewidth=1.2)
    ax.text(spent.elapsed * 100, len(labels) - 0.4,
            text(language, "time elapsed {share}", share=fmt.percent(spent.elapsed, language, 0)),
            color="#b03a2e", fontsize=8, ha="center", va="bottom")
    ax.set_yticks(y, labels)
    ax.set_xlabel(text(language, "Share of the budget spent (%)"))
    ax.set_xlim(0, max(110.0, *(r * 100 + 15 for r in rows["spending_rate"] if r is not None and r == r)))
    ax.set_title(text(language, "Spending against time elapsed, by cost category"), fontsize=10, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    finish(fig, source, language)
    return ax
