"""Paragraph and run formatting in WordprocessingML: runs in a character format, boxed notices,
alignment, list numbering and page fields, each element where Word's schema wants it."""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from evaluation.render.docx.inline import Fmt, clean

MONO_FONT = "Consolas"
"""The font of ``code``, ``pre`` and the like."""

_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
    "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)
"""Children of ``w:pPr`` in schema order."""


def write_run(paragraph: Paragraph, text: str, fmt: Fmt) -> None:
    """``text`` appended to ``paragraph`` as one run in the format ``fmt``."""
    run = paragraph.add_run(clean(text))
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
        font.name = MONO_FONT
    if fmt.colour:
        font.color.rgb = RGBColor.from_string(fmt.colour)
    if fmt.size:
        font.size = Pt(fmt.size)


def ppr_insert(paragraph: Paragraph, element: Any) -> None:
    """Insert a ``w:pPr`` child in schema order (Word rejects misplaced ones)."""
    ppr = paragraph._p.get_or_add_pPr()
    tag = element.tag.split("}")[1]
    existing = ppr.find(qn(f"w:{tag}"))
    if existing is not None:
        ppr.remove(existing)
    successors = _PPR_ORDER[_PPR_ORDER.index(f"w:{tag}") + 1:]
    ppr.insert_element_before(element, *successors)


def box(paragraph: Paragraph, border: str, fill: str) -> None:
    """A bordered, shaded paragraph (neighbours with the same box join into one)."""
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "12")
        edge.set(qn("w:space"), "4")
        edge.set(qn("w:color"), border)
        borders.append(edge)
    ppr_insert(paragraph, borders)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    ppr_insert(paragraph, shading)


def indent(paragraph: Paragraph) -> None:
    """Indented as a ``blockquote`` or ``dd``."""
    paragraph.paragraph_format.left_indent = Mm(8)


def centre(paragraph: Paragraph) -> None:
    """Centred."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def right(paragraph: Paragraph) -> None:
    """Right-aligned."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def number(paragraph: Paragraph, num_id: int) -> None:
    """Numbered by the numbering instance ``num_id`` at the first level."""
    numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numpr.get_or_add_ilvl().val = 0
    numpr.get_or_add_numId().val = num_id


def add_field(paragraph: Paragraph, instruction: str) -> None:
    """A simple field (``PAGE``, ``NUMPAGES``) at the end of ``paragraph``."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
