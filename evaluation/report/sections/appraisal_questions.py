"""The questions a development committee should ask about an application, each with the reason it is asked.

:func:`questions` turns the logic review's findings (one question per check, naming what it
concerns) and the gaps of the application (no RUS effect goal, a co-financing key that the
decisions do not follow, no EU common indicator, no stated risks, illustrative figures, a low
coherence score) into ``(question, reason)`` pairs in the report's language. Findings that
would name single firms or respondents whose data are restricted are asked about without naming them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from evaluation.analysis.portfolio_steering import ATTENTION_COHERENCE
from evaluation.core import fmt
from evaluation.core.i18n import N_, Language, text
from evaluation.core.model import Project
from evaluation.review.findings import Finding

__all__ = ["Question", "QUESTIONS", "questions"]

QUESTIONS: dict[str, str] = {
    "goal_cycle": N_("How is the goal tree meant to run from activities up to the overall goal ({subjects})?"),
    "chain_cycle": N_("How is the effect logic meant to run from activities to long-term effects ({subjects})?"),
    "activity_without_goal": N_("Which goal do these activities serve: {subjects}?"),
    "goal_without_activity": N_("Which activities will reach these goals: {subjects}?"),
    "goal_without_indicator": N_("How will the project show that these goals are reached: {subjects}?"),
    "effect_goal_output_only": N_("Which result indicator will measure the effect of these goals: {subjects}?"),
    "deadline_after_end": N_("How will goals due after the project ends be followed up: {subjects}?"),
    "activity_without_output": N_("What will these activities produce: {subjects}?"),
    "output_without_short_term": N_("Which short-term effect should these outputs lead to: {subjects}?"),
    "short_term_without_long_term": N_("Which long-term effect should these short-term effects lead to: {subjects}?"),
    "link_backwards": N_("Are these links of the effect logic meant the other way round: {subjects}?"),
    "link_without_assumption": N_("What must hold for these steps of the effect logic to happen: {subjects}?"),
    "indicator_incomplete": N_("What are the baseline, target, unit and source of these indicators: {subjects}?"),
    "target_after_end": N_("Why are these targets dated after the project ends: {subjects}?"),
    "indicator_measures_nothing": N_("Which goal do these indicators measure: {subjects}?"),
    "indicator_level_mismatch": N_("Do these indicators measure at the level of the goal they follow up: {subjects}?"),
    "horizontal_missing": N_("How will the project work with the horizontal criteria it does not address ({subjects})?"),
    "horizontal_without_action": N_("Which actions will the project take for these horizontal criteria: {subjects}?"),
    "horizontal_without_indicator": N_("How will these horizontal criteria be followed up: {subjects}?"),
    "eu_indicator_catalogue": N_("Which EU common indicator, in the catalogue's unit, will these indicators report: {subjects}?"),
    "reconcile_financing_vs_budget": N_("Who finances the difference between the budget and the financing plan?"),
    "reconcile_cost_budget_vs_budget": N_("Why do the cost lines not add up to the total budget?"),
    "reconcile_work_packages_vs_budget": N_("Why do the work packages' budgets not add up to the total budget?"),
    "work_package_without_activities": N_("Which activities will these work packages carry out: {subjects}?"),
    "activity_without_work_package": N_("Which work package and budget do these activities belong to: {subjects}?"),
}
"""The question asked for a finding of each check; other checks get a general question."""


@dataclass(frozen=True)
class Question:
    """A question for the committee and why it is asked."""

    question: str
    reason: str


def _subjects(found: Sequence[Finding], hidden: bool, lang: Language, limit: int = 6) -> str:
    if hidden:
        return text(lang, "not named, as those data are not public")
    ids = sorted({f.subject for f in found})
    shown = ", ".join(ids[:limit])
    return shown + (text(lang, " and {n} more", n=len(ids) - limit) if len(ids) > limit else "")


def _from_findings(findings: Sequence[Finding], redacted: Sequence[str], lang: Language) -> list[Question]:
    out = []
    by_check: dict[str, list[Finding]] = {}
    for f in findings:
        if f.severity in ("error", "warning"):
            by_check.setdefault(f.check, []).append(f)
    for check, found in sorted(by_check.items(), key=lambda kv: (min(0 if f.severity == "error" else 1 for f in kv[1]), kv[0])):
        hidden = check in redacted
        subjects = _subjects(found, hidden, lang)
        message = QUESTIONS.get(check)
        question = (fmt.fill(lang, message, (("subjects", subjects),)) if message is not None
                    else text(lang, "How will the applicant resolve what the check {check} found ({subjects})?",
                              check=check, subjects=subjects))
        first = found[0].text(lang) if not hidden else text(lang, "The check {check} found {n} problem(s).", check=check,
                                                            n=len(found))
        stops = any(f.severity == "error" for f in found)
        reason = (text(lang, "Stops a report: {finding}", finding=first) if stops
                  else text(lang, "Warning: {finding}", finding=first))
        if len(found) > 1 and not hidden:
            reason += " " + text(lang, "({n} findings of this kind.)", n=len(found))
        out.append(Question(question, reason))
    return out


def questions(project: Project, findings: Sequence[Finding], coherence: float | None, keys: pd.DataFrame,
              redacted: Sequence[str], lang: Language) -> list[Question]:
    """Every question for the committee: first those from the application's gaps, then one per check that found something.

    ``keys`` is the project's co-financing table (:func:`evaluation.analysis.cofinancing.project_keys`);
    ``redacted`` the checks whose findings may not name their subjects. Indicators whose EU
    code or unit disagrees with the catalogue come from the check ``eu_indicator_catalogue``.
    """
    out: list[Question] = []
    if not project.rus_goals:
        out.append(Question(text(lang, "Which effect goal of the regional development strategy (RUS) does the project serve?"),
                            text(lang, "The application links to no RUS effect goal.")))
    for row in keys.itertuples(index=False):
        diff = float(row.difference)
        if pd.isna(row.decided):
            out.append(Question(text(lang, "When will {party} decide on its part of {amount}?", party=row.party,
                                     amount=fmt.money(row.computed, lang)),
                                text(lang, "The key gives {party} {amount}; no decision is reported.", party=row.party,
                                     amount=fmt.money(row.computed, lang))))
        elif not pd.isna(diff) and abs(diff) >= 1:
            reason = text(lang, "Decided {decided}, by the key {computed}: a difference of {diff}.", decided=fmt.money(row.decided, lang),
                          computed=fmt.money(row.computed, lang), diff=fmt.money(diff, lang))
            if row.data_status == "illustrative":
                reason += " " + text(lang, "The key's input for this party is illustrative, so the difference may be too.")
            out.append(Question(text(lang, "Why does {party}'s decided amount differ from its part by the key?", party=row.party),
                                reason))
    if project.fund in ("ERUF", "ESF+", "Interreg") and not any(i.code for i in project.indicators):
        out.append(Question(text(lang, "Which EU common indicators will the project report?"),
                            text(lang, "An EU-funded project without an EU common indicator cannot be added up with the programme.")))
    stated = any(n.risks or n.assumptions for n in project.goal_tree.nodes) or bool(project.effect_chain.external_factors)
    if not stated:
        out.append(Question(text(lang, "What are the main risks, and how will the project manage them?"),
                            text(lang, "The application states no risks, assumptions or external factors.")))
    if project.is_illustrative():
        out.append(Question(text(lang, "Which figures of the application are the applicant's own?"),
                            text(lang, "Some values are illustrative: invented to demonstrate the toolkit.")))
    if coherence is not None and coherence < ATTENTION_COHERENCE:
        out.append(Question(text(lang, "How will the applicant tighten the project logic before a decision?"),
                            text(lang, "The coherence score is {score} of 100 (below {limit}).",
                                 score=fmt.number(coherence, lang, 0), limit=fmt.number(ATTENTION_COHERENCE, lang, 0))))
    return out + _from_findings(findings, redacted, lang)
