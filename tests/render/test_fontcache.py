"""Tests for evaluation.render.fontcache: font subsets made once, the PDF's bytes unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools import subset
from nbformat.v4 import new_markdown_cell, new_notebook
from render.render_fixtures import PARAMS

from evaluation.render.fontcache import subset_key
from evaluation.render.html import render_html
from evaluation.render.pdf import render_pdf


def _html(text: str) -> str:
    return render_html(new_notebook(cells=[new_markdown_cell(f"# Rapport\n\n{text} **fet** *kursiv* `kod`")]), PARAMS)


@pytest.fixture()
def subsets(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the fontTools subsets made (one entry per call)."""
    made: list[int] = []
    real = subset.Subsetter.subset

    def counted(self: subset.Subsetter, font: object) -> None:
        made.append(1)
        real(self, font)

    monkeypatch.setattr(subset.Subsetter, "subset", counted)
    return made


def test_cached_subsets_give_the_same_pdf(tmp_path: Path, subsets: list[int]) -> None:
    """A PDF made with an empty cache, with a full cache and without a cache has the same bytes; a full cache subsets nothing."""
    html = _html("Åtta företag i Västernorrland")
    plain = render_pdf(html)
    subsets.clear()
    cold = render_pdf(html, font_cache=tmp_path)
    assert subsets and len(list(tmp_path.glob("*.font"))) == len(subsets)
    subsets.clear()
    warm = render_pdf(html, font_cache=tmp_path)
    assert subsets == [] and plain == cold == warm


def test_other_glyphs_are_subset_again(tmp_path: Path, subsets: list[int]) -> None:
    """A report using a glyph the cached subsets lack gets its own subset, and its PDF is what it is without the cache."""
    render_pdf(_html("abc"), font_cache=tmp_path)
    subsets.clear()
    html = _html("abc xyz ÅÄÖ")
    assert render_pdf(html, font_cache=tmp_path) == render_pdf(html) and subsets


def test_key_names_every_input_of_a_subset(monkeypatch: pytest.MonkeyPatch) -> None:
    """The key changes with the font bytes, face index, glyphs, hinting, notdef outline and SOURCE_DATE_EPOCH."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1672444800")
    base = subset_key(b"font", 0, {1: "a", 2: "b"}, False, False)
    assert base == subset_key(b"font", 0, {2: "b", 1: "a"}, False, False)
    others = {subset_key(b"fonT", 0, {1: "a", 2: "b"}, False, False), subset_key(b"font", 1, {1: "a", 2: "b"}, False, False),
              subset_key(b"font", 0, {1: "a"}, False, False), subset_key(b"font", 0, {1: "a", 2: "b"}, True, False),
              subset_key(b"font", 0, {1: "a", 2: "b"}, False, True)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    others.add(subset_key(b"font", 0, {1: "a", 2: "b"}, False, False))
    assert base not in others and len(others) == 6
