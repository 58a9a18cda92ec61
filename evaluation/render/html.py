"""Render an executed report notebook to self-contained HTML, an offline PDF and a JSON of key figures.

* HTML: nbconvert's HTMLExporter with the template ``evaluation/templates/report``: no
  code, no prompts, no stream or error output, images as data URIs, no script and no
  asset that would be fetched from the network when the file is opened.
* PDF: WeasyPrint from the same HTML, fetching nothing from the network, with the
  creation date taken from the report's ``as_of`` date and a file identifier derived
  from the HTML, so the same HTML always gives the same bytes.
* JSON: every :class:`~evaluation.report.display.KeyFigures` output, merged in notebook order,
  next to the parameters and the provenance record.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as _dt
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import nbformat
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from traitlets.config import Config

from evaluation.core import paths
from evaluation.report.display import KEY_FIGURES_MIME
from evaluation.report.params import ReportParams
from evaluation.report.provenance import project_input_files, provenance

TEMPLATE_NAME = "report"

REMOVE_TAGS: tuple[str, ...] = ("remove-cell", "remove_cell", "hide", "hide-cell")
"""Cells with any of these tags are left out of the HTML and PDF."""

_KIND_LABELS = {
    "sv": {"midterm": "Halvtidsutvärdering", "final": "Slututvärdering"},
    "en": {"midterm": "Midterm evaluation", "final": "Final evaluation"},
}
_PAGE_LABELS = {"sv": ("Sida", "av"), "en": ("Page", "of")}

_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def collect_key_figures(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """Every KeyFigures output of the notebook merged into one dict (later keys win)."""
    merged: dict[str, Any] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if KEY_FIGURES_MIME in data:
                value = data[KEY_FIGURES_MIME]
                if isinstance(value, str):  # some writers store JSON MIME data as text
                    value = json.loads(value)
                merged.update(value)
    return merged


def report_title(nb: nbformat.NotebookNode, params: ReportParams) -> str:
    """The notebook's metadata title, else its first heading, else '<kind label> – <project>'."""
    title = nb.metadata.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = _HEADING_RE.search(cell.source)
            if m:
                text = BeautifulSoup(m.group(1), "html.parser").get_text()
                return re.sub(r"[*_`]+", "", text).strip()
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html:
                heading = BeautifulSoup("".join(html), "html.parser").find(["h1", "h2"])
                if heading is not None and heading.get_text().strip():
                    return heading.get_text(" ", strip=True)
    return f"{_KIND_LABELS[params.language][params.kind]} \u2013 {params.project}"


def _css_string(text: str) -> str:
    """``text`` as the inside of a CSS double-quoted string, safe inside a <style> element."""
    out = []
    for ch in text:
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


def _exporter(lang: str) -> HTMLExporter:
    c = Config()
    c.HTMLExporter.extra_template_basedirs = [str(paths.templates_dir())]
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
        src = tag.get("src", "")
        if src and not src.startswith("data:"):
            alt = tag.get("alt") or ""
            tag.replace_with(soup.new_string(f"[{alt}]" if alt else ""))
            changed = True
    for tag in soup.find_all("style"):
        text = tag.string or ""
        cleaned = re.sub(r"@import\s+[^;]+;", "", text)
        cleaned = re.sub(r"url\(\s*['\"]?(?:https?:)?//[^)]*\)", "none", cleaned)
        if cleaned != text:
            tag.string = cleaned
            changed = True
    return str(soup) if changed else html


def render_html(nb: nbformat.NotebookNode, params: ReportParams) -> str:
    """The executed notebook as one self-contained HTML page in the report's language."""
    lang = params.language
    title = report_title(nb, params)
    page, of = _PAGE_LABELS[lang]
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


def render_pdf(html: str, base_url: str | Path | None = None) -> bytes:
    """A PDF from the report HTML with WeasyPrint, offline and byte-for-byte reproducible.

    Only ``data:`` and ``file:`` URLs are fetched. The creation date comes from the HTML's
    ``dcterms.created`` meta tag (the as_of date); the file identifier is a hash of the HTML.
    """
    import weasyprint
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("data", "file"))
    base = str(base_url) if base_url is not None else str(paths.home())
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    document = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher)
    # fontTools stamps the current time into every embedded font subset ('head' table)
    # unless SOURCE_DATE_EPOCH is set: pin it to the report's date for the duration.
    with _source_date_epoch(_created_epoch(html)):
        pdf = document.write_pdf(pdf_identifier=identifier)
    assert isinstance(pdf, bytes)
    return pdf


def _created_epoch(html: str) -> int:
    """Seconds since 1970 of the HTML's ``dcterms.created`` date (midnight UTC), else 0."""
    meta = BeautifulSoup(html, "html.parser").find("meta", attrs={"name": "dcterms.created"})
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


def default_input_files(params: ReportParams) -> list[Path]:
    """Inputs recorded in the provenance: every file under data/<project>/ plus the notebook."""
    return [*project_input_files(params.project), params.notebook_path()]


def render_json(
    nb: nbformat.NotebookNode,
    params: ReportParams,
    *,
    input_files: Iterable[Path] | None = None,
    prov: Mapping[str, Any] | None = None,
) -> str:
    """``{"key_figures", "params", "provenance"}`` as JSON: sorted keys, indent 2, UTF-8 text."""
    if prov is None:
        files = list(input_files) if input_files is not None else default_input_files(params)
        prov = provenance(files, params)
    document = {
        "key_figures": collect_key_figures(nb),
        "params": params.notebook_parameters(),
        "provenance": dict(prov),
    }
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
