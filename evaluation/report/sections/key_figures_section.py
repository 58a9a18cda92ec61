"""N1 Key activities and N3 Key figures: what was done most and where each indicator stands (N2 is key_persons)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from evaluation.analysis import disclosure, economics, efficiency, participation, status
from evaluation.core.i18n import Language, text
from evaluation.plots import charts
from evaluation.plots import economics as economics_plots
from evaluation.report.anchors import marks
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, bullet_list, figure, heading, paragraph, table
from evaluation.report.sections import common, labels


def participation_parts(ctx: ReportContext) -> list[Any]:
    """Firms taking part in the activities, each firm counted once however many activities it joined."""
    lang = ctx.lang
    counted = participation.participation(ctx.project, ctx.as_of)
    if counted is None:
        return []
    t = ctx.min_cell("firms")
    parts: list[Any] = common.illustrative_notice(ctx, counted.illustrative)
    parts.append(paragraph(common.disclosure_sentence(ctx, "firms")))
    if disclosure.too_few(counted.unique, t) or not disclosure.participation_total_shown(ctx.disclosure.ledger("firms"), counted.frame):
        parts.append(paragraph(text(lang, "Fewer than {t} distinct firms took part in the activities; the counts are therefore not shown.",
                                    t=t)))
        return parts
    by_activity = counted.by_activity
    rows_hidden, firms_hidden = disclosure.participation_hidden(by_activity["n_rows"].to_list(), by_activity["n_unique"].to_list(), t)
    statements = {n.id: n.statement for n in ctx.project.goal_tree.nodes}
    marker = common.hidden(ctx)
    shown = pd.DataFrame({
        text(lang, "Activity"): [f"{a}: {statements.get(a, '')}" for a in by_activity["activity"]],
        text(lang, "Participations"): disclosure.mask(by_activity["n_rows"].to_list(), rows_hidden, marker),
        text(lang, "Distinct firms"): disclosure.mask(by_activity["n_unique"].to_list(), firms_hidden, marker),
    })
    parts.append(paragraph(text(
        lang, "{firms} distinct firms took part in the activities, {participations} participations in all; each firm is counted "
              "once however many activities it joined.", firms=ctx.n(counted.unique), participations=ctx.n(counted.n_participations))))
    parts.append(table(shown, lang))
    return parts


def _columns(lang: Language) -> dict[str, str]:
    return {"ind": text(lang, "Indicator"), "unit": text(lang, "Unit"), "level": text(lang, "Level"),
            "actual": text(lang, "Outcome"), "target": text(lang, "Target"), "attainment": text(lang, "Attainment"),
            "expected": text(lang, "Expected at date"), "projection": text(lang, "Projection (band)"),
            "status": text(lang, "Assessment")}


def indicator_table(ctx: ReportContext) -> pd.DataFrame:
    """One row per indicator: outcome, target, attainment, expectation at the date, projection with its band, status."""
    lang = ctx.lang
    rows = []
    for r in ctx.indicator_rows:
        ind = r.indicator
        label = ind.name + (f" ({ind.code})" if ind.code else "")
        if r.illustrative:
            label = text(lang, "{indicator} [illustrative]", indicator=label)
        proj = common.projection_text(ctx, r)
        rows.append({
            "ind": label, "unit": ind.unit or "", "level": labels.effect_level(lang, ind.level),
            "actual": r.actual, "target": r.target, "attainment": r.attainment,
            "expected": None if ctx.kind == "final" else r.expected,
            "projection": None if ctx.kind == "final" else proj,
            "status": labels.status(lang, r.status),
        })
    cols = _columns(lang)
    frame = pd.DataFrame(rows, columns=list(cols))
    if ctx.kind == "final":
        frame = frame.drop(columns=["expected", "projection"])
    return frame.rename(columns=cols)


def _funnel_parts(ctx: ReportContext) -> list[Any]:
    lang = ctx.lang
    funnel = economics.funnel(efficiency.funnel_stages(ctx.project))
    shown = funnel[["stage", "count", "conversion_from_previous", "conversion_from_first"]].copy()
    shown.columns = [text(lang, "Stage"), text(lang, "Count"), text(lang, "Share of previous stage"), text(lang, "Share of first stage")]
    return [figure(economics_plots.plot_funnel(funnel, source=common.source_line(ctx), language=lang)),
            table(shown, lang, formats={shown.columns[2]: "percent", shown.columns[3]: "percent"})]


@common.plain_figures
def render(ctx: ReportContext) -> Block:
    """N1 (top activities, firms taking part, the funnel), N3 (indicator table, progress, sentences); N2 is sections.key_persons."""
    p = ctx.project
    lang = ctx.lang
    parts: list[Any] = [common.heading(ctx, "key_figures_section")]
    parts.append(heading(3, text(lang, "Key activities"), prefix="N1 "))
    top = participation.top_activities(p, ctx.as_of)
    if top.empty:
        parts.append(paragraph(ctx.missing()))
    else:
        parts.append(bullet_list([f"{s} ({ctx.n(c)})" for s, c in zip(top["statement"], top["count"])]))
    parts += participation_parts(ctx)
    if p.funnel:
        parts += _funnel_parts(ctx)
    # N2 key persons (with the interview evidence) is a section of its own: sections/key_persons.py
    parts.append(heading(3, text(lang, "Key figures"), prefix="N3 "))
    parts += common.illustrative_notice(ctx, status.values_illustrative(p))
    cols = _columns(lang)
    parts.append(marks("indicator", [r.indicator.id for r in ctx.indicator_rows]))  # evidence indicator:<id> points here
    parts.append(table(indicator_table(ctx), lang, formats={cols["attainment"]: "percent", cols["projection"]: "text"},
                       decimals={cols["expected"]: 1}))
    parts.append(paragraph(common.status_rule(ctx)))
    progress = status.progress_series(ctx.indicator_rows, p, ctx.as_of)
    if progress:
        parts.append(figure(charts.plot_indicator_progress(progress, ctx.as_of, lang=lang, source=common.source_line(ctx))))
    parts.append(bullet_list([common.indicator_sentence(ctx, r) for r in ctx.indicator_rows]))
    return Block(tuple(parts))
