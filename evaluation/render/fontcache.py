"""Font subsets cached by content: WeasyPrint's fontTools subsetting done once per font and glyph set.

Every PDF embeds a subset of each font it uses: only the glyphs the report shows. WeasyPrint makes
the subset with fontTools, about a fifth of the PDF step for a 30-page report. The subset is a pure
function of the font file, the glyphs kept, the subsetting options, the fontTools version and
``SOURCE_DATE_EPOCH`` (which fontTools stamps into the subset's ``head`` table), so a subset made
before from the same inputs is reused byte for byte: a re-run of a report, or another report that
uses the same glyphs, does not subset again and its PDF has exactly the same bytes.

Entries are ``<sha256>.font`` files in ``<reports folder>/.cache/fonts`` (written atomically, shared
by the batch's worker processes); deleting the folder empties the cache. :func:`cached_subsets`
turns the cache on for one PDF; without it WeasyPrint subsets as it always does.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from evaluation.io.atomic import store_cache_entry

__all__ = ["CACHE_SUBDIR", "cached_subsets", "subset_key"]

CACHE_SUBDIR = Path(".cache") / "fonts"
"""Where the cache lives inside a reports folder."""

_FOLDER: ContextVar[Path | None] = ContextVar("font_subset_cache", default=None)
_ORIGINAL: dict[str, Callable[..., None]] = {}


def subset_key(font: bytes, index: int, glyphs: Any, hinting: bool, notdef_outline: bool) -> str:
    """The cache key of one subset: every input the subset's bytes depend on."""
    import fontTools
    import weasyprint

    h = hashlib.sha256()
    h.update(repr((fontTools.version, weasyprint.__version__, os.environ.get("SOURCE_DATE_EPOCH", ""), index,
                   bool(hinting), bool(notdef_outline), sorted(glyphs))).encode("utf-8"))
    h.update(hashlib.sha256(font).digest())
    return h.hexdigest()


def _cached(original: Callable[..., None]) -> Callable[..., None]:
    def subset(self: Any, to_unicode: Any, hinting: Any) -> None:
        folder = _FOLDER.get()
        if folder is None:
            original(self, to_unicode, hinting)
            return
        key = subset_key(self.file_content, self.index, to_unicode, hinting, bool(self.missing))
        where = folder / f"{key}.font"
        with contextlib.suppress(OSError):
            self.file_content = where.read_bytes()
            return
        before = self.file_content
        original(self, to_unicode, hinting)
        if self.file_content is not before:  # fontTools made a subset (it keeps the font when it cannot)
            store_cache_entry(where, self.file_content)

    subset.__wrapped__ = original  # type: ignore[attr-defined]
    return subset


def _install() -> bool:
    """Wrap WeasyPrint's fontTools subsetting once per process; False when this WeasyPrint has none."""
    try:
        from weasyprint.pdf import fonts
    except ImportError:
        return False
    if "fonttools" in _ORIGINAL:
        return True
    original = getattr(fonts.Font, "_fonttools_subset", None)
    if original is None:
        return False
    _ORIGINAL["fonttools"] = original
    fonts.Font._fonttools_subset = _cached(original)
    return True


@contextlib.contextmanager
def cached_subsets(folder: Path | None) -> Iterator[None]:
    """Within the block, font subsets come from and go to ``folder`` (None: no cache)."""
    if folder is None or not _install():
        yield
        return
    token = _FOLDER.set(folder)
    try:
        yield
    finally:
        _FOLDER.reset(token)
