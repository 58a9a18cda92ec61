"""Figures of a project's economics: budget against outcome, financing, funnel.

The tables come from :mod:`evaluation.analysis.economics`. Each function takes ``ax=None`` (a new
figure, constrained layout) or the axes to draw on, and returns the axes it drew on. Labels are
Swedish by default (``language="en"`` for English); a not-reported amount is marked, never drawn as 0.
"""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from evaluation.analysis.economics import checked_frame, financing_shares, funnel
from evaluation.core.errors import check_language
from evaluation.core.i18n import Language, ptext, text

__all__ = ["plot_budget_vs_outcome", "plot_financing", "plot_funnel"]

# Greyscale-safe: distinguished by fill lightness *and* hatching.
_STYLES: tuple[tuple[str, str], ...] = (
    ("0.30", ""),
    ("white", "///"),
    ("0.70", ""),
    ("white", "..."),
    ("0.50", "\\\\\\"),
    ("white", "xxx"),
    ("0.85", "++"),
)


def _check_language(language: object) -> None:
    check_language(language, "plot arguments", "language")


def _kind_labels(language: Language) -> dict[str, str]:
    """Legend labels of the financier kinds."""
    return {
        "eu": ptext(language, "financier kind", "EU"),
        "state": ptext(language, "financier kind", "State"),
        "region": ptext(language, "financier kind", "Region"),
        "municipality": ptext(language, "financier kind", "Municipality"),
        "private": ptext(language, "financier kind", "Private"),
        "other": ptext(language, "financier kind", "Other"),
    }


def _fmt_number(x: float, language: str, decimals: int = 0) -> str:
    s = f"{x:,.{decimals}f}"
    if language == "sv":
        return s.replace(",", " ").replace(".", ",")
    return s


def _fmt_share(x: float, language: str) -> str:
    return f"{_fmt_number(100 * x, language, 1)} %" if language == "sv" else f"{100 * x:.1f}%"


def _setup(ax: Axes | None, n_rows: int) -> tuple[Figure, Axes]:
    if ax is None:
        fig = Figure(figsize=(8.0, max(3.0, 1.2 + 0.55 * n_rows)), layout="constrained")
        fig.get_layout_engine().set(rect=(0.0, 0.05, 1.0, 0.95))  # type: ignore[union-attr, call-arg]
        return fig, fig.add_subplot()
    return cast(Figure, ax.get_figure(root=True)), ax


def _finish(fig: Figure, ax: Axes, title: str, xlabel: str, ylabel: str, source: str | None, language: Language) -> Axes:
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _fmt_number(v, language)))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="0.85", linewidth=0.6)
    ax.set_axisbelow(True)
    src = source if source else text(language, "not stated")
    fig.text(0.01, 0.01, text(language, "Source: {source}", source=src), ha="left", va="bottom", fontsize=8, color="0.2")
    return ax


def _rows(df: pd.DataFrame) -> pd.DataFrame:
    if "is_total" in df.columns:
        return df[~df["is_total"].astype(bool)].reset_index(drop=True)
    return df.reset_index(drop=True)


def _mark_not_reported(ax: Axes, y: float, language: Language) -> None:
    ax.annotate(
        ptext(language, "chart mark", "not reported"),
        xy=(0, y),
        xytext=(3, 0),
        textcoords="offset points",
        va="center",
        ha="left",
        fontsize=8,
        fontstyle="italic",
        color="0.2",
    )


def plot_budget_vs_outcome(
    df: pd.DataFrame,
    ax: Axes | None = None,
    source: str | None = None,
    *,
    language: Language = "sv",
    title: str | None = None,
) -> Axes:
    """Horizontal bars of budget (white, hatched) and outcome (dark grey) per cost category.

    ``df`` is the result of :func:`~evaluation.analysis.economics.budget_vs_outcome` (its totals
    row is left out) or the raw ``category, budget, outcome`` lines. A not-reported budget is
    marked "ej rapporterad". ``source`` is printed at the bottom ("Källa: ..."; "ej angiven" when None).
    """
    _check_language(language)
    data = _rows(checked_frame(df, ("category", "budget", "outcome"), "budget table"))
    fig, ax = _setup(ax, len(data))
    y = np.arange(len(data), dtype=float)
    h = 0.38
    budget = pd.to_numeric(data["budget"], errors="coerce").to_numpy(dtype=float)
    outcome = pd.to_numeric(data["outcome"], errors="coerce").to_numpy(dtype=float)
    handles = []
    for values, offset, label, (face, hatch) in (
        (budget, -h / 2, ptext(language, "chart legend", "Budget"), ("white", "///")),
        (outcome, h / 2, ptext(language, "chart legend", "Outcome"), ("0.30", "")),
    ):
        ok = ~np.isnan(values)
        if ok.any():
            ax.barh(y[ok] + offset, values[ok], height=h, color=face, hatch=hatch, edgecolor="black", linewidth=0.6)
        for yi in y[~ok]:
            _mark_not_reported(ax, yi + offset, language)
        handles.append(Patch(facecolor=face, hatch=hatch, edgecolor="black", linewidth=0.6, label=label))
    ax.set_yticks(y, [str(c) for c in data["category"]])
    ax.set_ylim(len(data) - 0.5, -0.5)  # first row on top; rows without bars stay visible
    finite = np.concatenate([budget, outcome])
    finite = finite[~np.isnan(finite)]
    ax.set_xlim(0, float(finite.max()) * 1.05 if len(finite) and finite.max() > 0 else 1.0)
    ax.legend(handles=handles, frameon=False, loc="lower right")
    return _finish(fig, ax, title or text(language, "Budget and outcome by cost category"), text(language, "Amount (SEK)"),
                   text(language, "Cost category"), source, language)


def plot_financing(
    df: pd.DataFrame,
    ax: Axes | None = None,
    source: str | None = None,
    *,
    language: Language = "sv",
    title: str | None = None,
) -> Axes:
    """Horizontal bars of the amount per financier, labelled with its share; kinds by fill/hatch.

    ``df`` is the result of :func:`~evaluation.analysis.economics.financing_shares` (totals row
    left out) or raw ``name, amount[, kind]`` rows; shares are computed when absent. Not-reported
    amounts are marked.
    """
    _check_language(language)
    data = _rows(checked_frame(df, ("name", "amount"), "financing table"))
    if "share" not in data.columns:
        data = _rows(financing_shares(data, file="financing table"))
    fig, ax = _setup(ax, len(data))
    y = np.arange(len(data), dtype=float)
    amount = pd.to_numeric(data["amount"], errors="coerce").to_numpy(dtype=float)
    share = pd.to_numeric(data["share"], errors="coerce").to_numpy(dtype=float)
    kinds = [None if k is None or (not isinstance(k, str) and pd.isna(k)) else str(k) for k in (data["kind"] if "kind" in data.columns else [None] * len(data))]
    order: list[str | None] = []
    for k, a in zip(kinds, amount):
        if not np.isnan(a) and k not in order:
            order.append(k)
    style = {k: _STYLES[i % len(_STYLES)] for i, k in enumerate(order)}
    for yi, a, s, k in zip(y, amount, share, kinds):
        if np.isnan(a):
            _mark_not_reported(ax, yi, language)
            continue
        face, hatch = style[k]  # k is in order: its amount is reported
        ax.barh(yi, a, height=0.6, color=face, hatch=hatch, edgecolor="black", linewidth=0.6)
        if not np.isnan(s):
            ax.annotate(_fmt_share(s, language), xy=(a, yi), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(y, [str(n) for n in data["name"]])
    ax.set_ylim(len(data) - 0.5, -0.5)  # first row on top; rows without bars stay visible
    top = np.nanmax(amount) if (~np.isnan(amount)).any() else 1.0
    ax.set_xlim(0, top * 1.15)
    if any(k is not None for k in order):
        kind_labels = _kind_labels(language)
        handles = [
            Patch(facecolor=style[k][0], hatch=style[k][1], edgecolor="black", label=kind_labels.get(k, k) if k else "–")
            for k in order
        ]
        ax.legend(handles=handles, frameon=False, loc="lower right")
    return _finish(fig, ax, title or text(language, "Financing by financier"), text(language, "Amount (SEK)"),
                   text(language, "Financier"), source, language)


def plot_funnel(
    df: pd.DataFrame,
    ax: Axes | None = None,
    source: str | None = None,
    *,
    language: Language = "sv",
    title: str | None = None,
) -> Axes:
    """Horizontal bars of the count per stage, top to bottom, labelled with count and conversion.

    ``df`` is the result of :func:`~evaluation.analysis.economics.funnel` or raw ``order, stage, count`` rows.
    """
    _check_language(language)
    data = checked_frame(df, ("order", "stage", "count"), "funnel table")
    if "conversion_from_previous" not in data.columns:
        data = funnel(data, file="funnel table")
    fig, ax = _setup(ax, len(data))
    y = np.arange(len(data), dtype=float)
    counts = pd.to_numeric(data["count"], errors="coerce").to_numpy(dtype=float)
    conv = pd.to_numeric(data["conversion_from_previous"], errors="coerce").to_numpy(dtype=float)
    for yi, c, p in zip(y, counts, conv):
        if np.isnan(c):
            _mark_not_reported(ax, yi, language)
            continue
        ax.barh(yi, c, height=0.6, color="0.45", edgecolor="black", linewidth=0.6)
        label = _fmt_number(c, language, 0 if float(c).is_integer() else 1)
        if not np.isnan(p):
            label = text(language, "{count} ({share} of previous)", count=label, share=_fmt_share(p, language))
        ax.annotate(label, xy=(c, yi), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(y, [str(s) for s in data["stage"]])
    ax.set_ylim(len(data) - 0.5, -0.5)  # first row on top; rows without bars stay visible
    top = np.nanmax(counts) if (~np.isnan(counts)).any() else 1.0
    ax.set_xlim(0, top * 1.45)
    return _finish(fig, ax, title or text(language, "Number per stage (funnel)"), ptext(language, "chart axis", "Count"),
                   ptext(language, "chart axis", "Stage"), source, language)
