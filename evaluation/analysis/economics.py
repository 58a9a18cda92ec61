"""Project economics: budget against outcome, reconciliation of totals, financing, unit costs
and funnels. The figures that show them are in :mod:`evaluation.plots.economics`.

Pure functions over plain values and DataFrames. Missing amounts (NaN/None) mean **not
reported**: they stay NaN, are never read as zero and are never divided by. Money is in
Swedish kronor (kr). Notes in returned tables are short English phrases for the analyst.

Rows are identified in error messages by their 1-based data row (header not counted).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from evaluation.core.errors import InputError, Problem, ProblemCollector

__all__ = [
    "ComparisonRule",
    "Comparison",
    "Reconciliation",
    "budget_vs_outcome",
    "reconcile",
    "financing_shares",
    "cost_per",
    "funnel",
    "checked_frame",
]

ComparisonRule = Literal["equal", "at_most"]

NOTE_NOT_REPORTED = "not reported"


# --------------------------------------------------------------------------- helpers


def _is_number(x: object) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, (bool, np.bool_))


def _opt_float(x: object, field: str, where: str) -> float | None:
    """None/NaN -> None; a finite number -> float; anything else -> InputError."""
    if x is None:
        return None
    if not _is_number(x):
        raise InputError([Problem(where, field, "a number or None", x)])
    f = float(x)  # type: ignore[arg-type]
    if math.isnan(f):
        return None
    if not math.isfinite(f):
        raise InputError([Problem(where, field, "a finite number or None", x)])
    return f


def checked_frame(df: object, columns: tuple[str, ...], file: str) -> pd.DataFrame:
    """``df`` when it is a DataFrame with ``columns``; else an InputError naming ``file``."""
    if not isinstance(df, pd.DataFrame):
        raise InputError([Problem(file, "table", "a pandas DataFrame", type(df).__name__)])
    absent = [c for c in columns if c not in df.columns]
    if absent:
        raise InputError([Problem(file, c, "a column of the table", "no such column") for c in absent])
    return df


def _amounts(
    df: pd.DataFrame, column: str, file: str, problems: ProblemCollector, *, non_negative: bool = False
) -> np.ndarray:
    """Column as float array; empty cells NaN (not reported); non-numbers collected as problems."""
    raw = df[column].tolist()
    nums = pd.to_numeric(df[column], errors="coerce").astype(float).to_numpy()
    for i, (r, v) in enumerate(zip(raw, nums), start=1):
        empty = r is None or (not isinstance(r, str) and pd.isna(r))
        if empty:
            continue
        if not math.isfinite(v):
            problems.add(file, column, "a finite number, or empty when not reported", r, row=i)
        elif non_negative and v < 0:
            problems.add(file, column, "a number >= 0", r, row=i)
    return nums


def _labels(df: pd.DataFrame, column: str, file: str, problems: ProblemCollector, *, unique: bool) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for i, r in enumerate(df[column].tolist(), start=1):
        if r is None or (not isinstance(r, str) and pd.isna(r)) or str(r).strip() == "":
            problems.add(file, column, "a non-empty text", r, row=i)
            out.append("")
            continue
        s = str(r)
        if unique and s in seen:
            problems.add(file, column, "unique", r, row=i)
        seen.add(s)
        out.append(s)
    return out


def _sum_all(x: np.ndarray) -> float:
    """Sum that is NaN if any element is NaN (a total of incomplete lines is unknown)."""
    return float("nan") if len(x) == 0 or np.isnan(x).any() else math.fsum(x.tolist())


def _sum_reported(x: np.ndarray) -> float:
    """Sum of the non-NaN elements; NaN if none is reported."""
    rep = x[~np.isnan(x)]
    return float("nan") if len(rep) == 0 else math.fsum(rep.tolist())


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a / b elementwise; NaN where either is NaN or b is 0 (never inf)."""
    out = np.full(len(a), np.nan)
    ok = ~np.isnan(a) & ~np.isnan(b) & (b != 0)
    out[ok] = a[ok] / b[ok]
    return out


# --------------------------------------------------------------------------- budget


def budget_vs_outcome(
    lines: pd.DataFrame,
    *,
    budget_total: float | None = None,
    outcome_total: float | None = None,
    total_label: str = "Totalt",
    file: str = "budget lines",
) -> pd.DataFrame:
    """Budget against outcome per cost category, with a totals row.

    Input columns ``category``, ``budget``, ``outcome`` (NaN = not reported). Returns
    ``category, budget, outcome, difference, outcome_share, utilisation, note, is_total``:

    * ``difference = outcome - budget`` (negative = under budget),
    * ``outcome_share = outcome / sum of the reported line outcomes`` (line shares add to 1),
    * ``utilisation = outcome / budget``,

    each NaN where an operand is not reported (or the budget is 0). The totals row sums the
    lines and is NaN when any line is not reported, unless a stated total is given in
    ``budget_total`` / ``outcome_total`` (e.g. NIS 6.0 published the total budget but not the
    budget per category); its ``note`` says which. Compare stated totals with the lines
    using :func:`reconcile`.
    """
    df = checked_frame(lines, ("category", "budget", "outcome"), file)
    problems = ProblemCollector()
    cats = _labels(df, "category", file, problems, unique=True)
    budget = _amounts(df, "budget", file, problems)
    outcome = _amounts(df, "outcome", file, problems)
    where = "budget_vs_outcome() arguments"
    stated_b = _opt_float(budget_total, "budget_total", where)
    stated_o = _opt_float(outcome_total, "outcome_total", where)
    if total_label in cats:
        problems.add(where, "total_label", "different from every category", total_label)
    problems.raise_if_any()

    notes: list[str] = []
    for b, o in zip(budget, outcome):
        parts = []
        if np.isnan(b):
            parts.append("budget not reported")
        elif b == 0:
            parts.append("budget 0: utilisation undefined")
        if np.isnan(o):
            parts.append("outcome not reported")
        notes.append("; ".join(parts))
    reported_outcome = _sum_reported(outcome)

    def total(values: np.ndarray, stated: float | None, name: str) -> tuple[float, str]:
        if stated is not None:
            return stated, f"{name}: stated total"
        s = _sum_all(values)
        n_missing = int(np.isnan(values).sum())
        if n_missing:
            return s, f"{name}: not reported for {n_missing} of {len(values)} lines"
        return s, f"{name}: sum of lines"

    tb, nb = total(budget, stated_b, "budget")
    to, no = total(outcome, stated_o, "outcome")
    all_budget = np.append(budget, tb)
    all_outcome = np.append(outcome, to)
    complete = not np.isnan(outcome).any() and not np.isnan(reported_outcome) and reported_outcome != 0
    share = np.append(_ratio(outcome, np.full(len(outcome), reported_outcome)), 1.0 if complete else np.nan)
    return pd.DataFrame(
        {
            "category": [*cats, total_label],
            "budget": all_budget,
            "outcome": all_outcome,
            "difference": all_outcome - all_budget,
            "outcome_share": share,
            "utilisation": _ratio(all_outcome, all_budget),
            "note": [*notes, f"{nb}; {no}"],
            "is_total": [False] * len(cats) + [True],
        }
    )


@dataclass(frozen=True)
class Comparison:
    """One check of two amounts that should agree.

    ``a`` is the reference, ``difference = b - a`` and ``relative_difference = (b - a) / |a|``.
    Rule ``"equal"``: ok when ``|relative_difference| <= tolerance``; rule ``"at_most"``: ok when
    ``relative_difference <= tolerance`` (b may fall short of a, not exceed it). If ``a`` is 0,
    ok only when ``b`` is 0 too. ``ok`` is None when ``a`` or ``b`` is not reported.
    """

    name: str
    a: float | None
    b: float | None
    difference: float | None
    relative_difference: float | None
    ok: bool | None
    rule: ComparisonRule = "equal"
    description: str = ""


@dataclass(frozen=True)
class Reconciliation:
    """The checks made by :func:`reconcile`, in a fixed order."""

    comparisons: tuple[Comparison, ...]
    tolerance: float

    @property
    def ok(self) -> bool | None:
        """False if any check fails, else None if any could not be made, else True."""
        flags = [c.ok for c in self.comparisons]
        if any(f is False for f in flags):
            return False
        if any(f is None for f in flags):
            return None
        return True

    @property
    def under_budget(self) -> float | None:
        """Stated budget minus stated outcome (positive = under budget); None if either is missing."""
        c = self.get("outcome_vs_budget")
        return None if c.difference is None else -c.difference

    def get(self, name: str) -> Comparison:
        """The comparison called ``name``."""
        for c in self.comparisons:
            if c.name == name:
                return c
        raise KeyError(name)

    def to_frame(self) -> pd.DataFrame:
        """One row per comparison (columns as the :class:`Comparison` fields)."""
        return pd.DataFrame(
            {
                "name": [c.name for c in self.comparisons],
                "a": [np.nan if c.a is None else c.a for c in self.comparisons],
                "b": [np.nan if c.b is None else c.b for c in self.comparisons],
                "difference": [np.nan if c.difference is None else c.difference for c in self.comparisons],
                "relative_difference": [
                    np.nan if c.relative_difference is None else c.relative_difference for c in self.comparisons
                ],
                "ok": pd.array([c.ok for c in self.comparisons], dtype="boolean"),
                "rule": [c.rule for c in self.comparisons],
                "description": [c.description for c in self.comparisons],
            }
        )


def _compare(name: str, a: float | None, b: float | None, tol: float, rule: ComparisonRule, text: str) -> Comparison:
    if a is None or b is None:
        return Comparison(name, a, b, None, None, None, rule, text)
    diff = b - a
    if a == 0:
        return Comparison(name, a, b, diff, None, b == 0 if rule == "equal" else b <= 0, rule, text)
    rel = diff / abs(a)
    ok = abs(rel) <= tol if rule == "equal" else rel <= tol
    return Comparison(name, a, b, diff, rel, bool(ok), rule, text)


def reconcile(
    stated_budget_total: float | None,
    stated_outcome_total: float | None,
    cost_lines_outcome_sum: float | None,
    financing_sum: float | None,
    tolerance: float = 0.005,
    financing_plan: float | None = None,
) -> Reconciliation:
    """Check a project's published totals against each other.

    ``tolerance`` is relative (0.005 = 0.5 % of the reference ``a``). Comparisons, in order:

    * ``outcome_vs_budget`` (a = stated budget, b = stated outcome, rule ``at_most``: spending
      under budget is fine; ``difference`` is negative when under budget),
    * ``outcome_vs_cost_lines`` (a = stated outcome, b = sum of the cost lines),
    * ``outcome_vs_financing`` (a = stated outcome, b = sum of the financing),
    * ``cost_lines_vs_financing`` (a = sum of the cost lines, b = sum of the financing),
    * ``financing_plan_vs_budget`` (a = stated budget, b = the decided financing plan), only when
      ``financing_plan`` is given.

    ``financing_sum`` is what was paid (compared with the outcome); ``financing_plan`` the decided
    plan (compared with the budget): plan with plan, outcome with payments.

    Differences within tolerance are ok but still reported. None inputs (not reported) give
    a comparison with ``ok=None``.
    """
    where = "reconcile() arguments"
    tol = _opt_float(tolerance, "tolerance", where)
    if tol is None or tol < 0:
        raise InputError([Problem(where, "tolerance", "a relative tolerance >= 0", tolerance)])
    budget = _opt_float(stated_budget_total, "stated_budget_total", where)
    outcome = _opt_float(stated_outcome_total, "stated_outcome_total", where)
    lines = _opt_float(cost_lines_outcome_sum, "cost_lines_outcome_sum", where)
    financing = _opt_float(financing_sum, "financing_sum", where)
    return Reconciliation(
        (
            _compare("outcome_vs_budget", budget, outcome, tol, "at_most", "stated outcome against stated budget"),
            _compare("outcome_vs_cost_lines", outcome, lines, tol, "equal", "sum of cost lines against stated outcome"),
            _compare("outcome_vs_financing", outcome, financing, tol, "equal", "sum of financing against stated outcome"),
            _compare("cost_lines_vs_financing", lines, financing, tol, "equal", "sum of financing against sum of cost lines"),
            *((_compare("financing_plan_vs_budget", budget, _opt_float(financing_plan, "financing_plan", where), tol, "equal",
                        "decided financing against stated budget"),) if financing_plan is not None else ()),
        ),
        tol,
    )


# --------------------------------------------------------------------------- financing


def financing_shares(
    financiers: pd.DataFrame, *, total_label: str = "Totalt", file: str = "financiers"
) -> pd.DataFrame:
    """Each financier's share of the total of the reported amounts, with a totals row.

    Input columns ``name``, ``amount`` (NaN = not reported) and optionally ``kind`` (eu, state,
    region, municipality, private, other). Returns ``name, kind, amount, share, note,
    is_total``. A not-reported amount keeps NaN amount and share and the note "not reported";
    the shares of the others are of the reported total (the totals row's note says how many
    are missing). Negative amounts are an input error.
    """
    df = checked_frame(financiers, ("name", "amount"), file)
    problems = ProblemCollector()
    names = _labels(df, "name", file, problems, unique=True)
    amount = _amounts(df, "amount", file, problems, non_negative=True)
    if total_label in names:
        problems.add("financing_shares() arguments", "total_label", "different from every name", total_label)
    problems.raise_if_any()
    kinds = df["kind"].tolist() if "kind" in df.columns else [None] * len(df)
    kinds = [None if k is None or (not isinstance(k, str) and pd.isna(k)) else str(k) for k in kinds]
    total = _sum_reported(amount)
    share = _ratio(amount, np.full(len(amount), total))
    n_missing = int(np.isnan(amount).sum())
    total_note = "sum of reported amounts"
    if n_missing:
        total_note += f"; {n_missing} of {len(amount)} not reported"
    total_share = 1.0 if not np.isnan(total) and total != 0 else np.nan
    return pd.DataFrame(
        {
            "name": [*names, total_label],
            "kind": pd.Series([*kinds, None], dtype="str"),
            "amount": np.append(amount, total),
            "share": np.append(share, total_share),
            "note": [NOTE_NOT_REPORTED if np.isnan(a) else "" for a in amount] + [total_note],
            "is_total": [False] * len(names) + [True],
        }
    )


def cost_per(outcome_total: float | None, denominators: Mapping[str, tuple[float | None, str]]) -> pd.DataFrame:
    """Cost per unit of result: ``outcome_total / denominator`` for each named denominator.

    ``denominators`` maps a measure (e.g. ``"firm"``, ``"participant"``, ``"job"``) to
    ``(value, source text)``. Returns ``measure, outcome_total, denominator, cost_per, source,
    note`` in the mapping's order. A None/NaN denominator or outcome gives NaN cost with note
    "not reported"; a zero denominator gives NaN with note "denominator is 0".
    """
    where = "cost_per() arguments"
    problems = ProblemCollector()
    total = _opt_float(outcome_total, "outcome_total", where)
    if not isinstance(denominators, Mapping) or not denominators:
        raise InputError([Problem(where, "denominators", "a non-empty mapping of measure to (value, source)", denominators)])
    rows: list[tuple[str, float, float, float, str, str]] = []
    for measure, entry in denominators.items():
        if not isinstance(entry, tuple) or len(entry) != 2 or not isinstance(entry[1], str):
            problems.add(where, f"denominators[{measure!r}]", "a (value, source text) pair", entry)
            continue
        try:
            d = _opt_float(entry[0], f"denominators[{measure!r}]", where)
        except InputError as err:
            problems.extend(err.problems)
            continue
        if d is not None and d < 0:
            problems.add(where, f"denominators[{measure!r}]", "a number >= 0 or None", entry[0])
            continue
        if total is None:
            cost, note = np.nan, "outcome not reported"
        elif d is None:
            cost, note = np.nan, "denominator not reported"
        elif d == 0:
            cost, note = np.nan, "denominator is 0"
        else:
            cost, note = total / d, ""
        rows.append(
            (
                str(measure),
                np.nan if total is None else total,
                np.nan if d is None else d,
                cost,
                entry[1],
                note,
            )
        )
    problems.raise_if_any()
    return pd.DataFrame(rows, columns=["measure", "outcome_total", "denominator", "cost_per", "source", "note"])


def funnel(stages: pd.DataFrame, *, file: str = "funnel stages") -> pd.DataFrame:
    """Conversion through ordered stages (contacts -> meetings -> ... -> deep dives).

    Input columns ``order`` (sortable, unique), ``stage``, ``count`` (NaN = not reported).
    Returns ``order, stage, count, conversion_from_previous, conversion_from_first, note``
    sorted by ``order``: ``count / previous stage's count`` and ``count / first stage's count``,
    NaN for the first stage's conversion from previous and wherever a count is missing or
    the divisor is 0.
    """
    df = checked_frame(stages, ("order", "stage", "count"), file)
    problems = ProblemCollector()
    names = _labels(df, "stage", file, problems, unique=True)
    counts = _amounts(df, "count", file, problems, non_negative=True)
    orders = df["order"].tolist()
    seen: set[object] = set()
    for i, o in enumerate(orders, start=1):
        if o is None or (not isinstance(o, str) and pd.isna(o)):
            problems.add(file, "order", "a stage position", o, row=i)
        elif o in seen:
            problems.add(file, "order", "unique", o, row=i)
        else:
            seen.add(o)
    problems.raise_if_any()
    out = pd.DataFrame({"order": df["order"].to_numpy(), "stage": names, "count": counts})
    out = out.sort_values("order", kind="mergesort").reset_index(drop=True)
    c = out["count"].to_numpy(dtype=float)
    prev = np.append(np.nan, c[:-1]) if len(c) else c
    first = np.full(len(c), c[0] if len(c) else np.nan)
    out["conversion_from_previous"] = _ratio(c, prev)
    out["conversion_from_first"] = _ratio(c, first)
    notes = []
    for i, v in enumerate(c):
        if np.isnan(v):
            notes.append(NOTE_NOT_REPORTED)
        elif i > 0 and not np.isnan(prev[i]) and prev[i] == 0:
            notes.append("previous stage 0")
        else:
            notes.append("")
    out["note"] = notes
    return out
