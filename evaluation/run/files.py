"""Where a report's files live: the readable files ``reports/<project>/<kind>.*`` and the hidden
store of their versions ``reports/.sets/<project>/`` (see :class:`evaluation.io.atomic.FileSet`),
and how a path in the reports folder is shown.

``reports/<project>/<kind>.html`` (and ``.ipynb``, ``.pdf``, ``.json``, ``.docx``) are relative
links to ``reports/.sets/<project>/<kind>.current/<kind>.html``; ``<kind>.current`` is the one
link switched when a new report is complete, so the files of a report change together. The
portfolio's store is ``reports/.sets/`` itself. Each version also records the fingerprint of the
inputs it was made from (``fingerprint.json``, private: no link).
"""

from __future__ import annotations

from pathlib import Path

from evaluation.core import paths, settings
from evaluation.io.atomic import FileSet, temporary_path

__all__ = ["REPORT_SUFFIXES", "STORE", "FINGERPRINT_FILE", "report_files", "running_notebook_path", "shown_path"]

REPORT_SUFFIXES: tuple[str, ...] = (".ipynb", ".html", ".pdf", ".json", ".docx")
"""Every file a report may have (the executed notebook always, the others as its formats ask)."""

STORE = ".sets"
"""The hidden folder of the reports folder that holds the versions of every report's files."""

FINGERPRINT_FILE = "fingerprint.json"
"""The private file of a version: the fingerprint of the inputs it was made from."""


def _store(stem: Path) -> Path:
    folder = stem.parent.resolve()
    reports = paths.reports_dir().resolve()
    if folder.is_relative_to(reports):
        return reports / STORE / folder.relative_to(reports)
    return folder / STORE


def report_files(stem: Path) -> FileSet:
    """The files of the report ``stem`` (``<reports>/<project>/<kind>`` or ``<reports>/portfolio``) as one set."""
    return FileSet(stem, _store(stem), REPORT_SUFFIXES)


def running_notebook_path(stem: Path) -> Path:
    """Where papermill writes the notebook of a run in progress: a temporary file of the report's store
    (a leftover of a killed run is removed by the next run)."""
    files = report_files(stem)
    files.store.mkdir(parents=True, exist_ok=True)
    return temporary_path(files.store, stem.name, ".tmp.ipynb")


def shown_path(path: Path | str) -> str:
    """A path as the terminal and the outputs show it, never absolute: relative to the project home; in a
    reports folder outside the home, from that folder's name on (``out/nis60/final.html``); else its name."""
    given = Path(path).absolute()
    p = given.parent.resolve() / given.name  # a report's file is a link: show the link, not the version
    home = paths.home()
    if p.is_relative_to(home):
        return str(p.relative_to(home))
    reports = settings.current().reports.resolve()
    if p.is_relative_to(reports):
        return str(Path(reports.name) / p.relative_to(reports))
    return p.name
