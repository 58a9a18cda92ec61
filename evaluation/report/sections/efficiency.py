"""Efficiency and financing: budget against outcome, financing, reconciliation, and costs per unit (final report)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from evaluation.analysis import economics, efficiency
from evaluation.analysis.efficiency import COST_MEASURES
from evaluation.core.i18n import Language, text
from evaluation.plots import economics as economics_plots
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, ColumnFormat, figure, notice, paragraph, table
from evaluation.report.sections import common


def cost_basis_text(ctx: ReportContext) -> str:
    """What costs per unit are computed on: "utfall", ..., or the budget and why (see :func:`efficiency.cost_basis`)."""
    lang = ctx.lang
    basis = efficiency.cost_basis(ctx.project)
    if basis.kind == "outcome":
        return text(lang, "outcome")
    if basis.kind == "cost_lines":
        return text(lang, "outcome so far from the cost lines")
    if basis.kind == "budget":
        qualifier = f"{basis.qualifier} " if basis.qualifier else ""
        return text(lang, "budget ({amount}), as no outcome is reported", amount=qualifier + ctx.money(basis.amount))
    return ctx.missing()


def _measure_label(lang: Language, measure: str) -> str:
    return {"per_firm_reached": text(lang, "Cost per firm reached"), "per_participant": text(lang, "Cost per participant"),
            "per_job": text(lang, "Cost per job created")}[measure]


def cost_per(ctx: ReportContext) -> pd.DataFrame:
    """Cost per firm reached, per participant and per job (measure ids as in the JSON), with each denominator's source."""
    sources = {}
    for (key, _), ind in zip(COST_MEASURES, efficiency.denominator_indicators(ctx.project)):
        sources[key] = f"{ind.name} ({ind.source or ctx.missing()})" if ind else ctx.missing()
    return efficiency.cost_per(ctx.project, ctx.indicator_rows, sources)


def cost_per_table(ctx: ReportContext) -> pd.DataFrame:
    """Cost per firm reached, per participant and per job, with each denominator's source, as shown."""
    lang = ctx.lang
    frame = cost_per(ctx)
    return pd.DataFrame({
        text(lang, "Measure"): [_measure_label(lang, m) for m in frame["measure"]],
        text(lang, "Denominator"): frame["denominator"],
        text(lang, "Cost per unit (SEK)"): frame["cost_per"],
        text(lang, "Source of the denominator"): frame["source"],
    })


def _budget_parts(ctx: ReportContext) -> list[Any]:
    lang = ctx.lang
    budget = ctx.project.budget
    bvo = economics.budget_vs_outcome(efficiency.budget_lines(ctx.project), budget_total=budget.total,
                                      outcome_total=budget.outcome_total, total_label=text(lang, "Total"))
    shown = bvo[["category", "budget", "outcome", "difference", "outcome_share"]].copy()
    shown.columns = [text(lang, "Cost category"), text(lang, "Budget (SEK)"), text(lang, "Outcome (SEK)"), text(lang, "Difference (SEK)"),
                     text(lang, "Share of outcome")]
    parts: list[Any] = [
        figure(economics_plots.plot_budget_vs_outcome(bvo, source=common.source_line(ctx), language=lang)),
        table(shown, lang, formats={shown.columns[1]: "money", shown.columns[2]: "money", shown.columns[3]: "money",
                                    shown.columns[4]: "percent"}),
    ]
    if all(line.budget is None for line in budget.lines):
        parts.append(notice(text(lang, "The budget per cost category is not published; only the total budget."), "missing", lang))
    return parts


def _reconciliation_parts(ctx: ReportContext) -> list[Any]:
    lang = ctx.lang
    frame = efficiency.reconciliation_rows(ctx.project)
    if frame is None or frame.empty:
        return []
    names = {"outcome_vs_budget": text(lang, "Outcome against budget"),
             "outcome_vs_cost_lines": text(lang, "Cost lines against outcome"),
             "outcome_vs_financing": text(lang, "Financing against outcome"),
             "cost_lines_vs_financing": text(lang, "Financing against cost lines"),
             "financing_plan_vs_budget": text(lang, "Financing plan against budget")}
    shown = pd.DataFrame({
        text(lang, "Check"): [names[n] for n in frame["name"]],
        text(lang, "Reference (SEK)"): frame["a"], text(lang, "Compared (SEK)"): frame["b"],
        text(lang, "Difference (SEK)"): frame["difference"],
        text(lang, "Within tolerance"): [bool(x) if x is not pd.NA else None for x in frame["ok"]],
    })
    formats: dict[str, ColumnFormat] = {str(c): "money" for c in shown.columns[1:4]}
    formats[str(shown.columns[4])] = "yes_no"
    return [table(shown, lang, formats=formats)]


@common.plain_figures
def render(ctx: ReportContext) -> Block:
    """Budget against outcome per cost line, the financing, the reconciliation and the costs per unit."""
    p = ctx.project
    lang = ctx.lang
    parts: list[Any] = [common.heading(ctx, "efficiency")]
    parts += common.illustrative_notice(ctx, efficiency.efficiency_illustrative(p))
    if p.budget.lines:
        parts += _budget_parts(ctx)
    if p.complete_financing_total() is not None:
        fin = economics.financing_shares(efficiency.financing_frame(p))
        parts.append(figure(economics_plots.plot_financing(fin, source=common.source_line(ctx), language=lang)))
    parts += _reconciliation_parts(ctx)
    parts.append(paragraph(text(lang, "Costs per unit are computed on the {basis}.", basis=cost_basis_text(ctx))))
    parts.append(table(cost_per_table(ctx), lang, formats={text(lang, "Cost per unit (SEK)"): "money"}))
    return Block(tuple(parts))
