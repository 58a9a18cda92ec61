"""Conclusions: a short factual recap, then the evaluator's overall conclusion (the ``overall`` entry).

The recap states what the toolkit computed (targets achieved, the theory of change as the
evidence map judges it, the number of recommendations) and whether the report is final; the
judgement is the evaluator's, shown through :func:`evaluation.report.sections.assessment.render`.
"""

from __future__ import annotations

import html
from typing import Any

from evaluation.core.assessment import grade_label
from evaluation.core.i18n import ntext, text
from evaluation.report.context import ReportContext
from evaluation.report.display import HTML, Block, bullet_list, heading
from evaluation.report.sections import common
from evaluation.report.sections.assessment import render as assessment_block
from evaluation.report.sections.evidence_map import link_evidence
from evaluation.report.sections.recommendations import report_recommendations


def status_sentence(ctx: ReportContext) -> str:
    """Whether the report is final or a draft, in one sentence."""
    n = len(ctx.completeness)
    if n == 0:
        return text(ctx.lang, "This report is final: every question has an assessment and every suggestion is decided.")
    return ntext(ctx.lang, "This report is a DRAFT: {n} item the evaluator still has to write is listed at the top.",
                 "This report is a DRAFT: {n} items the evaluator still has to write are listed at the top.", n)


def overall_sentence(ctx: ReportContext) -> str:
    """The evaluator's overall grade quoted, or that the overall conclusion is not yet written."""
    entry = ctx.assessment.entry("overall") if ctx.assessment is not None else None
    if entry is None or entry.grade is None:
        return text(ctx.lang, "The evaluator has not yet written the overall conclusion.")
    grade = grade_label(ctx.lang, entry.grade)
    if entry.data_status == "published" and entry.source is not None:
        title = next((s.title for s in ctx.project.sources if s.id == entry.source), entry.source)
        return text(ctx.lang, "Overall conclusion as stated in {source}: {grade} (see the conclusions).", source=title, grade=grade)
    if entry.data_status == "illustrative":
        return text(ctx.lang, "Overall assessment (illustrative): {grade} (see the conclusions).", grade=grade)
    return text(ctx.lang, "The evaluator's overall assessment: {grade} (see the conclusions).", grade=grade)


def status_paragraph(ctx: ReportContext) -> HTML:
    """For the summary: whether the report is final or a draft, and the overall grade."""
    return HTML(f'<p class="report-status">{html.escape(status_sentence(ctx))} {html.escape(overall_sentence(ctx))}</p>')


def recap(ctx: ReportContext) -> list[str]:
    """The facts in brief: targets achieved (final) or on track (mid-term), the links by verdict, the recommendations."""
    lang = ctx.lang
    out: list[str] = []
    with_target = [r for r in ctx.indicator_rows if r.target is not None]
    if with_target:
        good = "achieved" if ctx.kind == "final" else "on_track"
        k = sum(1 for r in with_target if r.status == good)
        if ctx.kind == "final":
            out.append(ntext(lang, "{k} of {n} indicator with a target reached it.", "{k} of {n} indicators with a target reached their targets.",
                             len(with_target), k=k))
        else:
            out.append(ntext(lang, "{k} of {n} indicator with a target is on track.", "{k} of {n} indicators with a target are on track.",
                             len(with_target), k=k))
    links = link_evidence(ctx) if ctx.project.effect_chain.links else ()
    if links:
        counts = {v: sum(1 for ev in links if ev.verdict == v) for v in ("held", "failed", "mixed", "untested")}
        out.append(text(lang, "Of the {n} links of the effect logic, {held} held, {failed} failed, {mixed} are mixed and {untested} "
                              "are untested (see the evidence map).", n=len(links), **counts))
    n_recs = len(report_recommendations(ctx))
    out.append(ntext(lang, "The report makes {n} recommendation.", "The report makes {n} recommendations.", n_recs))
    out.append(status_sentence(ctx))
    return out


def render(ctx: ReportContext) -> Block:
    """The recap, then the evaluator's overall conclusion under its label."""
    parts: list[Any] = [common.heading(ctx, "conclusions")]
    parts.append(heading(3, text(ctx.lang, "In brief")))
    parts.append(bullet_list(recap(ctx)))
    parts += assessment_block(ctx, "overall").parts
    return Block(tuple(parts))
