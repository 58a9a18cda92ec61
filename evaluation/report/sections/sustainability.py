"""Sustainability and lessons: what lasts after the project, and the targets achieved (final report)."""

from __future__ import annotations

from typing import Any

from evaluation.core.i18n import text
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, bullet_list, paragraph
from evaluation.report.sections import common


def render(ctx: ReportContext) -> Block:
    """The lessons and what continues, then the targets achieved."""
    lang = ctx.lang
    parts: list[Any] = [common.heading(ctx, "sustainability")]
    parts.append(paragraph(text(lang, "Sustainability in the DAC sense asks whether results last after the project. The project "
                                      "reports these lessons and what continues; they are the project's own view ({sources}), not "
                                      "the evaluator's:", sources=common.source_titles(ctx))))
    parts.append(bullet_list(ctx.project.lessons or [ctx.missing()]))
    achieved = [r for r in ctx.indicator_rows if r.status == "achieved"]
    if achieved:
        parts.append(paragraph(text(lang, "Targets achieved: {indicators}.", indicators="; ".join(r.indicator.name for r in achieved))))
    return Block(tuple(parts))
