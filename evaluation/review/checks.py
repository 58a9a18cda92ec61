"""Logic checks: what an expert evaluator looks for in a project logic (P1).

:func:`check_project` runs every check and returns :class:`Finding` records, each with a
severity, the node or indicator it concerns and one sentence in Swedish and in English.
:func:`coherence_score` condenses the structural checks into a "röd tråd" score from 0 to 100
with its components, so a reader can see exactly where points were lost.

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
from evaluation.core import fmt
from evaluation.core.fmt import Language
from evaluation.core.model import CRITERIA, GENDER_PARTS, Indicator, Project
from evaluation.review import rules
from evaluation.review.findings import SEVERITY_ORDER, Finding, Severity

OUTPUT_PREFIXES = ("RCO", "EECO", "PSO")
RESULT_PREFIXES = ("RCR", "EECR", "PSR")
EFFECT_RANK = {"activity": 0, "output": 1, "short_term": 2, "long_term": 3}
CRITERION_NAMES = {
    "gender_equality": ("jämställdhet", "gender equality"),
    "equal_opportunities": ("lika möjligheter och icke-diskriminering", "equal opportunities and non-discrimination"),
    "sustainable_development": ("hållbar utveckling", "sustainable development"),
}


def _num(x: float, lang: Language = "en") -> str:
    return fmt.number(x, lang)


def _sv(x: float) -> str:
    return fmt.number(x, "sv")


def _pct(x: float, lang: Language, decimals: int = 1) -> str:
    return fmt.percent(x, lang, decimals)


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
    out = []
    for cycle in sorted((_from_smallest(c) for c in nx.simple_cycles(graph)), key=sorted):
        ids = " -> ".join([*cycle, cycle[0]])
        out.append(
            Finding("goal_cycle", "error", cycle[0], f"Målträdet har en cirkulär koppling: {ids}.", f"The goal tree has a cycle: {ids}.")
        )
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
                    f"Aktiviteten {node.id} ({node.statement}) är inte kopplad till något mål.",
                    f"Activity {node.id} ({node.statement}) is linked to no goal.",
                )
            )
    return out


def _goals_without_activity(project: Project) -> list[Finding]:
    out = []
    for node in project.goal_tree.nodes:
        if node.level == "activity":
            continue
        if not any(d.level == "activity" for d in project.goal_tree.descendants(node.id)):
            out.append(
                Finding(
                    "goal_without_activity",
                    "warning",
                    node.id,
                    f"Målet {node.id} ({node.statement}) har ingen aktivitet under sig.",
                    f"Goal {node.id} ({node.statement}) has no activity beneath it.",
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
                    f"Målet {node.id} ({node.statement}) mäts inte av någon indikator.",
                    f"Goal {node.id} ({node.statement}) is measured by no indicator.",
                )
            )
        elif _is_effect_goal(project, node.id) and all(i.level in ("activity", "output") for i in indicators):
            names = ", ".join(i.id for i in indicators)
            out.append(
                Finding(
                    "effect_goal_output_only",
                    "warning",
                    node.id,
                    f"Effektmålet {node.id} mäts bara med output-indikatorer ({names}); en resultat- eller effektindikator saknas.",
                    f"Effect-level goal {node.id} is measured only by output indicators ({names}); a result or effect indicator is missing.",
                )
            )
    return out


def _deadlines_after_end(project: Project) -> list[Finding]:
    return [
        Finding(
            "deadline_after_end",
            "warning",
            n.id,
            f"Målet {n.id} har tidsgränsen {n.deadline.isoformat()}, efter projektets slut {project.end.isoformat()}.",
            f"Goal {n.id} has the deadline {n.deadline.isoformat()}, after the project's end {project.end.isoformat()}.",
        )
        for n in project.goal_tree.nodes
        if n.deadline is not None and n.deadline > project.end
    ]


# --------------------------------------------------------------------------- effect logic


def _chain_cycles(project: Project) -> list[Finding]:
    graph = nx.DiGraph()
    graph.add_edges_from((link.source, link.target) for link in project.effect_chain.links)
    out = []
    for cycle in sorted((_from_smallest(c) for c in nx.simple_cycles(graph)), key=sorted):
        ids = " -> ".join([*cycle, cycle[0]])
        out.append(
            Finding("chain_cycle", "error", cycle[0], f"Effektlogiken har en cirkulär koppling: {ids}.", f"The effect-logic chain has a cycle: {ids}.")
        )
    return out


def _chain_gaps(project: Project) -> list[Finding]:
    chain = project.effect_chain
    out = []
    rules = (
        ("activity", "output", "activity_without_output", "Aktiviteten", "Activity", "en output (prestation)", "an output"),
        ("output", "short_term", "output_without_short_term", "Outputen", "Output", "en kortsiktig effekt", "a short-term effect"),
        ("short_term", "long_term", "short_term_without_long_term", "Den kortsiktiga effekten", "Short-term effect", "en långsiktig effekt", "a long-term effect"),
    )
    for level, nxt, check, sv_name, en_name, sv_target, en_target in rules:
        for node in chain.by_level(level):  # type: ignore[arg-type]
            targets = [chain.node(link.target) for link in chain.outgoing(node.id)]
            if not any(t.level == nxt or EFFECT_RANK[t.level] > EFFECT_RANK[nxt] for t in targets):
                out.append(
                    Finding(
                        check,
                        "warning",
                        node.id,
                        f"{sv_name} {node.id} ({node.statement}) leder inte till {sv_target}.",
                        f"{en_name} {node.id} ({node.statement}) has no link to {en_target}.",
                    )
                )
    for link in chain.links:
        src, dst = chain.node(link.source), chain.node(link.target)
        if EFFECT_RANK[dst.level] <= EFFECT_RANK[src.level]:
            out.append(
                Finding(
                    "link_backwards",
                    "warning",
                    f"{link.source}->{link.target}",
                    f"Kopplingen {link.source} -> {link.target} går inte uppåt i kedjan ({src.level} -> {dst.level}).",
                    f"The link {link.source} -> {link.target} does not go up the chain ({src.level} -> {dst.level}).",
                )
            )
    return out


def _links_without_assumption(project: Project) -> list[Finding]:
    return [
        Finding(
            "link_without_assumption",
            "info",
            f"{link.source}->{link.target}",
            f"Kopplingen {link.source} -> {link.target} saknar ett antagande som gör den rimlig.",
            f"The link {link.source} -> {link.target} states no assumption that makes it plausible.",
        )
        for link in project.effect_chain.links
        if not (link.assumption or "").strip()
    ]


# --------------------------------------------------------------------------- indicators


def _indicator_gaps(project: Project) -> list[Finding]:
    out = []
    for ind in project.indicators:
        missing_sv, missing_en = [], []
        for ok, sv, en in (
            (ind.baseline_value is not None and ind.baseline_date is not None, "utgångsvärde", "baseline"),
            (ind.target_value is not None, "målvärde", "target"),
            (ind.target_date is not None or ind.target_value is None, "måldatum", "target date"),
            (bool(ind.unit), "enhet", "unit"),
            (bool(ind.source), "källa", "source"),
        ):
            if not ok:
                missing_sv.append(sv)
                missing_en.append(en)
        if missing_sv:
            out.append(
                Finding(
                    "indicator_incomplete",
                    "warning",
                    ind.id,
                    f"Indikatorn {ind.id} ({ind.name}) saknar {', '.join(missing_sv)}.",
                    f"Indicator {ind.id} ({ind.name}) has no {', '.join(missing_en)}.",
                )
            )
        if ind.target_date is not None and ind.target_date > project.end:
            out.append(
                Finding(
                    "target_after_end",
                    "warning",
                    ind.id,
                    f"Indikatorn {ind.id} har måldatum {ind.target_date.isoformat()}, efter projektets slut {project.end.isoformat()}.",
                    f"Indicator {ind.id} has its target dated {ind.target_date.isoformat()}, after the project's end {project.end.isoformat()}.",
                )
            )
        if not ind.measures:
            out.append(
                Finding(
                    "indicator_measures_nothing",
                    "warning",
                    ind.id,
                    f"Indikatorn {ind.id} är inte kopplad till något mål eller led i effektlogiken.",
                    f"Indicator {ind.id} is tied to no goal or effect-logic node.",
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
                    f"Indikatorn {ind.id} har output-koden {code} men ligger på nivån {ind.level}.",
                    f"Indicator {ind.id} carries the output code {code} but sits at level {ind.level}.",
                )
            )
        if code.startswith(RESULT_PREFIXES) and ind.level in ("activity", "output"):
            out.append(
                Finding(
                    "indicator_level_mismatch",
                    "warning",
                    ind.id,
                    f"Indikatorn {ind.id} har resultatkoden {code} men ligger på nivån {ind.level}.",
                    f"Indicator {ind.id} carries the result code {code} but sits at level {ind.level}.",
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
                            f"Indikatorn {ind.id} ({ind.level}) mäter {node_id}, som ligger på nivån {node.level}.",
                            f"Indicator {ind.id} ({ind.level}) measures {node_id}, which sits at level {node.level}.",
                        )
                    )
    return out


def _parts_check(ind: Indicator, parts: dict[str, float | None], total: float, label_sv: str, label_en: str, when: str) -> Finding | None:
    reported = {k: v for k, v in parts.items() if v is not None}
    if not reported:
        return None
    s = float(sum(reported.values()))
    if abs(s - total) <= 1e-9 * max(1.0, abs(total)):
        return None
    if len(reported) < len(parts) and s < total:
        return None  # incomplete split (a part not reported) that does not exceed the total
    return Finding(
        "disaggregation_mismatch",
        "error",
        ind.id,
        f"Uppdelningen på {label_sv} för {ind.id} ({when}) summerar till {_sv(s)}, inte till totalen {_sv(total)}.",
        f"The {label_en} split of {ind.id} ({when}) adds up to {_num(s)}, not to the total {_num(total)}.",
    )


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
                        f"Indikatorn {ind.id} har ett värde för {when}, efter projektets slut {project.end.isoformat()}.",
                        f"Indicator {ind.id} has a value for {when}, after the project's end {project.end.isoformat()}.",
                    )
                )
            if m.value is None:
                continue
            for parts, sv, en in ((dict(zip(GENDER_PARTS, m.gender().values())), "kön", "gender"), (m.size_classes(), "storleksklass", "size-class")):
                finding = _parts_check(ind, parts, m.value, sv, en, when)
                if finding:
                    out.append(finding)
            if ind.aggregation == "cumulative" and previous is not None and m.value < previous[1]:
                out.append(
                    Finding(
                        "cumulative_decrease",
                        "error",
                        ind.id,
                        f"Den kumulativa indikatorn {ind.id} minskar från {_sv(previous[1])} ({previous[0]}) till {_sv(m.value)} ({when}).",
                        f"Cumulative indicator {ind.id} goes down from {_num(previous[1])} ({previous[0]}) to {_num(m.value)} ({when}).",
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
                    "Projektet redovisar inga arbetspaket; aktiviteterna kan inte följas per arbetspaket.",
                    "The project reports no work packages; activities cannot be followed by work package.",
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
                    f"Arbetspaketet {wp.id} ({wp.name}) har budget men inga aktiviteter.",
                    f"Work package {wp.id} ({wp.name}) has a budget but no activities.",
                )
            )
    for a in activities:
        if a.work_package is None:
            out.append(
                Finding(
                    "activity_without_work_package",
                    "warning",
                    a.id,
                    f"Aktiviteten {a.id} ({a.statement}) hör inte till något arbetspaket.",
                    f"Activity {a.id} ({a.statement}) belongs to no work package.",
                )
            )
    return out


def _horizontal(project: Project) -> list[Finding]:
    out: list[Finding] = []
    present = {h.criterion: h for h in project.horizontal}
    for crit in CRITERIA:
        sv, en = CRITERION_NAMES[crit]
        h = present.get(crit)  # type: ignore[call-overload]
        if h is None:
            out.append(Finding("horizontal_missing", "warning", crit, f"Det horisontella kriteriet {sv} behandlas inte.", f"The horizontal criterion {en} is not addressed."))
            continue
        if not h.actions:
            out.append(Finding("horizontal_without_action", "warning", crit, f"Det horisontella kriteriet {sv} har inga åtgärder.", f"The horizontal criterion {en} has no actions."))
        if not h.indicators:
            out.append(Finding("horizontal_without_indicator", "warning", crit, f"Det horisontella kriteriet {sv} följs inte upp med någon indikator.", f"The horizontal criterion {en} is followed up by no indicator."))
    return out


# --------------------------------------------------------------------------- economics and firm figures


def _gap(a: float, b: float) -> float:
    return abs(b - a) / abs(a) if a else (0.0 if b == 0 else float("inf"))


def _economics(project: Project) -> list[Finding]:
    out: list[Finding] = []
    budget = project.budget
    tol = budget.tolerance
    financing = project.complete_financing_total()
    line_outcome = project.cost_lines_outcome()
    rec = reconcile(budget.total, budget.outcome_total, line_outcome, financing if budget.outcome_total is not None else None, tol)
    names = {
        "outcome_vs_cost_lines": ("kostnadsposterna", "the cost lines", "det angivna utfallet", "the stated outcome"),
        "outcome_vs_financing": ("finansieringen", "the financing", "det angivna utfallet", "the stated outcome"),
    }
    for c in rec.comparisons:
        if c.name not in names or c.difference is None or c.difference == 0:
            continue
        b_sv, b_en, a_sv, a_en = names[c.name]
        rel = abs(c.relative_difference or 0.0)
        severity: Severity = "info" if c.ok else "error"
        within_sv = "inom" if c.ok else "utanför"
        within_en = "within" if c.ok else "beyond"
        out.append(
            Finding(
                f"reconcile_{c.name}",
                severity,
                project.id,
                f"Summan av {b_sv} ({_sv(c.b)} kr) skiljer sig {_sv(abs(c.difference))} kr ({_pct(rel, 'sv', 3)}) från {a_sv} ({_sv(c.a)} kr), {within_sv} toleransen {_pct(tol, 'sv')}.",
                f"The sum of {b_en} ({_num(c.b)} SEK) differs by {_num(abs(c.difference))} SEK ({_pct(rel, 'en', 3)}) from {a_en} ({_num(c.a)} SEK), {within_en} the tolerance of {_pct(tol, 'en')}.",
            )
        )
    if budget.total is not None:
        pairs = []
        if budget.outcome_total is None and financing is not None:
            pairs.append(("financing_vs_budget", financing, "finansieringen", "the financing"))
        line_budgets = [line.budget for line in budget.lines]
        if line_budgets and all(b is not None for b in line_budgets):
            pairs.append(("cost_budget_vs_budget", float(sum(line_budgets)), "kostnadsposternas budget", "the cost lines' budget"))  # type: ignore[arg-type]
        wp_budgets = [wp.budget for wp in project.work_packages]
        if wp_budgets and all(b is not None for b in wp_budgets):
            pairs.append(("work_packages_vs_budget", float(sum(wp_budgets)), "arbetspaketens budget", "the work packages' budget"))  # type: ignore[arg-type]
        for check, value, sv, en in pairs:
            gap = _gap(budget.total, value)
            if gap > 0:
                ok = gap <= tol
                out.append(
                    Finding(
                        f"reconcile_{check}",
                        "info" if ok else "error",
                        project.id,
                        f"Summan av {sv} ({_sv(value)} kr) skiljer sig från totalbudgeten ({_sv(budget.total)} kr) med {_pct(gap, 'sv', 2)}.",
                        f"The sum of {en} ({_num(value)} SEK) differs from the total budget ({_num(budget.total)} SEK) by {_pct(gap, 'en', 2)}.",
                    )
                )
    return out


def _firm_table(project: Project) -> list[Finding]:
    """Published per-firm changes against the before/after columns (NIS 6.0 style tables)."""
    firms = project.firms
    if firms is None or firms["published_change"].isna().all():
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
                    f"{name}: den publicerade ökningen {_sv(change)} stämmer inte med {_sv(wide.loc[(firm_id, name), first])} -> {_sv(wide.loc[(firm_id, name), last])} ({_sv(computed)}).",
                    f"{name}: the published change {_num(change)} does not match {_num(wide.loc[(firm_id, name), first])} -> {_num(wide.loc[(firm_id, name), last])} ({_num(computed)}).",
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
                f"Den publicerade ökningen summerar till {_sv(total_published)}, men totalerna {_sv(wide[first].sum())} -> {_sv(wide[last].sum())} ger {_sv(total_computed)}.",
                f"The published changes add up to {_num(total_published)}, but the totals {_num(wide[first].sum())} -> {_num(wide[last].sum())} give {_num(total_computed)}.",
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
    when = reported.period_end.isoformat()
    return [
        Finding(
            "firm_count_mismatch",
            "warning",
            ind.id,
            f"Indikatorn {ind.id} anger {_sv(reported.value)} företag ({when}), men deltagartabellen har {_sv(counted)} unika företag.",
            f"Indicator {ind.id} reports {_num(reported.value)} firms ({when}), but the participation table has {_num(counted)} distinct firms.",
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
                when = m.period_end.isoformat()
                out.append(Finding(
                    "value_before_start", "warning", ind.id,
                    f"Indikatorn {ind.id} har ett värde för {when}, före projektets start {start}.",
                    f"Indicator {ind.id} has a value for {when}, before the project's start {start}.",
                ))
    for a in project.activities:
        first = a.period_start or a.period_end
        if _outside(first, project) or _outside(a.period_end, project):
            when = f"{a.period_start.isoformat()}–{a.period_end.isoformat()}" if a.period_start else a.period_end.isoformat()
            out.append(Finding(
                "activity_outside_period", "warning", a.activity,
                f"Aktiviteten {a.activity} är redovisad för {when}, utanför projektperioden {start}–{end}.",
                f"Activity {a.activity} is reported for {when}, outside the project period {start} to {end}.",
            ))
    frame = project.participation
    if frame is not None and not frame.empty and frame["period_end"].notna().any():
        for row in frame.itertuples(index=False):
            day = row.period_end
            if day is not None and not pd.isna(day) and _outside(day, project):
                out.append(Finding(
                    "participation_outside_period", "warning", f"{row.activity}/{row.firm_id}",
                    f"Företaget {row.firm_id} deltog i {row.activity} {day.isoformat()}, utanför projektperioden {start}–{end}.",
                    f"Firm {row.firm_id} took part in {row.activity} on {day.isoformat()}, outside the project period {start} to {end}.",
                ))
    return out


def _duplicates(project: Project) -> list[Finding]:
    """The same indicator period twice, the same firm under two ids, the same answer twice."""
    out: list[Finding] = []
    for ind in project.indicators:
        seen: Counter[tuple[date | None, date]] = Counter((m.period_start, m.period_end) for m in ind.values)
        for (_, period_end), n in sorted(seen.items(), key=lambda kv: kv[0][1]):
            if n > 1:
                when = period_end.isoformat()
                out.append(Finding(
                    "indicator_duplicate_period", "error", ind.id,
                    f"Indikatorn {ind.id} har {n} värden för perioden som slutar {when}.",
                    f"Indicator {ind.id} has {n} values for the period ending {when}.",
                ))
    firms = project.firms
    if firms is not None and not firms.empty and (firms["name"].fillna("") != "").any():
        named = firms[firms["name"].fillna("") != ""]
        ids_by_name: dict[str, set[str]] = {}
        shown: dict[str, str] = {}
        for firm_id, name in zip(named["firm_id"], named["name"]):
            key = " ".join(str(name).casefold().split())
            ids_by_name.setdefault(key, set()).add(str(firm_id))
            shown.setdefault(key, str(name))
        for key, ids in sorted(ids_by_name.items()):
            if len(ids) > 1:
                listed = ", ".join(sorted(ids))
                out.append(Finding(
                    "firm_duplicate_name", "warning", listed,
                    f"Företaget {shown[key]} förekommer under flera id: {listed}.",
                    f"The firm {shown[key]} appears under several ids: {listed}.",
                ))
    survey = project.survey
    if survey is not None and not survey.empty:
        counts = survey.groupby(["wave", "respondent", "item"], sort=True).size()
        for (wave, respondent, item), n in counts[counts > 1].items():
            out.append(Finding(
                "survey_duplicate_answer", "error", f"{wave}/{respondent}",
                f"Svarande {respondent} har {n} svar på fråga {item} i omgång {wave}.",
                f"Respondent {respondent} has {n} answers to item {item} in wave {wave}.",
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
)


def check_project(project: Project) -> tuple[Finding, ...]:
    """Run every logic check; severities set by the project's rules (:mod:`evaluation.review.rules`).

    Findings are sorted by severity, then check name, then subject.
    """
    findings = rules.apply((f for check in CHECKS for f in check(project)), project)
    return tuple(sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.check, f.subject)))


def findings_frame(findings: tuple[Finding, ...], lang: str = "sv") -> pd.DataFrame:
    """Findings as a table (severity, check, subject, text in the chosen language)."""
    return pd.DataFrame(
        [{"severity": f.severity, "check": f.check, "subject": f.subject, "text": f.text(lang)} for f in findings],
        columns=["severity", "check", "subject", "text"],
    )
