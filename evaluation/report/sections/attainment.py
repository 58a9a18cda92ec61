"""Target attainment: outcome against target for every indicator with a target (final report)."""

from __future__ import annotations

from typing import Any

from evaluation.core.i18n import text
from evaluation.plots import charts
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, bullet_list, figure, notice
from evaluation.report.sections import common


@common.plain_figures
def render(ctx: ReportContext) -> Block:
    """A chart of attainment per indicator and one sentence per indicator."""
    lang = ctx.lang
    parts: list[Any] = [common.heading(ctx, "attainment")]
    rows = [r for r in ctx.indicator_rows if r.target is not None]
    parts += common.illustrative_notice(ctx, any(r.illustrative for r in rows))
    if not rows:
        parts.append(notice(text(lang, "No indicator has a target."), "missing", lang))
        return Block(tuple(parts))
    parts.append(figure(charts.plot_attainment([r.indicator.name for r in rows], [r.attainment for r in rows], lang=lang,
                                               source=common.source_line(ctx))))
    parts.append(bullet_list([common.indicator_sentence(ctx, r) for r in rows]))
    return Block(tuple(parts))
