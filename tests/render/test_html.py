"""Tests for evaluation.render.html: clean, offline, self-contained HTML without code, in the report's language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from nbformat.v4 import new_markdown_cell, new_notebook, new_output
from render.render_fixtures import PARAMS, executed_report, nb_with

from evaluation.render.html import render_html, report_title
from evaluation.report.display import KEY_FIGURES_MIME

NETWORK_ASSET = re.compile(r"<(script|link|img|iframe|source)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//",
                           re.IGNORECASE)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One real run of tests/data/notebooks/report_ok.ipynb; yields its home, notebook and files."""
    yield from executed_report(tmp_path_factory)


@pytest.mark.slow
def test_html_has_no_code_and_no_prompts(report: dict) -> None:
    """No code cell source and no In/Out prompts reach the HTML."""
    html = report["html"]
    for code in ("validate_notebook_parameters", "plt.subplots", "import pandas", 'project = "demo"'):
        assert code not in html
    assert "In&nbsp;[" not in html and "In [" not in html and "Out[" not in html
    assert 'class="prompt' not in html and "input_area" not in html


@pytest.mark.slow
def test_html_has_no_stream_noise_and_no_key_figures(report: dict) -> None:
    """stdout/stderr output and KeyFigures outputs are not visible."""
    html = report["html"]
    assert "stdout noise" not in html and "stderr noise" not in html
    assert "KeyFigures" not in html and "budget_sek" not in html and KEY_FIGURES_MIME not in html


@pytest.mark.slow
def test_html_is_offline(report: dict) -> None:
    """No script, stylesheet or image is fetched from the network; there are no scripts at all."""
    html = report["html"]
    assert NETWORK_ASSET.search(html) is None
    assert 'src="http' not in html and 'href="http' not in html
    assert "<script" not in html.lower() and "@import" not in html


@pytest.mark.slow
def test_html_escapes_user_text_and_embeds_images(report: dict) -> None:
    """User text with <script> is escaped; the figure is an embedded PNG data URI."""
    html = report["html"]
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html
    assert "Firman &lt;Ågren &amp; Söner&gt; svarade." in html
    assert re.search(r'<img [^>]*src="data:image/png;base64,[A-Za-z0-9+/=]{100,}"', html)


@pytest.mark.slow
def test_html_language_title_and_content(report: dict) -> None:
    """<html lang> follows the parameters; the title is the first heading; sections and notices show."""
    html = report["html"]
    assert '<html lang="sv">' in html
    assert "<title>Testrapport</title>" in html
    assert "Relevans, Effektivitet" in html and "ILLUSTRATIVA VÄRDEN" in html
    assert "16\u00a0713\u00a0030" in html and "uppgift saknas" in html
    assert "@page" in html and "counter(pages)" in html and "size: A4" in html
    en = render_html(report["nb"], PARAMS.model_copy(update={"language": "en"}))
    assert '<html lang="en">' in en and '"Page " counter(page) " of " counter(pages)' in en


@pytest.mark.slow
def test_render_html_is_deterministic(report: dict) -> None:
    """Rendering the same executed notebook twice gives the same HTML as the run wrote."""
    assert render_html(report["nb"], PARAMS) == report["html"]


def test_foreign_network_assets_are_removed() -> None:
    """Outputs that would load scripts, stylesheets or images from the network are neutralised."""
    html_out = ('<script src="https://cdn.example.org/require.js"></script>'
                '<link rel="stylesheet" href="https://fonts.example.org/css">'
                '<img src="http://example.org/logo.png" alt="logo">'
                '<style>@import url("https://x.example.org/a.css"); p {color: red}</style>'
                '<p>kept</p>')
    nb = nb_with([new_output("display_data", data={"text/html": html_out})])
    html = render_html(nb, PARAMS)
    assert NETWORK_ASSET.search(html) is None and "@import" not in html
    assert "<p>kept</p>" in html and "[logo]" in html


def test_removed_cells_and_errors_hidden() -> None:
    """Cells tagged remove-cell and error outputs do not show."""
    hidden = new_markdown_cell("Intern anteckning")
    hidden.metadata["tags"] = ["remove-cell"]
    nb = nb_with([new_output("error", ename="ValueError", evalue="hemligt", traceback=["hemligt"])],
                 cells_before=[hidden])
    html = render_html(nb, PARAMS)
    assert "Intern anteckning" not in html and "hemligt" not in html


def test_title_from_metadata_heading_or_fallback() -> None:
    """Title: notebook metadata, else first heading, else kind label and project."""
    nb = new_notebook(cells=[new_markdown_cell("Text\n\n## Resultat för **Demo**")])
    assert report_title(nb, PARAMS) == "Resultat för Demo"
    nb.metadata["title"] = "Slutrapport NIS60"
    assert report_title(nb, PARAMS) == "Slutrapport NIS60"
    assert report_title(new_notebook(), PARAMS) == "Slututvärdering \u2013 demo"
    en = PARAMS.model_copy(update={"language": "en", "kind": "midterm"})
    assert report_title(new_notebook(), en) == "Midterm evaluation \u2013 demo"


def test_page_footer_words_come_from_the_catalogue() -> None:
    """The PDF's page footer reads "Sida n av m" in Swedish and "Page n of m" in English."""
    nb = new_notebook(cells=[new_markdown_cell("# Rapport")])
    assert '"Sida " counter(page) " av " counter(pages)' in render_html(nb, PARAMS)
    en = render_html(nb, PARAMS.model_copy(update={"language": "en"}))
    assert '"Page " counter(page) " of " counter(pages)' in en
