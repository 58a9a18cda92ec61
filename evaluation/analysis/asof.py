"""A project as it stood at a date: every dated fact after ``as_of`` left out.

A report shows the world as of its ``as_of`` date, so that a mid-term report re-run after the
final data were imported gives the same figures as when it was delivered. :func:`as_of_view`
returns a copy of the project in which:

* indicator values, activities, participation rows, dissemination activities and interviews
  count only when their period or date ends on or before ``as_of`` (an excerpt goes with its
  interview);
* a firm-year row counts only when its year has ended by ``as_of`` (annual figures for a year are
  not known before it ends);
* a survey wave counts only when its date (``survey_invited.date``) is on or before ``as_of``;
  undated waves count;
* cost lines dated after ``as_of`` are left out; when a category has several dated rows, the
  latest on or before ``as_of`` is its line (a running outcome);
* payments count when paid on or before ``as_of``;
* the stated outcome total counts when its ``outcome_date`` is on or before ``as_of``; without a
  date it is the project's final outcome and counts only from the project's end;
* financiers whose amount is the final outcome (``basis: outcome``) count only from the
  project's end.

Undated facts that are not final figures (cost lines, indicator values without a period) are
kept, as before. Nothing is changed in the project itself.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from evaluation.core.model import Budget, CostLine, Project

__all__ = ["as_of_view"]


def _year_ended(year: object, as_of: date) -> bool:
    """Whether calendar year ``year`` has ended by ``as_of``."""
    return int(year) < as_of.year or (int(year) == as_of.year and (as_of.month, as_of.day) == (12, 31))  # type: ignore[call-overload]


def _frame_until(frame: pd.DataFrame | None, column: str, as_of: date) -> pd.DataFrame | None:
    """Rows of ``frame`` whose ``column`` (a date, or empty) is on or before ``as_of``; empty dates kept."""
    if frame is None or column not in frame.columns:
        return frame
    dates = pd.to_datetime(frame[column], errors="coerce")
    keep = dates.isna() | (dates <= pd.Timestamp(as_of))
    return frame if bool(keep.all()) else frame[keep.to_numpy()].copy()


def _cost_lines(lines: tuple[CostLine, ...], as_of: date) -> tuple[CostLine, ...]:
    kept = [line for line in lines if line.period_end is None or line.period_end <= as_of]
    dated: dict[str, CostLine] = {}
    for line in kept:
        if line.period_end is not None:
            best = dated.get(line.category)
            if best is None or (best.period_end is not None and line.period_end >= best.period_end):
                dated[line.category] = line
    out: list[CostLine] = []
    seen: set[str] = set()
    for line in kept:
        if line.period_end is None:
            out.append(line)
        elif line.category not in seen:
            seen.add(line.category)
            out.append(dated[line.category])
    return tuple(out)


def _budget(project: Project, as_of: date) -> Budget:
    budget = project.budget
    outcome_known = (budget.outcome_date <= as_of) if budget.outcome_date is not None else as_of >= project.end
    return replace(budget, outcome_total=budget.outcome_total if outcome_known else None,
                   lines=_cost_lines(budget.lines, as_of))


def as_of_view(project: Project, as_of: date) -> Project:
    """``project`` as it stood at ``as_of`` (see the module's rules)."""
    indicators = tuple(
        replace(ind, values=tuple(m for m in ind.values if m.period_end <= as_of)) for ind in project.indicators
    )
    firms = project.firms
    if firms is not None and "year" in firms.columns and len(firms):
        keep = firms["year"].map(lambda y: pd.isna(y) or _year_ended(y, as_of)).to_numpy(dtype=bool)
        firms = firms if keep.all() else firms[keep].copy()
    survey, invited = project.survey, project.survey_invited
    if invited is not None and "date" in invited.columns:
        invited = _frame_until(invited, "date", as_of)
        if survey is not None and invited is not None and "wave" in survey.columns:
            waves = set(invited["wave"])
            survey = survey[survey["wave"].isin(waves).to_numpy()].copy()
    interviews = tuple(i for i in project.interviews if i.date is None or i.date <= as_of)
    kept_interviews = {i.id for i in interviews}
    final = as_of >= project.end
    return replace(
        project,
        indicators=indicators,
        activities=tuple(a for a in project.activities if a.period_end <= as_of),
        participation=_frame_until(project.participation, "period_end", as_of),
        firms=firms,
        survey=survey,
        survey_invited=invited,
        budget=_budget(project, as_of),
        financiers=project.financiers if final else tuple(f for f in project.financiers if f.basis != "outcome"),
        payments=tuple(p for p in project.payments if p.date <= as_of),
        dissemination=tuple(d for d in project.dissemination if d.date is None or d.date <= as_of),
        interviews=interviews,
        excerpts=tuple(e for e in project.excerpts if e.interview in kept_interviews),
    )
