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
