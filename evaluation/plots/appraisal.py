"""Figures of the appraisal (beslutsunderlag): the coherence components and a co-financing key against the decisions.

Each function takes ``ax=None`` (a new figure) or the axes to draw on, and returns the axes.
Greys and hatches keep them readable in black and white; a value not reported is written
"uppgift saknas", never drawn as 0.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from evaluation.core import fmt
from evaluation.core.i18n import Language, ptext, text
from evaluation.plots.portfolio import _check_language, _finish, _mark_missing, _setup

__all__ = ["plot_coherence", "plot_cofinancing"]


def plot_coherence(components: pd.DataFrame, score: float | None, ax: Axes | None = None, *, lang: Language = "sv",
                   source: str | None = None) -> Axes:
    """Horizontal bars: each coherence component's share (per cent); a component with nothing to test is marked.

    ``components`` has the columns ``label`` (in ``lang``), ``share`` (0..1, NaN = nothing to test) and ``n``.
    """
    _check_language(lang)
    fig, ax = _setup(ax, 0.5 * max(len(components), 3) + 1.6)
    y = np.arange(len(components), dtype=float)
    share = components["share"].to_numpy(dtype=float) * 100
    ax.barh(y, np.nan_to_num(share), height=0.6, color="#8c8c8c", edgecolor="black", linewidth=0.6)
    for yi, s, n in zip(y, share, components["n"]):
        if math.isnan(s):
            ax.text(0, yi, " " + text(lang, "nothing to test"), va="center", ha="left", fontsize=7, style="italic")
        else:
            ax.text(s, yi, f" {fmt.number(s, lang, 0)} % (n = {int(n)})", va="center", ha="left", fontsize=7)
    ax.set_yticks(y, ["\n".join(textwrap.wrap(str(label), 36)) for label in components["label"]], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 130)
    shown = fmt.missing(lang) if score is None else fmt.number(score, lang, 0)
    ax.set_title(text(lang, "Coherence score {score} of 100: its components", score=shown))
    ax.set_xlabel(text(lang, "Share that passes (%)"))
    return _finish(fig, ax, lang, source)


def plot_cofinancing(key: pd.DataFrame, ax: Axes | None = None, *, lang: Language = "sv", source: str | None = None) -> Axes:
    """Per party of a key: the amount the key gives (light, hatched) beside the amount decided (dark), in thousand SEK.

    ``key`` is :func:`evaluation.analysis.cofinancing.key_table` output.
    """
    _check_language(lang)
    fig, ax = _setup(ax, 0.55 * max(len(key), 3) + 1.6)
    y = np.arange(len(key), dtype=float)
    computed = key["computed"].to_numpy(dtype=float) / 1e3
    decided = key["decided"].to_numpy(dtype=float) / 1e3
    ax.barh(y - 0.2, np.nan_to_num(computed), height=0.38, color="#d9d9d9", hatch="//", edgecolor="black", linewidth=0.6,
            label=ptext(lang, "chart legend", "By the key"))
    ax.barh(y + 0.2, np.nan_to_num(decided), height=0.38, color="#1a1a1a", edgecolor="black", linewidth=0.6,
            label=ptext(lang, "chart legend", "Decided"))
    for yi, c, d in zip(y, computed, decided):
        if math.isnan(c):
            _mark_missing(ax, yi - 0.2, lang)
        if math.isnan(d):
            _mark_missing(ax, yi + 0.2, lang)
    labels = [f"{p} ({k})" if k else str(p) for p, k in zip(key["party"], key["kind"])]
    ax.set_yticks(y, ["\n".join(textwrap.wrap(label, 30)) for label in labels], fontsize=7)
    ax.invert_yaxis()
    ax.margins(x=0.1)
    ax.set_title(text(lang, "Co-financing: the key against the decisions"))
    ax.set_xlabel(text(lang, "Thousand SEK (kSEK)"))
    ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _finish(fig, ax, lang, source)
