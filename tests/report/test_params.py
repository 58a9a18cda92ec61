"""Tests for evaluation.report.params: parameter files validated, every problem named with its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from evaluation.core.errors import ParameterError
from evaluation.report.params import ReportParams, load_params, validate_notebook_parameters

GOOD = """\
project: demo
kind: final
as_of: 2022-12-31
language: sv
formats: [html, pdf, json]
small_cell_threshold: 5
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project home with one project 'demo' and an empty params/ folder."""
    (tmp_path / "data" / "demo").mkdir(parents=True)
    (tmp_path / "data" / "demo" / "project.yaml").write_text("id: demo\n", encoding="utf-8")
    (tmp_path / "params").mkdir()
    (tmp_path / "notebooks").mkdir()
    monkeypatch.setenv("EVALUATION_HOME", str(tmp_path))
    return tmp_path


def write(home: Path, name: str, text: str) -> Path:
    path = home / "params" / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> str:
    with pytest.raises(ParameterError) as info:
        load_params(path)
    return str(info.value)


def test_good_file_loads(home: Path) -> None:
    """A correct file gives frozen, typed parameters."""
    p = load_params(write(home, "demo_final.yaml", GOOD))
    assert p == ReportParams(project="demo", kind="final", as_of=dt.date(2022, 12, 31), formats=("html", "pdf", "json"))
    with pytest.raises(ValidationError):
        p.project = "other"  # type: ignore[misc]


def test_defaults(home: Path) -> None:
    """language, formats and small_cell_threshold default to sv, all four formats, 5."""
    p = load_params(write(home, "demo_midterm.yaml", "project: demo\nkind: midterm\nas_of: '2021-06-30'\n"))
    assert (p.language, p.formats, p.small_cell_threshold) == ("sv", ("html", "pdf", "json", "docx"), 5)
    assert p.as_of == dt.date(2021, 6, 30)


def test_notebook_parameters_are_plain_json(home: Path) -> None:
    """Parameters for papermill: the date as ISO text, formats as a list."""
    p = load_params(write(home, "demo_final.yaml", GOOD))
    assert p.notebook_parameters() == {
        "project": "demo", "kind": "final", "as_of": "2022-12-31", "language": "sv",
        "formats": ["html", "pdf", "json"], "small_cell_threshold": 5,
    }


def test_paths(home: Path) -> None:
    """The notebook is notebooks/<kind>.ipynb; outputs go to <reports>/<project>/<kind>.*."""
    p = load_params(write(home, "demo_final.yaml", GOOD))
    assert p.notebook_path() == home.resolve() / "notebooks" / "final.ipynb"
    assert p.output_stem(home / "out") == home / "out" / "demo" / "final"
    assert p.output_stem() == home.resolve() / "reports" / "demo" / "final"


def test_unknown_key_named_with_line(home: Path) -> None:
    """An unknown parameter is named with its row."""
    msg = problems_of(write(home, "demo_final.yaml", GOOD + "colour: blue\n"))
    assert "'colour' in params/demo_final.yaml row 7 must be a known parameter" in msg
    assert "(got 'blue')" in msg


def test_missing_key_named(home: Path) -> None:
    """A missing required parameter is named."""
    msg = problems_of(write(home, "demo_final.yaml", "project: demo\nkind: final\n"))
    assert "'as_of' in params/demo_final.yaml must be given: an ISO date" in msg
    assert "(got nothing)" in msg


def test_bad_type_named_with_line(home: Path) -> None:
    """A mistyped threshold is named with its row and value."""
    msg = problems_of(write(home, "demo_final.yaml", GOOD.replace("small_cell_threshold: 5", "small_cell_threshold: five")))
    assert "'small_cell_threshold' in params/demo_final.yaml row 6 must be a whole number >= 1 (got 'five')" in msg


@pytest.mark.parametrize("value", ["0", "true", "2.5", "'5'"])
def test_threshold_must_be_whole_number_at_least_one(home: Path, value: str) -> None:
    """0, booleans, fractions and quoted numbers are refused for small_cell_threshold."""
    msg = problems_of(write(home, "demo_final.yaml", GOOD.replace("small_cell_threshold: 5", f"small_cell_threshold: {value}")))
    assert "'small_cell_threshold' in params/demo_final.yaml row 6" in msg


@pytest.mark.parametrize("value", ["2022-13-45", "31/12/2022", "2022-12-31T10:00:00", "20221231"])
def test_bad_date_named_with_line(home: Path, value: str) -> None:
    """A date that is not a real ISO date is a message, not a crash."""
    msg = problems_of(write(home, "demo_final.yaml", GOOD.replace("2022-12-31", value)))
    assert "'as_of' in params/demo_final.yaml row 3 must be an ISO date YYYY-MM-DD" in msg


def test_bad_language_named_with_line(home: Path) -> None:
    """A language other than sv/en is named with its row."""
    msg = problems_of(write(home, "demo_final.yaml", GOOD.replace("language: sv", "language: fi")))
    assert "'language' in params/demo_final.yaml row 4 must be 'sv' or 'en' (got 'fi')" in msg


def test_bad_formats_named_with_line(home: Path) -> None:
    """An unknown output format is named with its row."""
    msg = problems_of(write(home, "demo_final.yaml", GOOD.replace("[html, pdf, json]", "[html, rtf]")))
    assert "'formats' in params/demo_final.yaml row 5 must be a non-empty list" in msg


def test_formats_in_canonical_order_without_duplicates(home: Path) -> None:
    """formats are kept as html, pdf, json order, each once."""
    p = load_params(write(home, "demo_final.yaml", GOOD.replace("[html, pdf, json]", "[json, html, json]")))
    assert p.formats == ("html", "json")


def test_file_name_mismatch_named(home: Path) -> None:
    """A file whose name is not <project>_<kind>.yaml names the field that disagrees."""
    msg = problems_of(write(home, "demo_midterm.yaml", GOOD))
    assert "'kind' in params/demo_midterm.yaml row 2 must be 'midterm', as in the file name" in msg
    msg = problems_of(write(home, "other_final.yaml", GOOD))
    assert "'project' in params/other_final.yaml row 1 must be 'other', as in the file name" in msg


def test_unknown_project_named_with_line(home: Path) -> None:
    """A project without data/<id>/project.yaml is named with its row."""
    text = GOOD.replace("project: demo", "project: nope")
    msg = problems_of(write(home, "nope_final.yaml", text))
    assert "'project' in params/nope_final.yaml row 1 must be an existing project" in msg
    assert load_params(home / "params" / "nope_final.yaml", project_exists=lambda p: True).project == "nope"


def test_all_problems_raised_at_once(home: Path) -> None:
    """Several problems in one file come in one error, each named."""
    text = "project: demo\nkind: final\nas_of: 2022-02-30\nlanguage: de\ncolour: red\n"
    with pytest.raises(ParameterError) as info:
        load_params(write(home, "demo_final.yaml", text))
    fields = sorted(p.field for p in info.value.problems)
    assert fields == ["as_of", "colour", "language"]
    assert [p.row for p in sorted(info.value.problems, key=lambda p: p.field)] == [3, 5, 4]


def test_duplicate_key_named(home: Path) -> None:
    """A parameter given twice is a problem on its second line."""
    msg = problems_of(write(home, "demo_final.yaml", GOOD + "language: en\n"))
    assert "'language' in params/demo_final.yaml row 7 must be given only once" in msg


def test_not_a_mapping_and_broken_yaml(home: Path) -> None:
    """A YAML list or invalid YAML is a ParameterError, not a crash."""
    assert "must be a YAML mapping" in problems_of(write(home, "demo_final.yaml", "- a\n- b\n"))
    assert "must be valid YAML" in problems_of(write(home, "demo_final.yaml", "project: [demo\n"))


def test_missing_file(home: Path) -> None:
    """A parameter file that does not exist is a ParameterError."""
    assert "must be a readable YAML file" in problems_of(home / "params" / "demo_final.yaml")


def test_validate_notebook_parameters_accepts_injected_values(home: Path) -> None:
    """The notebook check accepts what papermill injects (date as text)."""
    p = validate_notebook_parameters(project="demo", kind="final", as_of="2022-12-31", language="en",
                                     formats=["pdf"], small_cell_threshold=3)
    assert (p.as_of, p.language, p.formats, p.small_cell_threshold) == (dt.date(2022, 12, 31), "en", ("pdf",), 3)


def test_validate_notebook_parameters_same_expectations(home: Path) -> None:
    """A direct papermill run with wrong values fails in the notebook with the file's expectations."""
    with pytest.raises(ParameterError) as info:
        validate_notebook_parameters(project="demo", kind="final", as_of="2022-12-31", language="fi")
    assert str(info.value) == "'language' in notebook parameters must be 'sv' or 'en' (got 'fi')"
    with pytest.raises(ParameterError, match="'project' in notebook parameters must be an existing project"):
        validate_notebook_parameters(project="nope", kind="final", as_of="2022-12-31")


def test_with_formats(home: Path) -> None:
    """with_formats narrows the formats and refuses unknown ones."""
    p = load_params(write(home, "demo_final.yaml", GOOD))
    assert p.with_formats(["json"]).formats == ("json",)
    with pytest.raises(ParameterError, match="'formats'"):
        p.with_formats(["rtf"])


def test_reference_docx_resolved_from_home_and_validated(home: Path, tmp_path_factory: pytest.TempPathFactory,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """reference_docx is a .docx path relative to the home (not the current directory); a missing or
    broken file, another suffix or a file outside the home is named with its row; with_formats keeps it; the notebook never gets it."""
    from docx import Document

    (home / "styles").mkdir()
    Document().save(str(home / "styles" / "house.docx"))
    Document().save(str(home / "styles" / "house.dotx"))
    (home / "styles" / "broken.docx").write_text("not a zip", encoding="utf-8")
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    p = load_params(write(home, "demo_final.yaml", GOOD + "reference_docx: styles/house.docx\n"))
    assert p.reference_path() == home / "styles" / "house.docx"
    assert p.with_formats(["docx"]).reference_docx == "styles/house.docx"
    assert "reference_docx" not in p.notebook_parameters()
    outside = tmp_path_factory.mktemp("outside") / "house.docx"
    Document().save(str(outside))
    for bad in ("styles/missing.docx", "styles/house.dotx", "styles/broken.docx", "3", str(outside), f"../{outside.parent.name}/house.docx"):
        msg = problems_of(write(home, "demo_final.yaml", GOOD + f"reference_docx: {bad}\n"))
        assert "'reference_docx' in params/demo_final.yaml row 7 must be the path of an existing Word file" in msg


# --------------------------------------------------------------------------- hardening

LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{b}: &{b} [*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a}]\n" for a, b in zip("abcdefgh", "bcdefghi"))


def test_billion_laughs_parameter_file_is_one_short_problem(home: Path) -> None:
    """A params file whose aliases expand to a billion values: a short ParameterError, not gigabytes."""
    msg = problems_of(write(home, "demo_final.yaml", LAUGHS))
    assert "values once every alias is written out" in msg and len(msg) < 500


def test_deep_parameter_file_is_a_parameter_error(home: Path) -> None:
    """A params file nested 1000 deep is a ParameterError (exit 2), not a RecursionError (exit 3)."""
    msg = problems_of(write(home, "demo_final.yaml", "project: " + "[" * 1000 + "]" * 1000 + "\n"))
    assert "nested at most 50 deep" in msg


def test_params_use_the_io_yaml_reader(home: Path) -> None:
    """Parameter files are read by evaluation.io.yamlio (one YAML reader, one set of limits): tags are refused there."""
    msg = problems_of(write(home, "demo_final.yaml", '!!python/object/apply:os.system ["echo hi"]\n'))
    assert "'yaml' in params/demo_final.yaml row 1 must be plain YAML without tags" in msg


EVIL = "__import__('os').system('touch pwned'); x = 1"


@pytest.mark.parametrize("cell,field", [
    (f"# Parameters\n{EVIL}\n", "parameters"),
    ("# Parameters\ncolour = 'red'\n", "colour"),
    ("# Parameters\nproject = open('x').read()\n", "project"),
    ("# Parameters\n!touch pwned\n", "parameters"),
    ("# Parameters\nproject, kind = 'a', 'b'\n", "parameters"),
])
def test_injected_cell_with_code_or_unknown_name_refused(cell: str, field: str) -> None:
    """An injected '# Parameters' cell with code, an unknown name or a computed value is a ParameterError."""
    from evaluation.report.params import check_injected_cell

    with pytest.raises(ParameterError) as info:
        check_injected_cell(cell)
    assert info.value.problems[0].field == field and info.value.problems[0].file == "notebook parameters"


def test_injected_cell_of_literals_accepted() -> None:
    """What papermill injects for a good parameter file passes the check."""
    from evaluation.report.params import check_injected_cell

    check_injected_cell('# Parameters\nproject = "demo"\nkind = "final"\nformats = ["html", "pdf"]\nsmall_cell_threshold = 5\n')
    check_injected_cell('# Parameters\nprojects = ["a"]\nas_of = "2022-12-31"\n', known=("projects", "as_of"))


def test_guard_refuses_the_cell_before_any_of_it_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With guard_parameters() registered, an IPython shell runs nothing of an injected cell holding code."""
    from IPython.core.interactiveshell import InteractiveShell

    from evaluation.report.params import guard_parameters

    monkeypatch.chdir(tmp_path)
    shell = InteractiveShell.instance()
    try:
        guard_parameters(shell=shell)
        guard_parameters(shell=shell)  # twice is once
        result = shell.run_cell(f"# Parameters\n{EVIL.replace('touch pwned', 'touch ran')}\n")
        assert isinstance(result.error_before_exec, ParameterError)
        assert not (tmp_path / "ran").exists()
        assert shell.run_cell("# Parameters\nproject = 'demo'\n").success
        assert shell.run_cell("y = 1 + 1").success
    finally:
        InteractiveShell.clear_instance()


def test_load_params_still_refuses_code_in_a_key(home: Path) -> None:
    """`evaluation report` refuses a params file whose key is code, as an unknown parameter, before any kernel."""
    msg = problems_of(write(home, "demo_final.yaml", GOOD + f'"{EVIL[:-4]}": 1\n'))
    assert f"'{EVIL[:-4]}' in params/demo_final.yaml row 7 must be a known parameter" in msg
