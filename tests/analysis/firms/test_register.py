"""Tests for evaluation.analysis.firms.register: organisation numbers, SNI, size class, municipality and the export."""

from __future__ import annotations

import pandas as pd
import pytest

from evaluation.analysis.firms import register
from evaluation.core.errors import InputError


@pytest.mark.parametrize("value,expected", [
    ("556036-0793", "5560360793"),
    ("5560360793", "5560360793"),
    ("16556036-0793", "5560360793"),
    (" 212000-0142 ", "2120000142"),
    (2120000142, "2120000142"),
    ("556036-0794", None),   # wrong check digit (3 expected)
    ("55603-60793", None),
    ("", None),
    (None, None),
    (True, None),
])
def test_org_nr_accepts_the_usual_forms_and_checks_the_luhn_digit(value: object, expected: str | None) -> None:
    """NNNNNN-NNNN, 10 digits, the 16-prefixed 12-digit form; the last digit must be the Luhn digit of the first nine."""
    assert register.org_nr(value) == expected


def test_luhn_digit_hand_checked() -> None:
    """556036079: 1+5+3+0+6+6+0+7+9 = 37, so the check digit is 3."""
    assert register.luhn_valid("5560360793") and not register.luhn_valid("5560360790")


@pytest.mark.parametrize("value,expected", [("62010", "62010"), ("62.010", "62010"), ("47", "47"), (1110, "01110"),
                                            ("04010", None), ("620100", None), ("x", None)])
def test_sni_code(value: object, expected: str | None) -> None:
    """2 to 5 digits in one of SNI 2007's divisions (04 is none); a numeric 1110 is 01110."""
    assert register.sni_code(value) == expected


@pytest.mark.parametrize("value,expected", [("0180", "0180"), (180, "0180"), ("2584", "2584"), ("0280", None), ("123", None)])
def test_municipality_code(value: object, expected: str | None) -> None:
    """4 digits whose first two are a county code (02 is none)."""
    assert register.municipality_code(value) == expected


def test_size_class() -> None:
    """EU classes and Statistics Sweden's employee bands, case and spaces ignored."""
    assert [register.size_class(v) for v in ("Micro", "10 - 19", "500-", "big", 5)] == ["micro", "10-19", "500-", None, None]


def _panel() -> pd.DataFrame:
    return pd.DataFrame({"firm_id": ["a", "a", "b", "c"], "name": ["Alfa AB", "Alfa AB", "Beta AB", "Gamma AB"],
                         "year": [2021, 2025, 2021, 2021], "employees": [5, 6, 7, 8], "participant": [True, True, True, False],
                         "org_nr": ["556036-0793", "556036-0793", "2120000142", None]})


def test_export_holds_only_the_participants_organisation_numbers() -> None:
    """One column org_nr, each participating firm once, 10 digits, sorted; no names, ids or outcomes."""
    data = register.export_csv(_panel())
    assert data == b"org_nr\n2120000142\n5560360793\n"
    assert list(register.export_firms(_panel()).columns) == ["org_nr"]


def test_export_refuses_a_participant_without_a_valid_number() -> None:
    """A participant with no or a wrong organisation number: an InputError naming each row."""
    panel = _panel()
    panel.loc[2, "org_nr"] = None
    panel.loc[1, "org_nr"] = "556036-0794"
    with pytest.raises(InputError) as err:
        register.export_firms(panel, "firms.csv")
    message = str(err.value)
    assert "'org_nr' in firms.csv row 3 must be a Swedish organisation number" in message and "(got '556036-0794')" in message
    assert "'org_nr' in firms.csv row 4 must be" in message and "(got None)" in message
