"""Figures of the committee's portfolio views: goals, funds, financiers, status, spending, EU indicators,
cost per outcome and the projects needing attention.

Each function takes a table from :mod:`evaluation.analysis.portfolio_steering`, ``ax=None`` (a new
figure) or the axes to draw on, and returns the axes. Greys and hatches keep them readable in
black and white; projects marked ``*`` are illustrative; a value not reported is written
"uppgift saknas", never drawn as 0.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from evaluation.analysis.portfolio_steering import PROJECT_STATUSES
from evaluation.core import fmt
from evaluation.core.i18n import Language, ntext, ptext, text
from evaluation.plots.portfolio import _check_language, _finish, _mark_missing, _setup

__all__ = [
    "status_labels",
    "plot_status",
    "plot_effect_goals",
    "plot_funds",
    "plot_financiers",
    "plot_spending",
    "plot_eu_coverage",
    "plot_cost_per_outcome",
    "plot_attention",
]

_STATUS_STYLE: dict[str, tuple[str, str]] = {  # face colour, hatch
    "on_track": ("#1a1a1a", ""), "at_risk": ("#8c8c8c", "//"), "off_track": ("white", "xx"), "too_early": ("#d9d9d9", ".."),
}


def status_labels(lang: Language) -> dict[str, str]:
    """The readable name of each project status."""
    return {
        "on_track": ptext(lang, "project status", "On track"),
        "at_risk": ptext(lang, "project status", "At risk"),
        "off_track": ptext(lang, "project status", "Off track"),
        "too_early": ptext(lang, "project status", "Too early to tell"),
    }


def _ids(frame: pd.DataFrame) -> list[str]:
    return [f"{pid}{' *' if ill else ''}" for pid, ill in zip(frame["project"], frame["illustrative"])]


def _wrap(label: str, width: int = 38) -> str:
    return "\n".join(textwrap.wrap(str(label), width)[:3]) or str(label)


def plot_status(counts: pd.DataFrame, ax: Axes | None = None, *, lang: Language = "sv", source: str | None = None) -> Axes:
    """Horizontal bars: projects per status (``counts`` from :func:`~evaluation.analysis.portfolio_steering.status_counts`)."""
    _check_language(lang)
    fig, ax = _setup(ax, 3.2)
    labels = status_labels(lang)
    y = np.arange(len(PROJECT_STATUSES), dtype=float)
    values = [int(counts.loc[counts["status"] == s, "n_projects"].sum()) for s in PROJECT_STATUSES]
    for yi, s, v in zip(y, PROJECT_STATUSES, values):
        face, hatch = _STATUS_STYLE[s]
        ax.barh(yi, v, height=0.6, color=face, hatch=hatch, edgecolor="black", linewidth=0.8)
        ax.text(v, yi, f" {v}", va="center", ha="left", fontsize=9)
    ax.set_yticks(y, [labels[s] for s in PROJECT_STATUSES])
    ax.invert_yaxis()
    ax.set_xlim(0, max([*values, 1]) * 1.2)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(text(lang, "Projects by status"))
    ax.set_xlabel(text(lang, "Number of projects"))
    return _finish(fig, ax, lang, source)


def plot_effect_goals(goals: pd.DataFrame, ax: Axes | None = None, *, lang: Language = "sv",
                      source: str | None = None) -> Axes:
    """Horizontal bars: projects per RUS effect goal, each bar labelled with the decided budget (MSEK)."""
    _check_language(lang)
    fig, ax = _setup(ax, 0.7 * max(len(goals), 3) + 1.5)
    y = np.arange(len(goals), dtype=float)
    ax.barh(y, goals["n_projects"].to_numpy(dtype=float), height=0.6, color="#8c8c8c", edgecolor="black", linewidth=0.6)
    for yi, n, budget in zip(y, goals["n_projects"], goals["budget"]):
        money = fmt.missing(lang) if math.isnan(budget) else text(lang, "{amount} MSEK", amount=fmt.number(budget / 1e6, lang, 1))
        ax.text(n, yi, f" {n} ({money})", va="center", ha="left", fontsize=7)
    ax.set_yticks(y, [_wrap(label) for label in goals["label"]], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, max([*goals["n_projects"].tolist(), 1]) * 1.6)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(text(lang, "Projects by RUS effect goal"))
    ax.set_xlabel(text(lang, "Number of projects (decided budget)"))
    return _finish(fig, ax, lang, source)


def plot_funds(funds: pd.DataFrame, ax: Axes | None = None, *, lang: Language = "sv", source: str | None = None) -> Axes:
    """Horizontal bars: decided budget per fund and programme, in MSEK, with the number of projects."""
    _check_language(lang)
    fig, ax = _setup(ax, 0.5 * max(len(funds), 3) + 1.5)
    y = np.arange(len(funds), dtype=float)
    budget = funds["budget"].to_numpy(dtype=float) / 1e6
    ax.barh(y, np.nan_to_num(budget), height=0.6, color="#1a1a1a", edgecolor="black", linewidth=0.6)
    for yi, b, n in zip(y, budget, funds["n_projects"]):
        if math.isnan(b):
            _mark_missing(ax, yi, lang)
        else:
            ax.text(b, yi, " " + ntext(lang, "{n} project", "{n} projects", int(n)), va="center", ha="left", fontsize=7)
    ax.set_yticks(y, [_wrap(f"{f} – {p}" if p else str(f), 34) for f, p in zip(funds["fund"], funds["programme"])], fontsize=7)
    ax.invert_yaxis()
    ax.margins(x=0.3)
    ax.set_title(text(lang, "Decided budget by fund and programme"))
    ax.set_xlabel(text(lang, "Million SEK (MSEK)"))
    return _finish(fig, ax, lang, source)


def plot_financiers(financiers: pd.DataFrame, ax: Axes | None = None, *, lang: Language = "sv",
                    source: str | None = None, top: int = 12) -> Axes:
    """Horizontal bars: the ``top`` financiers by amount (MSEK); illustrative amounts hatched and marked ``*``."""
    _check_language(lang)
    shown = financiers.head(top)
    fig, ax = _setup(ax, 0.45 * max(len(shown), 3) + 1.5)
    y = np.arange(len(shown), dtype=float)
    amount = shown["amount"].to_numpy(dtype=float) / 1e6
    for yi, a, ill in zip(y, amount, shown["illustrative"]):
        if math.isnan(a):
            _mark_missing(ax, yi, lang)
            continue
        ax.barh(yi, a, height=0.6, color="#8c8c8c", hatch="//" if ill else "", edgecolor="black", linewidth=0.6)
        ax.text(a, yi, " " + fmt.number(a, lang, 2), va="center", ha="left", fontsize=7)
    ax.set_yticks(y, [_wrap(f"{n}{' *' if ill else ''}", 34) for n, ill in zip(shown["name"], shown["illustrative"])], fontsize=7)
    ax.invert_yaxis()
    ax.margins(x=0.2)
    ax.set_title(text(lang, "Financing by financier"))
    ax.set_xlabel(text(lang, "Million SEK (MSEK)"))
    return _finish(fig, ax, lang, source)


def plot_spending(spend: pd.DataFrame, ax: Axes | None = None, *, lang: Language = "sv", source: str | None = None) -> Axes:
    """Per project: spent as per cent of the decided budget (bar) beside the per cent of the period passed (marker)."""
    _check_language(lang)
    fig, ax = _setup(ax, 0.5 * max(len(spend), 3) + 1.5)
    y = np.arange(len(spend), dtype=float)
    rate = spend["rate"].to_numpy(dtype=float) * 100
    ax.barh(y, np.nan_to_num(rate), height=0.6, color="#d9d9d9", edgecolor="black", linewidth=0.6,
            label=ptext(lang, "chart legend", "Spent, % of decided budget"))
    ax.scatter(spend["elapsed"].to_numpy(dtype=float) * 100, y, marker="|", s=300, color="black", linewidths=2.5, zorder=3,
               label=ptext(lang, "chart legend", "Time passed, % of the period"))
    for yi, r in zip(y, rate):
        if math.isnan(r):
            _mark_missing(ax, yi, lang)
        else:
            ax.text(r, yi, " " + fmt.number(r, lang, 0) + " %", va="center", ha="left", fontsize=7)
    ax.set_yticks(y, _ids(spend))
    ax.invert_yaxis()
    ax.set_xlim(0, max(110.0, float(np.nanmax(np.append(rate, 0.0))) * 1.15))
    ax.set_title(text(lang, "Spending against time passed"))
    ax.set_xlabel(text(lang, "Per cent (%)"))
    ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _finish(fig, ax, lang, source)


def plot_eu_coverage(sums: pd.DataFrame, left_out: pd.DataFrame, ax: Axes | None = None, *, lang: Language = "sv",
                     source: str | None = None) -> Axes:
    """Per EU code: projects summed (dark) and indicators left out (hatched), so what a total covers is seen."""
    _check_language(lang)
    codes = sorted(set(sums["code"]) | set(left_out["code"]))
    fig, ax = _setup(ax, 0.45 * max(len(codes), 3) + 1.5)
    y = np.arange(len(codes), dtype=float)
    summed = [int(sums.loc[sums["code"] == c, "n_contributing"].sum()) for c in codes]
    out = [int((left_out["code"] == c).sum()) for c in codes]
    ax.barh(y, summed, height=0.6, color="#1a1a1a", edgecolor="black", linewidth=0.6,
            label=ptext(lang, "chart legend", "Summed (code and unit agree)"))
    ax.barh(y, out, left=summed, height=0.6, color="white", hatch="xx", edgecolor="black", linewidth=0.6,
            label=ptext(lang, "chart legend", "Not summable"))
    ax.set_yticks(y, codes)
    ax.invert_yaxis()
    ax.set_xlim(0, max([s + o for s, o in zip(summed, out)] + [1]) * 1.15)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(text(lang, "EU common indicators: what the totals cover"))
    ax.set_xlabel(text(lang, "Number of project indicators"))
    ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _finish(fig, ax, lang, source)


def plot_cost_per_outcome(cost: pd.DataFrame, ax: Axes | None = None, *, lang: Language = "sv",
                          source: str | None = None) -> Axes:
    """Per project: cost per firm, per participant and per job (thousand SEK), side by side; missing ones marked."""
    _check_language(lang)
    fig, ax = _setup(ax, 0.75 * max(len(cost), 3) + 1.5)
    y = np.arange(len(cost), dtype=float)
    series = (("cost_per_firm", ptext(lang, "chart legend", "per firm"), "#1a1a1a", ""),
              ("cost_per_participant", ptext(lang, "chart legend", "per participant"), "#8c8c8c", "//"),
              ("cost_per_job", ptext(lang, "chart legend", "per job"), "white", "xx"))
    for k, (col, label, face, hatch) in enumerate(series):
        values = cost[col].to_numpy(dtype=float) / 1e3
        offset = (k - 1) * 0.26
        ax.barh(y + offset, np.nan_to_num(values), height=0.24, color=face, hatch=hatch, edgecolor="black",
                linewidth=0.6, label=label)
        for yi, v in zip(y + offset, values):
            if not math.isnan(v):
                ax.text(v, yi, " " + fmt.number(v, lang, 0), va="center", ha="left", fontsize=6)
    for yi, row in zip(y, cost.itertuples(index=False)):
        if all(math.isnan(float(getattr(row, c))) for c, *_ in series):
            _mark_missing(ax, yi, lang)
    ax.set_yticks(y, _ids(cost))
    ax.invert_yaxis()
    ax.margins(x=0.15)
    ax.set_title(text(lang, "Cost per outcome"))
    ax.set_xlabel(text(lang, "Thousand SEK (kSEK)"))
    ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _finish(fig, ax, lang, source)


def plot_attention(watch: pd.DataFrame, threshold: float, ax: Axes | None = None, *, lang: Language = "sv",
                   source: str | None = None) -> Axes:
    """Per project: the coherence score (x) against the number of warnings (y); filled = a finding stops a report."""
    _check_language(lang)
    fig, ax = _setup(ax, 4.0)
    score = watch["coherence"].to_numpy(dtype=float)
    warn = watch["n_warn"].to_numpy(dtype=float)
    stop = watch["n_stop"].to_numpy(dtype=int) > 0
    shown = ~np.isnan(score)
    ax.scatter(score[shown & ~stop], warn[shown & ~stop], marker="o", facecolors="white", edgecolors="black", s=50,
               label=ptext(lang, "chart legend", "No finding stops a report"), zorder=3)
    ax.scatter(score[shown & stop], warn[shown & stop], marker="o", facecolors="black", edgecolors="black", s=50,
               label=ptext(lang, "chart legend", "A finding stops a report"), zorder=3)
    for x, yv, label in zip(score, warn, _ids(watch)):
        if not math.isnan(x):
            ax.annotate(label, (x, yv), textcoords="offset points", xytext=(4, 3), fontsize=7)
    ax.axvline(threshold, color="black", linestyle="--", linewidth=1,
               label=text(lang, "Attention below {score}", score=fmt.number(threshold, lang, 0)))
    ax.set_xlim(0, 105)
    ax.set_ylim(bottom=-0.5, top=max([*warn.tolist(), 1.0]) * 1.25 + 0.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(text(lang, "Logic and data: coherence score and warnings"))
    ax.set_xlabel(text(lang, "Coherence score (0–100)"))
    ax.set_ylabel(text(lang, "Number of warnings"))
    ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _finish(fig, ax, lang, source)
