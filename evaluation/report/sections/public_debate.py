"""P3 Public debate: dissemination of the project's results and what the data say about its influence.

Facts only: the dissemination activities by channel (chart and table), by year and one by one,
with their reach where it is reported (:mod:`evaluation.analysis.dissemination`,
:func:`evaluation.plots.qualitative.plot_dissemination_by_channel`), and what the data do not
show. The evaluator's judgement follows in the assessment block.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from evaluation.analysis import dissemination
from evaluation.core.i18n import ntext, text
from evaluation.plots import qualitative as qualitative_plots
from evaluation.report.anchors import marks
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, figure, notice, paragraph, table
from evaluation.report.sections import common

NAME = "public_debate"


def _reach_columns(ctx: ReportContext, frame: pd.DataFrame, first: str, labels: list[str]) -> pd.DataFrame:
    lang = ctx.lang
    return pd.DataFrame({
        first: labels,
        text(lang, "Activities"): frame["activities"].to_list(),
        text(lang, "Reach (where reported)"): frame["reach"].to_list(),
        text(lang, "Activities without reported reach"): frame["reach_not_reported"].to_list(),
    })


def _source(ctx: ReportContext, ref: str) -> str:
    """A source's title when ``ref`` is a source id of the project, else ``ref`` as written."""
    return next((s.title for s in ctx.project.sources if s.id == ref), ref)


def limits(ctx: ReportContext) -> list[Any]:
    """What the dissemination data do not show, in sentences."""
    lang = ctx.lang
    items = ctx.project.dissemination
    out = [paragraph(text(lang, "What the data do not show: they list what was disseminated, through which channels, to whom "
                                "and, where reported, how many were reached; they do not show whether the dissemination changed "
                                "the public debate or policy. That is for the evaluator's assessment, on the evidence of "
                                "interviews and documents."))]
    missing = sum(1 for a in items if a.reach is None)
    if missing:
        out.append(paragraph(text(lang, "The reach of {n} of {total} activities is not reported; the reach totals cover only "
                                        "the activities that report it.", n=missing, total=len(items))))
    return out


@common.plain_figures
def render(ctx: ReportContext) -> Block:
    """Dissemination by channel (chart and table), by year, the activities one by one, and what the data do not show."""
    p = ctx.project
    lang = ctx.lang
    parts: list[Any] = [common.heading(ctx, NAME)]
    if not p.dissemination:
        parts.append(notice(text(lang, "No dissemination activities are reported."), "missing", lang))
        parts += limits(ctx)
        return Block(tuple(parts))
    parts += common.illustrative_notice(ctx, any(a.data_status == "illustrative" for a in p.dissemination))
    channels = dissemination.by_channel(p)
    total = dissemination.reach_total(list(p.dissemination))
    n = len(p.dissemination)
    sentence = ntext(lang, "{n} dissemination activity is reported.", "{n} dissemination activities are reported.", n)
    if total is not None:
        sentence += " " + text(lang, "Their reported reach adds up to {reach}.", reach=ctx.n(total))
    parts.append(paragraph(sentence))
    parts.append(figure(qualitative_plots.plot_dissemination_by_channel(channels, lang=lang, source=common.source_line(ctx))))
    parts.append(table(_reach_columns(ctx, channels, text(lang, "Channel"),
                                      [qualitative_plots.channel_label(lang, c) for c in channels["channel"]]), lang, decimals=0))
    years = dissemination.by_year(p)
    if len(years) > 1:
        year_labels = [ctx.missing() if pd.isna(y) else str(int(y)) for y in years["year"]]
        parts.append(table(_reach_columns(ctx, years, text(lang, "Year"), year_labels), lang, decimals=0))
    listed = dissemination.activities(p)
    shown = pd.DataFrame({
        text(lang, "Date"): listed["date"].to_list(),
        text(lang, "Channel"): [qualitative_plots.channel_label(lang, c) for c in listed["channel"]],
        text(lang, "Audience"): listed["audience"].to_list(),
        text(lang, "Activity"): [t + (" " + text(lang, "[illustrative]") if s == "illustrative" else "")
                                 for t, s in zip(listed["title"], listed["data_status"])],
        text(lang, "Reach"): listed["reach"].to_list(),
        text(lang, "Source"): [_source(ctx, s) for s in listed["source"]],
    })
    parts.append(marks("dissemination", listed["id"].to_list()))
    parts.append(table(shown, lang, decimals=0))
    parts += limits(ctx)
    return Block(tuple(parts))
