"""What the table, figure and section writers need of the writer (:class:`.builder.Writer`).

Tables hold blocks and blocks hold tables, so the writers call each other; they meet in this
protocol instead of importing each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeAlias

from bs4 import BeautifulSoup, Tag
from docx.document import Document as DocumentObject
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from evaluation.render.docx.inline import Fmt

Container: TypeAlias = DocumentObject | _Cell
"""Where blocks are written: the document body or a table cell."""


class BlockWriter(Protocol):
    """The writer's state and the calls back into it."""

    doc: DocumentObject
    created: list[Paragraph]
    """Every paragraph written so far, in order."""
    fresh_cells: set[Any]
    """Table cells (``w:tc``) whose first, empty paragraph has not been used yet."""
    widths: list[int]
    """Text width (EMU) inside the table cell being written, innermost last."""
    wide: bool
    """The content being written belongs on a landscape page."""
    after_table: bool
    """The last thing written into the document body is a table."""
    landscape: bool
    """The current section is landscape."""
    base_landscape: bool
    """The orientation of the reference's own pages."""

    def style(self, name: str) -> str | None: ...

    def text_width(self) -> int: ...

    def text_height(self) -> int: ...

    def paragraph(self, container: Container, nodes: Iterable[Any], fmt: Fmt, style: str | None = None,
                  *, pre: bool = False) -> Paragraph | None: ...

    def blocks(self, container: Container, node: Tag | BeautifulSoup, fmt: Fmt) -> None: ...

    def decorated(self, decorate: Callable[[Paragraph], None]) -> AbstractContextManager[None]: ...
