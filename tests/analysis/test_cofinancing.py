"""Tests for evaluation.analysis.cofinancing: the Botniska korridoren key as Region Gävleborg's
development committee decided it, the largest-remainder rounding on known cases, and fixed and
split keys."""

from __future__ import annotations

import math

import pytest

from evaluation.analysis.cofinancing import allocate, check_key, key_table, project_keys, whole_kronor
from evaluation.core.region import CofinancingKey, KeyParty

# Region Gävleborg, minutes of the development committee (seed 004_*), Botniska korridoren:
# "Projektets budget uppgår till 9 750 000 kr och finansieras gemensamt av regionerna utifrån en
# fördelningsnyckel baserad på respektive läns befolkningsmängd. [...] Region Gävleborgs andel
# uppgår till totalt 1 500 000 kr, varav 750 000 kr finansieras med förvaltningsmedel och 750 000 kr
# finansieras med beviljande projektmedel från 1:1 Regionala utvecklingsåtgärder (separat beslut)."
BOTNIA_TOTAL = 9_750_000
GAVLEBORG_DECIDED = 1_500_000
SEVEN = ("Region Gävleborg", "Region Västernorrland", "Region Västerbotten", "Region Norrbotten",
         "Region Jämtland Härjedalen", "Region Örebro län", "Region Dalarna")


def botnia_key(populations: tuple[float, ...]) -> CofinancingKey:
    parties = tuple(
        KeyParty(name, input=pop, decided=GAVLEBORG_DECIDED if name == "Region Gävleborg" else None)
        for name, pop in zip(SEVEN, populations, strict=True)
    )
    return CofinancingKey("botnia", BOTNIA_TOTAL, "population", parties, splits=None)


SPLIT = CofinancingKey(
    "gavleborg_split", GAVLEBORG_DECIDED, "fixed",
    (KeyParty("Förvaltningsmedel", input=750_000, decided=750_000, kind="förvaltningsmedel"),
     KeyParty("Regionala utvecklingsåtgärder 1:1", input=750_000, decided=750_000, kind="1:1-medel")),
    splits="Region Gävleborg",
)


def test_gavleborg_share_of_botnia_at_the_population_that_gives_its_decided_amount() -> None:
    """A population key whose Gävleborg share is 1 500 000 / 9 750 000 = 2/13 gives exactly 1 500 000 kr and no difference."""
    key = botnia_key((200, 200, 200, 200, 100, 200, 200))  # Gävleborg holds 200 of 1 300
    assert sum(p.input for p in key.parties) == 1_300  # type: ignore[misc]
    table = key_table(key).set_index("party")
    assert table.loc["Region Gävleborg", "share"] == pytest.approx(2 / 13)
    assert table.loc["Region Gävleborg", "computed"] == GAVLEBORG_DECIDED
    assert table.loc["Region Gävleborg", "difference"] == 0
    assert table["computed"].sum() == BOTNIA_TOTAL
    assert table.drop("Region Gävleborg")["decided"].isna().all()  # the others' decisions are not in the minutes


def test_botnia_decided_amount_against_a_key_that_gives_more() -> None:
    """With Gävleborg at 16 % of the population the key gives 1 560 000 kr: the decided 1 500 000 kr is 60 000 kr short."""
    key = botnia_key((16, 14, 14, 14, 14, 14, 14))
    row = key_table(key).set_index("party").loc["Region Gävleborg"]
    assert row["computed"] == 1_560_000
    assert row["decided"] == 1_500_000
    assert row["difference"] == -60_000


def test_gavleborg_split_750_000_and_750_000_sums_to_its_decided_share() -> None:
    """Region Gävleborg's 1 500 000 kr: 750 000 förvaltningsmedel + 750 000 1:1-medel, as decided, no difference."""
    others = (botnia_key((2, 2, 2, 2, 2, 1, 2)), SPLIT)
    table = key_table(SPLIT)
    assert list(table["computed"]) == [750_000, 750_000]
    assert list(table["kind"]) == ["förvaltningsmedel", "1:1-medel"]
    assert (table["difference"] == 0).all()
    check = check_key(SPLIT, others)
    assert check.computed_total == GAVLEBORG_DECIDED
    assert check.computed_gap == 0
    assert check.split_of == GAVLEBORG_DECIDED and check.split_gap == 0


def test_largest_remainder_parts_are_whole_kronor_and_sum_to_the_total() -> None:
    """100 kr in thirds is 34 + 33 + 33 and 10 kr 4 + 3 + 3 (the leftover krona to the first listed); parts sum to the total."""
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate(10, [1, 1, 1]) == [4, 3, 3]
    assert allocate(10, [1, 1, 2]) == [3, 2, 5]  # exact 2.5, 2.5, 5: the first listed of the tied remainders gets the krona
    parts = allocate(BOTNIA_TOTAL, [287_000, 244_000, 274_000, 250_000, 132_000, 305_000, 288_000])
    assert sum(parts) == BOTNIA_TOTAL
    assert all(isinstance(p, int) for p in parts)


def test_largest_remainder_gives_the_krona_to_the_largest_remainder() -> None:
    """7 kr by weights 1, 2, 4 is exactly 1, 2, 4; 8 kr gives 1.14, 2.29, 4.57 -> 1, 2, 5 (largest remainder 0.57)."""
    assert allocate(7, [1, 2, 4]) == [1, 2, 4]
    assert allocate(8, [1, 2, 4]) == [1, 2, 5]


def test_whole_kronor_rounds_halves_away_from_zero() -> None:
    """0.5 kr rounds to 1 kr and 2.5 kr to 3 kr (not to the even krona)."""
    assert whole_kronor(0.5) == 1
    assert whole_kronor(2.5) == 3
    assert whole_kronor(2.49) == 2


def test_key_with_a_missing_population_computes_no_parts() -> None:
    """A population key with a party whose population is not reported gives no computed parts (NaN), never zeros."""
    key = CofinancingKey("k", 100, "population", (KeyParty("A", input=1), KeyParty("B", input=None)))
    table = key_table(key)
    assert table["computed"].isna().all()
    assert math.isnan(check_key(key).computed_total)


def test_fixed_key_that_does_not_add_up_shows_the_gap() -> None:
    """A fixed key of 1 000 kr whose amounts sum to 900 kr has a computed gap of -100 kr."""
    key = CofinancingKey("k", 1_000, "fixed", (KeyParty("A", input=400, decided=400), KeyParty("B", input=500)))
    check = check_key(key)
    assert check.computed_gap == -100
    assert check.undecided == 1 and check.decided_total == 400


def test_project_keys_stacks_every_party() -> None:
    """Two keys of 7 and 2 parties give 9 rows, in key order."""
    frame = project_keys((botnia_key((1, 1, 1, 1, 1, 1, 1)), SPLIT))
    assert len(frame) == 9
    assert list(frame["key"].unique()) == ["botnia", "gavleborg_split"]


def test_botnia_example_data_carry_the_minutes_figures() -> None:
    """data/botnia: key total 9 750 000 kr, Region Gävleborg decided 1 500 000 kr, split 750 000 + 750 000 with no gap."""
    from evaluation.io.loader import load_project

    project = load_project("botnia")
    botnia, split = project.cofinancing
    assert botnia.total == BOTNIA_TOTAL and botnia.basis == "population" and len(botnia.parties) == 7
    assert botnia.party("Region Gävleborg").decided == GAVLEBORG_DECIDED
    assert [p.decided for p in split.parties] == [750_000, 750_000]
    assert [p.kind for p in split.parties] == ["förvaltningsmedel", "1:1-medel"]
    check = check_key(split, project.cofinancing)
    assert check.split_gap == 0 and check.computed_gap == 0
    table = key_table(botnia)
    assert table["computed"].sum() == BOTNIA_TOTAL
    assert (table["data_status"] == "illustrative").all()  # the populations are not in the minutes
    assert project.is_illustrative()
