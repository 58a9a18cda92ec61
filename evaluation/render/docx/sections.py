"""Pages in Word: A4 with the PDF's margins and the page footer, and a landscape section of its
own for wide content, as in the PDF (a heading kept with what follows goes along to its page)."""

from __future__ import annotations

from typing import Any

from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from evaluation.core.i18n import SOURCE_LANGUAGE, is_language
from evaluation.render.docx.base import BlockWriter
from evaluation.render.docx.paragraphs import add_field
from evaluation.render.pages import PAGE, PAGES, page_label_parts


def default_page_setup(doc: DocumentObject, lang: str) -> None:
    """A4 with the PDF's margins and a centred "Sida n av m" footer in ``lang``."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(22)
    section.left_margin = section.right_margin = Mm(18)
    section.header_distance = section.footer_distance = Mm(10)
    base = lang.split("-")[0].lower()
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in page_label_parts(base if is_language(base) else SOURCE_LANGUAGE):
        if part == PAGE:
            add_field(footer, "PAGE")
        elif part == PAGES:
            add_field(footer, "NUMPAGES")
        else:
            footer.add_run(part)
    for run in footer.runs:
        run.font.size = Pt(9)


def text_box(section: Any) -> tuple[int, int]:
    """Width and height (EMU) inside the margins; A4 with 25 mm margins where the section says nothing."""
    width = section.page_width if section.page_width is not None else Mm(210)
    height = section.page_height if section.page_height is not None else Mm(297)
    margins = [m if m is not None else Mm(25) for m in (section.left_margin, section.right_margin,
                                                        section.top_margin, section.bottom_margin)]
    return int(width - margins[0] - margins[1]), int(height - margins[2] - margins[3])


def orient(w: BlockWriter, wide: bool) -> None:
    """Start a landscape section for wide content and a portrait one after it."""
    landscape = wide or w.base_landscape
    if landscape == w.landscape:
        return
    if not w.created and not w.doc.tables:
        section = w.doc.sections[-1]  # nothing written yet: turn the first page
    else:
        carried = _detach_kept_with_next(w.doc)
        section = w.doc.add_section(WD_SECTION.NEW_PAGE)
        _fold_section_break(w.doc)
        for element in carried:  # a heading goes to the page of what it introduces
            w.doc.element.body[-1].addprevious(element)
    width, height = section.page_width or Mm(210), section.page_height or Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    if (width < height) == landscape:
        section.page_width, section.page_height = height, width
    w.landscape = landscape
    w.after_table = False


def _detach_kept_with_next(doc: DocumentObject) -> list[Any]:
    """Detach and return the paragraphs at the end of the body that keep with the next one."""
    body = doc.element.body
    carried: list[Any] = []
    node = body[-1].getprevious()
    while node is not None and node.tag == qn("w:p") and (node.pPr is None or node.pPr.sectPr is None):
        paragraph = Paragraph(node, doc._body)
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
