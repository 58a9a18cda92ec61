"""Tests for evaluation/report/sections/surveys.py: survey results and their hidden cells."""

from __future__ import annotations

import csv
from collections import Counter

from evaluation.core import paths

from .helpers import (
    BANNER,
    Lazy,
    table_with,
)


def test_hso_survey_section_is_labelled_and_shows_response_rate(midterms: dict[str, Lazy]) -> None:
    """HSO mid-term survey section: banner, and 38 of 64 invited answered (59,4 %)."""
    block = midterms["hso"]["surveys"]
    with open(paths.PACKAGE_DIR.parent / "data" / "hso" / "survey.csv", encoding="utf-8") as fh:
        respondents = {row["respondent"] for row in csv.DictReader(fh)}
    assert len(respondents) == 38
    assert BANNER in block.text()
    rate = table_with(block, "Omgång")
    assert rate[1] == ["2025", "64", "38", "59,4 %"]


def _recoverable(cells: dict[int, int | None], n: int | None, agreeing: int | None) -> dict[int, int]:
    """Hidden answer counts a reader can work out from the shown counts, the total and the 4-5 count."""
    known = {a: c for a, c in cells.items() if c is not None}
    constraints = []
    if n is not None:
        constraints.append((set(cells), n))
    if agreeing is not None:
        constraints.append(({4, 5}, agreeing))
    recovered: dict[int, int] = {}
    changed = True
    while changed:
        changed = False
        for members, total in constraints:
            unknown = [a for a in members if a not in known]
            if len(unknown) == 1:
                a = unknown[0]
                known[a] = total - sum(known[m] for m in members if m != a)
                recovered[a] = known[a]
                changed = True
    return recovered


def test_hso_survey_hidden_cells_cannot_be_recovered(midterms: dict[str, Lazy]) -> None:
    """HSO survey: no hidden answer count follows from the shown counts, n and the 4-5 share."""
    block = midterms["hso"]["surveys"]
    with open(paths.PACKAGE_DIR.parent / "data" / "hso" / "survey.csv", encoding="utf-8") as fh:
        counts = Counter((row["item"], int(row["answer"])) for row in csv.DictReader(fh))
    agree = {r[0]: r for r in table_with(block, "Fråga")[1:]}
    dist = table_with(block, "Fråga (andel per svarsalternativ 1–5)")
    answers = [int(a) for a in dist[0][1:]]
    leaks = {}
    for row in dist[1:]:
        item = row[0]
        cells = {a: (None if cell == "dolt" else counts[(item, a)]) for a, cell in zip(answers, row[1:])}
        n = None if agree[item][1] == "dolt" else sum(counts[(item, a)] for a in answers)
        agreeing = None if agree[item][2] == "dolt" else counts[(item, 4)] + counts[(item, 5)]
        found = _recoverable(cells, n, agreeing)
        if found:
            leaks[item] = found
    assert leaks == {}
