"""The document the report is written into: python-docx's default, or a *reference* .docx whose
house styles, numbering, page setup, headers and footers are kept (its body and images are
dropped); the proofing language; a heading style the reference lacks is made, with its outline
level, so Word's navigation pane and table of contents still follow the sections."""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from evaluation.core.i18n import is_language, locale_of

_HEADING_PT = {0: 22, 1: 16, 2: 13}
"""Font size (pt) of a made Title (0) and Heading 1, 2; deeper headings get 12 pt."""


def language_tag(lang: str) -> str:
    """``sv`` → ``sv-SE``, ``en`` → ``en-GB`` (the catalogue's locale); a full tag such as ``de-AT`` is kept."""
    return locale_of(lang).replace("_", "-") if is_language(lang) else lang


def clear_body(doc: DocumentObject) -> None:
    """Drop the reference's content (keeping its final section properties) and its images."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    xml = doc.element.xml
    for r_id, rel in list(doc.part.rels.items()):
        if rel.reltype in (RT.IMAGE, RT.HYPERLINK) and f'"{r_id}"' not in xml:
            doc.part.rels.pop(r_id)


def set_language(doc: DocumentObject, tag: str) -> None:
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


def ensure_style(doc: DocumentObject, known: set[str], name: str) -> str | None:
    """``name`` if the document has that style; a Title or Heading n it lacks is made (bold, kept
    with the next paragraph, with its outline level) and added to ``known``; else None."""
    if name in known:
        return name
    if name == "Title" or name.startswith("Heading "):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"] if "Normal" in known else None
        style.font.bold = True
        level = 0 if name == "Title" else int(name.split()[-1])
        style.font.size = Pt(_HEADING_PT.get(level, 12))
        style.paragraph_format.keep_with_next = True
        if level:
            style.element.get_or_add_pPr().get_or_add_outlineLvl().val = level - 1
        known.add(name)
        return name
    return None
