"""P3 dissemination: activities by channel, audience and year, with their reach.

Reach is summed over the activities that report it; an activity without a reported reach is
counted in ``reach_not_reported`` and never adds zero, and a group in which no activity reports
its reach has reach NaN (not reported), not 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable

import pandas as pd

from evaluation.core.model import DisseminationActivity, Project

__all__ = ["COLUMNS", "activities", "by_audience", "by_channel", "by_year", "reach_total"]

COLUMNS = ["activities", "reach", "reach_not_reported"]


def reach_total(items: list[DisseminationActivity]) -> float | None:
    """The reach of ``items`` added up over those reporting it; None when none does."""
    known = [float(a.reach) for a in items if a.reach is not None]
    return float(sum(known)) if known else None


def _summary(project: Project, key: Callable[[DisseminationActivity], Hashable], name: str,
             order: list[Hashable] | None = None) -> pd.DataFrame:
    groups: dict[Hashable, list[DisseminationActivity]] = {}
    for a in project.dissemination:
        groups.setdefault(key(a), []).append(a)
    keys = order if order is not None else list(groups)
    rows = []
    for k in keys:
        items = groups.get(k, [])
        if not items:
            continue
        total = reach_total(items)
        rows.append({name: k, "activities": len(items), "reach": math.nan if total is None else total,
                     "reach_not_reported": sum(1 for a in items if a.reach is None)})
    return pd.DataFrame(rows, columns=[name, *COLUMNS])


def by_channel(project: Project) -> pd.DataFrame:
    """Activities, reach and activities without a reported reach per channel (most activities first)."""
    frame = _summary(project, lambda a: a.channel, "channel")
    return frame.sort_values(["activities", "channel"], ascending=[False, True], kind="stable").reset_index(drop=True)


def by_audience(project: Project) -> pd.DataFrame:
    """As :func:`by_channel`, per audience (an empty audience is the empty string), in order of first appearance."""
    return _summary(project, lambda a: a.audience, "audience")


def by_year(project: Project) -> pd.DataFrame:
    """As :func:`by_channel`, per year of the activity's date (year None: the date is not reported, last)."""
    years = sorted({a.date.year for a in project.dissemination if a.date is not None})
    order: list[Hashable] = [*years, None]
    frame = _summary(project, lambda a: None if a.date is None else a.date.year, "year", order)
    frame["year"] = pd.array(frame["year"].tolist(), dtype="Int64")
    return frame


def activities(project: Project) -> pd.DataFrame:
    """Every activity (date order, undated last): id, date, channel, audience, title, reach (NaN = not reported), source, data_status."""
    items = sorted(project.dissemination, key=lambda a: (a.date is None, a.date or pd.Timestamp.min.date(), a.id))
    rows = [{"id": a.id, "date": a.date, "channel": a.channel, "audience": a.audience, "title": a.title,
             "reach": math.nan if a.reach is None else float(a.reach), "source": a.source, "data_status": a.data_status}
            for a in items]
    return pd.DataFrame(rows, columns=["id", "date", "channel", "audience", "title", "reach", "source", "data_status"])
