"""The title: kind of evaluation and project, the as-of date, the project period, the evaluator."""

from __future__ import annotations

from typing import Any

from evaluation.core import fmt
from evaluation.core.i18n import text
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, heading, notice, paragraph


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
    parts += [paragraph(line) for line in lines]
    if p.is_illustrative():
        parts.append(notice(text(
            lang, "This report contains ILLUSTRATIVE monitoring values. The project's own monitoring data are not public; values "
                  "marked illustrative are invented to demonstrate the toolkit and must not be read as the project's results."),
            "illustrative", lang))
    return Block(tuple(parts))
