"""Tests for evaluation.authoring.scaffold: ``evaluation new`` writes a project that validates, explains every
key, never overwrites without --force, never writes outside data/ and params/, all or nothing."""

from __future__ import annotations

import typing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from evaluation.authoring.scaffold import EMPTY_TABLES, create_project, midterm_date, write_atomically
from evaluation.cli.main import build_parser, main
from evaluation.core import paths
from evaluation.core.errors import InputError
from evaluation.io.loader import ACTIVITY_COLUMNS, COST_COLUMNS, FINANCING_COLUMNS, INDICATOR_VALUE_COLUMNS, load_project
from evaluation.io.schema import ProjectIn
from evaluation.report.params import ReportParams, load_params


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project home (data/ and params/ not created yet) as EVALUATION_HOME."""
    monkeypatch.setenv("EVALUATION_HOME", str(tmp_path))
    return tmp_path


def new(home: Path, pid: str = "fresh", **kwargs: Any) -> Path:
    create_project(pid, **kwargs)
    return home / "data" / pid


def message(exc: pytest.ExceptionInfo[InputError]) -> str:
    return str(exc.value)


def test_new_project_validates(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A fresh scaffold passes `evaluation validate` as it stands, with the options given."""
    new(home, name="Hållbar handel: steg 2", start=date(2024, 3, 1), end=date(2026, 2, 28), fund="ESF+")
    assert main(["validate", "fresh"]) == 0
    assert capsys.readouterr().out == "fresh: ok (3 goal-tree nodes, 4 effect-logic nodes, 1 indicators)\n"
    project = load_project("fresh")
    assert (project.name, project.fund, project.start, project.end) == ("Hållbar handel: steg 2", "ESF+", date(2024, 3, 1), date(2026, 2, 28))
    assert [n.level for n in project.goal_tree.nodes] == ["overall", "project", "activity"]


def test_new_project_defaults(home: Path) -> None:
    """Without options: start 2025-01-01, end three years later, fund ERUF, a placeholder name."""
    new(home)
    project = load_project("fresh")
    assert (project.start, project.end, project.fund) == (date(2025, 1, 1), date(2027, 12, 31), "ERUF")
    assert project.name == "ÄNDRA/CHANGE: fresh"


def _check_keys(model: type[BaseModel], value: Any, text: str, where: str) -> None:
    """Every field of ``model`` is a key of ``value`` (recursively); an empty list names its fields in comments."""
    assert isinstance(value, dict), where
    names = {(f.alias or n): f for n, f in model.model_fields.items()}
    assert set(value) == set(names), (where, set(names) ^ set(value))
    for key, field in names.items():
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            _check_keys(ann, value[key], text, f"{where}.{key}")
        elif typing.get_origin(ann) is list and isinstance(typing.get_args(ann)[0], type) and issubclass(typing.get_args(ann)[0], BaseModel):
            item = typing.get_args(ann)[0]
            if value[key]:
                for i, v in enumerate(value[key]):
                    _check_keys(item, v, text, f"{where}.{key}[{i}]")
            else:  # an empty list: its fields are explained in the comment above it
                block = text.split(f"\n{key}: []")[0].rsplit("\n\n", 1)[-1]
                for sub in item.model_fields:
                    assert sub in block, (key, sub)


def test_scaffold_has_every_key(home: Path) -> None:
    """project.yaml holds every key of the format (nested ones too); empty lists explain their fields."""
    folder = new(home)
    text = (folder / "project.yaml").read_text(encoding="utf-8")
    _check_keys(ProjectIn, yaml.safe_load(text), text, "project")


def test_every_key_is_commented_in_both_languages(home: Path) -> None:
    """Every top-level key has a comment block above it with Swedish and English (or a bilingual '/')."""
    lines = (new(home) / "project.yaml").read_text(encoding="utf-8").splitlines()
    keys = [i for i, line in enumerate(lines) if line and line[0].isalpha()]
    assert len(keys) == len(ProjectIn.model_fields)
    for i in keys:
        block = []
        j = i - 1
        while j >= 0 and lines[j].startswith("#"):
            block.append(lines[j])
            j -= 1
        comment = "\n".join(block)
        if lines[i - 1].startswith("#"):
            assert ("SV:" in comment and "EN:" in comment) or " / " in comment, lines[i]
        else:  # keys grouped under one comment (partners ... rus_goals, start/end)
            assert lines[i - 1][0].isalpha(), lines[i]


def test_params_files_every_parameter(home: Path) -> None:
    """Both parameter files load, hold every parameter with a comment, as_of mid-project and at the end."""
    new(home, start=date(2024, 1, 1), end=date(2026, 12, 31))
    for kind, as_of in (("midterm", date(2025, 7, 31)), ("final", date(2026, 12, 31))):
        path = home / "params" / f"fresh_{kind}.yaml"
        params = load_params(path)
        assert (params.project, params.kind, params.as_of) == ("fresh", kind, as_of)
        lines = path.read_text(encoding="utf-8").splitlines()
        keys = [line.split(":")[0] for line in lines if line and not line.startswith("#")]
        assert keys == list(ReportParams.model_fields)
        for i, line in enumerate(lines):
            if line and not line.startswith("#"):
                assert lines[i - 1].startswith("#"), line


def test_midterm_date() -> None:
    """The mid-term as_of is the end of the month halfway through, never after the end."""
    assert midterm_date(date(2025, 1, 1), date(2027, 12, 31)) == date(2026, 7, 31)
    assert midterm_date(date(2025, 1, 1), date(2025, 1, 10)) == date(2025, 1, 10)


def test_empty_tables_header_only(home: Path) -> None:
    """The empty tables hold just their header (every column) and load as no data; no firms table."""
    folder = new(home)
    specs = {"indicator_values": INDICATOR_VALUE_COLUMNS, "costs": COST_COLUMNS, "activities": ACTIVITY_COLUMNS,
             "financing": FINANCING_COLUMNS}
    assert set(EMPTY_TABLES) == set(specs)
    for table, columns in specs.items():
        assert (folder / f"{table}.csv").read_text(encoding="utf-8") == ",".join(c.name for c in columns) + "\n"
    assert not (folder / "firms.csv").exists()
    project = load_project("fresh")
    assert project.financiers == () and project.budget.lines == () and project.activities == ()
    assert all(i.values == () for i in project.indicators) and project.firms is None


def test_refuses_to_overwrite_without_force(home: Path) -> None:
    """A second `new` names every existing path and changes nothing; --force rewrites the files."""
    folder = new(home)
    (folder / "project.yaml").write_text("edited\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        create_project("fresh")
    assert message(info) == (
        "3 problems in the input:\n"
        "  - '--force' in the command line must be given to overwrite the existing data/fresh (got 'not given')\n"
        "  - '--force' in the command line must be given to overwrite the existing params/fresh_midterm.yaml (got 'not given')\n"
        "  - '--force' in the command line must be given to overwrite the existing params/fresh_final.yaml (got 'not given')"
    )
    assert (folder / "project.yaml").read_text(encoding="utf-8") == "edited\n"
    (folder / "notes.txt").write_text("kept\n", encoding="utf-8")
    create_project("fresh", force=True)
    assert load_project("fresh").id == "fresh"
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "kept\n"


def test_refuses_existing_params_file(home: Path) -> None:
    """An existing parameter file alone stops `new`, and the project folder is not created."""
    (home / "params").mkdir()
    (home / "params" / "fresh_final.yaml").write_text("project: fresh\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        create_project("fresh")
    assert message(info) == ("'--force' in the command line must be given to overwrite the existing "
                             "params/fresh_final.yaml (got 'not given')")
    assert not (home / "data").exists()


PATH_MESSAGE = ("'project' in the command line must be a project id, not a path: letters, digits, '_', '-' or '.' "
                "(files are written only under data/ and params/) (got {!r})")


@pytest.mark.parametrize(
    "pid, expected",
    [
        ("../x", PATH_MESSAGE.format("../x")),
        ("/tmp/x", PATH_MESSAGE.format("/tmp/x")),
        ("a/b", PATH_MESSAGE.format("a/b")),
        ("..", PATH_MESSAGE.format("..")),
        ("a\\b", PATH_MESSAGE.format("a\\b")),
        ("-x", "'project' in the command line must be a project id: letters, digits, '_', '-' or '.', "
               "naming a folder data/<id>/ (got '-x')"),
        ("My-Proj", "'project' in the command line must be an id as project.yaml requires: a lower-case letter, "
                    "then lower-case letters, digits or '_' (like nis60) (got 'My-Proj')"),
    ],
)
def test_bad_ids_rejected(home: Path, pid: str, expected: str) -> None:
    """Paths and ids project.yaml would refuse are rejected with the exact message; nothing is written."""
    with pytest.raises(InputError) as info:
        create_project(pid)
    assert message(info) == expected
    assert sorted(p.name for p in home.iterdir()) == []


def test_bad_dates_all_reported(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`new` with two malformed dates names both; an end before the start is refused; exit 2."""
    assert main(["new", "fresh", "--start", "2025-13-01", "--end", "2024-1-01"]) == 2
    assert capsys.readouterr().err == (
        "error: 2 problems in the input:\n"
        "  - '--start' in the command line must be a date written YYYY-MM-DD (got '2025-13-01')\n"
        "  - '--end' in the command line must be a date written YYYY-MM-DD (got '2024-1-01')\n"
    )
    assert main(["new", "fresh", "--start", "2025-01-01", "--end", "2024-12-31"]) == 2
    assert "'--end' in the command line must be on or after the start 2025-01-01 (got '2024-12-31')" in capsys.readouterr().err
    assert not (home / "data").exists()


def test_cli_new(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`evaluation new` lists the nine files it wrote (the assessment templates too) and the next steps; exit 0."""
    assert main(["new", "fresh", "--name", "Nytt", "--fund", "Interreg"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:9] == [f"wrote {p}" for p in (
        "data/fresh/project.yaml", "data/fresh/indicator_values.csv", "data/fresh/costs.csv", "data/fresh/activities.csv",
        "data/fresh/financing.csv", "data/fresh/assessments/midterm.yaml", "data/fresh/assessments/final.yaml",
        "params/fresh_midterm.yaml", "params/fresh_final.yaml")]
    assert "evaluation validate fresh" in out[9]
    assert load_project("fresh").fund == "Interreg"


def test_help_ends_with_example(capsys: pytest.CaptureFixture[str]) -> None:
    """`evaluation new --help` says what it does and ends with an example."""
    with pytest.raises(SystemExit):
        build_parser().parse_args(["new", "--help"])
    out = capsys.readouterr().out
    assert "every key explained in Swedish and English" in " ".join(out.split())
    assert out.rstrip().endswith("evaluation validate hallbar_handel")
    assert "example:" in out


def test_write_atomically_all_or_nothing(tmp_path: Path) -> None:
    """When one file cannot be written, none is, no temporary file is left and created folders are removed."""
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    first = tmp_path / "new" / "a.txt"
    with pytest.raises(InputError) as info:
        write_atomically({first: b"a", blocker / "b.txt": b"b"})
    assert info.value.problems[0].field == "file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]
    write_atomically({first: b"a"})
    assert first.read_bytes() == b"a" and sorted(p.name for p in first.parent.iterdir()) == ["a.txt"]


def test_only_under_data_and_params(home: Path) -> None:
    """A new project touches only data/<id>/ and params/ of the project home."""
    new(home)
    written = sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.is_file())
    assert written == ["data/fresh/activities.csv", "data/fresh/assessments/final.yaml", "data/fresh/assessments/midterm.yaml",
                       "data/fresh/costs.csv", "data/fresh/financing.csv", "data/fresh/indicator_values.csv", "data/fresh/project.yaml",
                       "params/fresh_final.yaml", "params/fresh_midterm.yaml"]
    assert paths.data_dir() == home / "data"


def test_english_scaffold_explains_in_english_and_validates(home: Path) -> None:
    """lang='en' writes the same keys explained in English only (the catalogue's Swedish holds both languages); it validates."""
    create_project("fresh", lang="en")
    text = (home / "data" / "fresh" / "project.yaml").read_text(encoding="utf-8")
    assert "# The project id; the same as the name of its folder data/fresh/." in text
    assert "SV:" not in text and "Tillåtet" not in text and 'name: "CHANGE: fresh"' in text
    assert set(yaml.safe_load(text)) == set(ProjectIn.model_fields)
    assert load_project("fresh").indicators[0].unit == "firms"
    params = load_params(home / "params" / "fresh_final.yaml")
    assert params.language == "en" and "# Report parameters: fresh, final evaluation." in (
        home / "params" / "fresh_final.yaml").read_text(encoding="utf-8")
