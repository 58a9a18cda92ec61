"""Figures in Word: every embedded image (``data:`` URI) an inline picture at the text width,
within the page height, its alt text as the picture's description; a figure's pictures centred
and kept on the page of their caption; ``figure.wide`` on a landscape page."""

from __future__ import annotations

import base64
import io
from dataclasses import replace
from urllib.parse import unquote_to_bytes

from bs4 import Tag
from docx.shared import Emu
from docx.text.paragraph import Paragraph

from evaluation.render.docx.base import BlockWriter, Container
from evaluation.render.docx.inline import Fmt, clean
from evaluation.render.docx.paragraphs import centre, write_run

PAGE_HEIGHT_SHARE = 0.85
"""A picture is at most this share of the text height, so its caption fits on its page."""


def write_picture(w: BlockWriter, paragraph: Paragraph, img: Tag, fmt: Fmt) -> None:
    """An embedded image as an inline picture at the text width (within the page height).

    An image that is not embedded (or not readable) leaves its alt text in brackets, in italics.
    """
    from docx.image.exceptions import UnrecognizedImageError
    from docx.image.image import Image

    alt = str(img.get("alt") or "")
    blob = data_uri_bytes(str(img.get("src") or ""))
    try:
        if blob is None:
            raise UnrecognizedImageError("not an embedded image")
        image = Image.from_blob(blob)
    except (UnrecognizedImageError, ValueError, OSError):
        if alt:
            write_run(paragraph, f"[{alt}]", replace(fmt, italic=True))
        return
    width = w.text_width()
    height = width * image.px_height // max(image.px_width, 1)
    limit = int(w.text_height() * PAGE_HEIGHT_SHARE)
    if height > limit:
        width, height = width * limit // max(height, 1), limit
    shape = paragraph.add_run().add_picture(io.BytesIO(blob), width=Emu(width), height=Emu(height))
    if alt:
        shape._inline.docPr.set("descr", clean(alt))


def write_figure(w: BlockWriter, container: Container, tag: Tag, fmt: Fmt, wide: bool) -> None:
    """Pictures centred, kept on the page of their caption; wide ones on a landscape page."""
    previous = w.wide
    w.wide = wide and container is w.doc
    start = len(w.created)
    with w.decorated(centre):
        w.blocks(container, tag, fmt)
    made = w.created[start:]
    for paragraph in made[:-1]:
        paragraph.paragraph_format.keep_with_next = True
    w.wide = previous


def data_uri_bytes(src: str) -> bytes | None:
    """The bytes of a ``data:`` URI (base64 or percent-encoded), else None."""
    if not src.startswith("data:") or "," not in src:
        return None
    head, _, data = src.partition(",")
    try:
        if head.endswith(";base64"):
            return base64.b64decode(data, validate=False)
        return unquote_to_bytes(data)
    except ValueError:
        return None
