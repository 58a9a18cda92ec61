"""Fixtures of the section tests: the example reports (built once per session) and tiny hand-computed projects."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import minimal_spec, write_project

from evaluation.report.sections import ReportContext

from .helpers import (
    EVIL,
    Lazy,
    final_values,
    open_report,
    value,
)


@pytest.fixture(scope="session")
def nis60() -> Lazy:
    """The NIS 6.0 final report in Swedish (data/nis60, as of 31 December 2022)."""
    return Lazy(open_report("nis60", "final", "2022-12-31"))


@pytest.fixture(scope="session")
def nis60_en() -> Lazy:
    """The NIS 6.0 final report in English."""
    return Lazy(open_report("nis60", "final", "2022-12-31", "en"))


@pytest.fixture(scope="session")
def nba() -> Lazy:
    """The NBA final report (data/nba, as of 31 May 2019): the jobs target has no outcome."""
    return Lazy(open_report("nba", "final", "2019-05-31"))


@pytest.fixture(scope="session")
def midterms() -> dict[str, Lazy]:
    """The HSO and SAM mid-term reports (illustrative monitoring values), as in params/."""
    return {"hso": Lazy(open_report("hso", "midterm", "2025-08-31")),
            "sam": Lazy(open_report("sam", "midterm", "2025-06-30"))}


@pytest.fixture
def illustrative_values_only(tmp_path: Path) -> ReportContext:
    """A tiny final report whose only illustrative data are indicator values (no gender split)."""
    spec = minimal_spec()
    spec["indicators"][0].update(role="firms_reached", unit="företag")
    values = [value("out1", "2025-12-31", 8, data_status="illustrative"),
              value("res1", "2025-12-31", 5, data_status="illustrative")]
    folder = write_project(tmp_path, spec, {"indicator_values": values})
    return open_report(folder, "final", "2025-12-31")


@pytest.fixture
def midterm_tiny(tmp_path: Path) -> Callable[[str], ReportContext]:
    """``make(lang)``: the hand-computed tiny mid-term report described above."""
    spec = minimal_spec()
    for ind, target in zip(spec["indicators"], (100, 5)):
        ind["target"] = {"value": target, "date": date(2025, 8, 23)}
    values = [value("out1", "2024-04-10", 10), value("out1", "2024-07-19", 30), value("out1", "2024-10-27", 30),
              value("res1", "2024-10-27", 2)]
    folder = write_project(tmp_path, spec, {"indicator_values": values})
    return lambda lang: open_report(folder, "midterm", "2024-10-27", lang)


@pytest.fixture
def evil(tmp_path: Path) -> ReportContext:
    """A tiny final report with "<script>" in goal statements, a risk, a firm name and a survey item."""
    spec = minimal_spec()
    spec["disclosure"] = {"firms": "public"}  # so that the firm table (with the name) is shown
    spec["name"] = "Miniprojekt " + EVIL
    spec["goal_tree"][1]["statement"] = "Projektmål " + EVIL
    spec["goal_tree"][1]["risks"] = ["Risk " + EVIL]
    spec["goal_tree"][2]["statement"] = "Aktivitet " + EVIL
    spec["horizontal"][0]["actions"] = ["Åtgärd " + EVIL]
    spec["lessons"] = ["Lärdom " + EVIL]
    activities = [{"activity": "a1", "period_end": "2024-06-30", "count": 2},
                  {"activity": "a1", "period_end": "2025-06-30", "count": 3}]
    firms = []
    for fid, name, participant, employees in (("p1", "Alfa AB " + EVIL, "yes", (2, 2, 4, 5)),
                                              ("p2", "Beta AB", "yes", (3, 3, 3, 6)),
                                              ("c1", "Gamma AB", "no", (2, 2, 2, 2)),
                                              ("c2", "Delta AB", "no", (5, 5, 6, 5))):
        for year, e in zip(range(2022, 2026), employees):
            firms.append({"firm_id": fid, "name": name, "year": year, "employees": e, "participant": participant,
                          "participation_start": 2024 if participant == "yes" else None})
    survey = [{"wave": "2025", "respondent": f"r{i:02d}", "item": "Fråga " + EVIL, "answer": 4 + i % 2}
              for i in range(12)]
    folder = write_project(tmp_path, spec, {
        "indicator_values": final_values(), "activities": activities, "firms": firms,
        "survey": survey, "survey_invited": [{"wave": "2025", "invited": 20}]})
    return open_report(folder, "final", "2025-12-31")
