"""Horizontal criteria: gender equality, equal opportunities and sustainable development, each with its aim,
actions and indicators; the gender split of the indicators and of the participating firms' leadership."""

from __future__ import annotations

from typing import Any

from evaluation.analysis import disclosure, participation, status
from evaluation.core.i18n import text
from evaluation.plots import charts
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, bullet_list, figure, heading, notice, paragraph, table
from evaluation.report.sections import common, labels


def gender_parts(ctx: ReportContext) -> list[Any]:
    """The latest gender split of each indicator (chart and table) and the share of women-led participating firms."""
    lang = ctx.lang
    out: list[Any] = []
    frame = status.gender_table(ctx.project, ctx.as_of)
    if not frame.empty:
        out += common.illustrative_notice(ctx, bool(frame["illustrative"].any()))
        out.append(figure(charts.plot_gender_split(frame.drop(columns=["share_women"]), lang=lang, source=common.source_line(ctx))))
        shown = frame.drop(columns=["illustrative"])
        shown.columns = [text(lang, "Indicator"), text(lang, "Total"), text(lang, "Women"), text(lang, "Men"),
                         text(lang, "Non-binary"), text(lang, "Share women")]
        out.append(table(shown, lang, formats={shown.columns[5]: "percent"}))
    led = participation.women_led(ctx.project)
    if led is not None:
        t = ctx.min_cell("firms")
        assert ctx.project.firms is not None  # women_led() found the column in it
        decision = disclosure.women_led_shown(ctx.disclosure.ledger("firms"), ctx.project.firms)
        if decision.reason == "too_few":
            out.append(paragraph(text(lang, "The share of women-led participating firms is not shown, as one of the groups has fewer "
                                            "than {t} firms.", t=t)))
        elif not decision.shown:
            out.append(paragraph(decision.text(lang)))
        else:
            out.append(paragraph(text(lang, "Of the participating firms, {share} are led by women ({women_led} of {firms}).",
                                      share=ctx.pct(led.share), women_led=led.n_women_led, firms=led.n_firms)))
    return out


@common.plain_figures
def render(ctx: ReportContext) -> Block:
    """Each criterion's aim, actions and indicator sentences; the gender split under gender equality."""
    lang = ctx.lang
    parts: list[Any] = [common.heading(ctx, "horizontal")]
    for crit in labels.CRITERIA:
        h = next((x for x in ctx.project.horizontal if x.criterion == crit), None)
        parts.append(heading(3, labels.criterion(lang, crit)))
        if h is None:
            parts.append(notice(text(lang, "The project does not address this criterion."), "missing", lang))
            continue
        parts.append(paragraph(text(lang, "The project's aim: {aim}", aim=h.aim or ctx.missing())))
        parts.append(bullet_list(h.actions or [text(lang, "No actions reported.")]))
        rows = [ctx.row(i) for i in h.indicators]
        parts += common.illustrative_notice(ctx, any(r is not None and r.illustrative for r in rows))
        sentences = [common.indicator_sentence(ctx, r) for r in rows if r is not None]
        if sentences:
            parts.append(bullet_list(sentences))
        else:
            parts.append(paragraph(text(lang, "No indicator follows up the criterion.")))
        if crit == "gender_equality":
            parts += gender_parts(ctx)
    return Block(tuple(parts))
