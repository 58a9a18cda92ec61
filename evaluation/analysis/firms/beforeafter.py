"""The participants' own development between two years (what programme reports usually show)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluation.analysis.firms.panel import _floats, _require_columns
from evaluation.core.errors import ProblemCollector

__all__ = ["BeforeAfterSummary", "before_after", "before_after_summary"]


@dataclass(frozen=True)
class BeforeAfterSummary:
    """Participants' development between two years (firms observed in both years only)."""

    outcome: str
    before_year: int
    after_year: int
    n_firms: int
    n_missing: int
    total_before: float
    total_after: float
    change: float
    relative_change: float
    median_change: float
    share_growing: float
    share_unchanged: float
    share_shrinking: float


def _before_after_values(panel: pd.DataFrame, outcome: str, before: int, after: int) -> pd.DataFrame:
    _require_columns(panel, ("firm_id", "year", "participant", outcome), "<panel>")
    part = panel.loc[panel["participant"].to_numpy(dtype=bool)]
    firms = pd.Index(sorted(pd.unique(part["firm_id"].astype("str"))), name="firm_id")
    rows = part.loc[part["year"].isin([before, after]), ["firm_id", "year", outcome]]
    wide = (
        rows.assign(firm_id=rows["firm_id"].astype("str"), value=_floats(rows[outcome]))
        .pivot_table(index="firm_id", columns="year", values="value", aggfunc="first", dropna=False)
        .reindex(index=firms, columns=[before, after])
    )
    return pd.DataFrame(
        {
            "before": wide[before].to_numpy(dtype=float),
            "after": wide[after].to_numpy(dtype=float),
        },
        index=firms,
    )


def _check_years(before: int, after: int) -> None:
    if before == after:
        problems = ProblemCollector()
        problems.add("<arguments>", "after", "a year different from 'before'", got=after)
        problems.raise_if_any()


def before_after(
    panel: pd.DataFrame,
    outcome: str = "employees",
    *,
    before: int,
    after: int,
    names: Mapping[str, str] | None = None,
    total_label: str = "Total",
) -> pd.DataFrame:
    """One row per participating firm: the outcome in ``before`` and ``after`` and its change.

    Columns: ``firm_id``, ``firm`` (the name from ``names`` or the id), ``before``,
    ``after``, ``change`` (after - before) and ``relative_change`` (change / before; NaN
    where before is 0 or missing). Firms are sorted by ``firm_id``. The last row
    (``firm_id`` missing, ``firm`` = ``total_label``) holds totals summed over the firms
    observed in both years, so that before and after cover the same firms.
    """
    _check_years(before, after)
    values = _before_after_values(panel, outcome, before, after)
    names = names or {}
    b = values["before"].to_numpy()
    a = values["after"].to_numpy()
    change = a - b
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(b != 0, change / b, np.nan)
    table = pd.DataFrame(
        {
            "firm_id": pd.array(list(values.index), dtype="str"),
            "firm": pd.array([names.get(f, f) for f in values.index], dtype="str"),
            "before": b,
            "after": a,
            "change": change,
            "relative_change": relative,
        }
    )
    both = ~np.isnan(b) & ~np.isnan(a)
    total_before = float(b[both].sum())
    total_after = float(a[both].sum())
    total_change = total_after - total_before
    total = pd.DataFrame(
        {
            "firm_id": pd.array([pd.NA], dtype="str"),
            "firm": pd.array([total_label], dtype="str"),
            "before": [total_before],
            "after": [total_after],
            "change": [total_change],
            "relative_change": [total_change / total_before if total_before != 0 else np.nan],
        }
    )
    return pd.concat([table, total], ignore_index=True)


def before_after_summary(
    panel: pd.DataFrame,
    outcome: str = "employees",
    *,
    before: int,
    after: int,
) -> BeforeAfterSummary:
    """Totals, median change and shares of growing/unchanged/shrinking participants.

    Only firms observed in both years count (``n_missing`` says how many were left out).
    ``relative_change`` is total change / total before (NaN when the total before is 0).
    """
    _check_years(before, after)
    values = _before_after_values(panel, outcome, before, after)
    b = values["before"].to_numpy()
    a = values["after"].to_numpy()
    both = ~np.isnan(b) & ~np.isnan(a)
    b, a = b[both], a[both]
    change = a - b
    n = int(both.sum())
    total_before, total_after = float(b.sum()), float(a.sum())
    return BeforeAfterSummary(
        outcome=outcome,
        before_year=int(before),
        after_year=int(after),
        n_firms=n,
        n_missing=int((~both).sum()),
        total_before=total_before,
        total_after=total_after,
        change=total_after - total_before,
        relative_change=(total_after - total_before) / total_before if total_before != 0 else math.nan,
        median_change=float(np.median(change)) if n else math.nan,
        share_growing=float((change > 0).mean()) if n else math.nan,
        share_unchanged=float((change == 0).mean()) if n else math.nan,
        share_shrinking=float((change < 0).mean()) if n else math.nan,
    )


