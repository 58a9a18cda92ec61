"""The "röd tråd" (coherence) score: structural checks condensed to 0-100, every component shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluation.core import fmt
from evaluation.core.i18n import N_, Language
from evaluation.core.model import Project
from evaluation.review.checks import (
    RawFindings,
    _activities_without_goal,
    _chain_gaps,
    _goals_without_activity,
    _measuring,
)
from evaluation.review.findings import Finding


@dataclass(frozen=True)
class Coherence:
    """The "röd tråd" score: the mean of the component shares, times 100.

    Each component is the share of items that pass one structural test; a component with no
    items to test is left out of the mean (shown as NaN) rather than counted as passed.
    """

    score: float | None
    components: pd.DataFrame
    """One row per component: ``component`` (its name), ``label`` (an English message id), ``share``, ``n``."""

    def table(self, lang: Language) -> pd.DataFrame:
        """The components as a reader sees them: ``label`` in ``lang``, ``share`` and ``n``."""
        frame = self.components[["label", "share", "n"]].copy()
        frame["label"] = [fmt.fill(lang, label) for label in frame["label"]]
        return frame


def coherence_score(project: Project) -> Coherence:
    """The score of ``project`` and its components (see :class:`Coherence`)."""
    rows = _components(project)
    return Coherence(score=_score(rows), components=pd.DataFrame(rows, columns=["component", "label", "share", "n"]))


def coherence_value(project: Project, raw: RawFindings | None = None) -> float | None:
    """The score of :func:`coherence_score` alone, without its components' table (a portfolio asks it per project);
    ``raw`` (:func:`~evaluation.review.checks.raw_findings` of ``project``, already run for its findings) spares
    running the structural checks again."""
    return _score(_components(project, raw))


def _score(rows: list[tuple[str, str, float, int]]) -> float | None:
    """The mean of the shares that are not NaN, times 100, rounded to one decimal (None when all are NaN); the sum
    and count pandas' ``Series.mean`` takes (numpy's float sum over the same array), without a Series."""
    shares = np.array([share for _, _, share, _ in rows], dtype=float)
    shares = shares[~np.isnan(shares)]
    return round(float(shares.sum(dtype=np.float64) / len(shares)) * 100, 1) if len(shares) else None


def _components(project: Project, raw: RawFindings | None = None) -> list[tuple[str, str, float, int]]:
    tree, chain = project.goal_tree, project.effect_chain
    activities = tree.by_level("activity")
    goals = [n for n in tree.nodes if n.level != "activity"]
    measured_goals = [n for n in tree.nodes if n.level in ("project", "sub")]
    carried = [*chain.by_level("activity"), *chain.by_level("output"), *chain.by_level("short_term")]
    complete = [
        i
        for i in project.indicators
        if i.baseline_value is not None and i.target_value is not None and i.unit and i.source
    ]

    def share(passed: int, total: int) -> float:
        return passed / total if total else float("nan")

    def found(check: Callable[[Project], list[Finding]]) -> list[Finding]:
        return raw[check] if raw is not None and check in raw else check(project)

    rows = [
        ("activities_linked", N_("Activities linked to a goal"),
         share(len(activities) - len(found(_activities_without_goal)), len(activities)), len(activities)),
        ("goals_with_activity", N_("Goals with activities beneath them"),
         share(len(goals) - len(found(_goals_without_activity)), len(goals)), len(goals)),
        ("goals_measured", N_("Project and sub-goals measured by an indicator"),
         share(sum(1 for g in measured_goals if _measuring(project, g.id)), len(measured_goals)), len(measured_goals)),
        ("links_with_assumption", N_("Effect-logic links with an assumption"),
         share(sum(1 for link in chain.links if (link.assumption or "").strip()), len(chain.links)), len(chain.links)),
        ("chain_carried_forward", N_("Effect-logic nodes carried forward"),
         share(len(carried) - len([f for f in found(_chain_gaps) if f.check != "link_backwards"]), len(carried)), len(carried)),
        ("indicators_complete", N_("Indicators with baseline, target, unit and source"),
         share(len(complete), len(project.indicators)), len(project.indicators)),
    ]
    return rows
