"""Tests for evaluation.analysis.interviews: the theme-by-group matrix on synthetic interviews with known counts,
the small-cell rule on groups (and their totals) and the quotes a report may show."""

from __future__ import annotations

import math
from datetime import date

from evaluation.analysis import disclosure, interviews
from evaluation.core.model import Disclosure, Excerpt, Interview, Project, Theme


def project(groups: dict[str, int], excerpts: list[tuple[str, str, str, str]], consent: frozenset[str] = frozenset()) -> Project:
    """A project with ``n`` interviews per group (ids <group initial><i>) and the given excerpts."""
    ivs = tuple(Interview(id=f"{g[:3]}{i}", group=g, consent_to_quote=f"{g[:3]}{i}" in consent)  # type: ignore[arg-type]
                for g, n in groups.items() for i in range(1, n + 1))
    return Project(id="x", name="X", fund="ERUF", programme="P", owner=None, start=date(2024, 1, 1), end=date(2025, 12, 31),
                   interviews=ivs, excerpts=tuple(Excerpt(*e) for e in excerpts),  # type: ignore[arg-type]
                   themes=(Theme("growth", "Tillväxt"), Theme("networks", "Nätverk")), disclosure=Disclosure(min_cell=5))


EXCERPTS = [
    ("par1", "networks", "positive", "Bra nätverk."), ("par1", "networks", "positive", "Igen."),  # one interview counts once
    ("par2", "networks", "negative", "Fel tider."), ("par3", "networks", "positive", "Nya kunder."),
    ("mun1", "networks", "neutral", "Det fungerade."), ("fin1", "networks", "positive", "Bra."),
    ("par4", "growth", "positive", "Vi anställde."), ("mun2", "growth", "positive", "Fler jobb."),
    ("mun3", "growth", "negative", "Inte här."),
]


def test_the_matrix_counts_interviews_per_theme_and_group() -> None:
    """Known counts: networks 3 firms / 1 municipality, growth 1 / 2; stances counted per interview."""
    p = project({"participating_firm": 6, "municipality": 5, "financier": 5}, EXCERPTS)
    m = interviews.theme_matrix(p, 5)
    assert m.hidden == ()
    assert list(m.counts.index) == ["growth", "networks"]  # the themes table's order
    assert list(m.counts.columns) == ["participating_firm", "financier", "municipality"]  # the model's group order
    assert m.counts.loc["networks"].to_dict() == {"participating_firm": 3, "financier": 1, "municipality": 1}
    assert m.counts.loc["growth"].to_dict() == {"participating_firm": 1, "financier": 0, "municipality": 2}
    assert m.stances["positive"].loc["networks", "participating_firm"] == 2
    assert m.stances["negative"].loc["networks", "participating_firm"] == 1
    assert m.total.to_dict() == {"growth": 3, "networks": 5}
    assert m.n_interviews == 16 and m.interviews.to_dict() == {"participating_firm": 6, "financier": 5, "municipality": 5}


def test_a_group_under_the_threshold_is_hidden_and_not_recoverable() -> None:
    """Financiers (2 interviews) are hidden at 5; one more group is hidden so the total does not give them away."""
    p = project({"participating_firm": 6, "municipality": 5, "financier": 2}, EXCERPTS)
    m = interviews.theme_matrix(p, 5)
    assert "financier" in m.hidden and len(m.hidden) == 2  # secondary: municipality (5) is the smallest shown
    assert m.hidden == ("financier", "municipality")
    assert m.counts["financier"].isna().all() and m.interviews.isna()["financier"]
    assert all(m.stances[s]["financier"].isna().all() for s in ("positive", "neutral", "negative"))
    # the shown groups and the total never single out one hidden group
    assert m.total["networks"] - m.counts.loc["networks", list(m.shown_groups)].sum() == 2  # two groups together
    assert not m.total_hidden and m.n_interviews == 13


def test_the_total_is_hidden_when_the_hidden_groups_are_few_together() -> None:
    """Two hidden groups of 2 and 1 interviews (3 < 5): the all-groups total is hidden too."""
    p = project({"participating_firm": 6, "financier": 2, "project_manager": 1}, EXCERPTS)
    m = interviews.theme_matrix(p, 5)
    assert set(m.hidden) == {"financier", "project_manager"}
    assert m.total_hidden and m.total.isna().all() and m.n_interviews is None
    assert m.counts.loc["networks", "participating_firm"] == 3


def test_quotes_need_consent_and_a_shown_group() -> None:
    """Only consenting interviews of shown groups are quoted, with the group and never an id or name."""
    p = project({"participating_firm": 6, "municipality": 5, "financier": 2}, EXCERPTS, consent=frozenset({"par1", "par2", "fin1"}))
    q = interviews.quotes(p, 5)
    assert list(q.columns) == ["theme", "group", "stance", "excerpt"]
    assert q["excerpt"].tolist() == ["Bra nätverk.", "Igen.", "Fel tider."]  # fin1 consented but financiers are hidden
    assert set(q["group"]) == {"participating_firm"}


def test_interviews_are_never_public() -> None:
    """The interview threshold is the larger of min_cell and the report's threshold, even when survey data are public."""
    p = project({"participating_firm": 1}, [])
    public = Project(**{**p.__dict__, "disclosure": Disclosure(survey="public", firms="public", min_cell=3)})
    assert disclosure.interview_min_cell(public, 5) == 5 and disclosure.interview_min_cell(public, 2) == 3


def test_interview_groups_hidden_single_small_group() -> None:
    """One small group beside large ones: it and the next smallest are hidden (secondary suppression)."""
    hidden, total = disclosure.interview_groups_hidden([6, 2, 7, 9], 5)
    assert hidden == [True, True, False, False] and total is False
    assert disclosure.interview_groups_hidden([], 5) == ([], False)


def test_no_excerpts_gives_an_empty_matrix() -> None:
    """Interviews without coded excerpts give an empty matrix, not zeros."""
    m = interviews.theme_matrix(project({"participating_firm": 6}, []), 5)
    assert m.empty and not math.isnan(m.interviews["participating_firm"])
