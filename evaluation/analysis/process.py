"""P2 process: activities carried out, by work package and over time."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from evaluation.core import fmt
from evaluation.core.model import Project

Language = Literal["sv", "en"]
# Greyscale-safe fills and hatches, one per work package / activity group.
GREYS = ("#1a1a1a", "#595959", "#8c8c8c", "#bfbfbf", "#e0e0e0", "#ffffff")
HATCHES = ("", "//", "..", "xx", "\\\\", "--")


def activities_frame(project: Project) -> pd.DataFrame:
    """One row per activity record with its goal-tree statement and work package.

    Columns: activity, statement, work_package, work_package_name, period_start, period_end,
    count, participants, women, men, non_binary, data_status. Counts not reported stay NaN.
    """
    names = {wp.id: wp.name for wp in project.work_packages}
    rows = []
    for rec in sorted(project.activities, key=lambda r: (r.activity, r.period_end)):
        node = project.goal_tree.node(rec.activity)
        rows.append(
            {
                "activity": rec.activity,
                "statement": node.statement,
                "work_package": node.work_package or "",
                "work_package_name": names.get(node.work_package or "", ""),
                "period_start": pd.Timestamp(rec.period_start) if rec.period_start else pd.NaT,
                "period_end": pd.Timestamp(rec.period_end),
                "count": np.nan if rec.count is None else rec.count,
                "participants": np.nan if rec.participants is None else rec.participants,
                "women": np.nan if rec.women is None else rec.women,
                "men": np.nan if rec.men is None else rec.men,
                "non_binary": np.nan if rec.non_binary is None else rec.non_binary,
                "data_status": rec.data_status,
            }
        )
    cols = ["activity", "statement", "work_package", "work_package_name", "period_start", "period_end",
            "count", "participants", "women", "men", "non_binary", "data_status"]
    return pd.DataFrame(rows, columns=cols)


def activity_totals(project: Project, as_of=None) -> pd.DataFrame:
    """Activities carried out up to ``as_of``: count and participants per activity (NaN if never reported)."""
    frame = activities_frame(project)
    if as_of is not None:
        frame = frame[frame["period_end"] <= pd.Timestamp(as_of)]
    if frame.empty:
        return pd.DataFrame(columns=["activity", "statement", "work_package", "count", "participants"])
    grouped = frame.groupby(["work_package", "activity", "statement"], sort=True, dropna=False)
    out = grouped[["count", "participants"]].sum(min_count=1).reset_index()
    return out[["activity", "statement", "work_package", "count", "participants"]]


def activities_by_period(project: Project, as_of=None, freq: Literal["Y", "Q"] = "Y") -> pd.DataFrame:
    """Counts per work package (rows) and period (columns, by end date), up to ``as_of``.

    Projects without work packages are grouped by activity instead. Periods with no record
    are NaN (nothing reported), not zero.
    """
    frame = activities_frame(project)
    if as_of is not None:
        frame = frame[frame["period_end"] <= pd.Timestamp(as_of)]
    if frame.empty:
        return pd.DataFrame()
    key = "work_package" if project.work_packages else "activity"
    label = frame["period_end"].dt.year.astype(str) if freq == "Y" else (
        frame["period_end"].dt.year.astype(str) + " K" + frame["period_end"].dt.quarter.astype(str)
    )
    frame = frame.assign(period=label)
    table = frame.pivot_table(index=key, columns="period", values="count", aggfunc=lambda s: s.sum(min_count=1), dropna=False)
    table = table.reindex(sorted(table.columns), axis=1)
    table.index.name = key
    table.columns.name = None
    return table


def plot_activities(
    project: Project,
    as_of=None,
    ax: Axes | None = None,
    *,
    lang: Language = "sv",
    freq: Literal["Y", "Q"] = "Q",
    source: str | None = None,
) -> Figure:
    """Stacked bars of activities carried out per period, one band per work package (or activity)."""
    table = activities_by_period(project, as_of, freq)
    if ax is None:
        fig = Figure(figsize=(8, 4.2))
        ax = fig.add_subplot(1, 1, 1)
    else:
        fig = ax.figure  # type: ignore[assignment]
    title = "Genomförda aktiviteter per period" if lang == "sv" else "Activities carried out per period"
    ax.set_title(title)
    ax.set_ylabel("Antal aktiviteter (st)" if lang == "sv" else "Number of activities")
    ax.set_xlabel("Period (slutdatum)" if lang == "sv" else "Period (end date)")
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
    if source:
        fig.text(0.01, 0.005, ("Källa: " if lang == "sv" else "Source: ") + source, fontsize=7, ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def plot_activity_totals(project: Project, as_of=None, ax: Axes | None = None, *, lang: Language = "sv", source: str | None = None) -> Figure:
    """Horizontal bars of the number of times each activity was carried out (whole period)."""
    totals = activity_totals(project, as_of).dropna(subset=["count"])
    if ax is None:
        fig = Figure(figsize=(8, 0.35 * max(len(totals), 3) + 1.2))
        ax = fig.add_subplot(1, 1, 1)
    else:
        fig = ax.figure  # type: ignore[assignment]
    ax.set_title("Genomförda aktiviteter" if lang == "sv" else "Activities carried out")
    ax.set_xlabel("Antal tillfällen (st)" if lang == "sv" else "Number of occasions")
    labels = [f"{a}: {s[:55]}{'…' if len(s) > 55 else ''}" for a, s in zip(totals["activity"], totals["statement"])]
    y = np.arange(len(totals))
    ax.barh(y, totals["count"].to_numpy(dtype=float), color="#8c8c8c", edgecolor="black", linewidth=0.6)
    ax.set_yticks(y, labels, fontsize=7)
    ax.invert_yaxis()
    for yi, v in zip(y, totals["count"]):
        ax.text(v, yi, " " + fmt.number(v, lang), va="center", fontsize=7)
    if source:
        fig.text(0.01, 0.005, ("Källa: " if lang == "sv" else "Source: ") + source, fontsize=7, ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig
