"""Risks and assumptions: those the goal tree states, those behind the effect logic, and external factors."""

from __future__ import annotations

from typing import Any

import pandas as pd

from evaluation.core.i18n import text
from evaluation.plots import diagrams
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, bullet_list, heading, paragraph, table
from evaluation.report.sections import common


def render(ctx: ReportContext) -> Block:
    """Goal-tree assumptions and risks, the numbered assumptions of the effect logic, external factors."""
    p = ctx.project
    lang = ctx.lang
    parts: list[Any] = [common.heading(ctx, "risks")]
    rows = [(n.id, n.statement, "; ".join(n.assumptions), "; ".join(n.risks)) for n in p.goal_tree.nodes if n.assumptions or n.risks]
    if rows:
        frame = pd.DataFrame(rows, columns=[text(lang, "Goal/activity"), text(lang, "Statement"), text(lang, "Assumptions"),
                                            text(lang, "Risks")])
        parts.append(table(frame, lang))
    else:
        parts.append(paragraph(text(lang, "The goal tree states no assumptions or risks.")))
    legend = diagrams.link_legend(p.effect_chain, lang)
    if not legend.empty:
        parts.append(paragraph(text(lang, "Assumptions in the effect logic (numbered as in the diagram):")))
        parts.append(table(legend, lang))
    parts.append(heading(3, text(lang, "External factors")))
    parts.append(bullet_list(p.effect_chain.external_factors or [ctx.missing()]))
    return Block(tuple(parts))
