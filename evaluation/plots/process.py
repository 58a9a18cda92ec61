"""Charts of the P2 process: activities carried out per period and per activity.

The tables come from :mod:`evaluation.analysis.process`. Each function takes ``ax=None`` (a new
figure) or the axes to draw on and returns the axes it drew on.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from matplotlib.axes import Axes

from evaluation.analysis.process import activities_by_period, activity_totals
from evaluation.core import fmt
from evaluation.core.i18n import Language, text
from evaluation.core.model import Project
from evaluation.plots.base import axes_of as _axes
from evaluation.plots.base import finish as _finish

__all__ = ["GREYS", "HATCHES", "plot_activities", "plot_activity_totals"]

# Greyscale-safe fills and hatches, one per work package / activity group.
GREYS = ("#1a1a1a", "#595959", "#8c8c8c", "#bfbfbf", "#e0e0e0", "#ffffff")
HATCHES = ("", "//", "..", "xx", "\\\\", "--")


def plot_activities(
    project: Project,
    as_of: object = None,
    ax: Axes | None = None,
    *,
    lang: Language = "sv",
    freq: Literal["Y", "Q"] = "Q",
    source: str | None = None,
) -> Axes:
    """Stacked bars of activities carried out per period, one band per work package (or activity)."""
    table = activities_by_period(project, as_of, freq)
    fig, ax = _axes(ax, (8, 4.2))
    ax.set_title(text(lang, "Activities carried out per period"))
    ax.set_ylabel(text(lang, "Number of activities"))
    ax.set_xlabel(text(lang, "Period (end date)"))
    if table.empty:
        ax.text(0.5, 0.5, fmt.missing(lang), ha="center", va="center", transform=ax.transAxes)
    else:
        names = {wp.id: wp.name for wp in project.work_packages}
        bottom = np.zeros(len(table.columns))
        x = np.arange(len(table.columns))
        for i, (key, row) in enumerate(table.iterrows()):
            values = row.fillna(0).to_numpy(dtype=float)
            label = f"{key} {names.get(str(key), '')}".strip()
            ax.bar(x, values, bottom=bottom, color=GREYS[i % len(GREYS)], hatch=HATCHES[i % len(HATCHES)],
                   edgecolor="black", linewidth=0.6, label=label[:48])
            bottom += values
        ax.set_xticks(x, list(table.columns), rotation=45 if len(x) > 6 else 0, ha="right" if len(x) > 6 else "center")
        ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _finish(fig, source, lang)
    return ax


def plot_activity_totals(
    project: Project, as_of: object = None, ax: Axes | None = None, *, lang: Language = "sv", source: str | None = None
) -> Axes:
    """Horizontal bars of the number of times each activity was carried out (whole period)."""
    totals = activity_totals(project, as_of).dropna(subset=["count"])
    fig, ax = _axes(ax, (8, 0.35 * max(len(totals), 3) + 1.2))
    ax.set_title(text(lang, "Activities carried out"))
    ax.set_xlabel(text(lang, "Number of occasions"))
    labels = [f"{a}: {s[:55]}{'…' if len(s) > 55 else ''}" for a, s in zip(totals["activity"], totals["statement"])]
    y = np.arange(len(totals))
    ax.barh(y, totals["count"].to_numpy(dtype=float), color="#8c8c8c", edgecolor="black", linewidth=0.6)
    ax.set_yticks(y, labels, fontsize=7)
    ax.invert_yaxis()
    for yi, v in zip(y, totals["count"]):
        ax.text(v, float(yi), " " + fmt.number(v, lang), va="center", fontsize=7)
    _finish(fig, source, lang)
    return ax
