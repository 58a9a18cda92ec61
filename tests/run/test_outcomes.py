"""Tests for evaluation.run.outcomes: a batch's outcomes, its exit status and its table."""

from __future__ import annotations

from pathlib import Path

from evaluation.core import settings
from evaluation.core.settings import Settings
from evaluation.run.outcomes import BatchResult, ReportOutcome


def _result(tmp_path: Path, portfolio: str | None = "ok") -> BatchResult:
    outcomes = (
        ReportOutcome(tmp_path / "params" / "p1_final.yaml", "p1", "final", "ok", "", 1.26),
        ReportOutcome(tmp_path / "params" / "p2_final.yaml", "p2", "final", "skipped", "unchanged", 0.0),
    )
    port = None if portfolio is None else ReportOutcome(None, "portfolio", "portfolio", portfolio, "", 2.0)
    return BatchResult(outcomes=outcomes, reports_dir=tmp_path / "reports", portfolio=port)


def test_exit_code_follows_reports_and_portfolio(tmp_path: Path) -> None:
    """Exit 0 when nothing failed; a failed portfolio alone makes it 1."""
    assert _result(tmp_path).exit_code() == 0 and _result(tmp_path, None).ok
    assert _result(tmp_path, "failed").exit_code() == 1 and _result(tmp_path, "failed").failed == ()
    assert [o.project for o in _result(tmp_path).with_status("skipped")] == ["p2"]
    assert len(_result(tmp_path)) == 2 and [o.kind for o in _result(tmp_path)] == ["final", "final"]


def test_table_has_one_row_per_report_and_the_portfolio(tmp_path: Path) -> None:
    """table(): project, kind, status, seconds (one decimal), message and the params file relative to the home."""
    with settings.use(Settings(home=tmp_path)):
        frame = _result(tmp_path).table()
    assert list(frame.columns) == ["project", "kind", "status", "seconds", "message", "params_file"]
    assert frame["project"].tolist() == ["p1", "p2", "portfolio"]
    assert frame["seconds"].tolist() == [1.3, 0.0, 2.0]
    assert frame["params_file"].tolist() == ["params/p1_final.yaml", "params/p2_final.yaml", ""]
