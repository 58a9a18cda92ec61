"""Whole-column fast paths for reading a project's tables, and the switch that turns them off.

Every fast path here (and in :mod:`evaluation.io.tables`, :mod:`evaluation.io.table_schemas` and
:mod:`evaluation.io.loader`) handles only the common, clean case -- a quote-free CSV whose cells
all parse, a column of plain numbers, rows that keep every rule -- and gives exactly what the
reference (per-cell, per-row) code gives for it. As soon as anything is unusual it returns None
(or hands over), the reference code runs and names every problem with the same words, rows and
order. Tests compare both paths (:func:`reference_path` turns the fast paths off).
"""

from __future__ import annotations

import operator
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import repeat
from typing import Any

import numpy as np

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


def floats(values: list[object]) -> np.ndarray | None:
    """Values as floats when every one is a float, an int within 2**53 (exact either way) or None (NaN); else None."""
    kinds = set(map(type, values))
    if not kinds <= {float, int, type(None)}:
        return None
    if int in kinds:
        ints = [v for v in values if type(v) is int]
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
    try:
        if not any(map(bool, map(operator.itemgetter("_failed"), rows))):
            return ColumnLists({c: list(map(operator.itemgetter(c), rows)) for c in names}, len(rows))
    except KeyError:
        pass
    return ColumnLists({c: [None if c in r.get("_failed", ()) else r.get(c) for r in rows] for c in names}, len(rows))
