"""A firm panel read from one table file, exactly as the project loader reads a project's ``firms`` table.

Used where the register data live (``evaluation firm-aggregates``), where there is a panel file
but no project folder: the same columns, the same parsing of Swedish numbers and dates, the
same problems (every one collected, raised once) and the same frame as :func:`load_project`
gives in ``Project.firms``, so that the figures computed there equal those of a report made
from the panel.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evaluation.core import paths
from evaluation.core.errors import InputError, ProblemCollector
from evaluation.io.limits import shown_path
from evaluation.io.loader import FIRM_COLUMNS
from evaluation.io.table_rules import check_unique_firm_years
from evaluation.io.tables import read_table

__all__ = ["read_firm_panel"]


def read_firm_panel(path: Path) -> pd.DataFrame:
    """The firm-year panel in ``path`` (CSV or Excel, the columns of a project's ``firms`` table); InputError if bad."""
    problems = ProblemCollector()
    rows = read_table(path, FIRM_COLUMNS, problems)
    check_unique_firm_years(path, rows, problems)
    if not rows and not problems:
        problems.add(shown_path(path), "rows", "at least one firm-year row", "no rows")
    problems.raise_if_any(InputError)
    names = [c.name for c in FIRM_COLUMNS]
    firms = pd.DataFrame([{k: r.get(k) for k in names} for r in rows], columns=names)
    firms["year"] = firms["year"].astype("Int64")
    firms["participation_start"] = pd.array(firms["participation_start"], dtype="Int64")
    firms["participant"] = firms["participant"].astype(bool)
    for col in ("employees", "turnover", "value_added", "published_change"):
        firms[col] = pd.to_numeric(firms[col], errors="coerce").astype(float)
    firms["firm_id"] = firms["firm_id"].astype(str)
    firms.attrs["file"] = paths.display_path(path)
    firms.attrs["rows"] = pd.Series([r["_row"] for r in rows], dtype="int64").to_numpy()
    return firms
