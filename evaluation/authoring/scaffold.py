"""``evaluation new <id>``: a new project folder that validates as it stands.

Writes ``data/<id>/project.yaml`` with every key present and explained in Swedish and English
(what it is, the allowed values, an example), header-only tables for what a project team
reports (``indicator_values``, ``costs``, ``activities``, ``financing``) and
``params/<id>_midterm.yaml`` and ``params/<id>_final.yaml`` with every parameter explained.
Placeholders to replace are marked ``ÄNDRA/CHANGE``. Nothing is overwritten without ``force``;
files are written all or none (:func:`write_atomically`), and only under ``data/`` and ``params/``.
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
from evaluation.core.errors import InputError, Problem, ProblemCollector
from evaluation.core.model import Fund
from evaluation.io.atomic import write_atomically
from evaluation.io.schema import PROJECT_ID_PATTERN
from evaluation.io.tables import month_end

COMMAND_LINE = "the command line"
"""What messages call the source of a command-line argument."""

EMPTY_TABLES: tuple[str, ...] = ("indicator_values", "costs", "activities", "financing")
"""Tables written header-only by ``new``. Not ``firms``, ``participation`` or ``survey``: an
empty one of those would read as "there are firm (survey) data" while there are none."""

PLACEHOLDER = "ÄNDRA/CHANGE"
"""Marks every placeholder text of a new project.yaml (search for it)."""


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


_PROJECT_YAML = """\
# =============================================================================================
# project.yaml för projektet {id} – skapad av `evaluation new` / created by `evaluation new`.
#
# SV: Varje nyckel förklaras nedan: vad den är, tillåtna värden och ett exempel. Platshållare
#     som ska bytas ut är märkta {placeholder}. Tomt eller null betyder "inte redovisat",
#     aldrig noll. Kontrollera filen med:  evaluation validate {id}
# EN: Every key is explained below: what it is, the allowed values and an example. Placeholders
#     to replace are marked {placeholder}. Empty or null means "not reported", never zero.
#     Check the file with:  evaluation validate {id}
#
# Tabeller bredvid filen / tables next to this file: indicator_values, costs, activities,
# financing (tomma, med rubrikrad / empty, header only) – fyll dem direkt eller via Excel-mallen
# (fill them directly or through the Excel template):  evaluation template {id}
# =============================================================================================

# SV: Projektets id; samma som mappens namn data/{id}/. / EN: The project id; equals the folder name.
# Tillåtet / allowed: en liten bokstav, sedan små bokstäver, siffror, _ / a lower-case letter,
# then lower-case letters, digits, _.  Exempel / example: nis60
id: {id}

# SV: Projektets fullständiga namn. / EN: The project's full name.
# Exempel / example: Näringsliv i samverkan NIS 6.0
name: {name}

# SV: Kort namn i diagram och tabeller (tomt = name). / EN: Short name for charts and tables (empty = name).
# Exempel / example: NIS 6.0
short_name: ""

# SV: Huvudsaklig finansieringskälla. / EN: Main fund.
# Tillåtet / allowed: {funds}.  Exempel / example: ERUF
fund: {fund}

# SV: Program eller finansieringsform. / EN: Programme or financing scheme.
# Exempel / example: Regionalfondsprogram för Mellersta Norrland 2021–2027
programme: {programme}

# SV: Projektägare; null = inte redovisat. / EN: Project owner; null = not reported.
# Exempel / example: Region Västernorrland
owner: null

# SV: Län eller område. / EN: County or area.  Exempel / example: Västerbotten
region: ""

# SV: Projektperiod, datum skrivna ÅÅÅÅ-MM-DD. / EN: Project period, dates written YYYY-MM-DD.
# Exempel / example: start: 2024-01-01, end: 2026-12-31
start: {start}
end: {end}

# SV: Om datumen är publicerade. / EN: Whether the dates are published.
# Tillåtet / allowed: published (publicerade), estimated (uppskattade), illustrative (påhittade).
dates_status: published

# SV: Listor med text: partner, kommuner, målgrupper, mål i den regionala utvecklingsstrategin.
# EN: Lists of text: partners, municipalities, target groups, regional-strategy (RUS) goals.
# Exempel / example: partners: [Almi Företagspartner Nord AB, Vindelns kommun]
partners: []
municipalities: []
target_groups: []
rus_goals: []

# SV: Utvärderingsform och utvärderare. / EN: Evaluation form and evaluator.
evaluation:
  # Tillåtet / allowed: self (självvärdering / self-evaluation), external (extern / external).
  form: external
  # SV: Utvärderarens namn eller organisation. / EN: Evaluator's name or organisation.
  # Exempel / example: Regionakademien i Umeå
  evaluator: ""

# SV: Status för projektets data som helhet. / EN: Status of the project's data as a whole.
# Tillåtet / allowed: published, estimated, illustrative (illustrative ger en synlig varning i
# rapporten / gives a visible banner in the report).
data_status: published

# SV: Dokument som siffrorna kommer från; indikatorer och tabeller hänvisar till id.
# EN: Documents the figures come from; indicators and tables cite them by id.
# Fält / fields: id (kort namn / short name), title (titel), reference (länk eller sökväg /
# link or path), note (anteckning).
sources:
  - id: src1
    title: {source_title}
    reference: ""
    note: ""

# SV: Arbetspaket. / EN: Work packages.
# Fält / fields: id, name (namn), budget (kronor; null = inte redovisat / not reported),
# data_status (published, estimated, illustrative).
work_packages:
  - id: ap1
    name: {wp_name}
    budget: null
    data_status: published

# SV: Finansiärer – anges ANTINGEN här ELLER i tabellen financing.csv (fliken Finansiering i
#     Excel-mallen), inte båda. Tom lista här = finansiärerna står i financing.csv.
# EN: Financiers – given EITHER here OR in the table financing.csv (the sheet Finansiering of
#     the Excel template), not both. An empty list here = the financiers are in financing.csv.
# Fält / fields: name (namn), kind (eu, state, region, municipality, private, other),
# amount (kronor; null = inte redovisat / not reported), in_kind (true = i form av arbetstid
# eller annat, inte pengar / contributed as work time or goods, not money), data_status, note.
# Exempel / example:
#   financiers:
#     - {{name: Tillväxtverket, kind: state, amount: 7735351, in_kind: false, data_status: published, note: ""}}
financiers: []

# SV: Budget totalt och ekonomiskt utfall; kostnadsposterna står i costs.csv (fliken Budget).
# EN: Total budget and financial outcome; the cost lines are in costs.csv (the sheet Budget).
budget:
  # SV: Total budget i kronor; null = inte redovisat. / EN: Total budget; null = not reported.
  # Exempel / example: 16713030
  total: null
  # SV: Totalt ekonomiskt utfall hittills; null = inte redovisat. / EN: Total outcome so far.
  outcome_total: null
  # SV: Valuta. / EN: Currency.  Exempel / example: SEK
  currency: SEK
  # SV: Relativ tolerans när summor stäms av (0,005 = 0,5 %). / EN: Relative tolerance for
  # reconciling totals (0.005 = 0.5 %). Ett tal mellan 0 och 1 / a number between 0 and 1.
  tolerance: 0.005
  # SV: Förbehåll för totalen, t.ex. "preliminär". / EN: Qualifier of the total, e.g. "preliminary".
  total_qualifier: ""
  # Tillåtet / allowed: published, estimated, illustrative.
  data_status: published

# SV: Målträdet: övergripande mål, projektmål, delmål och aktiviteter; parent knyter en nod till
#     noden ovanför. / EN: The goal tree: overall goal, project goals, sub-goals and activities;
#     parent links a node to the node above it.
# Fält / fields: id, level (overall, project, sub, activity), statement (formulering),
# parent (id ovanför / id above; inget för övergripande mål / none for the overall goal),
# work_package (arbetspaketets id / work-package id), deadline (ÅÅÅÅ-MM-DD), assumptions
# (antaganden), risks (risker).  Aktiviteternas id används i activities.csv / activity ids are
# used in activities.csv.
goal_tree:
  - id: og
    level: overall
    statement: {overall_goal}
    parent: null
    work_package: null
    deadline: null
    assumptions: []
    risks: []
  - id: pg1
    level: project
    statement: {project_goal}
    parent: og
    work_package: null
    deadline: null
    assumptions: []
    risks: []
  - id: a1
    level: activity
    statement: {activity}
    parent: pg1
    work_package: ap1
    deadline: null
    assumptions: []
    risks: []

# SV: Effektlogiken: rutor på fyra nivåer och pilar mellan dem med antaganden.
# EN: The effect logic: boxes on four levels and arrows between them with their assumptions.
effect_logic:
  # Fält / fields: id, level (activity, output, short_term, long_term), statement,
  # goals (målträdets id som rutan hör till / goal-tree ids the box belongs to).
  nodes:
    - {{id: e_act, level: activity, statement: {e_act}, goals: [a1]}}
    - {{id: e_out, level: output, statement: {e_out}, goals: [pg1]}}
    - {{id: e_st, level: short_term, statement: {e_st}, goals: [pg1]}}
    - {{id: e_lt, level: long_term, statement: {e_lt}, goals: [og]}}
  # Fält / fields: from, to (rutornas id / box ids), assumption (antagande / assumption).
  links:
    - {{from: e_act, to: e_out, assumption: {l1}}}
    - {{from: e_out, to: e_st, assumption: {l2}}}
    - {{from: e_st, to: e_lt, assumption: {l3}}}
  # SV: Yttre faktorer som projektet inte styr. / EN: External factors beyond the project's control.
  # Exempel / example: [Coronapandemin, Brist på kompetent arbetskraft]
  external_factors: []

# SV: Indikatorer med utgångsvärde och målvärde; värdena rapporteras i indicator_values.csv.
# EN: Indicators with baseline and target; their values are reported in indicator_values.csv.
# Fält / fields:
#   id; name (namn); unit (enhet, t.ex. företag / unit, e.g. firms; null = ingen / none);
#   level (activity, output, short_term, long_term);
#   measures (id i målträd eller effektlogik som indikatorn mäter / goal-tree or effect-logic ids);
#   baseline och target: {{value: tal eller null, date: ÅÅÅÅ-MM-DD eller null}};
#   aggregation (cumulative = värdena är löpande summor / running totals; per_period = varje
#   period för sig / each period on its own);
#   code (EU:s gemensamma indikator, RCO/RCR/EECO/EECR/PSO/PSR + två siffror, t.ex. RCO01; null = ingen);
#   source (källans id i sources / a source id; null = ingen);
#   description (beskrivning); firms (true när indikatorn räknar företag, varje företag en gång /
#   true when the indicator counts firms, each once);
#   role (firms_reached, participants, jobs, new_firms eller null; används för kostnad per
#   enhet / used for cost per unit).
indicators:
  - id: ind1
    name: {indicator}
    unit: företag
    level: output
    measures: [e_out, pg1]
    baseline: {{value: 0, date: {start}}}
    target: {{value: null, date: {end}}}
    aggregation: cumulative
    code: null
    source: src1
    description: ""
    firms: true
    role: firms_reached

# SV: De horisontella kriterierna: mål, åtgärder och indikatorer som följer upp dem.
# EN: The horizontal criteria: aim, actions and the indicators that follow them up.
# Fält / fields: criterion (gender_equality = jämställdhet, equal_opportunities = lika
# möjligheter och icke-diskriminering, sustainable_development = hållbar utveckling), aim (mål),
# actions (lista med åtgärder / list of actions), indicators (indikatorernas id / indicator ids).
horizontal:
  - criterion: gender_equality
    aim: ""
    actions: []
    indicators: []
  - criterion: equal_opportunities
    aim: ""
    actions: []
    indicators: []
  - criterion: sustainable_development
    aim: ""
    actions: []
    indicators: []

# SV: Nyckelpersoner (roller som bär projektet; namn är frivilliga).
# EN: Key persons (roles that carry the project; names are optional).
# Fält / fields: role (roll), organisation, name (namn), note (anteckning).
# Exempel / example:
#   key_persons:
#     - {{role: Projektledare, organisation: Vindelns kommun, name: "", note: ""}}
key_persons: []

# SV: Kända problem i underlaget (visas i rapporten). / EN: Known problems in the data (shown in reports).
notes: []

# SV: Lärdomar för slutrapporten. / EN: Lessons for the final report.
lessons: []
"""

_DISCLOSURE_BLOCK = """
# SV: Vad rapporterna får visa av uppgifter om enskilda företag (firms) och enkätsvar (survey):
#     restricted (standard) = inga företagsnamn och inga celler, grupper eller andelar byggda på
#     färre än min_cell företag eller svarande; public = uppgifterna är publicerade och visas
#     som de är. / EN: What the reports may show of firm-level data and survey answers:
#     restricted (default) = no firm names and nothing built from fewer than min_cell firms or
#     respondents; public = the figures are published and shown as they are.
# Tillåtet / allowed: firms och survey: public, restricted; min_cell: heltal / whole number >= 1.
disclosure:
  firms: restricted
  survey: restricted
  min_cell: 5
"""

_RULES_BLOCK = """
# SV: Egna regler för logikkontrollerna: kontrollens namn och stop, warn, note eller off
#     (`evaluation rules {id}` listar dem). / EN: The project's own rules for the logic checks:
#     a check's name and stop, warn, note or off (`evaluation rules {id}` lists them).
# Exempel / example:  rules: {{firm_total_mismatch: stop}}
rules: {{}}
"""

_PARAMS_HEAD = """\
# Rapportparametrar / report parameters: {id}, {title}.
# Kör / run:  evaluation report params/{id}_{kind}.yaml
# Filens namn måste vara <project>_<kind>.yaml / the file name must be <project>_<kind>.yaml.
"""

_PARAMS: dict[str, str] = {
    "project": """
# SV: Projektets id (mappen data/<id>/). / EN: The project id (the folder data/<id>/).
# Exempel / example: nis60
project: {id}
""",
    "kind": """
# SV: Rapporttyp: midterm (halvtidsutvärdering) eller final (slututvärdering); samma som i filnamnet.
# EN: Report kind: midterm or final; as in the file name.
kind: {kind}
""",
    "as_of": """
# SV: Datum som rapporten beskriver, ÅÅÅÅ-MM-DD. / EN: The date the report describes, YYYY-MM-DD.
# Exempel / example: 2022-12-31
as_of: {as_of}
""",
    "language": """
# SV: Språk: sv (svenska, standard) eller en (engelska). / EN: Language: sv (Swedish, default) or en.
language: sv
""",
    "formats": """
# SV: Utdataformat, en lista av {formats}. / EN: Output formats, a list drawn from {formats}.
# Exempel / example: [html]
formats: [{formats}]
""",
    "small_cell_threshold": """
# SV: Enkätceller med färre svarande än så döljs (heltal >= 1). / EN: Survey cells with fewer
# respondents are suppressed (a whole number >= 1).
small_cell_threshold: 5
""",
    "reference_docx": """
# SV: Word-fil (.docx) vars formatmallar Word-rapporten använder, sökväg absolut eller från
#     projektets hemmapp; null = standardmallen. / EN: Word file (.docx) whose styles the Word
#     report uses, absolute or relative to the project home; null = the default.
# Exempel / example: mallar/region.docx
reference_docx: null
""",
}
"""One commented block per report parameter (written for the parameters ReportParams knows)."""


@dataclass(frozen=True)
class Scaffold:
    """The files of a new project: path -> content, in the order they are written."""

    project: str
    files: Mapping[Path, bytes]


def project_yaml(project: str, *, name: str, start: date, end: date, fund: str) -> str:
    """The text of a new ``project.yaml``: every key, explained, with placeholders that validate."""
    from evaluation.io.schema import ProjectIn

    ph = PLACEHOLDER
    text = _PROJECT_YAML.format(
        id=project,
        placeholder=ph,
        name=_q(name),
        funds=", ".join(get_args(Fund)),
        fund=_q(fund),
        programme=_q(f"{ph}: programmets namn / programme name"),
        start=start.isoformat(),
        end=end.isoformat(),
        source_title=_q(f"{ph}: ansökan eller lägesrapport / application or progress report"),
        wp_name=_q(f"{ph}: arbetspaketets namn / work-package name"),
        overall_goal=_q(f"{ph}: övergripande mål / overall goal"),
        project_goal=_q(f"{ph}: projektmål / project goal"),
        activity=_q(f"{ph}: aktivitet / activity"),
        e_act=_q(f"{ph}: vad projektet gör / what the project does"),
        e_out=_q(f"{ph}: direkta resultat (output) / outputs"),
        e_st=_q(f"{ph}: effekter på kort sikt / short-term results"),
        e_lt=_q(f"{ph}: effekter på lång sikt / long-term impact"),
        l1=_q(f"{ph}: antagande / assumption"),
        l2=_q(f"{ph}: antagande / assumption"),
        l3=_q(f"{ph}: antagande / assumption"),
        indicator=_q(f"{ph}: antal företag som nåtts / number of firms reached"),
    )
    # Keys that newer versions of the format know (written only when the schema has them).
    if "disclosure" in ProjectIn.model_fields:
        text += _DISCLOSURE_BLOCK
    if "rules" in ProjectIn.model_fields:
        text += _RULES_BLOCK.format(id=project)
    return text


def params_yaml(project: str, kind: str, as_of: date) -> str:
    """The text of ``params/<project>_<kind>.yaml``, every parameter explained."""
    from evaluation.report.params import FORMATS, ReportParams

    title = "halvtidsutvärdering / mid-term evaluation" if kind == "midterm" else "slututvärdering / final evaluation"
    blocks = [_PARAMS_HEAD.format(id=project, kind=kind, title=title)]
    for name in (n for n in ReportParams.model_fields if n in _PARAMS):  # a test checks none is missing
        blocks.append(_PARAMS[name].format(id=project, kind=kind, as_of=as_of.isoformat(), formats=", ".join(FORMATS)))
    return "".join(blocks)


def scaffold(project: str, *, name: str | None = None, start: date | None = None, end: date | None = None,
             fund: str = "ERUF") -> Scaffold:
    """The files of a new project (nothing is written; see :func:`create_project`)."""
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
        folder / "project.yaml": project_yaml(project, name=name or f"{PLACEHOLDER}: {project}", start=start, end=end,
                                              fund=fund).encode("utf-8"),
    }
    for table in EMPTY_TABLES:
        files[folder / f"{table}.csv"] = csv_bytes([c.name for c in headers[table]])
    files[params / f"{project}_midterm.yaml"] = params_yaml(project, "midterm", midterm_date(start, end)).encode("utf-8")
    files[params / f"{project}_final.yaml"] = params_yaml(project, "final", end).encode("utf-8")
    return Scaffold(project, files)


def create_project(project: str, *, name: str | None = None, start: date | None = None, end: date | None = None,
                   fund: str = "ERUF", force: bool = False) -> Scaffold:
    """Write a new project folder and its two parameter files; return what was written.

    Raises :class:`InputError` for an id that is not a plain project id, an end before the
    start, or (without ``force``) a project folder or parameter file that exists already.
    ``force`` overwrites project.yaml, the empty tables and the parameter files; other files
    in the folder are kept.
    """
    result = scaffold(project, name=name, start=start, end=end, fund=fund)
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
