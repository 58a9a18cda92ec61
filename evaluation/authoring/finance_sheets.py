"""The dated financial columns in the Excel template: the payments sheet, and the dates and financing basis
that make a report time-correct (issue 13).

:mod:`evaluation.authoring.workbook` merges these into its own tables: the payments sheet (financing paid or
booked, with its date), the ``period_end`` of a cost line (the date its outcome is counted to), the ``basis`` of a
financier (the decided plan or the final outcome) and the ``date`` of a survey wave.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from evaluation.core.errors import InputError
from evaluation.core.i18n import Language, ptext, text
from evaluation.core.model import Project
from evaluation.io.loader import load_project

LIST_COLUMNS: dict[tuple[str, str], str] = {("financing", "basis"): "basis"}
"""(table, column) -> the drop-down list it takes its values from."""


def drop_down_lists() -> dict[str, tuple[str, ...]]:
    """The closed sets of the financial columns (list name -> values)."""
    return {"basis": ("decided", "outcome")}


def sheet_names(lang: Language) -> dict[str, str]:
    """Table name -> sheet name in ``lang``."""
    return {"payments": ptext(lang, "workbook sheet", "Payments")}


def purposes(lang: Language) -> dict[str, str]:
    """What each table is for (instruction sheet), in ``lang``."""
    return {"payments": text(lang, "Financing paid out or booked: one row per payment, with its date. The outcome is "
                                   "compared with the payments, the financing plan with the budget.")}


def column_help(lang: Language) -> dict[tuple[str, str], str]:
    """Help for the dated financial columns in ``lang``."""
    return {
        ("payments", "date"): text(lang, "The date the payment was made or booked, YYYY-MM-DD."),
        ("payments", "financier"): text(lang, "The financier's name, as on the financing sheet or in project.yaml."),
        ("payments", "amount"): text(lang, "The amount paid in kronor."),
        ("payments", "source"): text(lang, "Where the figure comes from, e.g. the payment request or the accounts (optional)."),
        ("payments", "note"): text(lang, "Note (free text, optional)."),
        ("costs", "period_end"): text(lang, "The date the outcome is counted to, YYYY-MM-DD (optional; a report as of an "
                                            "earlier date leaves the row out)."),
        ("financing", "basis"): text(lang, "decided (the financing plan in the funding decision) or outcome (what the "
                                           "financier finally paid). Empty = decided."),
        ("survey_invited", "date"): text(lang, "The date of the survey wave, YYYY-MM-DD (optional; a report as of an "
                                               "earlier date leaves the wave out)."),
    }


def yaml_only(folder: Path) -> Project | None:
    """The project of ``folder``'s project.yaml alone (no tables, no assessments), or None when it does not load."""
    with tempfile.TemporaryDirectory(prefix="evaluation-import-") as tmp:
        alone = Path(tmp) / folder.name
        alone.mkdir()
        shutil.copy2(folder / "project.yaml", alone / "project.yaml")
        try:
            return replace(load_project(alone), folder=folder)
        except InputError:
            return None
