"""Fingerprints: what a report's outputs depend on, so that a batch can skip the unchanged ones.

A report is skipped when the sha256 over its inputs (every file of ``data/<project>/``, the
parameter file, ``notebooks/<kind>.ipynb``, the package code and templates, the Word reference
document) equals the one recorded with the report's files by the run that wrote them
(:func:`recorded_fingerprint`: every ``evaluation report`` records it, not only a batch, so a
report made by hand from other data is never taken for unchanged), and all its outputs are
still there. The portfolio has its own fingerprint over the projects of the batch.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evaluation.core import paths
from evaluation.report.provenance import sha256_file
from evaluation.run.files import FINGERPRINT_FILE, report_files

__all__ = [
    "FINGERPRINT_VERSION",
    "code_fingerprint",
    "report_fingerprint",
    "portfolio_fingerprint",
    "fingerprint_path",
    "read_fingerprint",
    "write_fingerprint",
    "fingerprint_bytes",
    "recorded_fingerprint",
]

FINGERPRINT_VERSION = 1


def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()



def _tree_hashes(root: Path, suffixes: tuple[str, ...] | None = None) -> dict[str, str]:
    """``{relative path: sha256}`` of the regular files under ``root`` (no __pycache__)."""
    out: dict[str, str] = {}
    if not root.is_dir():
        return out
    for p in sorted(root.rglob("*")):
        if not p.is_file() or "__pycache__" in p.parts:
            continue
        if suffixes is not None and p.suffix not in suffixes:
            continue
        out[p.relative_to(root).as_posix()] = sha256_file(p)
    return out


def code_fingerprint(package_dir: Path | None = None) -> str:
    """sha256 over the package's code and templates (``evaluation/**/*.py`` and ``templates/**``).

    ``package_dir`` defaults to the installed package (its ``templates/`` folder included).
    """
    root = Path(package_dir) if package_dir is not None else paths.PACKAGE_DIR
    parts = {"py": _tree_hashes(root, (".py",)), "templates": _tree_hashes(root / "templates")}
    return _sha256_bytes(json.dumps(parts, sort_keys=True).encode("utf-8"))


def report_fingerprint(
    params_file: Path, project: str, kind: str, *, code: str | None = None, data_dir: Path | None = None,
    reference_docx: Path | None = None,
) -> dict[str, Any]:
    """What a report's outputs depend on: every file of ``data/<project>/``, the params file,
    ``notebooks/<kind>.ipynb``, the package code and the Word reference document if there is one.
    ``fingerprint`` hashes the rest."""
    folder = (data_dir or paths.data_dir()) / project
    notebook = paths.notebooks_dir() / f"{kind}.ipynb"
    components = {
        "version": FINGERPRINT_VERSION,
        "code": code if code is not None else code_fingerprint(),
        "params_file": sha256_file(params_file) if params_file.is_file() else "missing",
        "notebook": sha256_file(notebook) if notebook.is_file() else "missing",
        "inputs": _tree_hashes(folder) if kind != "portfolio" else {  # a region's portfolio: every project, the regions
            "data": _tree_hashes(data_dir or paths.data_dir()), "regions": _tree_hashes(paths.regions_dir())},
    }
    if reference_docx is not None:
        components["reference_docx"] = sha256_file(reference_docx) if reference_docx.is_file() else "missing"
    regions = _tree_hashes(paths.regions_dir())
    if regions and kind != "portfolio":  # a project's RUS goals and co-financing keys are checked against its region
        components["regions"] = regions
    digest = _sha256_bytes(json.dumps(components, sort_keys=True).encode("utf-8"))
    return {"fingerprint": digest, "components": components}



def portfolio_fingerprint(
    notebook: Path, projects: Sequence[str], as_of: str, language: str, formats: Sequence[str], *, code: str,
) -> dict[str, Any]:
    """What the portfolio depends on: its notebook, its parameters, every file of each project's
    ``data/<project>/`` and the package code. ``fingerprint`` hashes the rest."""
    components = {
        "version": FINGERPRINT_VERSION,
        "code": code,
        "notebook": sha256_file(notebook) if notebook.is_file() else "missing",
        "params": {"projects": list(projects), "as_of": as_of, "language": language, "formats": list(formats)},
        "inputs": {pid: _tree_hashes(paths.data_dir() / pid) for pid in projects},
    }
    return {"fingerprint": _sha256_bytes(json.dumps(components, sort_keys=True).encode("utf-8")),
            "components": components}


def fingerprint_path(stem: Path) -> Path:
    """Where the fingerprint of the report ``stem`` (``reports/<project>/<kind>``) is recorded."""
    return stem.parent / f"{stem.name}.fingerprint.json"


def read_fingerprint(path: Path) -> str | None:
    """The fingerprint recorded at ``path``; None when there is none (or it cannot be read)."""
    try:
        value = json.loads(path.read_text(encoding="utf-8")).get("fingerprint")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def write_fingerprint(path: Path, record: dict[str, Any]) -> None:
    """Record ``record`` (fingerprint and components) at ``path``, replacing it atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    tmp.write_text(json.dumps(record, sort_keys=True, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def fingerprint_bytes(record: dict[str, Any]) -> bytes:
    """``record`` (fingerprint and components) as the bytes a report's set records."""
    return (json.dumps(record, sort_keys=True, indent=2) + "\n").encode("utf-8")


def recorded_fingerprint(stem: Path) -> str | None:
    """The fingerprint of the inputs the current report ``stem`` was made from (recorded with its
    files by the run that wrote them, ``evaluation report`` or a batch); None when there is none."""
    data = report_files(stem).read_private(FINGERPRINT_FILE)
    if data is None:
        return None
    try:
        value = json.loads(data.decode("utf-8")).get("fingerprint")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None
