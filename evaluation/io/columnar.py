"""Whole-column fast paths for reading a project's tables, and the switch that turns them off.

Every fast path here (and in :mod:`evaluation.io.tables`, :mod:`evaluation.io.table_schemas` and
:mod:`evaluation.io.loader`) handles only the common, clean case -- a quote-free CSV whose cells
all parse, a column of plain numbers, rows that keep every rule -- and gives exactly what the
reference (per-cell, per-row) code gives for it. As soon as anything is unusual it returns None
(or hands over), the reference code runs and names every problem with the same words, rows and
order. Tests compare both paths (:func:`reference_path` turns the fast paths off).

A table the fast path reads stays a table of columns (:class:`Rows`): the loader's checks, frames and
firm-year check read the columns (:func:`table_lists`, :func:`frame`); the row dicts are built only for
code that iterates or indexes the rows (small tables), once.
"""

from __future__ import annotations

import operator
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import repeat
from typing import Any, ClassVar, overload

import numpy as np
import pandas as pd

try:  # the inference pd.DataFrame(<rows as tuples>) runs on each column (private: without it, frames are built the reference way)
    from pandas.core.internals.construction import convert_object_array
except ImportError:  # pragma: no cover - another pandas than the locked one
    convert_object_array = None

_REFERENCE: ContextVar[bool] = ContextVar("reference_path", default=False)


def fast() -> bool:
    """Whether the fast paths are on (they are, except inside :func:`reference_path`)."""
    return not _REFERENCE.get()


@contextmanager
def reference_path() -> Iterator[None]:
    """Run only the reference code inside the block (for tests comparing both paths)."""
    token = _REFERENCE.set(True)
    try:
        yield
    finally:
        _REFERENCE.reset(token)


def fill(texts: Sequence[str], converted: list[Any], default: Any) -> list[Any]:
    """``converted`` (the values of the non-empty ``texts``, in order) with ``default`` where a text is empty."""
    if len(converted) == len(texts):
        return converted
    values = iter(converted)
    return [next(values) if t else default for t in texts]


def shared_texts(texts: Iterable[str]) -> list[str]:
    """The texts, each repeated text the same object as its first occurrence (a firm's name on every year's row):
    equal values, fewer objects to keep, and a loaded project pickles each distinct text once (about a fifth
    smaller and faster to send from a portfolio's worker to the report's process)."""
    first: dict[str, str] = {}
    listed = list(texts)
    return list(map(first.setdefault, listed, listed))


def numbers(texts: Sequence[str], pattern: re.Pattern[str], convert: Callable[[str], Any], default: Any) -> list[Any] | None:
    """A column of plain numbers converted at once, or None when a cell is not plain (or when the column repeats
    a few values, which :func:`parsed` reads faster).

    ``pattern`` matches the non-empty cells joined by newlines (each cell one plain number: a cell
    holds no newline); ``convert`` is ``float`` or ``int`` of a cell with a decimal point.
    """
    present = list(filter(None, texts))
    if not present:
        return [default] * len(texts)
    if max(map(len, present)) > 24 or len(set(present)) * 4 <= len(present):  # few distinct values: parsed() is faster
        return None
    joined = "\n".join(present)
    if not pattern.fullmatch(joined):
        return None
    if "," in joined:
        joined = joined.replace(",", ".")
    return fill(texts, list(map(convert, joined.split("\n"))), default)


def parsed(texts: Sequence[str], parse: Callable[[str], Any], default: Any) -> list[Any]:
    """A column through a cell parser called once per distinct non-empty text (a parser is a pure function of the text).

    A cell the parser rejects raises, as the parser does.
    """
    present = list(filter(None, texts))
    memo = {t: parse(t) for t in dict.fromkeys(present)}
    return fill(texts, list(map(memo.__getitem__, present)), default)


def rows(numbers_of_rows: Sequence[int], names: Sequence[str], columns: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    """One dict per row as :func:`evaluation.io.tables.read_table` returns it: ``_row``, an empty ``_failed``, the columns."""
    keys = ("_row", "_failed", *names)
    failed: list[set[str]] = [set() for _ in numbers_of_rows]
    template = dict.fromkeys(keys)
    out = [template.copy() for _ in numbers_of_rows]  # a copy of a dict of the same keys needs no resizing: faster
    deque(map(dict.update, out, map(zip, repeat(keys), zip(numbers_of_rows, failed, *columns))), maxlen=0)
    return out


class Rows(Sequence[dict[str, Any]]):
    """:func:`evaluation.io.tables.read_table`'s rows of a table the fast path read, kept as its columns.

    It holds the rows' numbers (``_row``), the column names and one list of values per column (every
    ``_failed`` is empty). Code that knows it reads the columns (:meth:`column`); anyone else gets the
    row dicts (:func:`rows`), built on the first iteration or indexing, once (the same dicts every time).
    ``len`` and truth need no row; it equals a list of the same rows. Nobody changes it or its rows
    (the loader's tables are read, never written).
    """

    __slots__ = ("_columns", "_rows", "names", "numbers")
    __hash__: ClassVar[None]  # type: ignore[assignment]

    def __init__(self, numbers: Sequence[int], names: Sequence[str], columns: Sequence[list[Any]]) -> None:
        self.numbers = numbers
        self.names = tuple(names)
        self._columns = dict(zip(self.names, columns))
        self._rows: list[dict[str, Any]] | None = None

    def column(self, name: str) -> list[Any]:
        """The values of column ``name`` in row order (KeyError for a column not read); do not change the list."""
        return self._columns[name]

    def materialised(self) -> list[dict[str, Any]]:
        """The row dicts (built on the first call, then the same list)."""
        if self._rows is None:
            self._rows = rows(self.numbers, self.names, list(self._columns.values()))
        return self._rows

    def __len__(self) -> int:
        return len(self.numbers)

    def __bool__(self) -> bool:
        return len(self.numbers) > 0

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        return self.materialised()[index]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.materialised())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Rows):
            other = other.materialised()
        if isinstance(other, list):
            return self.materialised() == other
        return NotImplemented

    def __repr__(self) -> str:
        return repr(self.materialised())


def as_list(table: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """A table's rows as a list (a :class:`Rows` builds its dicts; a list is itself)."""
    return table.materialised() if isinstance(table, Rows) else list(table)


def _objects(values: Sequence[Any]) -> np.ndarray:
    """An object array of the values as they are (``fromiter``: no search for nested sequences, several times faster)."""
    return np.fromiter(values, dtype=object, count=len(values))


def frame(table: Rows, names: Sequence[str], typed: Mapping[str, Callable[[list[Any]], Any]] | None = None) -> pd.DataFrame | None:
    """``pd.DataFrame(<the rows as tuples of the columns names>, columns=names)``, built from the columns.

    Each column goes through pandas' own inference of such a frame (the same function, on the same
    values). ``typed`` gives some columns a builder of their final array instead (see
    :func:`ints_or_none`, :func:`bools`, :func:`floats_or_none`), which returns None when the column is
    not as expected: then the whole result is None (the caller builds the frame the reference way).
    Also None for no rows or a name not read.
    """
    if not table or any(n not in table.names for n in names) or convert_object_array is None:
        return None
    typed = typed or {}
    plain = [n for n in names if n not in typed and not _all_none(table.column(n))]
    arrays = dict(zip(plain, convert_object_array([_objects(table.column(n)) for n in plain], dtype=None)))
    for name in names:
        if name not in arrays and name not in typed:  # what the inference leaves of a column of None: None objects
            arrays[name] = np.full(len(table), None, dtype=object)
    for name, build in typed.items():
        built = build(table.column(name))
        if built is None:
            return None
        arrays[name] = built
    return pd.DataFrame({n: arrays[n] for n in names}, copy=False)  # new arrays, nobody else's: no copy needed


def _all_none(values: list[Any]) -> bool:
    return bool(values) and values[0] is None and values.count(None) == len(values)


def ints_or_none(values: list[Any]) -> Any:
    """An ``Int64`` array of ints and None (missing), the ints within 2**53; else None.

    What ``pd.array(<the inferred column>, dtype="Int64")`` or ``.astype("Int64")`` gives for such values: the
    frame infers int64 for ints, float64 for ints and None (the ints as floats, as here).
    """
    n = len(values)
    if _all_none(values):
        return pd.arrays.IntegerArray(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool))
    kinds = set(map(type, values))
    if not kinds <= {int, type(None)}:
        return None
    if type(None) in kinds:
        as_floats = np.array(values, dtype=float)
        mask = np.isnan(as_floats)
        if np.abs(as_floats[~mask]).max() > 2**53:
            return None
        return pd.arrays.IntegerArray(np.where(mask, 0.0, as_floats).astype(np.int64), mask)
    if max(values) > 2**53 or min(values) < -(2**53):
        return None
    return pd.arrays.IntegerArray(np.array(values, dtype=np.int64), np.zeros(n, dtype=bool))


def bools(values: list[Any]) -> np.ndarray | None:
    """A bool array of values that are all bools (what a frame infers for them); else None."""
    if set(map(type, values)) != {bool}:
        return None
    return np.array(values, dtype=bool)


def floats_or_none(values: list[Any]) -> np.ndarray | None:
    """A float array of floats and None (NaN): the inferred column, or ``pd.to_numeric`` of an all-None one, as floats; else None."""
    if _all_none(values):
        return np.full(len(values), np.nan)
    if not set(map(type, values)) <= {float, type(None)}:
        return None
    return np.array(values, dtype=float)


def floats(values: list[object]) -> np.ndarray | None:
    """Values as floats when every one is a float, an int within 2**53 (exact either way) or None (NaN); else None."""
    kinds = set(map(type, values))
    if not kinds <= {float, int, type(None)}:
        return None
    if int in kinds:
        ints: list[Any] = values if len(kinds) == 1 else [v for v in values if type(v) is int]
        if max(ints) > 2**53 or min(ints) < -(2**53):
            return None
    return np.array(values, dtype=float)


class ListColumn:
    """One column of :class:`ColumnLists`: what the table checks read of a Series (``tolist()``; no index)."""

    index = None

    def __init__(self, values: list[Any]) -> None:
        self._values = values

    def tolist(self) -> list[Any]:
        return list(self._values)


class ColumnLists:
    """A table's columns as lists of the values a :func:`~evaluation.io.table_schemas.table_frame` would hold.

    The table checks read a frame only through ``columns`` (membership), ``len``, ``empty``,
    ``frame[name].tolist()`` and ``assign``; given this instead they return a boolean array (no
    index) and no pandas object is built: the clean case, where every rule holds, costs no frame.
    The lists are read, never changed (they may be the columns of a :class:`Rows`).
    """

    index = None

    def __init__(self, columns: dict[str, list[Any]], length: int) -> None:
        self.columns = columns
        self._length = length

    def __len__(self) -> int:
        return self._length

    @property
    def empty(self) -> bool:
        return self._length == 0 or not self.columns

    def __getitem__(self, name: str) -> ListColumn:
        return ListColumn(self.columns[name])

    def assign(self, **more: Sequence[Any]) -> ColumnLists:
        """A copy with more columns (as ``DataFrame.assign``: a new column, or one replaced)."""
        return ColumnLists({**self.columns, **{k: list(v) for k, v in more.items()}}, self._length)


def table_lists(rows: Sequence[dict[str, Any]], names: Sequence[str]) -> ColumnLists:
    """The columns ``names`` of the loader's rows, a cell named in its row's ``_failed`` as None (as in a table frame)."""
    if isinstance(rows, Rows):  # no cell failed; a column not read is empty, as ``r.get`` gives it
        return ColumnLists({c: rows.column(c) if c in rows.names else [None] * len(rows) for c in names}, len(rows))
    try:
        if not any(map(bool, map(operator.itemgetter("_failed"), rows))):
            return ColumnLists({c: list(map(operator.itemgetter(c), rows)) for c in names}, len(rows))
    except KeyError:
        pass
    return ColumnLists({c: [None if c in r.get("_failed", ()) else r.get(c) for r in rows] for c in names}, len(rows))
