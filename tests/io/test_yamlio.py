"""Tests for evaluation.io.yamlio: line numbers of keys, dotted field names, YAML read errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.core.errors import InputError
from evaluation.io.yamlio import field_name, line_map, line_of, read_yaml

TEXT = """\
# a comment
id: x
goal_tree:
  - id: a
    level: overall
  - {id: b, level: sub}
effect_logic:
  links:
    - {from: a, to: b}
"""


def test_line_map_records_keys_and_list_items() -> None:
    """Every key path (with list indices) maps to the 1-based line it starts on."""
    lines = line_map(TEXT)
    assert lines[("id",)] == 2
    assert lines[("goal_tree",)] == 3
    assert lines[("goal_tree", 0)] == 4
    assert lines[("goal_tree", 0, "level")] == 5
    assert lines[("goal_tree", 1, "level")] == 6
    assert lines[("effect_logic", "links", 0, "to")] == 9


def test_line_map_of_empty_document_is_empty() -> None:
    """An empty document has no lines to map."""
    assert line_map("") == {}


def test_line_of_uses_longest_known_prefix() -> None:
    """A path not in the map (a missing key) falls back to its nearest parent's line."""
    lines = line_map(TEXT)
    assert line_of(lines, ("goal_tree", 1, "statement")) == 6
    assert line_of(lines, ("effect_logic", "links", 0, "assumption")) == 9
    assert line_of(lines, ("nowhere",)) == 2  # the document's first line after the comment
    assert line_of({}, ("id",)) is None


@pytest.mark.parametrize(
    ("loc", "name"),
    [(("goal_tree", 3, "level"), "goal_tree[3].level"), (("id",), "id"), ((), "document"), (("a", 0, 1, "b"), "a[0][1].b")],
)
def test_field_name_dotted_with_indices(loc: tuple[object, ...], name: str) -> None:
    """Locations become dotted names with [i] for list indices; the empty path is 'document'."""
    assert field_name(loc) == name


def test_read_yaml_returns_data_and_lines(tmp_path: Path) -> None:
    """read_yaml parses the document (dates left as text for the schema) and returns its line map."""
    path = tmp_path / "p.yaml"
    path.write_text("start: 2024-01-01\nname: Å\n", encoding="utf-8")
    data, lines = read_yaml(path)
    assert data == {"start": "2024-01-01", "name": "Å"}
    assert lines[("name",)] == 2


def test_read_yaml_syntax_error_is_input_error_with_line(tmp_path: Path) -> None:
    """A syntax error becomes one InputError problem on 'yaml' naming the line."""
    path = tmp_path / "p.yaml"
    path.write_text("a: 1\nb: [1, 2\nc: 3\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_yaml(path)
    (p,) = info.value.problems
    assert p.field == "yaml" and p.expectation == "valid YAML" and p.row == 3
    assert p.file == str(path.resolve())


def test_read_yaml_duplicate_indent_error_names_line(tmp_path: Path) -> None:
    """A mapping value in the wrong place is reported at its line."""
    path = tmp_path / "p.yaml"
    path.write_text("a: 1\nb: c: 2\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_yaml(path)
    assert info.value.problems[0].row == 2


def test_read_yaml_missing_file_is_input_error(tmp_path: Path) -> None:
    """A file that cannot be read is an InputError on 'file', not an OSError."""
    with pytest.raises(InputError) as info:
        read_yaml(tmp_path / "nope.yaml")
    assert info.value.problems[0].field == "file"
    assert info.value.problems[0].expectation == "a readable YAML file"


def test_read_yaml_impossible_date_does_not_crash(tmp_path: Path) -> None:
    """An unquoted impossible date reaches the schema as text (which reports it), not as a ValueError."""
    path = tmp_path / "p.yaml"
    path.write_text("id: x\nstart: 2024-02-30\n", encoding="utf-8")
    data, lines = read_yaml(path)
    assert data["start"] == "2024-02-30" and lines[("start",)] == 2


def test_read_yaml_key_given_twice_is_an_error(tmp_path: Path) -> None:
    """A key repeated in one mapping is a problem at the repeat naming the first line, not a silent overwrite."""
    path = tmp_path / "p.yaml"
    path.write_text("a: 1\nb:\n  c: 1\n  c: 2\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_yaml(path)
    (p,) = info.value.problems
    assert (p.field, p.row, p.got) == ("b.c", 4, "c")
    assert p.expectation == "given only once (it is already given on row 3)"


def test_read_yaml_refuses_python_tags(tmp_path: Path) -> None:
    """A !!python tag is one problem naming the tag; nothing is constructed or run."""
    path = tmp_path / "p.yaml"
    path.write_text(f'a: !!python/object/apply:os.system ["touch {tmp_path / "ran"}"]\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_yaml(path)
    (p,) = info.value.problems
    assert (p.field, p.row, p.got) == ("yaml", 1, "!!python/object/apply:os.system")
    assert not (tmp_path / "ran").exists()


def test_read_yaml_not_utf8_names_byte_and_line(tmp_path: Path) -> None:
    """A file saved as Windows-1252 is a problem on 'encoding' naming the byte and its line, not a crash."""
    path = tmp_path / "p.yaml"
    path.write_bytes("a: 1\nb: \u00c5r\n".encode("cp1252"))
    with pytest.raises(InputError) as info:
        read_yaml(path)
    (p,) = info.value.problems
    assert (p.field, p.row, p.expectation) == ("encoding", 2, "text saved as UTF-8")
    assert str(p.got).startswith("the byte 0xc5")


def test_read_yaml_recursive_alias_is_an_error(tmp_path: Path) -> None:
    """An alias inside its own anchor is a problem at the alias's line, not an endless recursion."""
    path = tmp_path / "p.yaml"
    path.write_text("a: &x\n  b: *x\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_yaml(path)
    (p,) = info.value.problems
    assert (p.field, p.row, p.got) == ("a.b", 2, "a recursive alias")


# --------------------------------------------------------------------------- limits

LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{b}: &{b} [*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a}]\n" for a, b in zip("abcdefgh", "bcdefghi"))


def _problem(path: Path) -> tuple[str, str, str]:
    with pytest.raises(InputError) as info:
        read_yaml(path)
    (p,) = info.value.problems
    assert len(str(info.value)) < 500  # the message names the limit, never the expanded document
    return p.field, p.expectation, str(p.got)


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    """A 700-byte file whose aliases expand to a billion values is one problem, not gigabytes of memory."""
    path = tmp_path / "p.yaml"
    path.write_text(LAUGHS, encoding="utf-8")
    assert path.stat().st_size < 800
    field, expectation, _ = _problem(path)
    assert field == "yaml" and "values once every alias is written out" in expectation


def test_many_aliases_are_refused(tmp_path: Path) -> None:
    """More uses of anchors than the limit is one problem."""
    path = tmp_path / "p.yaml"
    path.write_text("a: &a 1\nb: [" + ", ".join(["*a"] * 1000) + "]\n", encoding="utf-8")
    field, expectation, got = _problem(path)
    assert field == "yaml" and "uses of an anchor" in expectation and "1000" in got


@pytest.mark.parametrize("text", ["a: " + "[" * 1000 + "]" * 1000 + "\n",
                                  "".join("  " * i + f"k{i}:\n" for i in range(1000)) + "  " * 1000 + "x: 1\n"])
def test_deep_nesting_is_an_input_error(tmp_path: Path, text: str) -> None:
    """YAML nested 1000 deep (flow or block) is one problem naming the depth, not a RecursionError (exit 3)."""
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    field, expectation, got = _problem(path)
    assert field == "yaml" and "nested at most 50 deep" in expectation


def test_large_file_is_refused_unread(tmp_path: Path) -> None:
    """A YAML file over the size limit is one problem naming its size."""
    path = tmp_path / "p.yaml"
    path.write_bytes(b"a: 1\n" + b"#" * 3_000_000 + b"\n")
    field, expectation, got = _problem(path)
    assert field == "file" and expectation == "at most 2 000 000 bytes" and got == "a file of 3 000 006 bytes"


def test_long_value_is_refused(tmp_path: Path) -> None:
    """A value longer than a cell may be is one problem at its line, showing only its start."""
    path = tmp_path / "p.yaml"
    path.write_text("a: 1\nb: " + "x" * 40_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_yaml(path)
    (p,) = info.value.problems
    assert (p.field, p.row) == ("b", 2) and str(p.got).startswith("a text of 40 000 characters")


def test_read_yaml_records_the_hash_of_the_bytes_it_parsed(tmp_path: Path) -> None:
    """read_yaml records the sha256 of exactly the bytes it parsed, under the name given."""
    import hashlib

    path = tmp_path / "p.yaml"
    path.write_bytes(b"a: 1\n")
    digests: dict[str, str] = {}
    read_yaml(path, digests=digests)
    assert list(digests.values()) == [hashlib.sha256(b"a: 1\n").hexdigest()]


# --------------------------------------------------------------------------- the fast path (libyaml)

_REPO = Path(__file__).resolve().parents[2]
_YAML_FILES = sorted([*(_REPO / "data").glob("*/project.yaml"), *(_REPO / "params").glob("*.yaml")])


def _synthetic_yaml(tmp_path: Path) -> Path:
    from evaluation.authoring.synthetic import write_synthetic_project

    return write_synthetic_project(tmp_path, "syn01", 7001) / "project.yaml"


@pytest.mark.parametrize("path", _YAML_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fast_path_gives_the_reference_data_and_lines(path: Path) -> None:
    """libyaml's parse of a shipped YAML file gives the same data and line map as the pure-Python reference."""
    from evaluation.io import yamlio

    text = path.read_text(encoding="utf-8")
    fast = yamlio._parse_fast(text)
    if fast is None:
        pytest.skip("this file is left to the reference parser")
    assert fast == yamlio._parse_checked(text, "f")


def test_fast_path_is_taken_for_a_synthetic_project(tmp_path: Path) -> None:
    """A generated project.yaml takes the fast path, with the reference's data and lines."""
    from evaluation.io import yamlio

    text = _synthetic_yaml(tmp_path).read_text(encoding="utf-8")
    fast = yamlio._parse_fast(text)
    assert fast is not None and fast == yamlio._parse_checked(text, "f")


@pytest.mark.parametrize("text", [
    "a: {b: c?d}\n",  # libyaml reads c?d, PyYAML refuses it: the reference decides
    "a: [b, c ? d]\n",
    "a:\tb\n",  # a tab
    "\ufeffa: b\n",  # a byte-order mark
    "a: &x [1]\nb: *x\n",  # an alias
    "a: 1\na: 2\n",  # a key given twice
    "a: !!python/object/apply:os.system [ls]\n",
    "a: [" * 3000 + "]" * 3000 + "\n",  # too deep for libyaml's recursive composer: never handed to it
])
def test_fast_path_leaves_anything_unusual_to_the_reference(text: str) -> None:
    """Documents libyaml might read differently, or that have a problem, get no fast result; parse_yaml
    then answers exactly as the reference parser (same data or the same problems)."""
    from evaluation.io import yamlio

    assert yamlio._parse_fast(text) is None
    try:
        expected: object = yamlio._parse_checked(text, "f")
    except InputError as exc:
        expected = [str(p) for p in exc.problems]
    try:
        got: object = yamlio.parse_yaml(text.encode("utf-8"), "f")
    except InputError as exc:
        got = [str(p) for p in exc.problems]
    assert got == expected
