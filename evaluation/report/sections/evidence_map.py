"""The evidence map: the project's theory of change tested, link by link (figure and table).

The evidence behind each effect-chain link and its verdict come from
:func:`evaluation.analysis.evidence.build`; the map is drawn by
:func:`evaluation.plots.evidence_map.plot_evidence_map` on the effect-chain layout of
:mod:`evaluation.plots.diagrams`. The firm-effect estimate is the one the participating-firms
section shows (:func:`evaluation.report.sections.participating_firms.section_figures`: the same
estimator choice and the same small-cell rule).
"""

from __future__ import annotations

import html
from typing import Any

from evaluation.analysis import evidence
from evaluation.analysis.evidence import Estimate, LinkEvidence
from evaluation.analysis.firm_figures import FirmFigures
from evaluation.core.assessment import grade_label
from evaluation.core.i18n import ptext, text
from evaluation.plots.evidence_map import VERDICT_SYMBOLS, plot_evidence_map, verdict_label
from evaluation.report import anchors
from evaluation.report.context import ReportContext
from evaluation.report.display import HTML, Block, figure, notice, paragraph
from evaluation.report.sections import common, labels, participating_firms
from evaluation.report.sections.assessment import evidence_label, markdown


def firm_estimate(ctx: ReportContext) -> Estimate | None:
    """The firm-effect estimate the participating-firms section shows (final reports), or None when it shows none."""
    if ctx.kind != "final":
        return None
    figures = participating_firms.section_figures(ctx)
    if not isinstance(figures, FirmFigures) or figures.effect.result is None:
        return None
    result = figures.effect.result
    est = result.estimate
    return Estimate(est.coefficient, est.ci_low, est.ci_high, result.method)


def link_evidence(ctx: ReportContext) -> tuple[LinkEvidence, ...]:
    """The evidence and verdict of every effect-chain link of the report."""
    p = ctx.project
    counts: dict[str, set[str]] = {}
    for ex in p.excerpts:
        counts.setdefault(ex.theme, set()).add(ex.interview)
    names = {t.code: t.label or t.code for t in p.themes}
    themes = [(code, names.get(code, code), len(ids)) for code, ids in counts.items()]
    themes += [(code, label, 0) for code, label in names.items() if code not in counts]
    return evidence.build(p.effect_chain, ctx.indicator_rows, ctx.assessment, firm_estimate(ctx), themes)


def _grade(ctx: ReportContext, ev: LinkEvidence) -> str:
    if ev.grade is None:
        return text(ctx.lang, "not graded")
    shown = grade_label(ctx.lang, ev.grade)
    return text(ctx.lang, "{grade} (illustrative)", grade=shown) if ev.grade_illustrative else shown


def evidence_text(ctx: ReportContext, ev: LinkEvidence) -> str:
    """The evidence behind one link in words: indicators with end and status, estimate, survey items, themes, other."""
    lang = ctx.lang
    parts: list[str] = []
    ends = {"source": text(lang, "cause"), "target": text(lang, "effect"), "cited": text(lang, "cited")}
    for item in ev.indicators:
        parts.append(text(lang, "{indicator} ({end}): {status}", indicator=item.name, end=ends[item.end],
                          status=labels.status(lang, item.status).lower()))
    if ev.estimate is not None:
        est = ev.estimate
        parts.append(text(lang, "firm effect on employees {coefficient} per firm (95% confidence interval {ci_low} to {ci_high})",
                          coefficient=ctx.n(est.coefficient, 2), ci_low=ctx.n(est.ci_low, 2), ci_high=ctx.n(est.ci_high, 2)))
    if ev.survey:
        parts.append(text(lang, "survey: {items}", items="; ".join(ev.survey)))
    if ev.themes:
        parts.append(text(lang, "interview themes: {themes}", themes="; ".join(t.label for t in ev.themes)))
    if ev.other:
        parts.append(text(lang, "also cited: {references}", references="; ".join(evidence_label(ctx, r) for r in ev.other)))
    return "; ".join(parts) if parts else text(lang, "no evidence")


def evidence_table(ctx: ReportContext, items: tuple[LinkEvidence, ...]) -> HTML:
    """One row per link: the link, its evidence and the evaluator's text on it, the grade and the verdict."""
    lang = ctx.lang
    head = [text(lang, "Link"), text(lang, "Evidence"), ptext(lang, "assessment", "Grade"), text(lang, "Verdict")]
    out = ['<table class="report-table evidence-map" style="border-collapse:collapse"><thead><tr>']
    out += [f'<th scope="col">{html.escape(h)}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    for ev in items:
        comment = f'<div class="link-text">{markdown(ev.text)}</div>' if ev.text.strip() else ""
        out.append(f'<tr><th scope="row">{html.escape(ev.source)} → {html.escape(ev.target)}</th>'
                   f"<td><p>{html.escape(evidence_text(ctx, ev))}</p>{comment}</td>"
                   f"<td>{html.escape(_grade(ctx, ev))}</td>"
                   f"<td>{html.escape(VERDICT_SYMBOLS[ev.verdict] + ' ' + verdict_label(lang, ev.verdict))}</td></tr>")
    out.append("</tbody></table>")
    return HTML("".join(out))


def rule_text(ctx: ReportContext) -> str:
    """The verdict rule in one paragraph (see :mod:`evaluation.analysis.evidence`)."""
    return text(ctx.lang, "Verdict: each piece of evidence gives a signal. The evaluator's grade: to a high or fairly high degree "
                          "positive, to a low degree or not at all negative. An indicator measuring the link's effect, or cited "
                          "for it: achieved or on track positive, not achieved or off track negative, partly achieved or at risk "
                          "both. The firm-effect estimate: positive when its 95% confidence interval lies above zero, negative "
                          "when below. A link with no signal is untested; with only positive signals it held; with only negative "
                          "ones it failed; with both it is mixed. Indicators measuring the link's cause show whether the cause "
                          "happened and are listed without counting.")


@common.plain_figures
def render(ctx: ReportContext) -> Block:
    """The effect chain coloured by verdict, the table of links with their evidence, grade and verdict, and the rule."""
    lang = ctx.lang
    p = ctx.project
    parts: list[Any] = [common.heading(ctx, "evidence_map")]
    if not p.effect_chain.links:
        parts.append(notice(text(lang, "The project states no effect-logic links to test."), "missing", lang))
        return Block(tuple(parts))
    items = link_evidence(ctx)
    parts.append(paragraph(text(lang, "The evidence map tests the project's theory of change link by link: for each arrow of "
                                      "the effect logic it shows the evidence behind it and the evaluator's grade, and whether "
                                      "the link held, failed, is mixed or is untested.")))
    parts.append(anchors.marks("link", (ev.link for ev in items)))  # where evidence references link:<from>-><to> point
    drawn = plot_evidence_map(p.effect_chain, items, lang=lang, grade_label=lambda g: grade_label(lang, g),
                              source=common.source_line(ctx))
    parts.append(figure(drawn, wide=True))
    parts.append(evidence_table(ctx, items))
    parts.append(paragraph(rule_text(ctx)))
    graded = ctx.assessment.links if ctx.assessment is not None else ()
    if any(link.data_status == "published" and link.grade not in (None, "not_assessed") for link in graded):
        parts.append(paragraph(text(lang, "Grades of links not marked illustrative restate what the project's sources say (see "
                                          "each link's text); they are the sources' view, not an evaluator's judgement.")))
    if any(ev.grade_illustrative for ev in items):
        parts.append(notice(text(lang, "Grades marked illustrative are written to demonstrate the toolkit, not an evaluator's "
                                       "judgement."), "illustrative", lang))
    return Block(tuple(parts))
