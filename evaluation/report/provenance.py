"""Provenance of a report: which inputs, which parameters, which code and package versions.

Everything is deterministic (sorted, no timestamps), so the same inputs give the same
record byte for byte, and a changed input file shows up as a changed hash.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import tomllib
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from evaluation.core import fmt, paths
from evaluation.core.i18n import Language, text
from evaluation.io.limits import shown_path

PACKAGES: tuple[str, ...] = (
    "evaluation", "matplotlib", "nbconvert", "numpy", "pandas", "papermill", "statsmodels", "weasyprint",
)
"""Packages whose versions are recorded."""

UNKNOWN = "unknown"


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def _params_dict(params: Any) -> dict[str, Any]:
    if hasattr(params, "notebook_parameters"):
        return dict(params.notebook_parameters())
    if isinstance(params, Mapping):
        return {str(k): v for k, v in params.items()}
    raise TypeError(f"params must be ReportParams or a mapping (got {type(params).__name__})")


def params_sha256(params: Any) -> str:
    """Hex sha256 of the parameters as canonical JSON (sorted keys, dates as ISO strings)."""
    text = json.dumps(_params_dict(params), sort_keys=True, ensure_ascii=False, default=str,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _own_version() -> str:
    try:
        return metadata.version("evaluation")
    except metadata.PackageNotFoundError:
        pyproject = paths.PACKAGE_DIR.parent / "pyproject.toml"
        try:
            return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return UNKNOWN


def package_versions() -> dict[str, str]:
    """Installed versions of :data:`PACKAGES` (``unknown`` for one that is not installed)."""
    out: dict[str, str] = {}
    for name in PACKAGES:
        if name == "evaluation":
            out[name] = _own_version()
            continue
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = UNKNOWN
    return dict(sorted(out.items()))


def _git(args: list[str], cwd: Path) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=20,
                              check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def git_state(where: Path | None = None) -> dict[str, Any]:
    """``{"commit": sha or "unknown", "dirty": bool | None}`` of the checkout at ``where`` (default paths.home()).

    Outside git (or without commits) the commit is ``unknown`` and dirty is ``None``;
    never raises. Dirty means tracked files differ from the commit.
    """
    where = where or paths.home()
    commit = _git(["rev-parse", "--verify", "HEAD"], where)
    if not commit:
        return {"commit": UNKNOWN, "dirty": None}
    status = _git(["status", "--porcelain", "--untracked-files=no"], where)
    return {"commit": commit, "dirty": None if status is None else bool(status)}


OUTSIDE_HOME = "(outside the project home)"
"""What stands for the folders of an input that is not inside the project home."""


def _rel(path: Path) -> str:
    """``path`` relative to the project home as it was named (a symbolic link is not followed).

    No absolute path ever reaches a report: a file outside the home is shown by its name only.
    """
    shown = shown_path(path)
    return shown if not Path(shown).is_absolute() else f"{OUTSIDE_HOME}/{Path(path).name}"


def project_input_files(project: str) -> list[Path]:
    """Every (non-hidden) file under ``data/<project>/``, sorted."""
    root = paths.data_dir() / project
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts))


def provenance(
    input_files: Iterable[Path],
    params: Any,
    *,
    hashes: Mapping[str, str] | Iterable[tuple[str, str]] = (),
) -> dict[str, Any]:
    """Hashes of the inputs and parameters, package versions and the code's git commit.

    ``hashes`` are the files a reader parsed, each with the sha256 of the bytes it parsed
    (:attr:`Project.input_hashes <evaluation.core.model.Project.input_hashes>`): they are
    recorded as they are, never read again, so a file changed while a report ran shows the hash
    of what the figures come from. Other ``input_files`` (the notebook, files no reader parsed)
    are hashed now. When the data live apart from the code (``EVALUATION_HOME``), ``data``
    records the git state of that folder too.

    Input paths are relative to paths.home(), as named (a symbolic link is not followed); a
    missing file is recorded with hash ``missing``.
    """
    read = dict(hashes.items() if isinstance(hashes, Mapping) else hashes)
    files: dict[str, str] = {}
    for f in input_files:
        name = _rel(Path(f))
        if name not in read:
            files[name] = sha256_file(Path(f)) if Path(f).is_file() else "missing"
    files.update(read)
    record: dict[str, Any] = {
        "code": git_state(paths.PACKAGE_DIR.parent),
        "input_files": dict(sorted(files.items())),
        "packages": package_versions(),
        "params_sha256": params_sha256(params),
    }
    if paths.home() != paths.PACKAGE_DIR.parent:  # data kept apart from the code (EVALUATION_HOME)
        record["data"] = git_state(paths.home())
    return record


def provenance_table(prov: Mapping[str, Any], lang: Language) -> pd.DataFrame:
    """The provenance record as a two-column table (item, value) for the report's appendix.

    Hashes are shortened to 12 characters for reading; the JSON keeps them whole.
    """
    unknown = text(lang, "unknown")
    rows: list[tuple[str, str]] = []
    code = prov.get("code", {})
    commit = code.get("commit", UNKNOWN)
    rows.append((text(lang, "Code version (git)"), unknown if commit == UNKNOWN else commit[:12]))
    dirty = code.get("dirty")
    rows.append((text(lang, "Changed since that version"), unknown if dirty is None else fmt.yes_no(bool(dirty), lang)))
    if "data" in prov:
        data_commit = prov["data"].get("commit", UNKNOWN)
        rows.append((text(lang, "Data version (git)"), unknown if data_commit == UNKNOWN else data_commit[:12]))
    rows.append((text(lang, "Parameters (sha256)"), str(prov.get("params_sha256", ""))[:12]))
    for name, digest in sorted(prov.get("input_files", {}).items()):
        rows.append((text(lang, "Input file: {name}", name=name), str(digest)[:12]))
    for name, version in sorted(prov.get("packages", {}).items()):
        rows.append((text(lang, "Package: {name}", name=name), unknown if version == UNKNOWN else version))
    return pd.DataFrame(rows, columns=[text(lang, "Item"), text(lang, "Value")])
