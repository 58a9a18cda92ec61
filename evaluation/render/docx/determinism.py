"""Same HTML, same bytes: the core properties (title, language, created/modified from the report
date, revision 1) come from the report and never from the clock or the template, a template's
thumbnail is dropped, and the zip python-docx writes (whose entries carry the current time) is
re-packed with fixed entry dates in a fixed order."""

from __future__ import annotations

import datetime as _dt
import io
import zipfile

from bs4 import BeautifulSoup, Tag
from docx.document import Document as DocumentObject
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from evaluation.render.docx.inline import clean

EARLIEST = _dt.date(1980, 1, 1)
"""Zip entries cannot be dated earlier; also the date used when the HTML has none."""


def html_date(soup: BeautifulSoup) -> _dt.date:
    """The HTML's ``dcterms.created`` date, else :data:`EARLIEST`."""
    meta = soup.find("meta", attrs={"name": "dcterms.created"})
    content = meta.get("content") if isinstance(meta, Tag) else None
    try:
        return _dt.date.fromisoformat(str(content)[:10])
    except ValueError:
        return EARLIEST


def drop_thumbnail(doc: DocumentObject) -> None:
    """A template's thumbnail would show a page that is not this report."""
    package = doc.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(r_id)


def set_core_properties(doc: DocumentObject, *, title: str, lang: str, date: _dt.date) -> None:
    """Title and language from the report; times from ``date``; nothing from the clock or the template."""
    cp = doc.core_properties
    moment = _dt.datetime(date.year, date.month, date.day)
    cp.title = clean(title)[:255]
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
