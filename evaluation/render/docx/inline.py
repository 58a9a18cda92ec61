"""Reading the report HTML for Word: which tags are blocks, the character format each tag gives
its text, and HTML white space collapsed as a browser does (a no-break space is kept)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, TypeAlias

from bs4 import NavigableString, Tag

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
    "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "ul",
})
"""Tags that start a new paragraph (or a table, a list, a figure)."""
SKIP_TAGS = frozenset({
    "head", "style", "script", "template", "noscript", "title", "meta", "link", "button", "input", "select",
    "textarea", "svg", "math", "iframe", "object", "embed", "video", "audio", "source", "colgroup", "col",
})
"""Tags whose content is not report text."""
MONO_TAGS = frozenset({"code", "kbd", "samp", "tt", "var"})
WS = re.compile(r"[ \t\n\r\f]+")  # HTML white space only: a no-break space is kept as it is
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
MISSING_COLOUR = "777777"
"""Colour of "uppgift saknas" (``span.missing``), grey as in the HTML."""


@dataclass(frozen=True)
class Fmt:
    """Character formatting inherited down the HTML tree."""

    bold: bool = False
    italic: bool = False
    mono: bool = False
    underline: bool = False
    strike: bool = False
    sup: bool = False
    sub: bool = False
    colour: str | None = None
    size: float | None = None


@dataclass(frozen=True)
class Text:
    """A piece of text in one format."""

    text: str
    fmt: Fmt


class Break:
    """A line break (``<br>``)."""


BREAK = Break()
Item: TypeAlias = Text | Break | Tag
"""What a paragraph is made of: text, line breaks and images (``<img>`` tags)."""


def clean(text: str) -> str:
    """Text without the control characters XML cannot hold."""
    return _XML_INVALID.sub("", text)


def classes(tag: Tag) -> set[str]:
    """The tag's CSS classes."""
    value: Any = tag.get("class") or []
    return set(value.split() if isinstance(value, str) else value)


def style_props(tag: Tag) -> dict[str, str]:
    """The tag's inline CSS (``style="…"``) as property → value."""
    out = {}
    for part in str(tag.get("style") or "").split(";"):
        key, sep, value = part.partition(":")
        if sep:
            out[key.strip().lower()] = value.strip()
    return out


def colour(value: str | None) -> str | None:
    """The first ``#rgb`` / ``#rrggbb`` colour in a CSS value as ``RRGGBB``, else None."""
    m = _HEX.search(value or "")
    if m is None:
        return None
    code = m.group(1)
    return (code if len(code) == 6 else "".join(c * 2 for c in code)).upper()


def inline_fmt(tag: Tag, fmt: Fmt) -> Fmt:
    """``fmt`` changed by what ``tag`` does to its text."""
    name = tag.name
    changes: dict[str, Any] = {}
    if name in ("strong", "b"):
        changes["bold"] = True
    if name in ("em", "i", "cite", "dfn"):
        changes["italic"] = True
    if name in MONO_TAGS:
        changes["mono"] = True
    if name in ("u", "ins"):
        changes["underline"] = True
    if name in ("s", "del", "strike"):
        changes["strike"] = True
    if name == "sup":
        changes["sup"] = True
    if name == "sub":
        changes["sub"] = True
    if "missing" in classes(tag):
        changes.update(italic=True, colour=MISSING_COLOUR)
    style = style_props(tag)
    weight = style.get("font-weight", "")
    if weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600):
        changes["bold"] = True
    if style.get("font-style") == "italic":
        changes["italic"] = True
    found = colour(style.get("color"))
    if found is not None:
        changes["colour"] = found
    return replace(fmt, **changes) if changes else fmt


def is_text(node: Any) -> bool:
    """Plain text (not a comment, doctype or other special string)."""
    return type(node) is NavigableString


def collect(nodes: Iterable[Any], fmt: Fmt, out: list[Item]) -> list[Item]:
    """The text, line breaks and images of inline ``nodes`` appended to ``out``, each text in its format."""
    for node in nodes:
        if isinstance(node, NavigableString):
            if is_text(node):
                out.append(Text(str(node), fmt))
            continue
        if not isinstance(node, Tag) or node.name in SKIP_TAGS:
            continue
        if node.name == "br":
            out.append(BREAK)
        elif node.name == "img":
            out.append(node)
        else:
            collect(node.children, inline_fmt(node, fmt), out)
    return out


def normalise(items: list[Item], pre: bool = False) -> list[Item]:
    """Collapse HTML white space (not in ``pre``), trim the ends, merge equal neighbours."""
    out: list[Item] = []
    if pre:
        out = list(items)
        if out and isinstance(out[0], Text) and out[0].text.startswith("\n"):
            out[0] = Text(out[0].text[1:], out[0].fmt)
    else:
        after_space = True
        for item in items:
            if isinstance(item, Text):
                text = WS.sub(" ", item.text)
                if after_space:
                    text = text.lstrip(" ")
                if text:
                    after_space = text.endswith(" ")
                    out.append(Text(text, item.fmt))
                continue
            if item is BREAK:
                _rstrip(out)
                after_space = True
            else:
                after_space = False
            out.append(item)
        _rstrip(out)
    merged: list[Item] = []
    for item in out:
        last = merged[-1] if merged else None
        if isinstance(item, Text) and isinstance(last, Text) and last.fmt == item.fmt:
            merged[-1] = Text(last.text + item.text, item.fmt)
        elif not (isinstance(item, Text) and not item.text):
            merged.append(item)
    return merged


def _rstrip(items: list[Item]) -> None:
    if items and isinstance(items[-1], Text):
        text = items[-1].text.rstrip(" ")
        if text:
            items[-1] = Text(text, items[-1].fmt)
        else:
            items.pop()
