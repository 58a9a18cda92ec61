"""Where things live. Resolved from the current settings, never from the current directory.

The project home (the folder holding ``data/``, ``params/``, ``notebooks/`` and
``reports/``) is :attr:`Settings.home <evaluation.core.settings.Settings.home>` of
:func:`evaluation.core.settings.current`: the repository the package was installed from
(editable install), or the folder an entry point read from ``EVALUATION_HOME``. This module
never reads the environment itself.
"""

from __future__ import annotations

from pathlib import Path

from evaluation.core import settings

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def home() -> Path:
    """The project home of the current settings."""
    return settings.current().home


def data_dir() -> Path:
    return home() / "data"


def regions_dir() -> Path:
    """The regions folder: ``regions/<id>/region.yaml`` (a region's strategy and programmes)."""
    return home() / "regions"


def params_dir() -> Path:
    return home() / "params"


def notebooks_dir() -> Path:
    return home() / "notebooks"


def reports_dir() -> Path:
    """The reports folder of the current settings (``reports/`` in the home unless they name another)."""
    return settings.current().reports


def templates_dir() -> Path:
    return PACKAGE_DIR / "templates"


def display_path(path: Path | str) -> str:
    """A path as shown in messages: relative to the project home when inside it."""
    p = Path(path).resolve()
    try:
        return str(p.relative_to(home()))
    except ValueError:
        return str(p)
