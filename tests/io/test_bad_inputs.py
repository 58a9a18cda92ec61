"""The catalogue of bad inputs: each one message naming file, row/field, expectation and value, a non-zero exit, no traceback.

One table-driven catalogue (``CATALOGUE``) of bad project folders, tables and parameter files,
each run through the command line in-process (``evaluation.cli.main``) in a temporary
EVALUATION_HOME, with the exit status and the exact message it must give. Messages have one
shape: ``'<field>' in <file> row <n> must be <expectation> (got <value>)``.

* Input errors (``validate``, ``check``, ``report`` on bad data or parameters) exit 2 and print
  ``error: <message>`` (several problems: a count line, then ``  - <message>`` per problem) on
  stderr, nothing on stdout.
* Logic findings whose rule is ``stop`` (``check``) exit 1; their messages are the stop
  findings of ``check --format json`` written ``<check> (<subject>): <English text>``.
* ``{line:<text>}`` in an expected message stands for the line of ``data/mini/project.yaml``
  holding ``<text>`` (``{line:<text>#2}``: its second occurrence), so that the catalogue does
  not break when the minimal project gains a key.
* Cases marked ``# tables.py message`` check the parts that must be in the message (file, row,
  column, the value found) rather than the whole text: tables.py is being rewritten.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import minimal_spec, no_kernel_home, write_project

from evaluation.cli.main import main
from evaluation.report.params import ReportParams

Builder = Callable[[Path], None]
YAML = "data/mini/project.yaml"
PARAMS = "params/mini_final.yaml"
GOOD_PARAMS = "project: mini\nkind: final\nas_of: 2025-12-31\n"


@dataclass(frozen=True)
class Case:
    """One bad input: how to make it, the command, the exit status and the message(s) it gives."""

    id: str
    description: str
    build: Builder
    argv: tuple[str, ...]
    exit: int
    messages: tuple[str, ...]  # exact messages (one per problem or stop finding), or fragments if ``fragments``
    fragments: bool = False  # tables.py message: every string must occur in the one message
    absent: tuple[str, ...] = field(default=())  # paths under the home that must not exist afterwards


# --------------------------------------------------------------------------- builders


def project(mutate: Callable[[dict[str, Any]], None] | None = None, tables: dict[str, Any] | None = None,
            folder: str | None = None) -> Builder:
    """data/mini (or ``folder``) from the minimal spec after ``mutate``, with ``tables``."""

    def build(home: Path) -> None:
        spec = minimal_spec()
        if mutate is not None:
            mutate(spec)
        write_project(home / "data", spec, tables, folder)

    return build


def yaml_text(text: str | bytes | Callable[[str], str]) -> Builder:
    """data/mini with project.yaml replaced by ``text`` (bytes as given; a function edits the minimal one)."""

    def build(home: Path) -> None:
        folder = write_project(home / "data", minimal_spec())
        path = folder / "project.yaml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        elif isinstance(text, str):
            path.write_text(text, encoding="utf-8")
        else:
            path.write_text(text(path.read_text(encoding="utf-8")), encoding="utf-8")

    return build


def table_bytes(name: str, data: bytes) -> Builder:
    """The minimal project with the file ``name`` holding ``data`` exactly."""

    def build(home: Path) -> None:
        (write_project(home / "data", minimal_spec()) / name).write_bytes(data)

    return build


def params(name: str, text: str, base: Builder | None = None) -> Builder:
    """``params/<name>`` holding ``text``, next to the minimal project (or what ``base`` builds)."""

    def build(home: Path) -> None:
        (base or project())(home)
        (home / "params").mkdir(exist_ok=True)
        (home / "params" / name).write_text(text, encoding="utf-8")

    return build


def setter(*path: Any, value: Any) -> Callable[[dict[str, Any]], None]:
    """A mutation setting ``spec[path...] = value``."""

    def mutate(spec: dict[str, Any]) -> None:
        target = spec
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def deleter(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda spec: spec.pop(key)


def value(v: object = 5, status: str = "verified", period_end: str = "2024-06-30", **more: object) -> dict[str, object]:
    """One row of indicator_values for out1."""
    return {"indicator": "out1", "period_end": period_end, "value": v, "status": status, "source": "src", **more}


def activity(**over: object) -> dict[str, object]:
    return {"activity": "a1", "period_end": "2024-06-30", "count": 3, **over}


def firm(**over: object) -> dict[str, object]:
    return {"firm_id": "f1", "year": 2024, "employees": 3, "participant": "yes", **over}


SURVEY = [{"wave": "w1", "respondent": "r1", "item": "q1", "answer": 4}]
INVITED = [{"wave": "w1", "invited": 10}]
VALUES_HEADER = "indicator,period_end,value,status,source\n"


def goal_cycle(spec: dict[str, Any]) -> None:
    spec["goal_tree"][0]["parent"] = "a1"  # og -> a1 -> pg1 -> og


def chain_cycle(spec: dict[str, Any]) -> None:
    spec["effect_logic"]["links"].append({"from": "e_lt", "to": "e_act", "assumption": "L leder till A"})


def append(*path: str, item: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def mutate(spec: dict[str, Any]) -> None:
        target: Any = spec
        for key in path:
            target = target[key]
        target.append(item)

    return mutate


def rename(old: str, new: str) -> Callable[[dict[str, Any]], None]:
    return lambda spec: spec.__setitem__(new, spec.pop(old))


def bad_link(spec: dict[str, Any]) -> None:
    spec["effect_logic"]["links"][0]["from"] = "e_nowhere"
    spec["effect_logic"]["links"][1]["to"] = "e_elsewhere"


def validate() -> tuple[str, ...]:
    return ("validate", "mini")


def check() -> tuple[str, ...]:
    return ("check", "mini", "--format", "json", "--lang", "en")


def report(name: str = "mini_final.yaml") -> tuple[str, ...]:
    return ("report", f"params/{name}")


NUMBER = "must be a number"
KNOWN_PARAMETERS = ", ".join(sorted(ReportParams.model_fields))  # the list grows with the report options
CYCLE_STOP = ("consistent before a report is made: The goal tree has a cycle: a1 -> pg1 -> og -> a1. (to show this as a "
              "warning instead, set 'rules: {goal_cycle: warn}' in project.yaml)")

# --------------------------------------------------------------------------- the catalogue

CATALOGUE: tuple[Case, ...] = (
    # ---- project.yaml as a document
    Case("yaml_syntax", "an unclosed bracket is a YAML syntax error naming the line the parser stopped at",
         yaml_text("id: mini\nname: [unclosed\nfund: ERUF\n"), validate(), 2,
         (f"'yaml' in {YAML} row 3 must be valid YAML (got \"expected ',' or ']', but got ':'\")",)),
    Case("yaml_tab", "a tab used for indentation is a YAML error on its line",
         yaml_text("id: mini\nevaluation:\n\tform: external\n"), validate(), 2,
         (f"'yaml' in {YAML} row 3 must be valid YAML (got \"found character '\\\\t' that cannot start any token\")",)),
    Case("yaml_empty", "an empty project.yaml (0 bytes) is not a mapping of keys",
         yaml_text(""), validate(), 2,
         (f"'document' in {YAML} row 1 must be a mapping of keys (got 'an empty file')",)),
    Case("yaml_list", "a project.yaml holding a list instead of a mapping",
         yaml_text("- id: mini\n- name: Miniprojekt\n"), validate(), 2,
         (f"'document' in {YAML} row 1 must be a mapping of keys (got 'list')",)),
    Case("yaml_python_tag", "a !!python tag is refused, never executed",
         yaml_text('!!python/object/apply:os.system ["echo hi > executed.txt"]\n'), validate(), 2,
         (f"'yaml' in {YAML} row 1 must be plain YAML without tags (tags such as !!python/... are not allowed) "
          "(got '!!python/object/apply:os.system')",),
         absent=("executed.txt", "data/mini/executed.txt")),
    Case("yaml_duplicate_key", "a key given twice in one mapping is an error, not a silent overwrite",
         yaml_text(lambda t: t.replace("name: Miniprojekt\n", "name: Miniprojekt\nname: Annat projekt\n", 1)), validate(), 2,
         (f"'name' in {YAML} row 3 must be given only once (it is already given on row 2) (got 'name')",)),
    Case("yaml_duplicate_nested_key", "a key given twice inside a goal names its dotted path",
         yaml_text(lambda t: t.replace("  parent: og\n", "  parent: og\n  parent: og\n", 1)), validate(), 2,
         (f"'goal_tree[1].parent' in {YAML} row {{line:parent: og#2}} must be given only once "
          f"(it is already given on row {{line:parent: og}}) (got 'parent')",)),
    Case("yaml_recursive_alias", "an alias inside its own anchor is an error, not an endless structure",
         yaml_text(lambda t: t + "notes: &n\n- *n\n"), validate(), 2,
         (f"'notes[0]' in {YAML} row {{line:notes: &n}} must be a value that does not contain itself "
          "(an alias *name inside its own &name anchor) (got 'a recursive alias')",)),
    Case("yaml_cp1252", "a project.yaml saved as Windows-1252 names the first byte that is not UTF-8 and its line",
         yaml_text("id: mini\nname: Tillv\u00e4xt\n".encode("cp1252")), validate(), 2,
         (f"'encoding' in {YAML} row 2 must be text saved as UTF-8 "
          "(got 'the byte 0xe4, which is not UTF-8 (Windows-1252 or another encoding?)')",)),
    Case("yaml_utf16", "a project.yaml saved as UTF-16",
         yaml_text("id: mini\n".encode("utf-16")), validate(), 2,
         (f"'encoding' in {YAML} row 1 must be text saved as UTF-8 (got 'UTF-16 text')",)),
    Case("yaml_key_not_text", "a key that is a number rather than text",
         yaml_text(lambda t: t + "2024: planerat\n"), validate(), 2,
         (f"'2024' in {YAML} row {{line:2024: planerat}} must be a key written as text (got 2024)",)),
    # ---- project.yaml: missing fields and wrong types
    Case("missing_name", "name left out", project(deleter("name")), validate(), 2,
         (f"'name' in {YAML} row 1 must be present (got None)",)),
    Case("missing_fund", "fund left out", project(deleter("fund")), validate(), 2,
         (f"'fund' in {YAML} row 1 must be present (got None)",)),
    Case("missing_start", "start left out", project(deleter("start")), validate(), 2,
         (f"'start' in {YAML} row 1 must be present (got None)",)),
    Case("start_words", "start written in words", project(setter("start", value="next year")), validate(), 2,
         (f"'start' in {YAML} row 6 must be a date written YYYY-MM-DD (got 'next year')",)),
    Case("start_impossible", "a date that does not exist (30 February)", project(setter("start", value="2024-02-30")), validate(), 2,
         (f"'start' in {YAML} row 6 must be a date written YYYY-MM-DD (got '2024-02-30')",)),
    Case("start_with_time", "a date with a time of day", project(setter("start", value="2024-01-01 10:00")), validate(), 2,
         (f"'start' in {YAML} row 6 must be a date written YYYY-MM-DD (without a time of day) (got '2024-01-01 10:00')",)),
    Case("fund_unknown", "a fund not in the allowed list", project(setter("fund", value="EFRU")), validate(), 2,
         (f"'fund' in {YAML} row 3 must be one of 'ERUF', 'ESF+', 'Interreg', 'national', 'regional' or 'municipal' "
          "(got 'EFRU')",)),
    Case("goal_level_unknown", "a goal level not in the allowed list",
         project(setter("goal_tree", 1, "level", value="delmål")), validate(), 2,
         (f"'goal_tree[1].level' in {YAML} row {{line:level: delmål}} must be one of 'overall', 'project', 'sub' or "
          "'activity' (got 'delmål')",)),
    Case("budget_total_text", "the budget total as text", project(setter("budget", "total", value="sexton miljoner")), validate(), 2,
         (f"'budget.total' in {YAML} row {{line:total: sexton}} must be a number (got 'sexton miljoner')",)),
    Case("budget_total_negative", "a negative budget total", project(setter("budget", "total", value=-1000)), validate(), 2,
         (f"'budget.total' in {YAML} row {{line:total: -1000}} must be a number >= 0 (got -1000)",)),
    Case("financier_amount_negative", "a negative amount of a financier",
         project(setter("financiers", 0, "amount", value=-5)), validate(), 2,
         (f"'financiers[0].amount' in {YAML} row {{line:amount: -5}} must be a number >= 0 (got -5)",)),
    Case("unknown_key_misspelt", "indicator: instead of indicators: suggests the right key",
         project(rename("indicators", "indicator")), validate(), 2,
         (f"'indicator' in {YAML} row {{line:indicator:}} must be a known key (did you mean 'indicators'?) (got 'list')",)),
    Case("id_pattern", "an id with capitals and a dash", project(setter("id", value="Mini-1"), folder="mini"), validate(), 2,
         (f"'id' in {YAML} row 1 must be text matching ^[a-z][a-z0-9_]*$ (got 'Mini-1')",)),
    Case("id_not_folder", "an id that is not the folder's name", project(setter("id", value="other"), folder="mini"), validate(), 2,
         (f"'id' in {YAML} row 1 must be the folder's name 'mini' (got 'other')",)),
    Case("end_before_start", "the end before the start", project(setter("end", value="2023-12-31")), validate(), 2,
         (f"'end' in {YAML} row 7 must be on or after the start date 2024-01-01 (got '2023-12-31')",)),
    Case("disclosure_min_cell_zero", "a smallest cell of 0", project(setter("disclosure", value={"min_cell": 0})), validate(), 2,
         (f"'disclosure.min_cell' in {YAML} row {{line:min_cell: 0}} must be a number >= 1 (got 0)",)),
    Case("rule_unknown_check", "a rule for a check that does not exist",
         project(setter("rules", value={"goal_cycel": "warn"})), validate(), 2,
         (f"'rules.goal_cycel' in {YAML} row {{line:goal_cycel: warn}} must be the name of a check "
          "(evaluation rules lists them) (got 'goal_cycel')",)),
    Case("target_without_date", "a target value without a target date",
         project(setter("indicators", 0, "target", value={"value": 10})), validate(), 2,
         (f"'indicators[0].target.date' in {YAML} row {{line:target:}} must be present when a target value is given (got None)",)),
    # ---- project.yaml: references and duplicate ids
    Case("goal_parent_unknown", "a goal whose parent does not exist",
         project(setter("goal_tree", 1, "parent", value="og_missing")), validate(), 2,
         (f"'goal_tree[1].parent' in {YAML} row {{line:parent: og_missing}} must be the id of a goal-tree node (got 'og_missing')",)),
    Case("goal_work_package_unknown", "a goal tied to a work package that does not exist",
         project(setter("goal_tree", 2, "work_package", value="wp9")), validate(), 2,
         (f"'goal_tree[2].work_package' in {YAML} row {{line:work_package: wp9}} must be the id of a work package (got 'wp9')",)),
    Case("effect_node_goal_unknown", "an effect-logic node tied to a goal that does not exist",
         project(setter("effect_logic", "nodes", 0, "goals", value=["a9"])), validate(), 2,
         (f"'effect_logic.nodes[0].goals' in {YAML} row {{line:goals:}} must be ids of goal-tree nodes (got 'a9')",)),
    Case("effect_link_unknown", "effect-logic links from and to nodes that do not exist (two problems)",
         project(bad_link), validate(), 2,
         (f"'effect_logic.links[0].from' in {YAML} row {{line:from: e_nowhere}} must be the id of an effect-logic node "
          "(got 'e_nowhere')",
          f"'effect_logic.links[1].to' in {YAML} row {{line:to: e_elsewhere}} must be the id of an effect-logic node "
          "(got 'e_elsewhere')")),
    Case("indicator_measures_unknown", "an indicator measuring a node that does not exist",
         project(setter("indicators", 0, "measures", value=["e_nowhere"])), validate(), 2,
         (f"'indicators[0].measures' in {YAML} row {{line:measures:}} must be ids of goal-tree or effect-logic nodes "
          "(got 'e_nowhere')",)),
    Case("horizontal_indicator_unknown", "a horizontal criterion followed by an indicator that does not exist",
         project(setter("horizontal", 0, "indicators", value=["ind_nowhere"])), validate(), 2,
         (f"'horizontal[0].indicators' in {YAML} row {{line:  indicators:}} must be ids of indicators (got 'ind_nowhere')",)),
    Case("duplicate_goal_id", "two goals with the same id",
         project(append("goal_tree", item={"id": "a1", "level": "activity", "parent": "pg1", "statement": "Dubblett"})),
         validate(), 2,
         (f"'goal_tree[3].id' in {YAML} row {{line:- id: a1#2}} must be an id not used before in the goal tree or effect "
          f"logic (goal_tree[2].id on row {{line:- id: a1}} has it) (got 'a1')",)),
    Case("duplicate_indicator_id", "two indicators with the same id",
         project(append("indicators", item={"id": "out1", "name": "Dubblett", "level": "output"})), validate(), 2,
         (f"'indicators[2].id' in {YAML} row {{line:- id: out1#2}} must be an id not used before in the indicators "
          f"(indicators[0].id on row {{line:- id: out1}} has it) (got 'out1')",)),
    # ---- logic: stop findings
    Case("goal_cycle_check", "a cycle in the goal tree stops check (exit 1)", project(goal_cycle), check(), 1,
         ("goal_cycle (a1): The goal tree has a cycle: a1 -> pg1 -> og -> a1.",)),
    Case("goal_cycle_report", "a cycle in the goal tree makes report refuse (exit 2) before any kernel",
         params("mini_final.yaml", GOOD_PARAMS, project(goal_cycle)), report(), 2,
         (f"'goal_cycle' in {YAML} must be {CYCLE_STOP} (got 'a1')",),
         absent=("reports/mini",)),
    Case("chain_cycle_check", "a cycle in the effect logic stops check (exit 1)", project(chain_cycle), check(), 1,
         ("chain_cycle (e_act): The effect-logic chain has a cycle: e_act -> e_out -> e_st -> e_lt -> e_act.",)),
    Case("disaggregation_exceeds_total", "women and men adding up to more than the value stops check (exit 1)",
         project(tables={"indicator_values": [value(10, women=6, men=7)]}), check(), 1,
         ("disaggregation_mismatch (out1): The gender split of out1 (2024-06-30) adds up to 13, not to the total 10.",)),
    Case("cumulative_decrease", "a cumulative indicator that goes down stops check (exit 1)",
         project(tables={"indicator_values": [value(5), value(3, period_end="2024-12-31")]}), check(), 1,
         ("cumulative_decrease (out1): Cumulative indicator out1 goes down from 5 (2024-06-30) to 3 (2024-12-31).",)),
    Case("reconcile_mismatch", "cost lines that miss the outcome beyond the tolerance stop check (exit 1)",
         project(tables={"costs": [{"category": "Personal", "budget": 1000, "outcome": 500}]}), check(), 1,
         ("reconcile_outcome_vs_cost_lines (mini): The sum of the cost lines (500 SEK) differs by 500 SEK (50.000%) from the "
          "stated outcome (1,000 SEK), beyond the tolerance of 0.5%.",)),
    # ---- tables: references and consistency (loader messages)
    Case("values_indicator_unknown", "indicator_values naming an indicator that does not exist",
         project(tables={"indicator_values": [value(indicator="out9")]}), validate(), 2,
         ("'indicator' in data/mini/indicator_values.csv row 2 must be the id of an indicator in project.yaml (got 'out9')",)),
    Case("activities_activity_unknown", "activities naming an activity that does not exist",
         project(tables={"activities": [activity(activity="a9")]}), validate(), 2,
         ("'activity' in data/mini/activities.csv row 2 must be the id of a goal-tree node in project.yaml (got 'a9')",)),
    Case("participation_activity_unknown", "participation naming an activity that does not exist",
         project(tables={"participation": [{"activity": "a9", "firm_id": "f1"}]}), validate(), 2,
         ("'activity' in data/mini/participation.csv row 2 must be the id of a goal-tree node in project.yaml (got 'a9')",)),
    Case("costs_work_package_unknown", "a cost line of a work package that does not exist",
         project(tables={"costs": [{"category": "Personal", "budget": 1000, "outcome": 1000, "work_package": "wp9"}]}),
         validate(), 2,
         ("'work_package' in data/mini/costs.csv row 2 must be the id of a work package in project.yaml (got 'wp9')",)),
    Case("survey_wave_unknown", "a survey wave not in survey_invited",
         project(tables={"survey": [{**SURVEY[0], "wave": "w2"}], "survey_invited": INVITED}), validate(), 2,
         ("'wave' in data/mini/survey.csv row 2 must be a wave listed in survey_invited (got 'w2')",)),
    Case("survey_without_invited", "a survey without survey_invited",
         project(tables={"survey": SURVEY}), validate(), 2,
         ("'survey_invited' in data/mini must be a table of invited respondents per wave next to survey (got 'missing')",)),
    Case("not_reported_with_value", "status not_reported with a value",
         project(tables={"indicator_values": [value(5, status="not_reported")]}), validate(), 2,
         ("'value' in data/mini/indicator_values.csv row 2 must be empty when the status is not_reported (got 5.0)",)),
    Case("empty_value_verified", "an empty value marked verified",
         project(tables={"indicator_values": [value(None)]}), validate(), 2,
         ("'status' in data/mini/indicator_values.csv row 2 must be not_reported when the value is empty (got 'verified')",)),
    Case("duplicate_firm_year", "the same firm twice in one year",
         project(tables={"firms": [firm(), firm(employees=4)]}), validate(), 2,
         ("'year' in data/mini/firms.csv row 3 must be unique per firm (firm f1 already has 2024 on row 2) (got 2024)",)),
    Case("negative_activity_count", "a negative count of activities",
         project(tables={"activities": [activity(count=-3)]}), validate(), 2,
         ("'count' in data/mini/activities.csv row 2 must be a count >= 0 (got -3)",)),
    Case("negative_activity_women", "a negative number of women taking part",
         project(tables={"activities": [activity(participants=4, women=-1, men=5)]}), validate(), 2,
         ("'women' in data/mini/activities.csv row 2 must be a count >= 0 (got -1)",)),
    Case("negative_funnel_count", "a negative count in the funnel",
         project(tables={"funnel": [{"order": 1, "stage": "Kontaktade", "count": 10}, {"order": 2, "stage": "Deltog", "count": -2}]}),
         validate(), 2,
         ("'count' in data/mini/funnel.csv row 3 must be a count >= 0 (got -2)",)),
    Case("negative_employees", "a firm with a negative number of employees",
         project(tables={"firms": [firm(employees=-3)]}), validate(), 2,
         ("'employees' in data/mini/firms.csv row 2 must be a count >= 0 (got -3)",)),
    Case("negative_invited", "a negative number invited to a survey",
         project(tables={"survey": SURVEY, "survey_invited": [{"wave": "w1", "invited": -10}]}), validate(), 2,
         ("'invited' in data/mini/survey_invited.csv row 2 must be a count >= 0 (got -10)",)),
    # ---- tables: cells, columns, files and encodings (tables.py messages)
    Case("value_not_a_number", "a value written in words",  # tables.py message
         project(tables={"indicator_values": [value(5), value("fem", period_end="2024-12-31")]}), validate(), 2,
         ("'value' in data/mini/indicator_values.csv row 3 ", NUMBER, "(got 'fem')"), fragments=True),
    Case("period_end_not_a_date", "a period end that is not a date",  # tables.py message
         project(tables={"indicator_values": [value(period_end="31/12/2024")]}), validate(), 2,
         ("'period_end' in data/mini/indicator_values.csv row 2 must be a date", "(got '31/12/2024')"), fragments=True),
    Case("status_missing", "a value with no status",  # tables.py message
         project(tables={"indicator_values": [value(5, status="")]}), validate(), 2,
         ("'status' in data/mini/indicator_values.csv row 2 must be filled in", "(got '')"), fragments=True),
    Case("data_status_unknown", "a data_status not in the allowed list",  # tables.py message
         project(tables={"indicator_values": [value(5, data_status="gissad")]}), validate(), 2,
         ("'data_status' in data/mini/indicator_values.csv row 2 must be one of published", "(got 'gissad')"), fragments=True),
    Case("participant_not_yes_no", "a participant flag that is neither yes nor no",  # tables.py message
         project(tables={"firms": [firm(participant="kanske")]}), validate(), 2,
         ("'participant' in data/mini/firms.csv row 2 must be yes or no", "(got 'kanske')"), fragments=True),
    Case("missing_required_column", "indicator_values without its source column",  # tables.py message
         project(tables={"indicator_values": "indicator,period_end,value,status\nout1,2024-06-30,5,verified\n"}), validate(), 2,
         ("'source' in data/mini/indicator_values.csv row 1 must be present as a column",), fragments=True),
    Case("misspelt_header", "a misspelt column header (valeu): unknown column and missing column",  # tables.py message
         project(tables={"indicator_values": "indicator,period_end,valeu,status,source\nout1,2024-06-30,5,verified,src\n"}),
         validate(), 2,
         ("2 problems in the input", "'valeu' in data/mini/indicator_values.csv row 1 must be a known column",
          "(got 'valeu')", "'value' in data/mini/indicator_values.csv row 1 must be present as a column"), fragments=True),
    Case("row_too_long", "a data row with more cells than the header",  # tables.py message
         project(tables={"indicator_values": VALUES_HEADER + "out1,2024-06-30,5,verified,src,extra\n"}), validate(), 2,
         ("in data/mini/indicator_values.csv row 2 must be 5 cells",), fragments=True),
    Case("empty_csv", "an empty CSV file (0 bytes)",  # tables.py message
         table_bytes("indicator_values.csv", b""), validate(), 2,
         ("in data/mini/indicator_values.csv must be a table with a header row", "empty file"), fragments=True),
    Case("utf16_csv", "a UTF-16 encoded CSV",  # tables.py message
         table_bytes("indicator_values.csv", (VALUES_HEADER + "out1,2024-06-30,5,verified,src\n").encode("utf-16")), validate(), 2,
         ("'encoding' in data/mini/indicator_values.csv must be text in UTF-8", "UTF-16"), fragments=True),
    Case("binary_csv", "a binary file named .csv",  # tables.py message
         table_bytes("indicator_values.csv", bytes(range(256)) * 4), validate(), 2,
         ("'encoding' in data/mini/indicator_values.csv must be text in UTF-8", "binary"), fragments=True),
    Case("xlsx_not_a_workbook", "an .xlsx file that is not a workbook",  # tables.py message
         table_bytes("indicator_values.xlsx", b"indicator,period_end\nout1,2024-06-30\n"), validate(), 2,
         ("in data/mini/indicator_values.xlsx must be an Excel workbook", "not a valid workbook"), fragments=True),
    # ---- parameter files
    Case("params_unknown_key", "a parameter that does not exist",
         params("mini_final.yaml", GOOD_PARAMS + "colour: red\n"), report(), 2,
         (f"'colour' in {PARAMS} row 4 must be a known parameter ({KNOWN_PARAMETERS}) (got 'red')",)),
    Case("params_missing_project", "a parameter file without project",
         params("mini_final.yaml", "kind: final\nas_of: 2025-12-31\n"), report(), 2,
         (f"'project' in {PARAMS} must be given: a project id: letters, digits, '_', '-' or '.', naming a folder "
          "data/<id>/ (got nothing)",)),
    Case("params_kind_unknown", "a kind that is not a report kind",
         params("mini_slut.yaml", "project: mini\nkind: slut\nas_of: 2025-12-31\n"), report("mini_slut.yaml"), 2,
         ("'kind' in params/mini_slut.yaml row 2 must be 'midterm', 'final', 'appraisal' or 'portfolio' (got 'slut')",)),
    Case("params_bad_date", "an as_of date that does not exist",
         params("mini_final.yaml", "project: mini\nkind: final\nas_of: 2025-13-45\n"), report(), 2,
         (f"'as_of' in {PARAMS} row 3 must be an ISO date YYYY-MM-DD such as 2022-12-31 (got '2025-13-45')",)),
    Case("params_small_cell_zero", "a small_cell_threshold of 0",
         params("mini_final.yaml", GOOD_PARAMS + "small_cell_threshold: 0\n"), report(), 2,
         (f"'small_cell_threshold' in {PARAMS} row 4 must be a whole number >= 1 (got 0)",)),
    Case("params_duplicate_key", "a parameter given twice",
         params("mini_final.yaml", "project: mini\nkind: final\nkind: final\nas_of: 2025-12-31\n"), report(), 2,
         (f"'kind' in {PARAMS} row 3 must be given only once (it is already given on row 2) (got 'kind')",)),
    Case("params_python_tag", "a !!python tag in a parameter file is refused, never executed",
         params("mini_final.yaml", '!!python/object/apply:os.system ["echo hi > executed.txt"]\n'), report(), 2,
         (f"'yaml' in {PARAMS} row 1 must be plain YAML without tags (tags such as !!python/... are not allowed) "
          "(got '!!python/object/apply:os.system')",),
         absent=("executed.txt", "params/executed.txt")),
    Case("params_project_missing", "a parameter file naming a project that does not exist",
         params("ghost_final.yaml", "project: ghost\nkind: final\nas_of: 2025-12-31\n"), report("ghost_final.yaml"), 2,
         ("'project' in params/ghost_final.yaml row 1 must be an existing project with data/<id>/project.yaml (got 'ghost')",)),
    Case("params_name_mismatch", "a parameter file whose name does not match its project",
         params("other_final.yaml", GOOD_PARAMS), report("other_final.yaml"), 2,
         ("'project' in params/other_final.yaml row 1 must be 'other', as in the file name other_final.yaml "
          "(<project>_<kind>.yaml) (got 'mini')",)),
    Case("params_project_dotdot", "a project id climbing out of data/ with ../ (two problems)",
         params("mini_final.yaml", "project: ../mini\nkind: final\nas_of: 2025-12-31\n"), report(), 2,
         (f"'project' in {PARAMS} row 1 must be a project id: letters, digits, '_', '-' or '.', naming a folder "
          "data/<id>/ (got '../mini')",
          f"'project' in {PARAMS} row 1 must be 'mini', as in the file name mini_final.yaml (<project>_<kind>.yaml) "
          "(got '../mini')")),
    Case("params_file_missing", "a parameter file that does not exist",
         project(), report("nope_final.yaml"), 2,
         ("'file' in params/nope_final.yaml must be a readable YAML file (got 'FileNotFoundError: No such file or directory')",)),
    # ---- the command line
    Case("validate_unknown_project", "validate given a project id that does not exist",
         project(), ("validate", "ghost"), 2,
         ("'project' in data must be the id of a folder holding project.yaml (known: mini) (got 'ghost')",)),
    Case("check_unknown_project", "check given a folder outside data/ that does not exist",
         project(), ("check", "../mini"), 2,
         ("'project' in data must be the id of a folder holding project.yaml (known: mini) (got '../mini')",)),
)


# --------------------------------------------------------------------------- running a case


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty EVALUATION_HOME (data/, params/), also the current directory; no kernel can start."""
    return no_kernel_home(tmp_path, monkeypatch)


_LINE = re.compile(r"\{line:([^}#]+)(?:#(\d+))?\}")


def resolve(message: str, home: Path) -> str:
    """Replace ``{line:<text>}`` by the line of data/mini/project.yaml holding ``<text>``."""

    def line(match: re.Match[str]) -> str:
        needle, nth = match.group(1), int(match.group(2) or 1)
        hits = [i for i, text in enumerate((home / YAML).read_text(encoding="utf-8").splitlines(), start=1) if needle in text]
        assert len(hits) >= nth, f"{needle!r} occurs {len(hits)} times in {YAML}"
        return str(hits[nth - 1])

    return _LINE.sub(line, message)


def error_text(messages: list[str]) -> str:
    """stderr of an input error: one message, or a count line and one '  - ' line each."""
    if len(messages) == 1:
        return f"error: {messages[0]}\n"
    return f"error: {len(messages)} problems in the input:\n" + "".join(f"  - {m}\n" for m in messages)


def stop_findings(stdout: str) -> list[str]:
    """The stop findings of ``check --format json`` as '<check> (<subject>): <en>'."""
    document = json.loads(stdout)
    return [f"{f['check']} ({f['subject']}): {f['en']}" for f in document["findings"] if f["severity"] == "error"]


@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c.id}: {c.description}") for c in CATALOGUE])
def test_bad_input(case: Case, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """each catalogue case: one message naming file, row/field, expectation and value; non-zero exit; no traceback"""
    case.build(home)
    code = main(list(case.argv))
    out, err = capsys.readouterr()
    assert code == case.exit
    assert "Traceback" not in err and "Traceback" not in out
    assert "internal error" not in err
    if case.exit == 1:  # a stop finding of check: the findings on stdout, nothing on stderr
        assert err == ""
        assert stop_findings(out) == [resolve(m, home) for m in case.messages]
    elif case.fragments:  # tables.py message
        assert out == "" and err.startswith("error: ")
        for fragment in case.messages:
            assert fragment in err, (fragment, err)
        if not any("problems in the input" in f for f in case.messages):
            assert err.count("\n") == 1, err  # one message on one line
    else:
        assert out == ""
        assert err == error_text([resolve(m, home) for m in case.messages])
    for path in case.absent:
        assert not (home / path).exists(), path


def test_catalogue_has_40_distinct_cases_with_distinct_messages() -> None:
    """The catalogue holds at least 40 cases with distinct ids, descriptions and messages."""
    assert len(CATALOGUE) >= 40
    assert len({c.id for c in CATALOGUE}) == len(CATALOGUE)
    assert len({c.description for c in CATALOGUE}) == len(CATALOGUE)
    assert len({c.messages for c in CATALOGUE}) == len(CATALOGUE)


# --------------------------------------------------------------------------- as a user runs it


SUBPROCESS_CASES = ("yaml_syntax", "value_not_a_number", "validate_unknown_project")
BY_ID = {c.id: c for c in CATALOGUE}


@pytest.mark.parametrize("case_id", SUBPROCESS_CASES)
def test_no_traceback_unless_asked(case_id: str, tmp_path: Path) -> None:
    """python -m evaluation: non-zero exit and no traceback; with --traceback (before the sub-command) a traceback."""
    case = BY_ID[case_id]
    (tmp_path / "data").mkdir()
    case.build(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "EVALUATION_TRACEBACK"}
    env["EVALUATION_HOME"] = str(tmp_path)
    argv = list(case.argv)

    plain = subprocess.run([sys.executable, "-m", "evaluation", *argv], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=120)
    assert plain.returncode == case.exit == 2
    assert plain.stderr.startswith("error: ") and "Traceback" not in plain.stderr

    traced = subprocess.run([sys.executable, "-m", "evaluation", "--traceback", *argv], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert traced.returncode == 2
    assert "Traceback (most recent call last)" in traced.stderr
    assert traced.stderr.rstrip().endswith(plain.stderr.rstrip())  # the same message after the traceback


def test_failed_report_leaves_no_outputs(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A report refused by its preflight (a goal-tree cycle) writes no html, pdf, json or notebook under reports/."""
    BY_ID["goal_cycle_report"].build(home)
    (home / "reports" / "mini").mkdir(parents=True)  # the folder of an earlier run exists
    assert main(["report", "params/mini_final.yaml"]) == 2
    assert capsys.readouterr().err.startswith("error: 'goal_cycle' in data/mini/project.yaml must be consistent")
    left = sorted(p.name for p in (home / "reports" / "mini").iterdir())
    assert left == []


def test_header_only_csv_is_valid(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Not a bad input: a CSV with only its header row is an empty table, and validate passes (exit 0)."""
    project(tables={"indicator_values": VALUES_HEADER})(home)
    assert main(["validate", "mini"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.startswith("mini: ok")
