"""Load a project folder into the model, validating everything on the way in.

A project folder (``data/<id>/``) holds ``project.yaml`` and optional tables, each as
``<name>.csv`` or ``<name>.xlsx``: ``indicator_values``, ``costs``, ``activities``,
``funnel``, ``firms``, ``participation``, ``survey``, ``survey_invited`` and ``financing``
(the financiers, when project.yaml lists none). The README documents every key and
column. All problems in all files are collected and raised once as an
:class:`~evaluation.core.errors.InputError`.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, get_args

import pandas as pd
from pydantic import ValidationError

from evaluation.core import paths
from evaluation.core.errors import InputError, Problem, ProblemCollector, ProjectNotFoundError
from evaluation.core.model import (
    PERCENT_UNITS,
    ActivityRecord,
    Budget,
    CostLine,
    EffectChain,
    EffectLink,
    EffectNode,
    Financier,
    FinancierKind,
    FunnelStage,
    GoalNode,
    GoalTree,
    HorizontalCriterion,
    Indicator,
    KeyPerson,
    Measurement,
    Payment,
    Project,
    Source,
    WorkPackage,
)
from evaluation.io import assessments, columnar, firm_aggregates, qualitative
from evaluation.io.limits import shown_path
from evaluation.io.region import check_project_links, cofinancing_keys, regions_root
from evaluation.io.schema import ProjectIn, pydantic_problems
from evaluation.io.table_rules import check_table_files, check_table_rules, check_unique_firm_years
from evaluation.io.tables import (
    Column,
    choice,
    find_table,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    read_table_lazy,
)
from evaluation.io.yamlio import LinePath, line_of, read_yaml

DATA_STATUS = choice("published", "illustrative", "estimated")

INDICATOR_VALUE_COLUMNS = (
    Column("indicator", allow_empty=False),
    Column("period_end", parse_date, allow_empty=False),
    Column("value", parse_float),
    Column("status", choice("preliminary", "verified", "not_reported"), allow_empty=False),
    Column("source", allow_empty=False),
    Column("data_status", DATA_STATUS, required=False, default="published"),
    Column("period_start", parse_date, required=False),
    *(Column(name, parse_float, required=False) for name in ("women", "men", "non_binary")),
    *(Column(name, parse_float, required=False) for name in ("micro", "small", "medium", "large")),
    Column("note", required=False, default=""),
    Column("numerator", parse_float, required=False),
    Column("denominator", parse_float, required=False),
)
COST_COLUMNS = (
    Column("category", allow_empty=False),
    Column("budget", parse_float),
    Column("outcome", parse_float),
    Column("work_package", required=False),
    Column("data_status", DATA_STATUS, required=False, default="published"),
    Column("period_end", parse_date, required=False),
)
ACTIVITY_COLUMNS = (
    Column("activity", allow_empty=False),
    Column("period_end", parse_date, allow_empty=False),
    Column("count", parse_float),
    Column("participants", parse_float, required=False),
    Column("women", parse_float, required=False),
    Column("men", parse_float, required=False),
    Column("non_binary", parse_float, required=False),
    Column("period_start", parse_date, required=False),
    Column("description", required=False, default=""),
    Column("data_status", DATA_STATUS, required=False, default="published"),
    Column("source", required=False, default=""),
)
FUNNEL_COLUMNS = (
    Column("order", parse_int, allow_empty=False),
    Column("stage", allow_empty=False),
    Column("count", parse_float),
    Column("data_status", DATA_STATUS, required=False, default="published"),
)
FIRM_COLUMNS = (
    Column("firm_id", allow_empty=False),
    Column("name", required=False, default=""),
    Column("year", parse_int, allow_empty=False),
    Column("period_label", required=False, default=""),
    Column("employees", parse_float),
    Column("turnover", parse_float, required=False),
    Column("value_added", parse_float, required=False),
    Column("participant", parse_bool, allow_empty=False),
    Column("participation_start", parse_int, required=False),
    Column("women_led", parse_bool, required=False),
    Column("published_change", parse_float, required=False),
    Column("data_status", DATA_STATUS, required=False, default="published"),
    # register columns, checked by evaluation.analysis.firms.validate_register_columns (analysis layer)
    Column("org_nr", required=False),
    Column("sni", required=False),
    Column("size_class", required=False),
    Column("municipality", required=False),
    Column("applicant", parse_bool, required=False),
)


def _answer(text: str) -> int | str:
    t = text.strip()
    return int(t) if t.isdigit() else t


PARTICIPATION_COLUMNS = (
    Column("activity", allow_empty=False),
    Column("firm_id", allow_empty=False),
    Column("period_end", parse_date, required=False),
    Column("data_status", DATA_STATUS, required=False, default="published"),
)
SURVEY_COLUMNS = (
    Column("wave", allow_empty=False),
    Column("respondent", allow_empty=False),
    Column("item", allow_empty=False),
    Column("answer", _answer),
    Column("group", required=False),
    Column("data_status", DATA_STATUS, required=False, default="published"),
)
INVITED_COLUMNS = (
    Column("wave", allow_empty=False),
    Column("invited", parse_int, allow_empty=False),
    Column("date", parse_date, required=False),
)
FINANCING_COLUMNS = (
    Column("name", allow_empty=False),
    Column("kind", choice(*get_args(FinancierKind)), allow_empty=False),
    Column("amount", parse_float),
    Column("in_kind", parse_bool, required=False, default=False),
    Column("data_status", DATA_STATUS, required=False, default="published"),
    Column("note", required=False, default=""),
    Column("basis", choice("decided", "outcome"), required=False, default="decided"),
)
PAYMENT_COLUMNS = (
    Column("date", parse_date, allow_empty=False),
    Column("financier", allow_empty=False),
    Column("amount", parse_float, allow_empty=False),
    Column("source", required=False, default=""),
    Column("data_status", DATA_STATUS, required=False, default="published"),
    Column("note", required=False, default=""),
)


def available_projects(data_dir: Path | None = None) -> tuple[str, ...]:
    """Ids of the project folders under ``data_dir`` (those holding a project.yaml)."""
    root = data_dir or paths.data_dir()
    if not root.is_dir():
        return ()
    return tuple(sorted(p.name for p in root.iterdir() if (p / "project.yaml").is_file()))


def project_folder(project: str | Path, data_dir: Path | None = None) -> Path:
    """The folder of a project given by id (``nis60``) or by path."""
    as_path = isinstance(project, Path) or Path(project).is_absolute() or "/" in str(project) or "\\" in str(project)
    if as_path:
        candidate = Path(project)
        if (candidate / "project.yaml").is_file():
            return candidate.resolve()
    root = data_dir or paths.data_dir()
    folder = root / str(project)
    if (folder / "project.yaml").is_file():
        resolved = folder.resolve()
        if not resolved.is_relative_to(root.resolve()) or not (resolved / "project.yaml").resolve().is_relative_to(resolved):
            # a project given by id stays inside the data folder (no '..', no symlink out of it)
            raise ProjectNotFoundError([Problem(paths.display_path(root), "project",
                                                "a project folder inside the data folder (not a link to elsewhere)", str(project))])
        return resolved
    known = ", ".join(available_projects(root)) or "none"
    raise ProjectNotFoundError(
        [Problem(paths.display_path(root), "project", f"the id of a folder holding project.yaml (known: {known})", str(project))]
    )


def load_project(project: str | Path, *, data_dir: Path | None = None) -> Project:
    """Load and validate a project by id or folder; raise :class:`InputError` listing every problem."""
    folder = project_folder(project, data_dir)
    yaml_path = folder / "project.yaml"
    shown = shown_path(yaml_path)
    problems = ProblemCollector()
    digests: dict[str, str] = {}  # every file read -> sha256 of the bytes parsed (the provenance shows these)
    data, lines = read_yaml(yaml_path, digests=digests, file=shown)
    spec: ProjectIn | None = None
    if not isinstance(data, dict):
        found = "an empty file" if data is None else type(data).__name__
        problems.add(shown, "document", "a mapping of keys", found, row=1)
    else:
        try:
            spec = ProjectIn.model_validate(data)
        except ValidationError as exc:
            problems.extend(pydantic_problems(exc, shown, lines))
    if spec is not None:
        _check_references(spec, folder, shown, lines, problems)
        check_project_links(spec, shown, lines, problems, regions_root(data_dir), digests)  # region, RUS goal ids, co-financing keys

    tables = _read_tables(folder, problems, digests)
    qualitative_tables = qualitative.read(folder, problems, digests)  # dissemination, interviews, excerpts, themes
    qualitative.check(qualitative_tables, problems)
    check_table_rules(spec.indicators if spec is not None else (), tables, problems)  # the tables' schemas (io/table_schemas)
    _check_financing(spec, tables, problems)
    if spec is not None:
        _check_table_references(spec, tables, problems)
        _check_ratio_parts(spec, tables, problems)
    aggregates = firm_aggregates.read_project_aggregates(folder, spec, bool(_rows(tables, "firms")), problems, digests)
    problems.raise_if_any(InputError)
    assert spec is not None
    built = replace(_build(spec, folder, tables, tuple(sorted(digests.items()))), firm_aggregates=aggregates)
    loaded = qualitative.with_tables(built, qualitative_tables)  # dissemination, interviews, excerpts, themes
    return assessments.with_assessments(loaded)  # data/<id>/assessments/<kind>.yaml, checked against the project


def _check_references(spec: ProjectIn, folder: Path, file: str, lines: dict[LinePath, int], problems: ProblemCollector) -> None:
    def add(loc: tuple[Any, ...], expectation: str, got: object) -> None:
        from evaluation.io.yamlio import field_name

        problems.add(file, field_name(loc), expectation, got, row=line_of(lines, loc))

    if spec.id != folder.name:
        add(("id",), f"the folder's name '{folder.name}'", spec.id)
    if spec.end < spec.start:
        add(("end",), f"on or after the start date {spec.start.isoformat()}", spec.end.isoformat())
    goal_ids = [g.id for g in spec.goal_tree]
    effect_ids = [n.id for n in spec.effect_logic.nodes]
    wp_ids = {w.id for w in spec.work_packages}

    def unique(where: list[tuple[tuple[Any, ...], str]], among: str) -> None:
        """Each repeated id at its own line, naming where it was first given."""
        from evaluation.io.yamlio import field_name

        first: dict[str, tuple[Any, ...]] = {}
        for loc, ident in where:
            if ident in first:
                was = first[ident]
                add((*loc, "id"), f"an id not used before in {among} "
                                  f"({field_name((*was, 'id'))} on row {line_of(lines, (*was, 'id'))} has it)", ident)
            else:
                first[ident] = loc

    unique([(("goal_tree", i), g) for i, g in enumerate(goal_ids)]
           + [(("effect_logic", "nodes", i), n) for i, n in enumerate(effect_ids)], "the goal tree or effect logic")
    unique([(("indicators", i), ind.id) for i, ind in enumerate(spec.indicators)], "the indicators")
    unique([(("work_packages", i), w.id) for i, w in enumerate(spec.work_packages)], "the work packages")
    goal_set = set(goal_ids)
    effect_set = set(effect_ids)
    for i, goal in enumerate(spec.goal_tree):
        if goal.parent is not None and goal.parent not in goal_set:
            add(("goal_tree", i, "parent"), "the id of a goal-tree node", goal.parent)
        if goal.work_package is not None and goal.work_package not in wp_ids:
            add(("goal_tree", i, "work_package"), "the id of a work package", goal.work_package)
    for i, node in enumerate(spec.effect_logic.nodes):
        for goal_id in node.goals:
            if goal_id not in goal_set:
                add(("effect_logic", "nodes", i, "goals"), "ids of goal-tree nodes", goal_id)
    for i, link in enumerate(spec.effect_logic.links):
        for end, name in ((link.source, "from"), (link.target, "to")):
            if end not in effect_set:
                add(("effect_logic", "links", i, name), "the id of an effect-logic node", end)
    indicator_ids = {ind.id for ind in spec.indicators}
    for i, ind in enumerate(spec.indicators):
        for measured in ind.measures:
            if measured not in goal_set and measured not in effect_set:
                add(("indicators", i, "measures"), "ids of goal-tree or effect-logic nodes", measured)
        if ind.target.value is not None and ind.target.date is None:  # attainment needs the date
            add(("indicators", i, "target", "date"), "present when a target value is given", None)
        if ind.target.date is not None and ind.baseline.date is not None and ind.target.date < ind.baseline.date:
            add(("indicators", i, "target", "date"), f"on or after the baseline date {ind.baseline.date.isoformat()}",
                ind.target.date.isoformat())
    for i, crit in enumerate(spec.horizontal):
        for ind_id in crit.indicators:
            if ind_id not in indicator_ids:
                add(("horizontal", i, "indicators"), "ids of indicators", ind_id)
    from evaluation.core.rulebook import validate_names

    for name in validate_names(spec.rules):
        add(("rules", name), "the name of a check (evaluation rules lists them)", name)


_Tables = dict[str, tuple[Path, Sequence[dict[str, Any]]]]
"""Table name -> (its file, its rows: a list, or a :class:`~evaluation.io.columnar.Rows` keeping the columns; never changed)."""


def _read_tables(folder: Path, problems: ProblemCollector,
                 digests: dict[str, str] | None = None) -> _Tables:
    specs = {
        "indicator_values": INDICATOR_VALUE_COLUMNS,
        "costs": COST_COLUMNS,
        "activities": ACTIVITY_COLUMNS,
        "funnel": FUNNEL_COLUMNS,
        "firms": FIRM_COLUMNS,
        "participation": PARTICIPATION_COLUMNS,
        "survey": SURVEY_COLUMNS,
        "survey_invited": INVITED_COLUMNS,
        "financing": FINANCING_COLUMNS,
        "payments": PAYMENT_COLUMNS,
    }
    out: _Tables = {}
    check_table_files(folder, (*specs, *qualitative.TABLES), problems)
    for name, columns in specs.items():
        path = find_table(folder, name)
        if path is not None:
            out[name] = (path, read_table_lazy(path, columns, problems, digests=digests))
    if "indicator_values" in out:
        path, rows = out["indicator_values"]
        shown = shown_path(path)
        for row in rows:
            if row["_failed"] & {"value", "status"}:
                continue
            parts = row.get("numerator") is not None and row.get("denominator") is not None
            if row["value"] is None and row["status"] not in (None, "not_reported") and not parts:
                problems.add(shown, "status", "not_reported when the value is empty", row["status"], row=row["_row"])
            if row["value"] is not None and row["status"] == "not_reported":
                problems.add(shown, "value", "empty when the status is not_reported", row["value"], row=row["_row"])
    if "firms" in out:
        check_unique_firm_years(*out["firms"], problems)
    if "survey" in out and "survey_invited" not in out:
        problems.add(shown_path(folder), "survey_invited", "a table of invited respondents per wave next to survey", "missing")
    return out


def _check_table_references(spec: ProjectIn, tables: _Tables, problems: ProblemCollector) -> None:
    indicator_ids = {i.id for i in spec.indicators}
    goal_ids = {g.id for g in spec.goal_tree}
    wp_ids = {w.id for w in spec.work_packages}
    checks = (
        ("indicator_values", "indicator", indicator_ids, "the id of an indicator in project.yaml"),
        ("activities", "activity", goal_ids, "the id of a goal-tree node in project.yaml"),
        ("participation", "activity", goal_ids, "the id of a goal-tree node in project.yaml"),
        ("costs", "work_package", wp_ids, "the id of a work package in project.yaml"),
    )
    for table, column, valid, expectation in checks:
        if table not in tables:
            continue
        path, rows = tables[table]
        shown = shown_path(path)
        for row in rows:
            value = row.get(column)
            if value is not None and value not in valid:
                problems.add(shown, column, expectation, value, row=row["_row"])


def _check_ratio_parts(spec: ProjectIn, tables: _Tables, problems: ProblemCollector) -> None:
    """A ratio indicator's reported rows give numerator and denominator (>= 0); other indicators' rows give neither."""
    if "indicator_values" not in tables:
        return
    ratios = {i.id for i in spec.indicators if i.aggregation == "ratio"}
    path, rows = tables["indicator_values"]
    shown = paths.display_path(path)
    for row in rows:
        if row["_failed"] & {"numerator", "denominator", "status"}:
            continue
        for column in ("numerator", "denominator"):
            got = row.get(column)
            if row["indicator"] not in ratios:
                if got is not None:
                    problems.add(shown, column, f"empty: indicator {row['indicator']} is not a ratio", got, row=row["_row"])
            elif row["status"] == "not_reported":
                if got is not None:
                    problems.add(shown, column, "empty when the status is not_reported", got, row=row["_row"])
            elif got is None or (column == "denominator" and got < 0):
                need = "a number >= 0" if column == "denominator" else "a number"
                problems.add(shown, column, f"{need} for the ratio indicator {row['indicator']}", got, row=row["_row"])


def _ratio_value(row: dict[str, Any], unit: str | None) -> float | None:
    """A ratio row's own value when it is empty: numerator / denominator (x 100 for a unit in per cent)."""
    if row["value"] is not None or row.get("numerator") is None or not row.get("denominator"):
        return row["value"]
    scale = 100.0 if (unit or "").strip().lower() in PERCENT_UNITS else 1.0
    return float(row["numerator"]) / float(row["denominator"]) * scale


def _check_financing(spec: ProjectIn | None, tables: _Tables, problems: ProblemCollector) -> None:
    """Financiers given in project.yaml or in the financing table, not both (amounts >= 0: io/table_schemas)."""
    if "payments" in tables:
        _check_payments(spec, tables, problems)
    if "financing" not in tables:
        return
    path, rows = tables["financing"]
    shown = shown_path(path)
    if spec is not None and spec.financiers and rows:
        problems.add(shown, "financiers", f"in project.yaml or {path.name}, not both",
                     f"{len(spec.financiers)} in project.yaml, {len(rows)} in {path.name}")


def _check_payments(spec: ProjectIn | None, tables: _Tables, problems: ProblemCollector) -> None:
    """Payments: each naming a financier of the financing plan (when there is one; amounts >= 0: io/table_schemas)."""
    path, rows = tables["payments"]
    shown = shown_path(path)
    names = [f.name for f in spec.financiers] if spec is not None else []
    names += [r["name"] for r in _rows(tables, "financing") if r.get("name")]
    for row in rows:
        if names and row.get("financier") is not None and row["financier"] not in names:
            problems.add(shown, "financier", "the name of a financier (" + ", ".join(names) + ")", row["financier"], row=row["_row"])


def _financiers(spec: ProjectIn, tables: _Tables) -> tuple[Financier, ...]:
    """The financiers of project.yaml, else those of the financing table."""
    if spec.financiers:
        return tuple(Financier(**f.model_dump()) for f in spec.financiers)
    return tuple(
        Financier(r["name"], r["kind"], r["amount"], r["in_kind"], r["data_status"], r["note"] or "", r["basis"])
        for r in _rows(tables, "financing")
    )


def _rows(tables: _Tables, name: str) -> Sequence[dict[str, Any]]:
    return tables[name][1] if name in tables else []


def _frame(rows: Sequence[dict[str, Any]], columns: tuple[Column, ...]) -> pd.DataFrame:
    names = [c.name for c in columns]
    if isinstance(rows, columnar.Rows) and columnar.fast():  # the columns as they are, through the same conversion
        built = columnar.frame(rows, names)
        if built is not None:
            return built
    if len(names) > 1 and columnar.fast():  # every row holds every column (read_table's rows do): tuples, the same conversion
        try:
            return pd.DataFrame(list(map(operator.itemgetter(*names), rows)), columns=names)
        except KeyError:
            pass
    return pd.DataFrame([{k: r.get(k) for k in names} for r in rows], columns=names)


_FIRM_DTYPES = {"year": columnar.ints_or_none, "participation_start": columnar.ints_or_none, "participant": columnar.bools,
                **dict.fromkeys(("employees", "turnover", "value_added", "published_change"), columnar.floats_or_none)}
"""The firms columns _build converts, each built at its final dtype at once from the columns of a table read by the fast path."""


def _firm_frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame | None:
    """Project.firms of a table the fast path read (no attrs), each column built once; None when a column is not as expected."""
    if not (isinstance(rows, columnar.Rows) and columnar.fast()):
        return None
    firms = columnar.frame(rows, [c.name for c in FIRM_COLUMNS], _FIRM_DTYPES)
    return firms if firms is not None and firms["firm_id"].dtype == "str" else None


def _build(spec: ProjectIn, folder: Path, tables: _Tables,
           input_hashes: tuple[tuple[str, str], ...] = ()) -> Project:
    values_by_indicator: dict[str, list[Measurement]] = {}
    units = {i.id: i.unit for i in spec.indicators}
    for r in _rows(tables, "indicator_values"):
        m = Measurement(
            indicator=r["indicator"],
            period_end=r["period_end"],
            value=_ratio_value(r, units.get(r["indicator"])),
            status=r["status"],
            source=r["source"],
            data_status=r["data_status"],
            period_start=r["period_start"],
            women=r["women"],
            men=r["men"],
            non_binary=r["non_binary"],
            micro=r["micro"],
            small=r["small"],
            medium=r["medium"],
            large=r["large"],
            note=r["note"] or "",
            numerator=r.get("numerator"),
            denominator=r.get("denominator"),
        )
        values_by_indicator.setdefault(m.indicator, []).append(m)
    indicators = tuple(
        Indicator(
            id=i.id,
            name=i.name,
            unit=i.unit,
            level=i.level,
            measures=tuple(i.measures),
            baseline_value=i.baseline.value,
            baseline_date=i.baseline.date,
            target_value=i.target.value,
            target_date=i.target.date,
            aggregation=i.aggregation,
            code=i.code,
            source=i.source,
            description=i.description,
            firms=i.firms,
            role=i.role,
            values=tuple(sorted(values_by_indicator.get(i.id, []), key=lambda m: m.period_end)),
            maximum=i.maximum,
        )
        for i in spec.indicators
    )
    firms = None
    if _rows(tables, "firms"):  # a header-only table is no firm data, as no table is
        firms = _firm_frame(_rows(tables, "firms"))  # the fast path's columns each at its dtype at once; else converted here
        if firms is None:
            firms = _frame(_rows(tables, "firms"), FIRM_COLUMNS)
            firms["year"] = firms["year"].astype("Int64")
            firms["participation_start"] = pd.array(firms["participation_start"], dtype="Int64")
            fast = columnar.fast()  # a column already of its type is left as it is (the conversion would give the same)
            if not (fast and firms["participant"].dtype == bool):
                firms["participant"] = firms["participant"].astype(bool)
            for col in ("employees", "turnover", "value_added", "published_change"):
                if not (fast and firms[col].dtype == "float64"):
                    firms[col] = pd.to_numeric(firms[col], errors="coerce").astype(float)
            if not (fast and firms["firm_id"].dtype == "str"):
                firms["firm_id"] = firms["firm_id"].astype(str)
        firms_path, firm_rows = tables["firms"]
        firms.attrs["file"] = paths.display_path(firms_path)  # for messages naming the file and row of a register code
        numbers = firm_rows.numbers if isinstance(firm_rows, columnar.Rows) and columnar.fast() else [r["_row"] for r in firm_rows]
        firms.attrs["rows"] = pd.Series(numbers, dtype="int64").to_numpy()  # an array: attrs are copied often
    participation = _frame(_rows(tables, "participation"), PARTICIPATION_COLUMNS) if _rows(tables, "participation") else None
    survey = _frame(_rows(tables, "survey"), SURVEY_COLUMNS) if _rows(tables, "survey") else None
    invited = _frame(_rows(tables, "survey_invited"), INVITED_COLUMNS) if "survey_invited" in tables else None
    files = [folder / "project.yaml", *(p for p, _ in tables.values())]
    return Project(
        id=spec.id,
        name=spec.name,
        short_name=spec.short_name or spec.name,
        fund=spec.fund,
        programme=spec.programme,
        owner=spec.owner,
        region=spec.region,
        start=spec.start,
        end=spec.end,
        dates_status=spec.dates_status,
        partners=tuple(spec.partners),
        municipalities=tuple(spec.municipalities),
        target_groups=tuple(spec.target_groups),
        rus_goals=tuple(spec.rus_goals),
        cofinancing=cofinancing_keys(spec),
        evaluation_form=spec.evaluation.form,
        evaluator=spec.evaluation.evaluator,
        data_status=spec.data_status,
        sources=tuple(Source(**s.model_dump()) for s in spec.sources),
        work_packages=tuple(WorkPackage(**w.model_dump()) for w in spec.work_packages),
        financiers=_financiers(spec, tables),
        payments=tuple(Payment(r["date"], r["financier"], r["amount"], r["source"] or "", r["data_status"], r["note"] or "")
                       for r in _rows(tables, "payments")),
        budget=Budget(
            **spec.budget.model_dump(),
            lines=tuple(
                CostLine(r["category"], r["budget"], r["outcome"], r["work_package"], r["data_status"], r["period_end"])
                for r in _rows(tables, "costs")
            ),
        ),
        goal_tree=GoalTree(
            tuple(
                GoalNode(
                    id=g.id,
                    level=g.level,
                    statement=g.statement,
                    parent=g.parent,
                    work_package=g.work_package,
                    deadline=g.deadline,
                    assumptions=tuple(g.assumptions),
                    risks=tuple(g.risks),
                    rus_goals=tuple(g.rus_goals),
                )
                for g in spec.goal_tree
            )
        ),
        effect_chain=EffectChain(
            nodes=tuple(EffectNode(n.id, n.level, n.statement, tuple(n.goals)) for n in spec.effect_logic.nodes),
            links=tuple(EffectLink(link.source, link.target, link.assumption) for link in spec.effect_logic.links),
            external_factors=tuple(spec.effect_logic.external_factors),
        ),
        indicators=indicators,
        horizontal=tuple(
            HorizontalCriterion(h.criterion, h.aim, tuple(h.actions), tuple(h.indicators)) for h in spec.horizontal
        ),
        activities=tuple(
            ActivityRecord(
                activity=r["activity"],
                period_end=r["period_end"],
                count=r["count"],
                participants=r["participants"],
                women=r["women"],
                men=r["men"],
                non_binary=r["non_binary"],
                period_start=r["period_start"],
                description=r["description"] or "",
                data_status=r["data_status"],
                source=r["source"] or "",
            )
            for r in _rows(tables, "activities")
        ),
        funnel=tuple(
            sorted(
                (FunnelStage(r["order"], r["stage"], r["count"], r["data_status"]) for r in _rows(tables, "funnel")),
                key=lambda s: s.order,
            )
        ),
        key_persons=tuple(KeyPerson(**k.model_dump()) for k in spec.key_persons),
        notes=tuple(spec.notes),
        lessons=tuple(spec.lessons),
        disclosure=spec.disclosure.to_model(),
        rules=tuple(sorted(spec.rules.items())),
        folder=folder,
        files=tuple(files),
        firms=firms,
        participation=participation,
        survey=survey,
        survey_invited=invited,
        input_hashes=input_hashes,
    )
