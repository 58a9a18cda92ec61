"""HTML tables as real Word tables (``w:tbl``): the cell texts exactly as in the HTML, header rows
repeated on every page and shaded, rows that do not split, ``td.num`` right-aligned, row and
column spans merged, column widths like a browser's automatic layout, a ``<caption>`` as a
*Caption* paragraph above, ``table.wide`` on a landscape page."""

from __future__ import annotations

from dataclasses import replace

from bs4 import Tag
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt
from docx.table import Table, _Cell

from evaluation.render.docx.base import BlockWriter, Container
from evaluation.render.docx.inline import WS, Fmt, classes, style_props
from evaluation.render.docx.paragraphs import right
from evaluation.render.docx.sections import orient

TABLE_PT = {"wide": 7.0, "many-columns": 8.0}
"""Font size (pt) of tables with these classes, as in the PDF."""
TABLE_DEFAULT_PT = 9.0
TABLE_GAP_PT = 8.0
"""Space (pt) below a table: the HTML's margin."""
HEADER_FILL = "E8EEF3"
"""Shading of header cells."""

Placed = list[tuple[int, int, int, int, Tag]]
"""(row, column, rowspan, colspan, cell) of every cell on a table's grid."""


def write_table(w: BlockWriter, container: Container, tag: Tag, fmt: Fmt) -> None:
    """The ``<table>`` as a Word table in ``container`` (a cell's table nests in the cell)."""
    names = classes(tag)
    size = next((pt for cls, pt in TABLE_PT.items() if cls in names), TABLE_DEFAULT_PT)
    previous = w.wide
    w.wide = "wide" in names and container is w.doc
    caption = tag.find("caption", recursive=False)
    if caption is not None:
        paragraph = w.paragraph(container, caption.children, fmt, "Caption")
        if paragraph is not None:
            paragraph.paragraph_format.keep_with_next = True
    rows = table_rows(tag)
    placed, n_rows, n_cols = grid(rows)
    if n_rows and n_cols:
        if container is w.doc:
            orient(w, w.wide)
            if w.after_table:  # two tables in a row would join into one
                spacer = container.add_paragraph()
                spacer.paragraph_format.space_before = Pt(0)
                spacer.paragraph_format.space_after = Pt(0)
                spacer.paragraph_format.line_spacing = Pt(TABLE_GAP_PT)
        table = container.add_table(rows=n_rows, cols=n_cols)
        _fill_table(w, table, rows, placed, n_cols, replace(fmt, size=size))
        if container is w.doc:
            w.after_table = True
    w.wide = previous


def _fill_table(w: BlockWriter, table: Table, rows: list[tuple[Tag, bool]], placed: Placed, n_cols: int,
                fmt: Fmt) -> None:
    if w.style("Table Grid") is not None:
        table.style = w.doc.styles["Table Grid"]
    else:
        borders(table)
    header_rows = 0
    for _tr, header in rows:
        if not header:
            break
        header_rows += 1
    for r, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if r < header_rows:
            trpr.append(OxmlElement("w:tblHeader"))
    widths = column_widths(placed, n_cols, w.text_width(), fmt.size or TABLE_DEFAULT_PT)
    grid_cols = table._tbl.tblGrid
    for grid_col, width in zip(grid_cols.gridCol_lst, widths):
        grid_col.w = Emu(width)
    for r, c, rs, cs, _ in placed:
        if rs > 1 or cs > 1:
            table.cell(r, c).merge(table.cell(r + rs - 1, c + cs - 1))
    grid_cells = table._cells  # one pass: table.cell() walks the whole table each time
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Emu(sum(widths[col:col + span]))
            col += span
    for r, c, _rs, cs, td in placed:
        cell = grid_cells[r * n_cols + c]
        header = r < header_rows
        cell_fmt = replace(fmt, bold=True) if header else fmt
        w.fresh_cells.add(cell._tc)
        if header:
            shade(cell, HEADER_FILL)
        align_right = "num" in classes(td) or style_props(td).get("text-align") == "right"
        w.widths.append(sum(widths[c:c + cs]))
        try:
            if align_right:
                with w.decorated(right):
                    w.blocks(cell, td, cell_fmt)
            else:
                w.blocks(cell, td, cell_fmt)
        finally:
            w.widths.pop()
            w.fresh_cells.discard(cell._tc)


def table_rows(table: Tag) -> list[tuple[Tag, bool]]:
    """The table's rows in order, each with whether it is a header row (``thead``, or only ``th``
    cells before the first data row)."""
    rows: list[tuple[Tag, bool]] = []
    for child in table.children:
        if not isinstance(child, Tag):
            continue
        if child.name == "tr":
            rows.append((child, False))
        elif child.name in ("thead", "tbody", "tfoot"):
            for tr in child.find_all("tr", recursive=False):
                rows.append((tr, child.name == "thead"))
    out: list[tuple[Tag, bool]] = []
    in_header = True
    for tr, head in rows:
        cells = tr.find_all(["td", "th"], recursive=False)
        is_header = in_header and (head or (bool(cells) and all(c.name == "th" for c in cells)))
        in_header = is_header
        out.append((tr, is_header))
    return out


def _span(cell: Tag, name: str) -> int:
    try:
        return max(1, min(int(str(cell.get(name) or 1)), 1000))
    except ValueError:
        return 1


def grid(rows: list[tuple[Tag, bool]]) -> tuple[Placed, int, int]:
    """(row, col, rowspan, colspan, cell) of every cell on the table grid, rows, columns."""
    occupied: set[tuple[int, int]] = set()
    placed = []
    n_rows = len(rows)
    for r, (tr, _) in enumerate(rows):
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in occupied:
                c += 1
            rs = min(_span(cell, "rowspan"), n_rows - r)
            cs = _span(cell, "colspan")
            for i in range(rs):
                for j in range(cs):
                    occupied.add((r + i, c + j))
            placed.append((r, c, rs, cs, cell))
            c += cs
    n_cols = max((c for _, c in occupied), default=-1) + 1
    return placed, n_rows, n_cols


def column_widths(placed: Placed, n_cols: int, total: int, size: float) -> list[int]:
    """Column widths (EMU) summing to ``total``, like a browser's automatic table layout.

    Each column gets at least its longest word (no-break spaces join) and shares the rest in
    proportion to how much more its longest text needs; cell padding counts as three characters.
    """
    char = int(Pt(size * 0.6))  # an average character, generous for wide fallback fonts
    least, most = [4] * n_cols, [4] * n_cols
    for _, c, _, cs, cell in placed:
        if cs != 1:
            continue
        text = WS.sub(" ", cell.get_text(" ")).strip()
        longest = max((len(word) for word in text.split(" ")), default=0)
        pad = 5 if cell.name == "th" else 3  # bold header text is wider
        least[c] = max(least[c], longest + pad)
        most[c] = max(most[c], len(text) + pad)
    low, high = [n * char for n in least], [n * char for n in most]
    if sum(high) <= total:
        widths = [total * w // sum(high) for w in high]
    elif sum(low) >= total:
        widths = [total * w // sum(low) for w in low]
    else:
        flex = [h - lo for h, lo in zip(high, low)]
        spare = total - sum(low)
        widths = [lo + spare * f // max(sum(flex), 1) for lo, f in zip(low, flex)]
    widths[-1] += total - sum(widths)
    return widths


def shade(cell: _Cell, fill: str) -> None:
    """The cell's background in ``fill`` (``RRGGBB``)."""
    tcpr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    successors = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
    tcpr.insert_element_before(shading, *successors)


def borders(table: Table) -> None:
    """Single borders on every cell, for reference documents without a *Table Grid* style."""
    tblpr = table._tbl.tblPr
    edges = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "4")
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), "9AA9B5")
        edges.append(edge)
    successors = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
    tblpr.insert_element_before(edges, *successors)
