"""Summary and recommendations: results in brief, then the recommendations the figures and findings give."""

from __future__ import annotations

from typing import Any

from evaluation.analysis import efficiency, status
from evaluation.analysis.recommendations import Recommendation, derive
from evaluation.core.i18n import Language, ntext, text
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, bullet_list, heading
from evaluation.report.sections import common, labels


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


def _finding_sentence(lang: Language, check: str, ids: str) -> str:
    sentences = {
        "goal_without_indicator": text(lang, "Add indicators to the goals {ids} so that they can be followed up.", ids=ids),
        "effect_goal_output_only": text(lang, "Measure the effect-level goals {ids} with result or effect indicators, not only outputs.",
                                        ids=ids),
        "indicator_incomplete": text(lang, "Complete the indicators {ids} with baseline, target, unit and source where missing.", ids=ids),
        "goal_without_activity": text(lang, "Tie activities to the goals {ids}, or reconsider whether they are realistic.", ids=ids),
        "activity_without_goal": text(lang, "Link the activities {ids} to the goals they serve.", ids=ids),
        "horizontal_without_action": text(lang, "Describe concrete actions for the horizontal criteria {ids}.", ids=ids),
        "horizontal_without_indicator": text(lang, "Follow up the horizontal criteria {ids} with at least one indicator each.", ids=ids),
        "link_without_assumption": text(lang, "State the assumptions behind the effect-logic links {ids}.", ids=ids),
        "disaggregation_mismatch": text(lang, "Correct the breakdowns that do not add up to their totals: {ids}.", ids=ids),
        "cumulative_decrease": text(lang, "Correct the cumulative indicators that go down: {ids}.", ids=ids),
        "firm_total_mismatch": text(lang, "Reconcile the table of participating firms: the published changes do not match the totals."),
        "activity_without_work_package": text(lang, "Place the activities {ids} in work packages.", ids=ids),
    }
    return sentences[check]


def recommendation_sentence(ctx: ReportContext, rec: Recommendation) -> str:
    """One recommendation as the report writes it."""
    lang = ctx.lang
    row = rec.row
    if row is not None:
        name = row.indicator.name
        if rec.kind == "review":
            return text(lang, "Review the work behind “{name}”: at the current pace {projected} is expected against the target {target}.",
                        name=name, projected=ctx.r(row.projected), target=ctx.n(row.target))
        if rec.kind == "report_outcome":
            return text(lang, "Report the outcome of “{name}” (target {target}); without it attainment cannot be judged.",
                        name=name, target=ctx.n(row.target))
        return text(lang, "Analyse why “{name}” reached {share} of its target, as a lesson for future projects.",
                    name=name, share=ctx.pct(row.attainment, 0))
    if rec.kind == "reconcile":
        return text(lang, "Reconcile costs, budget and financing; they do not agree within the tolerance.")
    if rec.kind == "continue":
        return text(lang, "The project logic and the follow-up hold; continue as planned.")
    subjects = rec.subjects
    if rec.kind.startswith("horizontal"):
        subjects = tuple(labels.criterion(lang, s).lower() if s in labels.CRITERIA else s for s in subjects)
    return _finding_sentence(lang, rec.kind, ", ".join(subjects))


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
    parts.append(bullet_list(recommendations(ctx)))
    parts += common.illustrative_notice(ctx, status.values_illustrative(ctx.project))
    return Block(tuple(parts))
