"""One schema per table: the value and cross-row rules of a project's tables, as pandera checks.

Each table of a project folder (``indicator_values``, ``costs``, ``activities``, ``funnel``,
``firms``, ``participation``, ``survey``, ``survey_invited``, ``financing``, ``payments``) has one
:class:`TableSchema` here: a pandera ``DataFrameSchema`` whose checks are the table's rules, each
paired with a :class:`Rule` that says which field a failure names and what was expected. The
loader (and so ``validate``, ``import`` and ``report``) applies them through
:func:`evaluation.io.table_rules.check_table_rules`; :func:`evaluation.analysis.surveys.validate_survey`
applies the survey schemas to a data frame. The column specifications of the loader parse each
cell first; a schema sees the parsed values (a cell that could not be parsed is empty here, so
it is reported once, by the parser).

A table is validated lazily (every failure of every check collected), and each failure becomes
one :class:`~evaluation.core.errors.Problem`: the file, the row as the file shows it (the frame's
index), the field, the expectation and the value found, in the shape
``'<field>' in <file> row <n> must be <expectation> (got <value>)``.

Rules that need more than the table (the unit of an indicator, the respondents of a wave, the
waves invited) read helper columns whose names start with ``_``; :func:`table_frame` and the
callers add them.

Speed: a table is first run through the schema's own check functions (:meth:`TableSchema.passes`),
the loader's tables as lists of their columns (:class:`~evaluation.io.columnar.ColumnLists`: no
DataFrame is built while every rule holds); only a table that breaks a rule goes through pandera
(imported then, once per process) to collect its failure cases.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from evaluation.core.errors import ProblemCollector
from evaluation.io import columnar

__all__ = [
    "LEFT_TO_REVIEW",
    "SAME_WITHIN_FIRM",
    "SCALE",
    "SCHEMAS",
    "YEAR_MAX",
    "YEAR_MIN",
    "Rule",
    "TableSchema",
    "scale_expectation",
    "survey_schema",
    "table_frame",
    "year_expectation",
]

YEAR_MIN = 1900
YEAR_MAX = 2100
"""The calendar years a firm row may carry (a row dated 3022 is a typing error, not data)."""

SCALE: tuple[int, ...] = (1, 2, 3, 4, 5)
"""The answer scale of a numeric survey item."""

SAME_WITHIN_FIRM = "the same on every row of a firm (as on the firm's first row)"

Context = Mapping[str, Any]


def year_expectation() -> str:
    return f"an integer year between {YEAR_MIN} and {YEAR_MAX}"


def scale_expectation(scale: Iterable[int] = SCALE) -> str:
    return f"an integer in {sorted(set(int(s) for s in scale))} or a text category"


def _plain(value: object) -> object:
    """A value as a message shows it: 5 not 5.0, Python scalars not numpy ones, missing as None."""
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalar
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else value
    return value


@dataclass(frozen=True)
class Rule:
    """What one check of a schema means to a user: the field it names, the expectation, the value shown."""

    field: str
    expectation: str | Callable[[pd.Series, Context], str]
    got: Callable[[pd.Series, Context], object] | None = None

    def problem_parts(self, row: pd.Series, context: Context) -> tuple[str, object]:
        expectation = self.expectation if isinstance(self.expectation, str) else self.expectation(row, context)
        got = _plain(row.get(self.field)) if self.got is None else self.got(row, context)
        return expectation, got


@dataclass(frozen=True)
class _Check:
    """A check function and its name, before it becomes a ``pandera.Check``."""

    fn: Callable[[Any], pd.Series]
    name: str


@dataclass
class TableSchema:
    """A table's checks, the rule each enforces (in the order problems are listed) and its pandera schema."""

    name: str
    rules: Mapping[str, Rule] = field(default_factory=dict)
    checks: tuple[tuple[str, str | None, Callable[[Any], pd.Series]], ...] = ()
    """The checks as (name, column or None for a wide check, function): a column check gets the column
    (an empty cell passes), a wide check the frame; each returns a boolean Series, True where the rule holds."""
    uses: tuple[str, ...] = ()
    """The columns its checks read (a frame for it needs no other)."""
    _pandera: Any = field(default=None, repr=False, compare=False)

    @property
    def schema(self) -> Any:
        """The pandera ``DataFrameSchema`` of these checks (built, and pandera imported, on first use)."""
        if self._pandera is None:
            import pandera.pandas as pa

            columns: dict[str, list[Any]] = {}
            for name, column, fn in self.checks:
                if column is not None:
                    columns.setdefault(column, []).append(pa.Check(fn, name=name))
            self._pandera = pa.DataFrameSchema(
                {c: pa.Column(None, checks=cs, nullable=True, required=False) for c, cs in columns.items()},
                checks=[pa.Check(fn, name=name) for name, column, fn in self.checks if column is None], strict=False)
        return self._pandera

    def passes(self, frame: pd.DataFrame, skip: Iterable[str] = ()) -> bool:
        """Whether every check holds, by calling the schema's own check functions (no pandera overhead).

        A table that passes (as almost every table does) needs no pandera run; one that fails is
        validated by pandera, lazily, to collect every failure case.
        """
        skipped = set(skip)
        for name, column, fn in self.checks:
            if name in skipped:
                continue
            if column is None:
                ok = fn(frame)
            elif column in frame.columns:
                ok = fn(frame[column])  # a column check passes an empty cell itself
            else:
                continue
            if not np.asarray(ok, dtype=bool).all():
                return False
        return True

    def problems(self, frame: pd.DataFrame, file: str, problems: ProblemCollector, context: Context | None = None,
                 skip: Iterable[str] = ()) -> None:
        """Validate ``frame`` (index: the rows as the file numbers them) lazily; add one problem per failing row and rule.

        ``skip`` names checks whose failures are left to someone else (see :data:`LEFT_TO_REVIEW`).
        """
        skip = set(skip)
        if frame.empty or not self.rules or self.passes(frame, skip):
            return
        import pandera.pandas as pa

        try:
            self.schema.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            cases = exc.failure_cases
        else:
            return
        context = {**(context or {}), "_frame": frame}
        found: set[tuple[str, Any]] = set()
        order = {name: i for i, name in enumerate(self.rules)}
        failed = []
        for check, index in zip(cases["check"], cases["index"]):
            if check not in self.rules:  # pandera's own checks (a column's presence, ...) are the parser's business
                raise RuntimeError(f"schema {self.name}: unexpected failure {check!r}")  # pragma: no cover
            if check in skip:
                continue
            if (check, index) not in found and index is not None and not (isinstance(index, float) and math.isnan(index)):
                found.add((check, index))
                failed.append((index, order[check], check))
        for index, _, check in sorted(failed, key=lambda t: (t[0], t[1])):
            rule = self.rules[check]
            row = frame.loc[index]
            expectation, got = rule.problem_parts(row, context)
            problems.add(file, rule.field, expectation, got, row=int(index))


# --------------------------------------------------------------------------- building frames


def table_frame(rows: Sequence[Mapping[str, Any]], columns: Iterable[str]) -> pd.DataFrame:
    """The loader's parsed rows as a frame indexed by the row number the file shows (``_row``).

    A cell the parser could not read (named in the row's ``_failed``) is empty here, so that no
    rule reports it a second time. Values keep their Python types (object columns).
    """
    names = list(columns)
    if rows and columnar.fast():
        fast = _clean_frame(rows, names)
        if fast is not None:
            return fast
    data = {}
    for c in names:
        values = np.empty(len(rows), dtype=object)
        values[:] = [None if c in r.get("_failed", ()) else r.get(c) for r in rows]
        data[c] = values
    index = pd.Index([int(r["_row"]) for r in rows], dtype="int64", name="row") if rows else pd.RangeIndex(0, name="row")
    return pd.DataFrame(data, index=index, columns=names, copy=False)


def _clean_frame(rows: Sequence[Mapping[str, Any]], names: list[str]) -> pd.DataFrame | None:
    """:func:`table_frame` of rows that all hold every column, ``_failed`` empty and an int ``_row``, column by column; else None."""
    try:
        if any(map(bool, map(operator.itemgetter("_failed"), rows))):
            return None
        numbers = list(map(operator.itemgetter("_row"), rows))
        columns = [list(map(operator.itemgetter(c), rows)) for c in names]
    except KeyError:
        return None
    if set(map(type, numbers)) != {int}:
        return None
    data = {}
    for c, column in zip(names, columns):
        values = np.empty(len(rows), dtype=object)
        values[:] = column
        data[c] = values
    return pd.DataFrame(data, index=pd.Index(np.array(numbers, dtype=np.int64), name="row"), columns=names, copy=False)


# --------------------------------------------------------------------------- check helpers


def _missing(v: object) -> bool:
    if type(v) is str:  # the usual cell: a text is never missing
        return False
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _float(v: object) -> float:
    """A cell as a float: NaN for empty cells, text and booleans (a boolean is no number)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return math.nan
    return float(v)


def _floats(values: pd.Series) -> np.ndarray:
    listed = values.tolist()
    if columnar.fast() and (fast := columnar.floats(listed)) is not None:
        return fast
    return np.array([_float(v) for v in listed], dtype=float)


def _objects(values: list[object]) -> np.ndarray:
    """Values as an object array (ints stay ints, None stays None)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _result(ok: Sequence[bool] | np.ndarray, index: pd.Index | None) -> pd.Series:
    """A check's result: a Series on the frame's index, or a plain array for :class:`~evaluation.io.columnar.ColumnLists` (no index)."""
    if index is None:
        return np.asarray(ok, dtype=bool)
    return pd.Series(np.asarray(ok, dtype=bool), index=index)


def _at_least_zero(values: pd.Series) -> pd.Series:
    num = _floats(values)
    return _result(np.isnan(num) | (num >= 0), values.index)


def _not_negative(column: str, expectation: str) -> tuple[_Check, dict[str, Rule]]:
    name = f"{column} >= 0"
    return _Check(_at_least_zero, name), {name: Rule(column, expectation)}


def _schema(name: str, columns: Mapping[str, Sequence[tuple[_Check, dict[str, Rule]]]],
            wide: Sequence[tuple[_Check, dict[str, Rule]]] = (), uses: Sequence[str] = ()) -> TableSchema:
    """A TableSchema of column checks and wide (whole-frame) checks; columns may be absent (the parser says so)."""
    rules: dict[str, Rule] = {}
    checks: list[tuple[str, str | None, Callable[[Any], pd.Series]]] = []
    for column, column_checks in columns.items():
        for c, r in column_checks:
            rules.update(r)
            checks.append((c.name, column, c.fn))
    for c, r in wide:
        rules.update(r)
        checks.append((c.name, None, c.fn))
    return TableSchema(name, rules, tuple(checks), tuple(dict.fromkeys([*uses, *columns])))


def _wide(name: str, fn: Callable[[pd.DataFrame], pd.Series], rule: Rule) -> tuple[_Check, dict[str, Rule]]:
    return _Check(fn, name), {name: rule}


def _all_true(df: pd.DataFrame) -> pd.Series:
    return _result(np.ones(len(df), dtype=bool), df.index)


# --------------------------------------------------------------------------- indicator_values


def _share_ok(df: pd.DataFrame) -> pd.Series:
    """``_upper``: the highest value of a %-indicator's row (100, or a stated maximum above it); ``_floor``: 0 or -inf."""
    if "_upper" not in df.columns:
        return _all_true(df)
    value, upper, floor = _floats(df["value"]), _floats(df["_upper"]), _floats(df["_floor"])
    with np.errstate(invalid="ignore"):
        return _result(np.isnan(value) | np.isnan(upper) | ((value <= upper) & (value >= floor)), df.index)


def _share_expectation(row: pd.Series, context: Context) -> str:
    upper = _plain(row["_upper"])
    if upper == 100:
        return f"a share from 0 to 100 % (indicator {row['indicator']} is measured in {row['_unit']})"
    return f"at most the indicator's maximum {upper} (indicator {row['indicator']})"


def indicator_context(frame: pd.DataFrame, indicators: Iterable[Any]) -> pd.DataFrame:
    """Add ``_upper``, ``_floor`` and ``_unit`` for rows of indicators measured in % (project.yaml's unit and maximum)."""
    from evaluation.core.model import PERCENT_UNITS

    percent = {i.id: i for i in indicators if i.unit is not None and i.unit.strip() in PERCENT_UNITS}
    if not percent:
        return frame
    upper: list[object] = []
    floor: list[object] = []
    unit: list[object] = []
    for ind_id in frame["indicator"].tolist():
        ind = percent.get(ind_id) if isinstance(ind_id, str) else None
        maximum = getattr(ind, "maximum", None) if ind is not None else None
        upper.append(None if ind is None else (maximum if maximum is not None and maximum > 100 else 100))
        floor.append(None if ind is None else (0 if maximum is None else -math.inf))
        unit.append(None if ind is None else ind.unit.strip())
    return frame.assign(_upper=_objects(upper), _floor=_objects(floor), _unit=_objects(unit))


# --------------------------------------------------------------------------- firms


def _year_ok(values: pd.Series) -> pd.Series:
    num = _floats(values)
    with np.errstate(invalid="ignore"):
        return _result(np.isnan(num) | ((num >= YEAR_MIN) & (num <= YEAR_MAX) & (num == np.round(num))), values.index)


def _first_of_firm(df: pd.DataFrame, column: str, *, missing_counts: bool) -> pd.Series:
    """True where a row's ``column`` equals the firm's first row (an empty cell counts as a value if ``missing_counts``)."""
    if column not in df.columns or "firm_id" not in df.columns:
        return _all_true(df)
    firms, values = df["firm_id"].tolist(), df[column].tolist()
    if columnar.fast() and set(map(type, firms)) <= {str} and set(map(type, values)) <= (
            {bool, int, str, type(None)} if missing_counts else {bool, int, str}):
        first_of = dict(zip(reversed(firms), reversed(values)))  # each firm's first value (None is one when missing counts)
        return _result(list(map(operator.eq, map(first_of.__getitem__, firms), values)), df.index)
    first: dict[object, object] = {}
    ok = []
    for firm, value in zip(firms, values):
        if _missing(value):
            if not missing_counts:
                ok.append(True)
                continue
            value = None
        if _missing(firm):
            ok.append(True)
            continue
        ok.append(first.setdefault(firm, value) == value)
    return _result(ok, df.index)


def _participant_got(row: pd.Series, context: Context) -> object:
    value = row["participant"]
    return ("yes" if value else "no") if isinstance(value, bool) else _plain(value)


def _comparison_without_start(df: pd.DataFrame) -> pd.Series:
    if "participant" not in df.columns or "participation_start" not in df.columns:
        return _all_true(df)
    return _result([not (p is False and not _missing(s)) for p, s in zip(df["participant"].tolist(),
                                                                         df["participation_start"].tolist())], df.index)


# --------------------------------------------------------------------------- survey


def _valid_answer(v: object, scale: frozenset[int]) -> bool:
    return isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool) and v in scale)


def _kinds_per_item(df: pd.DataFrame, scale: frozenset[int]) -> dict[object, list[int]]:
    """Per item: [valid answers that are text, valid answers]."""
    kinds: dict[object, list[int]] = {}
    for item, answer in zip(df["item"].tolist(), df["answer"].tolist()):
        if not _missing(item) and _valid_answer(answer, scale):
            k = kinds.setdefault(item, [0, 0])
            k[0] += isinstance(answer, str)
            k[1] += 1
    return kinds


def _same_kind(scale: frozenset[int]) -> Callable[[pd.DataFrame], pd.Series]:
    def check(df: pd.DataFrame) -> pd.Series:
        if "item" not in df.columns or "answer" not in df.columns:
            return _all_true(df)
        kinds = _kinds_per_item(df, scale)
        if not any(0 < k[0] < k[1] for k in kinds.values()):  # every item answered in one kind: every row holds
            return _all_true(df)
        ok = []
        for item, answer in zip(df["item"].tolist(), df["answer"].tolist()):
            k = kinds.get(item) if not _missing(item) and _valid_answer(answer, scale) else None
            if k is None or not 0 < k[0] < k[1]:
                ok.append(True)
                continue
            minority_is_text = k[0] <= k[1] - k[0]
            ok.append(isinstance(answer, str) != minority_is_text)
        return _result(ok, df.index)
    return check


def _same_kind_expectation(scale: frozenset[int]) -> Callable[[pd.Series, Context], str]:
    def expectation(row: pd.Series, context: Context) -> str:
        n_text, n_all = _kinds_per_item(context["_frame"], scale)[row["item"]]
        minority_is_text = n_text <= n_all - n_text
        return f"of the same kind as the other answers to item {row['item']!r} ({'numbers' if minority_is_text else 'text'})"
    return expectation


KEY = ["wave", "respondent", "item"]


def _unique_answer(df: pd.DataFrame) -> pd.Series:
    if not set(KEY) <= set(df.columns):
        return _all_true(df)
    columns = [df[c].tolist() for c in KEY]
    if columnar.fast() and all(set(map(type, c)) <= {str} for c in columns) and len(set(zip(*columns))) == len(df):
        return _all_true(df)  # texts only (none missing), no key repeated: every row holds
    seen: set[tuple[object, ...]] = set()
    ok = []
    for key in zip(*columns):
        if any(_missing(k) for k in key):
            ok.append(True)
            continue
        ok.append(key not in seen)
        seen.add(key)
    return _result(ok, df.index)


def _wave_invited(df: pd.DataFrame) -> pd.Series:
    """``_invited``: True/False whether the row's wave is listed in survey_invited (empty: no such table). First row per wave."""
    if "_invited" not in df.columns:
        return _all_true(df)
    reported: set[object] = set()
    ok = []
    for wave, invited in zip(df["wave"].tolist(), df["_invited"].tolist()):
        bad = invited is False and not _missing(wave) and wave not in reported
        reported.add(wave)
        ok.append(not bad)
    return _result(ok, df.index)


@lru_cache(maxsize=8)
def survey_schema(scale: tuple[int, ...] = SCALE) -> TableSchema:
    """The schema of survey responses on an answer scale (the loader's is :data:`SCALE`)."""
    scale_set = frozenset(int(s) for s in scale)

    def on_scale(values: pd.Series) -> pd.Series:
        return _result([not isinstance(v, int) or isinstance(v, bool) or v in scale_set for v in values.tolist()], values.index)

    return _schema("survey", {
        "answer": [(_Check(on_scale, "answer on scale"), {"answer on scale": Rule("answer", scale_expectation(scale_set))})],
    }, [
        _wide("one kind per item", _same_kind(scale_set), Rule("answer", _same_kind_expectation(scale_set))),
        _wide("one answer per respondent and item", _unique_answer,
              Rule("wave, respondent, item", "unique (one answer per respondent and item)",
                   lambda row, ctx: tuple(row[c] for c in KEY))),
        _wide("wave invited", _wave_invited,
              Rule("wave", lambda row, ctx: f"a wave listed in {ctx.get('invited_file', 'survey_invited')}")),
    ], uses=KEY)


def survey_context(survey: pd.DataFrame, invited: pd.DataFrame | None) -> pd.DataFrame:
    """Add ``_invited`` (whether each row's wave is listed in ``invited``) to the responses."""
    if invited is None or "wave" not in invited.columns or survey.empty:
        return survey
    waves = {w for w in invited["wave"].tolist() if not _missing(w)}
    listed = [None if _missing(w) else w in waves for w in survey["wave"].tolist()]
    if isinstance(survey, columnar.ColumnLists):
        return survey.assign(_invited=listed)
    out = survey.copy()
    out["_invited"] = pd.Series(listed, index=out.index, dtype=object)
    return out


def invited_context(invited: pd.DataFrame, survey: pd.DataFrame | None) -> pd.DataFrame:
    """Add ``_respondents`` (the distinct respondents of each row's wave in the responses) to the invitations."""
    if survey is None or survey.empty or not {"wave", "respondent"} <= set(survey.columns):
        return invited
    respondents: dict[object, set[object]] = {}
    for wave, respondent in zip(survey["wave"].tolist(), survey["respondent"].tolist()):
        if not _missing(wave) and not _missing(respondent):
            respondents.setdefault(wave, set()).add(respondent)
    counts = [len(respondents.get(w, ())) for w in invited["wave"].tolist()]
    if isinstance(invited, columnar.ColumnLists):
        return invited.assign(_respondents=counts)
    out = invited.copy()
    out["_respondents"] = pd.Series(counts, index=out.index, dtype=object)
    return out


def _enough_invited(df: pd.DataFrame) -> pd.Series:
    if "_respondents" not in df.columns:
        return _all_true(df)
    invited, respondents = _floats(df["invited"]), _floats(df["_respondents"])
    with np.errstate(invalid="ignore"):
        return _result(np.isnan(invited) | (invited < 0) | (invited >= respondents), df.index)


def _wave_once(df: pd.DataFrame) -> pd.Series:
    seen: set[object] = set()
    ok = []
    for wave in df["wave"].tolist():
        ok.append(_missing(wave) or wave not in seen)
        seen.add(wave)
    return _result(ok, df.index)


# --------------------------------------------------------------------------- the schemas


@lru_cache(maxsize=1)
def schemas() -> dict[str, TableSchema]:
    """The schema of every table of a project folder, built once."""
    count = "a count >= 0"
    return {
        "indicator_values": _schema("indicator_values", {}, [
            _wide("share", _share_ok, Rule("value", _share_expectation)),
        ], uses=("indicator", "value")),
        "costs": _schema("costs", {"budget": [_not_negative("budget", "a number >= 0")]}),
        "activities": _schema("activities", {c: [_not_negative(c, count)]
                                             for c in ("count", "participants", "women", "men", "non_binary")}),
        "funnel": _schema("funnel", {"count": [_not_negative("count", count)]}),
        "firms": _schema("firms", {
            "year": [(_Check(_year_ok, "year range"), {"year range": Rule("year", year_expectation())})],
            "employees": [_not_negative("employees", count)],
            "turnover": [_not_negative("turnover", "a number >= 0 or empty")],
            "participation_start": [(_Check(_year_ok, "start year range"),
                                     {"start year range": Rule("participation_start", year_expectation() + " or empty")})],
        }, [
            _wide("participant constant", lambda df: _first_of_firm(df, "participant", missing_counts=False),
                  Rule("participant", SAME_WITHIN_FIRM, _participant_got)),
            _wide("start constant", lambda df: _first_of_firm(df, "participation_start", missing_counts=True),
                  Rule("participation_start", SAME_WITHIN_FIRM)),
            _wide("comparison firm without start", _comparison_without_start,
                  Rule("participation_start", "empty for a comparison firm (participant false)")),
        ], uses=("firm_id", "participant")),
        "participation": _schema("participation", {}),  # its rules refer to project.yaml (the loader checks the activity ids)
        "survey": survey_schema(SCALE),
        "survey_invited": _schema("survey_invited", {"invited": [_not_negative("invited", count)]}, [
            _wide("wave once", _wave_once, Rule("wave", "listed once")),
            _wide("enough invited", _enough_invited,
                  Rule("invited", lambda row, ctx: f"at least the number of respondents in wave {row['wave']!r} "
                                                   f"({int(row['_respondents'])})")),
        ], uses=("wave",)),
        "financing": _schema("financing", {"amount": [_not_negative("amount", "a number >= 0")]}),
        "payments": _schema("payments", {"amount": [_not_negative("amount", "a number >= 0")]}),
    }


LEFT_TO_REVIEW: dict[str, tuple[str, ...]] = {"survey": ("one answer per respondent and item",)}
"""Checks the loader does not refuse a project for: a respondent answering an item twice is the rule
book's stop check ``survey_duplicate_answer`` (``evaluation check`` lists it, a report stops on it);
:func:`evaluation.analysis.surveys.validate_survey` refuses it."""

SCHEMAS = ("indicator_values", "costs", "activities", "funnel", "firms", "participation", "survey", "survey_invited",
           "financing", "payments")
"""The tables that have a schema here (the qualitative tables' rules are in :mod:`evaluation.io.qualitative`)."""
