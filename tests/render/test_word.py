"""Tests for evaluation.render.word: the report HTML as a Word document (tables, pictures, headings, styles)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import shutil
import struct
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import kernel_env
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from evaluation.core import paths
from evaluation.render.word import render_docx
from evaluation.run.report import run_report

REPO = paths.PACKAGE_DIR.parent
NBSP = "\u00a0"


def png(width: int, height: int) -> bytes:
    """A grey PNG of the given size (no dpi stamp)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


PICTURE = png(40, 30)
SMALL_HTML = f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Testrapport</title>
<meta name="dcterms.created" content="2022-12-31"><style>h1 {{ color: red; }}</style></head>
<body><main class="report">
<div class="cell"><h1>Testrapport</h1>
<p>Inledning med <strong>fet</strong>   text.</p></div>
<h2 class="report-section" id="section-1"><span class="section-number">1</span> Resultat</h2>
<h3>Delresultat</h3>
<h4>Detalj</h4>
<p>Firman &lt;Ågren &amp; Söner&gt; svarade.</p>
<table class="report-table"><caption>Tabell 1</caption>
<thead><tr><th scope="col">Företag</th><th scope="col">Omsättning</th></tr></thead>
<tbody><tr><td>&lt;script&gt;alert('x')&lt;/script&gt;</td>
<td class="num" style="text-align:right">16&nbsp;713&nbsp;030</td></tr>
<tr><td>Bolaget AB</td><td><span class="missing">uppgift saknas</span></td></tr></tbody></table>
<figure class="report-figure"><img alt="Omsättning per år"
 src="data:image/png;base64,{base64.b64encode(PICTURE).decode()}" style="max-width:100%"><figcaption>Källa: testdata</figcaption></figure>
<ul><li>Punkt ett</li><li>Punkt två</li></ul>
<div class="notice notice-illustrative" role="note" style="border:2px solid #b8860b;background:#fff8e1;">
<strong class="notice-label" style="color:#b8860b">ILLUSTRATIVA VÄRDEN</strong>
<span class="notice-text">Siffrorna är påhittade.</span></div>
</main></body></html>
"""


def open_docx(data: bytes) -> Any:
    return Document(io.BytesIO(data))


def paragraphs(doc: Any) -> list[tuple[str, str]]:
    """(style name, text) of the body's paragraphs, tables left out."""
    return [(p.style.name, p.text) for p in doc.paragraphs if p.text.strip()]


def all_text(doc: Any) -> str:
    """Every paragraph's text, in tables too, one per line, no-break spaces made plain."""
    lines = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in doc.element.body.iter(qn("w:p"))]
    return "\n".join(lines).replace(NBSP, " ")


@pytest.fixture(scope="module")
def small() -> Any:
    """SMALL_HTML rendered once and opened with python-docx."""
    return open_docx(render_docx(SMALL_HTML))


def test_headings_map_to_title_and_heading_styles(small: Any) -> None:
    """h1 → Title, h2 → Heading 1, h3 → Heading 2, h4 → Heading 3; lists use List Bullet."""
    found = paragraphs(small)
    assert ("Title", "Testrapport") in found
    assert ("Heading 1", "1 Resultat") in found
    assert ("Heading 2", "Delresultat") in found
    assert ("Heading 3", "Detalj") in found
    assert [t for s, t in found if s == "List Bullet"] == ["Punkt ett", "Punkt två"]
    assert ("Normal", "Inledning med fet text.") in found
    assert "color: red" not in all_text(small)  # the <head> is not content


def test_table_is_a_word_table_with_header_row(small: Any) -> None:
    """A <table> is one w:tbl with the cells' texts as shown, its thead row a repeated header row."""
    tables = small.element.body.findall(qn("w:tbl"))
    assert len(tables) == 1 and len(small.tables) == 1
    table = small.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Företag", "Omsättning"],
        ["<script>alert('x')</script>", f"16{NBSP}713{NBSP}030"],
        ["Bolaget AB", "uppgift saknas"],
    ]
    header = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
    assert header == [True, False, False]
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold is True
    assert table.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert ("Caption", "Tabell 1") in paragraphs(small)


def test_embedded_png_is_an_inline_picture_at_text_width(small: Any) -> None:
    """The data: URI image is an inline picture of the same PNG, as wide as the text, with alt text and caption."""
    shapes = small.inline_shapes
    assert len(shapes) == 1
    section = small.sections[0]
    assert shapes[0].width == section.page_width - section.left_margin - section.right_margin
    assert shapes[0].height == shapes[0].width * 30 // 40
    assert shapes[0]._inline.docPr.get("descr") == "Omsättning per år"
    images = [p for p in small.part.package.iter_parts() if p.content_type == "image/png"]
    assert [p.blob for p in images] == [PICTURE]
    assert ("Caption", "Källa: testdata") in paragraphs(small)


def test_escaped_html_text_comes_through_as_text(small: Any) -> None:
    """&lt;script&gt; and &amp; in the HTML are the characters <, > and & in Word, not markup."""
    text = all_text(small)
    assert "Firman <Ågren & Söner> svarade." in text
    assert "<script>alert('x')</script>" in text
    assert "&lt;" not in text and "&amp;" not in text


def test_notice_is_a_boxed_paragraph_with_bold_label(small: Any) -> None:
    """The illustrative-data banner is one bordered, shaded paragraph whose label is bold and coloured."""
    notice = next(p for p in small.paragraphs if "ILLUSTRATIVA VÄRDEN" in p.text)
    assert notice.text == "ILLUSTRATIVA VÄRDEN Siffrorna är påhittade."
    ppr = notice._p.pPr
    assert ppr.find(qn("w:pBdr")) is not None
    assert ppr.find(qn("w:shd")).get(qn("w:fill")) == "FFF8E1"
    label = notice.runs[0]
    assert label.text == "ILLUSTRATIVA VÄRDEN" and label.bold is True and str(label.font.color.rgb) == "B8860B"


def test_core_properties_come_from_the_report(small: Any) -> None:
    """Title, language and dates come from the HTML (no clock); revision 1; no template author."""
    cp = small.core_properties
    assert cp.title == "Testrapport" and cp.language == "sv-SE"
    assert cp.created.replace(tzinfo=None) == dt.datetime(2022, 12, 31)
    assert cp.modified.replace(tzinfo=None) == dt.datetime(2022, 12, 31)
    assert cp.revision == 1 and cp.author == ""
    lang = small.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:val")) == "sv-SE"
    en = open_docx(render_docx(SMALL_HTML, title="Test report", lang="en", date=dt.date(2023, 6, 30)))
    assert (en.core_properties.title, en.core_properties.language) == ("Test report", "en-GB")
    assert en.core_properties.created.replace(tzinfo=None) == dt.datetime(2023, 6, 30)


def test_same_html_gives_identical_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rendering the same HTML a day later gives the same bytes; every zip entry is dated the report date."""
    first = render_docx(SMALL_HTML)
    later = time.time() + 86400 + 3661
    monkeypatch.setattr(time, "time", lambda: later)
    assert render_docx(SMALL_HTML) == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2022, 12, 31, 0, 0, 0)}
        assert z.namelist()[0] == "[Content_Types].xml"
        assert "docProps/thumbnail.jpeg" not in z.read("_rels/.rels").decode()


def test_wide_figure_gets_a_landscape_page() -> None:
    """A figure.wide is on a landscape section of its own, as in the PDF; the text after it is portrait."""
    html = SMALL_HTML.replace('<figure class="report-figure">', '<figure class="report-figure wide">')
    doc = open_docx(render_docx(html))
    assert [s.orientation for s in doc.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    tall, wide = doc.sections[0], doc.sections[1]
    assert wide.page_width > wide.page_height
    picture = doc.inline_shapes[0]
    assert tall.page_width - tall.left_margin - tall.right_margin < picture.width
    assert picture.width <= wide.page_width - wide.left_margin - wide.right_margin
    assert picture.height <= wide.page_height - wide.top_margin - wide.bottom_margin


def make_reference(path: Path, *, drop_heading: bool = False) -> Path:
    """A reference document: Normal in Garamond 13 pt, US Letter, some body text that must not appear."""
    ref = Document()
    ref.styles["Normal"].font.name = "Garamond"
    ref.styles["Normal"].font.size = Pt(13)
    ref.add_paragraph("Mallens exempeltext")
    if drop_heading:
        ref.styles["Heading 1"].delete()
    ref.save(str(path))
    return path


def test_reference_document_styles_are_used(tmp_path: Path) -> None:
    """With a reference .docx, its Normal style and page size are kept and its body text is not."""
    reference = make_reference(tmp_path / "house.docx")
    doc = open_docx(render_docx(SMALL_HTML, reference=reference))
    normal = doc.styles["Normal"].font
    assert (normal.name, normal.size) == ("Garamond", Pt(13))
    assert doc.sections[0].page_width == Document(str(reference)).sections[0].page_width
    text = all_text(doc)
    assert "Mallens exempeltext" not in text and "Firman <Ågren & Söner> svarade." in text
    assert ("Heading 1", "1 Resultat") in paragraphs(doc)


def test_reference_without_heading_style_gets_one(tmp_path: Path) -> None:
    """A reference lacking Heading 1 gets one with outline level 1, so the navigation pane still works."""
    reference = make_reference(tmp_path / "plain.docx", drop_heading=True)
    doc = open_docx(render_docx(SMALL_HTML, reference=reference))
    style = doc.styles["Heading 1"]
    assert style.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "0"
    assert ("Heading 1", "1 Resultat") in paragraphs(doc)


# --------------------------------------------------------------------------- the real NIS 6.0 report


@pytest.fixture(scope="module")
def nis60(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The NIS 6.0 final report run once (html, json, docx) in a copy of the home, with a reference .docx."""
    home = tmp_path_factory.mktemp("home")
    shutil.copytree(REPO / "notebooks", home / "notebooks")
    shutil.copytree(REPO / "data" / "nis60", home / "data" / "nis60")
    (home / "params").mkdir()
    (home / "styles").mkdir()
    make_reference(home / "styles" / "house.docx")
    params = home / "params" / "nis60_final.yaml"
    params.write_text("project: nis60\nkind: final\nas_of: 2022-12-31\nlanguage: sv\nformats: [html, json, docx]\n"
                      "small_cell_threshold: 5\nreference_docx: styles/house.docx\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        kernel_env(mp, home)
        result = run_report(params, timeout=300)
        data = result.paths["docx"].read_bytes()
        yield {"home": home, "result": result, "bytes": data, "doc": open_docx(data),
               "html": result.paths["html"].read_text(encoding="utf-8"),
               "json": json.loads(result.paths["json"].read_text(encoding="utf-8"))}


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
def test_report_writes_docx_next_to_the_others(nis60: dict[str, Any]) -> None:
    """run_report writes reports/nis60/final.docx; the JSON's params and key figures do not mention Word styling."""
    folder = nis60["home"] / "reports" / "nis60"
    assert dict(nis60["result"].paths) == {ext: folder / f"final.{ext}" for ext in ("ipynb", "html", "json", "docx")}
    assert sorted(p.name for p in folder.iterdir()) == ["final.docx", "final.html", "final.ipynb", "final.json"]
    assert nis60["json"]["params"]["formats"] == ["html", "json", "docx"]
    assert "reference_docx" not in nis60["json"]["params"]
    assert nis60["json"]["key_figures"] == dict(nis60["result"].key_figures)


@pytest.mark.slow
def test_report_tables_and_figures(nis60: dict[str, Any]) -> None:
    """As many Word tables as HTML tables, as many pictures as embedded images; the published figures show."""
    soup = BeautifulSoup(nis60["html"], "html.parser")
    doc = nis60["doc"]
    n_tables = len(soup.find_all("table"))
    assert n_tables >= 10
    assert len(doc.element.body.findall(".//" + qn("w:tbl"))) == n_tables
    images = [img for img in soup.find_all("img") if str(img.get("src", "")).startswith("data:image/png")]
    assert len(images) >= 5 and len(doc.inline_shapes) == len(images)
    text = all_text(doc)
    assert "503" in text and "16 713 030" in text
    cells = {squash(c.text.replace(NBSP, " ")) for t in doc.tables for row in t.rows for c in row.cells}
    assert "16 713 030 kr" in cells


@pytest.mark.slow
def test_report_headings_follow_the_sections(nis60: dict[str, Any]) -> None:
    """The title is the Title paragraph; every h2 is a Heading 1 and every h3 a Heading 2, in the HTML's order."""
    soup = BeautifulSoup(nis60["html"], "html.parser")
    found = [(s, squash(t)) for s, t in paragraphs(nis60["doc"])]
    assert found[0] == ("Title", squash(soup.find("h1").get_text()))
    for tag, style in (("h2", "Heading 1"), ("h3", "Heading 2")):
        expected = [squash(h.get_text()) for h in soup.find_all(tag)]
        assert [t for s, t in found if s == style] == expected
    assert ("Heading 1", "1 Sammanfattning och rekommendationer") in found
    assert ("Heading 1", "Bilaga: Underlag och spårbarhet") in found


@pytest.mark.slow
def test_report_docx_uses_reference_and_is_reproducible(nis60: dict[str, Any]) -> None:
    """The report's .docx has the reference's Normal font and is the same bytes as rendering its HTML again."""
    assert nis60["doc"].styles["Normal"].font.name == "Garamond"
    again = render_docx(nis60["html"], reference=nis60["home"] / "styles" / "house.docx")
    assert again == nis60["bytes"]


# --------------------------------------------------------------------------- the writer's parts (evaluation.render.docx)


def test_repack_orders_entries_and_fixes_their_dates() -> None:
    """repack puts [Content_Types].xml first, sorts the rest, dates every entry the report date, stores images."""
    from evaluation.render.word import repack

    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as z:
        for name in ("word/media/image1.png", "word/document.xml", "[Content_Types].xml", "_rels/.rels"):
            z.writestr(name, b"x" * 100)
    with zipfile.ZipFile(io.BytesIO(repack(raw.getvalue(), dt.date(2022, 12, 31)))) as z:
        assert z.namelist() == ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/media/image1.png"]
        assert {i.date_time for i in z.infolist()} == {(2022, 12, 31, 0, 0, 0)}
        assert z.getinfo("word/media/image1.png").compress_type == zipfile.ZIP_STORED
        assert z.getinfo("word/document.xml").compress_type == zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(io.BytesIO(repack(raw.getvalue(), dt.date(1970, 1, 1)))) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_table_grid_spans_and_column_widths() -> None:
    """Spanned cells take their grid places; column widths fill the text width, the longer text wider."""
    from evaluation.render.docx.tables import column_widths, grid, table_rows

    table = BeautifulSoup("<table><thead><tr><th colspan='2'>Rubrik</th><th>År</th></tr></thead>"
                          "<tbody><tr><td rowspan='2'>A</td><td>kort</td><td>1</td></tr>"
                          "<tr><td>en mycket längre text</td><td>2</td></tr></tbody></table>", "html.parser").table
    rows = table_rows(table)
    assert [header for _, header in rows] == [True, False, False]
    placed, n_rows, n_cols = grid(rows)
    assert (n_rows, n_cols) == (3, 3)
    assert [(r, c, rs, cs) for r, c, rs, cs, _ in placed] == [(0, 0, 1, 2), (0, 2, 1, 1), (1, 0, 2, 1), (1, 1, 1, 1),
                                                             (1, 2, 1, 1), (2, 1, 1, 1), (2, 2, 1, 1)]
    widths = column_widths(placed, n_cols, 5_000_000, 9.0)
    assert sum(widths) == 5_000_000 and widths[1] > widths[0]


def test_language_tag_follows_the_catalogue() -> None:
    """sv and en become the catalogues' locales as tags; any other tag is kept as it is."""
    from evaluation.render.word import language_tag

    assert (language_tag("sv"), language_tag("en"), language_tag("de-AT")) == ("sv-SE", "en-GB", "de-AT")


def test_footer_reads_page_n_of_m_in_the_report_language(small: Any) -> None:
    """Without a reference the footer is "Sida {PAGE} av {NUMPAGES}" (English: "Page … of …") in 9 pt."""
    def footer(doc: Any) -> list[str]:
        p = doc.sections[0].footer.paragraphs[0]._p
        return [n.text if n.tag == qn("w:r") else n.get(qn("w:instr")) for n in p if n.tag in (qn("w:r"), qn("w:fldSimple"))]

    assert footer(small) == ["Sida ", " PAGE ", " av ", " NUMPAGES "]
    assert footer(open_docx(render_docx(SMALL_HTML, lang="en"))) == ["Page ", " PAGE ", " of ", " NUMPAGES "]
    assert all(run.font.size == Pt(9) for run in small.sections[0].footer.paragraphs[0].runs)
