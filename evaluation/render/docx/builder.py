"""The writer that walks the report HTML (our own template, so the structure is known) and writes
it with python-docx: headings in the Title and Heading styles, paragraphs with their character
formats, lists (*List Bullet* / *List Number*, numbered lists restarting at 1), ``pre``, and the
notices (``div.notice``, such as ILLUSTRATIVA VÄRDEN) as bordered, shaded paragraphs; tables and
figures are written by :mod:`.tables` and :mod:`.figures`."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from evaluation.render.docx.base import Container
from evaluation.render.docx.draft import draft_header
from evaluation.render.docx.figures import write_figure, write_picture
from evaluation.render.docx.inline import (
    BLOCK_TAGS,
    BREAK,
    SKIP_TAGS,
    Fmt,
    Text,
    classes,
    collect,
    colour,
    inline_fmt,
    normalise,
    style_props,
)
from evaluation.render.docx.paragraphs import box, indent, number, write_run
from evaluation.render.docx.reference import ensure_style
from evaluation.render.docx.sections import orient, text_box
from evaluation.render.docx.tables import TABLE_GAP_PT, write_table

HEADING_STYLES: dict[str, str] = {
    "h1": "Title", "h2": "Heading 1", "h3": "Heading 2", "h4": "Heading 3", "h5": "Heading 3", "h6": "Heading 3",
}
"""HTML heading → Word paragraph style."""


class Writer:
    """Writes the nodes of the report HTML into a python-docx Document (a :class:`.base.BlockWriter`)."""

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

    def write(self, node: Tag | BeautifulSoup) -> None:
        """Everything in ``node`` into the document body."""
        self.blocks(self.doc, node, Fmt())

    # --- styles, page, paragraphs

    def style(self, name: str) -> str | None:
        """``name`` if the document has (or was given) that style, else None."""
        return ensure_style(self.doc, self.styles, name)

    def text_width(self) -> int:
        """Width (EMU) available to text here: the table cell's, else the current section's."""
        if self.widths:
            return self.widths[-1]
        return text_box(self.doc.sections[-1])[0]

    def text_height(self) -> int:
        """Height (EMU) inside the current section's margins."""
        return text_box(self.doc.sections[-1])[1]

    @contextlib.contextmanager
    def decorated(self, decorate: Callable[[Paragraph], None]) -> Iterator[None]:
        """Every paragraph written inside gets ``decorate`` applied."""
        self.decorators.append(decorate)
        try:
            yield
        finally:
            self.decorators.pop()

    def add_paragraph(self, container: Container, style: str | None = None) -> Paragraph:
        """A new paragraph in ``container`` (a fresh cell's own first one), styled and decorated."""
        in_cell = isinstance(container, _Cell)
        if isinstance(container, _Cell) and container._tc in self.fresh_cells:
            self.fresh_cells.discard(container._tc)
            paragraph = container.paragraphs[0]
        else:
            if container is self.doc:
                orient(self, self.wide)
            paragraph = container.add_paragraph()
        name = self.style(style) if style else None
        if name is not None:
            paragraph.style = self.doc.styles[name]
        if container is self.doc and self.after_table:
            self.after_table = False
            if not (name or "").startswith(("Heading", "Title")):
                paragraph.paragraph_format.space_before = Pt(TABLE_GAP_PT)  # the HTML's margin below tables
        if in_cell:
            paragraph.paragraph_format.space_before = Pt(0)
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.line_spacing = 1.0
        for decorate in self.decorators:
            decorate(paragraph)
        self.created.append(paragraph)
        return paragraph

    def paragraph(self, container: Container, nodes: Iterable[Any], fmt: Fmt, style: str | None = None,
                  *, pre: bool = False) -> Paragraph | None:
        """A paragraph of the inline ``nodes``; None (and nothing written) when they are empty."""
        items = normalise(collect(nodes, fmt, []), pre)
        if not items:
            return None
        paragraph = self.add_paragraph(container, style)
        for item in items:
            if isinstance(item, Text):
                write_run(paragraph, item.text, item.fmt)
            elif item is BREAK:
                paragraph.add_run().add_break()
            elif isinstance(item, Tag):
                write_picture(self, paragraph, item, fmt)
        return paragraph

    # --- blocks

    def blocks(self, container: Container, node: Tag | BeautifulSoup, fmt: Fmt) -> None:
        """The children of ``node``: each block on its own, the inline runs between them as paragraphs."""
        pending: list[Any] = []
        for child in node.children:
            if isinstance(child, Tag) and child.name in SKIP_TAGS:
                continue
            if isinstance(child, Tag) and child.name in BLOCK_TAGS:
                self.paragraph(container, pending, fmt)
                pending = []
                self.block(container, child, fmt)
            elif isinstance(child, (Tag, NavigableString)):
                pending.append(child)
        self.paragraph(container, pending, fmt)

    def block(self, container: Container, tag: Tag, fmt: Fmt) -> None:
        """One block-level tag."""
        name = tag.name
        names = classes(tag)
        if name in HEADING_STYLES:
            self.paragraph(container, tag.children, fmt, HEADING_STYLES[name])
        elif name == "p":
            paragraph = self.paragraph(container, tag.children, inline_fmt(tag, fmt))
            if paragraph is not None and "dac-criteria" in names:
                paragraph.paragraph_format.keep_with_next = True  # part of the section heading
            if paragraph is not None and style_props(tag).get("text-align") in ("right", "center"):
                paragraph.alignment = (WD_ALIGN_PARAGRAPH.RIGHT if style_props(tag)["text-align"] == "right"
                                       else WD_ALIGN_PARAGRAPH.CENTER)
        elif name in ("ul", "ol"):
            self.write_list(container, tag, fmt, 0)
        elif name == "li":
            self.write_list_item(container, tag, fmt, 0, "List Bullet")
        elif name == "table":
            write_table(self, container, tag, fmt)
        elif name == "figure":
            write_figure(self, container, tag, fmt, "wide" in names)
        elif name in ("figcaption", "caption"):
            self.paragraph(container, tag.children, inline_fmt(tag, fmt), "Caption")
        elif name == "pre":
            self.paragraph(container, tag.children, replace(fmt, mono=True), pre=True)
        elif name == "hr":
            return
        elif name == "dt":
            self.paragraph(container, tag.children, replace(fmt, bold=True))
        elif name in ("dd", "blockquote"):
            with self.decorated(indent):
                self.blocks(container, tag, fmt)
        elif name == "div" and "draft-banner" in names:
            draft_header(self.doc, tag.get_text(" ", strip=True))  # on every page, not in the body
        elif name == "div" and "notice" in names:
            style = style_props(tag)
            border = colour(style.get("border")) or "555555"
            fill = colour(style.get("background")) or "F2F2F2"
            with self.decorated(lambda p: box(p, border, fill)):
                self.blocks(container, tag, fmt)
        else:
            self.blocks(container, tag, inline_fmt(tag, fmt) if name in ("div", "span") else fmt)

    # --- lists

    @staticmethod
    def list_style(ordered: bool, level: int) -> str:
        """*List Bullet* / *List Number*, then *… 2* and *… 3* for nested levels."""
        base = "List Number" if ordered else "List Bullet"
        return base if level == 0 else f"{base} {min(level + 1, 3)}"

    def write_list(self, container: Container, tag: Tag, fmt: Fmt, level: int) -> None:
        """A ``ul`` / ``ol`` at nesting ``level``; a top-level numbered list starts at 1."""
        ordered = tag.name == "ol"
        style = self.list_style(ordered, level)
        num_id = self.restart_numbering(style) if ordered and level == 0 else None
        for child in tag.children:
            if isinstance(child, Tag) and child.name not in SKIP_TAGS:
                self.write_list_item(container, child, fmt, level, style, num_id)

    def write_list_item(self, container: Container, li: Tag, fmt: Fmt, level: int, style: str,
                  num_id: int | None = None) -> None:
        """The item's text in a list paragraph; nested lists one level deeper; more blocks after it."""
        first = True
        pending: list[Any] = []

        def flush(nodes: list[Any]) -> None:
            nonlocal first
            paragraph = self.paragraph(container, nodes, fmt, style if first else "List Continue")
            if paragraph is not None:
                if first and num_id is not None:
                    number(paragraph, num_id)
                first = False

        for child in li.children:
            if isinstance(child, Tag) and child.name in ("ul", "ol"):
                flush(pending)
                pending = []
                self.write_list(container, child, fmt, level + 1)
            elif isinstance(child, Tag) and child.name == "p":
                flush(pending)
                pending = []
                flush(list(child.children))
            elif isinstance(child, Tag) and child.name in BLOCK_TAGS:
                flush(pending)
                pending = []
                self.block(container, child, fmt)
            elif isinstance(child, (Tag, NavigableString)):
                pending.append(child)
        flush(pending)

    def restart_numbering(self, style: str) -> int | None:
        """A new numbering instance for ``style`` that starts at 1 (else lists continue each other)."""
        name = self.style(style)
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
