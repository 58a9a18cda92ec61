"""The executed report notebook as one self-contained HTML page (nbconvert), offline.

nbconvert's HTMLExporter with the template ``evaluation/templates/report``: no code, no
prompts, no stream or error output, images as data URIs, and no script or asset that would
be fetched from the network when the file is opened. The same HTML is the source of the PDF
(:mod:`evaluation.render.pdf`) and the Word document (:mod:`evaluation.render.word`); the
key-figure JSON is :mod:`evaluation.render.keyfigures`.
"""

from __future__ import annotations

import copy
import functools
import re

import nbformat
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from traitlets.config import Config

from evaluation.core import paths
from evaluation.core.i18n import Language, text
from evaluation.render.pages import PAGE, PAGES, page_label_parts
from evaluation.report.display import KEY_FIGURES_MIME
from evaluation.report.params import ReportParams

__all__ = ["REMOVE_TAGS", "TEMPLATE_NAME", "render_html", "report_title"]

TEMPLATE_NAME = "report"

REMOVE_TAGS: tuple[str, ...] = ("remove-cell", "remove_cell", "hide", "hide-cell")
"""Cells with any of these tags are left out of the HTML and PDF."""

_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def report_title(nb: nbformat.NotebookNode, params: ReportParams) -> str:
    """The notebook's metadata title, else its first heading, else '<kind label> – <project>'."""
    title = nb.metadata.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = _HEADING_RE.search(cell.source)
            if m:
                heading_text = BeautifulSoup(m.group(1), "html.parser").get_text()
                return re.sub(r"[*_`]+", "", heading_text).strip()
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html:
                heading = BeautifulSoup("".join(html), "html.parser").find(["h1", "h2"])
                if heading is not None and heading.get_text().strip():
                    return heading.get_text(" ", strip=True)
    lang = params.language
    kind = text(lang, "Midterm evaluation") if params.kind == "midterm" else text(lang, "Final evaluation")
    return f"{kind} \u2013 {params.project}"


def _css_string(value: str) -> str:
    """``value`` as the inside of a CSS double-quoted string, safe inside a <style> element."""
    out = []
    for ch in value:
        if ch in '"\\<>&' or ord(ch) < 0x20:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return "".join(out)


def _report_view(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without what the reader must not see: key figures, streams, errors, removed cells."""
    view = copy.deepcopy(nb)
    cells = []
    for cell in view.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & set(REMOVE_TAGS) or "papermill-error-cell-tag" in tags:
            continue
        if cell.cell_type == "code":
            cell.outputs = [
                o for o in cell.outputs
                if o.output_type in ("display_data", "execute_result")
                and KEY_FIGURES_MIME not in o.get("data", {})
            ]
        cells.append(cell)
    view.cells = cells
    view.metadata.pop("widgets", None)
    return view


def _exporter(lang: Language) -> HTMLExporter:
    """The report's HTML exporter for ``lang``, made once per process and template folder (a new exporter
    compiles the Jinja templates again, ~0.3 s)."""
    return _cached_exporter(lang, str(paths.templates_dir()))


@functools.lru_cache(maxsize=8)
def _cached_exporter(lang: Language, templates: str) -> HTMLExporter:
    c = Config()
    c.HTMLExporter.extra_template_basedirs = [templates]
    c.HTMLExporter.template_name = TEMPLATE_NAME
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.exclude_output_stdin = True
    c.HTMLExporter.exclude_anchor_links = True
    c.HTMLExporter.embed_images = True
    c.HTMLExporter.language_code = lang
    return HTMLExporter(config=c)


def _offline(html: str) -> str:
    """Drop scripts, external stylesheets/fonts and remote images: nothing is fetched on opening."""
    soup = BeautifulSoup(html, "html.parser")
    changed = False
    for tag in soup.find_all(["script", "iframe", "object", "embed"]):
        tag.decompose()
        changed = True
    for tag in soup.find_all("link"):
        tag.decompose()
        changed = True
    for tag in soup.find_all(["img", "source", "video", "audio"]):
        src = str(tag.get("src") or "")
        if src and not src.startswith("data:"):
            alt = tag.get("alt") or ""
            tag.replace_with(soup.new_string(f"[{alt}]" if alt else ""))
            changed = True
    for tag in soup.find_all("style"):
        css = tag.string or ""
        cleaned = re.sub(r"@import\s+[^;]+;", "", css)
        cleaned = re.sub(r"url\(\s*['\"]?(?:https?:)?//[^)]*\)", "none", cleaned)
        if cleaned != css:
            tag.string = cleaned
            changed = True
    return str(soup) if changed else html


def render_html(nb: nbformat.NotebookNode, params: ReportParams) -> str:
    """The executed notebook as one self-contained HTML page in the report's language."""
    lang = params.language
    title = report_title(nb, params)
    words = [part.strip() for part in page_label_parts(lang) if part not in (PAGE, PAGES)]
    page, of = (words + ["", ""])[:2]
    running_head = f"{title} \u00b7 {params.project}"
    resources = {
        "metadata": {"name": title, "path": str(paths.notebooks_dir())},
        "report": {
            "title": title,
            "lang": lang,
            "as_of": params.as_of.isoformat(),
            "page_label_css": _css_string(page),
            "of_label_css": _css_string(of),
            "running_head_css": _css_string(running_head),
        },
    }
    body, _ = _exporter(lang).from_notebook_node(_report_view(nb), resources=resources)
    body = _offline(body)
    return body if body.endswith("\n") else body + "\n"
