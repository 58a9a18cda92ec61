"""P2 Process: activities carried out, per period (or in all) and per activity."""

from __future__ import annotations

from typing import Any

from evaluation.analysis import participation
from evaluation.analysis import process as process_analysis
from evaluation.core.i18n import text
from evaluation.plots import process as process_plots
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, figure, notice, paragraph, table
from evaluation.report.sections import common


@common.plain_figures
def render(ctx: ReportContext) -> Block:
    """Activities per year (chart and table, or a chart of the totals), the totals per activity, those not counted."""
    p = ctx.project
    lang = ctx.lang
    parts: list[Any] = [common.heading(ctx, "process")]
    totals = process_analysis.activity_totals(p, ctx.as_of)
    if totals.empty:
        parts.append(notice(text(lang, "No activities carried out are reported."), "missing", lang))
        return Block(tuple(parts))
    by_period = process_analysis.activities_by_period(p, ctx.as_of, "Y")
    parts += common.illustrative_notice(ctx, any(a.data_status == "illustrative" for a in p.activities))
    if by_period.shape[1] > 1:
        parts.append(figure(process_plots.plot_activities(p, ctx.as_of, lang=lang, source=common.source_line(ctx))))
        shown = by_period.reset_index()
        shown.columns = [text(lang, "Work package") if p.work_packages else text(lang, "Activity"), *shown.columns[1:]]
        parts.append(table(shown, lang, decimals=0))
    else:
        parts.append(figure(process_plots.plot_activity_totals(p, ctx.as_of, lang=lang, source=common.source_line(ctx))))
    shown = totals.copy()
    shown.columns = [text(lang, "Activity"), text(lang, "Description"), text(lang, "Work package"), text(lang, "Count"),
                     text(lang, "Participants")]
    parts.append(table(shown, lang, decimals=0))
    missing = participation.activities_without_count(p, totals)
    if missing:
        parts.append(paragraph(text(lang, "Activities with no reported count: {activities}.", activities=", ".join(missing))))
    return Block(tuple(parts))
