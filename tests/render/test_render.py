"""Tests for evaluation.render.html: clean offline HTML, reproducible offline PDF, key-figure JSON."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import zlib
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from evaluation.core import paths
from evaluation.render.html import collect_key_figures, render_html, render_json, render_pdf, report_title
from evaluation.report.display import KEY_FIGURES_MIME
from evaluation.report.params import ReportParams
from evaluation.run.report import run_report

NOTEBOOKS = Path(__file__).resolve().parents[1] / "data" / "notebooks"
REPO = paths.PACKAGE_DIR.parent
PARAMS = ReportParams(project="demo", kind="final", as_of=dt.date(2022, 12, 31))

NETWORK_ASSET = re.compile(r"<(script|link|img|iframe|source)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//",
                           re.IGNORECASE)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """One real run of tests/data/notebooks/report_ok.ipynb; yields its home, notebook and files."""
    home = tmp_path_factory.mktemp("home")
    (home / "notebooks").mkdir()
    shutil.copy(NOTEBOOKS / "report_ok.ipynb", home / "notebooks" / "final.ipynb")
    (home / "data" / "demo").mkdir(parents=True)
    (home / "data" / "demo" / "project.yaml").write_text("id: demo\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EVALUATION_HOME", str(home))
        mp.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p))
        result = run_report(PARAMS, preflight=lambda p: None, timeout=120)
        nb = nbformat.read(result.paths["ipynb"], as_version=4)
        yield {"home": home, "nb": nb, "html": result.paths["html"].read_text(encoding="utf-8"),
               "pdf": result.paths["pdf"].read_bytes(), "json": result.paths["json"].read_text(encoding="utf-8")}


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


@pytest.mark.slow
def test_pdf_starts_with_magic_and_is_reproducible(report: dict) -> None:
    """The PDF is a PDF; rendering the same HTML again gives identical bytes."""
    assert report["pdf"].startswith(b"%PDF-")
    assert render_pdf(report["html"], report["home"]) == report["pdf"]


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF with every Flate stream decompressed (to look for metadata in object streams)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    return b"\n".join(parts)


def test_pdf_dates_from_as_of() -> None:
    """The PDF's creation date is the as_of date, not the time of rendering."""
    nb = new_notebook(cells=[new_markdown_cell("# Rapport")])
    pdf = render_pdf(render_html(nb, PARAMS))
    text = _pdf_text(pdf)
    assert b"/CreationDate (D:20221231)" in text and b"/ModDate (D:20221231)" in text
    assert b"/Title (Rapport)" in text
    assert pdf == render_pdf(render_html(nb, PARAMS))


@pytest.mark.slow
def test_json_holds_key_figures_params_provenance(report: dict) -> None:
    """The JSON merges key figures in order and carries params and provenance, sorted, indent 2."""
    text = report["json"]
    data = json.loads(text)
    assert data["key_figures"] == {"budget_sek": 16713030, "firms": 2, "share_women": 0.5}
    assert data["params"] == PARAMS.notebook_parameters()
    assert set(data["provenance"]) == {"code", "data", "input_files", "packages", "params_sha256"}
    assert set(data["provenance"]["input_files"]) == {"data/demo/project.yaml", "notebooks/final.ipynb"}
    assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _nb_with(outputs: list, cells_before: list | None = None) -> nbformat.NotebookNode:
    cell = new_code_cell("x")
    cell.outputs = outputs
    return new_notebook(cells=[*(cells_before or []), cell])


def test_collect_key_figures_merges_in_order() -> None:
    """Later KeyFigures outputs override earlier keys; display_data and execute_result both count."""
    nb = _nb_with([
        new_output("display_data", data={KEY_FIGURES_MIME: {"a": 1, "b": 2}, "text/plain": "kf"}),
        new_output("execute_result", data={KEY_FIGURES_MIME: {"b": 3, "namn": "Ågren"}}, execution_count=1),
    ])
    assert collect_key_figures(nb) == {"a": 1, "b": 3, "namn": "Ågren"}
    text = render_json(nb, PARAMS, prov={"code": {}})
    assert '"namn": "Ågren"' in text


def test_foreign_network_assets_are_removed() -> None:
    """Outputs that would load scripts, stylesheets or images from the network are neutralised."""
    html_out = ('<script src="https://cdn.example.org/require.js"></script>'
                '<link rel="stylesheet" href="https://fonts.example.org/css">'
                '<img src="http://example.org/logo.png" alt="logo">'
                '<style>@import url("https://x.example.org/a.css"); p {color: red}</style>'
                '<p>kept</p>')
    nb = _nb_with([new_output("display_data", data={"text/html": html_out})])
    html = render_html(nb, PARAMS)
    assert NETWORK_ASSET.search(html) is None and "@import" not in html
    assert "<p>kept</p>" in html and "[logo]" in html


def test_removed_cells_and_errors_hidden() -> None:
    """Cells tagged remove-cell and error outputs do not show."""
    hidden = new_markdown_cell("Intern anteckning")
    hidden.metadata["tags"] = ["remove-cell"]
    nb = _nb_with([new_output("error", ename="ValueError", evalue="hemligt", traceback=["hemligt"])],
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
