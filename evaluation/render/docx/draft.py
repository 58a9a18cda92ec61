"""A draft report's banner in the Word page header, so that it is on every page."""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from evaluation.render.docx.paragraphs import box

DRAFT_RED = "A30000"


def draft_header(doc: DocumentObject, banner: str) -> None:
    """Put ``banner`` ("Draft: 3 items missing") first in the page header of every section.

    Sections added later link to the previous header, so one header paragraph reaches every page;
    a reference document's own header keeps its paragraphs after the banner.
    """
    for i, section in enumerate(doc.sections):
        header = section.header
        if i > 0 and header.is_linked_to_previous:
            continue  # shows the first section's header
        first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        paragraph = first.insert_paragraph_before() if first.text.strip() else first
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(banner)
        run.bold = True
        run.font.size = Pt(10)
        run.font.color.rgb = RGBColor.from_string(DRAFT_RED)
        box(paragraph, DRAFT_RED, "FDECEC")
