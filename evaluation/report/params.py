"""Report parameters: read from ``params/<project>_<kind>.yaml`` and validated before any kernel starts.

The YAML keys are exactly the variables of the notebooks' ``parameters`` cell, so the same
file also works with ``papermill notebooks/final.ipynb out.ipynb -f params/nis60_final.yaml``;
the one exception is the optional ``reference_docx`` (the Word file whose styles the .docx
uses), a rendering option that is never passed to the notebook.
Every problem in a file (unknown, missing or mistyped parameter, a file name that does not
match, a project that does not exist) is collected and raised once as a
:class:`~evaluation.core.errors.ParameterError`, each naming the parameter and its line.
"""

from __future__ import annotations

import ast
import datetime as _dt
import re
import zipfile
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, field_validator

from evaluation.core import i18n, paths
from evaluation.core.errors import InputError, ParameterError, ProblemCollector
from evaluation.core.i18n import Language
from evaluation.io.limits import shown_path
from evaluation.io.yamlio import read_yaml

Kind = Literal["midterm", "final", "appraisal", "portfolio"]
Format = Literal["html", "pdf", "json", "docx"]

FORMATS: tuple[Format, ...] = ("html", "pdf", "json", "docx")
"""Every output format, in the order they are rendered."""

NOTEBOOK_SOURCE = "notebook parameters"
"""What messages call the parameters when they come from a notebook instead of a file."""

class _Nothing:
    """Stands for a parameter that is not there; shown as ``(got nothing)`` in messages."""

    def __repr__(self) -> str:
        return "nothing"


NOTHING = _Nothing()

SHOWN_CHARS = 200
"""How much of a wrong value a message shows."""


class _Shown:
    """A value as a message shows it: its repr, cut after :data:`SHOWN_CHARS` characters."""

    def __init__(self, value: object) -> None:
        self.value = value

    def text(self) -> str:
        full = self.value if isinstance(self.value, str) else repr(self.value)
        return full if len(full) <= SHOWN_CHARS else full[:SHOWN_CHARS] + f"... ({len(full)} characters)"

    def __repr__(self) -> str:
        shown = repr(self.value) if not isinstance(self.value, str) or len(self.value) <= SHOWN_CHARS else repr(self.text())
        return shown if len(shown) <= SHOWN_CHARS + 40 else shown[:SHOWN_CHARS] + f"... ({len(shown)} characters)"

    def __str__(self) -> str:
        return self.text()

    def __eq__(self, other: object) -> bool:
        return self.value == (other.value if isinstance(other, _Shown) else other)

    __hash__ = None  # type: ignore[assignment]

_PROJECT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

EXPECTATIONS: dict[str, str] = {
    "project": "a project id: letters, digits, '_', '-' or '.', naming a folder data/<id>/",
    "kind": "'midterm', 'final', 'appraisal' or 'portfolio'",
    "as_of": "an ISO date YYYY-MM-DD such as 2022-12-31",
    "language": "one of the report languages (see i18n.choices())",
    "formats": "a non-empty list drawn from html, pdf, json, docx",
    "small_cell_threshold": "a whole number >= 1",
    "reference_docx": "the path of an existing Word file (.docx) inside the project home (absolute or relative to it)",
    "region": "a region id naming a folder regions/<id>/ with region.yaml (required for kind 'portfolio')",
}
"""What each parameter must be, as written in error messages (``language``: :func:`expectation` lists the languages)."""


def expectation(field: str) -> str:
    """What parameter ``field`` must be: ``'sv' or 'en'`` for the language (every language with a catalogue)."""
    if field == "language":
        return i18n.choices()
    return EXPECTATIONS.get(field, "valid")


class ReportParams(BaseModel):
    """The parameters of one report run (immutable)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    project: str = Field(pattern=_PROJECT_RE.pattern)
    kind: Kind
    as_of: _dt.date
    language: Language = i18n.DEFAULT_LANGUAGE
    formats: tuple[Format, ...] = FORMATS
    small_cell_threshold: StrictInt = Field(default=5, ge=1)
    reference_docx: str | None = None
    region: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")
    """kind ``portfolio``: the region whose projects the report covers (``project`` then names the report)."""

    @field_validator("project", mode="before")
    @classmethod
    def _project_is_str(cls, v: object) -> object:
        if not isinstance(v, str):
            raise ValueError("not a string")
        return v

    @field_validator("kind", "language", mode="before")
    @classmethod
    def _literal_is_str(cls, v: object) -> object:
        if not isinstance(v, str):
            raise ValueError("not a string")
        return v

    @field_validator("language")
    @classmethod
    def _known_language(cls, v: str) -> str:
        if not i18n.is_language(v):
            raise ValueError("no catalogue for that language")
        return v

    @field_validator("as_of", mode="before")
    @classmethod
    def _iso_date(cls, v: object) -> _dt.date:
        if isinstance(v, _dt.datetime):
            raise ValueError("a date, not a date and time")
        if isinstance(v, _dt.date):
            return v
        if isinstance(v, str) and _DATE_RE.match(v):
            return _dt.date.fromisoformat(v)  # ValueError on 2022-13-45
        raise ValueError("not an ISO date")

    @field_validator("formats", mode="before")
    @classmethod
    def _formats(cls, v: object) -> tuple[str, ...]:
        if not isinstance(v, (list, tuple)) or not v:
            raise ValueError("not a non-empty list")
        if not all(isinstance(f, str) and f in FORMATS for f in v):
            raise ValueError("unknown format")
        return tuple(f for f in FORMATS if f in v)  # canonical order, no duplicates

    @field_validator("reference_docx", mode="before")
    @classmethod
    def _reference_docx(cls, v: object) -> object:
        if v is None:
            return v
        if not isinstance(v, str) or not v.strip() or not v.lower().endswith(".docx"):
            raise ValueError("not a .docx path")
        path = _resolve_home(v)
        if not path.resolve().is_relative_to(paths.home()):
            raise ValueError("outside the project home")
        if not path.is_file() or not zipfile.is_zipfile(path):
            raise ValueError("no such Word file")
        return v

    def reference_path(self) -> Path | None:
        """``reference_docx`` as a path (a relative one is taken from the project home), or None."""
        return _resolve_home(self.reference_docx) if self.reference_docx is not None else None

    def notebook_parameters(self) -> dict[str, Any]:
        """Plain JSON-able values for papermill (the date as an ISO string, formats as a list).

        ``reference_docx`` only styles the Word file and is not among them.
        """
        return {
            "project": self.project,
            "kind": self.kind,
            "as_of": self.as_of.isoformat(),
            "language": self.language,
            "formats": list(self.formats),
            "small_cell_threshold": self.small_cell_threshold,
            **({"region": self.region} if self.region is not None else {}),
        }

    def notebook_path(self) -> Path:
        """The notebook that produces this kind of report: ``notebooks/<kind>.ipynb``."""
        return paths.notebooks_dir() / f"{self.kind}.ipynb"

    def output_stem(self, reports_dir: Path | None = None) -> Path:
        """``<reports_dir>/<project>/<kind>``; add ``.html``, ``.pdf``, ``.json``, ``.docx``, ``.ipynb``."""
        base = Path(reports_dir) if reports_dir is not None else paths.reports_dir()
        return base / self.project / self.kind

    def with_formats(self, formats: tuple[str, ...] | list[str]) -> ReportParams:
        """A copy rendering only ``formats`` (validated like the file's ``formats``)."""
        data = self.notebook_parameters()
        data["formats"] = list(formats)
        if self.reference_docx is not None:
            data["reference_docx"] = self.reference_docx
        problems = ProblemCollector()
        result = _validate(data, "--formats", {}, problems, project_exists=None)
        problems.raise_if_any(ParameterError)
        assert result is not None
        return result


def _resolve_home(path: str) -> Path:
    """``path`` as given when absolute, else relative to the project home (never the current directory)."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else paths.home() / p


def default_project_exists(project: str) -> bool:
    """True when ``data/<project>/project.yaml`` is a file."""
    return (paths.data_dir() / project / "project.yaml").is_file()


def _validate(
    data: Mapping[str, Any],
    source: str,
    lines: Mapping[str, int],
    problems: ProblemCollector,
    project_exists: Callable[[str], bool] | None,
) -> ReportParams | None:
    """Validate ``data``; add one problem per bad field to ``problems``; the params if none."""
    start = len(problems.problems)
    known = set(ReportParams.model_fields)
    for key in data:
        if key not in known:
            problems.add(source, _Shown(key).text(), "a known parameter (" + ", ".join(sorted(known)) + ")",
                         _Shown(data[key]), lines.get(key))
    clean = {k: v for k, v in data.items() if k in known}
    try:
        params: ReportParams | None = ReportParams.model_validate(clean)
    except ValidationError as err:
        params = None
        seen: set[str] = set()
        for e in err.errors():
            field = str(e["loc"][0]) if e["loc"] else "(parameters)"
            if field in seen:
                continue
            seen.add(field)
            if e["type"] == "missing":
                problems.add(source, field, f"given: {expectation(field) if field in EXPECTATIONS else 'a value'}", NOTHING, None)
            else:
                problems.add(source, field, expectation(field), _Shown(clean.get(field)), lines.get(field))
    if params is not None and params.kind == "portfolio":  # a region's portfolio: project names the report
        if params.region is None or not (paths.regions_dir() / params.region / "region.yaml").is_file():
            problems.add(source, "region", expectation("region"), NOTHING if params.region is None else params.region,
                         lines.get("region"))
    elif params is not None and project_exists is not None and not project_exists(params.project):
        problems.add(source, "project", "an existing project with data/<id>/project.yaml",
                     params.project, lines.get("project"))
    if len(problems.problems) > start:
        return None
    return params


def parse_params(
    data: Mapping[str, Any],
    *,
    source: str = NOTEBOOK_SOURCE,
    lines: Mapping[str, int] | None = None,
    project_exists: Callable[[str], bool] | None = default_project_exists,
) -> ReportParams:
    """Validate a mapping of parameters; raise ParameterError naming every bad one."""
    problems = ProblemCollector()
    params = _validate(data, source, lines or {}, problems, project_exists)
    problems.raise_if_any(ParameterError)
    assert params is not None
    return params


def load_params(
    path: str | Path,
    *,
    project_exists: Callable[[str], bool] | None = default_project_exists,
) -> ReportParams:
    """Read and validate ``params/<project>_<kind>.yaml``.

    Raises :class:`ParameterError` naming every unknown, missing or mistyped parameter with
    its line, a file name that is not ``<project>_<kind>.yaml`` and a project that does not
    exist (``project_exists``; ``None`` skips that check).
    """
    path = Path(path)
    source = shown_path(path)
    problems = ProblemCollector()
    try:
        data, line_map = read_yaml(path, file=source)  # the one YAML reader, with its limits
    except InputError as err:
        raise ParameterError(err.problems) from None
    if not isinstance(data, dict):
        problems.add(source, "(file)", "a YAML mapping of parameter: value lines",
                     "an empty file" if data is None else _Shown(data))
        problems.raise_if_any(ParameterError)
        raise AssertionError("unreachable")
    lines = {str(key[0]): row for key, row in line_map.items() if len(key) == 1}
    data = {str(k): v for k, v in data.items()}

    params = _validate(data, source, lines, problems, project_exists)

    # The file name must be <project>_<kind>.yaml.
    project = data.get("project")
    kind = data.get("kind")
    stem, _, stem_kind = path.stem.rpartition("_")
    if not stem:
        stem, stem_kind = path.stem, ""
    if path.suffix != ".yaml":
        problems.add(source, "(file name)", "<project>_<kind>.yaml", path.name)
    if isinstance(project, str) and project != stem:
        problems.add(source, "project", f"{stem!r}, as in the file name {path.name} (<project>_<kind>.yaml)",
                     project, lines.get("project"))
    if isinstance(kind, str) and kind != stem_kind:
        problems.add(source, "kind", f"{stem_kind!r}, as in the file name {path.name} (<project>_<kind>.yaml)",
                     kind, lines.get("kind"))

    problems.raise_if_any(ParameterError)
    assert params is not None
    return params


def validate_notebook_parameters(
    *, project_exists: Callable[[str], bool] | None = default_project_exists, **kwargs: Any
) -> ReportParams:
    """Validate the variables of a notebook's ``parameters`` cell (call it in the next cell).

    A direct papermill run with wrong values then fails in the notebook with the same
    expectations as :func:`load_params` (the source is called "notebook parameters").
    """
    return parse_params(kwargs, source=NOTEBOOK_SOURCE, project_exists=project_exists)


# --------------------------------------------------------------------------- injected parameters

INJECTED_MARK = "# Parameters"
"""The first line of the cell papermill writes after the ``parameters`` cell (tagged ``injected-parameters``)."""

_ONLY_ASSIGNMENTS = "only 'name = value' lines naming known parameters, each value a plain text, number or list"


def check_injected_cell(source: str, known: Collection[str] | None = None) -> None:
    """Raise :class:`ParameterError` unless ``source`` is only ``name = literal`` lines with names in ``known``.

    ``known`` defaults to the parameters of a report (:class:`ReportParams`). Papermill writes
    every key of a parameter file as an assignment, so a key such as
    ``"__import__('os').system(...); x"`` would be code; such a cell is refused as a whole.
    """
    names = set(ReportParams.model_fields) if known is None else set(known)
    allowed = ", ".join(sorted(names))
    problems = ProblemCollector()
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        problems.add(NOTEBOOK_SOURCE, "parameters", f"{_ONLY_ASSIGNMENTS} ({allowed})",
                     _Shown((err.text or "").strip()), err.lineno)
        problems.raise_if_any(ParameterError)
        return
    lines = source.splitlines()
    for stmt in tree.body:
        line = _Shown(lines[stmt.lineno - 1].strip() if stmt.lineno <= len(lines) else "")
        target = stmt.targets[0] if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else None
        if not isinstance(stmt, ast.Assign) or not isinstance(target, ast.Name):
            problems.add(NOTEBOOK_SOURCE, "parameters", f"{_ONLY_ASSIGNMENTS} ({allowed})", line, stmt.lineno)
            continue
        if target.id not in names:
            problems.add(NOTEBOOK_SOURCE, target.id, f"a known parameter ({allowed})", line, stmt.lineno)
            continue
        try:
            ast.literal_eval(stmt.value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            problems.add(NOTEBOOK_SOURCE, target.id, "a plain value (text, number, list), never code", line, stmt.lineno)
    problems.raise_if_any(ParameterError)


def guard_parameters(*known: str, shell: Any = None) -> None:
    """Make the running IPython kernel refuse an injected parameters cell holding anything but known parameters.

    Call it in a notebook's first code cell, before the ``parameters`` cell: papermill puts the
    injected cell after that one, and whichever way the notebook is started (``evaluation report``,
    ``papermill ... -f params/x.yaml``, JupyterLab) the kernel then checks that cell with
    :func:`check_injected_cell` before running any of it; a refused cell is a ``ParameterError``
    and nothing of it runs. ``known`` are the notebook's parameter names (default: those of a
    report). Outside IPython it does nothing; calling it again replaces the earlier check.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython comes with every kernel
            return
        shell = get_ipython()
    if shell is None:
        return
    names = tuple(known) or None

    def refuse_code(lines: list[str]) -> list[str]:
        if lines and lines[0].strip() == INJECTED_MARK:
            check_injected_cell("".join(lines), names)
        return lines

    refuse_code.evaluation_guard = True  # type: ignore[attr-defined]
    cleanup = shell.input_transformers_cleanup
    cleanup[:] = [t for t in cleanup if not getattr(t, "evaluation_guard", False)]
    cleanup.insert(0, refuse_code)
