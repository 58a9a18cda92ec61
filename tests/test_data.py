"""Tests for the example project folders in data/: the published figures of NIS 6.0
(shared/seeds/002_...: final report, December 2022) and North Business Arena (seeds/003_...:
article of 5 June 2019) as loaded, and the published frame of HSO and SAM (seeds/001_...)
whose monitoring values are illustrative; and the tests that read these folders pass when a user's
own projects sit beside them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import NIS_FINANCIERS

from evaluation.authoring.synthetic import write_synthetic_project
from evaluation.core import paths
from evaluation.core.model import Project
from evaluation.review.checks import check_project


@pytest.fixture(scope="module")
def nis(examples: dict[str, Project]) -> Project:
    """NIS 6.0 as loaded from data/nis60."""
    return examples["nis60"]


@pytest.fixture(scope="module")
def nba(examples: dict[str, Project]) -> Project:
    """North Business Arena as loaded from data/nba."""
    return examples["nba"]


@pytest.fixture(scope="module")
def hso(examples: dict[str, Project]) -> Project:
    """HSO as loaded from data/hso."""
    return examples["hso"]


@pytest.fixture(scope="module")
def sam(examples: dict[str, Project]) -> Project:
    """SAM as loaded from data/sam."""
    return examples["sam"]


def last_value(project: Project, indicator_id: str) -> float | None:
    values = project.indicator(indicator_id).values
    assert values, indicator_id
    return values[-1].value


def activity_counts(project: Project) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for a in project.activities:
        assert a.activity not in out, "one row per activity expected"
        out[a.activity] = a.count
    return out


# --------------------------------------------------------------------------- NIS 6.0


def test_nis_firms_reached_503_of_target_400(nis: Project) -> None:
    """'Fler företag än planerat har nåtts av projektet. 503 och målvärde 400'."""
    ind = nis.indicator("firms_reached")
    assert last_value(nis, "firms_reached") == 503
    assert ind.target_value == 400 and ind.baseline_value == 0
    assert ind.values[-1].status == "verified"


def test_nis_participants_2949_of_whom_1466_women(nis: Project) -> None:
    """'1466 av 2949 deltagare' (49.7 % women); men derived as 1 483, non-binary not reported."""
    m = nis.indicator("participants").values[-1]
    assert m.value == 2949 and m.women == 1466 and m.men == 1483
    assert m.non_binary is None
    assert round(m.women / m.value * 100, 1) == 49.7


def test_nis_participants_have_no_target(nis: Project) -> None:
    """The report gives no target for participants: None, not 0."""
    assert nis.indicator("participants").target_value is None


def test_nis_jobs_43_5_of_target_40(nis: Project) -> None:
    """'En ökning på 43,5 tjänster' against the target of 40 new jobs."""
    ind = nis.indicator("jobs")
    assert last_value(nis, "jobs") == 43.5
    assert ind.target_value == 40
    assert ind.values[-1].period_end == date(2022, 10, 31)


def test_nis_budget_and_outcome(nis: Project) -> None:
    """Total budget 16 713 030 kr, outcome 15 470 690 kr (1 242 340 kr under budget)."""
    assert nis.budget.total == 16_713_030
    assert nis.budget.outcome_total == 15_470_690
    assert nis.budget.total - nis.budget.outcome_total == 1_242_340
    assert nis.budget.currency == "SEK"


def test_nis_outcome_by_cost_category(nis: Project) -> None:
    """The five published cost categories with their outcomes; budget per category not reported (None)."""
    lines = {line.category: line for line in nis.budget.lines}
    assert {k: v.outcome for k, v in lines.items()} == {
        "Externa tjänster": 2_931_397,
        "Material och lokaler": 565_350,
        "Personal": 7_095_150,
        "Resor o logi": 120_266,
        "Schablonkostnader": 4_758_531,
    }
    for line in lines.values():
        assert line.budget is None and line.budget != 0


def test_nis_cost_lines_sum_4_kr_over_outcome(nis: Project) -> None:
    """The published cost lines add up to 15 470 694 kr, 4 kr more than the stated outcome."""
    total = sum(line.outcome for line in nis.budget.lines if line.outcome is not None)
    assert total == 15_470_694
    assert total - nis.budget.outcome_total == 4


def test_nis_seven_financiers(nis: Project) -> None:
    """Tillväxtverket, Region Västerbotten and the five municipalities with their amounts, in published order."""
    assert [(f.name, f.kind, f.amount) for f in nis.financiers] == NIS_FINANCIERS
    assert nis.financing_total() == 15_477_874
    assert nis.financing_total() - nis.budget.outcome_total == 7_184


def test_nis_activity_counts(nis: Project) -> None:
    """The activity counts of the report; the parallel innovation-system work has no count (None)."""
    counts = activity_counts(nis)
    assert counts == {
        "a01": 259,  # företagsbesök
        "a02": 216,  # mötesplatser
        "a03": 31,  # nätverksträffar för företagande kvinnor
        "a04": 103,  # underlätta expansion
        "a05": 7,  # större evenemang
        "a06": 66,  # innovation och entreprenörskap
        "a07": 152,  # omvärldsbevakning
        "a08": 6,  # horisontella kriterier som huvudämne
        "a09": 26,  # Samverkan Umeå
        "a10": 68,  # struktur till företagsfrämjande aktörer
        "a11": None,  # integrera i innovationssystemet: no count published
        "a12": 32,  # företag i Program för tillväxt
    }


def test_nis_activities_match_their_goals(nis: Project) -> None:
    """The counts sit on the goal-tree activities they describe."""
    tree = nis.goal_tree
    assert "företagsbesök" in tree.node("a01").statement
    assert "Samverkan med Umeå" in tree.node("a09").statement
    assert tree.node("a12").statement.startswith("Program för tillväxt")


def test_nis_32_firms_with_employees_2019_and_oct_2022(nis: Project) -> None:
    """32 firms in Program för tillväxt; employees 159.5 in 2019 and 202 in October 2022."""
    firms = nis.firms
    assert firms is not None
    by_year = firms.groupby("year")["employees"]
    assert firms["firm_id"].nunique() == 32
    assert by_year.count().to_dict() == {2019: 32, 2022: 32}
    assert by_year.sum().to_dict() == {2019: 159.5, 2022: 202.0}
    assert set(firms.loc[firms["year"] == 2022, "period_label"]) == {"okt-22"}


def test_nis_published_changes_sum_43_5_totals_give_42_5(nis: Project) -> None:
    """The published per-firm changes sum to 43.5; the totals 159.5 -> 202 give 42.5."""
    firms = nis.firms
    assert firms is not None
    assert firms["published_change"].sum() == 43.5
    totals = firms.groupby("year")["employees"].sum()
    assert totals[2022] - totals[2019] == 42.5


def test_nis_norrlands_fruktvin_row_explains_the_difference(nis: Project) -> None:
    """Norrlands fruktvin: 1 -> 1 employees but a published increase of 1, as printed."""
    firms = nis.firms
    assert firms is not None
    row = firms[firms["name"] == "Norrlands fruktvin"].set_index("year")
    assert row.loc[2019, "employees"] == 1 and row.loc[2022, "employees"] == 1
    assert row.loc[2022, "published_change"] == 1


def test_nis_firm_table_inconsistency_is_reported_by_checks(nis: Project) -> None:
    """check_project reports the Norrlands fruktvin row and the 43.5 vs 42.5 total."""
    found = {(f.check, f.subject) for f in check_project(nis)}
    assert ("firm_change_mismatch", "ptv19") in found
    assert ("firm_total_mismatch", "nis60") in found
    assert sum(1 for check, _ in found if check == "firm_change_mismatch") == 1


def test_nis_frame(nis: Project) -> None:
    """Five municipalities, national funding, external evaluation by Regionakademien, no owner named."""
    assert nis.municipalities == ("Robertsfors", "Vindeln", "Vännäs", "Bjurholm", "Nordmaling")
    assert nis.fund == "national"
    assert nis.evaluation_form == "external" and nis.evaluator == "Regionakademien i Umeå"
    assert nis.owner is None
    assert nis.work_packages == ()
    assert nis.is_illustrative() is False


# --------------------------------------------------------------------------- North Business Arena


def test_nba_targets_600_firms_and_200_jobs(nba: Project) -> None:
    """'Målet är att få med 600 företag och skapa 200 nya jobb'."""
    assert nba.indicator("firms").target_value == 600
    assert nba.indicator("jobs").target_value == 200


def test_nba_results(nba: Project) -> None:
    """423 firms, 490 start-up advisories, 219 new firms, 257 local activities, 17 networks, 15 joint activities, 9 deep dives."""
    assert {i: last_value(nba, i) for i in ("firms", "startup_advice", "new_firms", "local_activities", "networks", "joint_activities", "equality_deep_dives")} == {
        "firms": 423,
        "startup_advice": 490,
        "new_firms": 219,
        "local_activities": 257,
        "networks": 17,
        "joint_activities": 15,
        "equality_deep_dives": 9,
    }


def test_nba_jobs_created_not_reported_never_zero(nba: Project) -> None:
    """The article gives no figure for jobs created: value None with status not_reported."""
    jobs = nba.indicator("jobs")
    assert len(jobs.values) == 1
    m = jobs.values[0]
    assert m.value is None and m.value != 0
    assert m.status == "not_reported"
    assert jobs.reported() == ()


def test_nba_funnel(nba: Project) -> None:
    """The pyramid: 1 200 contacts -> 220 firms -> 70 -> 20 deep dives, in order."""
    assert [(s.order, s.count) for s in nba.funnel] == [(1, 1200), (2, 220), (3, 70), (4, 20)]


def test_nba_budget_and_financing_not_reported(nba: Project) -> None:
    """'Drygt 30 miljoner kronor' is a lower bound; no outcome and no financier amounts are published."""
    assert nba.budget.total == 30_000_000 and nba.budget.total_qualifier == "drygt"
    assert nba.budget.outcome_total is None
    assert [f.amount for f in nba.financiers] == [None] * 6
    assert nba.fund == "Interreg"
    assert len(nba.municipalities) == 8
    assert nba.is_illustrative() is False


# --------------------------------------------------------------------------- HSO and SAM (illustrative values)


def test_hso_frame_as_published(hso: Project) -> None:
    """HSO: owner Härnösands kommun, 1 January 2024 to 30 April 2027, ERUF, four work packages."""
    assert hso.owner == "Härnösands kommun"
    assert (hso.start, hso.end) == (date(2024, 1, 1), date(2027, 4, 30))
    assert hso.fund == "ERUF"
    assert [wp.name for wp in hso.work_packages] == [
        "Fysiska förutsättningar för hållbar omställning",
        "Samverkan i hållbar omställning",
        "Påverkansarbete hållbar omställning",
        "Projektledning och samordning",
    ]


def test_sam_frame_as_published(sam: Project) -> None:
    """SAM: owner Sundsvalls kommun, 1 February 2024 to 21 December 2026, ESF+, four work packages."""
    assert sam.owner == "Sundsvalls kommun"
    assert (sam.start, sam.end) == (date(2024, 2, 1), date(2026, 12, 21))
    assert sam.fund == "ESF+"
    assert [wp.name for wp in sam.work_packages] == [
        "Projektledning och fysisk servicefunktion",
        "Digitalt ekosystem",
        "Attraktionskraft",
        "Mottagningskapacitet",
    ]


@pytest.mark.parametrize("pid", ["hso", "sam"])
def test_illustrative_projects_mark_every_monitoring_value(pid: str, hso: Project, sam: Project) -> None:
    """Every value, activity, cost line, financier and work-package budget of HSO/SAM is marked illustrative."""
    project = {"hso": hso, "sam": sam}[pid]
    assert project.is_illustrative() is True
    assert project.data_status == "illustrative" and project.budget.data_status == "illustrative"
    measurements = [m for ind in project.indicators for m in ind.values]
    assert measurements and {m.data_status for m in measurements} == {"illustrative"}
    assert project.activities and {a.data_status for a in project.activities} == {"illustrative"}
    assert project.budget.lines and {line.data_status for line in project.budget.lines} == {"illustrative"}
    assert {f.data_status for f in project.financiers} == {"illustrative"}
    assert {wp.data_status for wp in project.work_packages} == {"illustrative"}
    if project.survey is not None:
        assert set(project.survey["data_status"]) == {"illustrative"}


@pytest.mark.parametrize("pid", ["hso", "sam"])
def test_illustrative_projects_keep_published_dates(pid: str, hso: Project, sam: Project) -> None:
    """The period of HSO and SAM is published even though their values are not."""
    assert {"hso": hso, "sam": sam}[pid].dates_status == "published"


@pytest.mark.parametrize("pid", ["nis60", "nba", "hso", "sam"])
def test_every_source_reference_names_a_listed_source(pid: str, nis: Project, nba: Project, hso: Project, sam: Project) -> None:
    """Indicators, values and activities cite only sources listed in project.yaml."""
    project = {"nis60": nis, "nba": nba, "hso": hso, "sam": sam}[pid]
    listed = {s.id for s in project.sources}
    cited = {i.source for i in project.indicators} | {m.source for i in project.indicators for m in i.values}
    cited |= {a.source for a in project.activities if a.source}
    assert cited and cited <= listed


def test_published_projects_are_not_illustrative(nis: Project, nba: Project) -> None:
    """NIS 6.0 and NBA carry only published figures."""
    assert nis.is_illustrative() is False and nba.is_illustrative() is False
    for project in (nis, nba):
        assert {m.data_status for ind in project.indicators for m in ind.values} == {"published"}


# --------------------------------------------------------------------------- a user's own projects beside the examples

REPO = paths.PACKAGE_DIR.parent
REPOSITORY_TESTS = ("tests/io/test_loader.py", "tests/cli/test_cli.py", "tests/test_data.py")
"""The test modules that read the repository's own data/ (list, load and check the examples)."""


@pytest.mark.slow
def test_example_tests_pass_beside_a_users_own_projects(tmp_path: Path) -> None:
    """A checkout whose data/ and params/ also hold a user's projects (a synthetic one, one from `evaluation new`) passes the tests that read the examples."""
    checkout = tmp_path / "checkout"
    for folder in ("evaluation", "tests", "data", "regions", "params", "notebooks"):
        shutil.copytree(REPO / folder, checkout / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy2(REPO / "pyproject.toml", checkout / "pyproject.toml")
    write_synthetic_project(checkout / "data", "aaa_user", 7)  # sorts before every example
    (checkout / "params" / "aaa_user_final.yaml").write_text("project: aaa_user\nkind: final\nas_of: 2024-12-31\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "EVALUATION_HOME"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(checkout), os.environ.get("PYTHONPATH")) if p)

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *argv], cwd=checkout, env=env, capture_output=True, text=True, timeout=900)

    assert run("-m", "evaluation", "new", "hso_user", "--name", "Mitt projekt", "--force").returncode == 0  # between examples
    ids = [line.split("\t")[0] for line in run("-m", "evaluation", "list").stdout.splitlines()]
    assert {"aaa_user", "hso_user", "hso", "nba", "nis60", "sam"} <= set(ids) and ids == sorted(ids)
    done = run("-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow", *REPOSITORY_TESTS)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
