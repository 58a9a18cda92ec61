"""Tests for evaluation.render.pages: the page footer's words, from the catalogue, in the language's order."""

from __future__ import annotations

from evaluation.render.pages import PAGE, PAGES, page_label_parts


def test_page_label_in_swedish_and_english() -> None:
    """Swedish reads "Sida n av m", English "Page n of m"; the number stand-ins keep their places."""
    assert page_label_parts("sv") == ["Sida ", PAGE, " av ", PAGES]
    assert page_label_parts("en") == ["Page ", PAGE, " of ", PAGES]
