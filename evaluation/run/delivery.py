"""Delivered reports: kept as delivered, and verifiable byte for byte years later.

``evaluation deliver params/<project>_<kind>.yaml`` marks the current report of that parameter
file as delivered to the funder. It copies the report's files to
``deliveries/<project>/<kind>/`` under the project home (a folder to keep under version
control) with a ``manifest.json`` recording:

* the parameters and the as-of date;
* the sha256 of every delivered file;
* what the report was made from: the sha256 of every input file of ``data/<project>/``, the
  parameter file, the notebook, the package code (the fingerprint of
  :mod:`evaluation.run.fingerprint`);
* the versions of the packages that shape the outputs, and the code's git commit when the project
  home is a git working tree.

A report is delivered only when it is up to date with its inputs (its recorded fingerprint is the
current one), so the manifest describes the files it lists. ``evaluation report`` and ``batch``
never overwrite a delivered report: they say so and skip it, unless told ``--supersede``, which
makes a new report beside the delivered copy (delivering it again keeps the earlier delivery as
``deliveries/<project>/<kind>.superseded-<n>/``).

``evaluation verify <report>`` re-runs a report from its recorded parameters into a scratch
folder and compares every file byte for byte with the delivered (or current) one, naming what
differs and what changed since: an input whose hash changed, the code, the notebook, a package
version, the commit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from evaluation.core import paths
from evaluation.core.errors import DeliveredReportError, InputError, Problem
from evaluation.io.atomic import write_atomically
from evaluation.report.params import ReportParams, load_params
from evaluation.report.provenance import sha256_file
from evaluation.run.files import shown_path
from evaluation.run.fingerprint import code_fingerprint, recorded_fingerprint, report_fingerprint

__all__ = [
    "DELIVERIES",
    "MANIFEST",
    "DeliveredReportError",
    "Delivery",
    "deliver",
    "delivered",
    "delivery_dir",
    "packages",
    "commit",
    "refuse_overwrite",
    "report_stem",
    "skip_reason",
]

DELIVERIES = "deliveries"
"""The folder of the project home holding delivered reports: ``deliveries/<project>/<kind>/``."""

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1

PACKAGES: tuple[str, ...] = (
    "matplotlib", "numpy", "pandas", "scipy", "statsmodels", "pyfixest", "differences", "nbconvert", "nbformat",
    "papermill", "weasyprint", "python-docx", "babel", "pyyaml", "pydantic", "openpyxl", "pypdf",
)
"""Packages whose version may change a report's bytes (recorded in the manifest)."""


@dataclass(frozen=True)
class Delivery:
    """A delivered report: its folder and manifest."""

    folder: Path
    manifest: dict[str, Any]

    @property
    def files(self) -> dict[str, str]:
        """Delivered file name -> sha256."""
        return dict(self.manifest.get("files", {}))

    @property
    def delivered_at(self) -> str:
        return str(self.manifest.get("delivered_at", ""))


def delivery_dir(project: str, kind: str) -> Path:
    return paths.home() / DELIVERIES / project / kind


def delivered(project: str, kind: str) -> Delivery | None:
    """The delivery of ``project``'s ``kind`` report, or None when it was never delivered."""
    folder = delivery_dir(project, kind)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Delivery(folder, manifest) if isinstance(manifest, dict) else None


def refuse_overwrite(params: ReportParams, supersede: bool) -> None:
    """Raise :class:`DeliveredReportError` when ``params``' report is delivered and ``supersede`` is not given."""
    done = None if supersede or params.kind == "portfolio" else delivered(params.project, params.kind)
    if done is not None:
        raise DeliveredReportError(skip_reason(done))


def skip_reason(done: Delivery) -> str:
    return (f"delivered on {done.delivered_at[:10]} ({shown_path(done.folder / MANIFEST)}); not overwritten "
            "(--supersede makes a new version beside the delivered one)")


def packages() -> dict[str, str]:
    out = {}
    for name in (*PACKAGES, "evaluation"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def commit(home: Path) -> str | None:
    """The commit of the git working tree at ``home`` (read from .git, no git needed), or None."""
    git = home / ".git"
    try:
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        ref_file = git / ref
        if ref_file.is_file():
            return ref_file.read_text(encoding="utf-8").strip()
        for line in (git / "packed-refs").read_text(encoding="utf-8").splitlines():
            if line.endswith(" " + ref):
                return line.split(" ", 1)[0]
    except OSError:
        return None
    return None


def report_stem(params: ReportParams) -> Path:
    """Where the report of ``params`` is: ``<reports>/<project>/<kind>``."""
    return paths.reports_dir() / params.project / params.kind


def deliver(params_file: Path | str, *, supersede: bool = False) -> Delivery:
    """Mark the current report of ``params_file`` delivered: copy its files and write the manifest."""
    params_file = Path(params_file)
    params = load_params(params_file)
    shown = shown_path(params_file)
    stem = report_stem(params)
    current = report_fingerprint(params_file.resolve(), params.project, params.kind, code=code_fingerprint(),
                                 reference_docx=params.reference_path())
    names = [f"{params.kind}.ipynb", *(f"{params.kind}.{f}" for f in params.formats)]
    missing = [n for n in names if not (stem.parent / n).is_file()]
    if missing:
        raise InputError([Problem(shown, "report", "a report made before it is delivered (run evaluation report first)",
                                  "no " + ", ".join(missing))])
    if recorded_fingerprint(stem) != current["fingerprint"]:
        raise InputError([Problem(shown, "report", "up to date with its inputs before it is delivered (run evaluation "
                                  "report again: data, parameters, notebook or code changed since it was made)",
                                  "an out-of-date report")])
    target = delivery_dir(params.project, params.kind)
    earlier = delivered(params.project, params.kind)
    if earlier is not None and not supersede:
        raise DeliveredReportError(f"{params.project} {params.kind}: already {skip_reason(earlier)}")
    files = {n: (stem.parent / n).read_bytes() for n in names}
    manifest = {
        "version": MANIFEST_VERSION,
        "project": params.project,
        "kind": params.kind,
        "params_file": shown,
        "params": params.model_dump(mode="json"),
        "files": {n: sha256_file(stem.parent / n) for n in names},
        "made_from": current["components"],
        "fingerprint": current["fingerprint"],
        "packages": packages(),
        "commit": commit(paths.home()),
        "delivered_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }
    if earlier is not None:
        n = 1
        while (target.parent / f"{params.kind}.superseded-{n}").exists():
            n += 1
        earlier.folder.rename(target.parent / f"{params.kind}.superseded-{n}")
    payload = {target / n: data for n, data in files.items()}
    payload[target / MANIFEST] = (json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    write_atomically(payload)
    return Delivery(target, manifest)
