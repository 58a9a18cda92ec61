"""What a batch produced: one :class:`ReportOutcome` per report (and the portfolio), gathered in a :class:`BatchResult`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from evaluation.core import paths

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["Status", "ReportOutcome", "BatchResult"]

Status = Literal["ok", "failed", "skipped"]

@dataclass(frozen=True)
class ReportOutcome:
    """What happened to one report (or the portfolio) of a batch.

    ``outputs`` are the files the report has on disk afterwards (for a failed report the
    kept notebook, if any); ``duration`` is wall time in seconds (0 for skipped).
    ``attempts`` counts kernel start-up retries plus one.
    """

    params_file: Path | None
    project: str
    kind: str
    status: Status
    message: str
    duration: float
    outputs: tuple[Path, ...] = ()
    attempts: int = 1


@dataclass(frozen=True)
class BatchResult:
    """The outcome of every report of a batch, in parameter-file order, plus the portfolio."""

    outcomes: tuple[ReportOutcome, ...]
    reports_dir: Path
    portfolio: ReportOutcome | None = None
    index: Path | None = None
    wall_time: float = 0.0

    def __iter__(self) -> Iterator[ReportOutcome]:
        return iter(self.outcomes)

    def __len__(self) -> int:
        return len(self.outcomes)

    def with_status(self, status: Status) -> tuple[ReportOutcome, ...]:
        """The report outcomes (not the portfolio) with ``status``."""
        return tuple(o for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> tuple[ReportOutcome, ...]:
        return self.with_status("failed")

    @property
    def ok(self) -> bool:
        """True when no report and not the portfolio failed."""
        return not self.failed and (self.portfolio is None or self.portfolio.status != "failed")

    def exit_code(self) -> int:
        """0 when nothing failed, else 1 (the exit code of a failed report)."""
        return 0 if self.ok else 1

    def table(self) -> pd.DataFrame:
        """One row per report (and the portfolio): project, kind, status, seconds, message, params_file."""
        import pandas as pd

        rows = list(self.outcomes) + ([self.portfolio] if self.portfolio is not None else [])
        return pd.DataFrame(
            [
                {
                    "project": o.project,
                    "kind": o.kind,
                    "status": o.status,
                    "seconds": round(o.duration, 1),
                    "message": o.message,
                    "params_file": "" if o.params_file is None else paths.display_path(o.params_file),
                }
                for o in rows
            ],
            columns=["project", "kind", "status", "seconds", "message", "params_file"],
        )

