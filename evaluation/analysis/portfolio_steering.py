"""Portfolio figures a regional development committee steers by: goals, funds, status, spending, attention.

Each function takes loaded projects and returns a DataFrame (one row per group or project);
nothing here formats a sentence. A figure a project does not report is NaN, never 0.

* :func:`by_effect_goal` -- projects and decided budgets per RUS effect goal (a project linked
  to two goals counts under both; the column ``shared`` says how many goals share its budget).
* :func:`by_fund` and :func:`by_financier` -- decided budgets per fund and financing per financier.
* :func:`project_status` -- one status per project from its indicators' statuses
  (:mod:`evaluation.analysis.status`) by :data:`STATUS_RULE`: the worst judged indicator.
* :func:`spending` -- decided budget, outcome (paid) and the spending rate against the share of
  the project period that has passed.
* :func:`cost_per_outcome` -- cost per firm, participant and job with what a fair comparison
  needs beside it (stage, period, outcome measure, target groups).
* :func:`eu_rollup` -- EU common indicators summed only where code and unit agree, with every
  indicator left out and why.
* :func:`attention` -- findings that stop or warn and the coherence ("röd tråd") score per project.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date

import pandas as pd

from evaluation.analysis import eu_indicators
from evaluation.analysis.portfolio import (
    EU_CODE_PREFIXES,
    as_date,
    check_projects,
    firms_indicator,
    jobs_indicator,
    participants_indicator,
)
from evaluation.analysis.status import indicator_row, indicator_rows
from evaluation.core.i18n import Language
from evaluation.core.model import Indicator, Project

__all__ = [
    "PROJECT_STATUSES",
    "STATUS_RULE",
    "UNLINKED",
    "ATTENTION_COHERENCE",
    "in_region",
    "by_effect_goal",
    "by_fund",
    "by_financier",
    "indicator_statuses",
    "aggregate_status",
    "project_status",
    "status_counts",
    "spending",
    "cost_per_outcome",
    "eu_rollup",
    "attention",
    "summary",
]

PROJECT_STATUSES: tuple[str, ...] = ("on_track", "at_risk", "off_track", "too_early")
"""A project's status, as the portfolio report shows it (in this order)."""

STATUS_RULE = "worst_judged_indicator"
"""The rule of :func:`aggregate_status`: off track if any indicator with a target is off track, else at
risk if any is at risk, else on track if any is on track, else too early (no indicator can be judged
yet: too few values, too little time passed, no target, or nothing reported)."""

UNLINKED = "-"
"""The goal id under which :func:`by_effect_goal` lists projects linked to no RUS effect goal."""

ATTENTION_COHERENCE = 60.0
"""A coherence ("röd tråd") score below this calls for attention (:func:`attention`)."""


def _nan(x: float | None) -> float:
    return float("nan") if x is None else float(x)


def in_region(projects: Sequence[Project], region: str) -> list[Project]:
    """The projects whose ``region`` is ``region`` (compared without case or surrounding spaces), by id."""
    wanted = region.strip().casefold()
    return [p for p in check_projects(projects) if (p.region or "").strip().casefold() == wanted]


def _outcome(project: Project) -> float | None:
    if project.budget.outcome_total is not None:
        return float(project.budget.outcome_total)
    return project.cost_lines_outcome()


def _decided(project: Project) -> float | None:
    """The decided budget: the stated total, else the sum of the financiers when all report an amount."""
    if project.budget.total is not None:
        return float(project.budget.total)
    return project.complete_financing_total()


# --------------------------------------------------------------------------- goals, funds, financiers


def by_effect_goal(projects: Sequence[Project], goals: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per RUS effect goal: ``goal``, ``label``, ``n_projects``, ``projects``, ``budget``, ``illustrative``.

    ``goals`` maps goal ids to labels (the region's strategy, in its order); goals no project
    links to are listed with 0 projects. ``budget`` sums the decided budgets of the projects
    linked to the goal (NaN when none reports one): a project linked to several goals counts in
    full under each, so the column does not add up to the portfolio's budget. Projects linked
    to no goal come last under :data:`UNLINKED`.
    """
    items = check_projects(projects)
    order = list(goals or {})
    for p in items:
        order += [g for g in p.rus_goals if g not in order]
    rows = []
    for goal in [*order, UNLINKED]:
        linked = [p for p in items if (goal in p.rus_goals if goal != UNLINKED else not p.rus_goals)]
        if goal == UNLINKED and not linked:
            continue
        budgets = [b for b in (_decided(p) for p in linked) if b is not None]
        rows.append({
            "goal": goal,
            "label": (goals or {}).get(goal, goal),
            "n_projects": len(linked),
            "projects": ", ".join(p.id for p in linked),
            "budget": float(math.fsum(budgets)) if budgets else float("nan"),
            "illustrative": any(p.is_illustrative() for p in linked),
        })
    frame = pd.DataFrame(rows, columns=["goal", "label", "n_projects", "projects", "budget", "illustrative"])
    frame["n_projects"] = frame["n_projects"].astype("int64")
    frame["budget"] = frame["budget"].astype(float)
    return frame


def by_fund(projects: Sequence[Project]) -> pd.DataFrame:
    """One row per fund (``fund``, ``programme``): ``n_projects``, ``projects``, ``budget`` (decided, NaN if none reports)."""
    items = check_projects(projects)
    groups: dict[tuple[str, str], list[Project]] = {}
    for p in items:
        groups.setdefault((str(p.fund), p.programme or ""), []).append(p)
    rows = []
    for (fund, programme), members in sorted(groups.items()):
        budgets = [b for b in (_decided(p) for p in members) if b is not None]
        rows.append({"fund": fund, "programme": programme, "n_projects": len(members),
                     "projects": ", ".join(p.id for p in members),
                     "budget": float(math.fsum(budgets)) if budgets else float("nan"),
                     "n_not_reported": len(members) - len(budgets)})
    frame = pd.DataFrame(rows, columns=["fund", "programme", "n_projects", "projects", "budget", "n_not_reported"])
    frame["budget"] = frame["budget"].astype(float)
    return frame


def by_financier(projects: Sequence[Project]) -> pd.DataFrame:
    """One row per financier (``name``, ``kind``): ``amount`` summed over the projects reporting it.

    ``n_projects`` counts the projects naming the financier, ``n_not_reported`` those giving no
    amount (not counted as 0; ``amount`` is NaN when none gives one); ``illustrative`` is True
    when any amount is illustrative. Sorted by amount, largest first.
    """
    items = check_projects(projects)
    groups: dict[tuple[str, str], list[tuple[Project, float | None, bool]]] = {}
    for p in items:
        for f in p.financiers:
            groups.setdefault((f.name, str(f.kind)), []).append((p, f.amount, f.data_status == "illustrative"))
    rows = []
    for (name, kind), entries in groups.items():
        amounts = [float(a) for _, a, _ in entries if a is not None]
        rows.append({"name": name, "kind": kind, "n_projects": len({p.id for p, _, _ in entries}),
                     "projects": ", ".join(sorted({p.id for p, _, _ in entries})),
                     "amount": float(math.fsum(amounts)) if amounts else float("nan"),
                     "n_not_reported": sum(1 for _, a, _ in entries if a is None),
                     "illustrative": any(ill for _, _, ill in entries)})
    frame = pd.DataFrame(rows, columns=["name", "kind", "n_projects", "projects", "amount", "n_not_reported", "illustrative"])
    frame["amount"] = frame["amount"].astype(float)
    return frame.sort_values(["amount", "name"], ascending=[False, True], na_position="last").reset_index(drop=True)


# --------------------------------------------------------------------------- status


def indicator_statuses(project: Project, as_of: date | str) -> list[str]:
    """The mid-term status of each indicator of ``project`` with a target (projection and band)."""
    when = as_date(as_of)
    assert when is not None
    return [r.status for r in indicator_rows(project, when, "midterm") if r.target is not None]


def aggregate_status(statuses: Sequence[str]) -> str:
    """One project status from its indicators' statuses by :data:`STATUS_RULE`."""
    for status in ("off_track", "at_risk", "on_track"):
        if status in statuses:
            return status
    return "too_early"


def project_status(projects: Sequence[Project], as_of: date | str) -> pd.DataFrame:
    """One row per project: ``status`` (:func:`aggregate_status`) and how many indicators have each status.

    Columns: ``project``, ``name``, ``status``, ``n_indicators`` (with a target), ``on_track``,
    ``at_risk``, ``off_track``, ``too_early``, ``not_reported``, ``illustrative``.
    """
    rows = []
    for p in check_projects(projects):
        statuses = indicator_statuses(p, as_of)
        counts = Counter(statuses)
        rows.append({"project": p.id, "name": p.name, "status": aggregate_status(statuses), "n_indicators": len(statuses),
                     **{s: counts.get(s, 0) for s in (*PROJECT_STATUSES, "not_reported")},
                     "illustrative": p.is_illustrative()})
    cols = ["project", "name", "status", "n_indicators", *PROJECT_STATUSES, "not_reported", "illustrative"]
    return pd.DataFrame(rows, columns=cols)


def status_counts(status: pd.DataFrame) -> pd.DataFrame:
    """Projects per status (every status of :data:`PROJECT_STATUSES`, 0 when none): ``status``, ``n_projects``, ``projects``."""
    rows = [{"status": s, "n_projects": int((status["status"] == s).sum()),
             "projects": ", ".join(status.loc[status["status"] == s, "project"])} for s in PROJECT_STATUSES]
    return pd.DataFrame(rows, columns=["status", "n_projects", "projects"])


# --------------------------------------------------------------------------- money


def _elapsed(project: Project, when: date) -> float:
    """Share of the project period passed at ``when`` (0..1)."""
    days = (project.end - project.start).days
    if days <= 0:
        return 1.0
    return min(1.0, max(0.0, (when - project.start).days / days))


def spending(projects: Sequence[Project], as_of: date | str) -> pd.DataFrame:
    """One row per project: ``decided``, ``outcome`` (paid or spent as reported), ``rate`` = outcome / decided,
    ``elapsed`` (share of the period passed at ``as_of``) and ``illustrative``; NaN where not reported."""
    when = as_date(as_of)
    assert when is not None
    rows = []
    for p in check_projects(projects):
        decided, outcome = _decided(p), _outcome(p)
        rate = outcome / decided if decided and outcome is not None else None
        rows.append({"project": p.id, "name": p.name, "decided": _nan(decided), "outcome": _nan(outcome),
                     "rate": _nan(rate), "elapsed": _elapsed(p, when), "illustrative": p.is_illustrative()})
    frame = pd.DataFrame(rows, columns=["project", "name", "decided", "outcome", "rate", "elapsed", "illustrative"])
    for col in ("decided", "outcome", "rate", "elapsed"):
        frame[col] = frame[col].astype(float)
    return frame


def _actual(ind: Indicator | None, project: Project, when: date) -> float | None:
    if ind is None:
        return None
    return indicator_row(ind, project, when, "midterm").actual


def _per(cost: float | None, n: float | None) -> float:
    return cost / n if cost is not None and n else float("nan")


def _measure(ind: Indicator | None) -> str:
    return "" if ind is None else f"{ind.name} ({ind.unit})" if ind.unit else ind.name


def cost_per_outcome(projects: Sequence[Project], as_of: date | str) -> pd.DataFrame:
    """One row per project: cost per firm reached, per participant and per job, with what a fair comparison needs.

    The cost is the outcome (money spent) when reported, else NaN (a decided budget is not a
    cost). Beside the figures: ``stage`` (``ended`` or the share of the period passed),
    ``start``, ``end``, ``firms_measure`` / ``jobs_measure`` (the indicator's name and unit:
    different measures are not comparable), ``target_groups`` and ``illustrative``.
    """
    when = as_date(as_of)
    assert when is not None
    rows = []
    for p in check_projects(projects):
        cost = _outcome(p)
        firms_ind, part_ind, jobs_ind = firms_indicator(p), participants_indicator(p), jobs_indicator(p)
        firms, part, jobs = (_actual(i, p, when) for i in (firms_ind, part_ind, jobs_ind))

        rows.append({
            "project": p.id, "name": p.name, "cost": _nan(cost), "firms": _nan(firms), "participants": _nan(part),
            "jobs": _nan(jobs), "cost_per_firm": _per(cost, firms), "cost_per_participant": _per(cost, part), "cost_per_job": _per(cost, jobs),
            "elapsed": _elapsed(p, when), "ended": when >= p.end, "start": p.start, "end": p.end,
            "firms_measure": _measure(firms_ind), "jobs_measure": _measure(jobs_ind),
            "target_groups": "; ".join(p.target_groups), "illustrative": p.is_illustrative(),
        })
    cols = ["project", "name", "cost", "firms", "participants", "jobs", "cost_per_firm", "cost_per_participant",
            "cost_per_job", "elapsed", "ended", "start", "end", "firms_measure", "jobs_measure", "target_groups",
            "illustrative"]
    frame = pd.DataFrame(rows, columns=cols)
    for col in ("cost", "firms", "participants", "jobs", "cost_per_firm", "cost_per_participant", "cost_per_job", "elapsed"):
        frame[col] = frame[col].astype(float)
    return frame


# --------------------------------------------------------------------------- EU common indicators


def eu_rollup(projects: Sequence[Project], as_of: date | str, lang: Language = "sv") -> tuple[pd.DataFrame, pd.DataFrame]:
    """EU common indicators summed only where code AND unit agree with the EU catalogue: ``(sums, not_summable)``.

    The catalogue is :mod:`evaluation.analysis.eu_indicators` (Regulations (EU) 2021/1058 and
    2021/1057, Annex I); a unit agrees when it is the catalogue's unit in English, Swedish or an
    accepted spelling. ``sums`` has one row per catalogue code any project uses: ``code``,
    ``name`` and ``unit`` (the catalogue's, in ``lang``), ``total`` (NaN when no project
    reports a value), ``n_contributing``, ``contributing``. ``not_summable`` has one row per
    indicator left out: ``project``, ``indicator``, ``code``, ``unit``, ``reason`` --
    ``other_unit`` (not the catalogue's unit), ``no_unit``, ``not_in_catalogue`` (written as an
    EU code the catalogue does not hold) or ``not_reported`` (no value up to ``as_of``; never 0).
    """
    when = as_date(as_of)
    assert when is not None
    found: dict[str, list[tuple[Project, Indicator]]] = {}
    for p in check_projects(projects):
        for ind in p.indicators:
            if ind.code and (eu_indicators.looks_like_eu_code(ind.code) or ind.code.startswith(EU_CODE_PREFIXES)):
                found.setdefault(ind.code.strip().upper(), []).append((p, ind))
    sums, left_out = [], []
    for code in sorted(found):
        entries = found[code]
        entry = eu_indicators.lookup(code)
        if entry is None:
            left_out += [{"project": p.id, "indicator": i.id, "code": code, "unit": i.unit or "",
                          "reason": "not_in_catalogue"} for p, i in entries]
            continue
        values, contributing = [], []
        for p, i in entries:
            agrees = eu_indicators.unit_agrees(entry, i.unit)
            if not agrees:
                left_out.append({"project": p.id, "indicator": i.id, "code": code, "unit": i.unit or "",
                                 "reason": "no_unit" if agrees is None else "other_unit"})
                continue
            value = _actual(i, p, when)
            if value is None:
                left_out.append({"project": p.id, "indicator": i.id, "code": code, "unit": i.unit or "", "reason": "not_reported"})
                continue
            values.append(value)
            contributing.append(p.id)
        sums.append({"code": code, "name": entry.name(lang), "unit": entry.unit_name(lang),
                     "total": float(math.fsum(values)) if values else float("nan"),
                     "n_contributing": len(contributing), "contributing": ", ".join(contributing)})
    sums_frame = pd.DataFrame(sums, columns=["code", "name", "unit", "total", "n_contributing", "contributing"])
    sums_frame["total"] = sums_frame["total"].astype(float)
    return sums_frame, pd.DataFrame(left_out, columns=["project", "indicator", "code", "unit", "reason"])


# --------------------------------------------------------------------------- attention


def attention(projects: Sequence[Project], findings: Mapping[str, Sequence[object]],
              coherence: Mapping[str, float | None], status: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per project: ``n_stop``, ``n_warn``, ``coherence``, ``checks`` (the stopping and warning checks),
    ``status`` and ``needs_attention``.

    ``findings`` maps project ids to their findings (objects with ``severity`` and ``check``:
    ``error`` is a finding whose rule stops a report, ``warning`` one that warns);
    ``coherence`` maps project ids to the "röd tråd" score (None when nothing could be tested).
    A project needs attention when it has a stopping finding, a score below
    :data:`ATTENTION_COHERENCE`, or the status ``off_track``. Sorted: those needing attention
    first, then by stops, warnings and score.
    """
    statuses = dict(zip(status["project"], status["status"])) if status is not None else {}
    rows = []
    for p in check_projects(projects):
        found = findings.get(p.id, ())
        stop = [f for f in found if getattr(f, "severity", "") == "error"]
        warn = [f for f in found if getattr(f, "severity", "") == "warning"]
        score = coherence.get(p.id)
        st = statuses.get(p.id, "")
        needs = bool(stop) or (score is not None and score < ATTENTION_COHERENCE) or st == "off_track"
        checks = sorted({str(getattr(f, "check", "")) for f in [*stop, *warn]})
        rows.append({"project": p.id, "name": p.name, "n_stop": len(stop), "n_warn": len(warn),
                     "coherence": _nan(score), "checks": ", ".join(checks), "status": st,
                     "needs_attention": needs, "illustrative": p.is_illustrative()})
    frame = pd.DataFrame(rows, columns=["project", "name", "n_stop", "n_warn", "coherence", "checks", "status",
                                        "needs_attention", "illustrative"])
    frame["coherence"] = frame["coherence"].astype(float)
    if frame.empty:
        return frame
    frame = frame.sort_values(["needs_attention", "n_stop", "n_warn", "coherence", "project"],
                              ascending=[False, False, False, True, True], na_position="last")
    return frame.reset_index(drop=True)


def summary(spend: pd.DataFrame, status: pd.DataFrame, watch: pd.DataFrame) -> dict[str, float | int | None]:
    """The portfolio's key figures: projects, decided budget, outcome, spending rate, statuses, attention.

    Sums run over the projects reporting the figure (None when none does); ``rate`` is the
    outcome over the decided budget of the projects reporting both.
    """
    both = spend.dropna(subset=["decided", "outcome"])
    decided = spend["decided"].dropna()
    outcome = spend["outcome"].dropna()
    out: dict[str, float | int | None] = {
        "n_projects": int(len(spend)),
        "n_illustrative": int(spend["illustrative"].sum()) if len(spend) else 0,
        "decided": float(math.fsum(decided)) if len(decided) else None,
        "outcome": float(math.fsum(outcome)) if len(outcome) else None,
        "rate": (float(math.fsum(both["outcome"]) / math.fsum(both["decided"]))
                 if len(both) and math.fsum(both["decided"]) else None),
        "n_attention": int(watch["needs_attention"].sum()) if len(watch) else 0,
    }
    for s in PROJECT_STATUSES:
        out[f"n_{s}"] = int((status["status"] == s).sum())
    return out
