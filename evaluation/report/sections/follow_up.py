"""Follow-up of the mid-term (final reports): the mid-term's recommendations and the indicators then and now.

Each recommendation the mid-term evaluation adopted (``assessments/midterm.yaml``: adopted and
edited suggestions and the evaluator's own) is shown with the project's response and the
evaluator's verdict from ``assessments/final.yaml`` (``follow_up:``). Each indicator's value at
the mid-term's as-of date stands beside its final value. The mid-term as-of date is the one in
``params/<project>_midterm.yaml`` when that file exists, else the middle of the project period;
the section says which.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import pandas as pd

from evaluation.analysis import status
from evaluation.analysis.recommendations import suggestions
from evaluation.core import paths
from evaluation.core.errors import EvaluationError
from evaluation.core.i18n import Language, ptext, text
from evaluation.report.context import ReportContext
from evaluation.report.display import HTML, Block, heading, notice, paragraph, table
from evaluation.report.params import load_params
from evaluation.report.sections import common
from evaluation.report.sections.assessment import markdown
from evaluation.report.sections.recommendations import ReportRecommendation, adopted, body_html


def midterm_as_of(ctx: ReportContext) -> tuple[date, str]:
    """The mid-term's as-of date and where it comes from: ``params`` (params/<project>_midterm.yaml) or ``midpoint``."""
    p = ctx.project
    path = paths.params_dir() / f"{p.id}_midterm.yaml"
    if path.is_file():
        try:
            return load_params(path, project_exists=None).as_of, "params"
        except EvaluationError:
            pass  # a broken mid-term parameter file is that report's problem; fall back and say so
    return p.start + (p.end - p.start) / 2, "midpoint"


def as_of_sentence(ctx: ReportContext, when: date, origin: str) -> str:
    """Which mid-term date the section uses, and why."""
    if origin == "params":
        return text(ctx.lang, "Mid-term values are as of {date}, the as-of date of the mid-term report (params/{file}).",
                    date=ctx.d(when), file=f"{ctx.project.id}_midterm.yaml")
    return text(ctx.lang, "No mid-term parameter file exists (params/{file}); mid-term values are as of {date}, the middle of the "
                          "project period.", file=f"{ctx.project.id}_midterm.yaml", date=ctx.d(when))


def verdict_label(lang: Language, verdict: str | None) -> str:
    """The evaluator's verdict on a followed-up recommendation in words."""
    labels = {"implemented": ptext(lang, "follow-up verdict", "Implemented"),
              "partly": ptext(lang, "follow-up verdict", "Partly implemented"),
              "not_implemented": ptext(lang, "follow-up verdict", "Not implemented")}
    return labels[verdict] if verdict in labels else text(lang, "Not yet followed up")


def midterm_recommendations(ctx: ReportContext, when: date) -> tuple[ReportRecommendation, ...]:
    """The recommendations the mid-term assessment adopted (its suggestions as the data gave them at ``when``)."""
    mid = ctx.project.assessment("midterm")
    if mid is None:
        return ()
    generated = suggestions(status.indicator_rows(ctx.project, when, "midterm"), ctx.findings, "midterm")
    return adopted(ctx, mid, generated)


def follow_up_table(ctx: ReportContext, recs: tuple[ReportRecommendation, ...]) -> HTML:
    """Id, mid-term recommendation, the project's response and the evaluator's verdict, one row per recommendation."""
    lang = ctx.lang
    answers = {f.recommendation: f for f in ctx.assessment.follow_up} if ctx.assessment is not None else {}
    head = [text(lang, "Id"), text(lang, "Mid-term recommendation"), text(lang, "The project's response"),
            text(lang, "Evaluator's verdict")]
    out = ['<table class="report-table follow-up" style="border-collapse:collapse"><thead><tr>']
    out += [f'<th scope="col">{html.escape(h)}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    for rec in recs:
        answer = answers.get(rec.id)
        response = markdown(answer.response) if answer is not None and answer.response.strip() else html.escape(ctx.missing())
        verdict = verdict_label(lang, answer.verdict if answer is not None else None)
        out.append(f'<tr><th scope="row">{html.escape(rec.id)}</th><td>{body_html(rec)}</td><td>{response}</td>'
                   f"<td>{html.escape(verdict)}</td></tr>")
    out.append("</tbody></table>")
    return HTML("".join(out))


def indicators_then_and_now(ctx: ReportContext, when: date) -> pd.DataFrame:
    """Each indicator's target, its value at the mid-term date and its final value."""
    lang = ctx.lang
    p = ctx.project
    rows = []
    for row in ctx.indicator_rows:
        ind = row.indicator
        then = status.indicator_row(ind, p, when, "midterm")
        rows.append((ind.name, ind.unit or "", row.target, then.actual, row.actual))
    cols = [text(lang, "Indicator"), text(lang, "Unit"), text(lang, "Target"),
            text(lang, "Mid-term ({date})", date=ctx.d(when)), text(lang, "Final ({date})", date=ctx.d(ctx.as_of))]
    return pd.DataFrame(rows, columns=cols)


def render(ctx: ReportContext) -> Block:
    """The mid-term's adopted recommendations followed up, then the indicators at the mid-term beside the final values."""
    lang = ctx.lang
    parts: list[Any] = [common.heading(ctx, "follow_up")]
    when, origin = midterm_as_of(ctx)
    parts.append(heading(3, text(lang, "The mid-term's recommendations")))
    recs = midterm_recommendations(ctx, when)
    if ctx.project.assessment("midterm") is None:
        parts.append(notice(text(lang, "There is no mid-term assessment (assessments/midterm.yaml), so no recommendation of it can "
                                       "be followed up."), "missing", lang))
    elif not recs:
        parts.append(paragraph(text(lang, "The mid-term evaluation adopted no recommendations.")))
    else:
        parts.append(follow_up_table(ctx, recs))
        mid = ctx.project.assessment("midterm")
        if (mid is not None and mid.data_status == "illustrative") or (ctx.assessment is not None
                                                                        and ctx.assessment.data_status == "illustrative"):
            parts.append(notice(text(lang, "The recommendations, responses and verdicts in this table are ILLUSTRATIVE: written "
                                           "to demonstrate the toolkit."), "illustrative", lang))
    parts.append(heading(3, text(lang, "Indicators at the mid-term and at the end")))
    parts.append(paragraph(as_of_sentence(ctx, when, origin)))
    parts.append(table(indicators_then_and_now(ctx, when), lang))
    parts += common.illustrative_notice(ctx, status.values_illustrative(ctx.project))
    return Block(tuple(parts))
