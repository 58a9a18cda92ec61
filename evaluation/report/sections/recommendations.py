"""Recommendations: the generated suggestions the evaluator adopted or edited, and the evaluator's own.

The suggestions come from :func:`evaluation.analysis.recommendations.suggestions` (``S1``,
``S2``, ... in a stable order) and are written out by :func:`recommendation_sentence`;
the evaluator decides on each in the assessment file (``suggestions:``). Only adopted and edited
suggestions and the evaluator's own recommendations (``recommendations:``) are the report's
recommendations, each with its id, addressee, priority and due date. A rejected suggestion is
never shown; an undecided one is listed as such, which makes the report a draft.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from evaluation.analysis.recommendations import Recommendation, Suggestion, suggestions
from evaluation.core.assessment import Assessment
from evaluation.core.i18n import Language, ptext, text
from evaluation.report.context import ReportContext
from evaluation.report.display import HTML, Block, heading, notice, paragraph
from evaluation.report.sections import common, labels
from evaluation.report.sections.assessment import markdown


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


@dataclass(frozen=True)
class ReportRecommendation:
    """One recommendation of the report: its id, Markdown text, addressee, priority, due date and origin.

    ``suggestion`` names the generated suggestion it comes from (None: the evaluator's own);
    ``generated`` is True when the text is the generated sentence (adopted unchanged, plain text).
    """

    id: str
    text: str
    addressee: str
    priority: str | None
    due: date | None
    suggestion: str | None
    generated: bool


def report_suggestions(ctx: ReportContext) -> tuple[Suggestion, ...]:
    """The suggestions of this report (same ids as ``evaluation check`` lists)."""
    return suggestions(ctx.indicator_rows, ctx.findings, ctx.kind)


def adopted(ctx: ReportContext, assessment: Assessment | None, generated: Sequence[Suggestion]) -> tuple[ReportRecommendation, ...]:
    """The recommendations an assessment makes of ``generated``: adopted and edited suggestions in suggestion order, then
    the evaluator's own in file order (rejected and undecided suggestions left out)."""
    if assessment is None:
        return ()
    out: list[ReportRecommendation] = []
    for s in generated:
        decision = assessment.suggestion(s.id)
        if decision is None or decision.decision == "rejected":
            continue
        edited = decision.decision == "edited" and bool(decision.text.strip())
        body = decision.text if edited else recommendation_sentence(ctx, s.recommendation)
        out.append(ReportRecommendation(s.id, body, decision.addressee, decision.priority, decision.due, s.id, not edited))
    for rec in assessment.recommendations:
        out.append(ReportRecommendation(rec.id, rec.text, rec.addressee, rec.priority, rec.due, rec.suggestion, False))
    return tuple(out)


def report_recommendations(ctx: ReportContext) -> tuple[ReportRecommendation, ...]:
    """The report's recommendations (see :func:`adopted`)."""
    return adopted(ctx, ctx.assessment, report_suggestions(ctx))


def undecided(ctx: ReportContext) -> tuple[tuple[Suggestion, str], ...]:
    """The suggestions the evaluator has not decided on yet, with their generated sentence."""
    assessment = ctx.assessment
    return tuple((s, recommendation_sentence(ctx, s.recommendation)) for s in report_suggestions(ctx)
                 if assessment is None or assessment.suggestion(s.id) is None)


def priority_label(lang: Language, priority: str | None) -> str:
    """A recommendation's priority in words ("Hög" / "High", ...); "–" when none is given."""
    labels = {"high": ptext(lang, "priority", "High"), "medium": ptext(lang, "priority", "Medium"),
              "low": ptext(lang, "priority", "Low")}
    return labels.get(priority or "", "–")


def body_html(rec: ReportRecommendation) -> str:
    """The recommendation's text as HTML: the generated sentence escaped, the evaluator's Markdown rendered safely."""
    return f"<p>{html.escape(rec.text)}</p>" if rec.generated else markdown(rec.text)


def recommendations_table(ctx: ReportContext, recs: Sequence[ReportRecommendation]) -> HTML:
    """The recommendations as a table: id, recommendation, addressee, priority, due date."""
    lang = ctx.lang
    head = [text(lang, "Id"), text(lang, "Recommendation"), text(lang, "Addressee"), text(lang, "Priority"), text(lang, "Due")]
    out = ['<table class="report-table recommendations" style="border-collapse:collapse"><thead><tr>']
    out += [f'<th scope="col">{html.escape(h)}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    for rec in recs:
        due = ctx.d(rec.due) if rec.due is not None else ctx.missing()
        out.append(f'<tr id="recommendation-{html.escape(rec.id)}"><th scope="row">{html.escape(rec.id)}</th>'
                   f"<td>{body_html(rec)}</td><td>{html.escape(rec.addressee or ctx.missing())}</td>"
                   f"<td>{html.escape(priority_label(lang, rec.priority))}</td><td>{html.escape(due)}</td></tr>")
    out.append("</tbody></table>")
    return HTML("".join(out))


def undecided_parts(ctx: ReportContext) -> list[Any]:
    """A draft's list of the suggestions still to decide (nothing when all are decided)."""
    waiting = undecided(ctx)
    if not waiting:
        return []
    lang = ctx.lang
    items = "".join(f"<li><strong>{html.escape(s.id)}</strong> {html.escape(sentence)}</li>" for s, sentence in waiting)
    return [heading(3, text(lang, "Suggestions not yet decided (draft)")),
            paragraph(text(lang, "The evaluator has not yet adopted, edited or rejected these generated suggestions; they are "
                                 "not recommendations of the report until adopted.")),
            HTML(f'<ul class="undecided-suggestions">{items}</ul>')]


def summary_parts(ctx: ReportContext) -> list[Any]:
    """The summary's recommendations: the report's (id and text); in a draft also the suggestions still to decide, marked so."""
    lang = ctx.lang
    recs = report_recommendations(ctx)
    out: list[Any] = []
    if recs:
        items = "".join(f"<li><strong>{html.escape(r.id)}</strong> {body_html(r)}</li>" for r in recs)
        out.append(HTML(f'<ul class="report-recommendations">{items}</ul>'))
    waiting = undecided(ctx)
    if waiting:
        out.append(paragraph(text(lang, "Suggestions the evaluator has not yet decided on (draft):")))
        items = "".join(f"<li><strong>{html.escape(s.id)}</strong> {html.escape(sentence)}</li>" for s, sentence in waiting)
        out.append(HTML(f'<ul class="undecided-suggestions">{items}</ul>'))
    if not recs and not waiting:
        out.append(paragraph(text(lang, "The evaluator has made no recommendations yet.")))
    return out


def render(ctx: ReportContext) -> Block:
    """The report's recommendations (adopted and edited suggestions and the evaluator's own), then any undecided suggestion."""
    lang = ctx.lang
    parts: list[Any] = [common.heading(ctx, "recommendations_section")]
    recs = report_recommendations(ctx)
    if recs:
        parts.append(recommendations_table(ctx, recs))
    else:
        parts.append(paragraph(text(lang, "The evaluator has made no recommendations yet.")))
    parts += undecided_parts(ctx)
    if ctx.assessment is not None and ctx.assessment.data_status == "illustrative" and recs:
        parts.append(notice(text(lang, "These recommendations are ILLUSTRATIVE: written to demonstrate the toolkit, not an "
                                       "evaluator's recommendations to the project."), "illustrative", lang))
    return Block(tuple(parts))
