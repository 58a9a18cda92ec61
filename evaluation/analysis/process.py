"""P2 process: activities carried out, by work package and over time.

Tables only; the charts of these tables are in :mod:`evaluation.plots.process`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from evaluation.core.model import Project


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
