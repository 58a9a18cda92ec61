"""Interview evidence: the theme-by-stakeholder-group matrix and the quotes a report may show.

A cell of the matrix is the number of interviews in a stakeholder group with at least one
excerpt coded with the theme; beside it, how many of those interviews have an excerpt of each
stance (an interview may count under more than one stance). A group with fewer interviews than
the threshold is hidden, and so is what would let a reader recover it from the totals
(:func:`evaluation.analysis.disclosure.interview_groups_hidden`). Quotes are the excerpts of
interviews that consented to be quoted, from groups that are shown; no name is ever held.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from evaluation.analysis.disclosure import interview_groups_hidden
from evaluation.core.model import STAKEHOLDER_GROUPS, STANCES, Project

__all__ = ["ThemeMatrix", "groups", "quotes", "theme_label", "theme_matrix"]


@dataclass(frozen=True)
class ThemeMatrix:
    """The theme-by-group matrix after the small-cell rule.

    ``counts`` (index: theme code; columns: the groups that have interviews, in
    :data:`~evaluation.core.model.STAKEHOLDER_GROUPS` order) holds interviews mentioning each
    theme, NaN in a hidden group; ``stances`` holds per stance (positive, neutral, negative) a
    frame of the same shape; ``interviews`` the number of interviews per group (NaN when hidden);
    ``hidden`` the hidden groups; ``total`` the interviews mentioning each theme in all groups
    (NaN throughout when ``total_hidden``); ``n_interviews`` all interviews (None when hidden).
    """

    counts: pd.DataFrame
    stances: dict[str, pd.DataFrame]
    interviews: pd.Series
    hidden: tuple[str, ...]
    total: pd.Series
    total_hidden: bool
    n_interviews: int | None
    threshold: int

    @property
    def empty(self) -> bool:
        """True when there are no coded excerpts to show."""
        return self.counts.empty

    @property
    def shown_groups(self) -> tuple[str, ...]:
        """The groups whose columns are shown."""
        return tuple(g for g in self.counts.columns if g not in self.hidden)


def groups(project: Project) -> pd.Series:
    """Interviews per stakeholder group (only groups with interviews, in the model's order)."""
    counts = pd.Series([i.group for i in project.interviews], dtype=object).value_counts()
    return pd.Series({g: int(counts[g]) for g in STAKEHOLDER_GROUPS if g in counts.index}, dtype="int64")


def theme_label(project: Project, code: str) -> str:
    """The theme's label from the themes table, else its code."""
    return next((t.label for t in project.themes if t.code == code and t.label), code)


def _themes(project: Project) -> list[str]:
    """Theme codes in the themes table's order, then those only in excerpts, in order of appearance."""
    used = list(dict.fromkeys(e.theme for e in project.excerpts))
    listed = [t.code for t in project.themes if t.code in used]
    return listed + [c for c in used if c not in listed]


def theme_matrix(project: Project, t: int) -> ThemeMatrix:
    """The theme-by-group matrix of ``project`` with groups under ``t`` interviews hidden (see :class:`ThemeMatrix`)."""
    per_group = groups(project)
    group_of = {i.id: i.group for i in project.interviews}
    themes = _themes(project)
    cols = list(per_group.index)
    mentions: dict[tuple[str, str], set[str]] = {}
    by_stance: dict[tuple[str, str, str], set[str]] = {}
    for e in project.excerpts:
        g = group_of.get(e.interview)
        if g is None:
            continue
        mentions.setdefault((e.theme, g), set()).add(e.interview)
        by_stance.setdefault((e.theme, g, e.stance), set()).add(e.interview)

    def frame(cell: dict[str, dict[str, float]]) -> pd.DataFrame:
        return pd.DataFrame(cell, index=pd.Index(themes, name="theme"), columns=cols, dtype=float)

    counts = frame({g: {th: float(len(mentions.get((th, g), ()))) for th in themes} for g in cols})
    stances = {s: frame({g: {th: float(len(by_stance.get((th, g, s), ()))) for th in themes} for g in cols}) for s in STANCES}
    hidden_flags, total_hidden = interview_groups_hidden([int(per_group[g]) for g in cols], t)
    hidden = tuple(g for g, h in zip(cols, hidden_flags) if h)
    total = pd.Series({th: float(len(set().union(*(mentions.get((th, g), set()) for g in cols)))) for th in themes},
                      dtype=float)
    interviews = per_group.astype(float)
    for g in hidden:
        counts[g] = math.nan
        interviews[g] = math.nan
        for s in STANCES:
            stances[s][g] = math.nan
    if total_hidden:
        total[:] = math.nan
    n = None if total_hidden else int(per_group.sum())
    return ThemeMatrix(counts=counts, stances=stances, interviews=interviews, hidden=hidden, total=total,
                       total_hidden=total_hidden, n_interviews=n, threshold=t)


def quotes(project: Project, t: int) -> pd.DataFrame:
    """Excerpts that may be quoted: the interview consented and its group is shown; columns theme, group, stance, excerpt.

    No interview id, role, date or name is in the result, only the stakeholder group.
    """
    matrix = theme_matrix(project, t)
    interview = {i.id: i for i in project.interviews}
    rows = [
        {"theme": e.theme, "group": interview[e.interview].group, "stance": e.stance, "excerpt": e.excerpt}
        for e in project.excerpts
        if e.excerpt.strip() and e.interview in interview and interview[e.interview].consent_to_quote
        and interview[e.interview].group not in matrix.hidden
    ]
    return pd.DataFrame(rows, columns=["theme", "group", "stance", "excerpt"])
