"""The portfolio report's appendix: one page per project (facts, RUS links, status, indicators, logic review)."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from evaluation.analysis import disclosure
from evaluation.analysis.status import indicator_rows
from evaluation.core import fmt
from evaluation.core.i18n import ntext, ptext, text
from evaluation.core.model import Project
from evaluation.plots.portfolio_steering import status_labels
from evaluation.report import display
from evaluation.report.display import Block, notice, paragraph, table
from evaluation.report.portfolio_context import PortfolioContext
from evaluation.report.sections import labels

__all__ = ["appendix", "project_page"]


def _page_heading(title: str) -> display.HTML:
    """An h2 that starts a new page in the PDF."""
    return display.HTML(f'<h2 class="appendix-page" style="break-before:page;page-break-before:always">{html.escape(title)}</h2>')


def _goal_text(ctx: PortfolioContext, goal: str) -> str:
    statement = ctx.goals.get(goal)
    return f"{goal}: {statement}" if statement else goal


def project_page(ctx: PortfolioContext, p: Project) -> list[Any]:
    """The parts of one project's page."""
    lang = ctx.lang
    st = ctx.status.set_index("project").loc[p.id]
    spend = ctx.spend.set_index("project").loc[p.id]
    watch = ctx.watch.set_index("project").loc[p.id]
    names = status_labels(lang)
    parts: list[Any] = [_page_heading(f"{p.name} ({p.id})")]
    if p.is_illustrative():
        parts.append(notice(text(lang, "This project's page includes ILLUSTRATIVE values: invented to demonstrate the "
                                       "toolkit, not the project's own data."), "illustrative", lang))
    score = ctx.coherence.get(p.id)
    facts = [
        (text(lang, "Owner"), p.owner or fmt.missing(lang)),
        (text(lang, "Period"), fmt.period(p.start, p.end, lang)),
        (text(lang, "Fund and programme"), " – ".join(x for x in (labels.fund(lang, str(p.fund)), p.programme) if x)),
        (text(lang, "Decided budget"), fmt.money(spend["decided"], lang)),
        (text(lang, "Outcome (spent) so far"), fmt.money(spend["outcome"], lang)),
        (text(lang, "RUS effect goals"), "; ".join(_goal_text(ctx, g) for g in p.rus_goals) or fmt.missing(lang)),
        (text(lang, "Status"), names.get(str(st["status"]), str(st["status"]))),
        (text(lang, "Coherence score"), fmt.missing(lang) if score is None else fmt.number(score, lang, 0)),
        (text(lang, "Findings that stop / warn"), f"{int(watch['n_stop'])} / {int(watch['n_warn'])}"),
    ]
    parts.append(table(pd.DataFrame(facts, columns=[text(lang, "Item"), text(lang, "Value")]), lang))
    rows = indicator_rows(p, ctx.as_of, "midterm")
    if rows:
        target = ptext(lang, "portfolio table", "Target")
        actual = ptext(lang, "portfolio table", "Actual")
        frame = pd.DataFrame({
            ptext(lang, "portfolio table", "Indicator"): [r.indicator.name + (" *" if r.illustrative else "") for r in rows],
            ptext(lang, "portfolio table", "Code"): [r.indicator.code or "–" for r in rows],
            ptext(lang, "portfolio table", "Unit"): [r.indicator.unit or "–" for r in rows],
            target: [r.target for r in rows],
            actual: [r.actual for r in rows],
            ptext(lang, "portfolio table", "Status"): [names.get(r.status, text(lang, "no target") if r.status == "no_target"
                                                                  else text(lang, "not reported")) for r in rows],
        })
        parts.append(table(frame, lang, decimals={target: 1, actual: 1}))
    else:
        parts.append(paragraph(text(lang, "The project has no indicators.")))
    redact = disclosure.redacted_checks(p, disclosure.policy(p, ctx.small_cell_threshold))
    found = [f for f in ctx.findings.get(p.id, ()) if f.severity in ("error", "warning")]
    shown = [f for f in found if f.check not in redact][:5]
    if shown:
        parts.append(paragraph(text(lang, "First findings of the logic review:")))
        parts.append(display.bullet_list(f.text(lang) for f in shown))
    hidden = sum(1 for f in found if f.check in redact)
    if hidden:
        parts.append(paragraph(ntext(lang, "{n} finding on individual firms or respondents not shown, as those data are not public.",
                                     "{n} findings on individual firms or respondents not shown, as those data are not public.",
                                     hidden)))
    return parts


def appendix(ctx: PortfolioContext) -> Block:
    """One page per project, in id order."""
    parts: list[Any] = [display.heading(2, text(ctx.lang, "Appendix: one page per project"))]
    for p in ctx.projects:
        parts += project_page(ctx, p)
    return Block(tuple(parts))
