"""Project economics: budget against outcome, reconciliation of totals, financing, unit costs,
funnels, and the figures that show them.

Pure functions over plain values and DataFrames. Missing amounts (NaN/None) mean **not
reported**: they stay NaN, are never read as zero and are never divided by. Money is in
Swedish kronor (kr). Notes in returned tables are short English phrases for the analyst;
figure labels are Swedish by default (``language="en"`` for English).

Rows are identified in error messages by their 1-based data row (header not counted).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from evaluation.core.errors import InputError, Problem, ProblemCollector

__all__ = [
    "Language",
    "ComparisonRule",
    "Comparison",
    "Reconciliation",
    "budget_vs_outcome",
    "reconcile",
    "financing_shares",
    "cost_per",
    "funnel",
    "plot_budget_vs_outcome",
    "plot_financing",
    "plot_funnel",
]

Language = Literal["sv", "en"]
ComparisonRule = Literal["equal", "at_most"]
LANGUAGES: tuple[str, ...] = get_args(Language)

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


def _frame(df: object, columns: tuple[str, ...], file: str) -> pd.DataFrame:
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
    df = _frame(lines, ("category", "budget", "outcome"), file)
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
) -> Reconciliation:
    """Check a project's published totals against each other.

    ``tolerance`` is relative (0.005 = 0.5 % of the reference ``a``). Comparisons, in order:

    * ``outcome_vs_budget`` (a = stated budget, b = stated outcome, rule ``at_most``: spending
      under budget is fine; ``difference`` is negative when under budget),
    * ``outcome_vs_cost_lines`` (a = stated outcome, b = sum of the cost lines),
    * ``outcome_vs_financing`` (a = stated outcome, b = sum of the financing),
    * ``cost_lines_vs_financing`` (a = sum of the cost lines, b = sum of the financing).

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
    df = _frame(financiers, ("name", "amount"), file)
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
    df = _frame(stages, ("order", "stage", "count"), file)
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


# --------------------------------------------------------------------------- figures

_TEXT: dict[str, dict[str, str]] = {
    "sv": {
        "budget": "Budget",
        "outcome": "Utfall",
        "amount": "Belopp (kr)",
        "category": "Kostnadsslag",
        "financier": "Finansiär",
        "count": "Antal (st)",
        "stage": "Steg",
        "source": "Källa",
        "not_stated": "ej angiven",
        "not_reported": "ej rapporterad",
        "of_previous": "av föregående",
        "title_budget": "Budget och utfall per kostnadsslag",
        "title_financing": "Finansiering per finansiär",
        "title_funnel": "Antal per steg (tratt)",
    },
    "en": {
        "budget": "Budget",
        "outcome": "Outcome",
        "amount": "Amount (SEK)",
        "category": "Cost category",
        "financier": "Financier",
        "count": "Count",
        "stage": "Stage",
        "source": "Source",
        "not_stated": "not stated",
        "not_reported": "not reported",
        "of_previous": "of previous",
        "title_budget": "Budget and outcome by cost category",
        "title_financing": "Financing by financier",
        "title_funnel": "Number per stage (funnel)",
    },
}

_KIND_TEXT: dict[str, dict[str, str]] = {
    "sv": {"eu": "EU", "state": "Stat", "region": "Region", "municipality": "Kommun", "private": "Privat", "other": "Övrigt"},
    "en": {"eu": "EU", "state": "State", "region": "Region", "municipality": "Municipality", "private": "Private", "other": "Other"},
}

# Greyscale-safe: distinguished by fill lightness *and* hatching.
_STYLES: tuple[tuple[str, str], ...] = (
    ("0.30", ""),
    ("white", "///"),
    ("0.70", ""),
    ("white", "..."),
    ("0.50", "\\\\\\"),
    ("white", "xxx"),
    ("0.85", "++"),
)


def _text(language: str) -> dict[str, str]:
    if language not in LANGUAGES:
        raise InputError([Problem("plot arguments", "language", f"one of {list(LANGUAGES)}", language)])
    return _TEXT[language]


def _fmt_number(x: float, language: str, decimals: int = 0) -> str:
    s = f"{x:,.{decimals}f}"
    if language == "sv":
        return s.replace(",", " ").replace(".", ",")
    return s


def _fmt_share(x: float, language: str) -> str:
    return f"{_fmt_number(100 * x, language, 1)} %" if language == "sv" else f"{100 * x:.1f}%"


def _setup(ax: Axes | None, n_rows: int) -> tuple[Figure, Axes, bool]:
    if ax is None:
        fig = Figure(figsize=(8.0, max(3.0, 1.2 + 0.55 * n_rows)), layout="constrained")
        fig.get_layout_engine().set(rect=(0.0, 0.05, 1.0, 0.95))  # type: ignore[union-attr]
        return fig, fig.add_subplot(), True
    return ax.get_figure(root=True), ax, False  # type: ignore[return-value]


def _finish(
    fig: Figure, ax: Axes, t: dict[str, str], title: str, xlabel: str, ylabel: str, source: str | None, language: str
) -> Figure:
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _fmt_number(v, language)))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="0.85", linewidth=0.6)
    ax.set_axisbelow(True)
    src = source if source else t["not_stated"]
    fig.text(0.01, 0.01, f"{t['source']}: {src}", ha="left", va="bottom", fontsize=8, color="0.2")
    return fig


def _rows(df: pd.DataFrame) -> pd.DataFrame:
    if "is_total" in df.columns:
        return df[~df["is_total"].astype(bool)].reset_index(drop=True)
    return df.reset_index(drop=True)


def _mark_not_reported(ax: Axes, y: float, t: dict[str, str]) -> None:
    ax.annotate(
        t["not_reported"],
        xy=(0, y),
        xytext=(3, 0),
        textcoords="offset points",
        va="center",
        ha="left",
        fontsize=8,
        fontstyle="italic",
        color="0.2",
    )


def plot_budget_vs_outcome(
    df: pd.DataFrame,
    ax: Axes | None = None,
    source: str | None = None,
    *,
    language: Language = "sv",
    title: str | None = None,
) -> Figure:
    """Horizontal bars of budget (white, hatched) and outcome (dark grey) per cost category.

    ``df`` is the result of :func:`budget_vs_outcome` (its totals row is left out) or the raw
    ``category, budget, outcome`` lines. A not-reported budget is marked "ej rapporterad".
    ``source`` is printed at the bottom ("Källa: ..."; "ej angiven" when None).
    """
    t = _text(language)
    data = _rows(_frame(df, ("category", "budget", "outcome"), "budget table"))
    fig, ax, _own = _setup(ax, len(data))
    y = np.arange(len(data), dtype=float)
    h = 0.38
    budget = pd.to_numeric(data["budget"], errors="coerce").to_numpy(dtype=float)
    outcome = pd.to_numeric(data["outcome"], errors="coerce").to_numpy(dtype=float)
    handles = []
    for values, offset, label, (face, hatch) in (
        (budget, -h / 2, t["budget"], ("white", "///")),
        (outcome, h / 2, t["outcome"], ("0.30", "")),
    ):
        ok = ~np.isnan(values)
        if ok.any():
            ax.barh(y[ok] + offset, values[ok], height=h, color=face, hatch=hatch, edgecolor="black", linewidth=0.6)
        for yi in y[~ok]:
            _mark_not_reported(ax, yi + offset, t)
        handles.append(Patch(facecolor=face, hatch=hatch, edgecolor="black", linewidth=0.6, label=label))
    ax.set_yticks(y, [str(c) for c in data["category"]])
    ax.set_ylim(len(data) - 0.5, -0.5)  # first row on top; rows without bars stay visible
    finite = np.concatenate([budget, outcome])
    finite = finite[~np.isnan(finite)]
    ax.set_xlim(0, float(finite.max()) * 1.05 if len(finite) and finite.max() > 0 else 1.0)
    ax.legend(handles=handles, frameon=False, loc="lower right")
    return _finish(fig, ax, t, title or t["title_budget"], t["amount"], t["category"], source, language)


def plot_financing(
    df: pd.DataFrame,
    ax: Axes | None = None,
    source: str | None = None,
    *,
    language: Language = "sv",
    title: str | None = None,
) -> Figure:
    """Horizontal bars of the amount per financier, labelled with its share; kinds by fill/hatch.

    ``df`` is the result of :func:`financing_shares` (totals row left out) or raw ``name,
    amount[, kind]`` rows; shares are computed when absent. Not-reported amounts are marked.
    """
    t = _text(language)
    data = _rows(_frame(df, ("name", "amount"), "financing table"))
    if "share" not in data.columns:
        data = _rows(financing_shares(data, file="financing table"))
    fig, ax, _own = _setup(ax, len(data))
    y = np.arange(len(data), dtype=float)
    amount = pd.to_numeric(data["amount"], errors="coerce").to_numpy(dtype=float)
    share = pd.to_numeric(data["share"], errors="coerce").to_numpy(dtype=float)
    kinds = [None if k is None or (not isinstance(k, str) and pd.isna(k)) else str(k) for k in (data["kind"] if "kind" in data.columns else [None] * len(data))]
    order: list[str | None] = []
    for k, a in zip(kinds, amount):
        if not np.isnan(a) and k not in order:
            order.append(k)
    style = {k: _STYLES[i % len(_STYLES)] for i, k in enumerate(order)}
    for yi, a, s, k in zip(y, amount, share, kinds):
        if np.isnan(a):
            _mark_not_reported(ax, yi, t)
            continue
        face, hatch = style[k]  # k is in order: its amount is reported
        ax.barh(yi, a, height=0.6, color=face, hatch=hatch, edgecolor="black", linewidth=0.6)
        if not np.isnan(s):
            ax.annotate(_fmt_share(s, language), xy=(a, yi), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(y, [str(n) for n in data["name"]])
    ax.set_ylim(len(data) - 0.5, -0.5)  # first row on top; rows without bars stay visible
    top = np.nanmax(amount) if (~np.isnan(amount)).any() else 1.0
    ax.set_xlim(0, top * 1.15)
    if any(k is not None for k in order):
        handles = [
            Patch(facecolor=style[k][0], hatch=style[k][1], edgecolor="black", label=_KIND_TEXT[language].get(k, k) if k else "–")
            for k in order
        ]
        ax.legend(handles=handles, frameon=False, loc="lower right")
    return _finish(fig, ax, t, title or t["title_financing"], t["amount"], t["financier"], source, language)


def plot_funnel(
    df: pd.DataFrame,
    ax: Axes | None = None,
    source: str | None = None,
    *,
    language: Language = "sv",
    title: str | None = None,
) -> Figure:
    """Horizontal bars of the count per stage, top to bottom, labelled with count and conversion.

    ``df`` is the result of :func:`funnel` or raw ``order, stage, count`` rows.
    """
    t = _text(language)
    data = _frame(df, ("order", "stage", "count"), "funnel table")
    if "conversion_from_previous" not in data.columns:
        data = funnel(data, file="funnel table")
    fig, ax, _own = _setup(ax, len(data))
    y = np.arange(len(data), dtype=float)
    counts = pd.to_numeric(data["count"], errors="coerce").to_numpy(dtype=float)
    conv = pd.to_numeric(data["conversion_from_previous"], errors="coerce").to_numpy(dtype=float)
    for yi, c, p in zip(y, counts, conv):
        if np.isnan(c):
            _mark_not_reported(ax, yi, t)
            continue
        ax.barh(yi, c, height=0.6, color="0.45", edgecolor="black", linewidth=0.6)
        label = _fmt_number(c, language, 0 if float(c).is_integer() else 1)
        if not np.isnan(p):
            label += f" ({_fmt_share(p, language)} {t['of_previous']})"
        ax.annotate(label, xy=(c, yi), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(y, [str(s) for s in data["stage"]])
    ax.set_ylim(len(data) - 0.5, -0.5)  # first row on top; rows without bars stay visible
    top = np.nanmax(counts) if (~np.isnan(counts)).any() else 1.0
    ax.set_xlim(0, top * 1.45)
    return _finish(fig, ax, t, title or t["title_funnel"], t["count"], t["stage"], source, language)
