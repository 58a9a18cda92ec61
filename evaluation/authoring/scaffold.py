"""``evaluation new <id>``: a new project folder that validates as it stands.

Writes ``data/<id>/project.yaml`` with every key present and explained (what it is, the allowed
values, an example), header-only tables for what a project team reports (``indicator_values``,
``costs``, ``activities``, ``financing``) and ``params/<id>_midterm.yaml`` and
``params/<id>_final.yaml`` with every parameter explained. The explanations are written in
English here and translated through the catalogue (``authoring.po``); a Swedish project (the
default) explains every key in Swedish and English. Placeholders to replace are marked
``ÄNDRA/CHANGE``. Nothing is overwritten without ``force``; files are written all or none
(:func:`write_atomically`), and only under ``data/`` and ``params/``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, get_args

from evaluation.core import paths
from evaluation.core.assessment import ALL_QUESTIONS, ASSESSMENT_KINDS
from evaluation.core.errors import InputError, Problem, ProblemCollector
from evaluation.core.i18n import DEFAULT_LANGUAGE, Language, ptext
from evaluation.core.model import Fund
from evaluation.io.atomic import write_atomically
from evaluation.io.schema import PROJECT_ID_PATTERN
from evaluation.io.tables import month_end

COMMAND_LINE = "the command line"
"""What messages call the source of a command-line argument."""

EMPTY_TABLES: tuple[str, ...] = ("indicator_values", "costs", "activities", "financing")
"""Tables written header-only by ``new``. Not ``firms``, ``participation`` or ``survey``: an
empty one of those would read as "there are firm (survey) data" while there are none."""



def placeholder(lang: Language = DEFAULT_LANGUAGE) -> str:
    """The marker of every placeholder text of a new project.yaml in ``lang`` (search for it)."""
    return ptext(lang, "project.yaml", "CHANGE")


PLACEHOLDER = placeholder()
"""Marks every placeholder text of a new (Swedish) project.yaml: ``ÄNDRA/CHANGE``."""


def check_project_id(project: str, *, new: bool = False) -> str:
    """``project`` if it is a plain project id; else an :class:`InputError` saying why.

    Ids follow the rule of the parameter files (letters, digits, '_', '-', '.'); a path
    (``../x``, ``/tmp/x``, ``a/b``) is refused, so that nothing is ever written outside
    ``data/`` and ``params/``. ``new=True`` also requires the id pattern of project.yaml
    (a lower-case letter, then lower-case letters, digits or '_'), so the new project validates.
    """
    from evaluation.report.params import _PROJECT_RE, EXPECTATIONS

    def fail(expectation: str) -> InputError:
        return InputError([Problem(COMMAND_LINE, "project", expectation, project)])

    if "/" in project or "\\" in project or project in (".", "..") or Path(project).is_absolute():
        raise fail("a project id, not a path: letters, digits, '_', '-' or '.' "
                   "(files are written only under data/ and params/)")
    if not _PROJECT_RE.match(project):
        raise fail(EXPECTATIONS["project"])
    if new and not re.fullmatch(PROJECT_ID_PATTERN, project):
        raise fail("an id as project.yaml requires: a lower-case letter, then lower-case letters, digits or '_' (like nis60)")
    root = paths.data_dir()
    if Path(os.path.normpath(root / project)).parent != root:  # belt and braces: never outside data/
        raise fail("a project id naming a folder directly under data/")
    return project


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[str]] = ()) -> bytes:
    """A UTF-8, comma-separated table (``\\n`` line ends), as the loader reads it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _q(text: str) -> str:
    """``text`` as a YAML scalar (a JSON string is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def midterm_date(start: date, end: date) -> date:
    """The default ``as_of`` of a mid-term report: the end of the month halfway through the project."""
    middle = start + (end - start) / 2
    return min(month_end(middle.year, middle.month), end)


_RULER = "# " + "=" * 93 + "\n"


def _comment(block: str, indent: str = "") -> str:
    """``block`` as YAML comment lines: each line behind ``# `` (an empty line as a bare ``#``)."""
    return "".join(f"{indent}# {line}\n" if line else f"{indent}#\n" for line in block.split("\n"))


def _project_head(lang: Language, project: str) -> str:
    """The comments above the keys of project.yaml, and the first keys (id ... fund)."""
    return "".join([
        _RULER,
        _comment(ptext(lang, "project.yaml", "project.yaml of the project {id}, created by `evaluation new`.\n"
                   "\n"
                   "Every key is explained below: what it is, the allowed values and an example. Placeholders\n"
                   "to replace are marked {placeholder}; search for {placeholder} to find them all. Empty or null\n"
                   "means \"not reported\", never zero. Check the file with:  evaluation validate {id}\n"
                   "\n"
                   "Tables next to this file: indicator_values, costs, activities, financing (empty, header only).\n"
                   "Fill them in directly or through the Excel template:  evaluation template {id}\n"
                   "(read the filled-in template back with:  evaluation import {id} <file>.xlsx)",
                   id=project, placeholder=placeholder(lang))),
        _RULER,
        "\n",
        _comment(ptext(lang, "project.yaml", "The project id; the same as the name of its folder data/{id}/.\n"
                   "Allowed: a lower-case letter, then lower-case letters, digits, _.  Example: nis60", id=project)),
    ])


def project_yaml(project: str, *, name: str, start: date, end: date, fund: str, lang: Language = DEFAULT_LANGUAGE) -> str:
    """The text of a new ``project.yaml``: every key, explained in ``lang``, with placeholders that validate.

    The explanations of a Swedish project.yaml are in Swedish and English (the catalogue's Swedish text
    holds both), those of an English one in English.
    """
    from evaluation.io.schema import ProjectIn

    ph = placeholder(lang)

    def fill(message: str) -> str:
        """A placeholder value: the marker, then what to write instead."""
        return _q(f"{ph}: {message}")

    fills = {
        "programme": fill(ptext(lang, "project.yaml placeholder", "programme name")),
        "source": fill(ptext(lang, "project.yaml placeholder", "application or progress report")),
        "wp": fill(ptext(lang, "project.yaml placeholder", "work-package name")),
        "og": fill(ptext(lang, "project.yaml placeholder", "overall goal")),
        "pg": fill(ptext(lang, "project.yaml placeholder", "project goal")),
        "activity": fill(ptext(lang, "project.yaml placeholder", "activity")),
        "e_act": fill(ptext(lang, "project.yaml placeholder", "what the project does")),
        "e_out": fill(ptext(lang, "project.yaml placeholder", "outputs")),
        "e_st": fill(ptext(lang, "project.yaml placeholder", "short-term results")),
        "e_lt": fill(ptext(lang, "project.yaml placeholder", "long-term impact")),
        "assumption": fill(ptext(lang, "project.yaml placeholder", "assumption")),
        "indicator": fill(ptext(lang, "project.yaml placeholder", "number of firms reached")),
    }
    unit = ptext(lang, "project.yaml placeholder", "firms")
    parts = [
        _project_head(lang, project),
        f"id: {project}\n\n",
        _comment(ptext(lang, "project.yaml", "The project's full name.\nExample: Näringsliv i samverkan NIS 6.0")),
        f"name: {_q(name)}\n\n",
        _comment(ptext(lang, "project.yaml", "Short name for charts and tables (empty = name).\nExample: NIS 6.0")),
        'short_name: ""\n\n',
        _comment(ptext(lang, "project.yaml", "Main fund.\nAllowed: {funds}.  Example: ERUF", funds=", ".join(get_args(Fund)))),
        f"fund: {_q(fund)}\n\n",
        _comment(ptext(lang, "project.yaml", "Programme or financing scheme.\nExample: Regionalfondsprogram för Mellersta Norrland 2021–2027")),
        f"programme: {fills['programme']}\n\n",
        _comment(ptext(lang, "project.yaml", "Project owner; null = not reported.\nExample: Region Västernorrland")),
        "owner: null\n\n",
        _comment(ptext(lang, "project.yaml", "County or area.  Example: Västerbotten")),
        'region: ""\n\n',
        _comment(ptext(lang, "project.yaml", "Project period, dates written YYYY-MM-DD.\nExample: start: 2024-01-01, end: 2026-12-31")),
        f"start: {start.isoformat()}\nend: {end.isoformat()}\n\n",
        _comment(ptext(lang, "project.yaml", "Whether the dates are published.\nAllowed: published, estimated, illustrative (invented).")),
        "dates_status: published\n\n",
        _comment(ptext(lang, "project.yaml", "Lists of text: partners, municipalities, target groups, regional-strategy (RUS) goals.\n"
                   "Example: partners: [Almi Företagspartner Nord AB, Vindelns kommun]")),
        "partners: []\nmunicipalities: []\ntarget_groups: []\nrus_goals: []\n\n",
        _comment(ptext(lang, "project.yaml", "Evaluation form and evaluator.")),
        "evaluation:\n",
        _comment(ptext(lang, "project.yaml", "Allowed: self (self-evaluation), external."), "  "),
        "  form: external\n",
        _comment(ptext(lang, "project.yaml", "Evaluator's name or organisation.\nExample: Regionakademien i Umeå"), "  "),
        '  evaluator: ""\n\n',
        _comment(ptext(lang, "project.yaml", "Status of the project's data as a whole.\n"
                   "Allowed: published, estimated, illustrative (illustrative gives a visible banner in the report).")),
        "data_status: published\n\n",
        _comment(ptext(lang, "project.yaml", "Documents the figures come from; indicators and tables cite them by id.\n"
                   "Fields: id (a short name), title, reference (a link or path), note.")),
        f'sources:\n  - id: src1\n    title: {fills["source"]}\n    reference: ""\n    note: ""\n\n',
        _comment(ptext(lang, "project.yaml", "Work packages.\nFields: id, name, budget (kronor; null = not reported),\n"
                   "data_status (published, estimated, illustrative).")),
        f"work_packages:\n  - id: ap1\n    name: {fills['wp']}\n    budget: null\n    data_status: published\n\n",
        _comment(ptext(lang, "project.yaml", "Financiers – given EITHER here OR in the table financing.csv (the sheet Financing of\n"
                   "the Excel template), not both. An empty list here = the financiers are in financing.csv.\n"
                   "Fields: name, kind (eu, state, region, municipality, private, other),\n"
                   "amount (kronor; null = not reported), in_kind (true = contributed as work time or goods,\n"
                   "not money), data_status, note, basis (decided = the financing plan, the default;\n"
                   "outcome = what the financier finally paid).\n"
                   "Example:")),
        _comment("  financiers:\n    - {name: Tillväxtverket, kind: state, amount: 7735351, in_kind: false, "
                 'data_status: published, note: ""}'),
        "financiers: []\n\n",
        _comment(ptext(lang, "project.yaml", "Total budget and financial outcome; the cost lines are in costs.csv (the sheet Budget).")),
        "budget:\n",
        _comment(ptext(lang, "project.yaml", "Total budget in kronor; null = not reported.\nExample: 16713030"), "  "),
        "  total: null\n",
        _comment(ptext(lang, "project.yaml", "Total outcome so far in kronor; null = not reported."), "  "),
        "  outcome_total: null\n",
        _comment(ptext(lang, "project.yaml", "The date the outcome is counted to, YYYY-MM-DD; null = the final outcome\n"
                   "(shown only in reports as of the project's end)."), "  "),
        "  outcome_date: null\n",
        _comment(ptext(lang, "project.yaml", "Currency.  Example: SEK"), "  "),
        "  currency: SEK\n",
        _comment(ptext(lang, "project.yaml", "Relative tolerance for reconciling totals (0.005 = 0.5 %). A number between 0 and 1."), "  "),
        "  tolerance: 0.005\n",
        _comment(ptext(lang, "project.yaml", "Qualifier of the total, e.g. \"preliminary\"."), "  "),
        '  total_qualifier: ""\n',
        _comment(ptext(lang, "project.yaml", "Allowed: published, estimated, illustrative."), "  "),
        "  data_status: published\n\n",
        _comment(ptext(lang, "project.yaml", "The goal tree: overall goal, project goals, sub-goals and activities; parent links a node\n"
                   "to the node above it.\n"
                   "Fields: id, level (overall, project, sub, activity), statement, parent (the id above; none\n"
                   "for the overall goal), work_package (a work-package id), deadline (YYYY-MM-DD), assumptions,\n"
                   "risks, rus_goals (ids of the region's RUS effect goals, usually on the overall goal).\n"
                   "Activity ids are used in activities.csv.")),
        "goal_tree:\n",
        *(f"  - id: {node}\n    level: {level}\n    statement: {fills[key]}\n    parent: {parent}\n"
          f"    work_package: {wp}\n    deadline: null\n    assumptions: []\n    risks: []\n    rus_goals: []\n"
          for node, level, key, parent, wp in (("og", "overall", "og", "null", "null"), ("pg1", "project", "pg", "og", "null"),
                                               ("a1", "activity", "activity", "pg1", "ap1"))),
        "\n",
        _comment(ptext(lang, "project.yaml", "The effect logic: boxes on four levels and arrows between them with their assumptions.")),
        "effect_logic:\n",
        _comment(ptext(lang, "project.yaml", "Fields: id, level (activity, output, short_term, long_term), statement,\n"
                   "goals (the goal-tree ids the box belongs to)."), "  "),
        "  nodes:\n",
        *(f"    - {{id: {box}, level: {level}, statement: {fills[box]}, goals: [{goal}]}}\n"
          for box, level, goal in (("e_act", "activity", "a1"), ("e_out", "output", "pg1"), ("e_st", "short_term", "pg1"),
                                   ("e_lt", "long_term", "og"))),
        _comment(ptext(lang, "project.yaml", "Fields: from, to (box ids), assumption."), "  "),
        "  links:\n",
        *(f"    - {{from: {a}, to: {b}, assumption: {fills['assumption']}}}\n"
          for a, b in (("e_act", "e_out"), ("e_out", "e_st"), ("e_st", "e_lt"))),
        _comment(ptext(lang, "project.yaml", "External factors beyond the project's control.\n"
                   "Example: [Coronapandemin, Brist på kompetent arbetskraft]"), "  "),
        "  external_factors: []\n\n",
        # no values: the braces below are literal (the message is not formatted)
        _comment(ptext(lang, "project.yaml", "Indicators with baseline and target; their values are reported in indicator_values.csv.\n"
                   "Fields:\n"
                   "  id; name; unit (e.g. firms; null = none);\n"
                   "  level (activity, output, short_term, long_term);\n"
                   "  measures (the goal-tree or effect-logic ids the indicator measures);\n"
                   "  baseline and target: {value: a number or null, date: YYYY-MM-DD or null};\n"
                   "  aggregation (cumulative = the values are running totals; per_period = each period on its own;\n"
                   "  level = the level at the period's end, which may go down; ratio = numerator and denominator per period);\n"
                   "  maximum (the most the indicator can reach, e.g. the number of municipalities; optional);\n"
                   "  code (an EU common indicator, RCO/RCR/EECO/EECR/PSO/PSR + two digits, e.g. RCO01; null = none);\n"
                   "  source (a source id in sources; null = none);\n"
                   "  description; firms (true when the indicator counts firms, each once);\n"
                   "  role (firms_reached, participants, jobs, new_firms or null; used for cost per unit).")),
        f"indicators:\n  - id: ind1\n    name: {fills['indicator']}\n    unit: {unit}\n    level: output\n"
        f"    measures: [e_out, pg1]\n    baseline: {{value: 0, date: {start.isoformat()}}}\n"
        f"    target: {{value: null, date: {end.isoformat()}}}\n    aggregation: cumulative\n    maximum: null\n    code: null\n"
        '    source: src1\n    description: ""\n    firms: true\n    role: firms_reached\n\n',
        _comment(ptext(lang, "project.yaml", "The horizontal criteria: aim, actions and the indicators that follow them up.\n"
                   "Fields: criterion (gender_equality, equal_opportunities = equal opportunities and\n"
                   "non-discrimination, sustainable_development), aim, actions (a list of actions),\n"
                   "indicators (indicator ids).")),
        "horizontal:\n",
        *(f'  - criterion: {criterion}\n    aim: ""\n    actions: []\n    indicators: []\n'
          for criterion in ("gender_equality", "equal_opportunities", "sustainable_development")),
        "\n",
        _comment(ptext(lang, "project.yaml", "Key persons (roles that carry the project; names are optional).\n"
                   "Fields: role, organisation, name, note.\n"
                   "Example:")),
        _comment('  key_persons:\n    - {role: Projektledare, organisation: Vindelns kommun, name: "", note: ""}'),
        "key_persons: []\n\n",
        _comment(ptext(lang, "project.yaml", "Known problems in the data (shown in reports).")),
        "notes: []\n\n",
        _comment(ptext(lang, "project.yaml", "Lessons for the final report.")),
        "lessons: []\n",
    ]
    if "cofinancing" in ProjectIn.model_fields:
        parts += [
            "\n",
            _comment(ptext(lang, "project.yaml", "Co-financing keys: how a decided amount is shared between parties (by population, by\n"
                       "shares or fixed), with each party's input, its source and date, and its decided amount.\n"
                       "Fields: id, name, total, basis (population, shares, fixed), source, splits, note, parties.\n"
                       "Example: see data/botnia/project.yaml")),
            "cofinancing: []\n",
        ]
    # Keys that newer versions of the format know (written only when the schema has them).
    if "disclosure" in ProjectIn.model_fields:
        parts += [
            "\n",
            _comment(ptext(lang, "project.yaml", "What the reports may show of firm-level data (firms) and survey answers (survey):\n"
                       "restricted (the default) = no firm names and no cells, groups or shares built from fewer\n"
                       "than min_cell firms or respondents; public = the figures are published and shown as they are.\n"
                       "Allowed: firms and survey: public, restricted; min_cell: a whole number >= 1.\n"
                       "dominance: a total of employees, turnover or value added is hidden when its n largest firms\n"
                       "make up more than k % of it (default n: 2, k: 85), or, with p alone, by the p % rule.")),
            "disclosure:\n  firms: restricted\n  survey: restricted\n  min_cell: 5\n  dominance:\n    n: 2\n    k: 85\n    p: null\n",
        ]
    if "rules" in ProjectIn.model_fields:
        parts += [
            "\n",
            _comment(ptext(lang, "project.yaml", "The project's own rules for the logic checks: a check's name and stop, warn, note or off.\n"
                       "`evaluation rules {id}` lists the checks and their rules; `evaluation check {id}` applies them.\n"
                       "Example:  rules: {{firm_total_mismatch: stop}}", id=project)),
            "rules: {}\n",
        ]
    return "".join(parts)


def _param_blocks(lang: Language, project: str, kind: str, as_of: date) -> dict[str, str]:
    """One commented block per report parameter (written for the parameters ReportParams knows)."""
    from evaluation.report.params import FORMATS

    formats = ", ".join(FORMATS)
    return {
        "project": _comment(ptext(lang, "params file", "The project id (the folder data/<id>/).\nExample: nis60")) + f"project: {project}\n",
        "kind": _comment(ptext(lang, "params file", "Report kind: midterm (mid-term evaluation) or final (final evaluation); as in the file name."))
        + f"kind: {kind}\n",
        "as_of": _comment(ptext(lang, "params file", "The date the report describes, YYYY-MM-DD.\nExample: 2022-12-31")) + f"as_of: {as_of.isoformat()}\n",
        "language": _comment(ptext(lang, "params file", "Language: sv (Swedish, the default) or en (English).")) + f"language: {lang}\n",
        "formats": _comment(ptext(lang, "params file", "Output formats: a list drawn from {formats}.\nExample: [html]; all of them: [{formats}]",
                              formats=formats)) + f"formats: [{formats}]\n",
        "small_cell_threshold": _comment(ptext(lang, "params file", "Survey cells with fewer respondents are suppressed (a whole number >= 1)."))
        + "small_cell_threshold: 5\n",
        "reference_docx": _comment(ptext(lang, "params file", "Word file (.docx) whose styles the Word report uses, absolute or relative to the project\n"
                                     "home; null = the default.\nExample: mallar/region.docx")) + "reference_docx: null\n",
        "region": _comment(ptext(lang, "params file", "Only for a portfolio report (kind: portfolio): the region whose projects it covers\n"
                             "(a folder regions/<id>/); null otherwise.\nExample: gavleborg")) + "region: null\n",
    }


def assessment_yaml(kind: str, lang: Language = DEFAULT_LANGUAGE) -> str:
    """The text of ``assessments/<kind>.yaml``: one entry per question, each a placeholder graded ``not_assessed``.

    Until the evaluator has replaced every placeholder, a report from it is a draft.
    """
    ph = placeholder(lang)
    head = ptext(lang, "assessment file",
                 "The evaluator's assessment for the {kind} report, written in Markdown (| keeps the lines).\n"
                 "Replace every {placeholder}; a report is a draft until nothing is missing (evaluation check lists it).\n"
                 "grade: high, fairly_high, low, not_at_all or not_assessed.\n"
                 "evidence: indicator:<id>, finding:<check>, survey:<item>, theme:<code>, source:<id>, link:<from>-><to>,\n"
                 "estimate:firm_effects, dissemination:<id>.\n"
                 "data_status: illustrative, or published with source: <source id> when the text comes from a source.",
                 kind=kind, placeholder=ph)
    todo = ptext(lang, "assessment file", "the evaluator's assessment of this question")
    parts = [_comment(head), "\n", f"evaluator: {_q(ph)}\n", "data_status: illustrative\n", "entries:\n"]
    for question in ALL_QUESTIONS:
        parts.append(f"  - question: {question}\n    grade: not_assessed\n    text: {_q(f'{ph}: {todo}')}\n    evidence: []\n")
    parts += ["links: []\n", "suggestions: []\n", "recommendations: []\n"]
    if kind == "final":
        parts.append("follow_up: []\n")
    return "".join(parts)


@dataclass(frozen=True)
class Scaffold:
    """The files of a new project: path -> content, in the order they are written."""

    project: str
    files: Mapping[Path, bytes]


def params_yaml(project: str, kind: str, as_of: date, lang: Language = DEFAULT_LANGUAGE) -> str:
    """The text of ``params/<project>_<kind>.yaml``, every parameter explained in ``lang``."""
    from evaluation.report.params import ReportParams

    if kind == "midterm":
        title = ptext(lang, "params file", "mid-term evaluation")
    else:
        title = ptext(lang, "params file", "final evaluation")
    head = ptext(lang, "params file", "Report parameters: {id}, {title}.\nRun:  evaluation report params/{id}_{kind}.yaml\n"
                                      "The file name must be <project>_<kind>.yaml.", id=project, title=title, kind=kind)
    blocks = _param_blocks(lang, project, kind, as_of)
    # a test checks that every parameter has a block
    return _comment(head) + "".join("\n" + blocks[name] for name in ReportParams.model_fields if name in blocks)


def scaffold(project: str, *, name: str | None = None, start: date | None = None, end: date | None = None,
             fund: str = "ERUF", lang: Language = DEFAULT_LANGUAGE) -> Scaffold:
    """The files of a new project, explained in ``lang`` (nothing is written; see :func:`create_project`)."""
    from evaluation.io.loader import ACTIVITY_COLUMNS, COST_COLUMNS, FINANCING_COLUMNS, INDICATOR_VALUE_COLUMNS

    check_project_id(project, new=True)
    start = start or date(2025, 1, 1)
    end = end or (start.replace(year=start.year + 3) - timedelta(days=1))
    if end < start:
        raise InputError([Problem(COMMAND_LINE, "--end", f"on or after the start {start.isoformat()}", end.isoformat())])
    folder = paths.data_dir() / project
    params = paths.params_dir()
    headers = {
        "indicator_values": INDICATOR_VALUE_COLUMNS,
        "costs": COST_COLUMNS,
        "activities": ACTIVITY_COLUMNS,
        "financing": FINANCING_COLUMNS,
    }
    files: dict[Path, bytes] = {
        folder / "project.yaml": project_yaml(project, name=name or f"{placeholder(lang)}: {project}", start=start, end=end,
                                              fund=fund, lang=lang).encode("utf-8"),
    }
    for table in EMPTY_TABLES:
        files[folder / f"{table}.csv"] = csv_bytes([c.name for c in headers[table]])
    for kind in ASSESSMENT_KINDS:
        files[folder / "assessments" / f"{kind}.yaml"] = assessment_yaml(kind, lang).encode("utf-8")
    files[params / f"{project}_midterm.yaml"] = params_yaml(project, "midterm", midterm_date(start, end), lang).encode("utf-8")
    files[params / f"{project}_final.yaml"] = params_yaml(project, "final", end, lang).encode("utf-8")
    return Scaffold(project, files)


def create_project(project: str, *, name: str | None = None, start: date | None = None, end: date | None = None,
                   fund: str = "ERUF", force: bool = False, lang: Language = DEFAULT_LANGUAGE) -> Scaffold:
    """Write a new project folder and its two parameter files; return what was written.

    Raises :class:`InputError` for an id that is not a plain project id, an end before the
    start, or (without ``force``) a project folder or parameter file that exists already.
    ``force`` overwrites project.yaml, the empty tables and the parameter files; other files
    in the folder are kept. ``lang`` is the language of the explanations (and of the reports' parameter).
    """
    result = scaffold(project, name=name, start=start, end=end, fund=fund, lang=lang)
    if not force:
        existing = [paths.data_dir() / project] + [p for p in result.files if p.parent == paths.params_dir()]
        clashes = [p for p in existing if p.exists()]
        if clashes:
            raise InputError([Problem(COMMAND_LINE, "--force", f"given to overwrite the existing {paths.display_path(p)}",
                                      "not given") for p in clashes])
    write_atomically(result.files)
    return result


def _date_arg(flag: str, text: str | None, problems: ProblemCollector) -> date | None:
    if text is None:
        return None
    try:
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        problems.add(COMMAND_LINE, flag, "a date written YYYY-MM-DD", text)
        return None


def _handle(args: argparse.Namespace) -> int:
    problems = ProblemCollector()
    start = _date_arg("--start", args.start, problems)
    end = _date_arg("--end", args.end, problems)
    problems.raise_if_any(InputError)
    result = create_project(args.project, name=args.name, start=start, end=end, fund=args.fund, force=args.force)
    for path in result.files:
        print(f"wrote {paths.display_path(path)}")
    print(f"next: edit data/{args.project}/project.yaml (search for {PLACEHOLDER}), then "
          f"`evaluation validate {args.project}` and `evaluation template {args.project}`")
    return 0


def add_cli(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``evaluation new PROJECT [--name ...] [--start ...] [--end ...] [--fund ...] [--force]``."""
    parser = subparsers.add_parser(
        "new",
        help="create a new project folder and its parameter files",
        description=("Create data/<id>/project.yaml with every key explained in Swedish and English, empty tables "
                     "(indicator_values, costs, activities, financing with their header row) and "
                     "params/<id>_midterm.yaml and params/<id>_final.yaml. The new project passes "
                     "`evaluation validate` as it stands; replace the placeholders marked "
                     f"{PLACEHOLDER}. Existing files are never overwritten without --force."),
        epilog=("example:\n"
                "  evaluation new hallbar_handel --name \"Hållbar handel\" --start 2025-01-01 --end 2027-12-31 --fund ERUF\n"
                "  evaluation validate hallbar_handel"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("project", metavar="PROJECT",
                        help="the new project's id: a lower-case letter, then lower-case letters, digits or '_'")
    parser.add_argument("--name", default=None, help="the project's full name (default: a placeholder)")
    parser.add_argument("--start", metavar="YYYY-MM-DD", default=None, help="start date (default 2025-01-01)")
    parser.add_argument("--end", metavar="YYYY-MM-DD", default=None, help="end date (default: three years after the start)")
    parser.add_argument("--fund", choices=get_args(Fund), default="ERUF", help="main fund (default ERUF)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite project.yaml, the empty tables and the parameter files if they exist")
    parser.set_defaults(func=_handle)
    return parser
