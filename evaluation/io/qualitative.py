"""The qualitative tables of a project folder: dissemination (P3), interviews, excerpts and themes.

``dissemination``: one row per dissemination activity (``id``, ``date``, ``channel``, ``audience``,
``title``, ``reach`` -- empty = not reported, never zero -- ``source``, ``data_status``).
``interviews``: one row per interview (``id``, ``date``, ``group``, ``role``, ``method``,
``consent_to_quote`` yes/no, ``data_status``); never a person's name: a ``name`` column is refused.
``excerpts``: coded excerpts (``interview`` -- an id of the interviews table --, ``theme``,
``stance``, ``excerpt``). ``themes`` (optional): ``code`` and ``label``.

The loader (:mod:`evaluation.io.loader`) reads the tables with :data:`TABLES`, checks them with
:func:`check` (every problem names file, row, field, expectation and value) and builds the model
with :func:`with_tables`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, get_args

from evaluation.core.errors import ProblemCollector
from evaluation.core.model import (
    STAKEHOLDER_GROUPS,
    STANCES,
    DisseminationActivity,
    Excerpt,
    Interview,
    InterviewMethod,
    Project,
    Theme,
)
from evaluation.io.limits import shown_path
from evaluation.io.tables import Column, choice, find_table, parse_bool, parse_date, parse_float, read_table_lazy

Tables = dict[str, tuple[Path, Sequence[dict[str, Any]]]]

_DATA_STATUS = choice("published", "illustrative", "estimated")

CHANNELS: tuple[str, ...] = ("conference", "seminar", "meeting", "media", "report", "social_media", "newsletter", "website",
                             "policy_hearing", "policy_contact", "other")
"""The dissemination channels (a closed set, so that the report can count by channel)."""

DISSEMINATION_COLUMNS = (
    Column("id", allow_empty=False),
    Column("date", parse_date),
    Column("channel", choice(*CHANNELS), allow_empty=False),
    Column("audience", required=False, default=""),
    Column("title", allow_empty=False),
    Column("reach", parse_float),
    Column("source", required=False, default=""),
    Column("data_status", _DATA_STATUS, required=False, default="published"),
)
INTERVIEW_COLUMNS = (
    Column("id", allow_empty=False),
    Column("date", parse_date),
    Column("group", choice(*STAKEHOLDER_GROUPS), allow_empty=False),
    Column("role", required=False, default=""),
    Column("method", choice(*get_args(InterviewMethod)), required=False),
    Column("consent_to_quote", parse_bool, allow_empty=False),
    Column("data_status", _DATA_STATUS, required=False, default="published"),
)
EXCERPT_COLUMNS = (
    Column("interview", allow_empty=False),
    Column("theme", allow_empty=False),
    Column("stance", choice(*STANCES), allow_empty=False),
    Column("excerpt", required=False, default=""),
)
THEME_COLUMNS = (
    Column("code", allow_empty=False),
    Column("label", required=False, default=""),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "dissemination": DISSEMINATION_COLUMNS,
    "interviews": INTERVIEW_COLUMNS,
    "excerpts": EXCERPT_COLUMNS,
    "themes": THEME_COLUMNS,
}
"""Table name -> column specification, in the order the loader reads them."""

NAME_EXPECTATION = "absent: interviews never hold a person's name (describe the person by group and role)"


def _rows(tables: Tables, name: str) -> Sequence[dict[str, Any]]:
    return tables[name][1] if name in tables else []


def read(folder: Path, problems: ProblemCollector, digests: dict[str, str] | None = None) -> Tables:
    """The qualitative tables found in ``folder`` (``<name>.csv`` or ``.xlsx``), each row parsed; problems go to ``problems``.

    A ``name`` column in the interviews table gets its own problem (interviews never hold a person's name)
    instead of the general one for an unknown column.
    """
    out: Tables = {}
    for name, columns in TABLES.items():
        path = find_table(folder, name)
        if path is None:
            continue
        found = ProblemCollector()
        out[name] = (path, read_table_lazy(path, columns, found, digests=digests))
        for problem in found.problems:
            if name == "interviews" and problem.field == "name" and problem.got == "name":
                problems.add(problem.file, "name", NAME_EXPECTATION, "a column 'name'", row=problem.row)
            else:
                problems.extend([problem])
    return out


def check(tables: Tables, problems: ProblemCollector) -> None:
    """Ids unique, reach >= 0, excerpts naming a known interview (and theme, when a themes table exists)."""
    for name, label in (("dissemination", "the dissemination activities"), ("interviews", "the interviews"),
                        ("themes", "the themes")):
        if name not in tables:
            continue
        key = "code" if name == "themes" else "id"
        path, rows = tables[name]
        shown = shown_path(path)
        seen: dict[str, int] = {}
        for row in rows:
            ident = row.get(key)
            if ident is None:
                continue
            if ident in seen:
                problems.add(shown, key, f"an id not used before in {label} (row {seen[ident]} has it)", ident, row=row["_row"])
            else:
                seen[ident] = row["_row"]
    if "dissemination" in tables:
        path, rows = tables["dissemination"]
        for row in rows:
            reach = row.get("reach")
            if reach is not None and reach < 0:
                shown_value = int(reach) if float(reach).is_integer() else reach
                problems.add(shown_path(path), "reach", "a count >= 0 (empty = not reported)", shown_value, row=row["_row"])
    if "excerpts" in tables:
        path, rows = tables["excerpts"]
        shown = shown_path(path)
        interviews = {r["id"] for r in _rows(tables, "interviews") if r.get("id") is not None}
        themes = {r["code"] for r in _rows(tables, "themes") if r.get("code") is not None}
        for row in rows:
            if row.get("interview") is not None and row["interview"] not in interviews:
                problems.add(shown, "interview", "the id of an interview in the interviews table", row["interview"], row=row["_row"])
            if "themes" in tables and row.get("theme") is not None and row["theme"] not in themes:
                problems.add(shown, "theme", "the code of a theme in the themes table", row["theme"], row=row["_row"])


def with_tables(project: Project, tables: Tables) -> Project:
    """``project`` with its qualitative fields built from validated rows, and the tables' files added to its files."""
    return replace(
        project,
        dissemination=tuple(
            DisseminationActivity(id=r["id"], channel=r["channel"], title=r["title"], date=r["date"], audience=r["audience"] or "",
                                  reach=r["reach"], source=r["source"] or "", data_status=r["data_status"])
            for r in _rows(tables, "dissemination")
        ),
        interviews=tuple(
            Interview(id=r["id"], group=r["group"], date=r["date"], role=r["role"] or "", method=r["method"],
                      consent_to_quote=bool(r["consent_to_quote"]), data_status=r["data_status"])
            for r in _rows(tables, "interviews")
        ),
        excerpts=tuple(
            Excerpt(interview=r["interview"], theme=r["theme"], stance=r["stance"], excerpt=r["excerpt"] or "")
            for r in _rows(tables, "excerpts")
        ),
        themes=tuple(Theme(code=r["code"], label=r["label"] or "") for r in _rows(tables, "themes")),
        files=(*project.files, *(path for path, _ in tables.values())),
    )
