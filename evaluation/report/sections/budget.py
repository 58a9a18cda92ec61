"""Budget and spending at the as-of date (mid-term report): spending rate against the pro-rata budget by cost category.

The figures are :func:`evaluation.analysis.spending.spending`; the chart is
:func:`evaluation.plots.budget.plot_spending`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from evaluation.analysis.spending import spending
from evaluation.core.i18n import text
from evaluation.plots.budget import plot_spending
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, notice, paragraph, table
from evaluation.report.display import figure as show_figure
from evaluation.report.sections import common


def spending_table(ctx: ReportContext) -> pd.DataFrame:
    """Per cost category (and in total): budget, outcome so far, pro-rata budget, spending rate, difference in points."""
    lang = ctx.lang
    rows = spending(ctx.project, ctx.as_of).rows
    return pd.DataFrame({
        text(lang, "Cost category"): [text(lang, "Total") if c is None else c for c in rows["category"]],
        text(lang, "Budget (SEK)"): rows["budget"],
        text(lang, "Outcome (SEK)"): rows["outcome"],
        text(lang, "Pro-rata budget (SEK)"): rows["pro_rata"],
        text(lang, "Share spent"): rows["spending_rate"],
        text(lang, "Against time elapsed (percentage points)"): rows["difference_pp"],
    })


@common.plain_figures
def render(ctx: ReportContext) -> Block:
    """The elapsed share of the period, spending against it by category (table and chart), and the rule in words."""
    lang = ctx.lang
    p = ctx.project
    parts: list[Any] = [common.heading(ctx, "budget")]
    parts += common.illustrative_notice(ctx, p.budget.data_status == "illustrative"
                                        or any(line.data_status == "illustrative" for line in p.budget.lines))
    if not p.budget.lines:
        parts.append(notice(text(lang, "No cost lines are reported, so spending by cost category cannot be shown."),
                            "missing", lang))
        return Block(tuple(parts))
    spent = spending(p, ctx.as_of)
    parts.append(paragraph(text(
        lang, "On {date}, {elapsed} of the project period ({start} to {end}) had passed. A cost category's pro-rata budget "
              "is its budget times that share; the last column shows how many percentage points its share spent lies above "
              "(ahead of an even pace) or below (behind it) the time elapsed. Whether an uneven pace matters is the "
              "evaluator's assessment.",
        date=ctx.d(ctx.as_of), elapsed=ctx.pct(spent.elapsed, 0), start=ctx.d(p.start), end=ctx.d(p.end))))
    shown = spending_table(ctx)
    columns = list(shown.columns)
    parts.append(table(shown, lang, formats={columns[1]: "money", columns[2]: "money", columns[3]: "money",
                                             columns[4]: "percent", columns[5]: "number"},
                       decimals={columns[3]: 0, columns[5]: 1}))
    parts.append(show_figure(plot_spending(spent, total_label=text(lang, "Total"), source=common.source_line(ctx), language=lang),
                             alt=text(lang, "Spending against time elapsed, by cost category")))
    return Block(tuple(parts))
