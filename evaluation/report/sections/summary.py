"""Summary and recommendations: results in brief, then the recommendations the figures and findings give."""

from __future__ import annotations

from typing import Any

from evaluation.analysis import efficiency, status
from evaluation.analysis.recommendations import Recommendation, derive
from evaluation.core.i18n import ntext, text
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, bullet_list, heading
from evaluation.report.sections import common
from evaluation.report.sections.conclusions import status_paragraph
from evaluation.report.sections.recommendations import recommendation_sentence, summary_parts


def gender_sentence(ctx: ReportContext) -> str | None:
    """The women's share of the participants, e.g. "49,7 % kvinnor (1 466 av 2 949 deltagare)"."""
    m = status.participants_by_gender(ctx.project, ctx.as_of)
    if m is None:
        return None
    return text(ctx.lang, "Women make up {share} of the participants ({women} of {total}).",
                share=ctx.pct(status.women_share(m)), women=ctx.n(m.women), total=ctx.n(m.value))


def findings_sentence(ctx: ReportContext) -> str:
    """How many errors, warnings and notes the logic review found."""
    lang = ctx.lang
    counts = ctx.finding_counts()
    return text(lang, "The logic review found {errors}, {warnings} and {notes}.",
                errors=ntext(lang, "{n} error", "{n} errors", counts["error"]),
                warnings=ntext(lang, "{n} warning", "{n} warnings", counts["warning"]),
                notes=ntext(lang, "{n} note", "{n} notes", counts["info"]))


def recommendations(ctx: ReportContext) -> tuple[str, ...]:
    """Recommendations generated from the findings and the indicator statuses (see :mod:`evaluation.analysis.recommendations`)."""
    derived = recommendations_of(ctx)
    return tuple(recommendation_sentence(ctx, rec) for rec in derived)


def recommendations_of(ctx: ReportContext) -> tuple[Recommendation, ...]:
    """The recommendations of the report, before they are written out."""
    return derive(ctx.indicator_rows, ctx.findings, ctx.kind)


def render(ctx: ReportContext) -> Block:
    """Results in brief (indicators, women's share, budget, coherence, findings) and the recommendations."""
    lang = ctx.lang
    parts: list[Any] = [common.heading(ctx, "summary")]
    parts.append(status_paragraph(ctx))  # final or draft, and the evaluator's overall grade
    sentences = [common.indicator_sentence(ctx, r) for r in ctx.indicator_rows if r.target is not None or r.actual is not None]
    gender = gender_sentence(ctx)
    if gender:
        sentences.append(gender)
    budget = ctx.project.budget
    gap = efficiency.budget_gap(ctx.project)
    if gap is not None:
        amounts = {"outcome": ctx.money(budget.outcome_total), "budget": ctx.money(budget.total), "difference": ctx.money(abs(gap))}
        if gap >= 0:
            sentences.append(text(lang, "The outcome was {outcome} against the budget {budget}, {difference} under budget.", **amounts))
        else:
            sentences.append(text(lang, "The outcome was {outcome} against the budget {budget}, {difference} over budget.", **amounts))
    score = ctx.coherence.score
    if score is not None:
        sentences.append(text(lang, "The project logic's coherence scores {score} out of 100 (see the project-logic section).",
                              score=ctx.n(score)))
    sentences.append(findings_sentence(ctx))
    parts.append(heading(3, text(lang, "Results in brief")))
    parts.append(bullet_list(sentences))
    parts.append(heading(3, text(lang, "Recommendations")))
    parts += summary_parts(ctx)  # only what the evaluator adopted; undecided suggestions marked as such (draft)
    parts += common.illustrative_notice(ctx, status.values_illustrative(ctx.project))
    return Block(tuple(parts))
