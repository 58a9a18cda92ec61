"""Logic checks: what an expert evaluator looks for in a project logic (P1).

:func:`check_project` runs every check and returns :class:`Finding` records, each with a
severity, the node or indicator it concerns and one sentence: an English message id with its
values, translated through the catalogue when shown (``finding.text(lang)``).
:func:`~evaluation.review.coherence.coherence_score` condenses the structural checks into a
"röd tråd" score from 0 to 100 with its components, so a reader can see exactly where points were lost.

Severities: ``error`` (the logic or the figures are broken: a cycle, a cumulative value that
goes down, costs that do not reconcile), ``warning`` (a gap an evaluator would ask the project
to close), ``info`` (worth knowing, no action required).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date

import networkx as nx
import pandas as pd

from evaluation.analysis.economics import reconcile
from evaluation.core.fmt import Join, Message, Number, Percent
from evaluation.core.i18n import DEFAULT_LANGUAGE, N_, Language
from evaluation.core.model import CRITERIA, EffectLevel, Indicator, Project
from evaluation.review import rules
from evaluation.review.check_support import descendants_of, named_firms
from evaluation.review.eu_indicators import eu_indicator_findings
from evaluation.review.findings import SEVERITY_ORDER, Finding, Severity

OUTPUT_PREFIXES = ("RCO", "EECO", "PSO")
RESULT_PREFIXES = ("RCR", "EECR", "PSR")
EFFECT_RANK = {"activity": 0, "output": 1, "short_term": 2, "long_term": 3}
CRITERION_NAMES = {
    "gender_equality": N_("gender equality"),
    "equal_opportunities": N_("equal opportunities and non-discrimination"),
    "sustainable_development": N_("sustainable development"),
}


# --------------------------------------------------------------------------- goal tree


def _from_smallest(cycle: list[str]) -> list[str]:
    """A cycle rotated to start at its smallest id: networkx starts it anywhere (string hashes
    differ between runs), and the same project must give the same text every time."""
    i = cycle.index(min(cycle))
    return cycle[i:] + cycle[:i]


def _goal_tree_cycles(project: Project) -> list[Finding]:
    graph = nx.DiGraph()
    graph.add_nodes_from(project.goal_tree.ids())
    graph.add_edges_from((n.id, n.parent) for n in project.goal_tree.nodes if n.parent)
    if nx.is_directed_acyclic_graph(graph):  # the usual case: no cycle to list
        return []
    out = []
    for cycle in sorted((_from_smallest(c) for c in nx.simple_cycles(graph)), key=sorted):
        ids = " -> ".join([*cycle, cycle[0]])
        out.append(Finding("goal_cycle", "error", cycle[0], N_("The goal tree has a cycle: {ids}."), ids=ids))
    return out


def _activities_without_goal(project: Project) -> list[Finding]:
    out = []
    for node in project.goal_tree.by_level("activity"):
        parent = project.goal_tree.node(node.parent) if node.parent else None
        if parent is None or parent.level == "activity":
            out.append(
                Finding(
                    "activity_without_goal",
                    "warning",
                    node.id,
                    N_("Activity {id} ({statement}) is linked to no goal."),
                    id=node.id,
                    statement=node.statement,
                )
            )
    return out


def _goals_without_activity(project: Project) -> list[Finding]:
    out = []
    below = descendants_of(project.goal_tree)  # GoalTree.descendants with each node's children listed once
    for node in project.goal_tree.nodes:
        if node.level == "activity":
            continue
        if not any(d.level == "activity" for d in below(node.id)):
            out.append(
                Finding(
                    "goal_without_activity",
                    "warning",
                    node.id,
                    N_("Goal {id} ({statement}) has no activity beneath it."),
                    id=node.id,
                    statement=node.statement,
                )
            )
    return out


def _measuring(project: Project, goal_id: str) -> list[Indicator]:
    """Indicators measuring a goal directly or through an effect node tied to it."""
    effect_ids = {n.id for n in project.effect_chain.nodes if goal_id in n.goals}
    return [i for i in project.indicators if goal_id in i.measures or effect_ids.intersection(i.measures)]


def _is_effect_goal(project: Project, goal_id: str) -> bool:
    node = project.goal_tree.node(goal_id)
    if node.level in ("overall", "project"):
        return True
    return any(goal_id in n.goals and n.level in ("short_term", "long_term") for n in project.effect_chain.nodes)


def _goals_without_indicator(project: Project) -> list[Finding]:
    out = []
    for node in project.goal_tree.nodes:
        if node.level not in ("project", "sub"):
            continue
        indicators = _measuring(project, node.id)
        if not indicators:
            out.append(
                Finding(
                    "goal_without_indicator",
                    "warning",
                    node.id,
                    N_("Goal {id} ({statement}) is measured by no indicator."),
                    id=node.id,
                    statement=node.statement,
                )
            )
        elif _is_effect_goal(project, node.id) and all(i.level in ("activity", "output") for i in indicators):
            out.append(
                Finding(
                    "effect_goal_output_only",
                    "warning",
                    node.id,
                    N_("Effect-level goal {id} is measured only by output indicators ({indicators}); a result or effect indicator is missing."),
                    id=node.id,
                    indicators=", ".join(i.id for i in indicators),
                )
            )
    return out


def _deadlines_after_end(project: Project) -> list[Finding]:
    return [
        Finding(
            "deadline_after_end",
            "warning",
            n.id,
            N_("Goal {id} has the deadline {deadline}, after the project's end {end}."),
            id=n.id,
            deadline=n.deadline.isoformat(),
            end=project.end.isoformat(),
        )
        for n in project.goal_tree.nodes
        if n.deadline is not None and n.deadline > project.end
    ]


# --------------------------------------------------------------------------- effect logic


def _chain_cycles(project: Project) -> list[Finding]:
    graph = nx.DiGraph()
    graph.add_edges_from((link.source, link.target) for link in project.effect_chain.links)
    if nx.is_directed_acyclic_graph(graph):  # the usual case: no cycle to list
        return []
    out = []
    for cycle in sorted((_from_smallest(c) for c in nx.simple_cycles(graph)), key=sorted):
        ids = " -> ".join([*cycle, cycle[0]])
        out.append(Finding("chain_cycle", "error", cycle[0], N_("The effect-logic chain has a cycle: {ids}."), ids=ids))
    return out


def _not_leading_to(project: Project, level: EffectLevel, nxt: EffectLevel) -> list[tuple[str, str]]:
    """(id, statement) of the effect-logic nodes at ``level`` with no link to ``nxt`` or a level above it."""
    chain = project.effect_chain
    out = []
    for node in chain.by_level(level):
        targets = [chain.node(link.target) for link in chain.outgoing(node.id)]
        if not any(t.level == nxt or EFFECT_RANK[t.level] > EFFECT_RANK[nxt] for t in targets):
            out.append((node.id, node.statement))
    return out


def _chain_gaps(project: Project) -> list[Finding]:
    chain = project.effect_chain
    out = [
        Finding("activity_without_output", "warning", id_, N_("Activity {id} ({statement}) has no link to an output."), id=id_, statement=statement)
        for id_, statement in _not_leading_to(project, "activity", "output")
    ]
    out += [
        Finding("output_without_short_term", "warning", id_, N_("Output {id} ({statement}) has no link to a short-term effect."), id=id_, statement=statement)
        for id_, statement in _not_leading_to(project, "output", "short_term")
    ]
    out += [
        Finding(
            "short_term_without_long_term", "warning", id_,
            N_("Short-term effect {id} ({statement}) has no link to a long-term effect."), id=id_, statement=statement,
        )
        for id_, statement in _not_leading_to(project, "short_term", "long_term")
    ]
    for link in chain.links:
        src, dst = chain.node(link.source), chain.node(link.target)
        if EFFECT_RANK[dst.level] <= EFFECT_RANK[src.level]:
            out.append(
                Finding(
                    "link_backwards",
                    "warning",
                    f"{link.source}->{link.target}",
                    N_("The link {source} -> {target} does not go up the chain ({source_level} -> {target_level})."),
                    source=link.source,
                    target=link.target,
                    source_level=src.level,
                    target_level=dst.level,
                )
            )
    return out


def _links_without_assumption(project: Project) -> list[Finding]:
    return [
        Finding(
            "link_without_assumption",
            "info",
            f"{link.source}->{link.target}",
            N_("The link {source} -> {target} states no assumption that makes it plausible."),
            source=link.source,
            target=link.target,
        )
        for link in project.effect_chain.links
        if not (link.assumption or "").strip()
    ]


# --------------------------------------------------------------------------- indicators


def _indicator_gaps(project: Project) -> list[Finding]:
    out = []
    for ind in project.indicators:
        missing = [
            Message(part)
            for ok, part in (
                (ind.baseline_value is not None and ind.baseline_date is not None, N_("baseline")),
                (ind.target_value is not None, N_("target")),
                (ind.target_date is not None or ind.target_value is None, N_("target date")),
                (bool(ind.unit), N_("unit")),
                (bool(ind.source), N_("source")),
            )
            if not ok
        ]
        if missing:
            out.append(
                Finding(
                    "indicator_incomplete",
                    "warning",
                    ind.id,
                    N_("Indicator {id} ({name}) has no {missing}."),
                    id=ind.id,
                    name=ind.name,
                    missing=Join(tuple(missing)),
                )
            )
        if ind.target_date is not None and ind.target_date > project.end:
            out.append(
                Finding(
                    "target_after_end",
                    "warning",
                    ind.id,
                    N_("Indicator {id} has its target dated {target_date}, after the project's end {end}."),
                    id=ind.id,
                    target_date=ind.target_date.isoformat(),
                    end=project.end.isoformat(),
                )
            )
        if not ind.measures:
            out.append(
                Finding(
                    "indicator_measures_nothing",
                    "warning",
                    ind.id,
                    N_("Indicator {id} is tied to no goal or effect-logic node."),
                    id=ind.id,
                )
            )
    return out


def _indicator_level_mismatch(project: Project) -> list[Finding]:
    out = []
    effect_ids = set(project.effect_chain.ids())
    for ind in project.indicators:
        code = ind.code or ""
        if code.startswith(OUTPUT_PREFIXES) and ind.level != "output":
            out.append(
                Finding(
                    "indicator_level_mismatch",
                    "warning",
                    ind.id,
                    N_("Indicator {id} carries the output code {code} but sits at level {level}."),
                    id=ind.id,
                    code=code,
                    level=ind.level,
                )
            )
        if code.startswith(RESULT_PREFIXES) and ind.level in ("activity", "output"):
            out.append(
                Finding(
                    "indicator_level_mismatch",
                    "warning",
                    ind.id,
                    N_("Indicator {id} carries the result code {code} but sits at level {level}."),
                    id=ind.id,
                    code=code,
                    level=ind.level,
                )
            )
        for node_id in ind.measures:
            if node_id in effect_ids:
                node = project.effect_chain.node(node_id)
                if node.level != ind.level:
                    out.append(
                        Finding(
                            "indicator_level_mismatch",
                            "warning",
                            ind.id,
                            N_("Indicator {id} ({level}) measures {node}, which sits at level {node_level}."),
                            id=ind.id,
                            level=ind.level,
                            node=node_id,
                            node_level=node.level,
                        )
                    )
    return out


_GENDER_SPLIT = N_("The gender split of {id} ({when}) adds up to {sum}, not to the total {total}.")
_SIZE_SPLIT = N_("The size-class split of {id} ({when}) adds up to {sum}, not to the total {total}.")


def _parts_check(ind: Indicator, parts: dict[str, float | None], total: float, message: str, when: str) -> Finding | None:
    """A split (``message`` names it) of one value that does not add up to the value's total."""
    if all(v is None for v in parts.values()):  # nothing split: the usual case
        return None
    reported = {k: v for k, v in parts.items() if v is not None}
    s = float(sum(reported.values()))
    if abs(s - total) <= 1e-9 * max(1.0, abs(total)):
        return None
    if len(reported) < len(parts) and s < total:
        return None  # incomplete split (a part not reported) that does not exceed the total
    return Finding("disaggregation_mismatch", "error", ind.id, message, id=ind.id, when=when, sum=Number(s), total=Number(total))


def _indicator_values(project: Project) -> list[Finding]:
    out: list[Finding] = []
    for ind in project.indicators:
        previous = None
        for m in sorted(ind.values, key=lambda m: m.period_end):
            when = m.period_end.isoformat()
            if m.period_end > project.end:
                out.append(
                    Finding(
                        "value_after_end",
                        "warning",
                        ind.id,
                        N_("Indicator {id} has a value for {when}, after the project's end {end}."),
                        id=ind.id,
                        when=when,
                        end=project.end.isoformat(),
                    )
                )
            if m.value is None:
                continue
            for parts, message in ((m.gender(), _GENDER_SPLIT), (m.size_classes(), _SIZE_SPLIT)):  # gender(): GENDER_PARTS
                finding = _parts_check(ind, parts, m.value, message, when)
                if finding:
                    out.append(finding)
            if ind.aggregation == "cumulative" and previous is not None and m.value < previous[1]:
                out.append(
                    Finding(
                        "cumulative_decrease",
                        "error",
                        ind.id,
                        N_("Cumulative indicator {id} goes down from {before} ({before_when}) to {after} ({when})."),
                        id=ind.id,
                        before=Number(previous[1]),
                        before_when=previous[0],
                        after=Number(m.value),
                        when=when,
                    )
                )
            previous = (when, m.value)
    return out


# --------------------------------------------------------------------------- work packages, horizontal criteria


def _work_packages(project: Project) -> list[Finding]:
    out: list[Finding] = []
    activities = project.goal_tree.by_level("activity")
    if not project.work_packages:
        if activities:
            out.append(
                Finding(
                    "no_work_packages",
                    "info",
                    project.id,
                    N_("The project reports no work packages; activities cannot be followed by work package."),
                )
            )
        return out
    for wp in project.work_packages:
        if (wp.budget or 0) > 0 and not any(a.work_package == wp.id for a in activities):
            out.append(
                Finding(
                    "work_package_without_activities",
                    "warning",
                    wp.id,
                    N_("Work package {id} ({name}) has a budget but no activities."),
                    id=wp.id,
                    name=wp.name,
                )
            )
    for a in activities:
        if a.work_package is None:
            out.append(
                Finding(
                    "activity_without_work_package",
                    "warning",
                    a.id,
                    N_("Activity {id} ({statement}) belongs to no work package."),
                    id=a.id,
                    statement=a.statement,
                )
            )
    return out


def _horizontal(project: Project) -> list[Finding]:
    out: list[Finding] = []
    present = {h.criterion: h for h in project.horizontal}
    for crit in CRITERIA:
        name = Message(CRITERION_NAMES[crit])
        h = present.get(crit)  # type: ignore[call-overload]
        if h is None:
            out.append(Finding("horizontal_missing", "warning", crit, N_("The horizontal criterion {criterion} is not addressed."), criterion=name))
            continue
        if not h.actions:
            out.append(Finding("horizontal_without_action", "warning", crit, N_("The horizontal criterion {criterion} has no actions."), criterion=name))
        if not h.indicators:
            out.append(
                Finding("horizontal_without_indicator", "warning", crit, N_("The horizontal criterion {criterion} is followed up by no indicator."), criterion=name)
            )
    return out


# --------------------------------------------------------------------------- economics and firm figures


def _gap(a: float, b: float) -> float:
    return abs(b - a) / abs(a) if a else (0.0 if b == 0 else float("inf"))


# (within the tolerance, beyond it) for each comparison of a sum with the stated outcome
_OUTCOME_DIFFERENCES = {
    "outcome_vs_cost_lines": (
        N_("The sum of the cost lines ({sum} SEK) differs by {difference} SEK ({share}) from the stated outcome ({outcome} SEK), within the tolerance of {tolerance}."),
        N_("The sum of the cost lines ({sum} SEK) differs by {difference} SEK ({share}) from the stated outcome ({outcome} SEK), beyond the tolerance of {tolerance}."),
    ),
    "outcome_vs_financing": (
        N_("The sum of the financing ({sum} SEK) differs by {difference} SEK ({share}) from the stated outcome ({outcome} SEK), within the tolerance of {tolerance}."),
        N_("The sum of the financing ({sum} SEK) differs by {difference} SEK ({share}) from the stated outcome ({outcome} SEK), beyond the tolerance of {tolerance}."),
    ),
}


def _economics(project: Project) -> list[Finding]:
    out: list[Finding] = []
    budget = project.budget
    tol = budget.tolerance
    paid = project.paid_financing_total()  # the outcome is compared with what was paid, never with the plan
    decided = project.decided_financing_total()  # and the plan with the plan
    line_outcome = project.cost_lines_outcome()
    rec = reconcile(budget.total, budget.outcome_total, line_outcome, paid if budget.outcome_total is not None else None, tol)
    for c in rec.comparisons:
        if c.name not in _OUTCOME_DIFFERENCES or c.difference is None or c.difference == 0:
            continue
        within, beyond = _OUTCOME_DIFFERENCES[c.name]
        severity: Severity = "info" if c.ok else "error"
        out.append(
            Finding(
                f"reconcile_{c.name}",
                severity,
                project.id,
                within if c.ok else beyond,
                sum=Number(c.b),
                difference=Number(abs(c.difference)),
                share=Percent(abs(c.relative_difference or 0.0), 3),
                outcome=Number(c.a),
                tolerance=Percent(tol),
            )
        )
    if budget.total is not None:
        pairs = []
        if decided is not None:
            pairs.append(("financing_vs_budget", decided, N_("The sum of the financing ({sum} SEK) differs from the total budget ({budget} SEK) by {gap}.")))
        line_budgets = [line.budget for line in budget.lines]
        if line_budgets and all(b is not None for b in line_budgets):
            pairs.append((
                "cost_budget_vs_budget",
                float(sum(line_budgets)),  # type: ignore[arg-type]
                N_("The sum of the cost lines' budget ({sum} SEK) differs from the total budget ({budget} SEK) by {gap}."),
            ))
        wp_budgets = [wp.budget for wp in project.work_packages]
        if wp_budgets and all(b is not None for b in wp_budgets):
            pairs.append((
                "work_packages_vs_budget",
                float(sum(wp_budgets)),  # type: ignore[arg-type]
                N_("The sum of the work packages' budget ({sum} SEK) differs from the total budget ({budget} SEK) by {gap}."),
            ))
        for check, value, message in pairs:
            gap = _gap(budget.total, value)
            if gap > 0:
                ok = gap <= tol
                out.append(
                    Finding(
                        f"reconcile_{check}",
                        "info" if ok else "error",
                        project.id,
                        message,
                        sum=Number(value),
                        budget=Number(budget.total),
                        gap=Percent(gap, 2),
                    )
                )
    return out


def _firm_table(project: Project) -> list[Finding]:
    """Published per-firm changes against the before/after columns (NIS 6.0 style tables)."""
    firms = project.firms
    if firms is None or firms["published_change"].count() == 0:  # all missing (count: the non-missing, no mask built)
        return []
    out: list[Finding] = []
    part = firms[firms["participant"]]
    years = sorted(int(y) for y in part["year"].dropna().unique())
    if len(years) < 2:
        return out
    first, last = years[0], years[-1]
    wide = part.pivot_table(index=["firm_id", "name"], columns="year", values="employees", aggfunc="first")
    published = part[part["year"] == last].set_index(["firm_id", "name"])["published_change"]
    for (firm_id, name), change in published.dropna().items():
        computed = wide.loc[(firm_id, name), last] - wide.loc[(firm_id, name), first]
        if abs(computed - change) > 1e-9:
            out.append(
                Finding(
                    "firm_change_mismatch",
                    "warning",
                    str(firm_id),
                    N_("{name}: the published change {change} does not match {first} -> {last} ({computed})."),
                    name=name,
                    change=Number(change),
                    first=Number(wide.loc[(firm_id, name), first]),
                    last=Number(wide.loc[(firm_id, name), last]),
                    computed=Number(computed),
                )
            )
    total_published = float(published.sum())
    total_computed = float(wide[last].sum() - wide[first].sum())
    if abs(total_published - total_computed) > 1e-9:
        out.append(
            Finding(
                "firm_total_mismatch",
                "warning",
                project.id,
                N_("The published changes add up to {published}, but the totals {first} -> {last} give {computed}."),
                published=Number(total_published),
                first=Number(wide[first].sum()),
                last=Number(wide[last].sum()),
                computed=Number(total_computed),
            )
        )
    return out


def _firm_count(project: Project) -> list[Finding]:
    """The firms-reached indicator against the distinct firms in the participation table."""
    from evaluation.analysis.indicators import unique_count

    ind = project.indicator_for("firms_reached")
    frame = project.participation
    if ind is None or frame is None or frame.empty or not ind.reported():
        return []
    reported = ind.reported()[-1]
    if frame["period_end"].notna().any():
        frame = frame[frame["period_end"].isna() | (frame["period_end"] <= reported.period_end)]
    counted = unique_count(frame)
    if counted == reported.value:
        return []
    return [
        Finding(
            "firm_count_mismatch",
            "warning",
            ind.id,
            N_("Indicator {id} reports {reported} firms ({when}), but the participation table has {counted} distinct firms."),
            id=ind.id,
            reported=Number(reported.value),
            when=reported.period_end.isoformat(),
            counted=Number(counted),
        )
    ]


# --------------------------------------------------------------------------- dates and duplicates


def _outside(day: date, project: Project) -> bool:
    return day < project.start or day > project.end


def _periods(project: Project) -> list[Finding]:
    """Indicator values before the start, activities and participations outside the project period."""
    out: list[Finding] = []
    start, end = project.start.isoformat(), project.end.isoformat()
    for ind in project.indicators:
        for m in ind.values:
            if m.period_end < project.start:
                out.append(Finding(
                    "value_before_start", "warning", ind.id,
                    N_("Indicator {id} has a value for {when}, before the project's start {start}."),
                    id=ind.id, when=m.period_end.isoformat(), start=start,
                ))
    for a in project.activities:
        first = a.period_start or a.period_end
        if _outside(first, project) or _outside(a.period_end, project):
            when = f"{a.period_start.isoformat()}–{a.period_end.isoformat()}" if a.period_start else a.period_end.isoformat()
            out.append(Finding(
                "activity_outside_period", "warning", a.activity,
                N_("Activity {activity} is reported for {when}, outside the project period {start} to {end}."),
                activity=a.activity, when=when, start=start, end=end,
            ))
    frame = project.participation
    if frame is not None and not frame.empty and frame["period_end"].notna().any():
        for row in frame.itertuples(index=False):
            day = row.period_end
            if day is not None and not pd.isna(day) and _outside(day, project):
                out.append(Finding(
                    "participation_outside_period", "warning", f"{row.activity}/{row.firm_id}",
                    N_("Firm {firm} took part in {activity} on {day}, outside the project period {start} to {end}."),
                    firm=row.firm_id, activity=row.activity, day=day.isoformat(), start=start, end=end,
                ))
    return out


def _duplicates(project: Project) -> list[Finding]:
    """The same indicator period twice, the same firm under two ids, the same answer twice."""
    out: list[Finding] = []
    for ind in project.indicators:
        periods = [(m.period_start, m.period_end) for m in ind.values]
        if len(set(periods)) == len(periods):  # no period twice: the usual case, nothing to count
            continue
        seen: Counter[tuple[date | None, date]] = Counter(periods)
        for (_, period_end), n in sorted(seen.items(), key=lambda kv: kv[0][1]):
            if n > 1:
                out.append(Finding(
                    "indicator_duplicate_period", "error", ind.id,
                    N_("Indicator {id} has {n} values for the period ending {when}."),
                    id=ind.id, n=n, when=period_end.isoformat(),
                ))
    # each (id, name) once in row order (a firm has a row a year), plain lists; grouped only when two share a key
    named = named_firms(project.firms)
    name_keys = [" ".join(str(name).casefold().split()) for _, name in named]
    if len(set(name_keys)) < len(name_keys):
        ids_by_name: dict[str, set[str]] = {}
        shown: dict[str, str] = {}
        for (firm_id, name), key in zip(named, name_keys):
            ids_by_name.setdefault(key, set()).add(str(firm_id))
            shown.setdefault(key, str(name))
        for key, ids in sorted(ids_by_name.items()):
            if len(ids) > 1:
                listed = ", ".join(sorted(ids))
                out.append(Finding(
                    "firm_duplicate_name", "warning", listed,
                    N_("The firm {name} appears under several ids: {ids}."),
                    name=shown[key], ids=listed,
                ))
    survey = project.survey
    keys = [] if survey is None else list(zip(*(survey[c].to_numpy().tolist() for c in ("wave", "respondent", "item"))))
    if survey is not None and not survey.empty and len(set(keys)) < len(keys):  # a pandas groupby only when some answer repeats
        counts = survey.groupby(["wave", "respondent", "item"], sort=True).size()
        for (wave, respondent, item), n in counts[counts > 1].items():
            out.append(Finding(
                "survey_duplicate_answer", "error", f"{wave}/{respondent}",
                N_("Respondent {respondent} has {n} answers to item {item} in wave {wave}."),
                respondent=respondent, n=n, item=item, wave=wave,
            ))
    return out


CHECKS: tuple[Callable[[Project], list[Finding]], ...] = (
    _goal_tree_cycles,
    _activities_without_goal,
    _goals_without_activity,
    _goals_without_indicator,
    _deadlines_after_end,
    _chain_cycles,
    _chain_gaps,
    _links_without_assumption,
    _indicator_gaps,
    _indicator_level_mismatch,
    _indicator_values,
    _work_packages,
    _horizontal,
    _economics,
    _firm_table,
    _firm_count,
    _periods,
    _duplicates,
    eu_indicator_findings,  # evaluation.review.eu_indicators: codes and units against the EU catalogue
)


RawFindings = dict[Callable[[Project], list[Finding]], list[Finding]]


def raw_findings(project: Project) -> RawFindings:
    """Each check of :data:`CHECKS` and its findings before the rules, in that order: :func:`check_project`'s input,
    which :func:`evaluation.review.coherence.coherence_value` can count from instead of running its checks again."""
    return {check: check(project) for check in CHECKS}


def check_project(project: Project, raw: RawFindings | None = None) -> tuple[Finding, ...]:
    """Run every logic check (or take their findings from ``raw``, :func:`raw_findings` of ``project``); severities
    set by the project's rules (:mod:`evaluation.review.rules`).

    Findings are sorted by severity, then check name, then subject.
    """
    found = raw if raw is not None else raw_findings(project)
    findings = rules.apply((f for fs in found.values() for f in fs), project)
    return tuple(sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.check, f.subject)))


def findings_frame(findings: tuple[Finding, ...], lang: Language = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """Findings as a table (severity, check, subject, text in the chosen language)."""
    return pd.DataFrame(
        [{"severity": f.severity, "check": f.check, "subject": f.subject, "text": f.text(lang)} for f in findings],
        columns=["severity", "check", "subject", "text"],
    )
