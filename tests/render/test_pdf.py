"""Tests for evaluation.render.pdf: an offline PDF from the report HTML, the same bytes every time."""

from __future__ import annotations

import contextlib
import re
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
from nbformat.v4 import new_markdown_cell, new_notebook
from render.render_fixtures import PARAMS, executed_report

from evaluation.render.html import render_html
from evaluation.render.pdf import render_pdf


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One real run of tests/data/notebooks/report_ok.ipynb; yields its home, notebook and files."""
    yield from executed_report(tmp_path_factory)


@pytest.mark.slow
def test_pdf_starts_with_magic_and_is_reproducible(report: dict) -> None:
    """The PDF is a PDF; rendering the same HTML again gives identical bytes."""
    assert report["pdf"].startswith(b"%PDF-")
    assert render_pdf(report["html"], report["home"]) == report["pdf"]


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF with every Flate stream decompressed (to look for metadata in object streams)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(match.group(1)))
    return b"\n".join(parts)


def test_pdf_dates_from_as_of() -> None:
    """The PDF's creation date is the as_of date, not the time of rendering."""
    nb = new_notebook(cells=[new_markdown_cell("# Rapport")])
    pdf = render_pdf(render_html(nb, PARAMS))
    text = _pdf_text(pdf)
    assert b"/CreationDate (D:20221231)" in text and b"/ModDate (D:20221231)" in text
    assert b"/Title (Rapport)" in text
    assert pdf == render_pdf(render_html(nb, PARAMS))
