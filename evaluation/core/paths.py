"""Where things live. Resolved from the package, never from the current directory.

The project home (the folder holding ``data/``, ``params/``, ``notebooks/`` and
``reports/``) is the repository the package was installed from (editable install), or the
folder named by the environment variable ``EVALUATION_HOME``.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def home() -> Path:
    """The project home: ``$EVALUATION_HOME`` if set, else the repository holding the package."""
    env = os.environ.get("EVALUATION_HOME")
    if env:
        return Path(env).resolve()
    return PACKAGE_DIR.parent


def data_dir() -> Path:
    return home() / "data"


def params_dir() -> Path:
    return home() / "params"


def notebooks_dir() -> Path:
    return home() / "notebooks"


def reports_dir() -> Path:
    return home() / "reports"


def templates_dir() -> Path:
    return PACKAGE_DIR / "templates"


def display_path(path: Path | str) -> str:
    """A path as shown in messages: relative to the project home when inside it."""
    p = Path(path).resolve()
    try:
        return str(p.relative_to(home()))
    except ValueError:
        return str(p)
