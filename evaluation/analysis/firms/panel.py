"""The firm-year panel: its columns, its validation and the column helpers the analyses share.

The input is a firm-year panel with one row per firm and year::

    firm_id (str), year (int), employees (float), turnover (float, may be missing),
    value_added (float, optional column, may be missing), participant (bool),
    participation_start (Int64 year; missing for comparison firms and for
    participants whose start year is unknown)

and, optionally, the firm as registers describe it (:mod:`.register`): ``org_nr`` (the
organisation number, checked with its Luhn digit and kept as 10 digits), ``sni`` (SNI 2007),
``size_class``, ``municipality`` (4 digits), and ``applicant`` (true/false: a comparison firm
that applied but was not supported).

Validate it once with :func:`validate_panel`; the analysis functions assume a validated
panel and check only the columns they use (``_require_columns``; ``_floats`` reads a
column as numbers).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import cast

import numpy as np
import pandas as pd

from evaluation.analysis.firms import register
from evaluation.core.errors import ProblemCollector
from evaluation.io import table_schemas

__all__ = ["MAX_LISTED_ROWS", "OPTIONAL_COLUMNS", "REQUIRED_COLUMNS", "validate_panel", "validate_register_columns"]

REQUIRED_COLUMNS: tuple[str, ...] = (
    "firm_id",
    "year",
    "employees",
    "turnover",
    "participant",
    "participation_start",
)
OPTIONAL_COLUMNS: tuple[str, ...] = ("value_added", "org_nr", "sni", "size_class", "municipality", "applicant")

#: At most this many rows are listed per kind of problem; the rest are counted.
MAX_LISTED_ROWS = 100

_YEAR_MIN, _YEAR_MAX = table_schemas.YEAR_MIN, table_schemas.YEAR_MAX


def _report_rows(
    problems: ProblemCollector,
    file: str,
    field: str,
    expectation: str,
    bad: np.ndarray,
    values: pd.Series,
    rows: Sequence[int] | None = None,
) -> None:
    """Add one problem per bad row (``rows[i]``, else CSV row numbers: index + 2), at most MAX_LISTED_ROWS."""
    positions = np.flatnonzero(bad)
    for pos in positions[:MAX_LISTED_ROWS]:
        value = values.iloc[pos]
        problems.add(file, field, expectation, got=_plain(value), row=int(rows[pos]) if rows is not None else int(pos) + 2)
    extra = positions.size - MAX_LISTED_ROWS
    if extra > 0:
        problems.add(file, field, expectation, got=f"{extra} more rows like these")


def _plain(value: object) -> object:
    """A value as shown in messages: numpy scalars as Python scalars, missing as None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _to_bool(value: object) -> bool | None:
    """True/False for booleans, 1/0 and the strings "true"/"false"/"1"/"0"; else None."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)) and not (isinstance(value, float) and math.isnan(value)):
        return True if value == 1 else False if value == 0 else None
    if isinstance(value, str):
        return {"true": True, "1": True, "false": False, "0": False}.get(value.strip().lower())
    return None


def _is_missing(values: pd.Series) -> np.ndarray:
    return values.isna().to_numpy(dtype=bool)


def validate_panel(df: pd.DataFrame, file: str = "<panel>") -> pd.DataFrame:
    """Check a firm-year panel and return it with canonical dtypes, sorted by firm and year.

    Checks: required columns present; ``firm_id`` non-empty; ``year`` an integer in
    1900-2100; ``employees`` a number >= 0; ``turnover`` a number >= 0 or missing;
    ``value_added`` (if present) a number or missing; ``participant`` true/false (or 1/0);
    ``participation_start`` an integer year or missing, and missing for comparison firms;
    ``participant`` and ``participation_start`` constant within a firm; no duplicate
    (firm_id, year). Register columns, when present (empty cells allowed): ``org_nr`` a valid
    organisation number (Luhn check digit), the same on every row of a firm and not shared by
    two firms; ``sni``, ``size_class`` and ``municipality`` valid codes (:mod:`.register`);
    ``applicant`` true/false. Every problem is collected (rows numbered as in a CSV file: data
    row index + 2) and raised together as :class:`~evaluation.core.errors.InputError`. Extra
    columns are kept unchanged; register codes come back as text (``org_nr`` as 10 digits).
    """
    problems = ProblemCollector()
    if not isinstance(df, pd.DataFrame):
        problems.add(file, "<table>", "a pandas DataFrame", got=type(df).__name__)
        problems.raise_if_any()
    data = df.reset_index(drop=True)
    missing_columns = [c for c in REQUIRED_COLUMNS if c not in data.columns]
    for column in missing_columns:
        problems.add(file, column, "a column of the panel", got=f"columns {sorted(map(str, data.columns))}")

    out: dict[str, object] = {}
    parsed_ok: dict[str, np.ndarray] = {}  # per column: which cells parsed (the schema sees only those)

    if "firm_id" in data.columns:
        raw = data["firm_id"]
        miss = _is_missing(raw)
        text = raw.astype("str")
        empty = ~miss & (text.str.strip() == "").to_numpy(dtype=bool)
        _report_rows(problems, file, "firm_id", "a non-empty firm identifier", miss | empty, raw)
        out["firm_id"] = text

    if "year" in data.columns:
        raw = data["year"]
        num = pd.to_numeric(raw, errors="coerce").astype("Float64")
        values = num.to_numpy(dtype=float, na_value=np.nan)
        bad = ~np.isfinite(values) | (values != np.round(values))  # the range 1900-2100 is the firm schema's
        _report_rows(problems, file, "year", table_schemas.year_expectation(), bad, raw)
        out["year"] = np.where(bad, 0, values).astype(np.int64)
        parsed_ok["year"] = ~bad

    def numeric(column: str, *, allow_missing: bool, non_negative: bool) -> None:
        raw = data[column]
        num = pd.to_numeric(raw, errors="coerce").astype("Float64")
        values = num.to_numpy(dtype=float, na_value=np.nan)
        was_missing = _is_missing(raw)
        not_number = np.isnan(values) & ~was_missing
        bad = not_number | np.isinf(values)
        if not allow_missing:
            bad |= was_missing
        parsed_ok[column] = ~bad  # a number >= 0 is the firm schema's rule (employees: 'a count >= 0')
        expectation = "a number" + (" >= 0" if non_negative else "") + (" or empty" if allow_missing else "")
        _report_rows(problems, file, column, expectation, bad, raw)
        out[column] = values

    if "employees" in data.columns:
        numeric("employees", allow_missing=False, non_negative=True)
    if "turnover" in data.columns:
        numeric("turnover", allow_missing=True, non_negative=True)
    if "value_added" in data.columns:
        numeric("value_added", allow_missing=True, non_negative=False)

    if "participant" in data.columns:
        raw = data["participant"]
        if raw.dtype == bool:
            t = raw.to_numpy(dtype=bool)
            f = ~t
        else:
            parsed = [_to_bool(v) for v in raw.astype(object)]
            t = np.array([v is True for v in parsed], dtype=bool)
            f = np.array([v is False for v in parsed], dtype=bool)
        _report_rows(problems, file, "participant", "true or false", ~(t | f), raw)
        out["participant"] = t
        parsed_ok["participant"] = t | f

    if "participation_start" in data.columns:
        raw = data["participation_start"]
        was_missing = _is_missing(raw)
        num = pd.to_numeric(raw, errors="coerce").astype("Float64")
        values = num.to_numpy(dtype=float, na_value=np.nan)
        bad = ~was_missing & (~np.isfinite(values) | (values != np.round(values)))  # range: the firm schema
        _report_rows(problems, file, "participation_start", table_schemas.year_expectation() + " or empty", bad, raw)
        out["participation_start"] = np.where(bad, np.nan, values)
        parsed_ok["participation_start"] = ~bad

    _register_columns(data, file, problems, out)

    # The value and cross-row rules (year range, counts >= 0, a comparison firm without start year,
    # participant and participation_start constant within a firm) are the firm schema's, as for the loader.
    _firm_schema_problems(data, out, parsed_ok, file, problems)

    # Duplicates need firm_id and year.
    if "firm_id" in out:
        firm = cast(pd.Series, out["firm_id"])
        codes, _ = pd.factorize(firm)
        if "year" in out:
            key = pd.DataFrame({"f": codes, "y": out["year"]})
            dup = key.duplicated(keep="first").to_numpy(dtype=bool)
            positions = np.flatnonzero(dup)
            for pos in positions[:MAX_LISTED_ROWS]:
                got = (str(firm.iloc[pos]), int(out["year"][pos]))  # type: ignore[index]
                problems.add(file, "firm_id, year", "a unique (firm_id, year) pair", got=got, row=int(pos) + 2)
            if positions.size > MAX_LISTED_ROWS:
                problems.add(
                    file, "firm_id, year", "a unique (firm_id, year) pair",
                    got=f"{positions.size - MAX_LISTED_ROWS} more duplicated rows",
                )

    problems.raise_if_any()

    result = data.copy()
    result["firm_id"] = out["firm_id"]
    result["year"] = out["year"]
    for column in ("employees", "turnover", "value_added"):
        if column in out:
            result[column] = np.asarray(out[column], dtype=float)
    for column in ("org_nr", "sni", "size_class", "municipality"):
        if column in out:
            result[column] = pd.array(cast(list, out[column]), dtype="str")
    if "applicant" in out:
        result["applicant"] = pd.array(cast(list, out["applicant"]), dtype="boolean")
    result["participant"] = np.asarray(out["participant"], dtype=bool)
    result["participation_start"] = pd.array(
        np.asarray(out["participation_start"], dtype=float), dtype="Float64"
    ).astype("Int64")
    ordered = [c for c in REQUIRED_COLUMNS] + [c for c in OPTIONAL_COLUMNS if c in result.columns]
    ordered += [c for c in result.columns if c not in ordered]
    result = result[ordered].sort_values(["firm_id", "year"], kind="stable").reset_index(drop=True)
    return result


def _firm_schema_problems(data: pd.DataFrame, out: dict[str, object], parsed_ok: dict[str, np.ndarray], file: str,
                          problems: ProblemCollector) -> None:
    """Apply the firm schema (:mod:`evaluation.io.table_schemas`) to the cells that parsed; rows as in a CSV file."""
    columns: dict[str, list[object]] = {}
    n = len(data)
    if "firm_id" in out:
        firm = cast(pd.Series, out["firm_id"]).tolist()
        columns["firm_id"] = [None if not isinstance(f, str) or not f.strip() else f for f in firm]
    for column in ("year", "employees", "turnover", "participation_start"):
        if column in out:
            values = np.asarray(out[column], dtype=float)
            ok = parsed_ok.get(column, np.ones(n, dtype=bool)) & ~np.isnan(values)
            whole = column in ("year", "participation_start")
            columns[column] = [(int(v) if whole else float(v)) if k else None for v, k in zip(values.tolist(), ok.tolist())]
    if "participant" in out:
        columns["participant"] = [bool(v) if k else None
                                  for v, k in zip(np.asarray(out["participant"]).tolist(), parsed_ok["participant"].tolist())]
    frame = pd.DataFrame(columns, index=pd.RangeIndex(2, n + 2), dtype=object)
    table_schemas.schemas()["firms"].problems(frame, file, problems)


_REGISTER_CODES = (
    ("org_nr", register.org_nr, register.ORG_NR),
    ("sni", register.sni_code, register.SNI),
    ("size_class", register.size_class, register.SIZE_CLASS),
    ("municipality", register.municipality_code, register.MUNICIPALITY),
)


def validate_register_columns(df: pd.DataFrame, file: str | None = None) -> pd.DataFrame:
    """Check only the register columns of a firm table (``org_nr``, ``sni``, ``size_class``, ``municipality``, ``applicant``).

    For a firm table as the project loader gives it, whose other columns it has checked:
    the same checks as :func:`validate_panel` makes of these columns, every problem raised
    together as an InputError naming file and row. The file and row numbers are
    ``df.attrs["file"]`` and ``df.attrs["rows"]`` when the loader set them (else ``file`` and
    index + 2). Returns the table with the codes normalised (``org_nr`` as 10 digits).
    """
    problems = ProblemCollector()
    data = df.reset_index(drop=True)
    shown = str(file if file is not None else df.attrs.get("file", "<panel>"))
    rows = df.attrs.get("rows")
    out: dict[str, object] = {}
    _register_columns(data, shown, problems, out, rows if rows is not None and len(rows) == len(data) else None)
    problems.raise_if_any()
    result = data.copy()
    result.attrs = dict(df.attrs)
    for column in ("org_nr", "sni", "size_class", "municipality"):
        if column in out:
            result[column] = pd.array(cast(list, out[column]), dtype="str")
    if "applicant" in out:
        result["applicant"] = pd.array(cast(list, out["applicant"]), dtype="boolean")
    return result


def _register_columns(data: pd.DataFrame, file: str, problems: ProblemCollector, out: dict[str, object],
                      rows: Sequence[int] | None = None) -> None:
    """Check the register columns present in ``data`` (empty cells allowed); their normalised values go to ``out``."""
    for column, parse, expectation in _REGISTER_CODES:
        if column not in data.columns:
            continue
        raw = data[column]
        missing = _is_missing(raw) | (raw.astype("str").str.strip() == "").to_numpy(dtype=bool)
        parsed = [None if m else parse(v) for v, m in zip(raw.astype(object), missing)]
        bad = np.array([p is None for p in parsed], dtype=bool) & ~missing
        _report_rows(problems, file, column, expectation + " or empty", bad, raw, rows)
        out[column] = parsed
    if "applicant" in data.columns:
        raw = data["applicant"]
        missing = _is_missing(raw)
        parsed_bool = [None if m else _to_bool(v) for v, m in zip(raw.astype(object), missing)]
        bad = np.array([p is None for p in parsed_bool], dtype=bool) & ~missing
        _report_rows(problems, file, "applicant", "true or false or empty", bad, raw, rows)
        out["applicant"] = parsed_bool
    if "org_nr" in out and "firm_id" in data.columns:
        frame = pd.DataFrame({"firm": data["firm_id"].astype("str"), "org": pd.Series(out["org_nr"], dtype=object)})
        known = frame.dropna(subset=["org"])
        first = known.groupby("firm", sort=False)["org"].first()
        differs = known["org"].to_numpy() != first.reindex(known["firm"]).to_numpy()
        mask = np.zeros(len(data), dtype=bool)
        mask[known.index.to_numpy()[differs]] = True
        _report_rows(problems, file, "org_nr", "the same on every row of a firm (as on the firm's first row)", mask,
                     data["org_nr"], rows)
        owner = known.drop_duplicates("firm").groupby("org", sort=False)["firm"].first()
        shared = known["firm"].to_numpy() != owner.reindex(known["org"]).to_numpy()
        mask = np.zeros(len(data), dtype=bool)
        mask[known.index.to_numpy()[shared]] = True
        _report_rows(problems, file, "org_nr", "a number not used by another firm_id", mask, data["org_nr"],
                     rows)


def _require_columns(panel: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise an InputError naming every one of ``columns`` missing from ``panel``."""
    problems = ProblemCollector()
    if not isinstance(panel, pd.DataFrame):
        problems.add(what, "<table>", "a pandas DataFrame", got=type(panel).__name__)
        problems.raise_if_any()
    for column in columns:
        if column not in panel.columns:
            problems.add(what, column, "a column of the panel", got=f"columns {sorted(map(str, panel.columns))}")
    problems.raise_if_any()


def _floats(values: pd.Series) -> np.ndarray:
    """A column as float64 with NaN for missing (works for Int64/Float64/object numbers)."""
    dtype = values.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "fiub":
        return values.to_numpy(dtype=float)
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "fiu":
        return values.to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(values, errors="coerce").astype("Float64").to_numpy(dtype=float, na_value=np.nan)


