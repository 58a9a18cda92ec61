"""Recommendations derived from the indicator statuses and the logic review's findings.

:func:`derive` decides which recommendations a report makes, in order: one per indicator
off track or at risk (with a projection), not reported (with a target) or, in a final
report, not achieved; one per kind of finding in :data:`FINDING_CHECKS` naming the subjects;
one when costs, budget and financing do not reconcile; and "continue as planned" when there
is nothing else. The report section writes each as a sentence.

They are *suggestions*: :func:`suggestions` numbers them ``S1``, ``S2``, ... in that order, and the
evaluator adopts, edits or rejects each in the assessment file (``suggestions:``); only adopted
and edited ones become the report's recommendations. The order is deterministic (indicators in
the order of ``project.yaml``, findings in :data:`FINDING_CHECKS` order), so the same data give
the same ids; :attr:`Suggestion.key` names what a suggestion is about independently of its number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from evaluation.analysis.status import IndicatorRow

FINDING_CHECKS: tuple[str, ...] = (
    "goal_without_indicator", "effect_goal_output_only", "indicator_incomplete", "goal_without_activity",
    "activity_without_goal", "horizontal_without_action", "horizontal_without_indicator", "link_without_assumption",
    "disaggregation_mismatch", "cumulative_decrease", "firm_total_mismatch", "activity_without_work_package",
)
"""Checks whose findings give a recommendation, in the order the recommendations are made."""


class FindingLike(Protocol):
    """What a recommendation needs of a finding (see :class:`evaluation.review.findings.Finding`)."""

    @property
    def check(self) -> str: ...

    @property
    def severity(self) -> str: ...

    @property
    def subject(self) -> str: ...


@dataclass(frozen=True)
class Recommendation:
    """One recommendation: its kind and what it concerns.

    Kinds: ``review`` (an indicator off track or at risk: ``row``), ``report_outcome`` (an
    indicator with a target and no outcome: ``row``), ``analyse`` (an indicator not achieved in a
    final report: ``row``), a check name of :data:`FINDING_CHECKS` (``subjects`` of its findings),
    ``reconcile`` (costs, budget and financing disagree) and ``continue`` (nothing to remark).
    """

    kind: str
    row: IndicatorRow | None = None
    subjects: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    """A generated recommendation with its stable id (``S1``, ``S2``, ...) for the evaluator to decide on."""

    id: str
    recommendation: Recommendation

    @property
    def key(self) -> str:
        """What it is about, independent of its number: ``review:<indicator id>``, ``<check>``, ``reconcile``, ``continue``."""
        rec = self.recommendation
        return f"{rec.kind}:{rec.row.indicator.id}" if rec.row is not None else rec.kind


def suggestions(rows: Iterable[IndicatorRow], findings: Iterable[FindingLike], kind: str) -> tuple[Suggestion, ...]:
    """The suggestions of a ``kind`` report: :func:`derive`'s recommendations numbered ``S1``, ``S2``, ... in order."""
    return tuple(Suggestion(f"S{k}", rec) for k, rec in enumerate(derive(rows, findings, kind), start=1))


def derive(rows: Iterable[IndicatorRow], findings: Iterable[FindingLike], kind: str) -> tuple[Recommendation, ...]:
    """The recommendations of a ``kind`` ("midterm" or "final") report, in order."""
    findings = tuple(findings)
    recs: list[Recommendation] = []
    by_check: dict[str, list[FindingLike]] = {}
    for f in findings:
        by_check.setdefault(f.check, []).append(f)
    final = kind == "final"
    for row in rows:
        if row.status in ("off_track", "at_risk") and row.projected is not None:
            recs.append(Recommendation("review", row))
        elif row.status == "not_reported" and row.target is not None:
            recs.append(Recommendation("report_outcome", row))
        elif final and row.status == "not_achieved":
            recs.append(Recommendation("analyse", row))
    for check in FINDING_CHECKS:
        if check in by_check:
            recs.append(Recommendation(check, subjects=tuple(f.subject for f in by_check[check])))
    if any(f.severity == "error" and f.check.startswith("reconcile") for f in findings):
        recs.append(Recommendation("reconcile"))
    if not recs:
        recs.append(Recommendation("continue"))
    return tuple(recs)
