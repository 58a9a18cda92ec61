"""``evaluation verify <report>``: re-run a report from its recorded inputs and compare it byte for byte.

The report is re-run from the parameters recorded at delivery (``deliveries/<project>/<kind>/manifest.json``,
:mod:`evaluation.run.delivery`), or for a report never delivered from its parameter file, into a scratch
folder; every file is compared with the delivered (or current) one by sha256, and what changed since the
report was made is named: an input file whose hash changed, the parameter file, the notebook, the package
code, a package version, the code's git commit.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluation.core import paths
from evaluation.core.errors import InputError, Problem
from evaluation.report.params import ReportParams, load_params
from evaluation.report.provenance import sha256_file
from evaluation.run import delivery
from evaluation.run.delivery import delivered
from evaluation.run.files import FINGERPRINT_FILE, report_files, shown_path
from evaluation.run.fingerprint import code_fingerprint, report_fingerprint
from evaluation.run.report import run_report

__all__ = ["Verification", "verify"]


@dataclass(frozen=True)
class Verification:
    """The outcome of :func:`verify`: per file whether it matches, and what changed since the report was made."""

    project: str
    kind: str
    matches: dict[str, bool]
    changes: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return bool(self.matches) and all(self.matches.values())

    def lines(self) -> list[str]:
        out = [f"{name}: {'matches' if same else 'differs'}" for name, same in sorted(self.matches.items())]
        out += [f"changed since: {c}" for c in self.changes]
        verdict = "every file matches byte for byte" if self.ok else "the re-run does not reproduce the report"
        return [*out, f"{self.project} {self.kind}: {verdict}"]


def _recorded(params: ReportParams) -> tuple[dict[str, str], dict[str, Any], dict[str, str], str | None]:
    """(file -> sha256, fingerprint components, packages, commit) of the delivered report, else of the current one."""
    done = delivered(params.project, params.kind)
    if done is not None:
        m = done.manifest
        return done.files, dict(m.get("made_from", {})), dict(m.get("packages", {})), m.get("commit")
    stem = delivery.report_stem(params)
    names = [f"{params.kind}.ipynb", *(f"{params.kind}.{f}" for f in params.formats)]
    files = {n: sha256_file(stem.parent / n) for n in names if (stem.parent / n).is_file()}
    raw = report_files(stem).read_private(FINGERPRINT_FILE)
    components = json.loads(raw.decode("utf-8")).get("components", {}) if raw else {}
    return files, components, {}, None


def _changes(recorded: dict[str, Any], now: dict[str, Any], packages: dict[str, str], commit: str | None,
             project: str) -> list[str]:
    out: list[str] = []
    was, is_ = recorded.get("inputs", {}), now.get("inputs", {})
    for name in sorted(set(was) | set(is_)):
        if name not in is_:
            out.append(f"input removed: data/{project}/{name}")
        elif name not in was:
            out.append(f"input added: data/{project}/{name}")
        elif was[name] != is_[name]:
            out.append(f"input changed: data/{project}/{name}")
    for key, label in (("params_file", "the parameter file"), ("notebook", "the notebook"), ("code", "the package code")):
        if key in recorded and recorded[key] != now.get(key):
            out.append(f"{label} changed")
    current = delivery.packages()
    for name, version in sorted(packages.items()):
        if current.get(name) != version:
            out.append(f"package version: {name} {version} -> {current.get(name, 'not installed')}")
    now_commit = delivery.commit(paths.home())
    if commit is not None and now_commit != commit:
        out.append(f"code commit: {commit[:12]} -> {(now_commit or 'unknown')[:12]}")
    return out


def verify(report: Path | str) -> Verification:
    """Re-run ``report`` (a parameter file, or ``reports/<project>/<kind>``[.ext]) from its recorded parameters into a
    scratch folder and compare every file byte for byte with the delivered (or current) report."""
    params_file, params = _locate(Path(report))
    files, recorded, versions, made_at = _recorded(params)
    if not files:
        raise InputError([Problem(shown_path(report), "report", "a report that exists (run evaluation report first)",
                                  "no report files")])
    now = report_fingerprint(params_file.resolve(), params.project, params.kind, code=code_fingerprint(),
                             reference_docx=params.reference_path())["components"]
    with tempfile.TemporaryDirectory(prefix="evaluation-verify-") as tmp:
        scratch = Path(tmp) / "reports"
        run_report(params, reports_dir=scratch, params_file=params_file, supersede=True)
        out = scratch / params.project
        matches = {n: (out / n).is_file() and sha256_file(out / n) == digest for n, digest in files.items()}
    return Verification(params.project, params.kind, matches, tuple(_changes(recorded, now, versions, made_at, params.project)))


def _locate(report: Path) -> tuple[Path, ReportParams]:
    """The parameter file and parameters of ``report``: a parameter file, or a report path (params/<project>_<kind>.yaml)."""
    if report.suffix in (".yaml", ".yml") and report.is_file():
        return report, load_params(report)
    stem = report.with_suffix("") if report.suffix in (".html", ".pdf", ".json", ".docx", ".ipynb") else report
    project, kind = stem.parent.name, stem.name
    done = delivered(project, kind)
    candidate = paths.home() / (done.manifest["params_file"] if done is not None else f"params/{project}_{kind}.yaml")
    if not candidate.is_file():
        raise InputError([Problem(shown_path(report), "report", "a parameter file or a report reports/<project>/<kind>",
                                  str(report))])
    params = load_params(candidate)
    if done is not None:  # the parameters recorded at delivery, whatever the file says today
        params = ReportParams.model_validate(done.manifest["params"])
    return candidate, params

