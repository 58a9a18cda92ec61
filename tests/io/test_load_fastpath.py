"""The fast paths of loading a project (io/columnar, io/tables, io/table_schemas, io/table_rules, io/loader)
give exactly what the reference code gives: the same rows, frames and Project, and for bad input the same
problems in the same order."""

from __future__ import annotations

import dataclasses
import random
import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from evaluation.core.errors import InputError, ProblemCollector
from evaluation.core.model import Project
from evaluation.io import columnar, loader, qualitative, table_rules, tables
from evaluation.io.loader import load_project

_REPO = Path(__file__).resolve().parents[2]
_EXAMPLES = sorted(p.parent.name for p in (_REPO / "data").glob("*/project.yaml"))
_COLUMNS: dict[str, tuple[tables.Column, ...]] = {
    "indicator_values": loader.INDICATOR_VALUE_COLUMNS, "costs": loader.COST_COLUMNS, "activities": loader.ACTIVITY_COLUMNS,
    "funnel": loader.FUNNEL_COLUMNS, "firms": loader.FIRM_COLUMNS, "participation": loader.PARTICIPATION_COLUMNS,
    "survey": loader.SURVEY_COLUMNS, "survey_invited": loader.INVITED_COLUMNS, "financing": loader.FINANCING_COLUMNS,
    "payments": loader.PAYMENT_COLUMNS, **qualitative.TABLES,
}


# --------------------------------------------------------------------------- comparing both paths


def _both(run: Callable[[], Any]) -> tuple[Any, Any]:
    """``run()`` with the fast paths and with the reference code only; an InputError becomes its problems."""
    def outcome() -> Any:
        try:
            return run()
        except InputError as exc:
            return ("problems", _problems(exc.problems))
    fast = outcome()
    with columnar.reference_path():
        reference = outcome()
    return fast, reference


def _problems(problems: Any) -> list[tuple[Any, ...]]:
    return [(p.file, p.field, p.expectation, type(p.got).__name__, repr(p.got), p.row) for p in problems]


def _typed(value: Any) -> Any:
    """A value with the type of every part spelt out (1 and 1.0 differ here, as do True and 1; a table kept as
    columns stands for the list of its rows)."""
    if isinstance(value, columnar.Rows):
        return ("list", [_typed(v) for v in value])
    if isinstance(value, dict):
        return [(k, _typed(v)) for k, v in value.items()]
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_typed(v) for v in value])
    if isinstance(value, (set, frozenset)):
        return (type(value).__name__, sorted(map(repr, value)))
    return (type(value).__name__, repr(value))


def _assert_same_frame(a: pd.DataFrame | None, b: pd.DataFrame | None) -> None:
    if a is None or b is None:
        assert a is None and b is None
        return
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    for column in a.columns:
        if a[column].dtype == object:
            assert [type(v) for v in a[column]] == [type(v) for v in b[column]], column
    assert a.attrs.keys() == b.attrs.keys()
    for key, value in a.attrs.items():
        if isinstance(value, np.ndarray):
            assert value.dtype == b.attrs[key].dtype and np.array_equal(value, b.attrs[key])
            assert value.flags.writeable == b.attrs[key].flags.writeable
        else:
            assert value == b.attrs[key]


def _assert_same_project(fast: Any, reference: Any) -> None:
    assert type(fast) is type(reference)
    if not isinstance(fast, Project):
        assert fast == reference
        return
    assert fast == reference and repr(fast) == repr(reference)
    for f in dataclasses.fields(Project):
        a, b = getattr(fast, f.name), getattr(reference, f.name)
        if isinstance(a, pd.DataFrame) or isinstance(b, pd.DataFrame):
            _assert_same_frame(a, b)
        elif not isinstance(a, pd.DataFrame):
            assert _typed(a) == _typed(b) if not dataclasses.is_dataclass(a) else repr(a) == repr(b), f.name


def _read_and_check(folder: Path) -> tuple[Any, ...]:
    """Every table of a folder read and checked by its schema: the rows, the digests and the problems."""
    problems = ProblemCollector()
    digests: dict[str, str] = {}
    read = loader._read_tables(folder, problems, digests)
    table_rules.check_table_rules((), read, problems)
    return _typed({name: rows for name, (_, rows) in read.items()}), digests, _problems(problems.problems)


# --------------------------------------------------------------------------- shipped and synthetic projects


@pytest.mark.parametrize("project", _EXAMPLES)
def test_shipped_projects_load_alike(project: str) -> None:
    """Every project of data/ loads to the same Project, frames and problems with and without the fast paths."""
    fast, reference = _both(lambda: load_project(_REPO / "data" / project))
    _assert_same_project(fast, reference)


def _synthetic(root: Path, n: int) -> list[Path]:
    from evaluation.authoring.synthetic import write_synthetic_project

    return [write_synthetic_project(root, f"syn{i:02d}", 500 + i, n_firms=10 + 7 * i, with_survey=i % 4 != 3,
                                    with_comparison=i % 3 != 2) for i in range(1, n + 1)]


def test_synthetic_projects_load_alike(tmp_path: Path) -> None:
    """24 synthetic projects (different sizes, with and without survey and comparison firms) load alike both ways."""
    folders = _synthetic(tmp_path, 24)
    for folder in folders:
        fast, reference = _both(partial(load_project, folder))
        assert isinstance(fast, Project), fast
        _assert_same_project(fast, reference)


def test_fast_paths_are_taken_for_synthetic_tables(tmp_path: Path) -> None:
    """A synthetic project's CSV tables are clean: each is read by the fast path (else the comparisons would test nothing)."""
    folder = _synthetic(tmp_path, 1)[0]
    for path in sorted(folder.glob("*.csv")):
        text = path.read_text(encoding="utf-8")
        assert tables._fast_table(text, _COLUMNS[path.stem]) is not None, path.name
    read = loader._read_tables(folder, ProblemCollector())
    schemas = table_rules.table_schemas.schemas()
    lists = table_rules._frames((), read, columnar.table_lists)
    assert lists and all(schemas[n].passes(f, table_rules.table_schemas.LEFT_TO_REVIEW.get(n, ())) for n, f in lists.items())


def test_reference_path_switch_turns_the_fast_paths_off() -> None:
    """Inside reference_path() the fast paths are off, and on again after it."""
    assert columnar.fast()
    with columnar.reference_path():
        assert not columnar.fast()
    assert columnar.fast()


# --------------------------------------------------------------------------- mutated tables

_CELLS = ["", "  ", "abc", "1,5", "1.5", "1 000", "-0", "1e5", "nan", "inf", "-inf", "9" * 30, "1" + "0" * 400, "\ufeff5",
          '"7"', '"a,b"', '"x""y"', "2022/10/31", "31.10.2022", "okt-22", "2022-02-30", "2022-13", " 12 ", "\u00a012",
          "12\u2009", "+3", "\u22124", "3 tkr", "49,7 %", "yes", "kanske", "TRUE", "0", "-5", "3022", "\u0663", "1.", ".5",
          "1,2,3", "16.713.030", "1_000", "0x10", "12abc", "nej", "w1", "w9", "f001", "illustrative", "verified",
          "not_reported", "2023-06-30", "2023-06-30 00:00:00", "7", "7.0", "250", "100000000000000000000000"]


def _mutate(text: str, rng: random.Random) -> str:
    """``text`` (a CSV table) with one to three random edits of the kinds staff, Excel and survey tools make."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(16)
        at = rng.randrange(len(lines))
        cells = lines[at].split(",")
        if kind <= 5:  # one cell replaced
            cells[rng.randrange(len(cells))] = rng.choice(_CELLS)
            lines[at] = ",".join(cells)
        elif kind == 6 and len(lines) > 2:
            del lines[max(at, 1)]
        elif kind == 7:
            lines.insert(at, lines[max(at, 1) % len(lines)])  # a duplicate row
        elif kind == 8:
            lines.insert(at + 1, rng.choice(["", "   ", ",,,", "\t", ";"]))
        elif kind == 9:
            lines[at] += rng.choice([",", ",x", ",,"])
        elif kind == 10 and len(cells) > 1:
            lines[at] = ",".join(cells[:-1])
        elif kind == 11:  # a header renamed, added or repeated
            header = lines[0].split(",")
            header[rng.randrange(len(header))] = rng.choice(["Year", "unknown", header[0], "", " year "])
            lines[0] = ",".join(header)
        elif kind == 12:
            lines[at] = lines[at].replace(",", ";") if rng.random() < 0.5 else lines[at].replace(",", "\t")
        elif kind == 13:
            lines.insert(0, rng.choice(["sep=,", "sep=;", "", "\ufeff"]))
        elif kind == 14:
            cells[rng.randrange(len(cells))] = '"multi\nline"'
            lines[at] = ",".join(cells)
        else:
            lines = [line.replace(",", ";") for line in lines] if rng.random() < 0.5 else lines
    ending = rng.choice(["\n", "\r\n", "", "\n\n"])
    return ending.join(lines) + (ending if rng.random() < 0.8 else "")


@pytest.fixture(scope="module")
def source_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The text of each table of two synthetic projects and the shipped examples (the material to mutate)."""
    root = tmp_path_factory.mktemp("source")
    texts: dict[str, str] = {}
    for folder in [*_synthetic(root, 2), *(_REPO / "data" / p for p in _EXAMPLES)]:
        for path in sorted(folder.glob("*.csv")):
            texts[f"{folder.name}/{path.name}"] = path.read_text(encoding="utf-8")
    return texts


def test_mutated_tables_read_alike(tmp_path: Path, source_tables: dict[str, str]) -> None:
    """600 randomly mutated table files give the same rows, digests and problems (same words, rows, order) both ways."""
    rng = random.Random(20261202)
    names = sorted(source_tables)
    fast_taken = 0
    for i in range(600):
        name = rng.choice(names)
        text = _mutate(source_tables[name], rng)
        path = tmp_path / f"m{i}" / name.split("/")[1]
        path.parent.mkdir()
        encoding = "cp1252" if rng.random() < 0.05 and text.isascii() is False else "utf-8"
        try:
            path.write_bytes(("\ufeff" if rng.random() < 0.1 else "").encode() + text.encode(encoding))
        except UnicodeEncodeError:
            path.write_bytes(text.encode("utf-8"))
        columns = _COLUMNS[path.stem]

        def read(path: Path = path, columns: tuple[tables.Column, ...] = columns) -> Any:
            problems = ProblemCollector()
            digests: dict[str, str] = {}
            rows = tables.read_table(path, columns, problems, digests=digests)
            return _typed(rows), digests, _problems(problems.problems)

        fast, reference = _both(read)
        assert fast == reference, (name, text[:500])
        fast_taken += tables._fast_table(path.read_bytes().decode("utf-8-sig", "replace"), columns) is not None
    assert 50 < fast_taken < 550  # both the fast path and the reference were exercised


def test_mutated_project_folders_check_alike(tmp_path: Path, source_tables: dict[str, str]) -> None:
    """100 project folders with one or two mutated tables: the same rows and schema problems, and the same
    Project or problems from load_project, both ways."""
    rng = random.Random(1402)
    source = _synthetic(tmp_path / "source", 2)
    for i in range(100):
        folder = tmp_path / f"p{i}" / source[i % 2].name
        shutil.copytree(source[i % 2], folder)
        for path in rng.sample(sorted(folder.glob("*.csv")), rng.randint(1, 2)):
            path.write_text(_mutate(path.read_text(encoding="utf-8"), rng), encoding="utf-8")
        fast, reference = _both(partial(_read_and_check, folder))
        assert fast == reference, i
        if i % 3 == 0:
            fast, reference = _both(partial(load_project, folder))
            _assert_same_project(fast, reference)


def _set_cell(path: Path, row: int, column: str, value: str | Callable[[dict[str, str]], str]) -> None:
    """Set one cell of a synthetic CSV table (``row`` 1 is the first data row; a negative row counts from the end)."""
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    header = lines[0].split(",")
    at = row if row > 0 else len(lines) + row
    cells = lines[at].split(",")
    cells[header.index(column)] = value if isinstance(value, str) else value(dict(zip(header, cells)))
    lines[at] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("edit", [
    ("firms", 1, "employees", "-3.0"),  # a negative count
    ("firms", 2, "participant", lambda r: "no" if r["participant"] == "yes" else "yes"),  # participant changes within a firm
    ("firms", -1, "participation_start", "2022"),  # a start year for a comparison firm (or a changed start)
    ("firms", 3, "year", "3020"),  # a year out of range
    ("firms", 4, "turnover", "-1"),
    ("survey_invited", 1, "invited", "1"),  # fewer invited than respondents
    ("survey_invited", -1, "wave", "w1"),  # a wave listed twice, the other not invited
    ("survey", 1, "answer", "9"),  # an answer off the scale
    ("survey", 3, "answer", "5"),  # a number among text answers (item 3 is answered in words)
    ("funnel", 1, "count", "-1"),
    ("costs", 2, "budget", "-100"),
    ("activities", 1, "count", "-2"),
])
def test_rule_failures_give_the_reference_problems(tmp_path: Path, edit: tuple[Any, ...]) -> None:
    """A table breaking one of its rules gives the same problems both ways (the checks over lists hand over to pandera)."""
    folder = _synthetic(tmp_path, 1)[0]
    table, row, column, value = edit
    _set_cell(folder / f"{table}.csv", row, column, value)
    fast, reference = _both(lambda: load_project(folder))
    assert isinstance(fast, tuple) and fast[0] == "problems" and fast[1]
    _assert_same_project(fast, reference)
    fast_rules, reference_rules = _both(lambda: _read_and_check(folder))
    assert fast_rules == reference_rules


def test_clean_csv_edge_space_matches_str_strip() -> None:
    """The whole-text test for whitespace at a cell's edge agrees with str.strip on every short text of a small alphabet."""
    import itertools

    for sep in tables.SEPARATORS:
        alphabet = ["a", " ", sep, "\n", "\u00a0", "\t", "\u2028"]
        for k in range(1, 5):
            for combo in itertools.product(alphabet, repeat=k):
                text = "".join(combo)
                expected = any(c != c.strip() for line in text.split("\n") for c in line.split(sep))
                assert tables._has_edge_space(text, sep) == expected, (sep, text)


def test_number_columns_convert_as_parse_float() -> None:
    """A column of plain numbers converted at once gives parse_float's (parse_int's) value of every cell; a cell
    that is not plain, or a column of a few repeated values, goes back to the per-cell parser (None)."""
    rng = random.Random(7)
    forms = [lambda: "", lambda: str(rng.randint(-10**9, 10**9)), lambda: f"{rng.random() * 1000:.{rng.randint(1, 9)}f}",
             lambda: f"{rng.randint(0, 999)},{rng.randint(0, 99999)}", lambda: "+" + str(rng.randint(0, 10**6)),
             lambda: "-0", lambda: "1" * 24, lambda: f"{rng.randint(0, 10**6)},00000000000000001"]
    texts = [rng.choice(forms)() for _ in range(400)]
    got = columnar.numbers(texts, tables._COLUMN_NUMBERS, float, None)
    assert got is not None
    assert _typed(got) == _typed([tables.parse_float(t) if t else None for t in texts])
    ints = [t for t in texts if t and "," not in t and "." not in t]
    assert _typed(columnar.numbers(ints, tables._COLUMN_INTS, int, None)) == _typed([tables.parse_int(t) for t in ints])
    for odd in ("1.", ".5", "1 000", "1e5", "\u0663", "1" * 25, "nan", "1,2,3"):
        assert columnar.numbers([*texts, odd], tables._COLUMN_NUMBERS, float, None) is None, odd
    assert columnar.numbers(["2019", "2020"] * 10, tables._COLUMN_INTS, int, None) is None


def test_yaml_fast_path_matches_reference_on_mutated_documents(tmp_path: Path) -> None:
    """project.yaml files with random edits parse to the same data and line map (or the same problems) with
    libyaml and the one-walk construction as with the pure-Python reference."""
    from evaluation.io import yamlio

    rng = random.Random(99)
    text = (_synthetic(tmp_path, 1)[0] / "project.yaml").read_text(encoding="utf-8")
    lines = text.split("\n")
    edits = ["x: 1", "yes", "on", "0x1F", "1_000", "1:30", ".inf", "~", "2024-02-30", "!!str 5", "!!set {a}", "[1, 2]",
             "{a: b}", "'quoted'", '"dq"', "=", "<<: {}", "&a 1", "- item", "  ", "1e3", "-.5", "null", "12:30:00"]
    for _ in range(60):
        mutated = list(lines)
        at = rng.randrange(len(mutated))
        line = mutated[at]
        if ": " in line and rng.random() < 0.7:
            mutated[at] = line.split(": ", 1)[0] + ": " + rng.choice(edits)
        else:
            mutated.insert(at, rng.choice(edits))
        document = "\n".join(mutated)

        def parse(doc: str = document) -> Any:
            try:
                return yamlio._parse_checked(doc, "f")
            except InputError as exc:
                return _problems(exc.problems)

        fast = yamlio._parse_fast(document)
        if fast is not None:
            assert _typed(fast) == _typed(parse()), document
        try:
            got: Any = yamlio.parse_yaml(document.encode("utf-8"), "f")
        except InputError as exc:
            got = _problems(exc.problems)
        assert _typed(got) == _typed(parse())


# --------------------------------------------------------------------------- tables kept as columns


def _random_column(rng: random.Random, n: int) -> list[Any]:
    """A column of values of the kinds the parsers give (and odd mixtures), for comparing frames built both ways."""
    import datetime

    kind = rng.randrange(12)
    pick: dict[int, Callable[[], Any]] = {
        0: lambda: rng.choice(["a", "b", "ö", "f001"]),
        1: lambda: rng.randint(-5, 3000),
        2: lambda: rng.random() * 100,
        3: lambda: rng.choice([True, False]),
        4: lambda: datetime.date(2020, rng.randint(1, 12), 1),
        5: lambda: rng.choice(["x", 3, 2.5, True, None]),
        6: lambda: rng.choice([2**53, -(2**53), 2**53 + 1, 2**63 + 5, 7]),
        7: lambda: None,
    }
    make = pick.get(kind % 8, pick[0])
    values = [make() for _ in range(n)]
    if kind >= 8:  # some missing
        values = [None if rng.random() < 0.3 else v for v in values]
    return values


def test_lazy_rows_equal_the_eager_rows(tmp_path: Path) -> None:
    """A table the fast path keeps as columns gives the row dicts columnar.rows builds (built once, on first use, not for
    len or truth), equals that list both ways round, and read_table gives that list."""
    folder = _synthetic(tmp_path, 1)[0]
    for path in sorted(folder.glob("*.csv")):
        columns = _COLUMNS[path.stem]
        kept = tables._fast_table(path.read_text(encoding="utf-8"), columns)
        assert isinstance(kept, columnar.Rows), path.name
        assert len(kept) > 0 and bool(kept) and kept._rows is None  # length and truth build no row
        eager = columnar.rows(kept.numbers, kept.names, [kept.column(n) for n in kept.names])
        assert _typed(kept.materialised()) == _typed(eager)
        assert kept == eager and eager == kept and kept == kept.materialised()
        assert kept[0] is kept.materialised()[0] and list(kept)[-1] is kept[-1] and kept[1:3] == eager[1:3]
        assert [r["_row"] for r in kept] == list(kept.numbers) and all(r["_failed"] == set() for r in kept)
        assert tables.read_table(path, columns, ProblemCollector()) == eager
    empty = columnar.Rows([], ["a"], [[]])
    assert not empty and len(empty) == 0 and empty == [] and list(empty) == []


def test_frame_from_columns_equals_the_frame_from_row_tuples() -> None:
    """columnar.frame of a table kept as columns is the frame pandas builds from the rows as tuples (dtypes, values,
    types of the objects), for 300 random tables of every kind of value the parsers give and odd mixtures."""
    rng = random.Random(1414)
    for _ in range(300):
        n, width = rng.randint(1, 40), rng.randint(1, 6)
        names = [f"c{i}" for i in range(width)]
        columns = [_random_column(rng, n) for _ in names]
        kept = columnar.Rows(list(range(2, n + 2)), names, columns)
        expected = pd.DataFrame(list(zip(*columns)), columns=names)
        _assert_same_frame(columnar.frame(kept, names), expected)
    assert columnar.frame(columnar.Rows([], ["a"], [[]]), ["a"]) is None  # no rows: the caller's way
    assert columnar.frame(columnar.Rows([2], ["a"], [[1]]), ["a", "b"]) is None  # a column not read


def test_typed_firm_columns_equal_the_converted_ones() -> None:
    """Each firm column built at its final dtype at once (Int64, bool, float) equals the inferred column converted as the
    loader converts it, or the builder declines (None) and the loader converts."""
    rng = random.Random(53)
    convert: dict[Callable[[list[Any]], Any], Callable[[pd.Series], Any]] = {
        columnar.ints_or_none: lambda s: pd.array(s, dtype="Int64"),
        columnar.bools: lambda s: s.astype(bool),
        columnar.floats_or_none: lambda s: pd.to_numeric(s, errors="coerce").astype(float),
    }
    declined = 0
    fixed = [(build, values) for build in convert for values in ([None] * 4, [None, 3], [2**53 + 1, None], [2**53 + 1, 2], [True])]
    for i in range(400 + len(fixed)):
        build = rng.choice(list(convert))
        n = rng.randint(1, 30)
        values = _random_column(rng, n)
        if i < len(fixed):  # all empty, partly empty, beyond 2**53 (with and without an empty cell), a bool
            build, values = fixed[i]
        elif rng.random() < 0.6:  # mostly what the parsers give the column
            make: dict[Any, Callable[[], Any]] = {columnar.ints_or_none: lambda: rng.choice([None, rng.randint(1900, 2100), 2**53 + 1]),
                                                  columnar.bools: lambda: rng.random() < 0.5,
                                                  columnar.floats_or_none: lambda: rng.choice([None, rng.random() * 1e6, -0.0])}
            values = [make[build]() for _ in range(n)]
        built = build(values)
        if built is None:
            declined += 1
            continue
        try:
            expected = convert[build](pd.DataFrame({"c": values})["c"])
        except (TypeError, ValueError):  # the conversion refuses what the builder took: a defect
            raise AssertionError(values) from None
        _assert_same_frame(pd.DataFrame({"c": built}), pd.DataFrame({"c": expected}))
    assert 0 < declined < 400
    assert columnar.ints_or_none([2**53 + 1, None]) is not None  # through floats, as the frame infers it: 2**53


def test_firm_frame_from_columns_equals_the_converted_frame(tmp_path: Path) -> None:
    """A firms table with empty, partly empty and full optional columns gives the same Project.firms both ways."""
    folder = _synthetic(tmp_path, 1)[0]
    path = folder / "firms.csv"
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    header = lines[0].split(",")
    extra = ["published_change", "org_nr", "applicant", "sni"]
    body = []
    for i, line in enumerate(lines[1:]):
        cells = dict(zip(header, line.split(",")))
        cells["participation_start"] = ""  # no participant's start: an all-empty int column
        cells["turnover"] = "" if i % 3 else cells["turnover"]
        cells["women_led"] = "" if i % 2 else cells["women_led"]
        body.append(",".join([*(cells[h] for h in header), "" if i % 4 else "1,5".replace(",", "."), f"55{i:08d}",
                              "ja" if i % 2 else "nej", ""]))
    path.write_text("\n".join([",".join([*header, *extra]), *body]) + "\n", encoding="utf-8")
    rows = tables.read_table_lazy(path, loader.FIRM_COLUMNS, ProblemCollector())
    assert isinstance(rows, columnar.Rows)
    typed = loader._firm_frame(rows)
    assert typed is not None
    fast, reference = _both(lambda: load_project(folder))
    assert isinstance(fast, Project), fast
    _assert_same_project(fast, reference)


def test_table_lists_and_firm_years_read_the_columns(tmp_path: Path) -> None:
    """The checks' column lists and the firm-year check give, from a table kept as columns, what they give from its
    row dicts (a column not read is empty; a repeated firm-year is named with its first row)."""
    folder = _synthetic(tmp_path, 1)[0]
    path = folder / "firms.csv"
    kept = tables.read_table_lazy(path, loader.FIRM_COLUMNS, ProblemCollector())
    assert isinstance(kept, columnar.Rows)
    names = [*kept.names[:5], "not_a_column"]
    lists = columnar.table_lists(kept, names)
    assert kept._rows is None  # read from the columns
    assert lists.columns == columnar.table_lists(list(kept), names).columns and len(lists) == len(kept)
    for rows in (kept, columnar.Rows(kept.numbers, kept.names, [kept.column(n) for n in kept.names])):
        found = ProblemCollector()
        table_rules.check_unique_firm_years(path, rows, found)
        assert found.problems == []
    doubled = columnar.Rows([*kept.numbers, 999], kept.names, [[*kept.column(n), kept.column(n)[0]] for n in kept.names])
    fast, reference = ProblemCollector(), ProblemCollector()
    table_rules.check_unique_firm_years(path, doubled, fast)
    with columnar.reference_path():
        table_rules.check_unique_firm_years(path, doubled.materialised(), reference)
    assert _problems(fast.problems) == _problems(reference.problems) and len(fast.problems) == 1


def test_survey_checks_over_texts_match_the_reference() -> None:
    """The survey checks' shortcuts for columns of texts (one answer per respondent and item, one kind of answer per
    item, respondents per wave) give what the reference loops give, with repeated keys, missing cells, answers off
    the scale, booleans and texts."""
    from evaluation.io import table_schemas

    rng = random.Random(5)
    scale = frozenset(table_schemas.SCALE)
    for _ in range(300):
        n = rng.randint(0, 12)
        data: dict[str, list[Any]] = {c: [rng.choice(["a", "b", "c"]) for _ in range(n)] for c in table_schemas.KEY}
        data["answer"] = [rng.choice([1, 3, 5, 9, "ja", None, True]) if rng.random() < 0.5 else rng.choice([2, "nej"])
                          for _ in range(n)]
        if n and rng.random() < 0.3:
            data[rng.choice([*table_schemas.KEY])][rng.randrange(n)] = rng.choice([None, float("nan")])
        invited = columnar.ColumnLists({"wave": ["a", "b", "z"], "invited": [1, 2, 3]}, 3)
        for frame in (columnar.ColumnLists(data, n), pd.DataFrame(data, index=pd.Index(range(2, n + 2), name="row"))):
            def run(frame: Any = frame, invited: Any = invited) -> Any:
                context = table_schemas.invited_context(invited, frame)
                return (np.asarray(table_schemas._unique_answer(frame), dtype=bool).tolist(),
                        table_schemas._kinds_per_item(frame, scale), context.columns.get("_respondents"))
            fast, reference = _both(run)
            assert _typed(fast) == _typed(reference), data


def test_a_repeated_text_is_kept_once() -> None:
    """A text column read the fast way holds each distinct text once (one object per value), with the values unchanged."""
    text = "firm_id,name\n" + "".join(f"f{i % 3},Firma {i % 3}\n" for i in range(9))
    rows = tables._fast_table(text, [tables.Column("firm_id"), tables.Column("name")])
    assert rows is not None
    names = [r["name"] for r in rows]
    assert names == [f"Firma {i % 3}" for i in range(9)]
    assert len({id(n) for n in names}) == 3
