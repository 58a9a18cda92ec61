"""Tests for evaluation/report/sections/horizontal.py: the horizontal criteria."""

from __future__ import annotations

from evaluation.report import sections
from evaluation.report.sections import ReportContext

from .helpers import (
    BANNER,
    plain,
)


def test_horizontal_labels_illustrative_indicator_sentences(illustrative_values_only: ReportContext) -> None:
    """Horizontal criteria quoting illustrative indicator values show the banner."""
    block = sections.horizontal(illustrative_values_only)
    assert "Projektet har nått 8 företag mot målvärdet 10 (80 %)." in plain(block.text())
    assert BANNER in block.text()
