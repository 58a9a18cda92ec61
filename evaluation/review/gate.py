"""The gate before a report: findings whose rule is ``stop`` keep a report from being made."""

from __future__ import annotations

from collections.abc import Iterable

from evaluation.analysis import disclosure
from evaluation.core import paths
from evaluation.core.errors import InputError, Problem
from evaluation.core.model import Project
from evaluation.review import checks
from evaluation.review.findings import Finding


class StopFindingsError(InputError):
    """Findings whose rule is ``stop``: the report would show wrong figures."""

    exit_code = 2


def stop_problems(project: Project, findings: Iterable[Finding], file: str) -> list[Problem]:
    """One problem per finding that stops the run (in English, naming the check and subject).

    Findings that name single firms or respondents whose data are restricted are counted, not
    shown (the message reaches the batch's index page): one problem per such check.
    """
    redact = disclosure.redacted_checks(project, disclosure.policy(project, 0))
    stopping = [f for f in findings if f.severity == "error"]
    problems = []
    for f in stopping:
        if f.check not in redact:
            problems.append(Problem(
                file, f.check,
                f"consistent before a report is made: {f.text('en')} (to show this as a warning instead, set "
                f"'rules: {{{f.check}: warn}}' in project.yaml)", f.subject))
        elif not any(p.field == f.check for p in problems):
            n = sum(1 for g in stopping if g.check == f.check)
            problems.append(Problem(
                file, f.check,
                f"consistent before a report is made: {n} finding(s) on single {'firms' if redact[f.check] == 'firms' else 'respondents'}, "
                f"not shown here as those data are restricted (`evaluation check {project.id}` lists them; to show this as a "
                f"warning instead, set 'rules: {{{f.check}: warn}}' in project.yaml)", "–"))
    return problems


def enforce(project: Project, findings: Iterable[Finding] | None = None) -> None:
    """Raise :class:`StopFindingsError` listing every finding whose rule is ``stop``."""
    found = tuple(findings) if findings is not None else checks.check_project(project)
    file = paths.display_path(project.folder / "project.yaml") if project.folder else project.id
    problems = stop_problems(project, found, file)
    if problems:
        raise StopFindingsError(problems)
