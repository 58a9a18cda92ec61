"""The firm analyses' charts: the event study around the programme start, and Callaway & Sant'Anna's dynamic effects.

Drawn on a ``matplotlib.figure.Figure`` (never pyplot) in black and grey only, with marker
shapes and line styles, so it reads in greyscale. Takes ``ax=None`` (a new figure of its own
size) or the axes to draw on, and returns the axes it drew on; the figure is ``ax.figure``.
Labels are English message ids translated through the catalogue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from scipy import stats

from evaluation.core import fmt
from evaluation.core.i18n import DEFAULT_LANGUAGE, Language, ptext, text

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from evaluation.analysis.firms.eventstudy import EventStudyResult
    from evaluation.analysis.firms.staggered import StaggeredResult

__all__ = ["plot_dynamic_effects", "plot_event_study"]

UNIFORM_BAND = "uniform band"
"""The ``gid`` of the vertical lines drawing the uniform band (a test finds them by it)."""
POINTWISE_BAND = "pointwise band"
"""The ``gid`` of the lighter, thicker vertical lines drawing the pointwise intervals."""


def _outcome(lang: Language, outcome: str) -> tuple[str, str]:
    """The label and unit of a panel outcome column (the column name and no unit if unknown)."""
    known = {
        "employees": (ptext(lang, "firm outcome", "number of employees"), ptext(lang, "firm outcome unit", "persons")),
        "turnover": (ptext(lang, "firm outcome", "turnover"), ptext(lang, "firm outcome unit", "SEK")),
        "value_added": (ptext(lang, "firm outcome", "value added"), ptext(lang, "firm outcome unit", "SEK")),
    }
    return known.get(outcome, (outcome, ""))


def plot_event_study(
    result: EventStudyResult,
    ax: Axes | None = None,
    *,
    lang: Language = DEFAULT_LANGUAGE,
    label: str | None = None,
    unit: str | None = None,
) -> Axes:
    """Plot an event study: points with 95 % intervals, zero line, start marked.

    ``result`` is :func:`evaluation.analysis.firms.event_study` output. ``label`` names the
    outcome and ``unit`` its unit on the y axis; both default from the outcome column
    (employees: persons; turnover and value added: SEK), else the column name and no unit.
    Returns the axes drawn on; never shows the figure.
    """
    if ax is None:
        ax = Figure(figsize=(7, 4.2)).add_subplot(1, 1, 1)
    table = result.table
    est = table.loc[~table["is_reference"]]
    ref = table.loc[table["is_reference"]]
    pre = est["rel_time"] < 0
    default_label, default_unit = _outcome(lang, result.outcome)
    name = label or default_label
    unit_text = unit if unit is not None else default_unit
    unit_part = f" ({unit_text})" if unit_text else ""
    groups = ((pre, "s", "white", text(lang, "Before start")), (~pre, "o", "black", text(lang, "From start")))
    for mask, marker, face, group in groups:
        part = est.loc[mask]
        if part.empty:
            continue
        yerr = np.vstack([part["coefficient"] - part["ci_low"], part["ci_high"] - part["coefficient"]])
        ax.errorbar(
            part["rel_time"], part["coefficient"], yerr=yerr, fmt=marker, color="black",
            markerfacecolor=face, ecolor="0.35", elinewidth=1.2, capsize=3, label=group,
        )
    if not ref.empty:
        ax.plot(ref["rel_time"], ref["coefficient"], marker="D", linestyle="none", color="0.5",
                label=text(lang, "Reference year ({year})", year=result.reference))
    ax.axhline(0.0, color="0.3", linestyle="--", linewidth=0.9)
    ax.axvline(-0.5, color="0.3", linestyle=":", linewidth=0.9)
    ax.set_title(text(lang, "Effect on {outcome} by year relative to start", outcome=name))
    ax.set_xlabel(text(lang, "Years relative to programme start (0 = start year)"))
    ax.set_ylabel(text(lang, "Estimated effect on {outcome}{unit}", outcome=name, unit=unit_part))
    ticks = table["rel_time"].to_numpy()
    if ticks.size:
        ax.set_xticks(np.arange(int(ticks.min()), int(ticks.max()) + 1))
    ax.legend(loc="best", frameon=False, title=text(lang, "Bars: 95 % confidence intervals"),
              title_fontsize="small", fontsize="small")
    return ax


def plot_dynamic_effects(
    result: StaggeredResult,
    ax: Axes | None = None,
    *,
    lang: Language = DEFAULT_LANGUAGE,
    table: pd.DataFrame | None = None,
    label: str | None = None,
    unit: str | None = None,
) -> Axes:
    """Callaway & Sant'Anna's effects by year relative to the start, with the uniform band and, lighter, pointwise intervals.

    ``result`` is :func:`evaluation.analysis.firms.callaway_santanna` output; ``table`` its
    ``dynamic`` table as it may be shown (rows of few firms dropped, see
    :func:`evaluation.analysis.disclosure.dynamic_shown`), by default all of it. The uniform
    band (``band_low`` to ``band_high``, holding for all years at once) is drawn as dark bars
    with caps; the pointwise ``1 - alpha`` intervals (coefficient ± normal quantile × standard
    error) as thicker light-grey bars behind them. Pre-start points (placebo effects) are white
    squares, effects from the start black dots. Without a bootstrap (``result.uniform`` False)
    the bands are pointwise and the legend says so. Returns the axes drawn on.
    """
    if ax is None:
        ax = Figure(figsize=(7, 4.2)).add_subplot(1, 1, 1)
    frame = result.dynamic if table is None else table
    x = frame["rel_time"].to_numpy(dtype=float)
    coef = frame["coefficient"].to_numpy(dtype=float)
    half = float(stats.norm.ppf(1 - result.alpha / 2)) * frame["std_error"].to_numpy(dtype=float)
    level = fmt.number(100 * (1 - result.alpha), lang)
    ax.vlines(x, coef - half, coef + half, colors="0.78", linewidth=6, gid=POINTWISE_BAND,
              label=text(lang, "Pointwise {level} % intervals", level=level))
    band = text(lang, "Uniform {level} % band (all years at once)", level=level) if result.uniform else "_nolegend_"
    ax.vlines(x, frame["band_low"].to_numpy(dtype=float), frame["band_high"].to_numpy(dtype=float), colors="0.15", linewidth=1.2,
              gid=UNIFORM_BAND, label=band)
    for end in ("band_low", "band_high"):
        ax.plot(x, frame[end].to_numpy(dtype=float), linestyle="none", marker="_", markersize=8, color="0.15")
    pre = x < 0
    for mask, marker, face, group in ((pre, "s", "white", text(lang, "Before start (placebo)")),
                                      (~pre, "o", "black", text(lang, "From start"))):
        if mask.any():
            ax.plot(x[mask], coef[mask], linestyle="none", marker=marker, color="black", markerfacecolor=face, label=group,
                    zorder=3)
    default_label, default_unit = _outcome(lang, result.outcome)
    name = label or default_label
    unit_text = unit if unit is not None else default_unit
    unit_part = f" ({unit_text})" if unit_text else ""
    ax.axhline(0.0, color="0.3", linestyle="--", linewidth=0.9)
    ax.axvline(-0.5, color="0.3", linestyle=":", linewidth=0.9)
    ax.set_title(text(lang, "Effect on {outcome} by year relative to start (Callaway & Sant'Anna)", outcome=name))
    ax.set_xlabel(text(lang, "Years relative to programme start (0 = start year)"))
    ax.set_ylabel(text(lang, "Estimated effect on {outcome}{unit}", outcome=name, unit=unit_part))
    if x.size:
        ax.set_xticks(np.arange(int(x.min()), int(x.max()) + 1))
    ax.legend(loc="best", frameon=False, fontsize="small")
    return ax

