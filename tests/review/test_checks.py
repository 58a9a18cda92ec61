"""Tests for evaluation.review.checks: every logic check on a minimal project that triggers it and on a
near miss that does not, finding order and texts, and the findings an evaluator reading the
source documents would agree with on the example projects."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import END, minimal_spec, write_project

from evaluation.core.model import Project
from evaluation.io.loader import load_project
from evaluation.review.checks import check_project, findings_frame
from evaluation.review.findings import SEVERITY_ORDER, Finding

Mutator = Callable[[dict[str, Any]], None]
Run = Callable[..., tuple[Finding, ...]]
AFTER_END = END + timedelta(days=1)


_LOADED: dict[str, Project] = {}  # projects are frozen: equal inputs can share one load


@pytest.fixture
def project_of(load: Callable[..., Project]) -> Callable[..., Project]:
    """``project_of(mutate=None, tables=None)``: the minimal project, mutated, loaded."""

    def _project(mutate: Mutator | None = None, tables: dict[str, Any] | None = None) -> Project:
        spec = minimal_spec()
        if mutate is not None:
            mutate(spec)
        key = repr((spec, tables))
        if key not in _LOADED:
            _LOADED[key] = load(spec, tables)
        return _LOADED[key]

    return _project


@pytest.fixture
def run(project_of: Callable[..., Project]) -> Run:
    """``run(mutate=None, tables=None)``: the findings of the mutated minimal project."""

    def _run(mutate: Mutator | None = None, tables: dict[str, Any] | None = None) -> tuple[Finding, ...]:
        return check_project(project_of(mutate, tables))

    return _run


@pytest.fixture(scope="module")
def example_findings(examples: dict[str, Project]) -> dict[str, tuple[Finding, ...]]:
    """The findings of the four example projects, computed once."""
    return {pid: check_project(project) for pid, project in examples.items()}


def hits(findings: tuple[Finding, ...], check: str) -> list[tuple[str, str]]:
    """(severity, subject) of the findings of one check."""
    return [(f.severity, f.subject) for f in findings if f.check == check]


def only(findings: tuple[Finding, ...], check: str) -> Finding:
    found = [f for f in findings if f.check == check]
    assert len(found) == 1, (check, findings)
    return found[0]


def goal(s: dict[str, Any], id_: str, level: str, parent: str | None, **kw: Any) -> None:
    s["goal_tree"].append({"id": id_, "level": level, "parent": parent, "statement": f"Mål {id_}", **kw})


def node(s: dict[str, Any], id_: str, level: str, goals: list[str] | None = None) -> None:
    s["effect_logic"]["nodes"].append({"id": id_, "level": level, "statement": f"Led {id_}", "goals": goals or []})


def link(s: dict[str, Any], source: str, target: str, assumption: str | None = "antagande") -> None:
    s["effect_logic"]["links"].append({"from": source, "to": target, "assumption": assumption})


def values(*rows: tuple[str, str, float | None], **extra: Any) -> dict[str, Any]:
    """An indicator_values table from (indicator, period_end, value) rows plus extra columns."""
    out = []
    for ind, period_end, value in rows:
        out.append(
            {"indicator": ind, "period_end": period_end, "value": value, "status": "verified" if value is not None else "not_reported", "source": "src", **extra}
        )
    return {"indicator_values": out}


# --------------------------------------------------------------------------- the baseline


def test_minimal_project_has_no_findings(run: Run) -> None:
    """The minimal project is coherent: no check finds anything (every near miss starts here)."""
    assert run() == ()


# --------------------------------------------------------------------------- goal tree


def test_goal_cycle(run: Run) -> None:
    """Goals that are each other's parents are a goal_cycle error; a plain chain is not."""
    def cycle(s: dict[str, Any]) -> None:
        goal(s, "x1", "sub", "x2")
        goal(s, "x2", "sub", "x1")

    def chain(s: dict[str, Any]) -> None:
        goal(s, "x1", "sub", "pg1")
        goal(s, "x2", "sub", "x1")

    found = only(run(cycle), "goal_cycle")
    assert found.severity == "error" and found.subject in {"x1", "x2"}
    assert "x1" in found.en and "x2" in found.en and "cirkulär" in found.sv
    assert hits(run(chain), "goal_cycle") == []


def test_activity_without_goal(run: Run) -> None:
    """An activity with no parent, or only an activity as parent, is linked to no goal."""
    def orphan(s: dict[str, Any]) -> None:
        goal(s, "a2", "activity", None, work_package="wp1")
        goal(s, "a3", "activity", "a1", work_package="wp1")

    assert hits(run(orphan), "activity_without_goal") == [("warning", "a2"), ("warning", "a3")]
    assert hits(run(lambda s: goal(s, "a2", "activity", "pg1", work_package="wp1")), "activity_without_goal") == []


def test_goal_without_activity(run: Run) -> None:
    """A sub-goal with no activity beneath it is flagged; moving the activity under it clears it."""
    def empty_sub(s: dict[str, Any]) -> None:
        goal(s, "sg1", "sub", "pg1")

    def filled_sub(s: dict[str, Any]) -> None:
        goal(s, "sg1", "sub", "pg1")
        s["goal_tree"][2]["parent"] = "sg1"

    assert hits(run(empty_sub), "goal_without_activity") == [("warning", "sg1")]
    assert hits(run(filled_sub), "goal_without_activity") == []


def test_goal_without_indicator(run: Run) -> None:
    """A sub-goal no indicator measures is flagged; one measured through an effect node tied to it is not."""
    def unmeasured(s: dict[str, Any]) -> None:
        goal(s, "sg1", "sub", "pg1")
        s["goal_tree"][2]["parent"] = "sg1"

    def via_effect_node(s: dict[str, Any]) -> None:
        unmeasured(s)
        s["effect_logic"]["nodes"][1]["goals"] = ["pg1", "sg1"]  # e_out, measured by out1

    found = run(unmeasured)
    assert hits(found, "goal_without_indicator") == [("warning", "sg1")]
    near = run(via_effect_node)
    assert hits(near, "goal_without_indicator") == []
    assert hits(near, "effect_goal_output_only") == []  # a sub-goal tied only to an output is no effect goal


def test_effect_goal_output_only(run: Run) -> None:
    """A project goal measured only by output indicators lacks a result indicator."""
    def drop_result(s: dict[str, Any]) -> None:
        s["indicators"] = [s["indicators"][0]]
        s["horizontal"][2]["indicators"] = ["out1"]

    found = only(run(drop_result), "effect_goal_output_only")
    assert (found.severity, found.subject) == ("warning", "pg1")
    assert "(out1)" in found.en
    assert hits(run(), "effect_goal_output_only") == []


def test_effect_goal_output_only_for_sub_goal_tied_to_short_term(run: Run) -> None:
    """A sub-goal tied to a short-term effect counts as an effect goal and needs more than outputs."""
    def effect_sub(s: dict[str, Any]) -> None:
        goal(s, "sg1", "sub", "pg1")
        s["goal_tree"][2]["parent"] = "sg1"
        node(s, "e_st2", "short_term", ["sg1"])
        link(s, "e_out", "e_st2")
        link(s, "e_st2", "e_lt")
        s["indicators"][0]["measures"] = ["e_out", "sg1"]

    assert hits(run(effect_sub), "effect_goal_output_only") == [("warning", "sg1")]


def test_deadline_after_end(run: Run) -> None:
    """A goal deadline after the project's end is flagged; a deadline on the end date is not."""
    found = only(run(lambda s: s["goal_tree"][1].update(deadline=AFTER_END)), "deadline_after_end")
    assert found.subject == "pg1" and "2026-01-01" in found.en and "2025-12-31" in found.en
    assert hits(run(lambda s: s["goal_tree"][1].update(deadline=END)), "deadline_after_end") == []


# --------------------------------------------------------------------------- effect logic


def test_chain_cycle(run: Run) -> None:
    """A link from the long-term effect back to the output closes a cycle: an error."""
    found = only(run(lambda s: link(s, "e_lt", "e_out")), "chain_cycle")
    assert found.severity == "error" and found.subject in {"e_out", "e_st", "e_lt"}
    assert "e_out" in found.en and "e_lt" in found.en
    assert hits(run(), "chain_cycle") == []


def test_activity_without_output(run: Run) -> None:
    """An activity box with no link up is flagged; a link that skips straight to short term is enough."""
    assert hits(run(lambda s: node(s, "e_act2", "activity", ["a1"])), "activity_without_output") == [("warning", "e_act2")]

    def skip(s: dict[str, Any]) -> None:
        node(s, "e_act2", "activity", ["a1"])
        link(s, "e_act2", "e_st")

    assert hits(run(skip), "activity_without_output") == []


def test_output_without_short_term(run: Run) -> None:
    """An output leading nowhere is flagged; one leading to a long-term effect is not."""
    def dead_end(s: dict[str, Any]) -> None:
        node(s, "e_out2", "output")
        link(s, "e_act", "e_out2")

    def to_long_term(s: dict[str, Any]) -> None:
        dead_end(s)
        link(s, "e_out2", "e_lt")

    assert hits(run(dead_end), "output_without_short_term") == [("warning", "e_out2")]
    assert hits(run(to_long_term), "output_without_short_term") == []


def test_short_term_without_long_term(run: Run) -> None:
    """A short-term effect without a long-term effect above it is flagged."""
    def dead_end(s: dict[str, Any]) -> None:
        node(s, "e_st2", "short_term")
        link(s, "e_out", "e_st2")

    def carried(s: dict[str, Any]) -> None:
        dead_end(s)
        link(s, "e_st2", "e_lt")

    assert hits(run(dead_end), "short_term_without_long_term") == [("warning", "e_st2")]
    assert hits(run(carried), "short_term_without_long_term") == []


def test_link_backwards(run: Run) -> None:
    """Links down the chain or within one level are flagged; an upward skip-level link is not."""
    def backwards(s: dict[str, Any]) -> None:
        node(s, "e_out2", "output")
        link(s, "e_out2", "e_act")
        link(s, "e_out", "e_out2")

    found = run(backwards)
    assert hits(found, "link_backwards") == [("warning", "e_out->e_out2"), ("warning", "e_out2->e_act")]
    assert "(output -> activity)" in only(tuple(f for f in found if f.subject == "e_out2->e_act"), "link_backwards").en
    assert hits(run(lambda s: link(s, "e_act", "e_st")), "link_backwards") == []


def test_link_without_assumption(run: Run) -> None:
    """A link with no (or a blank) assumption is an info finding."""
    def blank(s: dict[str, Any]) -> None:
        s["effect_logic"]["links"][1]["assumption"] = None
        s["effect_logic"]["links"][2]["assumption"] = "   "

    assert hits(run(blank), "link_without_assumption") == [("info", "e_out->e_st"), ("info", "e_st->e_lt")]
    assert hits(run(), "link_without_assumption") == []


# --------------------------------------------------------------------------- indicators


@pytest.mark.parametrize(
    ("mutate", "missing"),
    [
        (lambda i: i.update(unit=None), "unit"),
        (lambda i: i.update(source=None), "source"),
        (lambda i: i.update(target={}), "target"),
        (lambda i: i["baseline"].update(date=None), "baseline"),
        (lambda i: i.update(baseline={}, unit=None), "baseline, unit"),
    ],
    ids=["unit", "source", "target", "baseline_date", "two"],
)
def test_indicator_incomplete(run: Run, mutate: Callable[[dict[str, Any]], None], missing: str) -> None:
    """An indicator without baseline, target, target date, unit or source says exactly what is missing."""
    found = only(run(lambda s: mutate(s["indicators"][0])), "indicator_incomplete")
    assert (found.severity, found.subject) == ("warning", "out1")
    assert found.en == f"Indicator out1 (Output-indikator) has no {missing}."


def test_indicator_incomplete_target_date(project_of: Callable[..., Project]) -> None:
    """A target value without a date (a load error in project.yaml, so built here on the model) is named."""
    from dataclasses import replace

    project = project_of()
    undated = replace(project, indicators=(replace(project.indicators[0], target_date=None), *project.indicators[1:]))
    found = only(check_project(undated), "indicator_incomplete")
    assert (found.severity, found.subject) == ("warning", "out1")
    assert found.en == "Indicator out1 (Output-indikator) has no target date."


def test_indicator_without_target_needs_no_target_date(run: Run) -> None:
    """With no target value a missing target date is not listed separately."""
    found = only(run(lambda s: s["indicators"][0].update(target={})), "indicator_incomplete")
    assert "target date" not in found.en and "måldatum" not in found.sv


def test_target_after_end(run: Run) -> None:
    """A target dated after the project's end is flagged; one on the end date is not."""
    assert hits(run(lambda s: s["indicators"][1]["target"].update(date=AFTER_END)), "target_after_end") == [("warning", "res1")]
    assert hits(run(lambda s: s["indicators"][1]["target"].update(date=END)), "target_after_end") == []


def test_indicator_measures_nothing(run: Run) -> None:
    """An indicator tied to no node is flagged."""
    assert hits(run(lambda s: s["indicators"][0].update(measures=[])), "indicator_measures_nothing") == [("warning", "out1")]
    assert hits(run(), "indicator_measures_nothing") == []


@pytest.mark.parametrize(
    ("index", "code", "expected"),
    [(1, "RCO01", "carries the output code RCO01 but sits at level short_term"), (0, "RCR01", "carries the result code RCR01 but sits at level output"),
     (1, "EECO01", "carries the output code EECO01"), (0, "PSR01", "carries the result code PSR01")],
)
def test_indicator_level_mismatch_code(run: Run, index: int, code: str, expected: str) -> None:
    """An output code on an effect-level indicator (or a result code on an output) is a mismatch."""
    found = only(run(lambda s: s["indicators"][index].update(code=code)), "indicator_level_mismatch")
    assert expected in found.en


@pytest.mark.parametrize(("index", "code"), [(0, "RCO01"), (1, "RCR01"), (0, "EECO01"), (1, "EECR01")])
def test_indicator_code_matching_level_is_fine(run: Run, index: int, code: str) -> None:
    """An output code on an output indicator and a result code on a short-term one are fine."""
    assert hits(run(lambda s: s["indicators"][index].update(code=code)), "indicator_level_mismatch") == []


def test_indicator_level_mismatch_with_measured_node(run: Run) -> None:
    """An output indicator measuring a short-term effect node is a mismatch; measuring a goal node is not checked."""
    found = only(run(lambda s: s["indicators"][0].update(measures=["e_out", "e_st"])), "indicator_level_mismatch")
    assert found.subject == "out1" and "measures e_st, which sits at level short_term" in found.en
    assert hits(run(lambda s: s["indicators"][0].update(measures=["e_out", "pg1"])), "indicator_level_mismatch") == []


@pytest.mark.parametrize(
    ("parts", "flagged"),
    [
        ({"women": 6, "men": 5, "non_binary": 0}, True),  # complete, 11 != 10
        ({"women": 6, "men": 4, "non_binary": 0}, False),  # complete, adds up
        ({"women": 6, "men": 4, "non_binary": None}, False),  # non_binary not reported, adds up
        ({"women": 6, "men": None, "non_binary": None}, False),  # incomplete split below the total
        ({"women": 6, "men": 5, "non_binary": None}, True),  # incomplete split above the total
        ({"micro": 5, "small": 3, "medium": 1, "large": 0}, True),  # size classes, 9 != 10
        ({"micro": 5, "small": 3, "medium": 2, "large": 0}, False),
        ({"micro": 5, "small": 6, "medium": None, "large": None}, True),  # 11 > 10 with parts missing
    ],
)
def test_disaggregation_mismatch(run: Run, parts: dict[str, float | None], flagged: bool) -> None:
    """Gender and size-class splits must add up to the value; an incomplete split may fall short."""
    found = hits(run(tables=values(("out1", "2024-12-31", 10), **parts)), "disaggregation_mismatch")
    assert found == ([("error", "out1")] if flagged else [])


def test_disaggregation_mismatch_text_names_the_split(run: Run) -> None:
    """The finding says which split and the two sums."""
    found = only(run(tables=values(("out1", "2024-12-31", 10), micro=5, small=3, medium=1, large=0)), "disaggregation_mismatch")
    assert found.en == "The size-class split of out1 (2024-12-31) adds up to 9, not to the total 10."
    assert "storleksklass" in found.sv


def test_cumulative_decrease(run: Run) -> None:
    """A cumulative value going down is an error, also across a not-reported period."""
    rows = values(("out1", "2024-06-30", 5), ("out1", "2024-12-31", None), ("out1", "2025-06-30", 3))
    found = only(run(tables=rows), "cumulative_decrease")
    assert (found.severity, found.subject) == ("error", "out1")
    assert found.en == "Cumulative indicator out1 goes down from 5 (2024-06-30) to 3 (2025-06-30)."


def test_no_cumulative_decrease_for_per_period_or_flat_values(run: Run) -> None:
    """Per-period values may go down; cumulative values may stay flat."""
    down = values(("out1", "2024-06-30", 5), ("out1", "2025-06-30", 3))
    assert hits(run(lambda s: s["indicators"][0].update(aggregation="per_period"), down), "cumulative_decrease") == []
    flat = values(("out1", "2024-06-30", 5), ("out1", "2025-06-30", 5))
    assert hits(run(tables=flat), "cumulative_decrease") == []


def test_value_after_end(run: Run) -> None:
    """A value for a period ending after the project is flagged; one on the end date is not."""
    assert hits(run(tables=values(("out1", "2026-01-31", 5))), "value_after_end") == [("warning", "out1")]
    assert hits(run(tables=values(("out1", "2025-12-31", 5))), "value_after_end") == []


# --------------------------------------------------------------------------- work packages


def test_no_work_packages(run: Run) -> None:
    """Activities but no work packages is an info finding on the project."""
    def drop(s: dict[str, Any]) -> None:
        s["work_packages"] = []
        s["goal_tree"][2]["work_package"] = None

    assert hits(run(drop), "no_work_packages") == [("info", "mini")]


def test_no_work_packages_without_activities_is_silent(run: Run) -> None:
    """Without activities there is nothing to follow by work package."""
    def drop(s: dict[str, Any]) -> None:
        s["work_packages"] = []
        del s["goal_tree"][2]
        s["effect_logic"]["nodes"][0]["goals"] = []

    assert hits(run(drop), "no_work_packages") == []


def test_work_package_without_activities(run: Run) -> None:
    """A work package with a budget but no activity is flagged; one without budget (or 0) is not."""
    assert hits(run(lambda s: s["work_packages"].append({"id": "wp2", "name": "Två", "budget": 500})), "work_package_without_activities") == [("warning", "wp2")]
    assert hits(run(lambda s: s["work_packages"].append({"id": "wp2", "name": "Två"})), "work_package_without_activities") == []
    assert hits(run(lambda s: s["work_packages"].append({"id": "wp2", "name": "Två", "budget": 0})), "work_package_without_activities") == []


def test_activity_without_work_package(run: Run) -> None:
    """When work packages exist, an activity outside all of them is flagged."""
    found = run(lambda s: s["goal_tree"][2].update(work_package=None))
    assert hits(found, "activity_without_work_package") == [("warning", "a1")]
    assert hits(run(), "activity_without_work_package") == []


# --------------------------------------------------------------------------- horizontal criteria


def test_horizontal_missing(run: Run) -> None:
    """A horizontal criterion not addressed at all is flagged by name."""
    found = only(run(lambda s: s["horizontal"].pop(2)), "horizontal_missing")
    assert found.subject == "sustainable_development"
    assert found.en == "The horizontal criterion sustainable development is not addressed."
    assert found.sv == "Det horisontella kriteriet hållbar utveckling behandlas inte."


def test_horizontal_without_action(run: Run) -> None:
    """A criterion with no actions is flagged (and only that criterion)."""
    assert hits(run(lambda s: s["horizontal"][1].update(actions=[])), "horizontal_without_action") == [("warning", "equal_opportunities")]


def test_horizontal_without_indicator(run: Run) -> None:
    """A criterion followed up by no indicator is flagged."""
    assert hits(run(lambda s: s["horizontal"][0].update(indicators=[])), "horizontal_without_indicator") == [("warning", "gender_equality")]


# --------------------------------------------------------------------------- economics


def costs(*rows: tuple[float | None, float | None]) -> dict[str, Any]:
    return {"costs": [{"category": f"Post {i}", "budget": b, "outcome": o} for i, (b, o) in enumerate(rows, start=1)]}


def test_reconcile_cost_lines_within_tolerance_is_info(run: Run) -> None:
    """Cost lines 4 kr over a stated outcome of 1 000 (0.4 % < 0.5 %) are an info finding."""
    found = only(run(tables=costs((None, 600), (None, 404))), "reconcile_outcome_vs_cost_lines")
    assert (found.severity, found.subject) == ("info", "mini")
    assert found.en == "The sum of the cost lines (1,004 SEK) differs by 4 SEK (0.400%) from the stated outcome (1,000 SEK), within the tolerance of 0.5%."
    assert "inom toleransen" in found.sv


def test_reconcile_cost_lines_beyond_tolerance_is_error(run: Run) -> None:
    """Cost lines 1 % off the stated outcome are an error."""
    found = only(run(tables=costs((None, 600), (None, 410))), "reconcile_outcome_vs_cost_lines")
    assert found.severity == "error" and "beyond the tolerance" in found.en and "utanför" in found.sv


def test_reconcile_cost_lines_silent_when_equal_or_incomplete(run: Run) -> None:
    """Equal sums, or a cost line without outcome, give no cost-line finding."""
    assert hits(run(tables=costs((None, 600), (None, 400))), "reconcile_outcome_vs_cost_lines") == []
    assert hits(run(tables=costs((None, 600), (None, None))), "reconcile_outcome_vs_cost_lines") == []


def test_reconcile_financing_vs_outcome(run: Run) -> None:
    """Financing paid (basis outcome) vs stated outcome: 0.4 % off is info, 10 % off is an error, a missing amount skips it."""
    assert hits(run(lambda s: s["financiers"][0].update(amount=1004, basis="outcome")), "reconcile_outcome_vs_financing") == [("info", "mini")]
    assert hits(run(lambda s: s["financiers"][0].update(amount=1100, basis="outcome")), "reconcile_outcome_vs_financing") == [("error", "mini")]
    partly = run(lambda s: s["financiers"].append({"name": "Kommun", "kind": "municipality", "amount": None, "basis": "outcome"}))
    assert hits(partly, "reconcile_outcome_vs_financing") == []


def test_reconcile_tolerance_comes_from_the_project(run: Run) -> None:
    """A 10 % gap is within a stated tolerance of 20 %."""
    def wide(s: dict[str, Any]) -> None:
        s["budget"]["tolerance"] = 0.2
        s["financiers"][0].update(amount=1100, basis="outcome")

    found = only(run(wide), "reconcile_outcome_vs_financing")
    assert found.severity == "info" and "tolerance of 20.0%" in found.en


def test_reconcile_financing_vs_budget_without_outcome(run: Run) -> None:
    """The financing plan is compared with the total budget, with or without a stated outcome."""
    def no_outcome(amount: float) -> Mutator:
        def mutate(s: dict[str, Any]) -> None:
            s["budget"]["outcome_total"] = None
            s["financiers"][0]["amount"] = amount

        return mutate

    found = only(run(no_outcome(1100)), "reconcile_financing_vs_budget")
    assert found.severity == "error"
    assert found.en == "The sum of the financing (1,100 SEK) differs from the total budget (1,000 SEK) by 10.00%."
    assert hits(run(no_outcome(1004)), "reconcile_financing_vs_budget") == [("info", "mini")]
    assert hits(run(no_outcome(1000)), "reconcile_financing_vs_budget") == []
    # with a stated outcome the financing plan is still compared with the budget (plan against plan)
    assert hits(run(lambda s: s["financiers"][0].update(amount=1100)), "reconcile_financing_vs_budget") == [("error", "mini")]


def test_reconcile_cost_budget_vs_budget(run: Run) -> None:
    """Cost-line budgets that do not add up to the total budget are flagged."""
    assert hits(run(tables=costs((600, None), (300, None))), "reconcile_cost_budget_vs_budget") == [("error", "mini")]
    assert hits(run(tables=costs((600, None), (400, None))), "reconcile_cost_budget_vs_budget") == []
    assert hits(run(tables=costs((600, None), (None, None))), "reconcile_cost_budget_vs_budget") == []


def test_reconcile_cost_budget_swedish_text(run: Run) -> None:
    """The Swedish text names the cost lines' budget correctly ('kostnadsposternas budget')."""
    found = only(run(tables=costs((600, None), (300, None))), "reconcile_cost_budget_vs_budget")
    assert found.sv.startswith("Summan av kostnadsposternas budget (900 kr)")


def test_reconcile_work_packages_vs_budget(run: Run) -> None:
    """Work-package budgets 1 % short of the total are an error, 0.1 % short an info."""
    assert hits(run(lambda s: s["work_packages"][0].update(budget=990)), "reconcile_work_packages_vs_budget") == [("error", "mini")]
    assert hits(run(lambda s: s["work_packages"][0].update(budget=999)), "reconcile_work_packages_vs_budget") == [("info", "mini")]


# --------------------------------------------------------------------------- firm tables


def firms(change_f1: float | None, *, with_change: bool = True) -> dict[str, Any]:
    rows = [
        {"firm_id": "f1", "name": "Ett AB", "year": 2023, "employees": 2, "participant": "yes"},
        {"firm_id": "f1", "name": "Ett AB", "year": 2024, "employees": 4, "participant": "yes", "published_change": change_f1},
        {"firm_id": "f2", "name": "Två AB", "year": 2023, "employees": 1, "participant": "yes"},
        {"firm_id": "f2", "name": "Två AB", "year": 2024, "employees": 2, "participant": "yes", "published_change": 1},
        {"firm_id": "f3", "name": "Kontroll AB", "year": 2023, "employees": 5, "participant": "no"},
        {"firm_id": "f3", "name": "Kontroll AB", "year": 2024, "employees": 1, "participant": "no", "published_change": 9},
    ]
    if not with_change:
        for row in rows:
            row.pop("published_change", None)
    return {"firms": rows}


def test_firm_change_and_total_mismatch(run: Run) -> None:
    """A published change that does not match before/after is flagged per firm and in the total."""
    found = run(tables=firms(1))
    change = only(found, "firm_change_mismatch")
    assert (change.severity, change.subject) == ("warning", "f1")
    assert change.en == "Ett AB: the published change 1 does not match 2 -> 4 (2)."
    total = only(found, "firm_total_mismatch")
    assert (total.severity, total.subject) == ("warning", "mini")
    assert total.en == "The published changes add up to 2, but the totals 3 -> 6 give 3."


def test_firm_changes_that_match_are_silent(run: Run) -> None:
    """Matching published changes (and non-participants) give no firm finding."""
    found = run(tables=firms(2))
    assert hits(found, "firm_change_mismatch") == [] and hits(found, "firm_total_mismatch") == []


def test_firm_table_without_published_changes_is_not_checked(run: Run) -> None:
    """Without a published_change column there is nothing to reconcile."""
    found = run(tables=firms(None, with_change=False))
    assert hits(found, "firm_change_mismatch") == [] and hits(found, "firm_total_mismatch") == []


# --------------------------------------------------------------------------- order, texts, frame


def _messy(s: dict[str, Any]) -> None:
    goal(s, "sg1", "sub", "pg1", deadline=AFTER_END)
    goal(s, "a2", "activity", None)
    node(s, "e_out2", "output")
    link(s, "e_out2", "e_act", None)
    s["indicators"][0].update(code="RCR01", unit=None, measures=[])
    s["indicators"][1]["target"]["date"] = AFTER_END
    s["horizontal"].pop(2)
    s["horizontal"][1].update(actions=[], indicators=[])
    s["work_packages"].append({"id": "wp2", "name": "Två", "budget": 10})
    s["financiers"][0]["amount"] = 1004


MESSY_TABLES = {
    **values(("out1", "2024-06-30", 5), ("out1", "2025-06-30", 3), ("out1", "2026-06-30", 4)),
    **costs((None, 2000)),
}


def test_findings_sorted_by_severity_then_check_then_subject(run: Run) -> None:
    """Errors come first, then warnings, then infos; ties by check name, then subject."""
    found = run(_messy, MESSY_TABLES)
    assert len(found) == 21 and {f.severity for f in found} == {"error", "warning", "info"}
    keys = [(SEVERITY_ORDER[f.severity], f.check, f.subject) for f in found]
    assert keys == sorted(keys)
    assert found[0].severity == "error" and found[-1].severity == "info"


def test_every_finding_has_swedish_and_english_text(run: Run, example_findings: dict[str, tuple[Finding, ...]]) -> None:
    """Each finding carries a non-empty Swedish and a different non-empty English sentence."""
    found = run(_messy, MESSY_TABLES) + tuple(f for pid in ("nis60", "nba", "hso", "sam") for f in example_findings[pid])
    assert len({f.check for f in found}) == 26  # 21 from the messy project, 5 more from the examples
    for f in found:
        assert f.sv.strip() and f.en.strip() and f.sv != f.en, f
        assert f.text("sv") == f.sv and f.text("en") == f.en


def test_findings_frame(run: Run) -> None:
    """findings_frame() lists severity, check, subject and the text in the chosen language."""
    found = run(lambda s: s["horizontal"].pop(2))
    frame = findings_frame(found, "en")
    assert list(frame.columns) == ["severity", "check", "subject", "text"]
    assert frame.to_dict("records") == [
        {"severity": "warning", "check": "horizontal_missing", "subject": "sustainable_development", "text": "The horizontal criterion sustainable development is not addressed."}
    ]
    assert findings_frame((), "sv").empty


# --------------------------------------------------------------------------- example projects


def keyed(findings: tuple[Finding, ...]) -> set[tuple[str, str, str]]:
    return {(f.severity, f.check, f.subject) for f in findings}


def test_nis60_findings_a_reader_agrees_with(example_findings: dict[str, tuple[Finding, ...]]) -> None:
    """NIS 6.0: no work packages, two criteria without indicator, participants without target, firm table off by one."""
    found = keyed(example_findings["nis60"])
    assert {
        ("info", "no_work_packages", "nis60"),
        ("warning", "horizontal_without_indicator", "equal_opportunities"),
        ("warning", "horizontal_without_indicator", "sustainable_development"),
        ("warning", "indicator_incomplete", "participants"),
        ("warning", "firm_change_mismatch", "ptv19"),
        ("warning", "firm_total_mismatch", "nis60"),
        ("info", "reconcile_outcome_vs_cost_lines", "nis60"),
        ("info", "reconcile_outcome_vs_financing", "nis60"),
    } <= found
    assert ("warning", "horizontal_without_indicator", "gender_equality") not in found
    assert not any(sev == "error" for sev, _, _ in found)


def test_nis60_participants_lack_only_a_target(example_findings: dict[str, tuple[Finding, ...]]) -> None:
    """The report gives participants a baseline, unit and source but no target value."""
    found = [f for f in example_findings["nis60"] if f.check == "indicator_incomplete" and f.subject == "participants"]
    assert [f.en for f in found] == ["Indicator participants (Deltagare i projektets aktiviteter) has no target."]


def test_nis60_economic_differences_within_tolerance(example_findings: dict[str, tuple[Finding, ...]]) -> None:
    """Cost lines are 4 kr over the stated outcome and financing 7 184 kr over: both within 0.5 %."""
    by_check = {f.check: f for f in example_findings["nis60"]}
    lines = by_check["reconcile_outcome_vs_cost_lines"]
    assert "(15,470,694 SEK) differs by 4 SEK" in lines.en and "within" in lines.en
    financing = by_check["reconcile_outcome_vs_financing"]
    assert "(15,477,874 SEK) differs by 7,184 SEK (0.046%)" in financing.en and "within" in financing.en
    assert "7\u00a0184 kr" in financing.sv


def test_nis60_firm_table_inconsistency_named(example_findings: dict[str, tuple[Finding, ...]]) -> None:
    """Norrlands fruktvin's published +1 contradicts 1 -> 1; the published total 43.5 vs 42.5 from the totals."""
    by_check = {f.check: f for f in example_findings["nis60"]}
    assert by_check["firm_change_mismatch"].en.startswith("Norrlands fruktvin: the published change 1 does not match 1 -> 1 (0)")
    assert by_check["firm_total_mismatch"].en == "The published changes add up to 43.5, but the totals 159.5 -> 202 give 42.5."


def test_nba_findings_a_reader_agrees_with(example_findings: dict[str, tuple[Finding, ...]]) -> None:
    """NBA: the 200-jobs goal has nothing beneath it; sustainable development has no actions."""
    found = keyed(example_findings["nba"])
    assert {
        ("warning", "goal_without_activity", "pg2"),
        ("warning", "horizontal_without_action", "sustainable_development"),
        ("warning", "horizontal_without_indicator", "sustainable_development"),
        ("info", "no_work_packages", "nba"),
    } <= found
    assert ("warning", "indicator_incomplete", "jobs") not in found  # target 200 is published
    assert not any(check.startswith("reconcile_") for _, check, _ in found)  # no amounts, no outcome


def test_illustrative_examples_have_no_errors(example_findings: dict[str, tuple[Finding, ...]]) -> None:
    """HSO and SAM (illustrative values) reconcile and have no error findings."""
    for pid in ("hso", "sam"):
        assert not [f for f in example_findings[pid] if f.severity == "error"], pid
        assert not [f for f in example_findings[pid] if f.check.startswith("reconcile_")], pid
    assert ("warning", "horizontal_without_action", "sustainable_development") in keyed(example_findings["sam"])


def _participation_project(load, reported: float):
    spec = minimal_spec()
    spec["indicators"][0]["role"] = "firms_reached"
    tables = {
        "indicator_values": [{"indicator": "out1", "period_end": "2024-12-31", "value": reported, "status": "verified", "source": "src"}],
        "participation": [{"activity": "a1", "firm_id": f, "period_end": "2024-06-30"} for f in ("x", "y", "x", "z", "y")],
    }
    return load(spec, tables)


def test_firm_count_mismatch_when_indicator_differs_from_distinct_firms(load) -> None:
    """firms reached 4 while the participation table holds 3 distinct firms (5 participations): a warning."""
    findings = [f for f in check_project(_participation_project(load, 4)) if f.check == "firm_count_mismatch"]
    assert len(findings) == 1 and "3 unika företag" in findings[0].sv


def test_no_firm_count_mismatch_when_firms_are_counted_once(load) -> None:
    """firms reached 3 matches the 3 distinct firms of 5 participations: no finding."""
    assert not [f for f in check_project(_participation_project(load, 3)) if f.check == "firm_count_mismatch"]


# --------------------------------------------------------------------------- dates outside the period, duplicates


def test_value_before_start(run: Run) -> None:
    """An indicator value dated before the project's start is a warning naming both dates; on the start day it is not."""
    before = run(tables=values(("out1", "2023-12-31", 1)))
    found = only(before, "value_before_start")
    assert (found.severity, found.subject) == ("warning", "out1")
    assert found.en == "Indicator out1 has a value for 2023-12-31, before the project's start 2024-01-01."
    assert hits(run(tables=values(("out1", "2024-01-01", 1))), "value_before_start") == []


def test_activity_outside_period(run: Run) -> None:
    """An activity record ending after the project's end is flagged with the period; one inside it is not."""
    row = {"activity": "a1", "period_end": "2026-03-31", "count": 1}
    found = only(run(tables={"activities": [row]}), "activity_outside_period")
    assert (found.severity, found.subject) == ("warning", "a1")
    assert found.en == "Activity a1 is reported for 2026-03-31, outside the project period 2024-01-01 to 2025-12-31."
    assert hits(run(tables={"activities": [{**row, "period_end": "2025-12-31"}]}), "activity_outside_period") == []


def test_participation_outside_period(run: Run) -> None:
    """A participation dated before the start is flagged with firm and activity; one inside is not."""
    rows = [{"activity": "a1", "firm_id": "x", "period_end": "2023-06-30"}, {"activity": "a1", "firm_id": "y", "period_end": "2024-06-30"}]
    assert hits(run(tables={"participation": rows}), "participation_outside_period") == [("warning", "a1/x")]


def test_indicator_duplicate_period_stops(run: Run) -> None:
    """Two values of one indicator for the same period are an error (rule stop), naming the period and the count."""
    found = only(run(tables=values(("out1", "2024-12-31", 1), ("out1", "2024-12-31", 2))), "indicator_duplicate_period")
    assert (found.severity, found.subject) == ("error", "out1")
    assert found.en == "Indicator out1 has 2 values for the period ending 2024-12-31."
    assert hits(run(tables=values(("out1", "2024-06-30", 1), ("out1", "2024-12-31", 2))), "indicator_duplicate_period") == []


def test_firm_duplicate_name(run: Run) -> None:
    """The same firm name (case and spaces aside) under two ids is a warning listing the ids."""
    rows = firms(2)["firms"]
    rows[4]["name"] = rows[5]["name"] = " ett  ab"
    found = only(run(tables={"firms": rows}), "firm_duplicate_name")
    assert (found.severity, found.subject) == ("warning", "f1, f3")
    assert found.en == "The firm Ett AB appears under several ids: f1, f3."
    assert hits(run(tables=firms(2)), "firm_duplicate_name") == []


def _survey(answers: list[tuple[str, str, int]]) -> dict[str, Any]:
    return {
        "survey": [{"wave": "w1", "respondent": r, "item": i, "answer": a} for r, i, a in answers],
        "survey_invited": [{"wave": "w1", "invited": 10}],
    }


def test_survey_duplicate_answer_stops(run: Run) -> None:
    """The same respondent answering the same item twice is an error (rule stop); different items are fine."""
    found = only(run(tables=_survey([("r1", "q1", 4), ("r1", "q1", 5), ("r2", "q1", 3)])), "survey_duplicate_answer")
    assert (found.severity, found.subject) == ("error", "w1/r1")
    assert found.en == "Respondent r1 has 2 answers to item q1 in wave w1."
    assert hits(run(tables=_survey([("r1", "q1", 4), ("r1", "q2", 5)])), "survey_duplicate_answer") == []


def _financed(tmp_path: Path, financiers: list[dict[str, object]], outcome: float | None,
              payments: list[dict[str, object]] | None = None) -> list[Finding]:
    s = minimal_spec()
    s["financiers"] = financiers
    s["budget"] = {"total": 9_750_000, "outcome_total": outcome}
    project = load_project(write_project(tmp_path, s, {"payments": payments} if payments else None))
    return [f for f in check_project(project) if f.check.startswith("reconcile_") and "financ" in f.check]


def test_underspend_against_the_financing_plan_is_not_a_stop(tmp_path: Path) -> None:
    """Outcome 9 670 000 kr against decided financing 9 750 000 kr: the plan is compared with the plan, no finding."""
    decided = [{"name": "Regionerna", "kind": "region", "amount": 9_750_000}]
    assert _financed(tmp_path, decided, 9_670_000) == []


def test_outcome_is_compared_with_payments(tmp_path: Path) -> None:
    """Payments that do not add up to the outcome are a stop finding naming both sums; payments that do are none."""
    decided = [{"name": "Regionerna", "kind": "region", "amount": 9_750_000}]
    short = [{"date": "2026-06-30", "financier": "Regionerna", "amount": 9_000_000}]
    [f] = _financed(tmp_path, decided, 9_670_000, short)
    assert (f.check, f.severity) == ("reconcile_outcome_vs_financing", "error")
    assert "9\u00a0000\u00a0000 kr" in f.text("sv") and "9\u00a0670\u00a0000 kr" in f.text("sv")
    paid = [{"date": "2026-06-30", "financier": "Regionerna", "amount": 9_670_000}]
    assert _financed(tmp_path, decided, 9_670_000, paid) == []


def test_decided_financing_differing_from_the_budget_is_a_finding(tmp_path: Path) -> None:
    """A financing plan that does not add up to the total budget is still found (plan against plan)."""
    decided = [{"name": "Regionerna", "kind": "region", "amount": 9_000_000}]
    [f] = _financed(tmp_path, decided, None)
    assert (f.check, f.severity) == ("reconcile_financing_vs_budget", "error")
