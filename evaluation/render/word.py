"""A Word (.docx) version of a report, built offline from the rendered report HTML.

:func:`render_docx` walks the HTML of :func:`evaluation.render.html.render_html` (our own
template, so the structure is known) with BeautifulSoup and writes it with python-docx
(the writer is the package :mod:`evaluation.render.docx`):

* ``h1`` → *Title*, ``h2`` → *Heading 1*, ``h3`` → *Heading 2*, ``h4``-``h6`` → *Heading 3*,
  so Word's navigation pane and table of contents follow the report's sections;
* every ``<table>`` → a real Word table (``w:tbl``) with the cell texts exactly as in the
  HTML, header rows repeated on each page, ``td.num`` right-aligned, a ``<caption>`` as a
  *Caption* paragraph above it;
* every embedded image (``data:`` URI) → an inline picture scaled to the text width, its
  alt text as the picture's description, a ``<figcaption>`` as a *Caption* paragraph;
  ``figure.wide`` / ``table.wide`` get landscape pages, as in the PDF;
* paragraphs, lists (*List Bullet* / *List Number*), ``pre``, and notices (the
  ``div.notice`` banners such as ILLUSTRATIVA VÄRDEN) as bordered, shaded paragraphs with
  the bold label.

Same inputs give the same bytes: the core properties (title, language, created/modified
from the report date, revision 1) are set, no clock is read, and the zip python-docx
writes (whose entries carry the current time) is re-packed with fixed entry dates in a
fixed order. A *reference* document gives the house styles: its styles, numbering, page
setup, headers and footers are kept and its body is cleared.

Why python-docx and not pandoc (evaluated with pandoc 3.9): pandoc's Word writer does repeat
header rows (``w:tblHeader``) and is reproducible under ``SOURCE_DATE_EPOCH``, but it has no
section breaks (no landscape pages for wide content), drops the inline CSS the notice banner
and the grey "uppgift saknas" are drawn with (no paragraph border or shading, no run colour),
sizes pictures by their pixels rather than the text width, maps ``h1`` to *Heading 1* and
paragraphs and lists to its own *First Paragraph* / *Compact* styles, writes no revision, no
footer, and does not make a heading style a reference document lacks. Each would need
python-docx post-processing, so pandoc would add a program without removing this one.
"""

from __future__ import annotations

import datetime as _dt
import io
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from docx import Document

from evaluation.core.i18n import DEFAULT_LANGUAGE
from evaluation.render.docx.builder import HEADING_STYLES, Writer
from evaluation.render.docx.determinism import EARLIEST, drop_thumbnail, html_date, repack, set_core_properties
from evaluation.render.docx.reference import clear_body, language_tag, set_language
from evaluation.render.docx.sections import default_page_setup

__all__ = ["EARLIEST", "HEADING_STYLES", "language_tag", "render_docx", "repack"]


def render_docx(
    html: str,
    *,
    title: str | None = None,
    lang: str | None = None,
    date: _dt.date | None = None,
    reference: Path | None = None,
) -> bytes:
    """The report HTML as the bytes of a Word document.

    ``title``, ``lang`` (``sv``/``en`` or a tag) and ``date`` (created/modified, zip entry
    dates) default to the HTML's ``<title>``, ``<html lang>`` and ``dcterms.created``.
    ``reference`` is a .docx whose styles and page setup are used (its body is dropped).
    """
    soup = BeautifulSoup(html, "html.parser")
    if title is None:
        title = soup.title.get_text(" ", strip=True) if soup.title is not None else ""
    if lang is None:
        root = soup.find("html")
        lang = str(root.get("lang") or DEFAULT_LANGUAGE) if isinstance(root, Tag) else DEFAULT_LANGUAGE
    if date is None:
        date = html_date(soup)
    doc = Document(str(reference)) if reference is not None else Document()
    doc.element.body.get_or_add_sectPr()  # a reference may lack the final section properties
    if reference is not None:
        clear_body(doc)
    else:
        default_page_setup(doc, lang)
    set_language(doc, language_tag(lang))
    drop_thumbnail(doc)
    root_node = soup.find("main") or soup.body or soup
    Writer(doc).write(root_node)
    set_core_properties(doc, title=title, lang=language_tag(lang), date=date)
    out = io.BytesIO()
    doc.save(out)
    return repack(out.getvalue(), date)
