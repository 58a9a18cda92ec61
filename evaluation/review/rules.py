"""Applying the rule book: each finding's severity set by its check's rule (see :mod:`evaluation.core.rulebook`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from evaluation.core import fmt
from evaluation.core.i18n import DEFAULT_LANGUAGE, Language
from evaluation.core.model import RuleAction
from evaluation.core.rulebook import ACTIONS, RULES, SEVERITY_OF, Rule, naming, validate_names
from evaluation.review.findings import Finding

if TYPE_CHECKING:  # pragma: no cover
    from evaluation.core.model import Project

__all__ = ["ACTIONS", "RULES", "SEVERITY_OF", "Rule", "action", "apply", "naming", "overrides", "rules_frame", "validate_names"]


def overrides(project: Project) -> dict[str, RuleAction]:
    """The project's own rules (from ``rules:`` in project.yaml)."""
    return dict(project.rules)


def action(check: str, project: Project | None = None) -> RuleAction:
    """The effective action of ``check`` for ``project`` (its override, else the default)."""
    if project is not None:
        own = overrides(project)
        if check in own:
            return own[check]
    rule = RULES.get(check)
    return rule.default if rule is not None else "warn"


def apply(findings: Iterable[Finding], project: Project) -> list[Finding]:
    """Findings with each severity set by its rule; ``off`` findings dropped.

    A finding the check itself marks ``info`` stays ``info`` (it records an agreement, e.g. a
    difference within the tolerance) unless its rule is ``off``.
    """
    out = []
    for f in findings:
        act = action(f.check, project)
        if act == "off":
            continue
        if f.severity == "info":
            out.append(f)
            continue
        out.append(f.with_severity(SEVERITY_OF[act]))  # type: ignore[arg-type]
    return out


def rules_frame(project: Project | None = None, lang: Language = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """Every rule: check, default, the project's setting (if any), effective action, why (in ``lang``)."""
    own = overrides(project) if project is not None else {}
    rows = [
        {
            "check": name,
            "default": rule.default,
            "project": own.get(name, ""),
            "action": own.get(name, rule.default),
            "why": fmt.fill(lang, rule.why),
        }
        for name, rule in sorted(RULES.items())
    ]
    return pd.DataFrame(rows, columns=["check", "default", "project", "action", "why"])
