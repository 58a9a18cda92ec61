"""The title: kind of evaluation and project, the as-of date, the project period, the evaluator, the
author of the assessments and, for a report the evaluator has not finished, the draft banner."""

from __future__ import annotations

import html
from typing import Any

from evaluation.core import fmt
from evaluation.core.i18n import text
from evaluation.report.context import ReportContext
from evaluation.report.display import HTML, Block, heading, notice, paragraph
from evaluation.review.completeness import draft_title


def render(ctx: ReportContext) -> Block:
    """The report's title block, with the illustrative banner when any data are invented."""
    p = ctx.project
    lang = ctx.lang
    kind = text(lang, "Mid-term evaluation") if ctx.kind == "midterm" else text(lang, "Final evaluation")
    parts: list[Any] = [heading(1, f"{kind}: {p.name}")]
    lines = [
        text(lang, "Status as of {date}.", date=ctx.d(ctx.as_of)),
        text(lang, "Project period {period}.", period=fmt.period(p.start, p.end, lang)),
    ]
    if p.evaluator:
        lines.append(text(lang, "External evaluator: {evaluator}.", evaluator=p.evaluator))
    assessment = ctx.assessment
    if assessment is not None and assessment.evaluator.strip():
        lines.append(text(lang, "The assessments in this report are written by {evaluator}.", evaluator=assessment.evaluator.strip()))
    parts += [paragraph(line) for line in lines]
    parts += draft(ctx)
    if p.is_illustrative():
        parts.append(notice(text(
            lang, "This report contains ILLUSTRATIVE monitoring values. The project's own monitoring data are not public; values "
                  "marked illustrative are invented to demonstrate the toolkit and must not be read as the project's results."),
            "illustrative", lang))
    return Block(tuple(parts))


def draft(ctx: ReportContext) -> list[HTML]:
    """A draft's banner (on every page: sticky on screen, repeated in print and in the Word page header) and,
    once, the list of what is missing; nothing for a finished report."""
    items = ctx.completeness
    if not items:
        return []
    lang = ctx.lang
    banner = html.escape(draft_title(lang, len(items)))
    lead = html.escape(text(lang, "This report is a draft: the evaluator has not finished it. Still missing:"))
    lis = "".join(f"<li>{html.escape(item.text(lang))}</li>" for item in items)
    return [
        HTML(f'<div class="draft-spacer"></div><div class="draft-banner" role="alert">{banner}</div>'),
        HTML(f'<div class="notice notice-warning draft-list" role="note" style="border:2px solid #a30000;'
             f'background:#fdecec;padding:0.6em 0.9em;margin:0.8em 0;">'
             f'<p><strong class="notice-label" style="color:#a30000">{banner}</strong></p><p>{lead}</p><ul>{lis}</ul></div>'),
    ]
