"""Figures of the portfolio report: budget and outcome, cost per firm, target attainment per project.

The tables come from :mod:`evaluation.analysis.portfolio`. Each function takes ``ax=None`` (a new
figure) or the axes to draw on, and returns the axes it drew on. Projects marked ``*`` are
illustrative; a figure a project does not report is marked "uppgift saknas", never drawn as 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import cast

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from evaluation.analysis.portfolio import attainment_frame, check_projects
from evaluation.core import fmt
from evaluation.core.errors import check_language
from evaluation.core.i18n import Language, ptext, text
from evaluation.core.model import Project

__all__ = ["plot_budget_outcome", "plot_cost_per_firm", "plot_attainment"]

_GREYS = ("#1a1a1a", "#8c8c8c", "#d9d9d9")
_LEVEL_MARKERS: dict[str, tuple[str, str]] = {  # marker, face colour: readable in greyscale
    "activity": ("D", "white"), "output": ("o", "black"), "short_term": ("s", "white"), "long_term": ("^", "#8c8c8c"),
}


def _check_language(lang: object) -> None:
    check_language(lang, "portfolio arguments", "lang")


def _level_labels(lang: Language) -> dict[str, str]:
    """Legend labels of the effect levels."""
    return {
        "activity": ptext(lang, "portfolio level", "Activity"),
        "output": ptext(lang, "portfolio level", "Output"),
        "short_term": ptext(lang, "portfolio level", "Result (short term)"),
        "long_term": ptext(lang, "portfolio level", "Impact (long term)"),
    }


def _setup(ax: Axes | None, height: float) -> tuple[Figure, Axes]:
    if ax is None:
        fig = Figure(figsize=(8, height))
        return fig, fig.add_subplot(1, 1, 1)
    return cast(Figure, ax.get_figure(root=True)), ax


def _finish(fig: Figure, ax: Axes, lang: Language, source: str | None) -> Axes:
    shown = source if source is not None else text(lang, "the projects' own figures; * = illustrative values")
    fig.text(0.01, 0.005, text(lang, "Source: {source}", source=shown), fontsize=7, ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return ax


def _labels(table: pd.DataFrame) -> list[str]:
    return [f"{pid}{' *' if ill else ''}" for pid, ill in zip(table["project"], table["illustrative"])]


def _mark_missing(ax: Axes, y: float, lang: Language) -> None:
    ax.text(0, y, " " + fmt.missing(lang), va="center", ha="left", fontsize=7, style="italic")


def plot_budget_outcome(table: pd.DataFrame, ax: Axes | None = None, *, lang: Language = "sv",
                        source: str | None = None) -> Axes:
    """Horizontal bars of budget (light, hatched) and outcome (dark) per project, in MSEK.

    ``table`` is :func:`~evaluation.analysis.portfolio.portfolio_table` output.
    """
    _check_language(lang)
    fig, ax = _setup(ax, 0.5 * max(len(table), 3) + 1.5)
    y = np.arange(len(table), dtype=float)
    budget = table["budget_total"].to_numpy(dtype=float) / 1e6
    outcome = table["outcome_total"].to_numpy(dtype=float) / 1e6
    ax.barh(y - 0.2, np.nan_to_num(budget), height=0.38, color=_GREYS[2], hatch="//", edgecolor="black",
            linewidth=0.6, label=ptext(lang, "chart legend", "Budget"))
    ax.barh(y + 0.2, np.nan_to_num(outcome), height=0.38, color=_GREYS[0], edgecolor="black", linewidth=0.6,
            label=ptext(lang, "chart legend", "Outcome"))
    for yi, b, o in zip(y, budget, outcome):
        if math.isnan(b):
            _mark_missing(ax, yi - 0.2, lang)
        if math.isnan(o):
            _mark_missing(ax, yi + 0.2, lang)
    ax.set_yticks(y, _labels(table))
    ax.invert_yaxis()
    ax.set_title(text(lang, "Budget and outcome per project"))
    ax.set_xlabel(text(lang, "Million SEK (MSEK)"))
    ax.set_ylabel(ptext(lang, "chart axis", "Project"))
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _finish(fig, ax, lang, source)


def plot_cost_per_firm(table: pd.DataFrame, ax: Axes | None = None, *, lang: Language = "sv",
                       source: str | None = None) -> Axes:
    """Horizontal bars of the cost per firm reached, in thousand SEK; not reported is marked, not 0."""
    _check_language(lang)
    fig, ax = _setup(ax, 0.4 * max(len(table), 3) + 1.5)
    y = np.arange(len(table), dtype=float)
    values = table["cost_per_firm"].to_numpy(dtype=float) / 1e3
    ax.barh(y, np.nan_to_num(values), height=0.6, color=_GREYS[1], edgecolor="black", linewidth=0.6)
    for yi, v in zip(y, values):
        if math.isnan(v):
            _mark_missing(ax, yi, lang)
        else:
            ax.text(v, yi, " " + fmt.number(v, lang, 0), va="center", ha="left", fontsize=7)
    ax.set_yticks(y, _labels(table))
    ax.invert_yaxis()
    ax.set_title(text(lang, "Cost per firm reached"))
    ax.set_xlabel(text(lang, "Thousand SEK per firm (kSEK)"))
    ax.set_ylabel(ptext(lang, "chart axis", "Project"))
    ax.margins(x=0.15)
    return _finish(fig, ax, lang, source)


def plot_attainment(projects: Sequence[Project], as_of: date | str | None = None, ax: Axes | None = None, *,
                    lang: Language = "sv", source: str | None = None) -> Axes:
    """Actual as per cent of target for every indicator with a target; marker shape = effect level."""
    _check_language(lang)
    items = check_projects(projects)
    frame = attainment_frame(items, as_of)
    fig, ax = _setup(ax, 0.5 * max(len(items), 3) + 1.5)
    order = {p.id: i for i, p in enumerate(items)}
    illustrative = {p.id: p.is_illustrative() for p in items}
    levels = _level_labels(lang)
    for level, (marker, face) in _LEVEL_MARKERS.items():
        part = frame[(frame["level"] == level) & frame["attainment"].notna()]
        if part.empty:
            continue
        ys = [order[p] for p in part["project"]]
        ax.scatter(part["attainment"].to_numpy(dtype=float) * 100, ys, marker=marker, facecolors=face,
                   edgecolors="black", s=40, linewidths=0.8, label=levels[level], zorder=3)
    for pid, y in order.items():
        if not ((frame["project"] == pid) & frame["attainment"].notna()).any():
            _mark_missing(ax, y, lang)
    ax.axvline(100, color="black", linestyle="--", linewidth=1, label=text(lang, "Target (100%)"))
    ax.set_yticks(list(order.values()), [f"{pid}{' *' if illustrative[pid] else ''}" for pid in order])
    ax.set_ylim(len(items) - 0.5, -0.5)
    ax.set_xlim(left=0)
    ax.set_title(text(lang, "Target attainment per indicator"))
    ax.set_xlabel(text(lang, "Actual as per cent of target (%)"))
    ax.set_ylabel(ptext(lang, "chart axis", "Project"))
    ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _finish(fig, ax, lang, source)
