"""P1 Project logic: goal tree and effect chain (diagram and table), the coherence score, the logic review."""

from __future__ import annotations

from typing import Any

import pandas as pd

from evaluation.analysis import disclosure
from evaluation.core.i18n import ntext, text
from evaluation.plots import diagrams
from evaluation.report.anchors import marks
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, figure, paragraph, table
from evaluation.report.sections import common, labels
from evaluation.review import checks


def goal_tree_table(ctx: ReportContext) -> pd.DataFrame:
    """The goal tree as a table (readable in print where the diagram is dense)."""
    lang = ctx.lang
    nodes = ctx.project.goal_tree.nodes
    indicators = {n.id: [i.id for i in ctx.project.indicators if n.id in i.measures] for n in nodes}
    rows = [(n.id, labels.goal_level(lang, n.level), n.statement, n.parent or "", n.work_package or "", ", ".join(indicators[n.id]))
            for n in nodes]
    return pd.DataFrame(rows, columns=["Id", text(lang, "Level"), text(lang, "Statement"), text(lang, "Parent"),
                                       text(lang, "Work package"), text(lang, "Indicators")])


def _redacted_text(ctx: ReportContext, data: str, check: str, n: int) -> str:
    if data == "firms":
        return ntext(ctx.lang, "{n} finding on individual firms ({check}) not shown, as those data are not public.",
                     "{n} findings on individual firms ({check}) not shown, as those data are not public.", n, check=check)
    return ntext(ctx.lang, "{n} finding on individual respondents ({check}) not shown, as those data are not public.",
                 "{n} findings on individual respondents ({check}) not shown, as those data are not public.", n, check=check)


def findings_shown(ctx: ReportContext) -> pd.DataFrame:
    """The findings table; findings naming single firms or respondents are summarised unless those data are public."""
    frame = checks.findings_frame(ctx.findings, ctx.lang)
    shown = disclosure.redact_findings(frame, disclosure.redacted_checks(ctx.project, ctx.disclosure))
    shown["text"] = [_redacted_text(ctx, data, check, int(n)) if isinstance(data, str) else t
                     for t, data, check, n in zip(shown["text"], shown["redacted"], shown["check"], shown["n"])]
    return shown[list(frame.columns)]


@common.plain_figures
def render(ctx: ReportContext) -> Block:
    """Goal tree, effect chain with its numbered assumptions, coherence score and components, findings."""
    p = ctx.project
    lang = ctx.lang
    parts: list[Any] = [common.heading(ctx, "project_logic")]
    src = common.source_line(ctx)
    parts.append(figure(diagrams.plot_goal_tree(p.goal_tree, lang=lang, source=src), wide=True))
    parts.append(table(goal_tree_table(ctx), lang))
    parts.append(figure(diagrams.plot_effect_chain(p.effect_chain, lang=lang, source=src), wide=True))
    legend = diagrams.link_legend(p.effect_chain, lang)
    if not legend.empty:
        parts.append(table(legend, lang))
    score = ctx.coherence
    parts.append(paragraph(text(
        lang, "Coherence: {score} out of 100. The score is the mean of the shares below (activities linked to goals, goals with "
              "activities and indicators, links with assumptions, nodes carried forward, complete indicators).", score=ctx.n(score.score))))
    comp = score.table(lang)
    comp.columns = [text(lang, "Component"), text(lang, "Share"), text(lang, "Count")]
    parts.append(table(comp, lang, formats={comp.columns[1]: "percent"}))
    parts.append(marks("finding", [f.check for f in ctx.findings]))  # evidence finding:<check> points here
    frame = findings_shown(ctx)
    if frame.empty:
        parts.append(paragraph(text(lang, "The logic review found nothing to remark.")))
    else:
        frame["severity"] = [labels.severity(lang, s) for s in frame["severity"]]
        frame = frame[["severity", "subject", "text"]]
        frame.columns = [text(lang, "Severity"), text(lang, "Concerns"), text(lang, "Finding")]
        parts.append(table(frame, lang))
    return Block(tuple(parts))
