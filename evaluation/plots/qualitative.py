"""Charts of the qualitative evidence: the theme-by-group heat map (N2) and dissemination by channel (P3).

The figures come from :mod:`evaluation.analysis.interviews` and :mod:`evaluation.analysis.dissemination`.
Each plot function takes ``ax=None`` (a new figure) or the axes to draw on and returns the axes.
The label functions give the report's words for the codes of the qualitative tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from evaluation.analysis.interviews import ThemeMatrix
from evaluation.core import fmt
from evaluation.core.i18n import Language, text
from evaluation.plots.base import axes_of as _axes
from evaluation.plots.base import finish as _finish

__all__ = ["channel_label", "group_label", "plot_dissemination_by_channel", "plot_theme_matrix", "stance_label"]


def group_label(lang: Language, code: str) -> str:
    """A stakeholder group: "Projektledning", "Deltagande företag", ..."""
    return {
        "project_manager": text(lang, "Project management"),
        "participating_firm": text(lang, "Participating firms"),
        "financier": text(lang, "Financiers"),
        "partner": text(lang, "Partners"),
        "municipality": text(lang, "Municipalities"),
        "other": text(lang, "Other stakeholders"),
    }.get(code, code)


def channel_label(lang: Language, code: str) -> str:
    """A dissemination channel: "Konferens", "Media", ..."""
    return {
        "conference": text(lang, "Conference"),
        "seminar": text(lang, "Seminar"),
        "meeting": text(lang, "Meeting"),
        "media": text(lang, "Media"),
        "report": text(lang, "Report"),
        "social_media": text(lang, "Social media"),
        "newsletter": text(lang, "Newsletter"),
        "website": text(lang, "Website"),
        "policy_hearing": text(lang, "Policy hearing"),
        "policy_contact": text(lang, "Contacts with policy makers"),
        "other": text(lang, "Other channel"),
    }.get(code, code)


def stance_label(lang: Language, code: str) -> str:
    """An excerpt's stance: positive, neutral or negative."""
    return {"positive": text(lang, "positive"), "neutral": text(lang, "neutral"), "negative": text(lang, "negative")}.get(code, code)


def plot_theme_matrix(matrix: ThemeMatrix, ax: Axes | None = None, *, lang: Language = "sv",
                      theme_labels: dict[str, str] | None = None, source: str | None = None) -> Axes:
    """Heat map: interviews mentioning each theme (rows) per stakeholder group (columns); hidden groups are left out."""
    shown = list(matrix.shown_groups)
    counts = matrix.counts[shown] if shown else pd.DataFrame(index=matrix.counts.index)
    fig, ax = _axes(ax, (max(1.6 * len(shown) + 3.5, 8.0), 0.45 * max(len(counts.index), 3) + 1.6))
    ax.set_title(text(lang, "Interviews mentioning each theme, by stakeholder group"), fontsize=10)
    if counts.empty or not shown:
        ax.text(0.5, 0.5, fmt.missing(lang), ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        _finish(fig, source, lang)
        return ax
    values = counts.to_numpy(dtype=float)
    ax.imshow(values, cmap="Greys", vmin=0, vmax=max(float(np.nanmax(values)), 1.0), aspect="auto")
    names = theme_labels or {}
    ax.set_yticks(np.arange(len(counts.index)), [names.get(str(c), str(c))[:40] for c in counts.index], fontsize=8)
    ax.set_xticks(np.arange(len(shown)), [group_label(lang, g) for g in shown], fontsize=8, rotation=20, ha="right")
    top = float(np.nanmax(values)) if values.size else 0.0
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, fmt.number(v, lang, 0), ha="center", va="center", fontsize=8,
                color="white" if top and v > top / 2 else "black")
    _finish(fig, source, lang)
    return ax


def plot_dissemination_by_channel(by_channel: pd.DataFrame, ax: Axes | None = None, *, lang: Language = "sv",
                                  source: str | None = None) -> Axes:
    """Horizontal bars: dissemination activities per channel (a frame of :func:`~evaluation.analysis.dissemination.by_channel`)."""
    fig, ax = _axes(ax, (7, 0.4 * max(len(by_channel), 3) + 1.4))
    ax.set_title(text(lang, "Dissemination activities by channel"))
    ax.set_xlabel(text(lang, "Number of activities"))
    if by_channel.empty:
        ax.text(0.5, 0.5, fmt.missing(lang), ha="center", va="center", transform=ax.transAxes)
        _finish(fig, source, lang)
        return ax
    y = np.arange(len(by_channel))
    counts = by_channel["activities"].to_numpy(dtype=float)
    ax.barh(y, counts, color="#8c8c8c", edgecolor="black", linewidth=0.6)
    ax.set_yticks(y, [channel_label(lang, str(c)) for c in by_channel["channel"]], fontsize=8)
    ax.invert_yaxis()
    for yi, v in zip(y, counts):
        ax.text(v, float(yi), " " + fmt.number(v, lang, 0), va="center", fontsize=8)
    ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
    _finish(fig, source, lang)
    return ax
