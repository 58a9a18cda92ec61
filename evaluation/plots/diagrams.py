"""Diagrams of the project logic: the goal tree (målträd) and the effect-logic chain (effektlogik).

Both are drawn with matplotlib alone. Layout is computed in inches, so a figure made here
(``ax=None``) has readable boxes whatever the size of the tree; a figure is built with
:class:`matplotlib.figure.Figure` (not pyplot), so nothing is shown or kept alive by a
global figure manager. Output is deterministic: same input, same PNG bytes. Both plot
functions take ``ax=None`` (a new figure sized for the diagram) or the axes to fill, and return
the axes drawn on; the figure is ``ax.figure``.

Every drawn element carries a ``gid`` so reports and tests can find it:

* goal tree: ``goal:<id>`` (box), ``goal-id:<id>`` (bold id text), ``goal-link:<child>-><parent>``
  (line from child to parent);
* effect chain: ``effect:<id>`` (box), ``effect-id:<id>``, ``link:<source>-><target>`` (arrow,
  an annotation), ``assumption:<nr>`` (circled number), ``external`` (external-factors box).

Assumptions of the effect chain are numbered in link order (only links that state one);
:func:`link_legend` gives the table with the same numbers.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyBboxPatch, Rectangle
from matplotlib.textpath import text_to_path

from evaluation.core.errors import check_language
from evaluation.core.i18n import Language, ptext, text
from evaluation.core.model import EFFECT_LEVELS, GOAL_LEVELS, EffectChain, EffectLink, GoalTree

__all__ = [
    "link_legend",
    "numbered_links",
    "plot_effect_chain",
    "plot_goal_tree",
]


def _check_language(lang: object) -> None:
    check_language(lang, "plot arguments", "lang")


def _goal_levels(lang: Language) -> dict[str, str]:
    """Row labels of the goal tree, per level."""
    return {
        "overall": text(lang, "Overall goal"),
        "project": text(lang, "Project goals"),
        "sub": text(lang, "Sub-goals"),
        "activity": ptext(lang, "diagram", "Activities"),
    }


def _effect_columns(lang: Language) -> dict[str, str]:
    """Column headings of the effect chain, per level."""
    return {
        "activity": ptext(lang, "diagram", "Activities"),
        "output": text(lang, "Outputs"),
        "short_term": text(lang, "Short-term effects"),
        "long_term": text(lang, "Long-term effects"),
    }


# Greyscale styles per level: (face colour, hatch, edge line width). Text is always black.
_GOAL_STYLE: dict[str, tuple[str, str, float]] = {
    "overall": ("0.62", "", 1.6),
    "project": ("0.78", "", 1.2),
    "sub": ("0.90", "", 1.0),
    "activity": ("white", "", 0.8),
}
_EFFECT_STYLE: dict[str, tuple[str, str, float]] = {
    "activity": ("white", "", 0.8),
    "output": ("0.90", "", 1.0),
    "short_term": ("0.78", "", 1.2),
    "long_term": ("0.62", "", 1.6),
}

_MAX_WIDTH_IN = 16.0
"""Widest figure made here (inches); more leaves shrink the slots and the font."""
_LINE = 1.22
"""Line height in multiples of the font size."""


class _Measure:
    """Width in points of text set in DejaVu Sans (matplotlib's text-to-path metrics, no renderer)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, float, bool], float] = {}

    def __call__(self, text: str, fontsize: float, bold: bool = False) -> float:
        key = (text, fontsize, bold)
        if key not in self._cache:
            prop = FontProperties(size=fontsize, weight="bold" if bold else "normal")
            self._cache[key] = float(text_to_path.get_text_width_height_descent(text, prop, ismath=False)[0])
        return self._cache[key]

    def longest_word(self, text: str, fontsize: float) -> float:
        return max((self(w, fontsize) for w in str(text).split()), default=0.0)

    def fit_font(self, texts: Sequence[str], width_in: float, fontsize: float, floor: float = 0.82) -> float:
        """``fontsize``, or smaller (down to ``floor`` times it) so the longest word fits ``width_in``."""
        widest = max((self.longest_word(s, fontsize) for s in texts), default=0.0)
        if widest <= width_in * 72.0:
            return fontsize
        return round(max(fontsize * width_in * 72.0 / widest, fontsize * floor), 2)

    def wrap(self, text: str, width_in: float, fontsize: float, max_lines: int) -> list[str]:
        """Greedy word wrap to ``width_in``; long words are hyphenated, a cut-off last line ends in "…"."""
        limit = width_in * 72.0
        lines: list[str] = []
        current = ""
        for word in str(text).split():
            candidate = f"{current} {word}" if current else word
            if self(candidate, fontsize) <= limit:
                current = candidate
                continue
            if current:
                lines.append(current)
            while self(word, fontsize) > limit and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and self(word[:cut] + "-", fontsize) > limit:
                    cut -= 1
                if len(word) - cut < 3 and cut > 3:  # never leave one or two letters on the next line
                    cut = len(word) - 3
                lines.append(word[:cut] + "-")
                word = word[cut:]
            current = word
        if current:
            lines.append(current)
        if len(lines) <= max_lines:
            return lines
        kept = lines[:max_lines]
        words = kept[-1].split(" ")
        while len(words) > 1 and self(" ".join(words) + " …", fontsize) > limit:
            words.pop()
        kept[-1] = " ".join(words).rstrip("-,;:") + " …"
        return kept


@dataclass(frozen=True)
class _Box:
    """A node box to draw, in layout inches (centre x, y; width, height)."""

    gid: str
    node_id: str
    x: float
    y: float
    w: float
    h: float
    lines: tuple[str, ...]
    fontsize: float
    style: tuple[str, str, float]
    dashed: bool


_BOX_PAD = 0.09
"""Vertical padding (inches) above the id and below the statement inside a box."""
_ID_GAP = 0.03
"""Space (inches) between the bold id and the statement."""


def _block_height(n_lines: int, fontsize: float) -> float:
    """Height (inches) of a bold id line and ``n_lines`` of statement below it."""
    return (fontsize + 0.5) * _LINE / 72.0 + (_ID_GAP + n_lines * fontsize * _LINE / 72.0 if n_lines else 0.0)


def _box_height(n_lines: int, fontsize: float) -> float:
    """Height (inches) of a box with a bold id line and ``n_lines`` of statement."""
    return 2 * _BOX_PAD + _block_height(n_lines, fontsize)


def _draw_box(ax: Axes, box: _Box, prefix: str, measure: _Measure) -> None:
    """The box patch (``gid`` = box.gid), the bold id and the statement, centred in the box."""
    face, hatch, lw = box.style
    fs = box.fontsize
    ax.add_patch(
        FancyBboxPatch(
            (box.x - box.w / 2, box.y - box.h / 2),
            box.w,
            box.h,
            boxstyle="round,pad=0,rounding_size=0.05",
            facecolor=face,
            hatch=hatch or None,
            edgecolor="black",
            linewidth=lw,
            linestyle="--" if box.dashed else "-",
            gid=box.gid,
            zorder=3,
        )
    )
    label = box.node_id
    limit = (box.w - 0.1) * 72.0
    while len(label) > 1 and measure(label, fs + 0.5, bold=True) > limit:
        label = label[:-2] + "…"
    top = box.y + _block_height(len(box.lines), fs) / 2
    ax.text(
        box.x, top, label, ha="center", va="top", fontsize=fs + 0.5, fontweight="bold", color="black",
        gid=f"{prefix}-id:{box.node_id}", zorder=4,
    )
    if box.lines:
        ax.text(
            box.x, top - (fs + 0.5) * _LINE / 72.0 - _ID_GAP, "\n".join(box.lines),
            ha="center", va="top", multialignment="center", fontsize=fs, color="black",
            linespacing=_LINE, gid=f"{prefix}-text:{box.node_id}", zorder=4,
        )


def _canvas(
    ax: Axes | None, width_in: float, diagram_h: float, bottom_in: float
) -> tuple[Figure, Axes, float]:
    """A new figure sized for the layout (``ax`` None) or the given axes; returns the layout width.

    In a new figure one data unit is one inch in both directions; the axes cover the diagram,
    the title sits in the top margin and the source line in the bottom margin.
    """
    if ax is None:
        top_in = 0.65
        fig = Figure(figsize=(width_in, top_in + diagram_h + bottom_in))
        height = top_in + diagram_h + bottom_in
        ax = fig.add_axes((0.0, bottom_in / height, 1.0, diagram_h / height))
        return fig, ax, width_in
    return _root(ax), ax, _axes_width_in(ax)


def _root(ax: Axes) -> Figure:
    return cast(Figure, ax.get_figure(root=True))


def _axes_width_in(ax: Axes) -> float:
    return float(ax.get_position().width * _root(ax).get_size_inches()[0])


def _finish(
    fig: Figure, ax: Axes, own: bool, width: float, height: float, title: str, source: str | None, lang: Language
) -> Axes:
    """Limits, title and source line (``fig.text`` in an own figure, under the axes otherwise)."""
    ax.set_xlim(0.0, width)
    ax.set_ylim(0.0, height)
    ax.set_axis_off()
    ax.set_title(title, fontsize=13, fontweight="bold", loc="left", pad=12, x=min(0.15 / width, 0.05))
    if source:
        line = text(lang, "Source: {source}", source=source)
        if own:
            fig.text(0.01, 0.012, line, ha="left", va="bottom", fontsize=8, color="0.15", gid="source")
        else:
            ax.text(0.0, -0.01, line, transform=ax.transAxes, ha="left", va="top", fontsize=8, color="0.15", gid="source")
    return ax


# --------------------------------------------------------------------------------------------
# Goal tree
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _GoalLayout:
    """Slot positions of a goal tree: x in slot units, the layout parent and a flag per node."""

    x: tuple[float, ...]
    lo: tuple[float, ...]
    hi: tuple[float, ...]
    layout_parent: tuple[int | None, ...]
    parent: tuple[int | None, ...]
    flagged: tuple[bool, ...]
    n_slots: int


def _goal_layout(tree: GoalTree) -> _GoalLayout:
    """Tidy layout: every leaf gets a slot, a parent sits centred over its first and last child.

    A node hangs under its parent only when the parent exists and sits on a higher level; so
    the layout is a forest whatever the data say. Nodes whose parent is absent (below the
    overall goal), unknown, on the same or a lower level, or that lie on a parent cycle are
    flagged and their subtrees placed after the main tree.
    """
    nodes = tree.nodes
    rank = {lvl: k for k, lvl in enumerate(GOAL_LEVELS)}
    first: dict[str, int] = {}
    for i, n in enumerate(nodes):
        first.setdefault(n.id, i)
    parent: list[int | None] = []
    for i, n in enumerate(nodes):
        j = first.get(n.parent) if n.parent is not None else None
        parent.append(j if j is not None and j != i else None)
    layout_parent = [
        j if j is not None and rank.get(nodes[j].level, 99) < rank.get(n.level, 99) else None
        for n, j in zip(nodes, parent)
    ]
    in_cycle = []
    for i, n in enumerate(nodes):
        seen = {i}
        j = first.get(n.parent) if n.parent is not None else None
        cyc = False
        while j is not None:
            if j == i:
                cyc = True
                break
            if j in seen:
                break
            seen.add(j)
            p = nodes[j].parent
            j = first.get(p) if p is not None else None
        in_cycle.append(cyc)
    flagged = [
        in_cycle[i] or (layout_parent[i] is None and not (n.level == "overall" and n.parent is None))
        for i, n in enumerate(nodes)
    ]
    children: dict[int, list[int]] = {i: [] for i in range(len(nodes))}
    for i, j in enumerate(layout_parent):
        if j is not None:
            children[j].append(i)
    roots = sorted(
        (i for i in range(len(nodes)) if layout_parent[i] is None),
        key=lambda i: (flagged[i], rank.get(nodes[i].level, 99), i),
    )
    x = [0.0] * len(nodes)
    lo = [0.0] * len(nodes)
    hi = [0.0] * len(nodes)
    slot = 0

    def place(i: int) -> None:  # depth is bounded by the number of levels
        nonlocal slot
        kids = children[i]
        if not kids:
            x[i] = lo[i] = hi[i] = float(slot)
            slot += 1
            return
        for c in kids:
            place(c)
        x[i] = (x[kids[0]] + x[kids[-1]]) / 2.0
        lo[i], hi[i] = lo[kids[0]], hi[kids[-1]]

    for r in roots:
        place(r)
    return _GoalLayout(tuple(x), tuple(lo), tuple(hi), tuple(layout_parent), tuple(parent), tuple(flagged), slot)


def plot_goal_tree(
    tree: GoalTree,
    ax: Axes | None = None,
    *,
    lang: Language = "sv",
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Draw the goal tree top-down: overall goal, project goals, sub-goals, activities in rows.

    Each node is a box with its id in bold and its statement wrapped (at most five lines,
    shortened with an ellipsis); a line joins every child to its parent. Leaves get one slot
    each and parents are centred over their children. Nodes whose parent is absent, unknown,
    misplaced or part of a cycle are drawn dashed at the end of their row. Empty levels are
    left out. The figure is at most about 16 inches wide; many leaves shrink the font.
    ``title`` defaults to "Målträd" / "Goal tree"; ``source`` adds a source line at the bottom.
    Returns the axes drawn on (a new figure's, or ``ax``); a given axes is filled in
    its width, and text fits its boxes only if the axes is about as tall as the figure made
    without ``ax`` would be.
    """
    _check_language(lang)
    row_labels = _goal_levels(lang)
    nodes = tree.nodes
    layout = _goal_layout(tree)
    levels = [lvl for lvl in GOAL_LEVELS if any(n.level == lvl for n in nodes)]
    label_w = 1.3
    pad = 0.15
    n_slots = max(layout.n_slots, 1)
    if ax is None:
        slot_w = min(1.6, (_MAX_WIDTH_IN - label_w - 2 * pad) / n_slots)
        width = label_w + n_slots * slot_w + 2 * pad
        if width < 7.0:
            slot_w = min(2.4, (7.0 - label_w - 2 * pad) / n_slots)
            width = label_w + n_slots * slot_w + 2 * pad
    else:
        width = _axes_width_in(ax)
        slot_w = max((width - label_w - 2 * pad) / n_slots, 0.1)
    fontsize = min(max(slot_w * 6.2, 4.5), 8.5)
    x0 = label_w + pad  # left edge of slot 0

    # Box widths: at least one slot, wider when the node's subtree leaves room, at most 3.2 in.
    widths: list[float] = []
    for i in range(len(nodes)):
        room = 2.0 * min(layout.x[i] - (layout.lo[i] - 0.5), (layout.hi[i] + 0.5) - layout.x[i])
        widths.append(min(max(room, 1.0) * slot_w - min(0.1, 0.1 * slot_w), max(3.2, 0.9 * slot_w)))
    # One font size per row: smaller (a little) when a long word would not fit the narrowest box.
    measure = _Measure()
    inner = 0.16
    row_fs = {
        lvl: measure.fit_font(
            [n.statement for n in nodes if n.level == lvl],
            min(w for n, w in zip(nodes, widths) if n.level == lvl) - inner,
            fontsize,
        )
        for lvl in levels
    }
    lines = [
        tuple(measure.wrap(n.statement, w - inner, row_fs[n.level], 5)) for n, w in zip(nodes, widths)
    ]
    row_h = {
        lvl: max(_box_height(len(lines[i]), row_fs[lvl]) for i, n in enumerate(nodes) if n.level == lvl)
        for lvl in levels
    }
    gap = 0.5
    any_flag = any(layout.flagged)
    note_h = 0.3 if any_flag else 0.0
    diagram_h = sum(row_h.values()) + gap * max(len(levels) - 1, 0) + 0.15 + note_h
    if not nodes:
        diagram_h = 1.0
    bottom = 0.4 if source else 0.15
    own = ax is None
    fig, ax, width = _canvas(ax, width, diagram_h, bottom)

    row_y: dict[str, float] = {}
    y = diagram_h - 0.05
    for lvl in levels:
        row_y[lvl] = y - row_h[lvl] / 2
        ax.add_patch(
            Rectangle(
                (0.05, y - row_h[lvl] - 0.08), width - 0.1, row_h[lvl] + 0.16,
                facecolor="0.965", edgecolor="none", gid=f"row:{lvl}", zorder=0,
            )
        )
        ax.text(
            0.15, y - row_h[lvl] / 2, "\n".join(textwrap.wrap(row_labels[lvl], 13)),
            ha="left", va="center", fontsize=9.5, fontweight="bold", color="black", gid=f"row-label:{lvl}",
        )
        y -= row_h[lvl] + gap

    def centre(i: int) -> tuple[float, float]:
        return x0 + (layout.x[i] + 0.5) * slot_w, row_y[nodes[i].level]

    for i, n in enumerate(nodes):
        j = layout.parent[i]
        if j is None:
            continue
        cx, cy = centre(i)
        px, py = centre(j)
        gid = f"goal-link:{n.id}->{nodes[j].id}"
        if layout.layout_parent[i] is not None:
            child_top = cy + row_h[n.level] / 2
            parent_bottom = py - row_h[nodes[j].level] / 2
            bus = parent_bottom - gap / 2
            ax.plot(
                [cx, cx, px, px], [child_top, bus, bus, parent_bottom],
                color="black", linewidth=0.9, solid_joinstyle="miter", gid=gid, zorder=2,
            )
        else:  # parent on the same or a lower level, or a cycle: a plain dotted line behind the boxes
            ax.plot([cx, px], [cy, py], color="0.35", linewidth=0.9, linestyle=":", gid=gid, zorder=1)

    for i, n in enumerate(nodes):
        cx, cy = centre(i)
        box = _Box(
            gid=f"goal:{n.id}", node_id=n.id, x=cx, y=cy, w=widths[i], h=row_h[n.level],
            lines=lines[i], fontsize=row_fs[n.level], style=_GOAL_STYLE.get(n.level, ("white", "", 0.8)),
            dashed=layout.flagged[i],
        )
        _draw_box(ax, box, "goal", measure)

    if any_flag:
        flagged = text(lang, "Dashed border: parent goal missing, invalid or part of a cycle")
        ax.text(width - 0.15, 0.08, flagged, ha="right", va="bottom", fontsize=8, fontstyle="italic", gid="note")
    if not nodes:
        ax.text(width / 2, diagram_h / 2, text(lang, "No goal tree stated"), ha="center", va="center", fontsize=10, gid="note")
    return _finish(fig, ax, own, width, diagram_h, title if title is not None else text(lang, "Goal tree"), source, lang)


# --------------------------------------------------------------------------------------------
# Effect chain
# --------------------------------------------------------------------------------------------


def _has_assumption(link: EffectLink) -> bool:
    return link.assumption is not None and bool(link.assumption.strip())


def _link_numbers(chain: EffectChain) -> dict[int, int]:
    """Assumption number per link index: 1, 2, ... over the links that state one, in link order."""
    with_assumption = [k for k, link in enumerate(chain.links) if _has_assumption(link)]
    return {k: nr for nr, k in enumerate(with_assumption, start=1)}


def numbered_links(chain: EffectChain) -> tuple[tuple[int, EffectLink], ...]:
    """The links that state an assumption, numbered 1, 2, ... in the chain's link order."""
    return tuple((nr, chain.links[k]) for k, nr in _link_numbers(chain).items())


def link_legend(chain: EffectChain, lang: Language = "sv") -> pd.DataFrame:
    """Table of the numbered assumptions: ``nr, från, till, antagande`` (English: ``nr, from, to, assumption``).

    The numbers are those drawn in circles on the arrows of :func:`plot_effect_chain`.
    """
    _check_language(lang)
    rows = numbered_links(chain)
    return pd.DataFrame(
        {
            ptext(lang, "assumption table", "nr"): pd.Series([k for k, _ in rows], dtype="int64"),
            ptext(lang, "assumption table", "from"): pd.Series([lk.source for _, lk in rows], dtype=object),
            ptext(lang, "assumption table", "to"): pd.Series([lk.target for _, lk in rows], dtype=object),
            ptext(lang, "assumption table", "assumption"): pd.Series([" ".join(str(lk.assumption).split()) for _, lk in rows], dtype=object),
        }
    )


def _crossings(order: dict[int, list[int]], col: Sequence[int], pairs: Sequence[tuple[int, int]]) -> int:
    """Crossings among links that join the same pair of columns, given the order in each column."""
    pos = {i: k for members in order.values() for k, i in enumerate(members)}
    n = 0
    for a in range(len(pairs)):
        s1, t1 = pairs[a]
        for b in range(a + 1, len(pairs)):
            s2, t2 = pairs[b]
            if col[s1] != col[s2] or col[t1] != col[t2]:
                continue
            if (pos[s1] - pos[s2]) * (pos[t1] - pos[t2]) < 0:
                n += 1
    return n


def _effect_order(chain: EffectChain) -> tuple[dict[int, list[int]], list[int], list[tuple[int, int, int]]]:
    """Order the nodes of every column by barycentre sweeps, keeping the order with fewest crossings.

    Returns the order per column, the column of each node and the drawable links as
    ``(link index, source node, target node)``.
    """
    nodes = chain.nodes
    rank = {lvl: k for k, lvl in enumerate(EFFECT_LEVELS)}
    col = [rank.get(n.level, len(EFFECT_LEVELS) - 1) for n in nodes]
    first: dict[str, int] = {}
    for i, n in enumerate(nodes):
        first.setdefault(n.id, i)
    drawable: list[tuple[int, int, int]] = []
    for k, link in enumerate(chain.links):
        s, tg = first.get(link.source), first.get(link.target)
        if s is not None and tg is not None and s != tg:
            drawable.append((k, s, tg))
    pairs = [(s, tg) for _, s, tg in drawable]
    neighbours: dict[int, list[int]] = {i: [] for i in range(len(nodes))}
    for s, tg in pairs:
        neighbours[s].append(tg)
        neighbours[tg].append(s)
    order = {c: [i for i in range(len(nodes)) if col[i] == c] for c in range(len(EFFECT_LEVELS))}

    def norm(o: dict[int, list[int]]) -> dict[int, float]:
        out: dict[int, float] = {}
        for members in o.values():
            for k, i in enumerate(members):
                out[i] = (k + 0.5) / len(members)
        return out

    best = {c: list(m) for c, m in order.items()}
    best_n = _crossings(best, col, pairs)
    sweeps = [list(range(1, len(EFFECT_LEVELS))), list(range(len(EFFECT_LEVELS) - 2, -1, -1))]
    for _ in range(6):
        changed = False
        for direction, columns in enumerate(sweeps):
            for c in columns:
                pos = norm(order)
                keyed = []
                for k, i in enumerate(order[c]):
                    fixed = [pos[j] for j in neighbours[i] if (col[j] < c if direction == 0 else col[j] > c)]
                    keyed.append((sum(fixed) / len(fixed) if fixed else pos[i], k, i))
                new = [i for _, _, i in sorted(keyed)]
                if new != order[c]:
                    order[c] = new
                    changed = True
                n_cross = _crossings(order, col, pairs)
                if n_cross < best_n:
                    best, best_n = {cc: list(m) for cc, m in order.items()}, n_cross
        if not changed:
            break
    return best, col, drawable


def plot_effect_chain(
    chain: EffectChain,
    ax: Axes | None = None,
    *,
    lang: Language = "sv",
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Draw the effect logic left to right: activities, outputs, short-term and long-term effects.

    Nodes are stacked in their column in the order with fewest crossing arrows found by
    barycentre sweeps. Every link is an arrow; a link with an assumption carries a circled
    number at its midpoint (numbered as in :func:`link_legend`), a link without one is dashed.
    External factors are listed in a box below the columns. ``title`` defaults to
    "Effektlogik" / "Effect logic"; ``source`` adds a source line at the bottom.
    Returns the axes drawn on (a new figure's, or ``ax``, filled in its width, as for
    :func:`plot_goal_tree`).
    """
    _check_language(lang)
    headings = _effect_columns(lang)
    nodes = chain.nodes
    order, col, drawable = _effect_order(chain)
    n_cols = len(EFFECT_LEVELS)
    pad = 0.2
    gap_ratio = 0.46
    width = 2 * pad + (n_cols + (n_cols - 1) * gap_ratio) * 2.55 if ax is None else _axes_width_in(ax)
    unit = (width - 2 * pad) / (n_cols + (n_cols - 1) * gap_ratio)
    box_w, col_gap = unit, unit * gap_ratio
    measure = _Measure()
    inner = 0.2
    fontsize = measure.fit_font([n.statement for n in nodes], box_w - inner, min(max(box_w * 3.4, 5.0), 8.5))
    lines = [tuple(measure.wrap(n.statement, box_w - inner, fontsize, 4)) for n in nodes]
    box_h = _box_height(max((len(ln) for ln in lines), default=1), fontsize)
    v_gap = 0.32
    max_n = max((len(m) for m in order.values()), default=0)
    columns_h = max(max_n, 1) * (box_h + v_gap)
    header_h = 0.45

    numbers = _link_numbers(chain)
    has_dashed = any(not _has_assumption(chain.links[k]) for k, _, _ in drawable)
    notes = ([text(lang, "Circled number: assumption of the arrow, see the table of assumptions")] if numbers else []) + (
        [text(lang, "Dashed arrow: no assumption stated")] if has_dashed else []
    )
    ext_fs = 8.5
    ext_lines: list[str] = []
    for factor in chain.external_factors:
        wrapped = measure.wrap(factor, width - 2 * pad - 0.6, ext_fs, 3)
        ext_lines += [("• " if k == 0 else "   ") + s for k, s in enumerate(wrapped)]
    ext_h = (0.12 + (ext_fs + 0.5) * _LINE / 72 + 0.05 + len(ext_lines) * ext_fs * _LINE / 72 + 0.12) if ext_lines else 0.0
    note_h = 0.22 * len(notes)
    diagram_h = header_h + columns_h + (0.25 + ext_h if ext_lines else 0.0) + (0.15 + note_h if notes else 0.05)
    bottom = 0.4 if source else 0.15
    own = ax is None
    fig, ax, width = _canvas(ax, width, diagram_h, bottom)

    top = diagram_h
    col_x = [pad + c * (box_w + col_gap) + box_w / 2 for c in range(n_cols)]
    for c, lvl in enumerate(EFFECT_LEVELS):
        ax.add_patch(
            Rectangle(
                (col_x[c] - box_w / 2 - 0.08, top - header_h - columns_h), box_w + 0.16, header_h + columns_h,
                facecolor="0.965", edgecolor="none", gid=f"column:{lvl}", zorder=0,
            )
        )
        ax.text(
            col_x[c], top - header_h / 2, headings[lvl], ha="center", va="center",
            fontsize=fontsize + 1.5, fontweight="bold", color="black", gid=f"column-label:{lvl}",
        )

    centre: dict[int, tuple[float, float]] = {}
    for c, members in order.items():
        for k, i in enumerate(members):
            y = top - header_h - columns_h * (k + 0.5) / len(members)
            centre[i] = (col_x[c], y)

    # Spread the ends of several arrows along a box edge, ordered by the other end's height.
    out_ends: dict[int, list[tuple[float, int]]] = {}
    in_ends: dict[int, list[tuple[float, int]]] = {}
    for k, s, tg in drawable:
        out_ends.setdefault(s, []).append((-centre[tg][1], k))
        in_ends.setdefault(tg, []).append((-centre[s][1], k))

    def offsets(ends: dict[int, list[tuple[float, int]]]) -> dict[tuple[int, int], float]:
        out: dict[tuple[int, int], float] = {}
        for i, items in ends.items():
            items = sorted(items)
            n = len(items)
            for r, (_, k) in enumerate(items):
                out[(i, k)] = 0.0 if n == 1 else box_h * 0.55 * (0.5 - r / (n - 1))
        return out

    out_off, in_off = offsets(out_ends), offsets(in_ends)
    for k, s, tg in drawable:
        link = chain.links[k]
        (sx, sy), (tx, ty) = centre[s], centre[tg]
        sy += out_off[(s, k)]
        ty += in_off[(tg, k)]
        if col[tg] > col[s]:
            start, end, rad = (sx + box_w / 2, sy), (tx - box_w / 2, ty), 0.0
        elif col[tg] < col[s]:  # backwards: leave on the left, enter on the right, curved
            start, end, rad = (sx - box_w / 2, sy), (tx + box_w / 2, ty), 0.3
        else:  # same column: a loop on the right-hand side of the boxes
            start, end, rad = (sx + box_w / 2, sy), (tx + box_w / 2, ty), 0.6 if ty > sy else -0.6
        dashed = not _has_assumption(link)
        ax.annotate(
            "", xy=end, xytext=start,
            arrowprops=dict(
                arrowstyle="-|>", color="black", linewidth=1.0, linestyle="--" if dashed else "-",
                shrinkA=0, shrinkB=0, mutation_scale=11, connectionstyle=f"arc3,rad={rad}",
            ),
            annotation_clip=False, gid=f"link:{link.source}->{link.target}", zorder=2,
        )
        nr = numbers.get(k)
        if nr is not None:
            dx, dy = end[0] - start[0], end[1] - start[1]
            if col[tg] - col[s] >= 2:  # skipping a column: number in the first gap, clear of boxes
                share = (col_gap / 2) / dx if dx else 0.5
                mx, my = start[0] + share * dx, start[1] + share * dy
            else:  # midpoint of the (possibly curved, arc3) arrow
                mx = (start[0] + end[0]) / 2 + 0.5 * rad * dy
                my = (start[1] + end[1]) / 2 - 0.5 * rad * dx
            ax.text(
                mx, my, str(nr), ha="center", va="center", fontsize=max(fontsize - 1, 5), color="black",
                bbox=dict(boxstyle="circle,pad=0.2", facecolor="white", edgecolor="black", linewidth=0.8),
                gid=f"assumption:{nr}", zorder=5,
            )

    for i, n in enumerate(nodes):
        cx, cy = centre[i]
        box = _Box(
            gid=f"effect:{n.id}", node_id=n.id, x=cx, y=cy, w=box_w, h=box_h, lines=lines[i],
            fontsize=fontsize, style=_EFFECT_STYLE.get(n.level, ("white", "", 0.8)), dashed=False,
        )
        _draw_box(ax, box, "effect", measure)

    y = top - header_h - columns_h
    if ext_lines:
        y -= 0.25
        ax.add_patch(
            FancyBboxPatch(
                (pad, y - ext_h), width - 2 * pad, ext_h, boxstyle="round,pad=0,rounding_size=0.05",
                facecolor="white", edgecolor="0.25", linewidth=0.9, hatch=None, gid="external", zorder=3,
            )
        )
        ax.text(pad + 0.15, y - 0.12, ptext(lang, "diagram", "External factors"), ha="left", va="top", fontsize=ext_fs + 0.5,
                fontweight="bold", gid="external-title", zorder=4)
        ax.text(pad + 0.15, y - 0.12 - (ext_fs + 0.5) * _LINE / 72 - 0.05, "\n".join(ext_lines), ha="left", va="top",
                fontsize=ext_fs, linespacing=_LINE, gid="external-text", zorder=4)
        y -= ext_h
    for k, note in enumerate(notes):
        ax.text(pad, y - 0.15 - 0.22 * k, note, ha="left", va="top", fontsize=8, fontstyle="italic", gid="note")
    if not nodes:
        ax.text(width / 2, top - header_h - columns_h / 2, text(lang, "No effect logic stated"), ha="center", va="center",
                fontsize=10, gid="note")
    return _finish(fig, ax, own, width, diagram_h, title if title is not None else text(lang, "Effect logic"), source, lang)
