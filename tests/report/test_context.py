"""Tests for evaluation/report/context.py: the report context built once from the notebook's parameters."""

from __future__ import annotations

from datetime import date

import pytest

from evaluation.core.errors import ParameterError
from evaluation.report import sections


def test_report_open_validates_parameters() -> None:
    """open_report validates like the notebook does: a wrong parameter is a ParameterError."""
    report = sections.open_report(project="nis60", kind="final", as_of="2022-12-31", language="sv",
                         formats=["html"], small_cell_threshold=5)
    assert report.kind == "final" and report.as_of == date(2022, 12, 31) and report.project.id == "nis60"
    with pytest.raises(ParameterError, match="'colour'"):
        sections.open_report(project="nis60", kind="final", as_of="2022-12-31", colour="red")
    with pytest.raises(ParameterError, match="'as_of'"):
        sections.open_report(project="nis60", kind="final", as_of="31/12/2022")


def test_context_formats_in_the_report_language() -> None:
    """The context's helpers write numbers, money, shares and dates in the report's language; r() rounds half up."""
    ctx = sections.open_report(project="nis60", kind="final", as_of="2022-12-31", language="en")
    assert (ctx.lang, ctx.kind, ctx.as_of) == ("en", "final", date(2022, 12, 31))
    assert ctx.money(16713030) == "SEK\u00a016,713,030" and ctx.pct(0.497) == "49.7%"
    assert ctx.r(2.25, 1) == "2.3" and ctx.r(None) == "not reported" and ctx.d("2022-12-31") == "31 December 2022"
    assert ctx.row("firms_reached") is not None and ctx.row("nope") is None
    assert (ctx.min_cell("firms"), ctx.min_cell("survey")) == (0, 5)  # NIS 6.0 publishes its firm table
