"""What the paged formats print on every page: the footer "Sida 2 av 9" (PDF through the HTML's
``@page`` CSS, Word as page fields), written once in the catalogue for every language."""

from __future__ import annotations

import re

from evaluation.core.i18n import Language, text

PAGE = "\x00"
"""Stands for this page's number in :func:`page_label_parts`."""
PAGES = "\x01"
"""Stands for the number of pages in :func:`page_label_parts`."""


def page_label_parts(lang: Language) -> list[str]:
    """The page footer in ``lang`` as its literal words and :data:`PAGE` / :data:`PAGES`, in the
    language's order: ``["Sida ", PAGE, " av ", PAGES]``."""
    label = text(lang, "Page {page} of {pages}", page=PAGE, pages=PAGES)
    return [part for part in re.split(f"([{PAGE}{PAGES}])", label) if part]
