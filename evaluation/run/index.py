"""The batch's index page, ``reports/index.html``: every report with its status, reason and links.

The page is bilingual: each label in the default report language and in English, as
"Rapporter / Reports" (translations in the ``run`` catalogue).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from evaluation.core.i18n import DEFAULT_LANGUAGE, SOURCE_LANGUAGE, Language, ptext, text
from evaluation.io.atomic import write_atomically
from evaluation.run.outcomes import BatchResult

__all__ = ["write_index"]

_INDEX_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em; color: #1a1a1a; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #8c8c8c; padding: 0.35em 0.6em; text-align: left; vertical-align: top; }
th { background: #e0e0e0; }
tr.failed td.status { font-weight: bold; text-decoration: underline; }
td.message { white-space: pre-wrap; font-size: 0.9em; }
p.summary { font-size: 1.05em; }
"""


def _labels(lang: Language) -> dict[str, str]:
    """The page's labels and the status names in ``lang``."""
    return {
        "Reports": ptext(lang, "index page", "Reports"),
        "Project": ptext(lang, "index page", "Project"),
        "Kind": ptext(lang, "index page", "Kind"),
        "Files": ptext(lang, "index page", "Files"),
        "Message": ptext(lang, "index page", "Message"),
        "ok": ptext(lang, "batch status", "ok"),
        "failed": ptext(lang, "batch status", "failed"),
        "skipped": ptext(lang, "batch status", "unchanged"),
    }


def _bilingual() -> dict[str, str]:
    """Every label in the default language and in English: ``Rapporter / Reports``."""
    first, second = _labels(DEFAULT_LANGUAGE), _labels(SOURCE_LANGUAGE)
    return {key: f"{first[key]} / {second[key]}" for key in first}


def _links(files: Iterable[Path], base: Path) -> str:
    out = []
    for f in files:
        if f.suffix not in (".html", ".pdf", ".json", ".docx") or not f.is_file():
            continue
        try:
            # the report's file is a link into the hidden store: link to it, not to the version behind it
            rel = (f.absolute().parent.resolve() / f.name).relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
        out.append(f'<a href="{html.escape(quote(rel), quote=True)}">{html.escape(f.suffix[1:].upper())}</a>')
    return " ".join(out)


def write_index(result: BatchResult, reports_dir: Path | str | None = None) -> Path:
    """Write ``reports/index.html``: every report with its status, reason and relative links.

    Self-contained (inline CSS, no scripts, nothing fetched), every name escaped, sorted by
    project and kind, without times, so the same outcomes give the same bytes.
    """
    base = Path(reports_dir) if reports_dir is not None else result.reports_dir
    base.mkdir(parents=True, exist_ok=True)
    label = _bilingual()
    rows = []
    ordered = sorted(result.outcomes, key=lambda o: (o.project, o.kind, str(o.params_file)))
    if result.portfolio is not None:
        ordered = [result.portfolio, *ordered]
    for o in ordered:
        candidates = [base / o.project / f"{o.kind}{s}" for s in (".html", ".pdf", ".json", ".docx")]
        if o.project == "portfolio" and o.kind == "portfolio":
            candidates = [base / f"portfolio{s}" for s in (".html", ".pdf", ".json", ".docx")]
        links = _links(candidates, base) if o.status != "failed" else ""
        rows.append(
            f'<tr class="{html.escape(o.status)}"><td>{html.escape(o.project)}</td><td>{html.escape(o.kind)}</td>'
            f'<td class="status">{html.escape(label.get(o.status, o.status))}</td>'
            f'<td class="links">{links}</td><td class="message">{html.escape(o.message)}</td></tr>'
        )
    counts = {s: sum(1 for o in result.outcomes if o.status == s) for s in ("ok", "skipped", "failed")}
    values = {"n": len(result.outcomes), "ok": counts["ok"], "skipped": counts["skipped"], "failed": counts["failed"]}
    summary = " / ".join(text(lang, "{n} reports: {ok} ok, {skipped} unchanged, {failed} failed", **values)
                         for lang in (DEFAULT_LANGUAGE, SOURCE_LANGUAGE))
    headings = "".join(f'<th scope="col">{heading}</th>' for heading in (
        label["Project"], label["Kind"], "Status", label["Files"], label["Message"]))
    doc = (
        f'<!DOCTYPE html>\n<html lang="{DEFAULT_LANGUAGE}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{label['Reports']}</title>\n"
        f"<style>{_INDEX_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{label['Reports']}</h1>\n"
        f'<p class="summary">{html.escape(summary)}</p>\n'
        f"<table>\n<thead><tr>{headings}"
        "</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</body>\n</html>\n"
    )
    target = base / "index.html"
    write_atomically({target: doc.encode("utf-8")})
    return target
