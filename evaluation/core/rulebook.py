"""The rule book: every check's name and default action (data only; applied in :mod:`evaluation.review.rules`).

Every check in :mod:`evaluation.review.checks` has a default action:

- ``stop``: the finding would make a figure in the report wrong (a cycle in the goal tree, a
  split that does not add up to its total, a cumulative count that goes down, totals that do
  not reconcile beyond the stated tolerance, the same answer given twice). ``evaluation check``
  exits 1 and no report is produced until the data are fixed or the rule is changed.
- ``warn``: suspicious, shown as a warning in the report's logic review.
- ``note``: shown as information.
- ``off``: not shown at all.

A project overrides a default in its ``project.yaml``::

    rules:
      firm_total_mismatch: stop      # our data come from the project's own register
      link_without_assumption: off

``evaluation rules [PROJECT]`` prints the table. Findings a check itself marks as
information (a difference *within* the tolerance, say) stay information whatever the rule:
a rule decides how serious a problem is, not whether an agreement is one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from evaluation.core.i18n import N_
from evaluation.core.model import RuleAction

ACTIONS: tuple[str, ...] = get_args(RuleAction)
SEVERITY_OF: dict[str, str] = {"stop": "error", "warn": "warning", "note": "info"}


@dataclass(frozen=True)
class Rule:
    """The default action of one check and why."""

    check: str
    default: RuleAction
    why: str
    """Why the default is what it is: an English message id, translated where it is shown."""
    names: Literal["firms", "survey"] | None = None
    """Its findings name single firms or respondents: reports show them only when those data are public."""


def _r(check: str, default: RuleAction, why: str, names: Literal["firms", "survey"] | None = None) -> tuple[str, Rule]:
    return check, Rule(check, default, why, names)


RULES: dict[str, Rule] = dict(
    (
        # structure of the project logic
        _r("goal_cycle", "stop", N_("A goal tree with a cycle cannot be drawn or summed.")),
        _r("chain_cycle", "stop", N_("An effect-logic chain with a cycle cannot be drawn.")),
        _r("activity_without_goal", "warn", N_("An activity with no goal breaks the logic.")),
        _r("goal_without_activity", "warn", N_("A goal with no activity is unlikely to be reached.")),
        _r("goal_without_indicator", "warn", N_("A goal with no indicator cannot be followed up.")),
        _r("effect_goal_output_only", "warn", N_("Effect goals should be measured by result indicators.")),
        _r("deadline_after_end", "warn", N_("A goal due after the project ends cannot be judged in the final evaluation.")),
        _r("activity_without_output", "warn", N_("Gaps in the effect logic.")),
        _r("output_without_short_term", "warn", N_("Gaps in the effect logic.")),
        _r("short_term_without_long_term", "warn", N_("Gaps in the effect logic.")),
        _r("link_backwards", "warn", N_("A link going down the chain is probably reversed.")),
        _r("link_without_assumption", "note", N_("Assumptions make the effect logic testable.")),
        # indicators
        _r("indicator_incomplete", "warn", N_("Without baseline, target, unit and source attainment cannot be fully judged.")),
        _r("target_after_end", "warn", N_("A target dated after the project's end.")),
        _r("indicator_measures_nothing", "warn", N_("An indicator that measures no goal.")),
        _r("indicator_level_mismatch", "warn", N_("The indicator's level does not fit the goal's.")),
        _r("disaggregation_mismatch", "stop", N_("A split (gender, size) that does not add up gives wrong shares.")),
        _r("cumulative_decrease", "stop", N_("A cumulative value that goes down makes attainment wrong.")),
        _r("indicator_duplicate_period", "stop", N_("Two values for the same period: which one holds is unknown.")),
        _r("eu_indicator_catalogue", "warn", N_("An EU code or unit that disagrees with the EU catalogue cannot be summed with other projects.")),
        _r("value_before_start", "warn", N_("A value dated before the project started.")),
        _r("value_after_end", "warn", N_("A value dated after the project's end.")),
        # activities and participation
        _r("activity_outside_period", "warn", N_("An activity outside the project period.")),
        _r("participation_outside_period", "warn", N_("A participation outside the project period."), names="firms"),
        _r("no_work_packages", "note", N_("Activities cannot be followed by work package.")),
        _r("work_package_without_activities", "warn", N_("Budget without activities.")),
        _r("activity_without_work_package", "warn", N_("The activity cannot be tied to the budget.")),
        # horizontal criteria
        _r("horizontal_missing", "warn", N_("The horizontal criteria must be addressed.")),
        _r("horizontal_without_action", "warn", N_("A criterion without actions.")),
        _r("horizontal_without_indicator", "warn", N_("A criterion that is not followed up.")),
        # economics (differences within the budget's tolerance are always information)
        _r("reconcile_outcome_vs_cost_lines", "stop", N_("Outcome and cost lines must agree within the tolerance.")),
        _r("reconcile_outcome_vs_financing", "stop", N_("Outcome and financing must agree within the tolerance.")),
        _r("reconcile_financing_vs_budget", "stop", N_("Financing and budget must agree within the tolerance.")),
        _r("reconcile_cost_budget_vs_budget", "stop", N_("The cost lines' budget must agree with the total budget.")),
        _r("reconcile_work_packages_vs_budget", "stop", N_("The work packages' budget must agree with the total budget.")),
        # firms and surveys
        _r("firm_change_mismatch", "warn", N_("Published changes are shown as published; the difference is reported."), names="firms"),
        _r("firm_total_mismatch", "warn", N_("Published totals are shown as published; the difference is reported.")),
        _r("firm_count_mismatch", "warn", N_("The indicator and the participation table count firms differently.")),
        _r("firm_duplicate_name", "warn", N_("The same firm may appear under two ids and be counted twice."), names="firms"),
        _r("survey_duplicate_answer", "stop", N_("The same respondent answered an item twice; shares would be wrong."), names="survey"),
    )
)


def naming(data: Literal["firms", "survey"]) -> tuple[str, ...]:
    """The checks whose findings name single firms (or respondents)."""
    return tuple(name for name, rule in RULES.items() if rule.names == data)


def validate_names(rules: Mapping[str, str]) -> list[str]:
    """Check names in ``rules`` that no check has."""
    return sorted(name for name in rules if name not in RULES)
