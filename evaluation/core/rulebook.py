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

from evaluation.core.model import RuleAction

ACTIONS: tuple[str, ...] = get_args(RuleAction)
SEVERITY_OF: dict[str, str] = {"stop": "error", "warn": "warning", "note": "info"}


@dataclass(frozen=True)
class Rule:
    """The default action of one check and why."""

    check: str
    default: RuleAction
    sv: str
    en: str
    names: Literal["firms", "survey"] | None = None
    """Its findings name single firms or respondents: reports show them only when those data are public."""


def _r(check: str, default: RuleAction, sv: str, en: str, names: Literal["firms", "survey"] | None = None) -> tuple[str, Rule]:
    return check, Rule(check, default, sv, en, names)


RULES: dict[str, Rule] = dict(
    (
        # structure of the project logic
        _r("goal_cycle", "stop", "Ett cirkulärt målträd kan inte ritas eller summeras.", "A goal tree with a cycle cannot be drawn or summed."),
        _r("chain_cycle", "stop", "En cirkulär effektlogik kan inte ritas.", "An effect-logic chain with a cycle cannot be drawn."),
        _r("activity_without_goal", "warn", "En aktivitet utan mål bryter den röda tråden.", "An activity with no goal breaks the logic."),
        _r("goal_without_activity", "warn", "Ett mål utan aktiviteter nås knappast.", "A goal with no activity is unlikely to be reached."),
        _r("goal_without_indicator", "warn", "Ett mål utan indikator kan inte följas upp.", "A goal with no indicator cannot be followed up."),
        _r("effect_goal_output_only", "warn", "Effektmål bör mätas med resultatindikatorer.", "Effect goals should be measured by result indicators."),
        _r("deadline_after_end", "warn", "Ett delmål efter projektets slut kan inte bedömas i slututvärderingen.", "A goal due after the project ends cannot be judged in the final evaluation."),
        _r("activity_without_output", "warn", "Luckor i effektlogiken.", "Gaps in the effect logic."),
        _r("output_without_short_term", "warn", "Luckor i effektlogiken.", "Gaps in the effect logic."),
        _r("short_term_without_long_term", "warn", "Luckor i effektlogiken.", "Gaps in the effect logic."),
        _r("link_backwards", "warn", "En koppling bakåt i kedjan är troligen fel riktad.", "A link going down the chain is probably reversed."),
        _r("link_without_assumption", "note", "Antaganden gör effektlogiken prövbar.", "Assumptions make the effect logic testable."),
        # indicators
        _r("indicator_incomplete", "warn", "Utan utgångsvärde, mål, enhet och källa kan måluppfyllelsen inte bedömas fullt ut.", "Without baseline, target, unit and source attainment cannot be fully judged."),
        _r("target_after_end", "warn", "Ett måldatum efter projektets slut.", "A target dated after the project's end."),
        _r("indicator_measures_nothing", "warn", "En indikator som inte mäter något mål.", "An indicator that measures no goal."),
        _r("indicator_level_mismatch", "warn", "Indikatorns nivå passar inte målets.", "The indicator's level does not fit the goal's."),
        _r("disaggregation_mismatch", "stop", "Uppdelningen (kön, storlek) ger fel andelar om den inte summerar till totalen.", "A split (gender, size) that does not add up gives wrong shares."),
        _r("cumulative_decrease", "stop", "Ett kumulativt värde som minskar gör måluppfyllelsen fel.", "A cumulative value that goes down makes attainment wrong."),
        _r("indicator_duplicate_period", "stop", "Två värden för samma period: vilket som gäller är okänt.", "Two values for the same period: which one holds is unknown."),
        _r("value_before_start", "warn", "Ett värde före projektets start.", "A value dated before the project started."),
        _r("value_after_end", "warn", "Ett värde efter projektets slut.", "A value dated after the project's end."),
        # activities and participation
        _r("activity_outside_period", "warn", "En aktivitet utanför projektperioden.", "An activity outside the project period."),
        _r("participation_outside_period", "warn", "Ett deltagande utanför projektperioden.", "A participation outside the project period.", names="firms"),
        _r("no_work_packages", "note", "Aktiviteterna kan inte följas per arbetspaket.", "Activities cannot be followed by work package."),
        _r("work_package_without_activities", "warn", "Budget utan aktiviteter.", "Budget without activities."),
        _r("activity_without_work_package", "warn", "Aktiviteten kan inte kopplas till budgeten.", "The activity cannot be tied to the budget."),
        # horizontal criteria
        _r("horizontal_missing", "warn", "De horisontella kriterierna ska behandlas.", "The horizontal criteria must be addressed."),
        _r("horizontal_without_action", "warn", "Ett kriterium utan åtgärder.", "A criterion without actions."),
        _r("horizontal_without_indicator", "warn", "Ett kriterium som inte följs upp.", "A criterion that is not followed up."),
        # economics (differences within the budget's tolerance are always information)
        _r("reconcile_outcome_vs_cost_lines", "stop", "Utfallet och kostnadsposterna ska stämma inom toleransen.", "Outcome and cost lines must agree within the tolerance."),
        _r("reconcile_outcome_vs_financing", "stop", "Utfallet och finansieringen ska stämma inom toleransen.", "Outcome and financing must agree within the tolerance."),
        _r("reconcile_financing_vs_budget", "stop", "Finansieringen och budgeten ska stämma inom toleransen.", "Financing and budget must agree within the tolerance."),
        _r("reconcile_cost_budget_vs_budget", "stop", "Kostnadsposternas budget ska stämma med totalbudgeten.", "The cost lines' budget must agree with the total budget."),
        _r("reconcile_work_packages_vs_budget", "stop", "Arbetspaketens budget ska stämma med totalbudgeten.", "The work packages' budget must agree with the total budget."),
        # firms and surveys
        _r("firm_change_mismatch", "warn", "Publicerade förändringar visas som publicerade; avvikelsen redovisas.", "Published changes are shown as published; the difference is reported.", names="firms"),
        _r("firm_total_mismatch", "warn", "Publicerade totaler visas som publicerade; avvikelsen redovisas.", "Published totals are shown as published; the difference is reported."),
        _r("firm_count_mismatch", "warn", "Indikatorn och deltagartabellen räknar företag olika.", "The indicator and the participation table count firms differently."),
        _r("firm_duplicate_name", "warn", "Samma företag kan förekomma under två id:n och räknas då två gånger.", "The same firm may appear under two ids and be counted twice.", names="firms"),
        _r("survey_duplicate_answer", "stop", "Samma svarande har svarat två gånger på samma fråga; andelarna blir fel.", "The same respondent answered an item twice; shares would be wrong.", names="survey"),
    )
)


def naming(data: Literal["firms", "survey"]) -> tuple[str, ...]:
    """The checks whose findings name single firms (or respondents)."""
    return tuple(name for name, rule in RULES.items() if rule.names == data)


def validate_names(rules: Mapping[str, str]) -> list[str]:
    """Check names in ``rules`` that no check has."""
    return sorted(name for name in rules if name not in RULES)
