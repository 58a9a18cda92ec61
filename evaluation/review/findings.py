"""A finding: one observation about a project's logic or figures, with its severity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from evaluation.core import fmt

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, init=False)
class Finding(fmt.Translated):
    """One observation about a project's logic or figures.

    Its sentence is an English message id (marked with ``N_`` where the check writes it) and the
    values of its placeholders; :meth:`text` translates it, numbers (:class:`~evaluation.core.fmt.Number`,
    ``Percent``) written in the reader's language::

        Finding("goal_cycle", "error", "g1", N_("The goal tree has a cycle: {ids}."), ids="g1 -> g2 -> g1")
    """

    check: str
    severity: Severity
    subject: str
    message: str
    values: tuple[tuple[str, object], ...]

    def __init__(self, check: str, severity: Severity, subject: str, message: str, /, **values: object) -> None:
        object.__setattr__(self, "check", check)
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "subject", subject)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "values", tuple(values.items()))


    def with_severity(self, severity: Severity) -> Finding:
        """The same finding with another severity (set by its rule)."""
        return Finding(self.check, severity, self.subject, self.message, **dict(self.values))
