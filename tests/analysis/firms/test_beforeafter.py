"""Tests for evaluation.analysis.firms.beforeafter: the participants' own development between two years."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
import pytest

from evaluation.analysis import firms as F

# NIS 6.0 final report: employees per participating firm, 2019 and October 2022.
NIS_TABLE = [
    ("Automattolerans/Smejtec AB", 2.5, 4),
    ("Brandts Blommor", 4, 8),
    ("Bäcknäset Consulting", 1, 1),
    ("Café Ljuslyktan", 1, 1),
    ("Din Glasman", 2, 3),
    ("Frekab i Bjurholm AB", 19, 25),
    ("Friluftsbutiken Skog & Rök", 2, 0),
    ("Grönåkers farm", 1, 2),
    ("GS-Teknik", 6, 6),
    ("Hotell Vännäs", 19, 17),
    ("Johansson Maskin", 26, 30),
    ("JSG-produkter", 4, 4),
    ("Lavashbageriet", 1, 1),
    ("Lergrova", 1, 1),
    ("Makeover by Jannika", 0, 1),
    ("Malin i Ratan AB", 3, 4),
    ("Mapec", 6, 7),
    ("Maskin och Industriteknik AB", 6, 7),
    ("Norrlands fruktvin", 1, 1),
    ("Norrskenet Service", 0, 3),
    ("Nyåkers Lack", 3, 4),
    ("Orientalfalafel i Bjurholm AB", 9, 8),
    ("Ortophedium Foot & Body", 6, 3),
    ("Racoon", 9, 10),
    ("Smide & Industrimontage I Norr AB", 1, 2),
    ("Stockhus", 1, 1),
    ("Strömdahla", 5, 3),
    ("Svenska Dynor AB", 9, 16),
    ("Tegsnäshus", 0, 6),
    ("TSSolar", 0, 7),
    ("Villapool Nord", 0, 3),
    ("Vännfors Bygg", 11, 13),
]


def _nis_panel(make_panel: Callable[[list[tuple]], pd.DataFrame]) -> pd.DataFrame:
    """NIS_TABLE as a validated panel: every firm a participant from 2020, seen in 2019 and 2022."""
    rows = []
    for name, before, after in NIS_TABLE:
        rows.append((name, 2019, before, True, 2020))
        rows.append((name, 2022, after, True, 2020))
    return F.validate_panel(make_panel(rows))


def test_nis_before_after_totals_pin_what_the_table_gives(make_panel: Callable[[list[tuple]], pd.DataFrame]) -> None:
    """NIS 6.0, 32 firms: the table sums to 159.5 -> 202, i.e. +42.5 (26.6 %), not the published +43.5.

    The report states 159.5 (2019) -> 202 (Oct 2022), change 43.5, +27 %. The firm rows sum
    to 159.5 and 202 as published, but 202 - 159.5 = 42.5, and 42.5 / 159.5 = 26.6 % (which
    rounds to the published 27 %); 43.5 / 159.5 would be 27.3 %. The published change is an
    arithmetic slip in the report.
    """
    panel = _nis_panel(make_panel)
    table = F.before_after(panel, "employees", before=2019, after=2022, total_label="Totalt")
    assert len(table) == 33
    total = table.iloc[-1]
    assert total["firm"] == "Totalt" and pd.isna(total["firm_id"])
    assert total["before"] == 159.5
    assert total["after"] == 202.0
    assert total["change"] == 42.5
    assert total["change"] != 43.5
    assert total["relative_change"] == pytest.approx(42.5 / 159.5, abs=1e-12)
    assert round(total["relative_change"] * 100) == 27
    tsolar = table.loc[table["firm_id"] == "TSSolar"].iloc[0]
    assert (tsolar["before"], tsolar["after"], tsolar["change"]) == (0.0, 7.0, 7.0)
    assert math.isnan(tsolar["relative_change"])  # before == 0
    smejtec = table.loc[table["firm_id"] == "Automattolerans/Smejtec AB"].iloc[0]
    assert smejtec["relative_change"] == pytest.approx(1.5 / 2.5)

    summary = F.before_after_summary(panel, "employees", before=2019, after=2022)
    assert summary.n_firms == 32 and summary.n_missing == 0
    assert (summary.total_before, summary.total_after, summary.change) == (159.5, 202.0, 42.5)
    assert summary.relative_change == pytest.approx(0.266457680, abs=1e-9)
    assert summary.median_change == 1.0
    assert (summary.share_growing, summary.share_unchanged, summary.share_shrinking) == (19 / 32, 8 / 32, 5 / 32)


def test_before_after_uses_names_and_counts_only_complete_firms_in_totals(
    make_panel: Callable[[list[tuple]], pd.DataFrame],
) -> None:
    """Names replace ids, comparison firms are left out, totals use firms seen in both years."""
    panel = make_panel(
        [
            ("A", 2019, 10, True, 2020), ("A", 2022, 12, True, 2020),
            ("B", 2019, 4, True, 2020),  # no 2022 row
            ("C", 2019, 7, False, None), ("C", 2022, 9, False, None),
        ]
    )
    table = F.before_after(panel, before=2019, after=2022, names={"A": "Alfa AB"})
    assert table["firm"].tolist() == ["Alfa AB", "B", "Total"]
    assert math.isnan(table.loc[1, "after"])
    assert table.iloc[-1][["before", "after", "change"]].tolist() == [10.0, 12.0, 2.0]
    summary = F.before_after_summary(panel, before=2019, after=2022)
    assert (summary.n_firms, summary.n_missing) == (1, 1)
