"""Method and data sources: the guidelines followed, the sources, and the limits of the data."""

from __future__ import annotations

from typing import Any

import pandas as pd

from evaluation.core.i18n import text
from evaluation.report.anchors import marks
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, bullet_list, heading, paragraph, table
from evaluation.report.sections import common


def limits(ctx: ReportContext) -> list[str]:
    """What the data do not say: illustrative values, estimated dates, missing outcomes, targets and data."""
    p = ctx.project
    lang = ctx.lang
    out: list[str] = []
    if p.is_illustrative():
        out.append(text(lang, "Monitoring values, budget and financing amounts marked illustrative are invented."))
    if p.dates_status == "estimated":
        out.append(text(lang, "The project period is estimated from the source."))
    not_reported = [i.name for i in p.indicators if not i.reported()]
    if not_reported:
        out.append(text(lang, "No outcome reported for: {indicators}.", indicators="; ".join(not_reported)))
    no_target = [i.name for i in p.indicators if i.target_value is None]
    if no_target:
        out.append(text(lang, "No target stated for: {indicators}.", indicators="; ".join(no_target)))
    if p.budget.outcome_total is None:
        out.append(text(lang, "No final financial outcome is reported."))
    if p.firms is None:
        out.append(text(lang, "No firm data (employees, turnover) exist for participating firms."))
    if p.survey is None:
        out.append(text(lang, "No survey responses are in the data."))
    return out + list(p.notes)


def render(ctx: ReportContext) -> Block:
    """How the evaluation was done, the sources table and the limits of the data."""
    p = ctx.project
    lang = ctx.lang
    parts: list[Any] = [common.heading(ctx, "method"), paragraph(text(
        lang,
        "The evaluation follows Tillväxtverket's guidelines for follow-up, evaluation and learning and answers the questions on "
        "project logic (P1), process (P2), key activities (N1), key persons (N2) and key figures (N3). Each findings section names the OECD "
        "DAC criteria it answers. The project logic is reviewed through a goal tree and an effect-logic chain; every figure is "
        "computed by the toolkit's library from the project's data files."))]
    sources = pd.DataFrame([(s.title, s.reference, s.note) for s in p.sources],
                           columns=[text(lang, "Source"), text(lang, "Reference"), text(lang, "Note")])
    parts.append(marks("source", [s.id for s in p.sources]))  # where evidence references source:<id> point
    parts.append(table(sources, lang))
    parts.append(heading(3, text(lang, "Limits of the data")))
    parts.append(bullet_list(limits(ctx) or [text(lang, "No known limits.")]))
    return Block(tuple(parts))

