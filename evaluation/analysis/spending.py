"""Spending against the pro-rata budget at the as-of date, by cost category (the mid-term budget section).

At the as-of date a share of the project period has passed (:func:`elapsed_share` from the
project's start to its end). A category's pro-rata budget is its budget times that share; its
spending rate is its outcome so far divided by its budget. The difference between the spending
rate and the elapsed share, in percentage points, says how far spending runs ahead of (positive)
or behind (negative) an even pace. Nothing is judged here: a project may plan its spending
unevenly, and the evaluator says whether the difference matters.

A category without a budget or without an outcome is "not reported" (None), never zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from evaluation.analysis.indicators import elapsed_share
from evaluation.core.model import Project

__all__ = ["Spending", "spending"]

COLUMNS = ("category", "budget", "outcome", "pro_rata", "spending_rate", "difference_pp")


@dataclass(frozen=True)
class Spending:
    """The spending of a project at ``as_of``: the elapsed share and one row per cost category plus a total."""

    as_of: date
    elapsed: float
    rows: pd.DataFrame  # COLUMNS; the last row is the total ("category" None)

    @property
    def total(self) -> pd.Series:
        return self.rows.iloc[-1]


def _rate(outcome: float | None, budget: float | None) -> float | None:
    if outcome is None or budget is None or budget <= 0:
        return None
    return outcome / budget


def spending(project: Project, as_of: date) -> Spending:
    """Each cost category's budget, outcome, pro-rata budget, spending rate and its difference from the elapsed share."""
    elapsed = elapsed_share(project.start, project.end, as_of)
    records: list[tuple[str | None, float | None, float | None, float | None, float | None, float | None]] = []
    for line in project.budget.lines:
        rate = _rate(line.outcome, line.budget)
        records.append((line.category, line.budget, line.outcome,
                        None if line.budget is None else line.budget * elapsed,
                        rate, None if rate is None else (rate - elapsed) * 100))
    budgets = [r[1] for r in records]
    outcomes = [r[2] for r in records]
    total_budget = float(sum(budgets)) if budgets and all(b is not None for b in budgets) else project.budget.total  # type: ignore[arg-type]
    total_outcome = float(sum(outcomes)) if outcomes and all(o is not None for o in outcomes) else None  # type: ignore[arg-type]
    total_rate = _rate(total_outcome, total_budget)
    records.append((None, total_budget, total_outcome, None if total_budget is None else total_budget * elapsed, total_rate,
                    None if total_rate is None else (total_rate - elapsed) * 100))
    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS)).astype(object)
    return Spending(as_of, elapsed, frame.where(pd.notna(frame), None))
