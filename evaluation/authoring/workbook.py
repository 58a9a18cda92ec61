"""An Excel data-entry template for a project team, and reading it back.

``evaluation template <id>`` writes a workbook: an instruction sheet in Swedish
(``Instruktioner``) and one sheet per table of the project folder (:data:`TABLE_SHEETS`),
headed by the table's column names (row 1, frozen, bold, help and units as cell comments), with
drop-down lists for closed sets and the project's existing data filled in. The same project
always gives the same bytes.

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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, get_args

from evaluation.authoring.scaffold import check_project_id, csv_bytes
from evaluation.core import paths
from evaluation.core.errors import InputError, Problem, ProblemCollector
from evaluation.core.model import DataStatus, FinancierKind, Project, ValueStatus
from evaluation.io.atomic import write_atomically
from evaluation.io.tables import Column, find_table, parse_float, parse_int, read_table

INSTRUCTION_SHEET = "Instruktioner"
LISTS_SHEET = "Listor"
"""A hidden sheet holding the values of the drop-down lists."""

TABLE_SHEETS: dict[str, str] = {
    "indicator_values": "Indikatorvärden",
    "activities": "Aktiviteter",
    "participation": "Deltagande företag",
    "firms": "Företagsdata",
    "survey": "Enkätsvar",
    "survey_invited": "Enkät inbjudna",
    "costs": "Budget",
    "financing": "Finansiering",
    "funnel": "Tratt",
}
"""Table name (the CSV file ``data/<id>/<table>.csv``) -> sheet name, in sheet order."""

SHEET_TABLES: dict[str, str] = {sheet: table for table, sheet in TABLE_SHEETS.items()}

YES, NO = "ja", "nej"

PURPOSES: dict[str, str] = {
    "indicator_values": "Indikatorernas uppföljningsvärden: en rad per indikator och period.",
    "activities": "Genomförda aktiviteter och deltagare: en rad per aktivitet och period.",
    "participation": "Vilka företag som deltagit i vilka aktiviteter: en rad per företag och aktivitet "
                     "(varje företag räknas en gång i rapporten).",
    "firms": "Företagens anställda, omsättning m.m. år för år: en rad per företag och år. "
             "Jämförelseföretag som inte deltagit har participant = nej.",
    "survey": "Enkätsvar: en rad per svarande och fråga.",
    "survey_invited": "Hur många som bjöds in till varje enkätomgång: en rad per omgång.",
    "costs": "Budget och utfall per kostnadsslag: en rad per kostnadsslag (och arbetspaket).",
    "financing": "Finansiärer och belopp: en rad per finansiär.",
    "funnel": "Urvalstratten: hur många som gick vidare i varje steg (t.ex. kontaktade, intresserade, deltog).",
}
"""What each table is for (instruction sheet)."""

_DATA_STATUS = ("published (publicerat/faktiskt värde), estimated (uppskattat) eller illustrative "
                "(påhittat exempel). Tomt = published.")
_PERIOD_END = "Periodens sista dag, ÅÅÅÅ-MM-DD (ÅÅÅÅ-MM = månadens sista dag, ÅÅÅÅ = 31 december)."
_PERIOD_START = "Periodens första dag, ÅÅÅÅ-MM-DD (frivilligt)."
_GENDER = {"women": "kvinnor", "men": "män", "non_binary": "icke-binära"}
_SIZES = {"micro": "mikroföretag (0–9 anställda)", "small": "små företag (10–49 anställda)",
          "medium": "medelstora företag (50–249 anställda)", "large": "stora företag (250 anställda eller fler)"}

HELP: dict[tuple[str, str], str] = {
    ("indicator_values", "indicator"): "Indikatorns id i project.yaml (välj i listan; indikatorerna står på fliken Instruktioner).",
    ("indicator_values", "period_end"): _PERIOD_END,
    ("indicator_values", "value"): "Värdet i indikatorns enhet (se fliken Instruktioner). Kumulativa indikatorer: summan från "
                                   "projektstart. Tomt = inte redovisat (status not_reported), aldrig 0.",
    ("indicator_values", "status"): "preliminary (preliminärt), verified (kontrollerat) eller not_reported (inte redovisat; "
                                    "då ska value vara tomt).",
    ("indicator_values", "source"): "Varifrån värdet kommer: källans id i project.yaml eller dokumentets namn.",
    ("indicator_values", "period_start"): _PERIOD_START,
    **{("indicator_values", k): f"Varav {v}, i samma enhet som value. Tomt = inte redovisat." for k, v in _GENDER.items()},
    **{("indicator_values", k): f"Varav {v}, i samma enhet som value. Tomt = inte redovisat." for k, v in _SIZES.items()},
    ("indicator_values", "note"): "Anteckning (fri text, frivilligt).",
    ("activities", "activity"): "Aktivitetens id i målträdet (välj i listan; aktiviteterna står på fliken Instruktioner).",
    ("activities", "period_end"): _PERIOD_END,
    ("activities", "count"): "Antal genomförda tillfällen under perioden (träffar, besök, utbildningar ...). "
                             "Tomt = inte redovisat.",
    ("activities", "participants"): "Antal deltagare (personer) under perioden. Tomt = inte redovisat.",
    **{("activities", k): f"Varav {v} (personer). Tomt = inte redovisat." for k, v in _GENDER.items()},
    ("activities", "period_start"): _PERIOD_START,
    ("activities", "description"): "Beskrivning (fri text, frivilligt).",
    ("activities", "source"): "Källa (dokumentets namn eller källans id i project.yaml, frivilligt).",
    ("participation", "activity"): "Aktivitetens id i målträdet (välj i listan).",
    ("participation", "firm_id"): "Företagets id, samma som på fliken Företagsdata (t.ex. f001).",
    ("participation", "period_end"): "Datum då företaget deltog eller periodens sista dag, ÅÅÅÅ-MM-DD (frivilligt).",
    ("firms", "firm_id"): "Företagets id, detsamma alla år (t.ex. f001).",
    ("firms", "name"): "Företagets namn (frivilligt).",
    ("firms", "year"): "Året raden gäller (ÅÅÅÅ); en rad per företag och år.",
    ("firms", "period_label"): "Periodens namn i rapporten, t.ex. okt-22 (frivilligt; tomt = året).",
    ("firms", "employees"): "Antal anställda (helårsekvivalenter; decimaler går bra). Tomt = inte redovisat.",
    ("firms", "turnover"): "Omsättning i kronor (frivilligt).",
    ("firms", "value_added"): "Förädlingsvärde i kronor (frivilligt).",
    ("firms", "participant"): "ja = företaget deltar i projektet, nej = jämförelseföretag.",
    ("firms", "participation_start"): "Året då företaget började delta (ÅÅÅÅ, frivilligt).",
    ("firms", "women_led"): "ja/nej: leds eller ägs företaget av kvinnor? (frivilligt)",
    ("firms", "published_change"): "Förändring i antal anställda som en rapport publicerat (frivilligt).",
    ("survey", "wave"): "Enkätomgång, t.ex. 2025 (samma som på fliken Enkät inbjudna).",
    ("survey", "respondent"): "Den svarandes id (anonymt, t.ex. r001); samma för alla frågor.",
    ("survey", "item"): "Påståendet eller frågan, ordagrant lika för alla svarande.",
    ("survey", "answer"): "Svaret: 1–5 (1 = instämmer inte alls, 5 = instämmer helt) eller en svarskategori. "
                          "Tomt = inget svar på frågan.",
    ("survey", "group"): "Grupp för jämförelser, t.ex. Kvinna eller Man (frivilligt).",
    ("survey_invited", "wave"): "Enkätomgång, t.ex. 2025.",
    ("survey_invited", "invited"): "Antal personer som bjöds in att svara (heltal).",
    ("costs", "category"): "Kostnadsslag, t.ex. Personal, Externa tjänster, Resor.",
    ("costs", "budget"): "Budgeterat belopp i kronor. Tomt = inte redovisat.",
    ("costs", "outcome"): "Utfall hittills i kronor. Tomt = inte redovisat.",
    ("costs", "work_package"): "Arbetspaketets id (välj i listan; frivilligt).",
    ("financing", "name"): "Finansiärens namn, t.ex. Tillväxtverket.",
    ("financing", "kind"): "eu, state (staten), region, municipality (kommun), private (privat) eller other (annat).",
    ("financing", "amount"): "Belopp i kronor. Tomt = inte redovisat.",
    ("financing", "in_kind"): "ja = bidrag i form av arbetstid eller annat än pengar; nej = pengar. Tomt = nej.",
    ("financing", "note"): "Anteckning (fri text, frivilligt).",
    ("funnel", "order"): "Stegets ordning: 1, 2, 3 ...",
    ("funnel", "stage"): "Stegets namn, t.ex. Kontaktade företag.",
    ("funnel", "count"): "Antal i steget. Tomt = inte redovisat.",
}
"""Help for every column (header comments and instruction sheet); data_status is shared."""

GENERAL_INSTRUCTIONS: tuple[str, ...] = (
    "Varje flik är en tabell. Rad 1 är rubrikraden: ändra inte rubrikerna, lägg inte till någon "
    "andra rubrikrad och byt inte namn på flikarna. Skriv en post per rad från rad 2.",
    "Håll muspekaren över en rubrik för att se vad kolumnen ska innehålla och i vilken enhet. "
    "Samma hjälp finns i tabellen längre ned.",
    "En tom cell betyder \"inte redovisat\". Skriv aldrig 0 för något som inte är känt: 0 betyder noll.",
    "Tal: decimalkomma går bra (2,5), liksom mellanslag mellan tusental (1 234 567). Skriv inga enheter "
    "eller procenttecken i talcellerna; beloppen är i kronor.",
    "Datum skrivs ÅÅÅÅ-MM-DD, till exempel 2024-06-30. ÅÅÅÅ-MM betyder månadens sista dag och ÅÅÅÅ 31 december.",
    "Kolumner med en rullgardinslista (indikator, aktivitet, arbetspaket, status, data_status, ja/nej, "
    "finansiärstyp) tar bara värdena i listan.",
    "Projektets befintliga uppgifter är redan ifyllda: rätta, komplettera och lägg till rader. Töm inte "
    "en flik som har uppgifter; vill ni ta bort en hel tabell, hör av er till utvärderaren.",
    "data_status: published = publicerat eller faktiskt värde (standard), estimated = uppskattat, "
    "illustrative = påhittat exempel (visas med en varning i rapporten).",
    "Spara som .xlsx och skicka filen till utvärderaren, som läser in den med kommandot "
    "evaluation import {id} <fil>.xlsx. Alla fel listas på en gång med flik och rad.",
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
    }
    return {table: specs[table] for table in TABLE_SHEETS}


def column_help(table: str, column: str) -> str:
    """The Swedish help text of a column."""
    if column == "data_status":
        return _DATA_STATUS
    return HELP.get((table, column), "")


def _requirement(col: Column) -> str:
    if col.required and not col.allow_empty:
        return "ja, alltid"
    if col.required:
        return "ja (tom = inte redovisat)"
    return "nej"


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
        ("financing", "in_kind"): "yes_no",
        ("financing", "kind"): "kind",
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
            {"name": f.name, "kind": f.kind, "amount": f.amount, "in_kind": f.in_kind, "data_status": f.data_status, "note": f.note}
            for f in project.financiers
        ]
    return out


def build_workbook(project: Project) -> Any:
    """The template workbook of ``project`` (an ``openpyxl.Workbook``; see :func:`write_template`)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    guide = wb.active
    guide.title = INSTRUCTION_SHEET
    _instructions(guide, project)

    lists = drop_down_lists(project)
    list_ranges: dict[str, str] = {}
    list_sheet = wb.create_sheet(LISTS_SHEET)  # created now, moved last below
    for i, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(i)
        list_sheet.cell(row=1, column=i, value=name).font = Font(bold=True)
        for r, v in enumerate(values, start=2):
            list_sheet.cell(row=r, column=i, value=v).number_format = "@"
        if values:
            list_ranges[name] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
    list_sheet.sheet_state = "hidden"

    rows = existing_rows(project)
    for table, columns in table_columns().items():
        ws = wb.create_sheet(TABLE_SHEETS[table])
        for j, col in enumerate(columns, start=1):
            letter = get_column_letter(j)
            cell = ws.cell(row=1, column=j, value=col.name)
            cell.font = Font(bold=True)
            text = f"{col.name}: {column_help(table, col.name)}\nObligatorisk: {_requirement(col)}."
            comment = Comment(text, "evaluation")
            comment.width, comment.height = 320, 140
            cell.comment = comment
            ws.column_dimensions[letter].width = max(12, min(40, len(col.name) + 4))
            if not _is_number(col) and col.parse is not _answer_parser():
                ws.column_dimensions[letter].number_format = "@"  # typed dates and ids stay text
            list_name = _list_name(table, col.name)
            if list_name is not None and list_name in list_ranges:
                dv = DataValidation(type="list", formula1=list_ranges[list_name], allow_blank=True,
                                    showErrorMessage=True, errorTitle="Ogiltigt värde",
                                    error=f"Välj ett värde i listan ({col.name}).",
                                    promptTitle=col.name, prompt=column_help(table, col.name)[:255], showInputMessage=True)
                dv.add(f"{letter}2:{letter}1048576")
                ws.add_data_validation(dv)
        for i, row in enumerate(rows.get(table, []), start=2):
            for j, col in enumerate(columns, start=1):
                value = _cell_value(row.get(col.name))
                cell = ws.cell(row=i, column=j, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, even when it starts with '='
                if not _is_number(col) and col.parse is not _answer_parser():
                    cell.number_format = "@"
        ws.freeze_panes = "A2"
    wb.move_sheet(list_sheet, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(LISTS_SHEET))
    wb.active = 0
    stamp = datetime.combine(project.start, time())
    wb.properties.creator = "evaluation"
    wb.properties.lastModifiedBy = "evaluation"
    wb.properties.title = f"Datamall {project.id}"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    return wb


def _instructions(ws: Any, project: Project) -> None:
    from openpyxl.styles import Alignment, Font

    wrap = Alignment(wrap_text=True, vertical="top")
    rows: list[tuple[Sequence[Any], str]] = []  # (cells, style: title|heading|header|text)
    rows.append(([f"Datamall för utvärderingen av {project.name} ({project.id})"], "title"))
    rows.append(([], "text"))
    rows.append((["Så fyller ni i"], "heading"))
    for i, text in enumerate(GENERAL_INSTRUCTIONS, start=1):
        rows.append(([f"{i}.", text.format(id=project.id)], "text"))
    if project.financiers and project.folder is not None and find_table(project.folder, "financing") is None:
        rows.append((["", "Finansiärerna står i dag i projektets project.yaml och visas på fliken Finansiering för "
                          "kännedom. Ändra dem inte där utan meddela utvärderaren."], "text"))
    rows.append(([], "text"))
    rows.append((["Flikar"], "heading"))
    rows.append((["Flik", "Tabell (fil)", "Innehåll"], "header"))
    for table, sheet in TABLE_SHEETS.items():
        rows.append(([sheet, f"{table}.csv", PURPOSES[table]], "text"))
    rows.append(([], "text"))
    rows.append((["Kolumner"], "heading"))
    rows.append((["Flik", "Kolumn", "Obligatorisk", "Vad och i vilken enhet"], "header"))
    for table, columns in table_columns().items():
        for col in columns:
            rows.append(([TABLE_SHEETS[table], col.name, _requirement(col), column_help(table, col.name)], "text"))
    rows.append(([], "text"))
    rows.append((["Projektets indikatorer"], "heading"))
    rows.append((["id", "Namn", "Enhet", "Målvärde"], "header"))
    for ind in project.indicators:
        target = "" if ind.target_value is None else _cell_value(ind.target_value)
        rows.append(([ind.id, ind.name, ind.unit or "", target], "text"))
    rows.append(([], "text"))
    rows.append((["Projektets aktiviteter (målträdet)"], "heading"))
    rows.append((["id", "Aktivitet", "Arbetspaket"], "header"))
    for node in project.goal_tree.by_level("activity"):
        rows.append(([node.id, node.statement, node.work_package or ""], "text"))
    if project.work_packages:
        rows.append(([], "text"))
        rows.append((["Arbetspaket"], "heading"))
        rows.append((["id", "Namn"], "header"))
        for wp in project.work_packages:
            rows.append(([wp.id, wp.name], "text"))
    for r, (cells, style) in enumerate(rows, start=1):
        for c, value in enumerate(cells, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            cell.alignment = wrap
            if style == "title":
                cell.font = Font(bold=True, size=14)
            elif style in ("heading", "header"):
                cell.font = Font(bold=True, size=12 if style == "heading" else 11)
    for letter, width in (("A", 22), ("B", 30), ("C", 24), ("D", 90)):
        ws.column_dimensions[letter].width = width


_MODIFIED_RE = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def workbook_bytes(project: Project) -> bytes:
    """The template of ``project`` as .xlsx bytes; the same project always gives the same bytes.

    openpyxl stamps the save time into docProps/core.xml and into the zip entries; both are
    replaced with the project's start date.
    """
    wb = build_workbook(project)
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


def write_template(project: str, out: Path | None = None) -> Path:
    """Write the template workbook of ``project`` (validated first) to ``out``; return the path."""
    from evaluation.io.loader import load_project

    check_project_id(project)
    loaded = load_project(project)
    target = Path(out) if out is not None else default_template_path(project)
    if target.suffix.lower() != ".xlsx":
        raise InputError([Problem("the command line", "-o", "a file name ending in .xlsx", str(out))])
    write_atomically({target: workbook_bytes(loaded)})
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


def _read_sheet(ws: Any, table: str, label: str, problems: ProblemCollector) -> _Sheet:
    from openpyxl.utils import get_column_letter

    grid = [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    header = [h.strip() for h in grid[0]] if grid else []
    width = len(header)
    for row in grid[1:]:
        width = max(width, len(row))
    used = [j for j in range(width) if (j < len(header) and header[j]) or any(j < len(r) and r[j].strip() for r in grid[1:])]
    for j in used:
        if j >= len(header) or not header[j]:
            problems.add(label, f"column {get_column_letter(j + 1)}", "a column name in row 1 (or no values below it)", "", row=1)
    keep = [j for j in used if j < len(header) and header[j]]
    rows = []
    for i, row in enumerate(grid[1:], start=2):
        texts = tuple(row[j] if j < len(row) else "" for j in keep)
        if any(t.strip() for t in texts):
            rows.append((i, texts))
    return _Sheet(table, ws.title, tuple(header[j] for j in keep), tuple(rows))


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
                               values["data_status"], values["note"] or ""))
    return tuple(found) == project.financiers


def import_workbook(project: str, workbook: Path | str) -> tuple[ImportedTable, ...]:
    """Check ``workbook`` against the project and write its tables as CSV into ``data/<project>/``.

    Every problem (in any sheet, or in project.yaml) is collected and raised once as an
    :class:`InputError`; sheet problems name the file as ``<workbook>[<sheet>]`` with the
    spreadsheet row. Nothing is written unless there is no problem. A sheet without data rows is
    skipped (an error if the project's table has rows: a table is never emptied by accident);
    a financing sheet that repeats the financiers of project.yaml is skipped too.
    """
    from openpyxl import load_workbook

    from evaluation.io.loader import load_project, project_folder

    check_project_id(project)
    folder = project_folder(project)
    book = Path(workbook)
    shown = paths.display_path(book)
    try:
        wb = load_workbook(book, data_only=True)
    except Exception as exc:  # not a file, not a workbook, damaged: one problem
        raise InputError([Problem(shown, "file", "a readable Excel workbook (.xlsx)", f"{type(exc).__name__}: {exc}")]) from None
    try:
        current: Project | None = load_project(folder)
    except InputError:
        current = None  # the staged load below reports the project's own problems

    problems = ProblemCollector()
    sheets: list[_Sheet] = []
    for ws in wb.worksheets:
        if ws.title in (INSTRUCTION_SHEET, LISTS_SHEET):
            continue
        label = f"{shown}[{ws.title}]"
        if ws.title not in SHEET_TABLES:
            problems.add(shown, "sheet", "one of the template's sheets (" + ", ".join(TABLE_SHEETS.values()) + ")", ws.title)
            continue
        sheets.append(_read_sheet(ws, SHEET_TABLES[ws.title], label, problems))

    to_write: list[_Sheet] = []
    for sheet in sheets:
        label = f"{shown}[{sheet.name}]"
        existing = find_table(folder, sheet.table)
        if not sheet.rows:
            if existing is not None:
                n = len(read_table(existing, table_columns()[sheet.table], ProblemCollector()))
                if n:
                    problems.add(label, "rows", f"the rows of the table ({paths.display_path(existing)} has {n}; "
                                                "to remove a table, delete that file)", "no rows", row=2)
            continue
        if sheet.table == "financing" and _same_financiers(sheet, current):
            continue
        if existing is not None and existing.suffix != ".csv":
            problems.add(paths.display_path(existing), "file", f"moved away first: import writes {sheet.table}.csv, "
                                                               "which would hide it", existing.name)
        to_write.append(sheet)

    contents = {s.table: csv_bytes(s.header, [texts for _, texts in s.rows]) for s in to_write}
    with tempfile.TemporaryDirectory(prefix="evaluation-import-") as tmp:
        stage = Path(tmp) / folder.name
        stage.mkdir()
        for item in folder.iterdir():
            if item.is_file():
                shutil.copy2(item, stage / item.name)
        for table, data in contents.items():
            for suffix in (".csv", ".xlsx"):
                (stage / f"{table}{suffix}").unlink(missing_ok=True)
            (stage / f"{table}.csv").write_bytes(data)
        where: dict[str, tuple[str, dict[int, int]]] = {
            paths.display_path(stage): (paths.display_path(folder), {}),
        }
        for item in stage.iterdir():
            where[paths.display_path(item)] = (paths.display_path(folder / item.name), {})
        for sheet in to_write:
            rowmap = {1: 1, **{k: excel_row for k, (excel_row, _) in enumerate(sheet.rows, start=2)}}
            where[paths.display_path(stage / f"{sheet.table}.csv")] = (f"{shown}[{sheet.name}]", rowmap)
        try:
            load_project(stage)
        except InputError as err:
            problems.extend(_relocate(err.problems, where))
    problems.raise_if_any(InputError)

    targets = {folder / f"{table}.csv": data for table, data in contents.items()}
    write_atomically(targets)
    return tuple(ImportedTable(s.table, s.name, folder / f"{s.table}.csv", len(s.rows)) for s in to_write)


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
    print(f"wrote {paths.display_path(path)}")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    written = import_workbook(args.project, args.workbook)
    for item in written:
        print(f"wrote {paths.display_path(item.path)} ({item.rows} rows from sheet {item.sheet})")
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
