"""Shared fixture of the firm-analysis tests: a small panel from (firm_id, year, employees, participant, start) rows."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest


def _panel(rows: list[tuple]) -> pd.DataFrame:
    """A panel from (firm_id, year, employees, participant, start) tuples."""
    return pd.DataFrame(
        {
            "firm_id": pd.array([r[0] for r in rows], dtype="str"),
            "year": np.array([r[1] for r in rows], dtype=np.int64),
            "employees": np.array([r[2] for r in rows], dtype=float),
            "turnover": np.full(len(rows), np.nan),
            "participant": np.array([r[3] for r in rows], dtype=bool),
            "participation_start": pd.array([r[4] for r in rows], dtype="Int64"),
        }
    )


@pytest.fixture
def make_panel() -> Callable[[list[tuple]], pd.DataFrame]:
    """The panel builder: ``make_panel(rows)``, rows as (firm_id, year, employees, participant, start)."""
    return _panel
