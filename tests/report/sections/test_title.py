"""Tests for evaluation/report/sections/title.py: the title block."""

from __future__ import annotations

import pytest

from .helpers import (
    BANNER,
    Lazy,
    plain,
)


@pytest.mark.parametrize("pid", ["hso", "sam"])
def test_midterm_illustrative_banner_in_title(midterms: dict[str, Lazy], pid: str) -> None:
    """HSO/SAM mid-term: the title carries the ILLUSTRATIVA banner."""
    title = midterms[pid]["title"].text()
    assert BANNER in title
    assert "ILLUSTRATIVA uppföljningsvärden" in plain(title)
