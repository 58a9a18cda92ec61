"""Tests for the Gävleborg examples (regions/gavleborg, data/botnia, stal, cbscale, teamgbg,
upphandling): figures as Region Gävleborg's development committee minutes give them, links to
the region's RUS effect goals, and everything invented marked illustrative."""

from __future__ import annotations

from datetime import date

import pytest

from evaluation.core.model import Project
from evaluation.io.loader import load_project
from evaluation.io.region import load_region
from evaluation.review.checks import check_project

GAVLEBORG_IDS = ("botnia", "stal", "cbscale", "teamgbg", "upphandling")


@pytest.fixture(scope="module")
def projects() -> dict[str, Project]:
    return {pid: load_project(pid) for pid in GAVLEBORG_IDS}


def test_region_holds_the_effect_goals_the_minutes_quote() -> None:
    """regions/gavleborg: the three effect goals quoted verbatim; the two transport goals' area marked illustrative."""
    rus = load_region("gavleborg").rus
    assert rus.effect_goal("naringsliv_brett").statement == "Gävleborg har ett brett, diversifierat och inkluderande näringsliv"
    assert rus.area_of("naringsliv_brett").name == "Konkurrenskraftigt näringsliv och hållbar arbetsmarknad"
    assert rus.effect_goal("infrastruktur").statement == (
        "Gävleborg har robust och kapacitetsstark infrastruktur med hög tillgänglighet för godstransporter "
        "och personresor inom länet och över länsgränser")
    assert rus.effect_goal("transporter").statement == "Gävleborg har en fossiloberoende transportsektor och ett hållbart resande"
    assert {rus.effect_goal(g).area_status for g in ("infrastruktur", "transporter")} == {"illustrative"}
    assert len(rus.priority_areas) == 5 and rus.period == "2020-2030"


def test_examples_as_published(projects: dict[str, Project]) -> None:
    """Botnia 2023-2026, 9 750 000 kr, owner Region Västernorrland, effect goals infrastruktur and transporter;
    the steel project 2023-01-01 to 2026-03-31 applied for by Sustainable Steel Region; CB scale-up's three partners."""
    botnia, stal, cb = projects["botnia"], projects["stal"], projects["cbscale"]
    assert (botnia.start.year, botnia.end.year, botnia.budget.total, botnia.owner) == (2023, 2026, 9_750_000, "Region Västernorrland")
    assert botnia.rus_goals == ("infrastruktur", "transporter")
    assert (stal.start, stal.end, stal.owner, stal.dates_status) == (date(2023, 1, 1), date(2026, 3, 31), "Sustainable Steel Region", "published")
    assert len(cb.partners) == 3 and cb.programme == "Interreg Central Baltic"


@pytest.mark.parametrize("pid", GAVLEBORG_IDS)
def test_examples_link_to_the_region_and_mark_invented_data(pid: str, projects: dict[str, Project]) -> None:
    """Each example belongs to region gavleborg, is illustrative as a whole, every monitoring value is illustrative,
    and its checks give no finding that stops a report."""
    project = projects[pid]
    assert project.region == "gavleborg" and project.data_status == "illustrative" and project.is_illustrative()
    assert all(m.data_status == "illustrative" for ind in project.indicators for m in ind.values)
    assert not [f for f in check_project(project) if f.severity == "error"]
    known = set(load_region("gavleborg").rus.goal_ids())
    assert set(project.rus_goals) <= known
    assert {g for node in project.goal_tree.nodes for g in node.rus_goals} <= known


def test_eu_codes_of_the_examples_agree_with_the_catalogue(projects: dict[str, Project]) -> None:
    """No example indicator carries an unknown EU code or a unit the catalogue does not accept."""
    for project in projects.values():
        assert not [f for f in check_project(project) if f.check == "eu_indicator_catalogue"], project.id
