"""Display helpers for the report notebooks: headings, text, tables, notices, figures, key figures.

Every helper returns an object that Jupyter displays through ``_repr_html_`` (or
``_repr_mimebundle_``); nothing prints. All user text (names, statements, table cells) is
escaped with :func:`html.escape`, so a firm called ``<script>`` stays text. Numbers in
tables go through :mod:`evaluation.core.fmt`. Small inline styles keep the output readable in
Jupyter; the report template (``evaluation/templates/report``) styles the same classes for
print.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as _dt
import html
import io
import json
import math
import numbers
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from evaluation.core import fmt
from evaluation.core.errors import ReportError
from evaluation.core.i18n import Language, choices, is_language, ptext, text
from evaluation.report import figcache

KEY_FIGURES_MIME = "application/vnd.evaluation.keyfigures+json"
"""MIME type under which :class:`KeyFigures` puts its JSON dict; collected by render.py."""

DacCriterion = Literal["relevance", "coherence", "effectiveness", "efficiency", "impact", "sustainability"]

DAC_CRITERIA: tuple[str, ...] = ("relevance", "coherence", "effectiveness", "efficiency", "impact", "sustainability")
"""The OECD DAC evaluation criteria a section heading may name."""


def dac_label(criterion: str, lang: Language) -> str:
    """The report label of an OECD DAC criterion (``efficiency``: "Kostnadseffektivitet" / "Efficiency")."""
    labels = {
        "relevance": ptext(lang, "DAC criterion", "Relevance"),
        "coherence": ptext(lang, "DAC criterion", "Coherence"),
        "effectiveness": ptext(lang, "DAC criterion", "Effectiveness"),
        "efficiency": ptext(lang, "DAC criterion", "Efficiency"),
        "impact": ptext(lang, "DAC criterion", "Impact"),
        "sustainability": ptext(lang, "DAC criterion", "Sustainability"),
    }
    return labels[criterion]


NoticeKind = Literal["illustrative", "missing", "warning"]
NOTICE_KINDS: tuple[str, ...] = ("illustrative", "missing", "warning")


def notice_label(kind: str, lang: Language) -> str:
    """The default title of a notice of ``kind`` (shown in capitals)."""
    labels = {
        "illustrative": ptext(lang, "notice", "Illustrative values"),
        "missing": ptext(lang, "notice", "Data not reported"),
        "warning": ptext(lang, "notice", "Note"),
    }
    return labels[kind]

_NOTICE_COLOURS: dict[str, tuple[str, str]] = {  # border, background
    "illustrative": ("#b35c00", "#fff4e5"),
    "missing": ("#555555", "#f2f2f2"),
    "warning": ("#a30000", "#fdecec"),
}

ColumnFormat = Literal["number", "money", "percent", "date", "month", "text", "yes_no"]


def _check_lang(lang: str) -> None:
    if not is_language(lang):
        raise ReportError(f"'lang' must be {choices()} (got {lang!r})")


@dataclass(frozen=True)
class HTML:
    """Ready HTML (already escaped where needed), displayed as is."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def _jsonable(value: Any, where: str) -> Any:
    """``value`` as plain JSON (numpy scalars to Python, NaN to None, dates to ISO)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if fmt.is_missing(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, f"{where}[{i}]") for i, v in enumerate(value)]
    raise ReportError(f"'{where}' in KeyFigures must be a number, text, date, list or mapping (got {value!r})")


class KeyFigures:
    """Key figures of a report, displayed invisibly and collected into ``<kind>.json``.

    ``display(KeyFigures({"budget_sek": 16713030}))`` puts the dict under
    :data:`KEY_FIGURES_MIME`; render.py merges every such output in notebook order.
    """

    def __init__(self, mapping: Mapping[str, Any]):
        if not isinstance(mapping, Mapping):
            raise ReportError(f"'mapping' in KeyFigures must be a mapping (got {mapping!r})")
        self.data: dict[str, Any] = _jsonable(dict(mapping), "key_figures")
        json.dumps(self.data, allow_nan=False)  # proves it is plain JSON

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        keys = ", ".join(sorted(self.data))
        return {KEY_FIGURES_MIME: self.data, "text/plain": f"KeyFigures: {keys}"}

    def __repr__(self) -> str:
        return f"KeyFigures({self.data!r})"


def section(number: int | str, title: str, dac_criteria: Iterable[str], lang: Language) -> HTML:
    """Numbered section heading with a visible tag of the OECD DAC criteria it answers."""
    _check_lang(lang)
    criteria = tuple(dac_criteria)
    unknown = [c for c in criteria if c not in DAC_CRITERIA]
    if unknown:
        raise ReportError(
            f"'dac_criteria' in Section must be among {', '.join(DAC_CRITERIA)} (got {unknown[0]!r})")
    num = html.escape(str(number))
    anchor = "section-" + "".join(ch if ch.isalnum() else "-" for ch in str(number))
    parts = [f'<h2 class="report-section" id="{html.escape(anchor)}">'
             f'<span class="section-number">{num}</span> {html.escape(title)}</h2>']
    if criteria:
        labels = ", ".join(html.escape(dac_label(c, lang)) for c in criteria)
        line = text(lang, "OECD DAC criteria")
        parts.append(
            f'<p class="dac-criteria" style="margin:0 0 1em 0;font-size:0.9em;color:#31556e">'
            f'<span class="dac-label">{line}:</span> '
            f'<span class="dac-tags" style="font-weight:bold">{labels}</span></p>')
    return HTML("\n".join(parts))


class Section(HTML):
    """``Section(3, "Resultat", ("relevance", "effectiveness"), "sv")``: heading plus DAC tag."""

    def __init__(self, number: int | str, title: str, dac_criteria: Iterable[str] = (), lang: Language = "sv"):
        object.__setattr__(self, "html", section(number, title, dac_criteria, lang).html)


def heading(level: int, title: str, prefix: str = "") -> HTML:
    """A plain heading ``<h1>``-``<h3>`` of escaped text; ``prefix`` (e.g. ``"N1 "``) goes before it as is."""
    return HTML(f"<h{level}>{prefix}{html.escape(title)}</h{level}>")


@dataclass(frozen=True)
class Block:
    """Displayable parts of one report section, shown in order as HTML (text parts as escaped paragraphs)."""

    parts: tuple[Any, ...]

    def _repr_html_(self) -> str:
        out = []
        for part in self.parts:
            if hasattr(part, "_repr_html_"):
                out.append(part._repr_html_())
            else:
                out.append(f"<p>{html.escape(str(part))}</p>")
        return "\n".join(out)

    def text(self) -> str:
        """The block's HTML (for tests and for searching the content)."""
        return self._repr_html_()

    def __repr__(self) -> str:  # keeps the notebook's text/plain output small
        return f"<Block of {len(self.parts)} parts>"


def paragraph(text: str) -> HTML:
    """A paragraph of escaped text."""
    return HTML(f"<p>{html.escape(str(text))}</p>")


def bullet_list(items: Iterable[object]) -> HTML:
    """A bulleted list of escaped items."""
    lis = "".join(f"<li>{html.escape(str(item))}</li>" for item in items)
    return HTML(f"<ul>{lis}</ul>")


def notice(text: str, kind: NoticeKind = "illustrative", lang: Language = "sv", title: str | None = None) -> HTML:
    """A visible boxed banner, e.g. ``ILLUSTRATIVA VÄRDEN`` over numbers that are not real data."""
    _check_lang(lang)
    if kind not in NOTICE_KINDS:
        raise ReportError(f"'kind' in notice must be one of {', '.join(NOTICE_KINDS)} (got {kind!r})")
    label = (title if title is not None else notice_label(kind, lang)).upper()
    border, background = _NOTICE_COLOURS[kind]
    return HTML(
        f'<div class="notice notice-{kind}" role="note" style="border:2px solid {border};'
        f'background:{background};padding:0.6em 0.9em;margin:0.8em 0;">'
        f'<strong class="notice-label" style="color:{border}">{html.escape(label)}</strong> '
        f'<span class="notice-text">{html.escape(str(text))}</span></div>')


def _format_cell(value: object, how: str, lang: Language, decimals: int | None) -> tuple[str, bool]:
    """Formatted, escaped text of one cell and whether it is numeric (right-aligned)."""
    if fmt.is_missing(value):
        return f'<span class="missing">{html.escape(fmt.missing(lang))}</span>', False
    if isinstance(value, np.bool_):
        value = bool(value)
    if how == "auto":
        if isinstance(value, bool):
            how = "yes_no"
        elif isinstance(value, numbers.Number):
            how = "number"
        elif isinstance(value, (_dt.date, pd.Timestamp)):
            how = "date"
        else:
            how = "text"
    is_number = isinstance(value, numbers.Number) and not isinstance(value, bool)
    if how == "money" and is_number:
        return html.escape(fmt.money(value, lang)), True
    if how == "percent" and is_number:
        return html.escape(fmt.percent(value, lang, 1 if decimals is None else decimals)), True
    if how == "number" and is_number:
        return html.escape(fmt.number(value, lang, decimals)), True
    if how == "date" and isinstance(value, (_dt.date, pd.Timestamp, str)):
        return html.escape(fmt.date(value, lang)), False
    if how == "month" and isinstance(value, (_dt.date, pd.Timestamp, str)):
        return html.escape(fmt.month(value, lang)), False
    if how == "yes_no" and isinstance(value, (bool, numbers.Integral)):
        return html.escape(fmt.yes_no(value, lang)), False
    return html.escape(str(value)), False


def table(
    df: pd.DataFrame,
    lang: Language,
    *,
    formats: Mapping[str, ColumnFormat] | None = None,
    decimals: int | Mapping[str, int] | None = None,
    caption: str | None = None,
    index: bool | None = None,
) -> HTML:
    """A DataFrame as an HTML table: numbers through :mod:`evaluation.core.fmt`, text escaped.

    ``formats`` picks a format per column (default: numbers as numbers, dates as dates,
    the rest as text); ``decimals`` is one number or one per column; ``index`` shows the
    index (default: when it is not a plain 0..n-1 range).
    """
    _check_lang(lang)
    formats = dict(formats or {})
    if index is None:
        index = not (isinstance(df.index, pd.RangeIndex) and df.index.start == 0 and df.index.step == 1
                     and df.index.name is None)

    def dec(col: object) -> int | None:
        if isinstance(decimals, Mapping):
            return decimals.get(col)  # type: ignore[call-overload]
        return decimals

    n_columns = len(df.columns) + (len(df.index.names or [None]) if index else 0)
    cls = "report-table" + (" many-columns" if n_columns >= 7 else "") + (" wide" if n_columns >= 10 else "")
    out = [f'<table class="{cls}" style="border-collapse:collapse">']
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out.append("<thead><tr>")
    if index:
        names = [n for n in (df.index.names or [None])]
        for n in names:
            out.append(f'<th scope="col">{html.escape("" if n is None else str(n))}</th>')
    for col in df.columns:
        out.append(f'<th scope="col">{html.escape(str(col))}</th>')
    out.append("</tr></thead><tbody>")
    for idx, row in zip(df.index, df.itertuples(index=False, name=None)):
        out.append("<tr>")
        if index:
            keys = idx if isinstance(idx, tuple) else (idx,)
            for k in keys:
                cell, _ = _format_cell(k, "text", lang, None)
                out.append(f'<th scope="row">{cell}</th>')
        for col, value in zip(df.columns, row):
            how = formats.get(col, "auto")
            cell, numeric = _format_cell(value, how, lang, dec(col))
            cls = ' class="num" style="text-align:right"' if numeric else ""
            out.append(f"<td{cls}>{cell}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return HTML("".join(out))


@dataclass(frozen=True)
class Figure:
    """A matplotlib figure rendered once to PNG bytes, displayed as an embedded image."""

    png: bytes = field(repr=False)
    alt: str
    caption: str | None = None
    wide: bool = False

    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")

    def _repr_html_(self) -> str:
        img = f'<img src="{self.data_uri()}" alt="{html.escape(self.alt)}" style="max-width:100%">'
        cls = "report-figure wide" if self.wide else "report-figure"
        if self.caption is None:
            return f'<figure class="{cls}">{img}</figure>'
        return (f'<figure class="{cls}">{img}'
                f"<figcaption>{html.escape(self.caption)}</figcaption></figure>")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {"text/html": self._repr_html_(), "text/plain": f"Figure: {self.alt}"}


@contextlib.contextmanager
def plain_text() -> Iterator[None]:
    """Matplotlib draws text as typed inside this block: no mathtext, no TeX.

    A firm called ``A $x$ B`` or ``$\\foo$`` would otherwise be typeset as a formula, or stop
    the figure with a parse error. Build figures from user text inside it.
    """
    import matplotlib

    with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False}):
        yield


def figure(fig: Any, *, alt: str | None = None, caption: str | None = None, dpi: int = 150, wide: bool = False) -> Figure:
    """Render ``fig`` (a matplotlib Figure, or Axes: its figure) to deterministic PNG bytes (fixed dpi,
    no Software stamp) and close it.

    ``wide`` figures (large diagrams) get a landscape page of their own in the PDF. Text is
    drawn as typed (see :func:`plain_text`).

    Closing it keeps the inline backend from showing the figure a second time.
    """
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    if not hasattr(fig, "savefig") and hasattr(fig, "figure"):  # Axes, as the plot functions return
        fig = fig.figure
    savefig_kwargs: dict[str, Any] = {"format": "png", "dpi": dpi, "metadata": {"Software": None}}

    def draw() -> bytes:
        buf = io.BytesIO()
        fig.savefig(buf, **savefig_kwargs)
        return buf.getvalue()

    with plain_text():
        for text in fig.findobj(Text):
            text.set_parse_math(False)
        png = figcache.png_for(fig, draw, savefig_kwargs)  # drawn once per content (report/figcache.py)
    plt.close(fig)
    if alt is None:
        texts = [ax.get_title() for ax in fig.get_axes() if ax.get_title()]
        suptitle = getattr(fig, "_suptitle", None)
        if suptitle is not None and suptitle.get_text():
            texts.insert(0, suptitle.get_text())
        alt = "; ".join(texts) if texts else (caption or "Figure")
    return Figure(png=png, alt=alt, caption=caption, wide=wide)
