"""Tests for evaluation.authoring.synthetic: seeded synthetic projects and programmes."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
import yaml

from evaluation.authoring.synthetic import (
    BROKEN_FUND,
    synthetic_project_id,
    write_synthetic_programme,
    write_synthetic_project,
)
from evaluation.core.errors import InputError
from evaluation.io.loader import load_project
from evaluation.report.params import load_params

TABLES = ("activities.csv", "costs.csv", "firms.csv", "funnel.csv", "indicator_values.csv", "survey.csv",
          "survey_invited.csv")


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    """Two programmes written with the same seed are byte-identical; another seed differs."""
    a = write_synthetic_programme(tmp_path / "a", 3, 11)
    b = write_synthetic_programme(tmp_path / "b", 3, 11)
    write_synthetic_programme(tmp_path / "c", 3, 12)
    assert [p.relative_to(tmp_path / "a") for p in a] == [p.relative_to(tmp_path / "b") for p in b]
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


def test_every_generated_project_loads(tmp_path: Path) -> None:
    """The loader reads every project of a programme without a single problem."""
    write_synthetic_programme(tmp_path, 8, 3)
    for i in range(1, 9):
        project = load_project(tmp_path / "data" / synthetic_project_id(i))
        assert project.id == f"syn{i:02d}"
        assert project.goal_tree.nodes and project.effect_chain.links and project.indicators
        assert {h.criterion for h in project.horizontal} == {"gender_equality", "equal_opportunities",
                                                               "sustainable_development"}
        assert len(project.work_packages) == 3 and project.financiers and project.budget.lines
        assert project.activities and project.funnel
        assert project.survey is not None and project.survey_invited is not None
        assert all(ind.target_value is not None for ind in project.indicators)
        assert all(len(ind.values) >= 6 for ind in project.indicators)


def test_everything_is_marked_illustrative_and_synthetic(tmp_path: Path) -> None:
    """The project, its figures and every table row say illustrative; names say synthetic."""
    folder = write_synthetic_project(tmp_path, "syn07", 7)
    project = load_project(folder)
    assert project.name == "Syntetiskt projekt 07"
    assert project.data_status == "illustrative" and project.is_illustrative()
    assert project.budget.data_status == "illustrative"
    assert all(f.data_status == "illustrative" for f in project.financiers)
    assert all(w.data_status == "illustrative" for w in project.work_packages)
    for name in TABLES:
        if name == "survey_invited.csv":
            continue
        assert {r["data_status"] for r in _rows(folder / name)} == {"illustrative"}, name
    assert all(n.startswith("Syntetiskt företag") for n in project.firms["name"])
    assert "SYNTETISKA DATA" in (folder / "project.yaml").read_text(encoding="utf-8")


def test_firm_panel_has_participants_and_comparison_firms(tmp_path: Path) -> None:
    """40 participants and 40 comparison firms over 8 years; only participants have a start year."""
    project = load_project(write_synthetic_project(tmp_path, "syn01", 5, n_firms=40))
    firms = project.firms
    assert firms is not None
    years = sorted(set(int(y) for y in firms["year"]))
    assert len(years) == 8 and years[-1] - years[0] == 7
    per_firm = firms.groupby("firm_id")["participant"].first()
    assert int(per_firm.sum()) == 40 and int((~per_firm).sum()) == 40
    part = firms[firms["participant"]]
    comp = firms[~firms["participant"]]
    assert comp["participation_start"].isna().all()
    starts = part["participation_start"].dropna().astype(int)
    assert len(starts) == len(part)
    assert starts.between(project.start.year, project.end.year).all()
    assert set(firms.groupby("firm_id").size()) == {8}


def test_options_leave_out_comparison_and_survey(tmp_path: Path) -> None:
    """with_comparison=False writes only participants; with_survey=False writes no survey tables."""
    folder = write_synthetic_project(tmp_path, "syn02", 2, n_firms=10, with_comparison=False, with_survey=False)
    project = load_project(folder)
    assert project.firms is not None and bool(project.firms["participant"].all())
    assert project.firms["firm_id"].nunique() == 10
    assert project.survey is None and not (folder / "survey.csv").exists()


def test_survey_answers_fit_the_invited(tmp_path: Path) -> None:
    """Two waves; each wave's respondents are no more than the invited."""
    project = load_project(write_synthetic_project(tmp_path, "syn03", 9))
    invited = dict(zip(project.survey_invited["wave"], project.survey_invited["invited"]))
    assert sorted(invited) == ["w1", "w2"]
    for wave, n in invited.items():
        respondents = project.survey[project.survey["wave"] == wave]["respondent"].nunique()
        assert 0 < respondents <= n


def test_kind_mix_sets_the_size_disaggregation(tmp_path: Path) -> None:
    """A mix of only micro firms puts the whole firm count in the micro column."""
    project = load_project(write_synthetic_project(tmp_path, "syn04", 4, kind_mix={"micro": 1.0}))
    ind = project.indicator("firms_supported")
    reported = [m for m in ind.values if m.value is not None]
    assert reported and all(m.micro == m.value and m.small is None for m in reported)


def test_bad_kind_mix_is_an_input_error(tmp_path: Path) -> None:
    """An unknown size class in kind_mix is named in an InputError."""
    with pytest.raises(InputError, match="kind_mix"):
        write_synthetic_project(tmp_path, "syn05", 1, kind_mix={"giant": 1.0})


def test_broken_project_fails_to_load_on_fund(tmp_path: Path) -> None:
    """broken=True writes an invalid fund that the loader reports with its line."""
    folder = write_synthetic_project(tmp_path, "syn06", 6, broken=True)
    with pytest.raises(InputError) as info:
        load_project(folder)
    assert "'fund'" in str(info.value) and BROKEN_FUND in str(info.value)


def test_programme_params_are_flat_and_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Params files load with load_params; midterm as_of falls inside the project, final at its end."""
    monkeypatch.setenv("EVALUATION_HOME", str(tmp_path))
    files = write_synthetic_programme(tmp_path, 2, 5, formats=("html", "json"))
    assert [f.name for f in files] == ["syn01_final.yaml", "syn01_midterm.yaml", "syn02_final.yaml",
                                       "syn02_midterm.yaml"]
    data = yaml.safe_load(files[1].read_text(encoding="utf-8"))
    assert sorted(data) == ["as_of", "formats", "kind", "language", "project", "small_cell_threshold"]
    for f in files:
        params = load_params(f)
        project = load_project(params.project)
        assert params.formats == ("html", "json")
        if params.kind == "final":
            assert params.as_of == project.end
        else:
            assert project.start < params.as_of < project.end


def test_programme_as_of_and_broken_numbers(tmp_path: Path) -> None:
    """An explicit as_of is used for both kinds; the numbers in broken are written broken."""
    files = write_synthetic_programme(tmp_path, 3, 1, date(2024, 6, 30), broken=[2])
    assert {yaml.safe_load(f.read_text(encoding="utf-8"))["as_of"] for f in files} == {date(2024, 6, 30)}
    load_project(tmp_path / "data" / "syn01")
    with pytest.raises(InputError):
        load_project(tmp_path / "data" / "syn02")
    with pytest.raises(InputError, match="broken"):
        write_synthetic_programme(tmp_path, 3, 1, broken=[4])


def test_item_nonresponse_leaves_answers_empty(tmp_path: Path) -> None:
    """By default some survey answers are empty (not answered); item_nonresponse=0 fills every one."""
    default = _rows(write_synthetic_project(tmp_path / "a", "syn08", 8) / "survey.csv")
    full = _rows(write_synthetic_project(tmp_path / "b", "syn08", 8, item_nonresponse=0.0) / "survey.csv")
    assert any(r["answer"] == "" for r in default)
    assert all(r["answer"] != "" for r in full) and len(full) == len(default)


def test_cost_categories_are_unique_per_work_package(tmp_path: Path) -> None:
    """Each cost line names its work package, so categories are unique across costs.csv."""
    rows = _rows(write_synthetic_project(tmp_path, "syn09", 9) / "costs.csv")
    assert len({r["category"] for r in rows}) == len(rows) == 12
    assert {r["work_package"] for r in rows} == {"wp1", "wp2", "wp3"}
    assert all(r["category"].endswith("AP" + r["work_package"][2:]) for r in rows)


def test_generated_projects_pass_the_logic_checks_without_errors(tmp_path: Path) -> None:
    """Financing adds up to the outcome and the logic checks find no error in any generated project."""
    from evaluation.review.checks import check_project

    write_synthetic_programme(tmp_path, 6, 17)
    for i in range(1, 7):
        project = load_project(tmp_path / "data" / synthetic_project_id(i))
        assert project.financing_total() == pytest.approx(project.budget.outcome_total, abs=1.0)
        assert all(f.amount is not None and f.amount >= 0 for f in project.financiers)
        errors = [f for f in check_project(project) if f.severity == "error"]
        assert errors == [], [f.en for f in errors]
