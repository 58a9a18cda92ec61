"""Tests for evaluation/report/sections/attainment.py: target attainment."""

from __future__ import annotations

from .helpers import (
    Lazy,
)


def test_nis60_published_jobs_indicator(nis60: Lazy) -> None:
    """NIS 6.0: the jobs indicator reports the published 43,5 against the target 40 (109 %)."""
    assert ("Ökning av antal anställda i företagen i Program för tillväxt: 43,5 anställda mot målvärdet 40 (109 %)."
            in nis60.text("attainment"))
