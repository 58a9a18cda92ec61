"""The appraisal before a decision (beslutsunderlag): one function per section of ``notebooks/appraisal.ipynb``.

:func:`open_appraisal` validates the parameters (``kind: appraisal``), loads the application and
builds an :class:`AppraisalContext`: the report context (:class:`~evaluation.report.context.ReportContext`),
the project's region and its co-financing keys. Unlike an evaluation, a finding whose rule is
*stop* does not stop an appraisal: it is shown, and the committee is asked about it. Sections:
:func:`title` (key facts and a chart), :func:`logic` (checks and coherence score), :func:`rus`
(the link to RUS effect goals), :func:`cofinancing` (the key against the decisions),
:func:`indicators` (against the EU catalogue), :func:`risks`, :func:`questions` and
:func:`key_figures`; the appendix is :func:`evaluation.report.sections.provenance.render`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from evaluation.analysis import cofinancing as cofin
from evaluation.analysis import disclosure, eu_indicators
from evaluation.analysis.portfolio_steering import aggregate_status
from evaluation.core import fmt
from evaluation.core.i18n import ptext, text
from evaluation.core.region import Region
from evaluation.io.loader import load_project
from evaluation.io.region import region_of
from evaluation.plots import appraisal as charts
from evaluation.plots import diagrams
from evaluation.plots.economics import _kind_labels
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, KeyFigures, bullet_list, figure, heading, notice, paragraph, section, table
from evaluation.report.params import validate_notebook_parameters
from evaluation.report.sections import appraisal_questions, labels
from evaluation.report.sections.project_logic import findings_shown, goal_tree_table

__all__ = ["AppraisalContext", "open_appraisal", "title", "logic", "rus", "cofinancing", "indicators", "risks",
           "questions", "key_figures", "SECTIONS"]

SECTIONS: tuple[str, ...] = ("logic", "rus", "cofinancing", "indicators", "risks", "questions")
"""The numbered sections of the appraisal, in order."""

_DAC: dict[str, tuple[str, ...]] = {
    "logic": ("relevance", "coherence"), "rus": ("relevance", "coherence"), "cofinancing": ("efficiency",),
    "indicators": ("effectiveness",), "risks": ("effectiveness", "sustainability"), "questions": (),
}


@dataclass(frozen=True)
class AppraisalContext:
    """The report context of an application, with its region and its co-financing keys (immutable)."""

    report: ReportContext
    region: Region | None
    keys: pd.DataFrame

    @property
    def lang(self) -> Any:
        return self.report.lang


def open_appraisal(**notebook_parameters: Any) -> AppraisalContext:
    """Validate the notebook's parameters, load the application and build the context (stop findings do not stop it)."""
    params = validate_notebook_parameters(**notebook_parameters)
    project = load_project(params.project)
    return AppraisalContext(report=ReportContext.build(params, project), region=region_of(project.region),
                            keys=cofin.project_keys(project.cofinancing))


def _title(lang: Any, name: str) -> str:
    return {
        "logic": text(lang, "Project logic: checks and coherence score"),
        "rus": text(lang, "Link to the regional development strategy (RUS)"),
        "cofinancing": text(lang, "Co-financing against the key"),
        "indicators": text(lang, "Indicators against the EU catalogue"),
        "risks": text(lang, "Risks"),
        "questions": text(lang, "Questions for the committee"),
    }[name]


def _heading(ctx: AppraisalContext, name: str) -> Any:
    return section(SECTIONS.index(name) + 1, _title(ctx.lang, name), _DAC[name], ctx.lang)


def _source(ctx: AppraisalContext) -> str:
    p = ctx.report.project
    titles = "; ".join(s.title for s in p.sources if s.id != "illustrativ") or p.name
    return text(ctx.lang, "{sources} (monitoring values illustrative)", sources=titles) if p.is_illustrative() else titles


def _goal_statement(ctx: AppraisalContext, goal_id: str) -> tuple[str, str]:
    """(priority area, statement) of an effect goal of the project's region; empty when unknown."""
    if ctx.region is None:
        return "", ""
    try:
        return ctx.region.rus.area_of(goal_id).name, ctx.region.rus.effect_goal(goal_id).statement
    except KeyError:
        return "", ""


def title(ctx: AppraisalContext) -> Block:
    """Title, key facts of the application, the illustrative banner and the coherence chart."""
    r = ctx.report
    p, lang = r.project, ctx.lang
    parts: list[Any] = [heading(1, text(lang, "Appraisal: {name}", name=p.name)),
                        paragraph(text(lang, "Decision basis for the regional development committee, as of {date}.",
                                       date=r.d(r.as_of)))]
    if p.is_illustrative():
        parts.append(notice(text(
            lang, "This appraisal contains ILLUSTRATIVE values. Values marked illustrative are invented to demonstrate the "
                  "toolkit and must not be read as the applicant's figures."), "illustrative", lang))
    counts = r.finding_counts()
    status = aggregate_status([row.status for row in r.indicator_rows if row.target is not None])
    facts = [
        (text(lang, "Applicant (project owner)"), p.owner or r.missing()),
        (text(lang, "Project period"), fmt.period(p.start, p.end, lang)),
        (text(lang, "Fund and programme"), " – ".join(x for x in (labels.fund(lang, str(p.fund)), p.programme) if x)),
        (text(lang, "Budget"), r.money(p.budget.total)),
        (text(lang, "RUS effect goals"), ", ".join(p.rus_goals) or r.missing()),
        (text(lang, "Coherence score"), r.missing() if r.coherence.score is None else r.n(r.coherence.score, 0)),
        (text(lang, "Findings that stop / warn"), f"{counts['error']} / {counts['warning']}"),
        (text(lang, "Indicator status"), labels.status(lang, status)),
    ]
    parts.append(table(pd.DataFrame(facts, columns=[text(lang, "Item"), text(lang, "Value")]), lang))
    comp = r.coherence.table(lang)
    parts.append(figure(charts.plot_coherence(comp, r.coherence.score, lang=lang, source=_source(ctx))))
    return Block(tuple(parts))


def logic(ctx: AppraisalContext) -> Block:
    """The goal tree, the coherence components and the findings of the logic review."""
    r = ctx.report
    lang = ctx.lang
    parts: list[Any] = [_heading(ctx, "logic")]
    parts.append(figure(diagrams.plot_goal_tree(r.project.goal_tree, lang=lang, source=_source(ctx)), wide=True))
    parts.append(table(goal_tree_table(r), lang))
    comp = r.coherence.table(lang)
    comp.columns = [text(lang, "Component"), text(lang, "Share"), text(lang, "Count")]
    parts.append(paragraph(text(lang, "Coherence: {score} out of 100, the mean of the shares below.",
                                score=r.missing() if r.coherence.score is None else r.n(r.coherence.score, 0))))
    parts.append(table(comp, lang, formats={comp.columns[1]: "percent"}))
    frame = findings_shown(r)
    if frame.empty:
        parts.append(paragraph(text(lang, "The logic review found nothing to remark.")))
    else:
        parts.append(paragraph(text(lang, "In an appraisal a finding that would stop an evaluation report is shown, not "
                                          "stopped at: it must be resolved before the project starts.")))
        frame["severity"] = [labels.severity(lang, s) for s in frame["severity"]]
        frame = frame[["severity", "subject", "text"]]
        frame.columns = [text(lang, "Severity"), text(lang, "Concerns"), text(lang, "Finding")]
        parts.append(table(frame, lang))
    return Block(tuple(parts))


def rus(ctx: AppraisalContext) -> Block:
    """The RUS effect goals the project and its goal tree link to, with their priority areas."""
    p, lang = ctx.report.project, ctx.lang
    parts: list[Any] = [_heading(ctx, "rus")]
    if ctx.region is not None:
        parts.append(paragraph(text(lang, "{region}: {strategy} ({period}).", region=ctx.region.name,
                                    strategy=ctx.region.rus.name, period=ctx.region.rus.period)))
    rows = []
    for goal in p.rus_goals:
        area, statement = _goal_statement(ctx, goal)
        nodes = [n.id for n in p.goal_tree.nodes if goal in getattr(n, "rus_goals", ())]
        rows.append((goal, area or "–", statement or goal, ", ".join(nodes) or "–"))
    if rows:
        parts.append(table(pd.DataFrame(rows, columns=[text(lang, "Effect goal"), text(lang, "Priority area"),
                                                       text(lang, "Statement"), text(lang, "Goal-tree nodes")]), lang))
    else:
        parts.append(notice(text(lang, "The application links to no RUS effect goal."), "missing", lang))
    return Block(tuple(parts))


def cofinancing(ctx: AppraisalContext) -> Block:
    """Each co-financing key: every party's part by the key against its decision, the differences, and a chart per key."""
    p, lang, keys = ctx.report.project, ctx.lang, ctx.keys
    parts: list[Any] = [_heading(ctx, "cofinancing")]
    if keys.empty:
        parts.append(paragraph(text(lang, "The application has no co-financing key; its financiers are listed below.")))
        kinds = _kind_labels(lang)
        fin = pd.DataFrame([(f.name, kinds.get(f.kind, f.kind), f.amount) for f in p.financiers],
                           columns=[text(lang, "Financier"), text(lang, "Kind"), text(lang, "Amount")])
        parts.append(table(fin, lang, formats={text(lang, "Amount"): "money"}) if not fin.empty
                     else paragraph(text(lang, "No financiers are reported.")))
        return Block(tuple(parts))
    parts.append(paragraph(text(lang, "Each party's part is computed from the key and its inputs (whole kronor, largest "
                                      "remainder); the difference is the decided amount minus that part.")))
    for key in p.cofinancing:
        frame = keys[keys["key"] == key.id].reset_index(drop=True)
        check = cofin.check_key(key, p.cofinancing)
        parts.append(heading(3, f"{key.name or key.id}: {fmt.money(key.total, lang)}"))
        if key.source:
            parts.append(paragraph(text(lang, "Source: {source}", source=key.source)))
        shown = pd.DataFrame({
            text(lang, "Party"): frame["party"], text(lang, "Kind"): frame["kind"], text(lang, "Input"): frame["input"],
            text(lang, "Share"): frame["share"], text(lang, "By the key"): frame["computed"],
            text(lang, "Decided"): frame["decided"], text(lang, "Difference"): frame["difference"],
        })
        parts.append(table(shown, lang, formats={text(lang, "Share"): "percent", text(lang, "By the key"): "money",
                                                 text(lang, "Decided"): "money", text(lang, "Difference"): "money"},
                           decimals={text(lang, "Input"): 0}))
        if check.split_gap is not None:
            parts.append(paragraph(text(lang, "The key splits {party}'s decided {decided}; the key's total differs from it by {gap}.",
                                        party=key.splits or "", decided=fmt.money(check.split_of, lang),
                                        gap=fmt.money(check.split_gap, lang))))
        if check.illustrative_inputs:
            parts.append(notice(text(lang, "Some inputs of this key are ILLUSTRATIVE."), "illustrative", lang))
        parts.append(figure(charts.plot_cofinancing(frame, lang=lang, source=key.source or _source(ctx))))
    return Block(tuple(parts))


def indicators(ctx: AppraisalContext) -> Block:
    """Each indicator with its EU code against the catalogue: known code, name, unit and level agreeing."""
    p, lang = ctx.report.project, ctx.lang
    parts: list[Any] = [_heading(ctx, "indicators")]
    yes, no = text(lang, "yes"), text(lang, "no")
    rows = []
    for ind in p.indicators:
        entry = eu_indicators.lookup(ind.code)
        if not ind.code:
            rows.append((ind.id, ind.name, "–", "–", ind.unit or "–", "–", text(lang, "no EU code")))
            continue
        if entry is None:
            rows.append((ind.id, ind.name, ind.code, "–", ind.unit or "–", "–", text(lang, "not in the EU catalogue")))
            continue
        unit_ok = eu_indicators.unit_agrees(entry, ind.unit)
        level_ok = eu_indicators.level_agrees(entry, ind.level)
        verdict = (text(lang, "agrees") if unit_ok and level_ok else
                   text(lang, "unit differs") if not unit_ok else text(lang, "level differs"))
        rows.append((ind.id, ind.name, ind.code, entry.name(lang), ind.unit or "–",
                     f"{entry.unit_name(lang)} / {yes if unit_ok else no}", verdict))
    if not rows:
        parts.append(notice(text(lang, "The application has no indicators."), "missing", lang))
        return Block(tuple(parts))
    parts.append(table(pd.DataFrame(rows, columns=[
        "Id", text(lang, "Indicator"), text(lang, "EU code"), text(lang, "Name in the catalogue"), text(lang, "Unit"),
        text(lang, "Catalogue unit / agrees"), ptext(lang, "eu check", "Verdict")]), lang))
    parts.append(paragraph(text(lang, "Catalogue: Regulation (EU) 2021/1058, Annex I (ERDF) and Regulation (EU) 2021/1057, "
                                      "Annex I (ESF+).")))
    return Block(tuple(parts))


def risks(ctx: AppraisalContext) -> Block:
    """Risks and assumptions the application states, external factors, and the risks its data show."""
    p, lang = ctx.report.project, ctx.lang
    parts: list[Any] = [_heading(ctx, "risks")]
    stated = [(n.id, n.statement, "; ".join(n.assumptions), "; ".join(n.risks)) for n in p.goal_tree.nodes
              if n.assumptions or n.risks]
    if stated:
        parts.append(table(pd.DataFrame(stated, columns=[text(lang, "Goal/activity"), text(lang, "Statement"),
                                                         text(lang, "Assumptions"), text(lang, "Risks")]), lang))
    else:
        parts.append(paragraph(text(lang, "The goal tree states no assumptions or risks.")))
    if p.effect_chain.external_factors:
        parts.append(heading(3, text(lang, "External factors")))
        parts.append(bullet_list(p.effect_chain.external_factors))
    seen = []
    counts = ctx.report.finding_counts()
    if counts["error"]:
        seen.append(text(lang, "{n} finding(s) would stop an evaluation report until resolved.", n=counts["error"]))
    undecided = int(ctx.keys["decided"].isna().sum()) if not ctx.keys.empty else 0
    if undecided:
        seen.append(text(lang, "{n} co-financing part(s) are not decided.", n=undecided))
    if p.budget.total is None:
        seen.append(text(lang, "The total budget is not reported."))
    if p.is_illustrative():
        seen.append(text(lang, "Some values are illustrative, not the applicant's own."))
    if seen:
        parts.append(heading(3, text(lang, "Risks the data show")))
        parts.append(bullet_list(seen))
    return Block(tuple(parts))


def questions(ctx: AppraisalContext) -> Block:
    """The questions the committee should ask, each with its reason."""
    r, lang = ctx.report, ctx.lang
    redacted = list(disclosure.redacted_checks(r.project, r.disclosure))
    asked = appraisal_questions.questions(r.project, r.findings, r.coherence.score, ctx.keys, redacted, lang)
    parts: list[Any] = [_heading(ctx, "questions")]
    if not asked:
        parts.append(paragraph(text(lang, "The checks leave no question open.")))
        return Block(tuple(parts))
    frame = pd.DataFrame([(i + 1, q.question, q.reason) for i, q in enumerate(asked)],
                         columns=[text(lang, "No."), text(lang, "Question"), text(lang, "Why")])
    parts.append(table(frame, lang))
    return Block(tuple(parts))


def key_figures(ctx: AppraisalContext) -> KeyFigures:
    """The appraisal's key figures for the JSON."""
    r = ctx.report
    p = r.project
    redacted = list(disclosure.redacted_checks(p, r.disclosure))
    asked = appraisal_questions.questions(p, r.findings, r.coherence.score, ctx.keys, redacted, "en")
    return KeyFigures({
        "project": p.id, "kind": "appraisal", "as_of": r.as_of, "budget_sek": p.budget.total,
        "region": ctx.region.id if ctx.region is not None else None, "rus_goals": list(p.rus_goals),
        "coherence_score": r.coherence.score, "findings": r.finding_counts(),
        "cofinancing": [{"key": k.key, "party": k.party, "computed": k.computed, "decided": k.decided,
                         "difference": k.difference} for k in ctx.keys.itertuples(index=False)],
        "n_questions": len(asked), "illustrative": p.is_illustrative(),
    })
