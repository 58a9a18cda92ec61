"""The project: facts (owner, fund, period, budget, target groups), work packages and financiers."""

from __future__ import annotations

from typing import Any

import pandas as pd

from evaluation.analysis import economics, efficiency
from evaluation.core import fmt
from evaluation.core.i18n import text
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, notice, table
from evaluation.report.sections import common, labels


def facts(ctx: ReportContext) -> pd.DataFrame:
    """The project's facts as an (item, value) table."""
    p = ctx.project
    lang = ctx.lang
    missing = ctx.missing()
    period = fmt.period(p.start, p.end, lang)
    if p.dates_status == "estimated":
        period = text(lang, "{period} (estimated; exact dates not published)", period=period)
    budget = (p.budget.total_qualifier + " " if p.budget.total_qualifier else "") + ctx.money(p.budget.total)
    if p.budget.data_status == "illustrative":
        budget = text(lang, "{amount} (illustrative)", amount=budget)
    form = text(lang, "External evaluation") if p.evaluation_form == "external" else text(lang, "Self-evaluation")
    rows = [
        (text(lang, "Project"), p.name),
        (text(lang, "Project owner"), p.owner or missing),
        (text(lang, "Fund and programme"), f"{labels.fund(lang, p.fund)} – {p.programme}"),
        (text(lang, "Region"), p.region or missing),
        (text(lang, "Municipalities"), ", ".join(p.municipalities) or missing),
        (text(lang, "Partners"), ", ".join(p.partners) or missing),
        (text(lang, "Project period"), period),
        (text(lang, "Total budget"), budget),
        (text(lang, "Target groups"), "; ".join(p.target_groups) or missing),
        (text(lang, "Links to the regional development strategy (RUS)"), "; ".join(p.rus_goals) or missing),
        (text(lang, "Evaluation form"), form),
    ]
    return pd.DataFrame(rows, columns=[text(lang, "Item"), text(lang, "Value")])


def render(ctx: ReportContext) -> Block:
    """Facts, work packages with their budgets, and the financiers' shares."""
    p = ctx.project
    lang = ctx.lang
    parts: list[Any] = [common.heading(ctx, "project_description"), table(facts(ctx), lang)]
    if p.work_packages:
        wp = pd.DataFrame([(w.id, w.name, w.budget) for w in p.work_packages],
                          columns=[text(lang, "Work package"), text(lang, "Name"), text(lang, "Budget (SEK)")])
        parts.append(table(wp, lang, formats={wp.columns[2]: "money"}))
    if p.financiers:
        shares = economics.financing_shares(efficiency.financing_frame(p))
        shown = shares[["name", "amount", "share"]].copy()
        shown["name"] = [text(lang, "Total") if t else n for n, t in zip(shares["name"], shares["is_total"])]
        shown.columns = [text(lang, "Financier"), text(lang, "Amount (SEK)"), text(lang, "Share")]
        parts.append(table(shown, lang, formats={shown.columns[1]: "money", shown.columns[2]: "percent"}))
        if any(f.amount is None for f in p.financiers):
            parts.append(notice(text(lang, "The financiers' amounts are not published."), "missing", lang))
        parts += common.illustrative_notice(ctx, any(f.data_status == "illustrative" for f in p.financiers))
    return Block(tuple(parts))
