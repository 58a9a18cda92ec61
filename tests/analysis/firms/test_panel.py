"""Tests for evaluation.analysis.firms.panel: validating a firm-year panel."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from evaluation.analysis import firms as F
from evaluation.core.errors import InputError


def test_validate_panel_returns_canonical_dtypes_sorted() -> None:
    """A valid panel comes back with canonical dtypes, sorted by firm and year."""
    raw = pd.DataFrame(
        {
            "firm_id": ["B", "A", "A"],
            "year": [2020, 2021, 2020],
            "employees": [3, 5, 4],
            "turnover": [1.0, None, 2.0],
            "participant": [0, 1, 1],
            "participation_start": [None, 2021, 2021],
            "extra": ["x", "y", "z"],
        }
    )
    out = F.validate_panel(raw)
    assert list(out.columns) == [*F.REQUIRED_COLUMNS, "extra"]
    assert out["firm_id"].tolist() == ["A", "A", "B"]
    assert out["year"].tolist() == [2020, 2021, 2020]
    assert out["year"].dtype == np.int64
    assert out["participant"].dtype == bool
    assert str(out["participation_start"].dtype) == "Int64"
    assert out["participation_start"].isna().tolist() == [False, False, True]
    assert out["employees"].tolist() == [4.0, 5.0, 3.0]


def test_validate_panel_lists_every_problem_with_csv_rows() -> None:
    """All problems are raised at once, each with its CSV row number (index + 2)."""
    raw = pd.DataFrame(
        {
            "firm_id": ["A", "A", "", "B", "B", "C"],
            "year": [2019, 2019, 2019, 2019.5, 2020, 2020],
            "employees": [1, 2, 3, -1, 4, 5],
            "turnover": [1, 2, 3, 4, "abc", 6],
            "participant": [True, True, False, "maybe", False, False],
            "participation_start": [2020, 2020, None, None, None, 2021],
        },
    )
    with pytest.raises(InputError) as info:
        F.validate_panel(raw, file="panel.csv")
    found = {(p.field, p.row) for p in info.value.problems}
    assert found == {
        ("firm_id", 4),
        ("year", 5),
        ("employees", 5),
        ("turnover", 6),
        ("participant", 5),
        ("participation_start", 7),  # comparison firm with a start year
        ("firm_id, year", 3),  # A 2019 twice
    }
    assert "'year' in panel.csv row 5 must be an integer year" in str(info.value)


def test_validate_panel_reports_missing_columns_and_inconsistent_firms(make_panel: Callable[[list[tuple]], pd.DataFrame]) -> None:
    """Missing columns and firm-level values that change within a firm are problems."""
    with pytest.raises(InputError) as info:
        F.validate_panel(pd.DataFrame({"firm_id": ["A"], "year": [2020]}))
    assert {p.field for p in info.value.problems} == {"employees", "turnover", "participant", "participation_start"}
    raw = make_panel([("A", 2019, 1, True, 2020), ("A", 2020, 1, True, 2021)])
    with pytest.raises(InputError) as info:
        F.validate_panel(raw)
    assert [(p.field, p.row) for p in info.value.problems] == [("participation_start", 3)]


def _register_panel(**columns: list[object]) -> pd.DataFrame:
    base = pd.DataFrame({"firm_id": ["A", "A", "B"], "year": [2020, 2021, 2020], "employees": [3, 4, 5],
                         "turnover": [None, None, None], "participant": [1, 1, 0], "participation_start": [2021, 2021, None]})
    return base.assign(**columns)


def test_wrong_check_digit_of_an_organisation_number_names_the_row() -> None:
    """org_nr 556036-0794 (check digit 3 expected) on row 4 of firms.csv is an InputError naming field, file and row."""
    panel = _register_panel(org_nr=["556036-0793", "5560360793", "556036-0794"])
    with pytest.raises(InputError) as err:
        F.validate_panel(panel, "firms.csv")
    assert str(err.value).startswith("'org_nr' in firms.csv row 4 must be a Swedish organisation number of 10 digits")
    assert str(err.value).endswith("(got '556036-0794')")
    assert err.value.exit_code == 2


def test_register_columns_come_back_normalised() -> None:
    """org_nr as 10 digits, SNI without dot, municipality padded to 4 digits, size class and applicant kept."""
    panel = _register_panel(org_nr=["556036-0793", "165560360793", None], sni=["62.010", "62010", "47"],
                            municipality=[180, "0180", "1480"], size_class=["small", "Small", "10-19"],
                            applicant=[None, None, "true"])
    out = F.validate_panel(panel)
    assert out["org_nr"].tolist()[:2] == ["5560360793", "5560360793"] and pd.isna(out["org_nr"].iloc[2])
    assert out["sni"].tolist() == ["62010", "62010", "47"]
    assert out["municipality"].tolist() == ["0180", "0180", "1480"]
    assert out["size_class"].tolist() == ["small", "small", "10-19"]
    assert out["applicant"].tolist()[2] is True


@pytest.mark.parametrize("column,value,expectation", [
    ("sni", "00010", "an SNI 2007 code"),
    ("municipality", "9999", "a municipality code of 4 digits"),
    ("size_class", "huge", "a size class"),
    ("applicant", "maybe", "true or false"),
])
def test_bad_register_codes_name_their_row(column: str, value: str, expectation: str) -> None:
    """A code outside SNI 2007, an unknown county, size class or a non-boolean applicant names row 3."""
    panel = _register_panel(**{column: [None, value, None]})
    with pytest.raises(InputError, match=rf"'{column}' in <panel> row 3 must be {expectation}"):
        F.validate_panel(panel)


def test_organisation_number_constant_within_a_firm_and_not_shared() -> None:
    """Two numbers for firm A, or B with A's number, are problems naming the row."""
    with pytest.raises(InputError, match=r"'org_nr' in <panel> row 3 must be the same on every row of a firm"):
        F.validate_panel(_register_panel(org_nr=["5560360793", "2120000142", None]))
    with pytest.raises(InputError, match=r"'org_nr' in <panel> row 4 must be a number not used by another firm_id"):
        F.validate_panel(_register_panel(org_nr=["5560360793", "5560360793", "5560360793"]))


def test_register_columns_checked_with_the_loaders_file_and_rows() -> None:
    """validate_register_columns names the file and the row numbers the loader recorded in attrs."""
    from evaluation.analysis.firms.panel import validate_register_columns

    panel = _register_panel(org_nr=["5560360793", "5560360793", "1234567890"])
    panel.attrs.update(file="data/x/firms.xlsx", rows=np.array([5, 6, 9]))
    with pytest.raises(InputError, match=r"'org_nr' in data/x/firms.xlsx row 9 must be a Swedish organisation number"):
        validate_register_columns(panel)
    ok = validate_register_columns(_register_panel(org_nr=["556036-0793", None, None]))
    assert ok["org_nr"].iloc[0] == "5560360793"
