"""N2 Key persons: the roles that carry the project, and what the interviews say, theme by stakeholder group.

The key persons come from ``key_persons`` in project.yaml; the theme-by-group matrix and the
quotes from :mod:`evaluation.analysis.interviews` (groups under the threshold hidden through
:mod:`evaluation.analysis.disclosure`, quotes only with consent and never with a name); the heat
map from :func:`evaluation.plots.qualitative.plot_theme_matrix`.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from evaluation.analysis import disclosure, interviews
from evaluation.core.i18n import ntext, text
from evaluation.plots import qualitative as qualitative_plots
from evaluation.report.anchors import marks
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, bullet_list, figure, heading, notice, paragraph, table
from evaluation.report.sections import common

NAME = "key_persons"


def key_person_parts(ctx: ReportContext) -> list[Any]:
    """The key persons table (role, organisation, name, note) or a notice that there are none."""
    lang = ctx.lang
    p = ctx.project
    if not p.key_persons:
        return [notice(text(lang, "No data on key persons."), "missing", lang)]
    kp = pd.DataFrame([(k.role, k.organisation, k.name, k.note) for k in p.key_persons],
                      columns=[text(lang, "Role"), text(lang, "Organisation"), text(lang, "Name"), text(lang, "Note")])
    return [table(kp, lang)]


def threshold(ctx: ReportContext) -> int:
    """Smallest number of interviews a shown stakeholder group rests on in this report."""
    return disclosure.interview_min_cell(ctx.project, ctx.params.small_cell_threshold)


def _cell(ctx: ReportContext, matrix: interviews.ThemeMatrix, theme: str, group: str) -> str:
    """ "3 (+2 / ±0 / −1)": interviews mentioning the theme, and how many of them were positive, neutral, negative."""
    n = matrix.counts.loc[theme, group]
    if math.isnan(n):
        return common.hidden(ctx)
    if n == 0:
        return "0"
    s = {k: int(matrix.stances[k].loc[theme, group]) for k in ("positive", "neutral", "negative")}
    return f"{ctx.n(n)} (+{s['positive']} / ±{s['neutral']} / −{s['negative']})"


def matrix_table(ctx: ReportContext, matrix: interviews.ThemeMatrix) -> pd.DataFrame:
    """The matrix as shown: one row per theme and a first row of interviews per group; hidden cells marked."""
    lang = ctx.lang
    p = ctx.project
    marker = common.hidden(ctx)
    groups = list(matrix.counts.columns)
    all_groups = text(lang, "All groups")
    first = {text(lang, "Theme"): text(lang, "Interviews")}
    first |= {qualitative_plots.group_label(lang, g): marker if math.isnan(matrix.interviews[g]) else ctx.n(matrix.interviews[g])
              for g in groups}
    first[all_groups] = marker if matrix.n_interviews is None else ctx.n(matrix.n_interviews)
    rows = [first]
    for theme in matrix.counts.index:
        row = {text(lang, "Theme"): interviews.theme_label(p, str(theme))}
        row |= {qualitative_plots.group_label(lang, g): _cell(ctx, matrix, str(theme), g) for g in groups}
        total = matrix.total[theme]
        row[all_groups] = marker if math.isnan(total) else ctx.n(total)
        rows.append(row)
    return pd.DataFrame(rows)


def interview_parts(ctx: ReportContext) -> list[Any]:
    """The interviews: the protection rule, the theme-by-group matrix (table and heat map) and the consented quotes."""
    lang = ctx.lang
    p = ctx.project
    if not p.interviews:
        return [paragraph(text(lang, "No interviews are reported."))]
    t = threshold(ctx)
    parts: list[Any] = [heading(3, text(lang, "Interviews"))]
    parts += common.illustrative_notice(ctx, any(i.data_status == "illustrative" for i in p.interviews))
    parts.append(paragraph(text(lang, "Stakeholder groups with fewer than {t} interviews are not shown, nor any figure from which "
                                      "they could be worked out. Quotes are shown only where the interviewee agreed to be quoted, "
                                      "and never with a name.", t=t)))
    matrix = interviews.theme_matrix(p, t)
    if matrix.n_interviews is not None:
        parts.append(paragraph(ntext(lang, "{n} interview is reported.", "{n} interviews are reported.", matrix.n_interviews)))
    if matrix.hidden:
        parts.append(paragraph(text(lang, "Hidden groups: {groups}.",
                                    groups=", ".join(qualitative_plots.group_label(lang, g) for g in matrix.hidden))))
    if matrix.empty:
        parts.append(paragraph(text(lang, "No coded interview excerpts are reported.")))
        return parts
    parts.append(marks("theme", [str(c) for c in matrix.counts.index]))
    parts.append(table(matrix_table(ctx, matrix), lang))
    parts.append(paragraph(text(lang, "Each cell: interviews in the group mentioning the theme (of which positive / neutral / "
                                      "negative; an interview can count under more than one stance).")))
    if matrix.shown_groups:
        labels = {str(c): interviews.theme_label(p, str(c)) for c in matrix.counts.index}
        parts.append(figure(qualitative_plots.plot_theme_matrix(matrix, lang=lang, theme_labels=labels,
                                                                source=common.source_line(ctx))))
    quoted = interviews.quotes(p, t)
    if not quoted.empty:
        parts.append(heading(3, text(lang, "Quotes")))
        parts.append(bullet_list([
            text(lang, "“{excerpt}” ({group}; {theme}, {stance})", excerpt=r.excerpt,
                 group=qualitative_plots.group_label(lang, r.group), theme=interviews.theme_label(p, r.theme),
                 stance=qualitative_plots.stance_label(lang, r.stance))
            for r in quoted.itertuples(index=False)
        ]))
    return parts


@common.plain_figures
def render(ctx: ReportContext) -> Block:
    """N2: key persons, then the interview evidence (matrix, heat map, consented quotes)."""
    parts: list[Any] = [common.heading(ctx, NAME)]
    parts += key_person_parts(ctx)
    parts += interview_parts(ctx)
    return Block(tuple(parts))
