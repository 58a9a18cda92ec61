"""Survey analysis with small-cell suppression.

Inputs (validate with :func:`validate_survey`):

* ``responses``: one row per respondent and item - ``wave`` (str), ``respondent`` (str),
  ``item`` (str), ``answer`` (an integer on the scale, default 1-5, for ordinal items, or
  a text category for categorical items), optional ``group`` (str, e.g. gender or
  municipality; may be missing);
* ``invited``: one row per wave - ``wave`` (str), ``invited`` (int).

Every function takes ``threshold`` (default 5) and suppresses its output with
:func:`suppress`: no count, share, interval or statistic is shown for fewer than
``threshold`` respondents, and secondary suppression makes sure a hidden count cannot be
recovered from published totals. Suppressed values are NaN with a boolean flag, never 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.core.errors import AnalysisError, ProblemCollector
from evaluation.core.i18n import N_
from evaluation.io import table_schemas
from evaluation.io.table_schemas import SCALE as TABLE_SCALE
from evaluation.io.table_schemas import scale_expectation

__all__ = [
    "SCALE",
    "validate_survey",
    "SuppressedTable",
    "suppress",
    "response_rate",
    "distribution",
    "agreement",
    "median_iqr",
    "GroupComparison",
    "compare_groups",
    "compare_waves",
]

#: The default answer scale of ordinal items (the same one the loader holds survey.csv to).
SCALE: tuple[int, ...] = TABLE_SCALE
MAX_LISTED_ROWS = 100

TestName = Literal["mann-whitney-u", "kruskal-wallis", "wilcoxon-signed-rank", "chi-square", "fisher-exact"]


# --------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------


def _parse_answer(value: object) -> int | str | None:
    """An int for whole numbers (also '4' or 4.0), a stripped str for text, None if missing/bad."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        if math.isnan(value) or value != round(value):
            return None
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            return text
    return None


def _text_column(frame: pd.DataFrame, column: str, file: str, problems: ProblemCollector,
                 *, allow_missing: bool = False) -> pd.Series:
    raw = frame[column]
    missing = raw.isna().to_numpy(dtype=bool)
    text = raw.astype("str")
    empty = ~missing & (text.str.strip() == "").to_numpy(dtype=bool)
    bad = empty if allow_missing else (missing | empty)
    for n, pos in enumerate(np.flatnonzero(bad)):
        if n == MAX_LISTED_ROWS:
            problems.add(file, column, "a non-empty text", got=f"{int(bad.sum()) - MAX_LISTED_ROWS} more rows like these")
            break
        problems.add(file, column, "a non-empty text", got=None if missing[pos] else raw.iloc[pos], row=int(pos) + 2)
    result = text.str.strip()
    if allow_missing:
        result = result.where(~missing, pd.NA)
    return result


def _schema_problems(out: pd.DataFrame, inv_out: pd.DataFrame, bad_invited: np.ndarray, file: str, invited_file: str,
                     scale: set[int], problems: ProblemCollector) -> None:
    """Apply the survey and survey_invited schemas to the parsed tables (a cell that did not parse is left empty)."""
    responses = out[["wave", "respondent", "item", "answer"]].astype(object)
    responses.index = pd.RangeIndex(2, len(out) + 2)
    invitations = pd.DataFrame({"wave": inv_out["wave"].astype(object).to_numpy(),
                                "invited": [None if b else int(n) for b, n in zip(bad_invited, inv_out["invited"])]},
                               index=pd.RangeIndex(2, len(inv_out) + 2), dtype=object)
    context = {"invited_file": invited_file}
    responses_in = table_schemas.survey_context(responses, invitations)
    table_schemas.survey_schema(tuple(sorted(scale))).problems(responses_in, file, problems, context)
    invited_in = table_schemas.invited_context(invitations, responses)
    table_schemas.schemas()["survey_invited"].problems(invited_in, invited_file, problems, context)


def validate_survey(
    responses: pd.DataFrame,
    invited: pd.DataFrame,
    file: str = "<responses>",
    invited_file: str = "<invited>",
    scale: Sequence[int] = SCALE,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check survey responses and invitation counts; return both cleaned.

    Checks: required columns; non-empty wave, respondent and item; every answer present and
    either an integer on ``scale`` or a text category; each item answered only with numbers
    (ordinal) or only with text (categorical); no duplicate (wave, respondent, item); in
    ``invited`` one row per wave with a whole number >= 0; every responding wave invited;
    respondents per wave not more than invited. The rules after parsing are the survey schemas of
    :mod:`evaluation.io.table_schemas`, which the loader applies too. All problems are raised together as
    :class:`~evaluation.core.errors.InputError` (rows numbered as in a CSV file: index + 2).

    The cleaned responses have str columns and an object ``answer`` column holding ints
    for ordinal items and strs for categorical items, sorted by wave, item, respondent.
    """
    problems = ProblemCollector()
    for frame, name in ((responses, file), (invited, invited_file)):
        if not isinstance(frame, pd.DataFrame):
            problems.add(name, "<table>", "a pandas DataFrame", got=type(frame).__name__)
    problems.raise_if_any()
    resp = responses.reset_index(drop=True)
    inv = invited.reset_index(drop=True)
    for column in ("wave", "respondent", "item", "answer"):
        if column not in resp.columns:
            problems.add(file, column, "a column of the responses", got=f"columns {sorted(map(str, resp.columns))}")
    for column in ("wave", "invited"):
        if column not in inv.columns:
            problems.add(invited_file, column, "a column of the invitations", got=f"columns {sorted(map(str, inv.columns))}")
    problems.raise_if_any()

    scale_set = set(int(s) for s in scale)
    out = pd.DataFrame(index=resp.index)
    for column in ("wave", "respondent", "item"):
        out[column] = _text_column(resp, column, file, problems)
    if "group" in resp.columns:
        out["group"] = _text_column(resp, "group", file, problems, allow_missing=True)
    parsed = [_parse_answer(v) for v in resp["answer"].astype(object)]
    listed = 0
    for pos, (raw, value) in enumerate(zip(resp["answer"].astype(object), parsed)):
        if value is None:  # missing or not a whole number; a whole number off the scale is the schema's
            listed += 1
            if listed <= MAX_LISTED_ROWS:
                problems.add(file, "answer", scale_expectation(scale_set), got=None if pd.isna(raw) else raw, row=pos + 2)
    if listed > MAX_LISTED_ROWS:
        problems.add(file, "answer", "a valid answer", got=f"{listed - MAX_LISTED_ROWS} more rows like these")
    out["answer"] = pd.Series(parsed, index=resp.index, dtype=object)

    inv_out = pd.DataFrame(index=inv.index)
    inv_out["wave"] = _text_column(inv, "wave", invited_file, problems)
    counts = pd.to_numeric(inv["invited"], errors="coerce").astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(counts) | (counts < 0) | (counts != np.round(counts))
    for pos in np.flatnonzero(bad)[:MAX_LISTED_ROWS]:
        problems.add(invited_file, "invited", "a whole number >= 0", got=inv["invited"].iloc[pos], row=int(pos) + 2)
    inv_out["invited"] = np.where(bad, 0, counts).astype(np.int64)

    # the rules the loader holds survey.csv and survey_invited.csv to (io/table_schemas), rows numbered as in a CSV file
    _schema_problems(out, inv_out, bad, file, invited_file, scale_set, problems)
    problems.raise_if_any()

    out = out.sort_values(["wave", "item", "respondent"], kind="stable").reset_index(drop=True)
    inv_out = inv_out.sort_values("wave", kind="stable").reset_index(drop=True)
    return out, inv_out


def _answered(responses: pd.DataFrame) -> pd.DataFrame:
    """Rows with an answer: an item left blank is no answer to that item (it still counts for the response rate)."""
    if "answer" not in responses:
        return responses
    return responses.loc[responses["answer"].notna()]


def _check_threshold(threshold: int) -> None:
    if not isinstance(threshold, (int, np.integer)) or isinstance(threshold, bool) or threshold < 0:
        problems = ProblemCollector()
        problems.add("<arguments>", "threshold", "a whole number >= 0", got=threshold)
        problems.raise_if_any()


def _require(responses: pd.DataFrame, columns: Sequence[str]) -> None:
    problems = ProblemCollector()
    for column in columns:
        if column not in responses.columns:
            problems.add("<responses>", column, "a column of the responses", got=f"columns {sorted(map(str, responses.columns))}")
    problems.raise_if_any()


def _item_kind(answers: pd.Series) -> Literal["ordinal", "categorical"]:
    return "categorical" if any(isinstance(v, str) for v in answers) else "ordinal"


def _items(responses: pd.DataFrame, item: str | Sequence[str] | None) -> list[str]:
    _require(responses, ("wave", "respondent", "item", "answer"))
    present = sorted(pd.unique(responses["item"].astype("str")))
    if item is None:
        return present
    wanted = [item] if isinstance(item, str) else list(item)
    missing = [i for i in wanted if i not in present]
    if missing:
        problems = ProblemCollector()
        for i in missing:
            problems.add("<arguments>", "item", f"an item in the responses ({present})", got=i)
        problems.raise_if_any()
    return wanted


# --------------------------------------------------------------------------------------
# Suppression
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SuppressedTable:
    """A count table after suppression.

    ``values`` holds the counts (float; NaN where suppressed) with a total column and/or
    row named ``total_label`` when those totals are published; ``suppressed`` is a boolean
    frame of the same shape, True where a value is hidden.
    """

    values: pd.DataFrame
    suppressed: pd.DataFrame
    threshold: int


def suppress(
    table: pd.DataFrame,
    threshold: int = 5,
    *,
    row_totals: bool = True,
    col_totals: bool = True,
    keep_zeros: bool = False,
    total_label: str = "Total",
    primary: pd.DataFrame | np.ndarray | None = None,
) -> SuppressedTable:
    """Hide counts below ``threshold`` and enough other counts that none can be recovered.

    ``table`` holds respondent counts (rows x columns, no margins). Row totals and/or
    column totals (and their grand total) are added and treated as published.

    Primary suppression hides every count (cells and totals) below ``threshold``; zero
    counts too, unless ``keep_zeros`` (a zero can reveal that all respondents of a group gave
    the same answer). Secondary suppression: each published sum (a row with its total, a
    column with its total) must have no hidden member or at least two, since a single hidden
    member equals the total minus the shown members; and hidden members whose total is shown
    must not add up to 0 (each would then be known to be 0). While some sum breaks this, the
    smallest shown cell of that sum (non-zero in the second case; not the sum's total unless
    nothing else is left; ties: first in row/column order) is hidden too; rows and columns
    are checked repeatedly until nothing changes.

    ``primary`` (booleans, the shape of ``table``) hides further cells from the start, e.g. a
    count of participations that comes from fewer than ``threshold`` firms.
    """
    _check_threshold(threshold)
    counts = table.astype(float)
    if counts.isna().any().any() or (counts.to_numpy() < 0).any():
        problems = ProblemCollector()
        problems.add("<table>", "counts", "non-negative numbers without gaps", got="missing or negative values")
        problems.raise_if_any()
    inner = counts.to_numpy(dtype=float)
    r, c = inner.shape
    full = inner
    if row_totals:
        full = np.column_stack([full, full.sum(axis=1)]) if c else np.zeros((r, 1))
    if col_totals:
        full = np.vstack([full, full.sum(axis=0)])
    rows_out = list(counts.index) + ([total_label] if col_totals else [])
    cols_out = list(counts.columns) + ([total_label] if row_totals else [])

    hide = full < threshold
    if keep_zeros:
        hide &= full != 0
    if primary is not None:
        extra = np.asarray(primary, dtype=bool)
        if extra.shape != inner.shape:
            problems = ProblemCollector()
            problems.add("<arguments>", "primary", f"booleans of the table's shape {inner.shape}", got=extra.shape)
            problems.raise_if_any()
        hide[:r, :c] |= extra

    # published sums: (members in order, index of the total among them)
    relations: list[list[tuple[int, int]]] = []
    if row_totals:
        for i in range(full.shape[0]):
            relations.append([(i, j) for j in range(full.shape[1])])  # last = the row total
    if col_totals:
        for j in range(full.shape[1]):
            relations.append([(i, j) for i in range(full.shape[0])])  # last = the column total
    changed = True
    while changed:
        changed = False
        for members in relations:
            hidden = [m for m in members if hide[m]]
            total = members[-1]
            if len(hidden) == 1:
                candidates = [m for m in members[:-1] if not hide[m]]
                if not candidates:
                    candidates = [total] if not hide[total] else []
            elif hidden and not hide[total] and sum(full[m] for m in hidden) == 0:
                # the hidden cells add up to total - shown = 0, so each is known to be 0
                candidates = [m for m in members[:-1] if not hide[m] and full[m] > 0]
            else:
                continue
            if not candidates:
                continue
            pick = min(candidates, key=lambda m: full[m])  # min keeps the first of ties
            hide[pick] = True
            changed = True

    values = pd.DataFrame(np.where(hide, np.nan, full), index=rows_out, columns=cols_out)
    values.index.name = counts.index.name
    values.columns.name = counts.columns.name
    mask = pd.DataFrame(hide, index=rows_out, columns=cols_out)
    mask.index.name = counts.index.name
    mask.columns.name = counts.columns.name
    return SuppressedTable(values=values, suppressed=mask, threshold=int(threshold))


# --------------------------------------------------------------------------------------
# Descriptive functions
# --------------------------------------------------------------------------------------


def response_rate(responses: pd.DataFrame, invited: pd.DataFrame, threshold: int = 5) -> pd.DataFrame:
    """Respondents (distinct respondents answering any item) / invited, per wave.

    Columns: wave, invited, respondents, response_rate, suppressed. Respondents and rate
    are NaN (suppressed = True) when fewer than ``threshold`` responded.
    """
    _check_threshold(threshold)
    _require(responses, ("wave", "respondent"))
    n = responses.groupby(responses["wave"].astype("str"))["respondent"].nunique()
    inv = invited.assign(wave=invited["wave"].astype("str")).sort_values("wave", kind="stable")
    respondents = np.array([int(n.get(w, 0)) for w in inv["wave"]], dtype=float)
    invited_n = inv["invited"].to_numpy(dtype=float)
    hidden = respondents < threshold
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(invited_n > 0, respondents / invited_n, np.nan)
    return pd.DataFrame(
        {
            "wave": pd.array(inv["wave"], dtype="str"),
            "invited": invited_n.astype(np.int64),
            "respondents": np.where(hidden, np.nan, respondents),
            "response_rate": np.where(hidden, np.nan, rate),
            "suppressed": hidden,
        }
    )


def _answer_levels(answers: pd.Series, scale: Sequence[int]) -> list[object]:
    if _item_kind(answers) == "ordinal":
        return [int(s) for s in scale]
    return [*sorted({str(v) for v in answers})]


def distribution(
    responses: pd.DataFrame,
    item: str | Sequence[str] | None = None,
    threshold: int = 5,
    scale: Sequence[int] = SCALE,
) -> pd.DataFrame:
    """Counts and shares of every answer per item; every scale point present even at 0.

    Columns: item, answer, count, share, n (respondents answering the item), suppressed.
    Ordinal items list all points of ``scale``; categorical items their categories in
    alphabetical order. Suppression per item with :func:`suppress` (the item total is
    published): hidden counts have count and share NaN and ``suppressed`` True; when the
    item total itself is below ``threshold``, n is NaN as well.
    """
    _check_threshold(threshold)
    responses = _answered(responses)
    records = []
    for name in _items(responses, item):
        answers = responses.loc[responses["item"].astype("str") == name, "answer"]
        levels = _answer_levels(answers, scale)
        keys = [v if isinstance(v, str) else int(v) for v in answers]
        counts = pd.Series(keys, dtype=object).value_counts()
        row = pd.DataFrame([[float(counts.get(level, 0)) for level in levels]], columns=range(len(levels)))
        sup = suppress(row, threshold, row_totals=True, col_totals=False)
        n_value = sup.values.iloc[0, -1]
        for j, level in enumerate(levels):
            value = sup.values.iloc[0, j]
            hidden = bool(sup.suppressed.iloc[0, j])
            share = value / n_value if not hidden and not math.isnan(n_value) and n_value > 0 else math.nan
            records.append({"item": name, "answer": level, "count": value, "share": share,
                            "n": n_value, "suppressed": hidden})
    out = pd.DataFrame.from_records(records, columns=["item", "answer", "count", "share", "n", "suppressed"])
    out["answer"] = out["answer"].astype(object)
    out["suppressed"] = out["suppressed"].astype(bool)
    return out


def agreement(
    responses: pd.DataFrame,
    top: Sequence[int] = (4, 5),
    threshold: int = 5,
    item: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Share agreeing (answer in ``top``) per ordinal item with a Wilson 95 % interval.

    Columns: item, n, agree, share, ci_low, ci_high, suppressed. The interval is
    statsmodels ``proportion_confint(method="wilson")``. Agreeing and not agreeing form a
    two-cell table whose total n is published, so share and interval are hidden
    (suppressed = True) when either count is below ``threshold``; n is hidden when below it.
    Categorical items are skipped.
    """
    from statsmodels.stats.proportion import proportion_confint

    _check_threshold(threshold)
    responses = _answered(responses)
    top_set = {int(t) for t in top}
    records = []
    for name in _items(responses, item):
        answers = responses.loc[responses["item"].astype("str") == name, "answer"]
        if _item_kind(answers) != "ordinal":
            continue
        values = np.array([int(v) for v in answers])
        n = int(values.size)
        k = int(np.isin(values, list(top_set)).sum())
        sup = suppress(pd.DataFrame([[k, n - k]]), threshold, row_totals=True, col_totals=False)
        hidden = bool(sup.suppressed.iloc[0, 0] or sup.suppressed.iloc[0, 1])
        if n > 0 and not hidden:
            low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
            share = k / n
        else:
            low = high = share = math.nan
        n_value = sup.values.iloc[0, 2]
        records.append({"item": name, "n": n_value, "agree": math.nan if hidden else float(k), "share": share,
                        "ci_low": float(low), "ci_high": float(high), "suppressed": hidden})
    out = pd.DataFrame.from_records(records, columns=["item", "n", "agree", "share", "ci_low", "ci_high", "suppressed"])
    out["suppressed"] = out["suppressed"].astype(bool)
    return out


def _quartiles(values: np.ndarray) -> tuple[float, float, float]:
    q1, med, q3 = np.percentile(values, [25, 50, 75])
    return float(med), float(q1), float(q3)


def _quartiles_reveal(values: np.ndarray, dist: pd.DataFrame) -> bool:
    """True when the quartiles of ``values`` depend on how the hidden counts of ``dist`` are split.

    A reader knows the shown counts and the item total, so only the sum of the hidden counts.
    Every split of that sum lies between putting all of it on the lowest hidden answer and all
    on the highest (each sorted answer is between the two), and quartiles only grow with the
    sorted answers: when both extremes give the same quartiles, every split does.
    """
    hidden_rows = dist.loc[dist["suppressed"].to_numpy(dtype=bool)]
    if hidden_rows.empty:
        return False
    hidden_levels = [int(a) for a in hidden_rows["answer"]]
    shown = values[~np.isin(values, hidden_levels)]
    n_hidden = values.size - shown.size
    low = np.concatenate([shown, np.full(n_hidden, float(min(hidden_levels)))])
    high = np.concatenate([shown, np.full(n_hidden, float(max(hidden_levels)))])
    return _quartiles(np.sort(low)) != _quartiles(np.sort(high))


def median_iqr(
    responses: pd.DataFrame,
    item: str | Sequence[str] | None = None,
    threshold: int = 5,
    distribution: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Median and quartiles per ordinal item (numpy's default linear interpolation).

    Columns: item, n, median, q1, q3, iqr, suppressed; all NaN (suppressed = True) when
    fewer than ``threshold`` answered. Categorical items are skipped. With ``distribution``
    (the :func:`distribution` shown next to it, same threshold) an item's quartiles are also
    hidden when they would tell how its hidden answer counts are split.
    """
    _check_threshold(threshold)
    responses = _answered(responses)
    records = []
    for name in _items(responses, item):
        answers = responses.loc[responses["item"].astype("str") == name, "answer"]
        if _item_kind(answers) != "ordinal":
            continue
        values = np.array([int(v) for v in answers], dtype=float)
        hidden = values.size < threshold or values.size == 0
        if not hidden and distribution is not None:
            hidden = _quartiles_reveal(values, distribution.loc[distribution["item"].astype("str") == name])
        med, q1, q3 = _quartiles(values) if not hidden else (math.nan,) * 3
        records.append({"item": name, "n": math.nan if hidden else float(values.size), "median": med,
                        "q1": q1, "q3": q3, "iqr": q3 - q1, "suppressed": hidden})
    out = pd.DataFrame.from_records(records, columns=["item", "n", "median", "q1", "q3", "iqr", "suppressed"])
    out["suppressed"] = out["suppressed"].astype(bool)
    return out


# --------------------------------------------------------------------------------------
# Comparisons
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupComparison:
    """A test of whether answers to one item differ between groups (or waves).

    ``test``: "mann-whitney-u" (two groups) or "kruskal-wallis" (more) for ordinal items,
    "wilcoxon-signed-rank" for paired waves, "chi-square" or "fisher-exact" (2 x 2 with an
    expected count below 5) for categorical items. ``groups``: group, n, median, q1, q3
    (ordinal) per group. ``table``: the group x answer counts after suppression (both
    margins published). When any group has fewer than ``threshold`` respondents, its row is
    hidden and so are ``statistic`` and ``p_value`` (``suppressed`` True).
    """

    item: str
    by: str
    kind: Literal["ordinal", "categorical"]
    test: TestName
    statistic: float
    p_value: float
    groups: pd.DataFrame
    table: SuppressedTable
    suppressed: bool
    note: str


def _compare(
    data: pd.DataFrame, item: str, by: str, threshold: int, scale: Sequence[int], paired: bool
) -> GroupComparison:
    rows = _answered(data).loc[lambda d: d["item"].astype("str") == item]
    rows = rows.loc[rows[by].notna()]
    rows = rows.assign(**{by: rows[by].astype("str")})
    if rows.empty:
        raise AnalysisError(N_("No answers to item {item!r} with a value of '{by}'."), item=item, by=by)
    kind = _item_kind(rows["answer"])
    group_names = sorted(pd.unique(rows[by]))
    if len(group_names) < 2:
        raise AnalysisError(
            N_("Item {item!r} has answers from only one value of '{by}' ({groups}); there is nothing to compare."),
            item=item, by=by, groups=", ".join(group_names),
        )
    levels = _answer_levels(rows["answer"], scale)
    keys = [v if isinstance(v, str) else int(v) for v in rows["answer"]]
    cross = pd.crosstab(pd.Series(rows[by].to_numpy(), name=by), pd.Series(keys, name="answer", dtype=object))
    cross = cross.reindex(index=group_names, columns=levels, fill_value=0)
    table = suppress(cross, threshold, row_totals=True, col_totals=True)
    sizes = cross.sum(axis=1)
    small = sizes < threshold
    note = ""
    samples = {g: np.array([int(v) for v in rows.loc[rows[by] == g, "answer"]], dtype=float)
               for g in group_names} if kind == "ordinal" else {}
    if kind == "ordinal":
        if paired:
            if len(group_names) != 2:
                raise AnalysisError(N_("A paired comparison needs exactly two waves."))
            wide = rows.assign(a=[int(v) for v in rows["answer"]]).pivot_table(
                index="respondent", columns=by, values="a", aggfunc="first").dropna()
            if len(wide) == 0:
                raise AnalysisError(N_("No respondent answered the item in both waves."))
            res = stats.wilcoxon(wide[group_names[0]].to_numpy(), wide[group_names[1]].to_numpy())
            test: TestName = "wilcoxon-signed-rank"
            note = f"Paired test on the {len(wide)} respondents who answered in both waves."
            small = small | (len(wide) < threshold)
        elif len(group_names) == 2:
            res = stats.mannwhitneyu(samples[group_names[0]], samples[group_names[1]], alternative="two-sided")
            test = "mann-whitney-u"
        else:
            res = stats.kruskal(*[samples[g] for g in group_names])
            test = "kruskal-wallis"
        statistic, p_value = float(res.statistic), float(res.pvalue)
    else:
        observed = cross.to_numpy(dtype=float)
        observed = observed[:, observed.sum(axis=0) > 0]
        if observed.shape[1] < 2:
            statistic, p_value, test = math.nan, math.nan, "chi-square"
            note = "All answers fall in one category; there is nothing to test."
        else:
            expected = stats.contingency.expected_freq(observed)
            if observed.shape == (2, 2) and (expected < 5).any():
                res = stats.fisher_exact(observed.astype(np.int64))
                statistic, p_value, test = float(res.statistic), float(res.pvalue), "fisher-exact"
            else:
                chi2, p, _, _ = stats.chi2_contingency(observed)
                statistic, p_value, test = float(chi2), float(p), "chi-square"
                if (expected < 5).any():
                    note = "Some expected counts are below 5; the chi-square p-value is approximate."
    any_small = bool(np.any(small))
    group_records = []
    for g in group_names:
        hidden = bool(sizes[g] < threshold)
        rec: dict[str, object] = {"group": g, "n": math.nan if hidden else float(sizes[g])}
        if kind == "ordinal":
            med, q1, q3 = _quartiles(samples[g]) if not hidden else (math.nan,) * 3
            rec.update({"median": med, "q1": q1, "q3": q3})
        rec["suppressed"] = hidden
        group_records.append(rec)
    groups = pd.DataFrame.from_records(group_records)
    if any_small:
        statistic = p_value = math.nan
        note = (note + " " if note else "") + f"Test hidden: a group has fewer than {threshold} respondents."
    return GroupComparison(
        item=item, by=by, kind=kind, test=test, statistic=statistic, p_value=p_value,
        groups=groups, table=table, suppressed=any_small, note=note.strip(),
    )


def compare_groups(
    responses: pd.DataFrame,
    item: str,
    by: str = "group",
    threshold: int = 5,
    scale: Sequence[int] = SCALE,
) -> GroupComparison:
    """Do answers to ``item`` differ between the values of column ``by``?

    Ordinal items: Mann-Whitney U (scipy ``mannwhitneyu``, two-sided, default method) for
    two groups, Kruskal-Wallis (scipy ``kruskal``) for more. Categorical items: Fisher's
    exact test for a 2 x 2 table with an expected count below 5, otherwise the chi-square
    test of independence (scipy ``chi2_contingency``, Yates-corrected for 2 x 2). Rows with
    a missing ``by`` are left out. See :class:`GroupComparison` for suppression.
    """
    _check_threshold(threshold)
    _items(responses, item)
    _require(responses, (by,))
    return _compare(responses, item, by, threshold, scale, paired=False)


def compare_waves(
    responses: pd.DataFrame,
    item: str,
    threshold: int = 5,
    scale: Sequence[int] = SCALE,
    paired: bool = False,
) -> GroupComparison:
    """Do answers to ``item`` differ between survey waves?

    Same tests as :func:`compare_groups` with the waves as groups, which treats the waves
    as independent samples. With ``paired=True`` (exactly two waves, ordinal item) the
    Wilcoxon signed-rank test (scipy ``wilcoxon``) is used on respondents who answered in
    both waves. The note says how many respondents answered in more than one wave.
    """
    _check_threshold(threshold)
    _items(responses, item)
    result = _compare(responses, item, "wave", threshold, scale, paired=paired)
    rows = responses.loc[responses["item"].astype("str") == item]
    repeated = int((rows.groupby("respondent")["wave"].nunique() > 1).sum())
    if not paired and repeated:
        extra = (f"{repeated} respondents answered in more than one wave; the test assumes independent "
                 "samples (use paired=True for a paired test).")
        result = replace(result, note=(result.note + " " + extra).strip())
    return result
