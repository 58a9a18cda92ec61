"""Rules over the rows of a project's tables, beyond what one cell can say, and the tables' files.

The column specifications (:mod:`evaluation.io.loader`) parse every cell; the rules look at a
row's meaning or at several rows together, so that a table that parses is also a table that
can be read the way it is meant. They are the tables' schemas (:mod:`evaluation.io.table_schemas`,
one pandera schema per table), which :func:`check_table_rules` applies to the loaded rows: the
same rules :func:`evaluation.analysis.surveys.validate_survey` applies to a data frame, with the
same messages, so that a table is held to one rule set whether it comes from a project folder,
the Excel template or a script.

Every problem names the file, the row as the file shows it, the column, what was expected and
what was found. :func:`check_table_files` checks the folder: every table file named after a
table, and given once.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from evaluation.core.errors import ProblemCollector
from evaluation.io import columnar, table_schemas
from evaluation.io.limits import shown_path
from evaluation.io.table_schemas import SCALE, YEAR_MAX, YEAR_MIN, scale_expectation, year_expectation

__all__ = ["SCALE", "YEAR_MAX", "YEAR_MIN", "check_table_files", "check_table_rules", "check_unique_firm_years", "scale_expectation",
           "year_expectation"]

Tables = Mapping[str, tuple[Path, Sequence[dict[str, Any]]]]


def check_table_rules(indicators: Iterable[Any], tables: Tables, problems: ProblemCollector) -> None:
    """Add a problem for every row that breaks its table's schema; ``indicators`` are project.yaml's (id, unit, maximum).

    Only tables with rows are validated, each frame built once. The checks first run over the
    tables' columns as lists (:class:`~evaluation.io.columnar.ColumnLists`); only when a rule
    fails are the frames built and the problems collected.
    """
    indicators = tuple(indicators)
    schemas = table_schemas.schemas()
    if columnar.fast():
        try:
            lists = _frames(indicators, tables, columnar.table_lists)
            if all(schemas[name].passes(frame, table_schemas.LEFT_TO_REVIEW.get(name, ())) for name, frame in lists.items()):
                return
        except (AttributeError, KeyError, TypeError, ValueError):  # anything odd: the frames below decide (and say what it is)
            pass
    frames = _frames(indicators, tables, table_schemas.table_frame)
    for name in table_schemas.SCHEMAS:
        skip = table_schemas.LEFT_TO_REVIEW.get(name, ())
        if name in frames and not schemas[name].passes(frames[name], skip):  # the file's name is needed only now
            schemas[name].problems(frames[name], shown_path(tables[name][0]), problems, {"invited_file": "survey_invited"},
                                   skip=skip)


def _frames(indicators: Iterable[Any], tables: Tables, frame: Callable[[Sequence[dict[str, Any]], Sequence[str]], Any]) -> dict[str, Any]:
    """The frame of each table with rows and rules (``frame``: a DataFrame or its columns as lists), with the helper columns."""
    schemas = table_schemas.schemas()
    frames = {name: frame(rows, schemas[name].uses)
              for name, (_, rows) in tables.items() if rows and name in schemas and schemas[name].rules}
    if not frames:
        return frames
    if "indicator_values" in frames:
        frames["indicator_values"] = table_schemas.indicator_context(frames["indicator_values"], indicators)
    survey, invited = frames.get("survey"), frames.get("survey_invited")
    if survey is not None and "survey_invited" in tables:  # a header-only survey_invited invites no wave
        listed = invited if invited is not None else frame([], ["wave", "invited"])
        frames["survey"] = table_schemas.survey_context(survey, listed)
    if invited is not None:
        frames["survey_invited"] = table_schemas.invited_context(invited, survey)
    return frames


TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls")


def check_table_files(folder: Path, known: Iterable[str], problems: ProblemCollector) -> None:
    """A file that looks like a table must be one of the known tables, and given once (.csv or .xlsx, not both)."""
    names = sorted(set(known))
    present: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix.lower() not in TABLE_SUFFIXES or path.name.startswith((".", "~$")):
            continue
        if path.stem not in names or path.suffix not in (".csv", ".xlsx"):
            problems.add(shown_path(path), "file", "named after one of the tables (" + ", ".join(names) + ") as .csv or .xlsx",
                         path.name)
            continue
        present.setdefault(path.stem, []).append(path)
    for name, paths in present.items():
        if len(paths) > 1:
            problems.add(shown_path(paths[-1]), "file", f"the only file of the table {name} (delete one of them)",
                         " and ".join(p.name for p in paths))


def check_unique_firm_years(path: Path, rows: Iterable[dict[str, Any]], problems: ProblemCollector) -> None:
    """One row per firm and year in a firm table (a project's ``firms`` or a remote panel), each repeat named with its first row."""
    if columnar.fast() and isinstance(rows, (list, columnar.Rows)) and _firm_years_unique(rows):
        return
    shown = shown_path(path)
    seen: dict[tuple[str, int], int] = {}
    for row in rows:
        if "year" in row["_failed"] or row["year"] is None:
            continue
        key = (row["firm_id"], row["year"])
        if key in seen:
            problems.add(shown, "year", f"unique per firm (firm {key[0]} already has {key[1]} on row {seen[key]})", key[1],
                         row=row["_row"])
        else:
            seen[key] = row["_row"]


def _firm_years_unique(rows: list[dict[str, Any]] | columnar.Rows) -> bool:
    """True when no row failed, every year is given and no (firm, year) repeats: then no problem (else the loop decides)."""
    try:
        if isinstance(rows, columnar.Rows):  # no row failed; the columns as they are
            years = rows.column("year")
            keys = set(zip(rows.column("firm_id"), years))
            return None not in years and len(keys) == len(rows)
        if any(map(bool, map(operator.itemgetter("_failed"), rows))):
            return False
        years = list(map(operator.itemgetter("year"), rows))
        keys = set(zip(map(operator.itemgetter("firm_id"), rows), years))
    except (KeyError, TypeError):  # a row without a column, or a value that cannot be a key: the loop says what it is
        return False
    return None not in years and len(keys) == len(rows)
