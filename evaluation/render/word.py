"""A Word (.docx) version of a report, built offline from the rendered report HTML.

:func:`render_docx` walks the HTML of :func:`evaluation.render.html.render_html` (our own
template, so the structure is known) with BeautifulSoup and writes it with python-docx:

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
"""

from __future__ import annotations

import base64
import datetime as _dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Union
from urllib.parse import unquote_to_bytes

from bs4 import BeautifulSoup, NavigableString, Tag
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

LANGUAGE_TAGS: dict[str, str] = {"sv": "sv-SE", "en": "en-GB"}
"""Report language → the language tag written into the document and its core properties."""

HEADING_STYLES: dict[str, str] = {
    "h1": "Title", "h2": "Heading 1", "h3": "Heading 2", "h4": "Heading 3", "h5": "Heading 3", "h6": "Heading 3",
}
"""HTML heading → Word paragraph style."""

PAGE_LABELS: dict[str, tuple[str, str]] = {"sv": ("Sida", "av"), "en": ("Page", "of")}
"""Footer words around the page number (only without a reference document)."""

EARLIEST = _dt.date(1980, 1, 1)
"""Zip entries cannot be dated earlier; also the date used when the HTML has none."""

_Container = Union[DocumentObject, _Cell]

_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
    "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "ul",
})
_SKIP_TAGS = frozenset({
    "head", "style", "script", "template", "noscript", "title", "meta", "link", "button", "input", "select",
    "textarea", "svg", "math", "iframe", "object", "embed", "video", "audio", "source", "colgroup", "col",
})
_MONO_TAGS = frozenset({"code", "kbd", "samp", "tt", "var"})
_WS = re.compile(r"[ \t\n\r\f]+")  # HTML white space only: a no-break space is kept as it is
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
    "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)
"""Children of ``w:pPr`` in schema order."""
_MONO_FONT = "Consolas"
_TABLE_PT = {"wide": 7.0, "many-columns": 8.0}
_TABLE_DEFAULT_PT = 9.0
_TABLE_GAP_PT = 8.0
_HEADER_FILL = "E8EEF3"
_MISSING_COLOUR = "777777"


@dataclass(frozen=True)
class _Fmt:
    """Character formatting inherited down the HTML tree."""

    bold: bool = False
    italic: bool = False
    mono: bool = False
    underline: bool = False
    strike: bool = False
    sup: bool = False
    sub: bool = False
    colour: str | None = None
    size: float | None = None


@dataclass(frozen=True)
class _Text:
    text: str
    fmt: _Fmt


class _Break:
    """A line break (``<br>``)."""


_BREAK = _Break()
_Item = Union[_Text, _Break, Tag]


def language_tag(lang: str) -> str:
    """``sv`` → ``sv-SE``, ``en`` → ``en-GB``; a full tag such as ``de-AT`` is kept."""
    return LANGUAGE_TAGS.get(lang, lang)


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
        lang = str(root.get("lang") or "sv") if isinstance(root, Tag) else "sv"
    if date is None:
        date = _html_date(soup)
    doc = Document(str(reference)) if reference is not None else Document()
    doc.element.body.get_or_add_sectPr()  # a reference may lack the final section properties
    if reference is not None:
        _clear_body(doc)
    else:
        _default_page_setup(doc, lang)
    _set_language(doc, language_tag(lang))
    _drop_thumbnail(doc)
    root_node = soup.find("main") or soup.body or soup
    _Writer(doc).write(root_node)
    _set_core_properties(doc, title=title, lang=language_tag(lang), date=date)
    out = io.BytesIO()
    doc.save(out)
    return repack(out.getvalue(), date)


def repack(docx: bytes, date: _dt.date) -> bytes:
    """The same zip with every entry dated ``date`` 00:00, in a fixed order, fixed attributes.

    ``[Content_Types].xml`` comes first, then the entries sorted by name; images are
    stored (they are compressed already), XML is deflated.
    """
    day = max(date, EARLIEST)
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w") as dst:
        names = sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            stored = name.lower().endswith((".png", ".jpeg", ".jpg", ".gif"))
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, src.read(name))
    return out.getvalue()


# --- document set-up ------------------------------------------------------------------------

def _html_date(soup: BeautifulSoup) -> _dt.date:
    meta = soup.find("meta", attrs={"name": "dcterms.created"})
    content = meta.get("content") if isinstance(meta, Tag) else None
    try:
        return _dt.date.fromisoformat(str(content)[:10])
    except ValueError:
        return EARLIEST


def _clear_body(doc: DocumentObject) -> None:
    """Drop the reference's content (keeping its final section properties) and its images."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    xml = doc.element.xml
    for r_id, rel in list(doc.part.rels.items()):
        if rel.reltype in (RT.IMAGE, RT.HYPERLINK) and f'"{r_id}"' not in xml:
            doc.part.rels.pop(r_id)


def _default_page_setup(doc: DocumentObject, lang: str) -> None:
    """A4 with the PDF's margins and a centred "Sida n av m" footer."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(22)
    section.left_margin = section.right_margin = Mm(18)
    section.header_distance = section.footer_distance = Mm(10)
    page, of = PAGE_LABELS.get(lang.split("-")[0].lower(), PAGE_LABELS["en"])
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{page} ")
    _add_field(footer, "PAGE")
    footer.add_run(f" {of} ")
    _add_field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(9)


def _add_field(paragraph: Paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _set_language(doc: DocumentObject, tag: str) -> None:
    """The proofing language of all text: ``w:lang`` in the document defaults."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def _drop_thumbnail(doc: DocumentObject) -> None:
    """A template's thumbnail would show a page that is not this report."""
    package = doc.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(r_id)


def _set_core_properties(doc: DocumentObject, *, title: str, lang: str, date: _dt.date) -> None:
    """Title and language from the report; times from ``date``; nothing from the clock or the template."""
    cp = doc.core_properties
    moment = _dt.datetime(date.year, date.month, date.day)
    cp.title = _clean(title)[:255]
    cp.language = lang
    cp.created = moment
    cp.modified = moment
    cp.revision = 1
    cp.author = ""
    cp.last_modified_by = ""
    cp.comments = ""
    cp.subject = ""
    cp.keywords = ""
    cp.category = ""
    printed = cp._element.find(qn("cp:lastPrinted"))
    if printed is not None:
        cp._element.remove(printed)


def _clean(text: str) -> str:
    """Text without the control characters XML cannot hold."""
    return _XML_INVALID.sub("", text)


# --- HTML → document -------------------------------------------------------------------------

def _classes(tag: Tag) -> set[str]:
    value = tag.get("class") or []
    return set(value.split() if isinstance(value, str) else value)


def _style_props(tag: Tag) -> dict[str, str]:
    out = {}
    for part in str(tag.get("style") or "").split(";"):
        key, sep, value = part.partition(":")
        if sep:
            out[key.strip().lower()] = value.strip()
    return out


def _colour(value: str | None) -> str | None:
    m = _HEX.search(value or "")
    if m is None:
        return None
    code = m.group(1)
    return (code if len(code) == 6 else "".join(c * 2 for c in code)).upper()


def _inline_fmt(tag: Tag, fmt: _Fmt) -> _Fmt:
    """``fmt`` changed by what ``tag`` does to its text."""
    name = tag.name
    changes: dict[str, Any] = {}
    if name in ("strong", "b"):
        changes["bold"] = True
    if name in ("em", "i", "cite", "dfn"):
        changes["italic"] = True
    if name in _MONO_TAGS:
        changes["mono"] = True
    if name in ("u", "ins"):
        changes["underline"] = True
    if name in ("s", "del", "strike"):
        changes["strike"] = True
    if name == "sup":
        changes["sup"] = True
    if name == "sub":
        changes["sub"] = True
    if "missing" in _classes(tag):
        changes.update(italic=True, colour=_MISSING_COLOUR)
    style = _style_props(tag)
    weight = style.get("font-weight", "")
    if weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600):
        changes["bold"] = True
    if style.get("font-style") == "italic":
        changes["italic"] = True
    colour = _colour(style.get("color"))
    if colour is not None:
        changes["colour"] = colour
    return replace(fmt, **changes) if changes else fmt


def _is_text(node: Any) -> bool:
    """Plain text (not a comment, doctype or other special string)."""
    return type(node) is NavigableString


class _Writer:
    """Writes the nodes of the report HTML into a python-docx Document."""

    def __init__(self, doc: DocumentObject) -> None:
        self.doc = doc
        self.styles = {s.name for s in doc.styles}
        self.decorators: list[Callable[[Paragraph], None]] = []
        self.created: list[Paragraph] = []
        self.fresh_cells: set[Any] = set()
        self.widths: list[int] = []  # text width (EMU) inside the table cell being written
        self.wide = False
        self.after_table = False  # the last thing written into the document body is a table
        self.landscape = doc.sections[-1].orientation == WD_ORIENT.LANDSCAPE
        self.base_landscape = self.landscape  # orientation of the reference's own pages

    # --- entry points

    def write(self, node: Tag | BeautifulSoup) -> None:
        self._blocks(self.doc, node, _Fmt())

    # --- styles, sections, paragraphs

    def _style(self, name: str) -> str | None:
        if name in self.styles:
            return name
        if name == "Title" or name.startswith("Heading "):
            style = self.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = self.doc.styles["Normal"] if "Normal" in self.styles else None
            style.font.bold = True
            level = 0 if name == "Title" else int(name.split()[-1])
            style.font.size = Pt({0: 22, 1: 16, 2: 13}.get(level, 12))
            style.paragraph_format.keep_with_next = True
            if level:
                style.element.get_or_add_pPr().get_or_add_outlineLvl().val = level - 1
            self.styles.add(name)
            return name
        return None

    def _text_width(self) -> int:
        if self.widths:
            return self.widths[-1]
        return _text_box(self.doc.sections[-1])[0]

    def _text_height(self) -> int:
        return _text_box(self.doc.sections[-1])[1]

    def _orient(self, wide: bool) -> None:
        """Start a landscape section for wide content and a portrait one after it."""
        landscape = wide or self.base_landscape
        if landscape == self.landscape:
            return
        if not self.created and not self.doc.tables:
            section = self.doc.sections[-1]  # nothing written yet: turn the first page
        else:
            carried = self._kept_with_next()
            section = self.doc.add_section(WD_SECTION.NEW_PAGE)
            _fold_section_break(self.doc)
            for element in carried:  # a heading goes to the page of what it introduces
                self.doc.element.body[-1].addprevious(element)
        width, height = section.page_width or Mm(210), section.page_height or Mm(297)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        if (width < height) == landscape:
            section.page_width, section.page_height = height, width
        self.landscape = landscape
        self.after_table = False

    def _kept_with_next(self) -> list[Any]:
        """Detach and return the paragraphs at the end of the body that keep with the next one."""
        body = self.doc.element.body
        carried: list[Any] = []
        node = body[-1].getprevious()
        while node is not None and node.tag == qn("w:p") and (node.pPr is None or node.pPr.sectPr is None):
            paragraph = Paragraph(node, self.doc._body)
            keep = paragraph.paragraph_format.keep_with_next
            if keep is None and paragraph.style is not None:
                keep = paragraph.style.paragraph_format.keep_with_next
            if not keep:
                break
            carried.insert(0, node)
            node = node.getprevious()
        if node is None:
            return []  # everything so far would move: leave it
        for element in carried:
            body.remove(element)
        return carried

    def _add_paragraph(self, container: _Container, style: str | None = None) -> Paragraph:
        in_cell = isinstance(container, _Cell)
        if in_cell and container._tc in self.fresh_cells:
            self.fresh_cells.discard(container._tc)
            paragraph = container.paragraphs[0]
        else:
            if container is self.doc:
                self._orient(self.wide)
            paragraph = container.add_paragraph()
        name = self._style(style) if style else None
        if name is not None:
            paragraph.style = self.doc.styles[name]
        if container is self.doc and self.after_table:
            self.after_table = False
            if not (name or "").startswith(("Heading", "Title")):
                paragraph.paragraph_format.space_before = Pt(_TABLE_GAP_PT)  # the HTML's margin below tables
        if in_cell:
            paragraph.paragraph_format.space_before = Pt(0)
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.line_spacing = 1.0
        for decorate in self.decorators:
            decorate(paragraph)
        self.created.append(paragraph)
        return paragraph

    # --- inline content

    def _collect(self, nodes: Iterable[Any], fmt: _Fmt, out: list[_Item]) -> list[_Item]:
        for node in nodes:
            if isinstance(node, NavigableString):
                if _is_text(node):
                    out.append(_Text(str(node), fmt))
                continue
            if not isinstance(node, Tag) or node.name in _SKIP_TAGS:
                continue
            if node.name == "br":
                out.append(_BREAK)
            elif node.name == "img":
                out.append(node)
            else:
                self._collect(node.children, _inline_fmt(node, fmt), out)
        return out

    @staticmethod
    def _normalise(items: list[_Item], pre: bool = False) -> list[_Item]:
        """Collapse HTML white space (not in ``pre``), trim the ends, merge equal neighbours."""
        out: list[_Item] = []
        if pre:
            out = list(items)
            if out and isinstance(out[0], _Text) and out[0].text.startswith("\n"):
                out[0] = _Text(out[0].text[1:], out[0].fmt)
        else:
            after_space = True
            for item in items:
                if isinstance(item, _Text):
                    text = _WS.sub(" ", item.text)
                    if after_space:
                        text = text.lstrip(" ")
                    if text:
                        after_space = text.endswith(" ")
                        out.append(_Text(text, item.fmt))
                    continue
                if item is _BREAK:
                    _rstrip(out)
                    after_space = True
                else:
                    after_space = False
                out.append(item)
            _rstrip(out)
        merged: list[_Item] = []
        for item in out:
            last = merged[-1] if merged else None
            if isinstance(item, _Text) and isinstance(last, _Text) and last.fmt == item.fmt:
                merged[-1] = _Text(last.text + item.text, item.fmt)
            elif not (isinstance(item, _Text) and not item.text):
                merged.append(item)
        return merged

    def _paragraph(self, container: _Container, nodes: Iterable[Any], fmt: _Fmt, style: str | None = None,
                   *, pre: bool = False) -> Paragraph | None:
        """A paragraph of the inline ``nodes``; None (and nothing written) when they are empty."""
        items = self._normalise(self._collect(nodes, fmt, []), pre)
        if not items:
            return None
        paragraph = self._add_paragraph(container, style)
        for item in items:
            if isinstance(item, _Text):
                self._run(paragraph, item.text, item.fmt)
            elif item is _BREAK:
                paragraph.add_run().add_break()
            elif isinstance(item, Tag):
                self._picture(paragraph, item, fmt)
        return paragraph

    @staticmethod
    def _run(paragraph: Paragraph, text: str, fmt: _Fmt) -> None:
        run = paragraph.add_run(_clean(text))
        font = run.font
        if fmt.bold:
            font.bold = True
        if fmt.italic:
            font.italic = True
        if fmt.underline:
            font.underline = True
        if fmt.strike:
            font.strike = True
        if fmt.sup:
            font.superscript = True
        if fmt.sub:
            font.subscript = True
        if fmt.mono:
            font.name = _MONO_FONT
        if fmt.colour:
            font.color.rgb = RGBColor.from_string(fmt.colour)
        if fmt.size:
            font.size = Pt(fmt.size)

    def _picture(self, paragraph: Paragraph, img: Tag, fmt: _Fmt) -> None:
        """An embedded image as an inline picture at the text width (within the page height)."""
        from docx.image.exceptions import UnrecognizedImageError
        from docx.image.image import Image

        alt = str(img.get("alt") or "")
        blob = _data_uri_bytes(str(img.get("src") or ""))
        try:
            if blob is None:
                raise UnrecognizedImageError("not an embedded image")
            image = Image.from_blob(blob)
        except (UnrecognizedImageError, ValueError, OSError):
            if alt:
                self._run(paragraph, f"[{alt}]", replace(fmt, italic=True))
            return
        width = self._text_width()
        height = width * image.px_height // max(image.px_width, 1)
        limit = int(self._text_height() * 0.85)
        if height > limit:
            width, height = width * limit // max(height, 1), limit
        shape = paragraph.add_run().add_picture(io.BytesIO(blob), width=Emu(width), height=Emu(height))
        if alt:
            shape._inline.docPr.set("descr", _clean(alt))

    # --- blocks

    def _blocks(self, container: _Container, node: Tag | BeautifulSoup, fmt: _Fmt) -> None:
        pending: list[Any] = []
        for child in node.children:
            if isinstance(child, Tag) and child.name in _SKIP_TAGS:
                continue
            if isinstance(child, Tag) and child.name in _BLOCK_TAGS:
                self._paragraph(container, pending, fmt)
                pending = []
                self._block(container, child, fmt)
            elif isinstance(child, (Tag, NavigableString)):
                pending.append(child)
        self._paragraph(container, pending, fmt)

    def _block(self, container: _Container, tag: Tag, fmt: _Fmt) -> None:
        name = tag.name
        classes = _classes(tag)
        if name in HEADING_STYLES:
            self._paragraph(container, tag.children, fmt, HEADING_STYLES[name])
        elif name == "p":
            paragraph = self._paragraph(container, tag.children, _inline_fmt(tag, fmt))
            if paragraph is not None and "dac-criteria" in classes:
                paragraph.paragraph_format.keep_with_next = True  # part of the section heading
            if paragraph is not None and _style_props(tag).get("text-align") in ("right", "center"):
                paragraph.alignment = (WD_ALIGN_PARAGRAPH.RIGHT if _style_props(tag)["text-align"] == "right"
                                       else WD_ALIGN_PARAGRAPH.CENTER)
        elif name in ("ul", "ol"):
            self._list(container, tag, fmt, 0)
        elif name == "li":
            self._list_item(container, tag, fmt, 0, "List Bullet")
        elif name == "table":
            self._table(container, tag, fmt)
        elif name == "figure":
            self._figure(container, tag, fmt, "wide" in classes)
        elif name in ("figcaption", "caption"):
            self._paragraph(container, tag.children, _inline_fmt(tag, fmt), "Caption")
        elif name == "pre":
            self._paragraph(container, tag.children, replace(fmt, mono=True), pre=True)
        elif name == "hr":
            return
        elif name == "dt":
            self._paragraph(container, tag.children, replace(fmt, bold=True))
        elif name in ("dd", "blockquote"):
            with self._decorated(_indent):
                self._blocks(container, tag, fmt)
        elif name == "div" and "notice" in classes:
            style = _style_props(tag)
            border = _colour(style.get("border")) or "555555"
            fill = _colour(style.get("background")) or "F2F2F2"
            with self._decorated(lambda p: _box(p, border, fill)):
                self._blocks(container, tag, fmt)
        else:
            self._blocks(container, tag, _inline_fmt(tag, fmt) if name in ("div", "span") else fmt)

    def _decorated(self, decorate: Callable[[Paragraph], None]) -> _Decorated:
        return _Decorated(self, decorate)

    def _figure(self, container: _Container, tag: Tag, fmt: _Fmt, wide: bool) -> None:
        """Pictures centred, kept on the page of their caption; wide ones on a landscape page."""
        previous = self.wide
        self.wide = wide and container is self.doc
        start = len(self.created)
        with self._decorated(_centre):
            self._blocks(container, tag, fmt)
        made = self.created[start:]
        for paragraph in made[:-1]:
            paragraph.paragraph_format.keep_with_next = True
        self.wide = previous

    # --- lists

    def _list_style(self, ordered: bool, level: int) -> str:
        base = "List Number" if ordered else "List Bullet"
        return base if level == 0 else f"{base} {min(level + 1, 3)}"

    def _list(self, container: _Container, tag: Tag, fmt: _Fmt, level: int) -> None:
        ordered = tag.name == "ol"
        style = self._list_style(ordered, level)
        num_id = self._restart_numbering(style) if ordered and level == 0 else None
        for child in tag.children:
            if isinstance(child, Tag) and child.name not in _SKIP_TAGS:
                self._list_item(container, child, fmt, level, style, num_id)

    def _list_item(self, container: _Container, li: Tag, fmt: _Fmt, level: int, style: str,
                   num_id: int | None = None) -> None:
        """The item's text in a list paragraph; nested lists one level deeper; more blocks after it."""
        first = True
        pending: list[Any] = []

        def flush(nodes: list[Any]) -> None:
            nonlocal first
            paragraph = self._paragraph(container, nodes, fmt, style if first else "List Continue")
            if paragraph is not None:
                if first and num_id is not None:
                    _number(paragraph, num_id)
                first = False

        for child in li.children:
            if isinstance(child, Tag) and child.name in ("ul", "ol"):
                flush(pending)
                pending = []
                self._list(container, child, fmt, level + 1)
            elif isinstance(child, Tag) and child.name == "p":
                flush(pending)
                pending = []
                flush(list(child.children))
            elif isinstance(child, Tag) and child.name in _BLOCK_TAGS:
                flush(pending)
                pending = []
                self._block(container, child, fmt)
            elif isinstance(child, (Tag, NavigableString)):
                pending.append(child)
        flush(pending)

    def _restart_numbering(self, style: str) -> int | None:
        """A new numbering instance for ``style`` that starts at 1 (else lists continue each other)."""
        name = self._style(style)
        if name is None:
            return None
        try:
            ppr = self.doc.styles[name].element.pPr
            style_num = ppr.numPr.numId.val
            numbering = self.doc.part.numbering_part.element
            abstract = numbering.num_having_numId(style_num).abstractNumId.val
            num = numbering.add_num(abstract)
            num.add_lvlOverride(ilvl=0).add_startOverride(1)
            return int(num.numId)
        except (AttributeError, KeyError, NotImplementedError):
            return None

    # --- tables

    def _table(self, container: _Container, tag: Tag, fmt: _Fmt) -> None:
        classes = _classes(tag)
        size = next((pt for cls, pt in _TABLE_PT.items() if cls in classes), _TABLE_DEFAULT_PT)
        previous = self.wide
        self.wide = "wide" in classes and container is self.doc
        caption = tag.find("caption", recursive=False)
        if caption is not None:
            paragraph = self._paragraph(container, caption.children, fmt, "Caption")
            if paragraph is not None:
                paragraph.paragraph_format.keep_with_next = True
        rows = _table_rows(tag)
        placed, n_rows, n_cols = _grid(rows)
        if n_rows and n_cols:
            if container is self.doc:
                self._orient(self.wide)
                if self.after_table:  # two tables in a row would join into one
                    spacer = container.add_paragraph()
                    spacer.paragraph_format.space_before = Pt(0)
                    spacer.paragraph_format.space_after = Pt(0)
                    spacer.paragraph_format.line_spacing = Pt(_TABLE_GAP_PT)
            table = container.add_table(rows=n_rows, cols=n_cols)
            self._fill_table(table, rows, placed, n_cols, replace(fmt, size=size))
            if container is self.doc:
                self.after_table = True
        self.wide = previous

    def _fill_table(self, table: Table, rows: list[tuple[Tag, bool]], placed: list[tuple[int, int, int, int, Tag]],
                    n_cols: int, fmt: _Fmt) -> None:
        if self._style("Table Grid") is not None:
            table.style = self.doc.styles["Table Grid"]
        else:
            _borders(table)
        header_rows = 0
        for tr, header in rows:
            if not header:
                break
            header_rows += 1
        for r, row in enumerate(table.rows):
            trpr = row._tr.get_or_add_trPr()
            trpr.append(OxmlElement("w:cantSplit"))
            if r < header_rows:
                trpr.append(OxmlElement("w:tblHeader"))
        widths = _column_widths(placed, n_cols, self._text_width(), fmt.size or _TABLE_DEFAULT_PT)
        grid = table._tbl.tblGrid
        for col, width in zip(grid.gridCol_lst, widths):
            col.w = Emu(width)
        for r, c, rs, cs, _ in placed:
            if rs > 1 or cs > 1:
                table.cell(r, c).merge(table.cell(r + rs - 1, c + cs - 1))
        grid_cells = table._cells  # one pass: table.cell() walks the whole table each time
        for tr in table._tbl.tr_lst:
            col = 0
            for tc in tr.tc_lst:
                span = tc.grid_span
                tc.width = Emu(sum(widths[col:col + span]))
                col += span
        for r, c, rs, cs, td in placed:
            cell = grid_cells[r * n_cols + c]
            header = r < header_rows
            cell_fmt = replace(fmt, bold=True) if header else fmt
            self.fresh_cells.add(cell._tc)
            if header:
                _shade(cell, _HEADER_FILL)
            right = "num" in _classes(td) or _style_props(td).get("text-align") == "right"
            self.widths.append(sum(widths[c:c + cs]))
            try:
                if right:
                    with self._decorated(_right):
                        self._blocks(cell, td, cell_fmt)
                else:
                    self._blocks(cell, td, cell_fmt)
            finally:
                self.widths.pop()
                self.fresh_cells.discard(cell._tc)


class _Decorated:
    """Context: every paragraph written inside gets ``decorate`` applied."""

    def __init__(self, writer: _Writer, decorate: Callable[[Paragraph], None]) -> None:
        self.writer, self.decorate = writer, decorate

    def __enter__(self) -> None:
        self.writer.decorators.append(self.decorate)

    def __exit__(self, *exc: object) -> None:
        self.writer.decorators.pop()


def _text_box(section: Any) -> tuple[int, int]:
    """Width and height (EMU) inside the margins; A4 with 25 mm margins where the section says nothing."""
    width = section.page_width if section.page_width is not None else Mm(210)
    height = section.page_height if section.page_height is not None else Mm(297)
    margins = [m if m is not None else Mm(25) for m in (section.left_margin, section.right_margin,
                                                        section.top_margin, section.bottom_margin)]
    return int(width - margins[0] - margins[1]), int(height - margins[2] - margins[3])


def _fold_section_break(doc: DocumentObject) -> None:
    """Move the section end python-docx puts into a new empty paragraph into the paragraph before it."""
    body = doc.element.body
    holder = body[-1].getprevious()  # the empty paragraph carrying the previous section's sectPr
    if holder is None or holder.tag != qn("w:p") or holder.pPr is None or holder.pPr.sectPr is None:
        return
    before = holder.getprevious()
    if before is None or before.tag != qn("w:p") or (before.pPr is not None and before.pPr.sectPr is not None):
        return
    before.get_or_add_pPr()._insert_sectPr(holder.pPr.sectPr)
    body.remove(holder)


def _rstrip(items: list[_Item]) -> None:
    if items and isinstance(items[-1], _Text):
        text = items[-1].text.rstrip(" ")
        if text:
            items[-1] = _Text(text, items[-1].fmt)
        else:
            items.pop()


def _data_uri_bytes(src: str) -> bytes | None:
    if not src.startswith("data:") or "," not in src:
        return None
    head, _, data = src.partition(",")
    try:
        if head.endswith(";base64"):
            return base64.b64decode(data, validate=False)
        return unquote_to_bytes(data)
    except ValueError:
        return None


def _table_rows(table: Tag) -> list[tuple[Tag, bool]]:
    """The table's rows in order, each with whether it is a header row (``thead``, or only ``th``
    cells before the first data row)."""
    rows: list[tuple[Tag, bool]] = []
    for child in table.children:
        if not isinstance(child, Tag):
            continue
        if child.name == "tr":
            rows.append((child, False))
        elif child.name in ("thead", "tbody", "tfoot"):
            for tr in child.find_all("tr", recursive=False):
                rows.append((tr, child.name == "thead"))
    out: list[tuple[Tag, bool]] = []
    in_header = True
    for tr, head in rows:
        cells = tr.find_all(["td", "th"], recursive=False)
        is_header = in_header and (head or (bool(cells) and all(c.name == "th" for c in cells)))
        in_header = is_header
        out.append((tr, is_header))
    return out


def _span(cell: Tag, name: str) -> int:
    try:
        return max(1, min(int(str(cell.get(name) or 1)), 1000))
    except ValueError:
        return 1


def _grid(rows: list[tuple[Tag, bool]]) -> tuple[list[tuple[int, int, int, int, Tag]], int, int]:
    """(row, col, rowspan, colspan, cell) of every cell on the table grid, rows, columns."""
    occupied: set[tuple[int, int]] = set()
    placed = []
    n_rows = len(rows)
    for r, (tr, _) in enumerate(rows):
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in occupied:
                c += 1
            rs = min(_span(cell, "rowspan"), n_rows - r)
            cs = _span(cell, "colspan")
            for i in range(rs):
                for j in range(cs):
                    occupied.add((r + i, c + j))
            placed.append((r, c, rs, cs, cell))
            c += cs
    n_cols = max((c for _, c in occupied), default=-1) + 1
    return placed, n_rows, n_cols


def _column_widths(placed: list[tuple[int, int, int, int, Tag]], n_cols: int, total: int, size: float) -> list[int]:
    """Column widths (EMU) summing to ``total``, like a browser's automatic table layout.

    Each column gets at least its longest word (no-break spaces join) and shares the rest in
    proportion to how much more its longest text needs; cell padding counts as three characters.
    """
    char = int(Pt(size * 0.6))  # an average character, generous for wide fallback fonts
    least, most = [4] * n_cols, [4] * n_cols
    for _, c, _, cs, cell in placed:
        if cs != 1:
            continue
        text = _WS.sub(" ", cell.get_text(" ")).strip()
        longest = max((len(word) for word in text.split(" ")), default=0)
        pad = 5 if cell.name == "th" else 3  # bold header text is wider
        least[c] = max(least[c], longest + pad)
        most[c] = max(most[c], len(text) + pad)
    low, high = [n * char for n in least], [n * char for n in most]
    if sum(high) <= total:
        widths = [total * w // sum(high) for w in high]
    elif sum(low) >= total:
        widths = [total * w // sum(low) for w in low]
    else:
        flex = [h - lo for h, lo in zip(high, low)]
        spare = total - sum(low)
        widths = [lo + spare * f // max(sum(flex), 1) for lo, f in zip(low, flex)]
    widths[-1] += total - sum(widths)
    return widths


def _ppr_insert(paragraph: Paragraph, element: Any) -> None:
    """Insert a ``w:pPr`` child in schema order (Word rejects misplaced ones)."""
    ppr = paragraph._p.get_or_add_pPr()
    tag = element.tag.split("}")[1]
    existing = ppr.find(qn(f"w:{tag}"))
    if existing is not None:
        ppr.remove(existing)
    successors = _PPR_ORDER[_PPR_ORDER.index(f"w:{tag}") + 1:]
    ppr.insert_element_before(element, *successors)


def _box(paragraph: Paragraph, border: str, fill: str) -> None:
    """A bordered, shaded paragraph (neighbours with the same box join into one)."""
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "12")
        edge.set(qn("w:space"), "4")
        edge.set(qn("w:color"), border)
        borders.append(edge)
    _ppr_insert(paragraph, borders)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    _ppr_insert(paragraph, shading)


def _indent(paragraph: Paragraph) -> None:
    paragraph.paragraph_format.left_indent = Mm(8)


def _centre(paragraph: Paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _right(paragraph: Paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _number(paragraph: Paragraph, num_id: int) -> None:
    numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numpr.get_or_add_ilvl().val = 0
    numpr.get_or_add_numId().val = num_id


def _shade(cell: _Cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    successors = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
    tcpr.insert_element_before(shading, *successors)


def _borders(table: Table) -> None:
    """Single borders on every cell, for reference documents without a *Table Grid* style."""
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "4")
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), "9AA9B5")
        borders.append(edge)
    successors = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
    tblpr.insert_element_before(borders, *successors)


