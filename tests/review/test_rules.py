"""Tests for evaluation.review.rules: which findings stop a run and which warn, the defaults, a project's
own rules in project.yaml, and that a stop finding prevents a report before any kernel starts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import line_of_text, minimal_spec, write_project

from evaluation.cli.main import main
from evaluation.core.errors import InputError
from evaluation.io.loader import load_project
from evaluation.review import checks, rules
from evaluation.review.gate import StopFindingsError, enforce
from evaluation.review.rules import RULES, action, rules_frame

DOWN = {
    "indicator_values": [
        {"indicator": "out1", "period_end": "2024-06-30", "value": 5, "status": "verified", "source": "src"},
        {"indicator": "out1", "period_end": "2024-12-31", "value": 3, "status": "verified", "source": "src"},
    ]
}


def _check_names_in_source() -> set[str]:
    """Every check name written in evaluation/review/checks.py and the check modules it calls (Finding("name", ...) or a rule tuple)."""
    folder = Path(checks.__file__).parent
    text = "\n".join((folder / name).read_text(encoding="utf-8") for name in ("checks.py", "eu_indicators.py"))
    names = set(re.findall(r'Finding\(\s*"([a-z_]+)"', text))
    names |= set(re.findall(r'^\s*"([a-z_]+)",\n\s*"(?:error|warning|info)"', text, flags=re.M))
    names |= set(re.findall(r'\("[a-z_]+", "[a-z_]+", "([a-z_]+)", "', text))  # effect-chain gap rules
    names |= {f"reconcile_{n}" for n in re.findall(r'"(outcome_vs_[a-z_]+|[a-z_]+_vs_budget)"', text)}
    names |= set(re.findall(r'^CHECK(?::\s*str)? = "([a-z_]+)"', text, flags=re.M))  # a check module's one check
    return names


def test_every_check_has_a_rule() -> None:
    """Each check name that evaluation/checks.py can emit has an entry in RULES (and RULES names no ghost)."""
    names = _check_names_in_source()
    assert len(names) >= 35
    assert names - set(RULES) == set()
    assert set(RULES) - names == set()


def test_defaults_stop_exactly_what_makes_figures_wrong() -> None:
    """The default stop set: cycles, splits, cumulative decreases, duplicates and totals that do not reconcile."""
    stops = {name for name, rule in RULES.items() if rule.default == "stop"}
    assert stops == {
        "goal_cycle", "chain_cycle", "disaggregation_mismatch", "cumulative_decrease", "indicator_duplicate_period",
        "survey_duplicate_answer", "reconcile_outcome_vs_cost_lines", "reconcile_outcome_vs_financing",
        "reconcile_financing_vs_budget", "reconcile_cost_budget_vs_budget", "reconcile_work_packages_vs_budget",
    }
    assert action("firm_total_mismatch") == "warn" and action("link_without_assumption") == "note"


def test_stop_finding_is_an_error(load: Any) -> None:
    """By default a cumulative indicator that goes down is an error finding (its rule is stop)."""
    found = [f for f in checks.check_project(load(minimal_spec(), DOWN)) if f.check == "cumulative_decrease"]
    assert [(f.severity, f.subject) for f in found] == [("error", "out1")]


@pytest.mark.parametrize(("setting", "expected"), [("warn", [("warning", "out1")]), ("note", [("info", "out1")]), ("off", [])])
def test_project_rule_overrides_default(load: Any, setting: str, expected: list[tuple[str, str]]) -> None:
    """rules: {cumulative_decrease: warn|note|off} in project.yaml turns the stop into a warning, a note, or nothing."""
    spec = minimal_spec()
    spec["rules"] = {"cumulative_decrease": setting}
    project = load(spec, DOWN)
    found = [(f.severity, f.subject) for f in checks.check_project(project) if f.check == "cumulative_decrease"]
    assert found == expected
    enforce(project)  # nothing stops any more


def test_rule_can_make_a_warning_stop(load: Any) -> None:
    """rules: {goal_without_activity: stop} turns that warning into an error that stops the report."""
    spec = minimal_spec()
    spec["goal_tree"].append({"id": "sg1", "level": "sub", "parent": "pg1", "statement": "Delmål"})
    spec["rules"] = {"goal_without_activity": "stop"}
    project = load(spec)
    with pytest.raises(StopFindingsError) as exc:
        enforce(project)
    assert [p.field for p in exc.value.problems] == ["goal_without_activity"]


def test_info_within_tolerance_stays_info(load: Any) -> None:
    """A reconcile difference within the tolerance stays information although the reconcile rule is stop."""
    spec = minimal_spec()
    spec["work_packages"][0]["budget"] = 999
    found = [(f.severity, f.check) for f in checks.check_project(load(spec)) if f.check.startswith("reconcile")]
    assert found == [("info", "reconcile_work_packages_vs_budget")]


def test_unknown_rule_name_is_an_input_error(build: Any) -> None:
    """A rule naming no check is one input error naming the key, its line and the misspelt name."""
    spec = minimal_spec()
    spec["rules"] = {"cumulative_decreese": "warn"}
    folder = build(spec)
    with pytest.raises(InputError) as exc:
        load_project(folder)
    row = line_of_text(folder, "cumulative_decreese")
    assert str(exc.value) == (
        f"'rules.cumulative_decreese' in {folder / 'project.yaml'} row {row} must be the name of a check "
        "(evaluation rules lists them) (got 'cumulative_decreese')"
    )


def test_unknown_rule_action_is_an_input_error(build: Any) -> None:
    """A rule whose action is not stop, warn, note or off is one input error listing the allowed actions."""
    spec = minimal_spec()
    spec["rules"] = {"cumulative_decrease": "ignore"}
    folder = build(spec)
    with pytest.raises(InputError) as exc:
        load_project(folder)
    assert "'rules.cumulative_decrease' in " in str(exc.value)
    assert "must be one of 'stop', 'warn', 'note' or 'off' (got 'ignore')" in str(exc.value)


def test_enforce_message_names_check_subject_and_how_to_relax(load: Any) -> None:
    """The stop error names the check, the finding in English, how to make it a warning, and the subject."""
    project = load(minimal_spec(), DOWN)
    with pytest.raises(StopFindingsError) as exc:
        enforce(project)
    assert exc.value.exit_code == 2
    assert str(exc.value) == (
        f"'cumulative_decrease' in {project.folder / 'project.yaml'} must be consistent before a report is made: "
        "Cumulative indicator out1 goes down from 5 (2024-06-30) to 3 (2024-12-31). (to show this as a warning "
        "instead, set 'rules: {cumulative_decrease: warn}' in project.yaml) (got 'out1')"
    )


def test_rules_frame_shows_default_project_and_effective(load: Any) -> None:
    """rules_frame: one row per rule; the project's override appears in 'project' and 'action'."""
    spec = minimal_spec()
    spec["rules"] = {"firm_total_mismatch": "stop"}
    frame = rules_frame(load(spec), "en").set_index("check")
    assert len(frame) == len(RULES)
    assert frame.loc["firm_total_mismatch"].tolist()[:3] == ["warn", "stop", "stop"]
    assert frame.loc["goal_cycle"].tolist()[:3] == ["stop", "", "stop"]


def test_examples_have_no_stop_findings(examples: dict[str, Any]) -> None:
    """The four example projects (published figures as published) pass every stop rule."""
    for project in examples.values():
        enforce(project)


@pytest.fixture
def stop_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """EVALUATION_HOME with data/down (a stop finding) and params/down_final.yaml."""
    spec = minimal_spec()
    spec["id"] = "down"
    write_project(tmp_path / "data", spec, DOWN)
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "down_final.yaml").write_text(
        "project: down\nkind: final\nlanguage: sv\nas_of: 2025-12-31\n", encoding="utf-8")
    monkeypatch.setenv("EVALUATION_HOME", str(tmp_path))
    return tmp_path


def test_report_refused_before_any_output(stop_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """evaluation report on a project with a stop finding: exit 2, the finding in the message, no reports folder."""
    code = main(["report", str(stop_home / "params" / "down_final.yaml")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: 'cumulative_decrease' in data/down/project.yaml must be consistent before a report is made")
    assert not (stop_home / "reports").exists()


def test_cli_rules_lists_project_setting(stop_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """evaluation rules down --lang en prints a table with every rule; exit 0."""
    assert main(["rules", "down", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["check", "default", "project", "action", "why"]
    assert sum(1 for line in out.splitlines() if re.match(r"^[a-z_]+ ", line)) == len(RULES) + 1
    assert any(line.split()[:3] == ["cumulative_decrease", "stop", "stop"] for line in out.splitlines())


def test_rules_module_has_no_unused_action() -> None:
    """Every action of the RuleAction literal is either a severity or off."""
    assert set(rules.ACTIONS) == set(rules.SEVERITY_OF) | {"off"}


def test_checks_naming_firms_or_respondents() -> None:
    """The findings that name single firms or respondents (hidden from reports on restricted data) are marked in RULES."""
    assert set(rules.naming("firms")) == {"firm_change_mismatch", "firm_duplicate_name", "participation_outside_period"}
    assert rules.naming("survey") == ("survey_duplicate_answer",)
