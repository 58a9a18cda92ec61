"""Tests for evaluation/analysis/recommendations.py: which recommendations the statuses and findings give, in order."""

from __future__ import annotations

from dataclasses import dataclass, replace

from evaluation.analysis.recommendations import FINDING_CHECKS, Recommendation, derive
from evaluation.analysis.status import IndicatorRow
from evaluation.core.model import Indicator


@dataclass(frozen=True)
class _Finding:
    check: str
    severity: str
    subject: str


def _row(status: str, projected: float | None = None, target: float | None = 10.0) -> IndicatorRow:
    ind = Indicator(id="i", name="Ind", unit="st", level="output", measures=(), baseline_value=0, baseline_date=None,
                    target_value=target, target_date=None, aggregation="cumulative")
    return IndicatorRow(ind, None, None, target, None, None, None, projected, None, None, status, False)


def test_nothing_to_remark_continues_as_planned() -> None:
    """No row needing attention and no finding: one "continue" recommendation."""
    assert derive([_row("achieved")], [], "final") == (Recommendation("continue"),)


def test_rows_then_findings_then_reconciliation() -> None:
    """Rows first (review, report outcome), then findings in FINDING_CHECKS order with their subjects, then reconcile."""
    rows = [_row("off_track", projected=6.0), _row("not_reported"), _row("at_risk")]
    findings = [_Finding("link_without_assumption", "warning", "e1->e2"), _Finding("goal_without_indicator", "warning", "sg1"),
                _Finding("goal_without_indicator", "warning", "sg2"), _Finding("reconcile_budget", "error", "budget")]
    recs = derive(rows, findings, "midterm")
    assert [r.kind for r in recs] == ["review", "report_outcome", "goal_without_indicator", "link_without_assumption", "reconcile"]
    assert recs[2].subjects == ("sg1", "sg2")
    assert recs[0].row is rows[0]


def test_not_achieved_only_in_a_final_report() -> None:
    """A row not achieved gives "analyse" in a final report and nothing in a mid-term one."""
    row = replace(_row("not_achieved"), attainment=0.6)
    assert [r.kind for r in derive([row], [], "final")] == ["analyse"]
    assert [r.kind for r in derive([row], [], "midterm")] == ["continue"]


def test_every_finding_check_is_named_once() -> None:
    """FINDING_CHECKS has no duplicate."""
    assert len(set(FINDING_CHECKS)) == len(FINDING_CHECKS)


def test_suggestions_numbered_in_derive_order() -> None:
    """suggestions() numbers derive()'s recommendations S1, S2, ... in order; the key names the subject, not the number."""
    from evaluation.analysis.recommendations import suggestions

    rows = [_row("off_track", projected=6.0), _row("not_reported")]
    findings = [_Finding("goal_without_indicator", "warning", "sg1")]
    found = suggestions(rows, findings, "midterm")
    assert [s.id for s in found] == ["S1", "S2", "S3"]
    assert [s.recommendation for s in found] == list(derive(rows, findings, "midterm"))
    assert [s.key for s in found] == ["review:i", "report_outcome:i", "goal_without_indicator"]
    assert suggestions(rows, findings, "midterm") == found  # same data, same ids
