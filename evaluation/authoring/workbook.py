"""An Excel data-entry template for a project team, and reading it back.

``evaluation template <id>`` writes a workbook: an instruction sheet (``Instruktioner`` in a
Swedish workbook) and one sheet per table of the project folder (:data:`TABLE_SHEETS`),
headed by the table's column names (row 1, frozen, bold, help and units as cell comments), with
drop-down lists for closed sets and the project's existing data filled in. The same project
always gives the same bytes. Every text of the workbook (sheet names, instructions, help) is
written in English here and translated through the catalogue (``authoring.po``); a workbook
is Swedish unless another language is asked for.

``evaluation import <id> <workbook>`` reads the sheets back. Each sheet becomes the text of a
CSV table, and the project is loaded with those tables in a temporary copy of its folder, so
the workbook is checked by exactly the rules of :func:`evaluation.io.loader.load_project`; every
problem is named with its sheet and row (``book.xlsx[Budget] row 4``). Only when there is none
are the tables written into ``data/<id>/`` (all or nothing).
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, get_args

from evaluation.authoring import finance_sheets, qualitative_sheets
from evaluation.authoring.scaffold import check_project_id, csv_bytes
from evaluation.core import paths
from evaluation.core.errors import InputError, Problem, ProblemCollector
from evaluation.core.i18n import DEFAULT_LANGUAGE, Language, languages, ptext, text
from evaluation.core.model import DataStatus, FinancierKind, Project, ValueStatus
from evaluation.io import qualitative
from evaluation.io.atomic import write_atomically
from evaluation.io.limits import LIMITS, read_bytes, shown_path
from evaluation.io.tables import Column, find_table, parse_float, parse_int, read_table
from evaluation.io.workbooks import SheetCells, read_sheets


def instruction_sheet(lang: Language = DEFAULT_LANGUAGE) -> str:
    """The name of the instruction sheet (the first) in ``lang``."""
    return ptext(lang, "workbook sheet", "Instructions")


def lists_sheet(lang: Language = DEFAULT_LANGUAGE) -> str:
    """The name of the hidden sheet holding the values of the drop-down lists (the last) in ``lang``."""
    return ptext(lang, "workbook sheet", "Lists")


def sheet_names(lang: Language = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Table name (the CSV file ``data/<id>/<table>.csv``) -> sheet name in ``lang``, in sheet order."""
    return {
        "indicator_values": ptext(lang, "workbook sheet", "Indicator values"),
        "activities": ptext(lang, "workbook sheet", "Activities"),
        "participation": ptext(lang, "workbook sheet", "Participating firms"),
        "firms": ptext(lang, "workbook sheet", "Firm data"),
        "survey": ptext(lang, "workbook sheet", "Survey answers"),
        "survey_invited": ptext(lang, "workbook sheet", "Survey invited"),
        "costs": ptext(lang, "workbook sheet", "Budget"),
        "financing": ptext(lang, "workbook sheet", "Financing"),
        "funnel": ptext(lang, "workbook sheet", "Funnel"),
        **qualitative_sheets.sheet_names(lang),  # dissemination, interviews, excerpts, themes
        **finance_sheets.sheet_names(lang),  # payments
    }


INSTRUCTION_SHEET = instruction_sheet()
LISTS_SHEET = lists_sheet()
"""A hidden sheet holding the values of the drop-down lists."""

TABLE_SHEETS: dict[str, str] = sheet_names()
"""Table name (the CSV file ``data/<id>/<table>.csv``) -> sheet name of a Swedish workbook, in sheet order."""

SHEET_TABLES: dict[str, str] = {sheet: table for table, sheet in TABLE_SHEETS.items()}

YES, NO = "ja", "nej"
"""The yes/no values of the drop-down lists (data, read back by the table parser; not translated)."""


def purposes(lang: Language = DEFAULT_LANGUAGE) -> dict[str, str]:
    """What each table is for (instruction sheet), in ``lang``."""
    return {
        "indicator_values": text(lang, "Follow-up values of the indicators: one row per indicator and period."),
        "activities": text(lang, "Activities carried out and participants: one row per activity and period."),
        "participation": text(lang, "Which firms took part in which activities: one row per firm and activity "
                                    "(each firm is counted once in the report)."),
        "firms": text(lang, "The firms' employees, turnover etc. year by year: one row per firm and year. "
                            "Comparison firms that did not take part have participant = {no}.", no=NO),
        "survey": text(lang, "Survey answers: one row per respondent and question."),
        "survey_invited": text(lang, "How many were invited to each survey wave: one row per wave."),
        "costs": text(lang, "Budget and outcome per cost category: one row per cost category (and work package)."),
        "financing": text(lang, "Financiers and amounts: one row per financier."),
        "funnel": text(lang, "The selection funnel: how many went on at each step (e.g. contacted, interested, took part)."),
        **qualitative_sheets.purposes(lang),
        **finance_sheets.purposes(lang),
    }


def _help(lang: Language) -> dict[tuple[str, str], str]:
    """Help for every column (header comments and instruction sheet) in ``lang``; data_status is shared."""
    sheets = sheet_names(lang)
    guide = instruction_sheet(lang)
    period_end = text(lang, "The last day of the period, YYYY-MM-DD (YYYY-MM = the last day of the month, YYYY = 31 December).")
    period_start = text(lang, "The first day of the period, YYYY-MM-DD (optional).")
    note = text(lang, "Note (free text, optional).")
    genders = {"women": ptext(lang, "workbook group", "women"), "men": ptext(lang, "workbook group", "men"),
               "non_binary": ptext(lang, "workbook group", "non-binary people")}
    sizes = {"micro": ptext(lang, "workbook group", "micro firms (0–9 employees)"),
             "small": ptext(lang, "workbook group", "small firms (10–49 employees)"),
             "medium": ptext(lang, "workbook group", "medium-sized firms (50–249 employees)"),
             "large": ptext(lang, "workbook group", "large firms (250 employees or more)")}
    return {
        ("indicator_values", "indicator"): text(lang, "The indicator's id in project.yaml (pick it from the list; the indicators "
                                                      "are on the sheet {sheet}).", sheet=guide),
        ("indicator_values", "period_end"): period_end,
        ("indicator_values", "value"): text(lang, "The value in the indicator's unit (see the sheet {sheet}). Cumulative "
                                                  "indicators: the sum since the start of the project. Empty = not reported "
                                                  "(status not_reported), never 0.", sheet=guide),
        ("indicator_values", "status"): text(lang, "preliminary, verified (checked) or not_reported (then value must be empty)."),
        ("indicator_values", "source"): text(lang, "Where the value comes from: the source's id in project.yaml or the "
                                                   "document's name."),
        ("indicator_values", "period_start"): period_start,
        **{("indicator_values", k): text(lang, "Of which {group}, in the same unit as value. Empty = not reported.", group=v)
           for k, v in (genders | sizes).items()},
        ("indicator_values", "note"): note,
        ("indicator_values", "numerator"): text(lang, "Ratio indicators only: the numerator of the period (e.g. the women-led "
                                                      "firms among those recruited). Empty for other indicators."),
        ("indicator_values", "denominator"): text(lang, "Ratio indicators only: the denominator of the period (e.g. all firms "
                                                        "recruited). The ratio is the sum of the numerators over the sum of the "
                                                        "denominators, never an average of the periods' shares."),
        ("activities", "activity"): text(lang, "The activity's id in the goal tree (pick it from the list; the activities "
                                               "are on the sheet {sheet}).", sheet=guide),
        ("activities", "period_end"): period_end,
        ("activities", "count"): text(lang, "Number of sessions held during the period (meetings, visits, trainings ...). "
                                            "Empty = not reported."),
        ("activities", "participants"): text(lang, "Number of participants (persons) during the period. Empty = not reported."),
        **{("activities", k): text(lang, "Of which {group} (persons). Empty = not reported.", group=v) for k, v in genders.items()},
        ("activities", "period_start"): period_start,
        ("activities", "description"): text(lang, "Description (free text, optional)."),
        ("activities", "source"): text(lang, "Source (the document's name or the source's id in project.yaml, optional)."),
        ("participation", "activity"): text(lang, "The activity's id in the goal tree (pick it from the list)."),
        ("participation", "firm_id"): text(lang, "The firm's id, the same as on the sheet {sheet} (e.g. f001).",
                                           sheet=sheets["firms"]),
        ("participation", "period_end"): text(lang, "The date the firm took part or the last day of the period, YYYY-MM-DD "
                                                    "(optional)."),
        ("firms", "firm_id"): text(lang, "The firm's id, the same every year (e.g. f001)."),
        ("firms", "name"): text(lang, "The firm's name (optional)."),
        ("firms", "year"): text(lang, "The year the row is about (YYYY); one row per firm and year."),
        ("firms", "period_label"): text(lang, "The period's name in the report, e.g. Oct-22 (optional; empty = the year)."),
        ("firms", "employees"): text(lang, "Number of employees (full-time equivalents; decimals are fine). Empty = not reported."),
        ("firms", "turnover"): text(lang, "Turnover in kronor (optional)."),
        ("firms", "value_added"): text(lang, "Value added in kronor (optional)."),
        ("firms", "participant"): text(lang, "{yes} = the firm takes part in the project, {no} = a comparison firm.",
                                       yes=YES, no=NO),
        ("firms", "participation_start"): text(lang, "The year the firm began to take part (YYYY, optional)."),
        ("firms", "women_led"): text(lang, "{yes}/{no}: is the firm led or owned by women? (optional)", yes=YES, no=NO),
        ("firms", "published_change"): text(lang, "Change in the number of employees as a report published it (optional)."),
        ("firms", "org_nr"): text(lang, "Organisation number, NNNNNN-NNNN (optional; the last digit is a check digit)."),
        ("firms", "sni"): text(lang, "Industry as an SNI 2007 code, 2 to 5 digits (optional)."),
        ("firms", "size_class"): text(lang, "Size class: micro, small, medium or large, or an SCB employee band (optional)."),
        ("firms", "municipality"): text(lang, "Municipality code, 4 digits (optional)."),
        ("firms", "applicant"): text(lang, "{yes} = applied but was not supported: an alternative comparison firm (optional).",
                                     yes=YES),
        ("survey", "wave"): text(lang, "Survey wave, e.g. 2025 (the same as on the sheet {sheet}).",
                                 sheet=sheets["survey_invited"]),
        ("survey", "respondent"): text(lang, "The respondent's id (anonymous, e.g. r001); the same for every question."),
        ("survey", "item"): text(lang, "The statement or question, word for word the same for every respondent."),
        ("survey", "answer"): text(lang, "The answer: 1–5 (1 = do not agree at all, 5 = agree completely) or an answer "
                                         "category. Empty = no answer to the question."),
        ("survey", "group"): text(lang, "Group for comparisons, e.g. Woman or Man (optional)."),
        ("survey_invited", "wave"): text(lang, "Survey wave, e.g. 2025."),
        ("survey_invited", "invited"): text(lang, "Number of people invited to answer (a whole number)."),
        ("costs", "category"): text(lang, "Cost category, e.g. Staff, External services, Travel."),
        ("costs", "budget"): text(lang, "Budgeted amount in kronor. Empty = not reported."),
        ("costs", "outcome"): text(lang, "Outcome so far in kronor. Empty = not reported."),
        ("costs", "work_package"): text(lang, "The work package's id (pick it from the list; optional)."),
        ("financing", "name"): text(lang, "The financier's name, e.g. Tillväxtverket."),
        ("financing", "kind"): text(lang, "eu, state, region, municipality, private or other."),
        ("financing", "amount"): text(lang, "Amount in kronor. Empty = not reported."),
        ("financing", "in_kind"): text(lang, "{yes} = a contribution as work time or something other than money; {no} = money. "
                                             "Empty = {no}.", yes=YES, no=NO),
        ("financing", "note"): note,
        ("funnel", "order"): text(lang, "The step's order: 1, 2, 3 ..."),
        ("funnel", "stage"): text(lang, "The step's name, e.g. Contacted firms."),
        ("funnel", "count"): text(lang, "Number at the step. Empty = not reported."),
        **qualitative_sheets.column_help(lang, sheets),
        **finance_sheets.column_help(lang),
    }


def general_instructions(project_id: str, lang: Language = DEFAULT_LANGUAGE) -> tuple[str, ...]:
    """The numbered instructions at the top of the instruction sheet, in ``lang``."""
    return (
        text(lang, "Each sheet is a table. Row 1 is the header row: do not change the headings, do not add a second "
                   "header row and do not rename the sheets. Write one record per row from row 2."),
        text(lang, "Hold the mouse pointer over a heading to see what the column should hold and in which unit. "
                   "The same help is in the table further down."),
        text(lang, "An empty cell means \"not reported\". Never write 0 for something that is not known: 0 means zero."),
        text(lang, "Numbers: a decimal comma is fine (2,5), as are spaces between thousands (1 234 567). Write no units "
                   "or percent signs in the number cells; amounts are in kronor."),
        text(lang, "Dates are written YYYY-MM-DD, for example 2024-06-30. YYYY-MM means the last day of the month and "
                   "YYYY 31 December."),
        text(lang, "Columns with a drop-down list (indicator, activity, work package, status, data_status, yes/no, "
                   "financier type) take only the values in the list."),
        text(lang, "The project's existing data are already filled in: correct, complete and add rows. Do not empty a "
                   "sheet that has data; to remove a whole table, contact the evaluator."),
        text(lang, "data_status: published = published or actual value (the default), estimated = estimated, "
                   "illustrative = an invented example (shown with a warning in the report)."),
        text(lang, "Save as .xlsx and send the file to the evaluator, who reads it in with the command "
                   "evaluation import {id} <file>.xlsx. Every error is listed at once, with sheet and row.", id=project_id),
    )


def table_columns() -> dict[str, tuple[Column, ...]]:
    """Table name -> the loader's column specification, in :data:`TABLE_SHEETS` order."""
    from evaluation.io import loader

    specs = {
        "indicator_values": loader.INDICATOR_VALUE_COLUMNS,
        "activities": loader.ACTIVITY_COLUMNS,
        "participation": loader.PARTICIPATION_COLUMNS,
        "firms": loader.FIRM_COLUMNS,
        "survey": loader.SURVEY_COLUMNS,
        "survey_invited": loader.INVITED_COLUMNS,
        "costs": loader.COST_COLUMNS,
        "financing": loader.FINANCING_COLUMNS,
        "funnel": loader.FUNNEL_COLUMNS,
        **qualitative.TABLES,
        "payments": loader.PAYMENT_COLUMNS,
    }
    return {table: specs[table] for table in TABLE_SHEETS}


def _what_to_enter(aggregation: str, lang: Language) -> str:
    """What a value of an indicator of this kind is: a running total, a value per period, a level or a ratio's parts."""
    return {
        "cumulative": text(lang, "The running total since the start of the project (it never goes down)."),
        "per_period": text(lang, "The value of each period on its own (the report adds the periods up)."),
        "level": text(lang, "The level at the end of the period (the latest value counts; it may go down)."),
        "ratio": text(lang, "The numerator and the denominator of each period (columns numerator and denominator)."),
    }.get(aggregation, "")


def column_help(table: str, column: str, lang: Language = DEFAULT_LANGUAGE) -> str:
    """The help text of a column in ``lang`` ('' for a column without help)."""
    if column == "data_status":
        return text(lang, "published (published or actual value), estimated or illustrative (an invented example). "
                          "Empty = published.")
    return _help(lang).get((table, column), "")


def _requirement(col: Column, lang: Language) -> str:
    if col.required and not col.allow_empty:
        return ptext(lang, "workbook required", "yes, always")
    if col.required:
        return ptext(lang, "workbook required", "yes (empty = not reported)")
    return ptext(lang, "workbook required", "no")


def drop_down_lists(project: Project) -> dict[str, tuple[str, ...]]:
    """The values of each drop-down list (list name -> values)."""
    return {
        "indicator": tuple(i.id for i in project.indicators),
        "activity": tuple(n.id for n in project.goal_tree.by_level("activity")),
        "work_package": tuple(w.id for w in project.work_packages),
        "status": get_args(ValueStatus),
        "data_status": get_args(DataStatus),
        "yes_no": (YES, NO),
        "kind": get_args(FinancierKind),
        **qualitative_sheets.drop_down_lists(),
        **finance_sheets.drop_down_lists(),
    }


def _list_name(table: str, column: str) -> str | None:
    """The drop-down list of a column, if it has one."""
    fixed = {
        ("indicator_values", "indicator"): "indicator",
        ("indicator_values", "status"): "status",
        ("activities", "activity"): "activity",
        ("participation", "activity"): "activity",
        ("costs", "work_package"): "work_package",
        ("firms", "participant"): "yes_no",
        ("firms", "women_led"): "yes_no",
        ("firms", "applicant"): "yes_no",
        ("financing", "in_kind"): "yes_no",
        ("financing", "kind"): "kind",
        **qualitative_sheets.LIST_COLUMNS,
        **finance_sheets.LIST_COLUMNS,
    }
    if column == "data_status":
        return "data_status"
    return fixed.get((table, column))


# ----------------------------------------------------------------------------------- writing


def _cell_value(value: Any) -> Any:
    """A parsed table value as an Excel cell value (dates as ISO text, yes/no in Swedish)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


FORMULA_STARTS = ("=", "+", "-", "@")
"""First characters that make Excel read typed text as a formula."""


def put(ws: Any, row: int, column: int, value: Any) -> Any:
    """Write ``value`` into a cell; a text is always text, never a formula (whatever it starts with).

    openpyxl stores a string starting with ``=`` as a formula; here every string is stored as a
    string, and one starting like a formula also gets Excel's quote prefix, so that editing the
    cell in Excel keeps it text. Every cell of a template is written through this function.
    """
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


def _is_number(col: Column) -> bool:
    return col.parse in (parse_float, parse_int)


def _answer_parser() -> Any:
    """The parser of survey answers (a number 1-5 or a category: neither text nor number format)."""
    from evaluation.io.loader import SURVEY_COLUMNS

    return next(c.parse for c in SURVEY_COLUMNS if c.name == "answer")


def existing_rows(project: Project) -> dict[str, list[dict[str, Any]]]:
    """The project's table rows as parsed by the loader, per table, in file order.

    The financing sheet shows the financiers of project.yaml when there is no financing table.
    """
    assert project.folder is not None
    out: dict[str, list[dict[str, Any]]] = {}
    for table, columns in table_columns().items():
        path = find_table(project.folder, table)
        if path is not None:
            out[table] = read_table(path, columns, ProblemCollector())
    if "financing" not in out and project.financiers:
        out["financing"] = [
            {"name": f.name, "kind": f.kind, "amount": f.amount, "in_kind": f.in_kind, "data_status": f.data_status, "note": f.note,
             "basis": f.basis}
            for f in project.financiers
        ]
    return out


def build_workbook(project: Project, lang: Language = DEFAULT_LANGUAGE) -> Any:
    """The template workbook of ``project`` in ``lang`` (an ``openpyxl.Workbook``; see :func:`write_template`)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    guide = wb.active
    guide.title = instruction_sheet(lang)
    _instructions(guide, project, lang)
    helps = {(table, col.name): column_help(table, col.name, lang) for table, columns in table_columns().items() for col in columns}

    lists = drop_down_lists(project)
    list_ranges: dict[str, str] = {}
    lists_title = lists_sheet(lang)
    list_sheet = wb.create_sheet(lists_title)  # created now, moved last below
    for i, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(i)
        put(list_sheet, 1, i, name).font = Font(bold=True)
        for r, v in enumerate(values, start=2):
            put(list_sheet, r, i, v).number_format = "@"
        if values:
            list_ranges[name] = f"{quote_sheetname(lists_title)}!${letter}$2:${letter}${len(values) + 1}"
    list_sheet.sheet_state = "hidden"

    rows = existing_rows(project)
    sheets = sheet_names(lang)
    for table, columns in table_columns().items():
        ws = wb.create_sheet(sheets[table])
        for j, col in enumerate(columns, start=1):
            letter = get_column_letter(j)
            cell = put(ws, 1, j, col.name)
            cell.font = Font(bold=True)
            note = text(lang, "{column}: {help}\nRequired: {requirement}.", column=col.name, help=helps[(table, col.name)],
                        requirement=_requirement(col, lang))
            comment = Comment(note, "evaluation")
            comment.width, comment.height = 320, 140
            cell.comment = comment
            ws.column_dimensions[letter].width = max(12, min(40, len(col.name) + 4))
            if not _is_number(col) and col.parse is not _answer_parser():
                ws.column_dimensions[letter].number_format = "@"  # typed dates and ids stay text
            list_name = _list_name(table, col.name)
            if list_name is not None and list_name in list_ranges:
                dv = DataValidation(type="list", formula1=list_ranges[list_name], allow_blank=True,
                                    showErrorMessage=True, errorTitle=text(lang, "Invalid value"),
                                    error=text(lang, "Pick a value from the list ({column}).", column=col.name),
                                    promptTitle=col.name, prompt=helps[(table, col.name)][:255], showInputMessage=True)
                dv.add(f"{letter}2:{letter}1048576")
                ws.add_data_validation(dv)
        for i, row in enumerate(rows.get(table, []), start=2):
            for j, col in enumerate(columns, start=1):
                value = _cell_value(row.get(col.name))
                cell = put(ws, i, j, value)
                if not _is_number(col) and col.parse is not _answer_parser():
                    cell.number_format = "@"
        ws.freeze_panes = "A2"
    wb.move_sheet(list_sheet, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(lists_title))
    wb.active = 0
    stamp = datetime.combine(project.start, time())
    wb.properties.creator = "evaluation"
    wb.properties.lastModifiedBy = "evaluation"
    wb.properties.title = text(lang, "Data template {id}", id=project.id)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    return wb


def _instructions(ws: Any, project: Project, lang: Language) -> None:
    from openpyxl.styles import Alignment, Font

    wrap = Alignment(wrap_text=True, vertical="top")
    sheets = sheet_names(lang)
    name, unit = ptext(lang, "workbook heading", "Name"), ptext(lang, "workbook heading", "Unit")
    rows: list[tuple[Sequence[Any], str]] = []  # (cells, style: title|heading|header|text)
    rows.append(([text(lang, "Data template for the evaluation of {name} ({id})", name=project.name, id=project.id)], "title"))
    rows.append(([], "text"))
    rows.append(([ptext(lang, "workbook heading", "How to fill it in")], "heading"))
    for i, instruction in enumerate(general_instructions(project.id, lang), start=1):
        rows.append(([f"{i}.", instruction], "text"))
    if project.financiers and project.folder is not None and find_table(project.folder, "financing") is None:
        rows.append((["", text(lang, "The financiers are in the project's project.yaml today and are shown on the sheet "
                                     "{sheet} for information. Do not change them there; tell the evaluator instead.",
                               sheet=sheets["financing"])], "text"))
    rows.append(([], "text"))
    rows.append(([ptext(lang, "workbook heading", "Sheets")], "heading"))
    rows.append(([ptext(lang, "workbook heading", "Sheet"), ptext(lang, "workbook heading", "Table (file)"),
                  ptext(lang, "workbook heading", "Contents")], "header"))
    for table, purpose in purposes(lang).items():
        rows.append(([sheets[table], f"{table}.csv", purpose], "text"))
    rows.append(([], "text"))
    rows.append(([ptext(lang, "workbook heading", "Columns")], "heading"))
    rows.append(([ptext(lang, "workbook heading", "Sheet"), ptext(lang, "workbook heading", "Column"),
                  ptext(lang, "workbook heading", "Required"), ptext(lang, "workbook heading", "What and in which unit")], "header"))
    for table, columns in table_columns().items():
        for col in columns:
            rows.append(([sheets[table], col.name, _requirement(col, lang), column_help(table, col.name, lang)], "text"))
    rows.append(([], "text"))
    rows.append(([ptext(lang, "workbook heading", "The project's indicators")], "heading"))
    rows.append((["id", name, unit, ptext(lang, "workbook heading", "Target"), ptext(lang, "workbook heading", "What to enter")],
                 "header"))
    for ind in project.indicators:
        target = "" if ind.target_value is None else _cell_value(ind.target_value)
        rows.append(([ind.id, ind.name, ind.unit or "", target, _what_to_enter(ind.aggregation, lang)], "text"))
    rows.append(([], "text"))
    rows.append(([ptext(lang, "workbook heading", "The project's activities (the goal tree)")], "heading"))
    rows.append((["id", ptext(lang, "workbook heading", "Activity"), ptext(lang, "workbook heading", "Work package")], "header"))
    for node in project.goal_tree.by_level("activity"):
        rows.append(([node.id, node.statement, node.work_package or ""], "text"))
    if project.work_packages:
        rows.append(([], "text"))
        rows.append(([ptext(lang, "workbook heading", "Work packages")], "heading"))
        rows.append((["id", name], "header"))
        for wp in project.work_packages:
            rows.append(([wp.id, wp.name], "text"))
    for r, (cells, style) in enumerate(rows, start=1):
        for c, value in enumerate(cells, start=1):
            cell = put(ws, r, c, value)
            cell.alignment = wrap
            if style == "title":
                cell.font = Font(bold=True, size=14)
            elif style in ("heading", "header"):
                cell.font = Font(bold=True, size=12 if style == "heading" else 11)
    for letter, width in (("A", 22), ("B", 30), ("C", 24), ("D", 90), ("E", 60)):
        ws.column_dimensions[letter].width = width


_MODIFIED_RE = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def workbook_bytes(project: Project, lang: Language = DEFAULT_LANGUAGE) -> bytes:
    """The template of ``project`` in ``lang`` as .xlsx bytes; the same project always gives the same bytes.

    openpyxl stamps the save time into docProps/core.xml and into the zip entries; both are
    replaced with the project's start date.
    """
    wb = build_workbook(project, lang)
    raw = io.BytesIO()
    wb.save(raw)
    stamp = datetime.combine(max(project.start, date(1980, 1, 1)), time())
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED_RE.sub(rb"\g<1>" + iso + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)
    return out.getvalue()


def default_template_path(project: str) -> Path:
    """Where ``evaluation template`` writes without ``-o``: ``reports/<id>/<id>_datamall.xlsx``."""
    return paths.reports_dir() / project / f"{project}_datamall.xlsx"


def write_template(project: str, out: Path | None = None, lang: Language = DEFAULT_LANGUAGE) -> Path:
    """Write the template workbook of ``project`` (validated first) in ``lang`` to ``out``; return the path."""
    from evaluation.io.loader import load_project

    check_project_id(project)
    loaded = load_project(project)
    target = Path(out) if out is not None else default_template_path(project)
    if target.suffix.lower() != ".xlsx":
        raise InputError([Problem("the command line", "-o", "a file name ending in .xlsx", str(out))])
    write_atomically({target: workbook_bytes(loaded, lang)})
    return target


# ----------------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class ImportedTable:
    """One table written by :func:`import_workbook`."""

    table: str
    sheet: str
    path: Path
    rows: int


@dataclass(frozen=True)
class _Sheet:
    table: str
    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (spreadsheet row, texts)


def cell_text(value: Any) -> str:
    """An Excel cell value as the text a CSV cell would hold (what the table parsers read)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _read_sheet(sheet: SheetCells, table: str, label: str, problems: ProblemCollector) -> _Sheet:
    """The header (row 1) and the rows holding values of a sheet, as text."""
    from openpyxl.utils import get_column_letter

    texts = {number: [cell_text(v) for v in values] for number, values in sheet.rows}
    header = [h.strip() for h in texts.get(1, [])]
    body = sorted((number, row) for number, row in texts.items() if number > 1)
    width = max([len(header), *(len(row) for _, row in body)])
    used = [j for j in range(width) if (j < len(header) and header[j]) or any(j < len(r) and r[j].strip() for _, r in body)]
    for j in used:
        if j >= len(header) or not header[j]:
            problems.add(label, f"column {get_column_letter(j + 1)}", "a column name in row 1 (or no values below it)", "", row=1)
    keep = [j for j in used if j < len(header) and header[j]]
    rows = []
    for i, row in body:
        cells = tuple(row[j] if j < len(row) else "" for j in keep)
        if any(t.strip() for t in cells):
            rows.append((i, cells))
    return _Sheet(table, sheet.title, tuple(header[j] for j in keep), tuple(rows))


def _same_financiers(sheet: _Sheet, project: Project | None) -> bool:
    """True when the financing sheet repeats exactly the financiers of project.yaml."""
    from evaluation.core.model import Financier

    if project is None or project.folder is None or not project.financiers:
        return False
    if find_table(project.folder, "financing") is not None:
        return False
    columns = table_columns()["financing"]
    found = []
    for _, texts in sheet.rows:
        record = dict(zip(sheet.header, texts))
        values: dict[str, Any] = {}
        for col in columns:
            text = record.get(col.name, "").strip()
            try:
                values[col.name] = col.parse(text) if text else col.default
            except ValueError:
                return False
        found.append(Financier(values["name"], values["kind"], values["amount"], values["in_kind"],
                               values["data_status"], values["note"] or "", values["basis"]))
    return tuple(found) == project.financiers


def import_workbook(project: str, workbook: Path | str) -> tuple[ImportedTable, ...]:
    """Check ``workbook`` against the project and write its tables as CSV into ``data/<project>/``.

    Every problem (in any sheet, or in project.yaml) is collected and raised once as an
    :class:`InputError`; sheet problems name the file as ``<workbook>[<sheet>]`` with the
    spreadsheet row. Nothing is written unless there is no problem. A sheet without data rows is
    skipped (an error if the project's table has rows: a table is never emptied by accident);
    a financing sheet that repeats the financiers of project.yaml is skipped too.
    """
    from evaluation.io.loader import load_project, project_folder

    check_project_id(project)
    folder = project_folder(project)
    book = Path(workbook)
    shown = shown_path(book)
    problems = ProblemCollector()
    expectation = "a readable Excel workbook (.xlsx)"
    data = read_bytes(book, shown, LIMITS.table_bytes, problems, expectation)
    problems.raise_if_any(InputError)
    assert data is not None
    found: list[str] = []

    def guides(titles: Sequence[str]) -> tuple[str, ...]:
        found.extend(titles)
        lang = _workbook_language(titles)
        return instruction_sheet(lang), lists_sheet(lang)

    read = read_sheets(data, shown, problems, skip=guides, expectation=expectation)
    problems.raise_if_any(InputError)
    assert read is not None
    lang = _workbook_language(found)
    try:
        current: Project | None = load_project(folder)
    except InputError:
        current = finance_sheets.yaml_only(folder)  # the staged load below reports the project's own problems

    sheets: list[_Sheet] = []
    tables = {sheet: table for table, sheet in sheet_names(lang).items()}
    for cells in read:
        label = f"{shown}[{cells.title}]"
        if cells.title not in tables:
            problems.add(shown, "sheet", "one of the template's sheets (" + ", ".join(tables) + ")", cells.title)
            continue
        sheets.append(_read_sheet(cells, tables[cells.title], label, problems))

    to_write: list[_Sheet] = []
    for sheet in sheets:
        label = f"{shown}[{sheet.name}]"
        existing = find_table(folder, sheet.table)
        if not sheet.rows:
            if existing is not None:
                n = len(read_table(existing, table_columns()[sheet.table], ProblemCollector()))
                if n:
                    problems.add(label, "rows", f"the rows of the table ({shown_path(existing)} has {n}; "
                                                "to remove a table, delete that file)", "no rows", row=2)
            continue
        if sheet.table == "financing" and _same_financiers(sheet, current):
            continue
        if existing is not None and existing.suffix != ".csv":
            problems.add(shown_path(existing), "file", f"moved away first: import writes {sheet.table}.csv, "
                                                               "which would hide it", existing.name)
        to_write.append(sheet)

    contents = {s.table: csv_bytes(s.header, [texts for _, texts in s.rows]) for s in to_write}
    with tempfile.TemporaryDirectory(prefix="evaluation-import-") as tmp:
        stage = Path(tmp) / folder.name
        stage.mkdir()
        for item in folder.iterdir():
            if item.is_file():
                shutil.copy2(item, stage / item.name)
            elif item.is_dir() and item.name == "assessments":  # the evaluator's files are checked against the new data
                shutil.copytree(item, stage / item.name)
        for table, data in contents.items():
            for suffix in (".csv", ".xlsx"):
                (stage / f"{table}{suffix}").unlink(missing_ok=True)
            (stage / f"{table}.csv").write_bytes(data)
        where: dict[str, tuple[str, dict[int, int]]] = {
            shown_path(stage): (shown_path(folder), {}),
        }
        for item in stage.iterdir():
            where[shown_path(item)] = (shown_path(folder / item.name), {})
        for sheet in to_write:
            rowmap = {1: 1, **{k: excel_row for k, (excel_row, _) in enumerate(sheet.rows, start=2)}}
            where[shown_path(stage / f"{sheet.table}.csv")] = (f"{shown}[{sheet.name}]", rowmap)
        try:
            load_project(stage)
        except InputError as err:
            problems.extend(_relocate(err.problems, where))
    problems.raise_if_any(InputError)

    targets = {folder / f"{table}.csv": data for table, data in contents.items()}
    write_atomically(targets)
    return tuple(ImportedTable(s.table, s.name, folder / f"{s.table}.csv", len(s.rows)) for s in to_write)


def _workbook_language(sheets: Collection[str]) -> Language:
    """The language a template was written in, told by the name of its instruction sheet (default: Swedish)."""
    if instruction_sheet(DEFAULT_LANGUAGE) in sheets:
        return DEFAULT_LANGUAGE
    return next((lang for lang in languages() if instruction_sheet(lang) in sheets), DEFAULT_LANGUAGE)


def _relocate(problems: Iterable[Problem], where: Mapping[str, tuple[str, dict[int, int]]]) -> list[Problem]:
    """Problems found in the staged copy, renamed to the workbook's sheets and rows (or the real files)."""
    out = []
    for p in problems:
        if p.file in where:
            file, rowmap = where[p.file]
            row = rowmap.get(p.row, p.row) if p.row is not None else None
            p = Problem(file, p.field, p.expectation, p.got, row)
        out.append(p)
    return out


# ----------------------------------------------------------------------------------- command line


def _cmd_template(args: argparse.Namespace) -> int:
    path = write_template(args.project, args.output)
    print(f"wrote {shown_path(path)}")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    written = import_workbook(args.project, args.workbook)
    for item in written:
        print(f"wrote {shown_path(item.path)} ({item.rows} rows from sheet {item.sheet})")
    if not written:
        print("nothing to import: every sheet is empty or repeats project.yaml")
    return 0


def add_cli(subparsers: Any) -> None:
    """Register ``evaluation template PROJECT [-o FILE]`` and ``evaluation import PROJECT WORKBOOK``."""
    p = subparsers.add_parser(
        "template",
        help="write an Excel data-entry template for a project team",
        description=("Write an Excel workbook for the project team: an instruction sheet in Swedish, then one sheet "
                     "per table (" + ", ".join(f"{s} = {t}" for t, s in TABLE_SHEETS.items()) + "), with the "
                     "column names in row 1, help on each header, drop-down lists for closed sets and the "
                     "project's existing data filled in. The same project always gives the same file."),
        epilog=("example:\n"
                "  evaluation template nis60 -o nis60_datamall.xlsx\n"
                "  (send the file to the project team; read it back with: evaluation import nis60 nis60_datamall.xlsx)"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("project", metavar="PROJECT", help="project id (e.g. nis60)")
    p.add_argument("-o", "--output", metavar="FILE", type=Path, default=None,
                   help="the workbook to write (default: reports/<id>/<id>_datamall.xlsx)")
    p.set_defaults(func=_cmd_template)

    p = subparsers.add_parser(
        "import",
        help="check a filled-in template and write its tables into data/<id>/",
        description=("Read a workbook written by `evaluation template`, check every sheet with the same rules as "
                     "`evaluation validate` (each problem named with sheet and row) and, only if there is no "
                     "problem, write the sheets' tables as CSV into data/<id>/ (all or nothing). Empty sheets "
                     "are skipped."),
        epilog="example:\n  evaluation import nis60 nis60_datamall.xlsx\n  evaluation validate nis60",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("project", metavar="PROJECT", help="project id (e.g. nis60)")
    p.add_argument("workbook", metavar="WORKBOOK", type=Path, help="the filled-in workbook (.xlsx)")
    p.set_defaults(func=_cmd_import)
