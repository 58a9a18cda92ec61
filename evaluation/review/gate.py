"""The gate before a report: findings whose rule is ``stop`` keep a report from being made."""

from __future__ import annotations

from collections.abc import Iterable

from evaluation.core import paths
from evaluation.core.errors import InputError, Problem
from evaluation.core.model import Project
from evaluation.review import checks
from evaluation.review.findings import Finding


class StopFindingsError(InputError):
    """Findings whose rule is ``stop``: the report would show wrong figures."""

    exit_code = 2


def stop_problems(project: Project, findings: Iterable[Finding], file: str) -> list[Problem]:
    """One problem per finding that stops the run (in English, naming the check and subject)."""
    return [
        Problem(
            file,
            f.check,
            f"consistent before a report is made: {f.text('en')} (to show this as a warning instead, set "
            f"'rules: {{{f.check}: warn}}' in project.yaml)",
            f.subject,
        )
        for f in findings
        if f.severity == "error"
    ]


def enforce(project: Project, findings: Iterable[Finding] | None = None) -> None:
    """Raise :class:`StopFindingsError` listing every finding whose rule is ``stop``."""
    found = tuple(findings) if findings is not None else checks.check_project(project)
    file = paths.display_path(project.folder / "project.yaml") if project.folder else project.id
    problems = stop_problems(project, found, file)
    if problems:
        raise StopFindingsError(problems)
