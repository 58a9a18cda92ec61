"""Portfolio figures over several projects: one row per project, EU common indicators summed.

:func:`portfolio_table` gives per project the fund, period, budget, outcome, firms reached,
participants, share of women, jobs, cost per firm and per job and a summary of target
attainment. :func:`eu_indicator_totals` sums the EU common indicators (codes ``RCO..``,
``RCR..``, ``EECO..``, ``EECR..``) across projects, only over projects that report the code
in the same unit, and lists the projects that are missing or use another unit. A figure a
project does not report is NaN (shown as "uppgift saknas"), never 0.

Computation only: the figures are in :mod:`evaluation.plots.portfolio` and the report views
(headings, formatted tables, key figures) in :mod:`evaluation.report.portfolio`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from evaluation.analysis import status
from evaluation.analysis.indicators import attainment, latest_actual
from evaluation.core.errors import InputError, Problem, ProblemCollector, check_language
from evaluation.core.i18n import Language, text
from evaluation.core.model import Indicator, Project
from evaluation.io.bulk import load_many, load_many_then

__all__ = [
    "EU_CODE_PREFIXES",
    "PORTFOLIO_COLUMNS",
    "TOTALS_COLUMNS",
    "as_date",
    "check_projects",
    "load_projects",
    "load_projects_then",
    "firms_indicator",
    "participants_indicator",
    "jobs_indicator",
    "attainment_frame",
    "portfolio_table",
    "eu_indicator_names",
    "eu_indicator_totals",
]

T = TypeVar("T")

EU_CODE_PREFIXES: tuple[str, ...] = ("RCO", "RCR", "EECO", "EECR")
"""Prefixes of the EU common indicator codes summed by :func:`eu_indicator_totals`."""

PORTFOLIO_COLUMNS: tuple[str, ...] = (
    "project", "name", "fund", "start", "end", "data_status", "illustrative",
    "budget_total", "outcome_total", "firms_reached", "participants", "share_women", "jobs",
    "cost_per_firm", "cost_per_job", "n_targets", "n_targets_met", "n_targets_not_reported",
    "attainment_median", "attainment_min",
)
"""Columns of :func:`portfolio_table`."""

TOTALS_COLUMNS: tuple[str, ...] = (
    "code", "name", "unit", "total", "n_contributing", "n_projects", "contributing", "missing",
    "other_unit",
)
"""Columns of :func:`eu_indicator_totals`."""


def eu_indicator_names(lang: Language = "sv") -> dict[str, str]:
    """Names of the common indicators known here, by code, in ``lang``.

    Other codes are named after the first project's indicator by :func:`eu_indicator_totals`.
    """
    return {
        "RCO01": text(lang, "Enterprises supported"),
        "RCO02": text(lang, "Enterprises supported by grants"),
        "RCO04": text(lang, "Enterprises with non-financial support"),
        "RCO05": text(lang, "New enterprises supported"),
        "RCR01": text(lang, "Jobs created in supported entities"),
        "RCR02": text(lang, "Private investments matching public support"),
        "RCR03": text(lang, "SMEs introducing product or process innovation"),
        "EECO01": text(lang, "Total number of participants"),
    }


def _check_language(lang: object) -> None:
    check_language(lang, "portfolio arguments", "lang")


def as_date(as_of: date | datetime | str | None) -> date | None:
    """``as_of`` as a date (None stays None); a text must be written YYYY-MM-DD."""
    if as_of is None:
        return None
    if isinstance(as_of, datetime):
        return as_of.date()
    if isinstance(as_of, date):
        return as_of
    try:
        return date.fromisoformat(str(as_of))
    except ValueError:
        raise InputError([Problem("portfolio arguments", "as_of", "a date written YYYY-MM-DD", as_of)]) from None


def _nan(x: float | None) -> float:
    return float("nan") if x is None else float(x)


def check_projects(projects: Sequence[Project]) -> list[Project]:
    """The projects sorted by id; an InputError when one is not a Project or comes twice."""
    items = list(projects)
    problems = ProblemCollector()
    for i, p in enumerate(items):
        if not isinstance(p, Project):
            problems.add("portfolio arguments", f"projects[{i}]", "a loaded Project", type(p).__name__)
    ids = Counter(p.id for p in items if isinstance(p, Project))
    for pid, n in sorted(ids.items()):
        if n > 1:
            problems.add("portfolio arguments", "projects", "each project once", pid)
    problems.raise_if_any()
    return sorted(items, key=lambda p: p.id)


def load_projects(ids: Sequence[str | Path], *, data_dir: Path | None = None) -> tuple[Project, ...]:
    """Load every project (by id or folder); raise one InputError listing the problems of all of them."""
    if isinstance(ids, (str, Path)):
        raise InputError([Problem("portfolio arguments", "projects", "a list of project ids", ids)])
    # every problem of every project at once; many projects are loaded in worker processes (evaluation.io.bulk)
    return tuple(check_projects(load_many(ids, data_dir=data_dir)))


def load_projects_then(ids: Sequence[str | Path], then: Callable[[Project], T], *,
                       data_dir: Path | None = None) -> tuple[tuple[Project, ...], dict[str, T]]:
    """:func:`load_projects` with ``then(project)`` computed in the process that loaded each project
    (:func:`evaluation.io.bulk.load_many_then`): the projects sorted by id, and what ``then`` gave by project id."""
    if isinstance(ids, (str, Path)):
        raise InputError([Problem("portfolio arguments", "projects", "a list of project ids", ids)])
    pairs = load_many_then(ids, then, data_dir=data_dir)
    projects = tuple(check_projects([p for p, _ in pairs]))
    return projects, {p.id: out for p, out in pairs}


# --------------------------------------------------------------------------- picking indicators


def firms_indicator(project: Project) -> Indicator | None:
    """The indicator of firms reached (its stated role, or the code RCO01), as the reports use it."""
    return project.indicator_for("firms_reached")


def participants_indicator(project: Project) -> Indicator | None:
    """The indicator of participants (its stated role, or the code EECO01)."""
    return project.indicator_for("participants")


def jobs_indicator(project: Project) -> Indicator | None:
    """The indicator of jobs created (its stated role, or the code RCR01)."""
    return project.indicator_for("jobs")


def _actual(ind: Indicator | None, as_of: date | None, known: Mapping[str, float | None] | None = None) -> float | None:
    if ind is None:
        return None
    if known is not None and ind.id in known:  # computed where the project was loaded (known_actuals)
        return known[ind.id]
    # prepared once and, for a ratio in %, scaled as the indicator status does (status.prepared)
    return latest_actual(status.prepared(ind), ind.aggregation, as_of, file=f"indicator {ind.id}").value


def _share_women(ind: Indicator | None, as_of: date | None) -> float | None:
    """Women / total of the latest reported period (up to as_of) that reports women."""
    if ind is None:
        return None
    for m in sorted(ind.values, key=lambda m: m.period_end, reverse=True):
        if as_of is not None and m.period_end > as_of:
            continue
        if m.value is not None and m.women is not None and m.value > 0:
            return float(m.women) / float(m.value)
    return None


def _outcome(project: Project) -> float | None:
    if project.budget.outcome_total is not None:
        return float(project.budget.outcome_total)
    lines = project.budget.lines
    if lines and all(line.outcome is not None for line in lines):
        return float(math.fsum(float(line.outcome) for line in lines))  # type: ignore[arg-type]
    return None


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def known_actuals(project: Project, as_of: date | None) -> dict[str, float | None]:
    """The running total at ``as_of`` of each indicator of ``project`` that :func:`portfolio_table` reads (those with
    a target; the firms, participants and jobs indicators), by indicator id: computed in the process that loaded the
    project and passed back as ``actuals`` (what the table would compute itself)."""
    wanted = [i for i in project.indicators if i.target_value is not None]
    wanted += [i for i in (firms_indicator(project), participants_indicator(project), jobs_indicator(project))
               if i is not None]
    return {i.id: _actual(i, as_of) for i in wanted}


def attainment_frame(projects: Sequence[Project], as_of: date | str | None = None,
                     actuals: Mapping[str, Mapping[str, float | None]] | None = None) -> pd.DataFrame:
    """One row per indicator with a target: project, indicator, level, unit, actual, target, attainment.

    ``actual`` is the running total at ``as_of`` (NaN when not reported); ``attainment`` is
    actual / target (NaN when not reported or the target is 0). ``actuals``: :func:`known_actuals` at ``as_of``
    by project id, where already computed.
    """
    when = as_date(as_of)
    rows = []
    for p in check_projects(projects):
        known = actuals.get(p.id) if actuals else None
        for ind in p.indicators:
            if ind.target_value is None:
                continue
            act = _actual(ind, when, known)
            rows.append({
                "project": p.id, "indicator": ind.id, "name": ind.name, "level": ind.level, "unit": ind.unit or "",
                "actual": _nan(act), "target": float(ind.target_value),
                "attainment": _nan(attainment(act, ind.target_value)),
            })
    cols = ["project", "indicator", "name", "level", "unit", "actual", "target", "attainment"]
    return pd.DataFrame(rows, columns=cols)


def portfolio_table(projects: Sequence[Project], as_of: date | str | None = None,
                    actuals: Mapping[str, Mapping[str, float | None]] | None = None) -> pd.DataFrame:
    """One row per project (sorted by id) with the columns of :data:`PORTFOLIO_COLUMNS`.

    Indicator figures are running totals at ``as_of`` (all periods when None): firms reached
    (:func:`firms_indicator`), participants and their share of women
    (:func:`participants_indicator`), jobs (:func:`jobs_indicator`). ``outcome_total`` is
    the stated outcome, else the sum of the cost lines when all report one. Costs per firm
    and per job divide the outcome by those counts. Target attainment counts the indicators
    with a target, those reached (actual >= target) and those not reported, with the median
    and minimum of actual/target. Anything not reported is NaN, never 0. ``actuals``: :func:`known_actuals` at
    ``as_of`` by project id, where already computed (the table is the same).
    """
    when = as_date(as_of)
    items = check_projects(projects)
    att = attainment_frame(items, when, actuals)
    # each project's attainment rows by position, found once (not a filter of the whole frame per project)
    positions: dict[str, list[int]] = {}
    for i, pid in enumerate(att["project"].tolist()):
        positions.setdefault(pid, []).append(i)
    att_values = att["attainment"].to_numpy(dtype=float)
    actual_missing = att["actual"].isna().to_numpy()
    rows = []
    for p in items:
        known = actuals.get(p.id) if actuals else None
        firms = _actual(firms_indicator(p), when, known)
        part_ind = participants_indicator(p)
        participants = _actual(part_ind, when, known)
        jobs = _actual(jobs_indicator(p), when, known)
        outcome = _outcome(p)
        mine = positions.get(p.id, [])
        values = att_values[mine]
        reported = values[~np.isnan(values)]  # as Series.dropna: pandas' median and min are numpy's over these
        rows.append({
            "project": p.id,
            "name": p.name,
            "fund": p.fund,
            "start": p.start,
            "end": p.end,
            "data_status": p.data_status,
            "illustrative": p.is_illustrative(),
            "budget_total": _nan(p.budget.total),
            "outcome_total": _nan(outcome),
            "firms_reached": _nan(firms),
            "participants": _nan(participants),
            "share_women": _nan(_share_women(part_ind, when)),
            "jobs": _nan(jobs),
            "cost_per_firm": _nan(_ratio(outcome, firms)),
            "cost_per_job": _nan(_ratio(outcome, jobs)),
            "n_targets": len(mine),
            "n_targets_met": int((reported >= 1.0).sum()),
            "n_targets_not_reported": int(actual_missing[mine].sum()),
            "attainment_median": float(np.nanmedian(reported)) if len(reported) else float("nan"),
            "attainment_min": float(reported.min()) if len(reported) else float("nan"),
        })
    frame = pd.DataFrame(rows, columns=list(PORTFOLIO_COLUMNS))
    for col in ("budget_total", "outcome_total", "firms_reached", "participants", "share_women", "jobs",
                "cost_per_firm", "cost_per_job", "attainment_median", "attainment_min"):
        frame[col] = frame[col].astype(float)
    for col in ("n_targets", "n_targets_met", "n_targets_not_reported"):
        frame[col] = frame[col].astype("int64")
    frame["illustrative"] = frame["illustrative"].astype(bool)
    return frame


def _is_eu_code(code: str | None) -> bool:
    return code is not None and code.startswith(EU_CODE_PREFIXES)


def eu_indicator_totals(projects: Sequence[Project], as_of: date | str | None = None,
                        lang: Language = "sv") -> pd.DataFrame:
    """EU common indicators summed across projects (columns :data:`TOTALS_COLUMNS`), one row per code.

    A code's unit is the one most projects use (ties: alphabetical). ``total`` sums the
    running totals at ``as_of`` of the projects reporting the code in that unit; it is NaN
    when none does. ``contributing`` lists them; ``missing`` lists the projects without
    the code or without a reported value (they are not counted as 0); ``other_unit`` those
    reporting it in another unit (left out of the sum). Lists are comma-separated ids.
    """
    when = as_date(as_of)
    _check_language(lang)
    items = check_projects(projects)
    names = eu_indicator_names(lang)
    codes = sorted({code for p in items for code in (i.code for i in p.indicators) if code is not None and _is_eu_code(code)})
    rows = []
    for code in codes:
        found: dict[str, Indicator] = {}
        for p in items:
            ind = p.indicator_by_code(code)
            if ind is not None:
                found[p.id] = ind
        units = Counter((ind.unit or "") for ind in found.values())
        unit = sorted(units.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        contributing: list[str] = []
        other_unit: list[str] = []
        missing: list[str] = []
        values: list[float] = []
        for p in items:
            ind = found.get(p.id)
            if ind is None:
                missing.append(p.id)
                continue
            if (ind.unit or "") != unit:
                other_unit.append(p.id)
                continue
            value = _actual(ind, when)
            if value is None:
                missing.append(p.id)
            else:
                contributing.append(p.id)
                values.append(value)
        first = next(iter(found.values()))
        name = names.get(code, first.name)
        rows.append({
            "code": code,
            "name": name,
            "unit": unit,
            "total": float(math.fsum(values)) if values else float("nan"),
            "n_contributing": len(contributing),
            "n_projects": len(items),
            "contributing": ", ".join(contributing),
            "missing": ", ".join(missing),
            "other_unit": ", ".join(other_unit),
        })
    frame = pd.DataFrame(rows, columns=list(TOTALS_COLUMNS))
    frame["total"] = frame["total"].astype(float)
    frame["n_contributing"] = frame["n_contributing"].astype("int64")
    frame["n_projects"] = frame["n_projects"].astype("int64")
    return frame
