"""The report HTML as an offline, byte-for-byte reproducible PDF (WeasyPrint).

Only ``data:`` and ``file:`` URLs are fetched, so nothing comes from the network. The creation
date comes from the HTML's ``dcterms.created`` meta tag (the report's ``as_of`` date) and the
file identifier is a hash of the HTML, so the same HTML always gives the same bytes. The page
layout (A4, the running head, "Sida n av m", landscape pages for wide content) is the HTML's
``@page`` CSS, written by :func:`evaluation.render.html.render_html`.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from bs4 import BeautifulSoup

from evaluation.core import paths
from evaluation.render.fontcache import cached_subsets


def render_pdf(html: str, base_url: str | Path | None = None, font_cache: Path | None = None) -> bytes:
    """A PDF from the report HTML with WeasyPrint, offline and byte-for-byte reproducible.

    Only ``data:`` and ``file:`` URLs are fetched. The creation date comes from the HTML's
    ``dcterms.created`` meta tag (the as_of date); the file identifier is a hash of the HTML.
    ``font_cache``: a folder of font subsets made before (:mod:`evaluation.render.fontcache`;
    the same bytes, made once).
    """
    import weasyprint
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("data", "file"))
    base = str(base_url) if base_url is not None else str(paths.home())
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    document = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher)
    # fontTools stamps the current time into every embedded font subset ('head' table)
    # unless SOURCE_DATE_EPOCH is set: pin it to the report's date for the duration.
    with _source_date_epoch(_created_epoch(html)), cached_subsets(font_cache):
        pdf = document.write_pdf(pdf_identifier=identifier)
    assert isinstance(pdf, bytes)
    return pdf


def _created_epoch(html: str) -> int:
    """Seconds since 1970 of the HTML's ``dcterms.created`` date (midnight UTC), else 0."""
    head_end = html.find("</head>")  # the meta tag is in the head: the body (images) need not be parsed
    head = html[: head_end + len("</head>")] if head_end >= 0 else html
    meta = BeautifulSoup(head, "html.parser").find("meta", attrs={"name": "dcterms.created"})
    content = meta.get("content") if meta is not None else None
    try:
        day = _dt.date.fromisoformat(str(content)[:10])
    except ValueError:
        return 0
    return int(_dt.datetime(day.year, day.month, day.day, tzinfo=_dt.UTC).timestamp())


@contextlib.contextmanager
def _source_date_epoch(epoch: int) -> Iterator[None]:
    """Set SOURCE_DATE_EPOCH (unless the caller already set it) and restore it afterwards."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def font_cache() -> Path:
    """The font-subset cache of the current settings' reports folder (``<reports>/.cache/fonts``)."""
    from evaluation.core import settings
    from evaluation.render.fontcache import CACHE_SUBDIR

    return settings.current().reports / CACHE_SUBDIR
