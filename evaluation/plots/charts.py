"""Report charts not owned by one analysis module: attainment, gender split, firms before/after,
indicator progress and survey agreement.

Every chart has a title, labelled axes with units and a source line, uses greys and hatching
so it prints in black and white, and is drawn on a ``matplotlib.figure.Figure`` (never
pyplot), so nothing is shown twice or leaked between cells. Each function takes ``ax=None``
(a new figure of its own size) or the axes to draw on, and returns the axes it drew on; the
figure is ``ax.figure``. Labels are English message ids translated through the catalogue.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar, cast

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.gridspec import GridSpecBase

from evaluation.core import fmt
from evaluation.core.i18n import Language, ptext, text

_Drawing = TypeVar("_Drawing", Axes, Figure)


def _axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return _figure(ax), ax
    fig = Figure(figsize=size)
    return fig, fig.add_subplot(1, 1, 1)


def _figure(ax: Axes) -> Figure:
    """The figure ``ax`` is drawn in (the root figure when ``ax`` sits in a subfigure)."""
    return cast(Figure, ax.get_figure(root=True))


def add_source(drawing: _Drawing, source: str | None, lang: Language) -> _Drawing:
    """Add the source line at the bottom of the figure and tighten the layout around it.

    ``drawing`` is the axes a plot function returned or a figure; it is returned unchanged.
    """
    fig = _figure(drawing) if isinstance(drawing, Axes) else drawing
    if source:
        fig.text(0.01, 0.005, text(lang, "Source: {source}", source=source), fontsize=7, ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return drawing


def _short(label: str, width: int = 50) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def plot_attainment(
    names: Sequence[str],
    attainment: Sequence[float | None],
    ax: Axes | None = None,
    *,
    lang: Language = "sv",
    source: str | None = None,
) -> Axes:
    """Horizontal bars of target attainment (outcome / target) with the 100 % line.

    Indicators whose outcome is not reported get no bar but the text "uppgift saknas".
    """
    fig, ax = _axes(ax, (8, 0.45 * max(len(names), 3) + 1.3))
    y = np.arange(len(names))
    values = np.array([np.nan if a is None else float(a) * 100 for a in attainment])
    ax.barh(y, np.nan_to_num(values), color="#8c8c8c", edgecolor="black", linewidth=0.6)
    for yi, v in zip(y, values):
        label = fmt.missing(lang) if np.isnan(v) else fmt.percent(v / 100, lang, 0)
        ax.text(0 if np.isnan(v) else v, float(yi), " " + label, va="center", fontsize=8)
    ax.axvline(100, color="black", linestyle="--", linewidth=1)
    ax.set_yticks(y, [_short(n) for n in names], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(text(lang, "Attainment (% of target)"))
    ax.set_title(text(lang, "Target attainment per indicator"))
    finite = values[~np.isnan(values)]
    ax.set_xlim(0, max(120.0, float(finite.max()) * 1.15 if finite.size else 120.0))
    add_source(fig, source, lang)
    return ax


def plot_gender_split(
    frame: pd.DataFrame,
    ax: Axes | None = None,
    *,
    lang: Language = "sv",
    source: str | None = None,
    band: tuple[float, float] = (0.4, 0.6),
) -> Axes:
    """Stacked 100 % bars of women / men / non-binary per indicator, with the 40-60 % band.

    ``frame`` has columns name, total, women, men, non_binary (NaN = not reported).
    """
    fig, ax = _axes(ax, (8, 0.5 * max(len(frame), 2) + 1.4))
    y = np.arange(len(frame))
    labels = (text(lang, "Women"), text(lang, "Men"), text(lang, "Non-binary"))
    left = np.zeros(len(frame))
    for col, label, colour, hatch in zip(("women", "men", "non_binary"), labels, ("#404040", "#bfbfbf", "#ffffff"), ("", "//", "..")):
        share = (frame[col].astype(float) / frame["total"].astype(float)).fillna(0).to_numpy() * 100
        ax.barh(y, share, left=left, color=colour, hatch=hatch, edgecolor="black", linewidth=0.6, label=label)
        left += share
    ax.axvspan(band[0] * 100, band[1] * 100, color="black", alpha=0.08, zorder=0)
    ax.set_yticks(y, [_short(n, 40) for n in frame["name"]], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(text(lang, "Share (%)"))
    ax.set_title(text(lang, "Gender split"))
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    add_source(fig, source, lang)
    return ax


def plot_before_after(
    table: pd.DataFrame,
    ax: Axes | None = None,
    *,
    lang: Language = "sv",
    source: str | None = None,
    before_label: str = "",
    after_label: str = "",
) -> Axes:
    """Dumbbell chart of each participating firm's employees before and after.

    ``table`` is :func:`evaluation.analysis.firms.before_after` output (the totals row is left out).
    """
    rows = table[table["firm_id"].notna()].sort_values(["after", "firm"], ascending=[True, True])
    fig, ax = _axes(ax, (8, 0.22 * max(len(rows), 5) + 1.4))
    y = np.arange(len(rows))
    ax.hlines(y, rows["before"], rows["after"], color="#8c8c8c", linewidth=1.2)
    ax.scatter(rows["before"], y, marker="o", facecolor="white", edgecolor="black", zorder=3,
               label=before_label or ptext(lang, "chart legend", "Before"))
    ax.scatter(rows["after"], y, marker="s", color="black", zorder=3,
               label=after_label or ptext(lang, "chart legend", "After"))
    ax.set_yticks(y, [_short(str(n), 32) for n in rows["firm"]], fontsize=6.5)
    ax.set_xlabel(ptext(lang, "chart axis", "Employees"))
    ax.set_title(text(lang, "Employees per participating firm"))
    ax.legend(fontsize=7, frameon=False, loc="lower right")
    add_source(fig, source, lang)
    return ax


ProgressSeries = tuple[str, pd.DataFrame, float, object, float, object, float | None, float | None, float | None]
"""One indicator of :func:`plot_indicator_progress`: title, cumulative frame, baseline value and date,
target value and date, projected value, projection low and high."""


def _panels(ax: Axes | None, nrows: int, ncols: int) -> tuple[Figure, np.ndarray]:
    """A new figure with a grid of panels, or the grid laid into the area of ``ax`` (which it replaces)."""
    if ax is None:
        fig = Figure(figsize=(8, 2.6 * nrows + 0.6))
        return fig, fig.subplots(nrows, ncols, squeeze=False)
    fig = _figure(ax)
    spec = ax.get_subplotspec()
    grid: GridSpecBase
    if spec is not None:
        grid = spec.subgridspec(nrows, ncols)
    else:  # axes placed by position: a grid over the same rectangle
        box = ax.get_position()
        grid = fig.add_gridspec(nrows, ncols, left=box.x0, right=box.x1, bottom=box.y0, top=box.y1)
    ax.remove()
    return fig, np.array([[fig.add_subplot(grid[r, c]) for c in range(ncols)] for r in range(nrows)])


def plot_indicator_progress(
    series: Sequence[ProgressSeries],
    as_of: object,
    ax: Axes | None = None,
    *,
    lang: Language = "sv",
    source: str | None = None,
    ncols: int = 2,
) -> Axes:
    """Small multiples: each indicator's running total against the straight pro-rata path.

    ``series`` holds, per indicator: (title, cumulative frame with ``period_end`` and
    ``cumulative``, baseline value, baseline date, target value, target date, projected value,
    projection low, projection high). The pro-rata path runs from baseline to target; the
    projection to the target date is drawn dashed with its band as an error bar; the as-of date
    is a vertical line. With ``ax`` the panels fill that axes' area of its figure. Returns the
    first panel's axes; every panel is in ``ax.figure.axes``.
    """
    n = max(len(series), 1)
    nrows = int(np.ceil(n / ncols))
    fig, axes = _panels(ax, nrows, ncols)
    as_of_ts = pd.Timestamp(as_of)
    for k, panel in enumerate(axes.flat):
        if k >= len(series):
            panel.set_axis_off()
            continue
        title, frame, b_val, b_date, t_val, t_date, proj, low, high = series[k]
        b_ts, t_ts = pd.Timestamp(b_date), pd.Timestamp(t_date)
        panel.plot([b_ts, t_ts], [b_val, t_val], color="#8c8c8c", linestyle=":", linewidth=1.5,
                   label=text(lang, "Even pace to target"))
        known = frame.dropna(subset=["cumulative"])
        panel.plot([b_ts, *known["period_end"]], [b_val, *known["cumulative"]], color="black", marker="o", markersize=3,
                   linewidth=1.4, label=ptext(lang, "chart legend", "Outcome"))
        panel.plot([t_ts], [t_val], marker="*", color="black", markersize=9, linestyle="none",
                   label=ptext(lang, "chart legend", "Target"))
        if proj is not None and len(known):
            last = known.iloc[-1]
            panel.plot([last["period_end"], t_ts], [last["cumulative"], proj], color="black", linestyle="--", linewidth=1,
                       label=ptext(lang, "chart legend", "Projection"))
            if low is not None and high is not None:
                panel.errorbar([t_ts], [proj], yerr=[[proj - low], [high - proj]], color="black", capsize=3, linewidth=1)
        panel.axvline(as_of_ts, color="#595959", linewidth=0.8)
        panel.set_title(_short(title, 46), fontsize=8)
        panel.tick_params(labelsize=7)
        panel.set_ylabel(text(lang, "Running total"), fontsize=7)
        panel.set_xlabel(ptext(lang, "chart axis", "Date"), fontsize=7)
        for label in panel.get_xticklabels():
            label.set_rotation(30)
            label.set_ha("right")
    first: Axes = axes.flat[0]
    handles, labels = first.get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=4, fontsize=7, frameon=False, bbox_to_anchor=(0.5, 0.955))
    fig.suptitle(text(lang, "Indicators against an even pace to target"), fontsize=10, y=0.995)
    if source:
        fig.text(0.01, 0.005, text(lang, "Source: {source}", source=source), fontsize=7, ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.03, 1, 0.91))
    return first


def plot_agreement(
    frame: pd.DataFrame,
    ax: Axes | None = None,
    *,
    lang: Language = "sv",
    source: str | None = None,
    threshold: int = 5,
) -> Axes:
    """Share agreeing per item with its Wilson 95 % interval; suppressed items are labelled, not drawn.

    ``frame`` is :func:`evaluation.analysis.surveys.agreement` output.
    """
    fig, ax = _axes(ax, (8, 0.5 * max(len(frame), 2) + 1.4))
    y = np.arange(len(frame))
    shares = frame["share"].to_numpy(dtype=float) * 100
    low = frame["ci_low"].to_numpy(dtype=float) * 100
    high = frame["ci_high"].to_numpy(dtype=float) * 100
    shown = ~frame["suppressed"].to_numpy(dtype=bool) & ~np.isnan(shares)
    ax.barh(y[shown], shares[shown], color="#bfbfbf", edgecolor="black", linewidth=0.6)
    ax.errorbar(shares[shown], y[shown], xerr=[shares[shown] - low[shown], high[shown] - shares[shown]],
                fmt="none", ecolor="black", capsize=3, linewidth=1)
    hidden_text = text(lang, "hidden (fewer than {threshold} answers)", threshold=threshold)
    for yi, ok, s in zip(y, shown, shares):
        ax.text(1 if not ok else s, float(yi), (" " + fmt.percent(s / 100, lang, 0)) if ok else hidden_text, va="center", fontsize=7)
    ax.set_yticks(y, [_short(str(i), 45) for i in frame["item"]], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(text(lang, "Share agreeing (4–5), % with 95% confidence interval"))
    ax.set_title(text(lang, "Share agreeing per item"))
    add_source(fig, source, lang)
    return ax
