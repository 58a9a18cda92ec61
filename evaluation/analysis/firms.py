"""Participating firms against a comparison group.

The input is a firm-year panel with one row per firm and year::

    firm_id (str), year (int), employees (float), turnover (float, may be missing),
    value_added (float, optional column, may be missing), participant (bool),
    participation_start (Int64 year; missing for comparison firms and for
    participants whose start year is unknown)

Validate it once with :func:`validate_panel`; the analysis functions assume a validated
panel and check only the columns they use.

What is here:

* :func:`before_after`, :func:`before_after_summary` - the participants' own development
  between two years (what programme reports usually show);
* :func:`balance_table`, :func:`match` - how alike participants and comparison firms are,
  and propensity-score or Mahalanobis nearest-neighbour matching;
* :func:`did_twfe`, :func:`fe_regression` - difference-in-differences with firm and year
  fixed effects, cluster-robust standard errors (small-sample correction as pyfixest's
  default, see :func:`fe_regression`);
* :func:`sun_abraham`, :func:`event_study`, :func:`plot_event_study` - the
  interaction-weighted estimator of Sun & Abraham (2021), valid when firms start in
  different years and effects differ between them, with an event-study view and a joint
  test of pre-programme coefficients;
* :func:`did` - chooses the estimator and returns plain-language warnings and design
  limits in Swedish and English;
* :func:`synthetic_panel` - panels with a known effect, for tests and benchmarks.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.core.errors import AnalysisError, ProblemCollector

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "REQUIRED_COLUMNS",
    "OPTIONAL_COLUMNS",
    "validate_panel",
    "BeforeAfterSummary",
    "before_after",
    "before_after_summary",
    "balance_table",
    "CommonSupport",
    "MatchResult",
    "match",
    "Estimate",
    "fe_regression",
    "did_twfe",
    "SunAbrahamResult",
    "sun_abraham",
    "PretrendTest",
    "EventStudyResult",
    "event_study",
    "plot_event_study",
    "DidResult",
    "did",
    "synthetic_panel",
]

REQUIRED_COLUMNS: tuple[str, ...] = (
    "firm_id",
    "year",
    "employees",
    "turnover",
    "participant",
    "participation_start",
)
OPTIONAL_COLUMNS: tuple[str, ...] = ("value_added",)

#: At most this many rows are listed per kind of problem; the rest are counted.
MAX_LISTED_ROWS = 100

_YEAR_MIN, _YEAR_MAX = 1900, 2100


# --------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------


def _report_rows(
    problems: ProblemCollector,
    file: str,
    field: str,
    expectation: str,
    bad: np.ndarray,
    values: pd.Series,
) -> None:
    """Add one problem per bad row (CSV row numbers: index + 2), at most MAX_LISTED_ROWS."""
    positions = np.flatnonzero(bad)
    for pos in positions[:MAX_LISTED_ROWS]:
        value = values.iloc[pos]
        problems.add(file, field, expectation, got=_plain(value), row=int(pos) + 2)
    extra = positions.size - MAX_LISTED_ROWS
    if extra > 0:
        problems.add(file, field, expectation, got=f"{extra} more rows like these")


def _plain(value: object) -> object:
    """A value as shown in messages: numpy scalars as Python scalars, missing as None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _to_bool(value: object) -> bool | None:
    """True/False for booleans, 1/0 and the strings "true"/"false"/"1"/"0"; else None."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)) and not (isinstance(value, float) and math.isnan(value)):
        return True if value == 1 else False if value == 0 else None
    if isinstance(value, str):
        return {"true": True, "1": True, "false": False, "0": False}.get(value.strip().lower())
    return None


def _is_missing(values: pd.Series) -> np.ndarray:
    return values.isna().to_numpy(dtype=bool)


def validate_panel(df: pd.DataFrame, file: str = "<panel>") -> pd.DataFrame:
    """Check a firm-year panel and return it with canonical dtypes, sorted by firm and year.

    Checks: required columns present; ``firm_id`` non-empty; ``year`` an integer in
    1900-2100; ``employees`` a number >= 0; ``turnover`` a number >= 0 or missing;
    ``value_added`` (if present) a number or missing; ``participant`` true/false (or 1/0);
    ``participation_start`` an integer year or missing, and missing for comparison firms;
    ``participant`` and ``participation_start`` constant within a firm; no duplicate
    (firm_id, year). Every problem is collected (rows numbered as in a CSV file: data row
    index + 2) and raised together as :class:`~evaluation.core.errors.InputError`. Extra columns
    are kept unchanged.
    """
    problems = ProblemCollector()
    if not isinstance(df, pd.DataFrame):
        problems.add(file, "<table>", "a pandas DataFrame", got=type(df).__name__)
        problems.raise_if_any()
    data = df.reset_index(drop=True)
    missing_columns = [c for c in REQUIRED_COLUMNS if c not in data.columns]
    for column in missing_columns:
        problems.add(file, column, "a column of the panel", got=f"columns {sorted(map(str, data.columns))}")

    out: dict[str, object] = {}

    if "firm_id" in data.columns:
        raw = data["firm_id"]
        miss = _is_missing(raw)
        text = raw.astype("str")
        empty = ~miss & (text.str.strip() == "").to_numpy(dtype=bool)
        _report_rows(problems, file, "firm_id", "a non-empty firm identifier", miss | empty, raw)
        out["firm_id"] = text

    if "year" in data.columns:
        raw = data["year"]
        num = pd.to_numeric(raw, errors="coerce").astype("Float64")
        values = num.to_numpy(dtype=float, na_value=np.nan)
        bad = ~np.isfinite(values) | (values != np.round(values)) | (values < _YEAR_MIN) | (values > _YEAR_MAX)
        _report_rows(problems, file, "year", f"an integer year between {_YEAR_MIN} and {_YEAR_MAX}", bad, raw)
        out["year"] = np.where(bad, 0, values).astype(np.int64)

    def numeric(column: str, *, allow_missing: bool, non_negative: bool) -> None:
        raw = data[column]
        num = pd.to_numeric(raw, errors="coerce").astype("Float64")
        values = num.to_numpy(dtype=float, na_value=np.nan)
        was_missing = _is_missing(raw)
        not_number = np.isnan(values) & ~was_missing
        bad = not_number | np.isinf(values)
        if not allow_missing:
            bad |= was_missing
        if non_negative:
            bad |= values < 0
        expectation = "a number" + (" >= 0" if non_negative else "") + (" or empty" if allow_missing else "")
        _report_rows(problems, file, column, expectation, bad, raw)
        out[column] = values

    if "employees" in data.columns:
        numeric("employees", allow_missing=False, non_negative=True)
    if "turnover" in data.columns:
        numeric("turnover", allow_missing=True, non_negative=True)
    if "value_added" in data.columns:
        numeric("value_added", allow_missing=True, non_negative=False)

    if "participant" in data.columns:
        raw = data["participant"]
        if raw.dtype == bool:
            t = raw.to_numpy(dtype=bool)
            f = ~t
        else:
            parsed = [_to_bool(v) for v in raw.astype(object)]
            t = np.array([v is True for v in parsed], dtype=bool)
            f = np.array([v is False for v in parsed], dtype=bool)
        _report_rows(problems, file, "participant", "true or false", ~(t | f), raw)
        out["participant"] = t

    if "participation_start" in data.columns:
        raw = data["participation_start"]
        was_missing = _is_missing(raw)
        num = pd.to_numeric(raw, errors="coerce").astype("Float64")
        values = num.to_numpy(dtype=float, na_value=np.nan)
        bad = ~was_missing & (
            ~np.isfinite(values) | (values != np.round(values)) | (values < _YEAR_MIN) | (values > _YEAR_MAX)
        )
        _report_rows(
            problems, file, "participation_start",
            f"an integer year between {_YEAR_MIN} and {_YEAR_MAX} or empty", bad, raw,
        )
        values = np.where(bad, np.nan, values)
        out["participation_start"] = values
        if "participant" in out:
            comparison_with_start = ~out["participant"] & ~np.isnan(values)  # type: ignore[operator]
            _report_rows(
                problems, file, "participation_start",
                "empty for a comparison firm (participant false)", comparison_with_start, raw,
            )

    # Consistency within firms and duplicates need firm_id and year.
    if "firm_id" in out:
        firm = out["firm_id"]
        codes, _ = pd.factorize(firm)  # type: ignore[arg-type]
        for column in ("participant", "participation_start"):
            if column not in out:
                continue
            values = np.asarray(out[column], dtype=float)
            filled = np.where(np.isnan(values), -1.0, values)
            first = np.full(codes.max() + 1 if codes.size else 0, np.nan)
            first[codes[::-1]] = filled[::-1]  # the first row of each firm wins
            differs = filled != first[codes]
            _report_rows(
                problems, file, column,
                "the same on every row of a firm (as on the firm's first row)", differs, data[column],
            )
        if "year" in out:
            key = pd.DataFrame({"f": codes, "y": out["year"]})
            dup = key.duplicated(keep="first").to_numpy(dtype=bool)
            positions = np.flatnonzero(dup)
            for pos in positions[:MAX_LISTED_ROWS]:
                got = (str(firm.iloc[pos]), int(out["year"][pos]))  # type: ignore[index]
                problems.add(file, "firm_id, year", "a unique (firm_id, year) pair", got=got, row=int(pos) + 2)
            if positions.size > MAX_LISTED_ROWS:
                problems.add(
                    file, "firm_id, year", "a unique (firm_id, year) pair",
                    got=f"{positions.size - MAX_LISTED_ROWS} more duplicated rows",
                )

    problems.raise_if_any()

    result = data.copy()
    result["firm_id"] = out["firm_id"]
    result["year"] = out["year"]
    for column in ("employees", "turnover", "value_added"):
        if column in out:
            result[column] = np.asarray(out[column], dtype=float)
    result["participant"] = np.asarray(out["participant"], dtype=bool)
    result["participation_start"] = pd.array(
        np.asarray(out["participation_start"], dtype=float), dtype="Float64"
    ).astype("Int64")
    ordered = [c for c in REQUIRED_COLUMNS] + [c for c in OPTIONAL_COLUMNS if c in result.columns]
    ordered += [c for c in result.columns if c not in ordered]
    result = result[ordered].sort_values(["firm_id", "year"], kind="stable").reset_index(drop=True)
    return result


def _require_columns(panel: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    problems = ProblemCollector()
    if not isinstance(panel, pd.DataFrame):
        problems.add(what, "<table>", "a pandas DataFrame", got=type(panel).__name__)
        problems.raise_if_any()
    for column in columns:
        if column not in panel.columns:
            problems.add(what, column, "a column of the panel", got=f"columns {sorted(map(str, panel.columns))}")
    problems.raise_if_any()


def _floats(values: pd.Series) -> np.ndarray:
    """A column as float64 with NaN for missing (works for Int64/Float64/object numbers)."""
    dtype = values.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "fiub":
        return values.to_numpy(dtype=float)
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "fiu":
        return values.to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(values, errors="coerce").astype("Float64").to_numpy(dtype=float, na_value=np.nan)


# --------------------------------------------------------------------------------------
# Before / after
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BeforeAfterSummary:
    """Participants' development between two years (firms observed in both years only)."""

    outcome: str
    before_year: int
    after_year: int
    n_firms: int
    n_missing: int
    total_before: float
    total_after: float
    change: float
    relative_change: float
    median_change: float
    share_growing: float
    share_unchanged: float
    share_shrinking: float


def _before_after_values(panel: pd.DataFrame, outcome: str, before: int, after: int) -> pd.DataFrame:
    _require_columns(panel, ("firm_id", "year", "participant", outcome), "<panel>")
    part = panel.loc[panel["participant"].to_numpy(dtype=bool)]
    firms = pd.Index(sorted(pd.unique(part["firm_id"].astype("str"))), name="firm_id")
    rows = part.loc[part["year"].isin([before, after]), ["firm_id", "year", outcome]]
    wide = (
        rows.assign(firm_id=rows["firm_id"].astype("str"), value=_floats(rows[outcome]))
        .pivot_table(index="firm_id", columns="year", values="value", aggfunc="first", dropna=False)
        .reindex(index=firms, columns=[before, after])
    )
    return pd.DataFrame(
        {
            "before": wide[before].to_numpy(dtype=float),
            "after": wide[after].to_numpy(dtype=float),
        },
        index=firms,
    )


def _check_years(before: int, after: int) -> None:
    if before == after:
        problems = ProblemCollector()
        problems.add("<arguments>", "after", "a year different from 'before'", got=after)
        problems.raise_if_any()


def before_after(
    panel: pd.DataFrame,
    outcome: str = "employees",
    *,
    before: int,
    after: int,
    names: Mapping[str, str] | None = None,
    total_label: str = "Total",
) -> pd.DataFrame:
    """One row per participating firm: the outcome in ``before`` and ``after`` and its change.

    Columns: ``firm_id``, ``firm`` (the name from ``names`` or the id), ``before``,
    ``after``, ``change`` (after - before) and ``relative_change`` (change / before; NaN
    where before is 0 or missing). Firms are sorted by ``firm_id``. The last row
    (``firm_id`` missing, ``firm`` = ``total_label``) holds totals summed over the firms
    observed in both years, so that before and after cover the same firms.
    """
    _check_years(before, after)
    values = _before_after_values(panel, outcome, before, after)
    names = names or {}
    b = values["before"].to_numpy()
    a = values["after"].to_numpy()
    change = a - b
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(b != 0, change / b, np.nan)
    table = pd.DataFrame(
        {
            "firm_id": pd.array(list(values.index), dtype="str"),
            "firm": pd.array([names.get(f, f) for f in values.index], dtype="str"),
            "before": b,
            "after": a,
            "change": change,
            "relative_change": relative,
        }
    )
    both = ~np.isnan(b) & ~np.isnan(a)
    total_before = float(b[both].sum())
    total_after = float(a[both].sum())
    total_change = total_after - total_before
    total = pd.DataFrame(
        {
            "firm_id": pd.array([pd.NA], dtype="str"),
            "firm": pd.array([total_label], dtype="str"),
            "before": [total_before],
            "after": [total_after],
            "change": [total_change],
            "relative_change": [total_change / total_before if total_before != 0 else np.nan],
        }
    )
    return pd.concat([table, total], ignore_index=True)


def before_after_summary(
    panel: pd.DataFrame,
    outcome: str = "employees",
    *,
    before: int,
    after: int,
) -> BeforeAfterSummary:
    """Totals, median change and shares of growing/unchanged/shrinking participants.

    Only firms observed in both years count (``n_missing`` says how many were left out).
    ``relative_change`` is total change / total before (NaN when the total before is 0).
    """
    _check_years(before, after)
    values = _before_after_values(panel, outcome, before, after)
    b = values["before"].to_numpy()
    a = values["after"].to_numpy()
    both = ~np.isnan(b) & ~np.isnan(a)
    b, a = b[both], a[both]
    change = a - b
    n = int(both.sum())
    total_before, total_after = float(b.sum()), float(a.sum())
    return BeforeAfterSummary(
        outcome=outcome,
        before_year=int(before),
        after_year=int(after),
        n_firms=n,
        n_missing=int((~both).sum()),
        total_before=total_before,
        total_after=total_after,
        change=total_after - total_before,
        relative_change=(total_after - total_before) / total_before if total_before != 0 else math.nan,
        median_change=float(np.median(change)) if n else math.nan,
        share_growing=float((change > 0).mean()) if n else math.nan,
        share_unchanged=float((change == 0).mean()) if n else math.nan,
        share_shrinking=float((change < 0).mean()) if n else math.nan,
    )


# --------------------------------------------------------------------------------------
# Balance and matching
# --------------------------------------------------------------------------------------


def _cross_section(panel: pd.DataFrame, covariates: Sequence[str], year: int) -> pd.DataFrame:
    _require_columns(panel, ("firm_id", "year", "participant", *covariates), "<panel>")
    if not covariates:
        problems = ProblemCollector()
        problems.add("<arguments>", "covariates", "at least one column name", got=list(covariates))
        problems.raise_if_any()
    rows = panel.loc[panel["year"].to_numpy() == year]
    out = pd.DataFrame(
        {
            "firm_id": rows["firm_id"].astype("str").to_numpy(dtype=object),
            "participant": rows["participant"].to_numpy(dtype=bool),
        }
    )
    for c in covariates:
        out[c] = _floats(rows[c])
    return out.sort_values("firm_id", kind="stable").reset_index(drop=True)


def _smd_table(
    treated: pd.DataFrame,
    control: pd.DataFrame,
    covariates: Sequence[str],
    control_weights: np.ndarray | None = None,
    denominators: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    records = []
    for c in covariates:
        t = treated[c].to_numpy(dtype=float)
        k = control[c].to_numpy(dtype=float)
        w = np.ones_like(k) if control_weights is None else np.asarray(control_weights, dtype=float)
        tm, km = ~np.isnan(t), ~np.isnan(k)
        t, k, w = t[tm], k[km], w[km]
        mean_t = float(t.mean()) if t.size else math.nan
        mean_c = float(np.average(k, weights=w)) if k.size and w.sum() > 0 else math.nan
        if denominators is not None:
            sd = denominators[c]
        else:
            var_t = float(t.var(ddof=1)) if t.size > 1 else math.nan
            var_c = float(k.var(ddof=1)) if k.size > 1 else math.nan
            sd = math.sqrt((var_t + var_c) / 2)
        diff = mean_t - mean_c
        if sd > 0:
            smd = diff / sd
        elif sd == 0 and diff == 0:
            smd = 0.0
        else:
            smd = math.nan
        records.append(
            {
                "covariate": c,
                "mean_participants": mean_t,
                "mean_comparison": mean_c,
                "smd": smd,
                "n_participants": int(t.size),
                "n_comparison": int(k.size),
            }
        )
    return pd.DataFrame.from_records(records).set_index("covariate")


def balance_table(panel: pd.DataFrame, covariates: Sequence[str], year: int) -> pd.DataFrame:
    """Means of participants and comparison firms in ``year`` and the standardised difference.

    One row per covariate (index ``covariate``) with ``mean_participants``,
    ``mean_comparison``, ``smd`` and the non-missing counts ``n_participants`` and
    ``n_comparison``. The standardised mean difference uses the pooled standard deviation
    of the two groups (Austin 2009; Rosenbaum & Rubin 1985)::

        smd = (mean_participants - mean_comparison) / sqrt((s2_participants + s2_comparison) / 2)

    with sample variances (ddof = 1). |smd| < 0.1 is commonly read as balanced.
    """
    xs = _cross_section(panel, covariates, year)
    treated = xs.loc[xs["participant"]]
    control = xs.loc[~xs["participant"]]
    return _smd_table(treated, control, covariates)


@dataclass(frozen=True)
class CommonSupport:
    """Which participants lie where comparison firms exist (and so can be matched).

    For propensity matching the region is [low, high], the comparison firms' range of
    scores; for nearest-neighbour matching a participant is outside if any covariate lies
    outside the comparison firms' range (``low``/``high`` are then None).
    """

    rule: str
    low: float | None
    high: float | None
    n_participants: int
    n_outside: int
    outside: tuple[str, ...]


@dataclass(frozen=True)
class MatchResult:
    """Matched pairs, common support and balance before and after matching.

    ``pairs`` has columns ``treated_id``, ``control_id``, ``distance`` and ``round`` (1 for
    the first control of each participant, 2 for the second, ...), plus ``treated_score``
    and ``control_score`` for propensity matching. ``balance_after`` has the shape of
    :func:`balance_table`; matched comparison firms are weighted 1/(number of controls of
    their participant) and the SMD keeps the pooled SD from before matching, so that the
    change shows changed means rather than a changed spread.
    """

    method: Literal["propensity", "nearest"]
    year: int
    covariates: tuple[str, ...]
    caliper: float | None
    caliper_distance: float | None
    ratio: int
    replace: bool
    pairs: pd.DataFrame
    support: CommonSupport
    n_participants: int
    n_matched: int
    n_no_match_within_caliper: int
    balance_before: pd.DataFrame
    balance_after: pd.DataFrame
    scores: pd.DataFrame | None


def match(
    panel: pd.DataFrame,
    covariates: Sequence[str],
    year: int,
    method: Literal["propensity", "nearest"] = "propensity",
    caliper: float | None = 0.2,
    ratio: int = 1,
    seed: int = 0,
    *,
    replace: bool = False,
    order: Literal["largest", "data", "random"] = "largest",
) -> MatchResult:
    """Match participants to comparison firms on covariates measured in ``year``.

    ``method="propensity"``: a logit of participation on the covariates (statsmodels
    ``Logit``) gives each firm a score; distance is the absolute difference in the linear
    predictor (logit of the score); ``caliper`` is in standard deviations of that linear
    predictor over both groups (0.2 as recommended by Austin 2011). Participants whose score
    lies outside the comparison firms' range are dropped (common support).

    ``method="nearest"``: Mahalanobis distance on the covariates (pooled covariance);
    ``caliper`` is a maximum Mahalanobis distance; a participant outside the comparison
    firms' range on any covariate is dropped.

    Greedy matching in ``ratio`` rounds: in each round every participant, in ``order``
    ("largest": highest score first, for nearest matching the largest distance to the
    closest comparison firm first; "data": by firm_id; "random": shuffled with ``seed``),
    takes the closest comparison firm still available (with ``replace=True`` all are
    available). Ties go to the lowest firm_id. Firms with a missing covariate are left out.
    """
    if method not in ("propensity", "nearest"):
        problems = ProblemCollector()
        problems.add("<arguments>", "method", "'propensity' or 'nearest'", got=method)
        problems.raise_if_any()
    if ratio < 1 or int(ratio) != ratio:
        problems = ProblemCollector()
        problems.add("<arguments>", "ratio", "a whole number >= 1", got=ratio)
        problems.raise_if_any()
    covariates = tuple(covariates)
    xs = _cross_section(panel, covariates, year)
    balance_before_all = _smd_table(xs.loc[xs["participant"]], xs.loc[~xs["participant"]], covariates)
    complete = xs.dropna(subset=list(covariates)).reset_index(drop=True)
    is_t = complete["participant"].to_numpy(dtype=bool)
    n_t, n_c = int(is_t.sum()), int((~is_t).sum())
    if n_t == 0 or n_c == 0:
        raise _fail("match_groups", year=year, n_t=n_t, n_c=n_c)
    X = complete[list(covariates)].to_numpy(dtype=float)
    ids = complete["firm_id"].to_numpy(dtype=object)

    scores_df: pd.DataFrame | None = None
    if method == "propensity":
        import statsmodels.api as sm  # local import: heavy

        design = np.column_stack([np.ones(len(X)), X])
        try:
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("error")
                fit = sm.Logit(is_t.astype(float), design).fit(disp=0, method="newton", maxiter=200)
        except Exception as exc:  # perfect separation, singular design, no convergence
            raise _fail("propensity_failed", err=f"{type(exc).__name__}: {exc}") from exc
        if not fit.mle_retvals.get("converged", True):
            raise _fail("propensity_not_converged")
        linear = design @ fit.params
        score = 1.0 / (1.0 + np.exp(-linear))
        scores_df = pd.DataFrame({"firm_id": ids, "participant": is_t, "score": score})
        position = linear  # distance on the logit scale
        low, high = float(score[~is_t].min()), float(score[~is_t].max())
        outside = is_t & ((score < low) | (score > high))
        support_rule = "propensity score within the comparison firms' range"
        caliper_distance = None if caliper is None else float(caliper * np.std(linear, ddof=1))
        support = CommonSupport(
            rule=support_rule, low=low, high=high, n_participants=n_t,
            n_outside=int(outside.sum()), outside=tuple(sorted(ids[outside])),
        )
    else:
        cov = np.atleast_2d(np.cov(X, rowvar=False))
        inv = np.linalg.pinv(cov)
        # Whitening makes Euclidean distance equal to Mahalanobis distance.
        eigval, eigvec = np.linalg.eigh(inv)
        whiten = eigvec @ np.diag(np.sqrt(np.clip(eigval, 0, None))) @ eigvec.T
        position = X @ whiten
        cmin, cmax = X[~is_t].min(axis=0), X[~is_t].max(axis=0)
        outside = is_t & ((cmin > X) | (cmax < X)).any(axis=1)
        support = CommonSupport(
            rule="every covariate within the comparison firms' range", low=None, high=None,
            n_participants=n_t, n_outside=int(outside.sum()), outside=tuple(sorted(ids[outside])),
        )
        caliper_distance = None if caliper is None else float(caliper)
        score = None

    pos = np.atleast_2d(np.asarray(position, dtype=float).T).T  # (n, d)
    treated_idx = np.flatnonzero(is_t & ~outside)
    control_idx = np.flatnonzero(~is_t)  # sorted by firm_id already
    cpos = pos[control_idx]

    def dist_to_controls(i: int) -> np.ndarray:
        return np.sqrt(((cpos - pos[i]) ** 2).sum(axis=1))

    if order == "largest":
        if method == "propensity":
            key = -np.asarray(score)[treated_idx]
        else:
            key = -np.array([dist_to_controls(i).min() for i in treated_idx])
        treated_order = treated_idx[np.lexsort((ids[treated_idx].astype(str), key))]
    elif order == "data":
        treated_order = treated_idx
    elif order == "random":
        treated_order = treated_idx[np.random.default_rng(seed).permutation(treated_idx.size)]
    else:
        problems = ProblemCollector()
        problems.add("<arguments>", "order", "'largest', 'data' or 'random'", got=order)
        problems.raise_if_any()
        raise AssertionError  # unreachable

    available = np.ones(control_idx.size, dtype=bool)
    matched: dict[int, list[tuple[int, float]]] = {int(i): [] for i in treated_order}
    no_match: set[int] = set()
    for rnd in range(1, int(ratio) + 1):
        for i in treated_order:
            i = int(i)
            if i in no_match:
                continue
            d = dist_to_controls(i)
            allowed = available if not replace else np.ones_like(available)
            if replace:
                used = {c for c, _ in matched[i]}
                if used:
                    allowed = allowed.copy()
                    allowed[list(used)] = False
            if caliper_distance is not None:
                allowed = allowed & (d <= caliper_distance)
            if not allowed.any():
                if rnd == 1:
                    no_match.add(i)
                continue
            d_masked = np.where(allowed, d, np.inf)
            j = int(np.argmin(d_masked))  # first minimum = lowest firm_id
            matched[i].append((j, float(d[j])))
            if not replace:
                available[j] = False

    records = []
    for i in sorted(matched, key=lambda k: ids[k]):
        for rnd, (j, d) in enumerate(matched[i], start=1):
            rec = {"treated_id": ids[i], "control_id": ids[control_idx[j]], "distance": d, "round": rnd}
            if method == "propensity":
                rec["treated_score"] = float(score[i])  # type: ignore[index]
                rec["control_score"] = float(score[control_idx[j]])  # type: ignore[index]
            records.append(rec)
    columns = ["treated_id", "control_id", "distance", "round"] + (
        ["treated_score", "control_score"] if method == "propensity" else []
    )
    pairs = pd.DataFrame.from_records(records, columns=columns)
    if not pairs.empty:
        pairs["treated_id"] = pairs["treated_id"].astype("str")
        pairs["control_id"] = pairs["control_id"].astype("str")
    pairs["round"] = pairs["round"].astype(np.int64)

    matched_t = [i for i in matched if matched[i]]
    weights: dict[int, float] = {}
    for i in matched_t:
        share = 1.0 / len(matched[i])
        for j, _ in matched[i]:
            weights[j] = weights.get(j, 0.0) + share
    denominators = {}
    for c in covariates:
        t = xs.loc[xs["participant"], c].dropna().to_numpy(dtype=float)
        k = xs.loc[~xs["participant"], c].dropna().to_numpy(dtype=float)
        denominators[c] = math.sqrt((t.var(ddof=1) + k.var(ddof=1)) / 2) if t.size > 1 and k.size > 1 else math.nan
    control_rows = sorted(weights)
    treated_frame = complete.iloc[sorted(matched_t)]
    control_frame = complete.iloc[[int(control_idx[j]) for j in control_rows]]
    balance_after = _smd_table(
        treated_frame, control_frame, covariates,
        control_weights=np.array([weights[j] for j in control_rows]), denominators=denominators,
    )
    if scores_df is not None:
        scores_df = scores_df.assign(firm_id=scores_df["firm_id"].astype("str"))
    return MatchResult(
        method=method,
        year=int(year),
        covariates=covariates,
        caliper=caliper,
        caliper_distance=caliper_distance,
        ratio=int(ratio),
        replace=bool(replace),
        pairs=pairs,
        support=support,
        n_participants=n_t,
        n_matched=len(matched_t),
        n_no_match_within_caliper=len(no_match),
        balance_before=balance_before_all,
        balance_after=balance_after,
        scores=scores_df,
    )


# --------------------------------------------------------------------------------------
# Fixed-effects regression engine
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """One estimated coefficient with its 95 % confidence interval.

    ``df`` is the degrees of freedom of the t distribution used for the p-value and the
    interval (G - 1 for cluster-robust errors, N - K for iid errors); ``se_type`` says how
    the standard error was computed.
    """

    name: str
    coefficient: float
    std_error: float
    ci_low: float
    ci_high: float
    p_value: float
    n_obs: int
    n_firms: int
    n_clusters: int | None
    se_type: str
    df: float


def _estimate(name: str, coef: float, se: float, df_t: float, n_obs: int, n_firms: int,
              n_clusters: int | None, se_type: str) -> Estimate:
    crit = float(stats.t.ppf(0.975, df_t))
    tstat = coef / se if se > 0 else math.nan
    p = float(2 * stats.t.sf(abs(tstat), df_t)) if se > 0 else math.nan
    return Estimate(
        name=name, coefficient=float(coef), std_error=float(se),
        ci_low=float(coef - crit * se), ci_high=float(coef + crit * se), p_value=p,
        n_obs=int(n_obs), n_firms=int(n_firms), n_clusters=n_clusters, se_type=se_type, df=float(df_t),
    )


def _dense_codes(codes: np.ndarray) -> tuple[np.ndarray, int]:
    """Renumber non-negative integer codes to 0..k-1 keeping their order."""
    if codes.size == 0:
        return codes.astype(np.intp), 0
    present = np.bincount(codes) > 0
    remap = np.cumsum(present) - 1
    return remap[codes].astype(np.intp), int(present.sum())


def _year_codes(year: np.ndarray) -> tuple[np.ndarray, int, np.ndarray]:
    """Codes 0..T-1 for integer years (in year order) and the years themselves."""
    ymin = int(year.min())
    shifted = (year - ymin).astype(np.intp)
    present = np.bincount(shifted) > 0
    remap = np.cumsum(present) - 1
    years = np.flatnonzero(present) + ymin
    return remap[shifted].astype(np.intp), int(present.sum()), years


class _TwoWayDemeaner:
    """Removes firm and year means (the within transformation for two-way fixed effects).

    * balanced panel (every firm once in every year): exact one pass,
      x - firm mean - year mean + grand mean;
    * unbalanced, firms x years small enough: exact in one pass by Frisch-Waugh-Lovell -
      demean within firms, then project on the within-firm-demeaned year dummies, whose
      (T x T) cross-product is built from np.bincount counts;
    * otherwise: alternating projections (np.bincount means) until the largest mean
      removed is below ``tol`` times the scale of the data.
    """

    EXACT_LIMIT = 50_000_000  # firms x years cells for the exact unbalanced method

    def __init__(self, firm: np.ndarray, year: np.ndarray, n_firms: int, n_years: int,
                 method: Literal["auto", "exact", "alternating"] = "auto",
                 tol: float = 1e-12, maxiter: int = 100_000) -> None:
        self.firm, self.year = firm, year
        self.nf, self.ny = n_firms, n_years
        self.n = firm.size
        self.firm_n = np.bincount(firm, minlength=n_firms).astype(float)
        self.year_n = np.bincount(year, minlength=n_years).astype(float)
        self.tol, self.maxiter = tol, maxiter
        self.balanced = False
        if self.n == n_firms * n_years and np.all(self.firm_n == n_years):
            cells = np.bincount(firm.astype(np.int64) * n_years + year, minlength=n_firms * n_years)
            self.balanced = bool(cells.max() == 1)
        if self.balanced and method == "auto":
            self.method = "balanced"
        elif method == "alternating" or (method == "auto" and n_firms * n_years > self.EXACT_LIMIT):
            self.method = "alternating"
        else:
            self.method = "exact"
            counts = np.bincount(firm.astype(np.int64) * n_years + year,
                                 minlength=n_firms * n_years).reshape(n_firms, n_years).astype(float)
            a = np.diag(self.year_n) - counts.T @ (counts / self.firm_n[:, None])
            self.a_pinv = np.linalg.pinv(a[1:, 1:], rcond=1e-12, hermitian=True)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        firm, year = self.firm, self.year
        if self.method == "balanced":
            fm = np.bincount(firm, weights=x, minlength=self.nf) / self.ny
            ym = np.bincount(year, weights=x, minlength=self.ny) / self.nf
            out = x - fm[firm]
            out -= ym[year]
            out += x.mean()
            return out
        if self.method == "exact":
            fm = np.bincount(firm, weights=x, minlength=self.nf) / self.firm_n
            xw = x - fm[firm]
            b = np.bincount(year, weights=xw, minlength=self.ny)
            g = np.zeros(self.ny)
            g[1:] = self.a_pinv @ b[1:]
            gi = g[year]
            gf = np.bincount(firm, weights=gi, minlength=self.nf) / self.firm_n
            xw -= gi
            xw += gf[firm]
            return xw
        out = np.array(x, dtype=float, copy=True)
        scale = max(float(np.abs(out).max()) if out.size else 0.0, 1.0)
        for _ in range(self.maxiter):
            fm = np.bincount(firm, weights=out, minlength=self.nf) / self.firm_n
            out -= fm[firm]
            ym = np.bincount(year, weights=out, minlength=self.ny) / self.year_n
            out -= ym[year]
            if max(float(np.abs(fm).max()), float(np.abs(ym).max())) < self.tol * scale:
                return out
        raise _fail("not_converged", n=self.maxiter)


def _nested(fe_codes: np.ndarray, n_levels: int, cluster_codes: np.ndarray) -> bool:
    """True if every level of a fixed effect lies within a single cluster."""
    first = np.full(n_levels, -1, dtype=np.int64)
    first[fe_codes] = cluster_codes  # any one cluster of each level
    return bool(np.array_equal(first[fe_codes], cluster_codes))


@dataclass(frozen=True)
class _Fit:
    names: tuple[str, ...]
    beta: np.ndarray
    vcov: np.ndarray
    df_t: float
    n_obs: int
    n_firms: int
    n_clusters: int | None
    se_type: str

    def estimate(self, j: int) -> Estimate:
        return _estimate(self.names[j], self.beta[j], math.sqrt(max(self.vcov[j, j], 0.0)), self.df_t,
                         self.n_obs, self.n_firms, self.n_clusters, self.se_type)


def _fe_ols(
    y: np.ndarray,
    columns: Sequence[np.ndarray],
    names: Sequence[str],
    firm: np.ndarray,
    year: np.ndarray,
    n_firms: int,
    n_years: int,
    cluster: np.ndarray | None,
    n_clusters: int,
    cluster_name: str | None,
    demean: Literal["auto", "exact", "alternating"] = "auto",
) -> _Fit:
    """OLS of y on the columns with firm and year fixed effects (see fe_regression)."""
    n = y.size
    k = len(columns)
    dm = _TwoWayDemeaner(firm, year, n_firms, n_years, demean)
    yd = dm(y)
    xd = np.empty((n, k), order="F")
    for j, col in enumerate(columns):
        col = np.asarray(col, dtype=float)
        xd[:, j] = dm(col)
        before = float(np.sqrt(np.dot(col - col.mean(), col - col.mean()))) if n else 0.0
        after = float(np.sqrt(np.dot(xd[:, j], xd[:, j])))
        if after <= 1e-9 * max(before, 1e-300) or after == 0.0:
            raise _fail("no_variation", name=names[j])
    xtx = xd.T @ xd
    scale = np.sqrt(np.diag(xtx))
    if np.linalg.cond(xtx / np.outer(scale, scale)) > 1e12:  # scale-free collinearity check
        raise _fail("collinear", names=", ".join(names))
    bread = np.linalg.inv(xtx)
    beta = bread @ (xd.T @ yd)
    resid = yd - xd @ beta
    fe_params = n_firms + n_years - 1  # one level is redundant with two fixed effects
    if cluster is None:
        df_k = k + fe_params
        dof = n - df_k
        if dof <= 0:
            raise _fail("too_few_obs", n=n, k=df_k)
        sigma2 = float(resid @ resid) / dof
        vcov = sigma2 * bread
        se_type = (
            f"iid (classical) standard errors, s^2 = RSS/(N-K) with K = {df_k} "
            f"(regressors + firm and year effects); t distribution with {dof} df"
        )
        return _Fit(tuple(names), beta, vcov, float(dof), n, n_firms, None, se_type)
    if n_clusters < 2:
        raise _fail("one_cluster")
    sg = np.empty((n_clusters, k))
    for j in range(k):
        sg[:, j] = np.bincount(cluster, weights=xd[:, j] * resid, minlength=n_clusters)
    meat = sg.T @ sg
    firm_nested = cluster is firm or _nested(firm, n_firms, cluster)
    year_nested = _nested(year, n_years, cluster)
    k_fe_nested = n_firms * firm_nested + n_years * year_nested
    n_nested = int(firm_nested) + int(year_nested)
    df_k = k + fe_params - k_fe_nested + n_nested
    g = n_clusters
    factor = (n - 1) / (n - df_k) * g / (g - 1)
    vcov = factor * (bread @ meat @ bread)
    se_type = (
        f"cluster-robust (CR1) by {cluster_name}, {g} clusters; small-sample factor "
        f"G/(G-1) * (N-1)/(N-K) with K = {df_k} (fixed effects nested in clusters count as one, "
        f"as pyfixest's default ssc); t distribution with G-1 = {g - 1} df"
    )
    return _Fit(tuple(names), beta, vcov, float(g - 1), n, n_firms, g, se_type)


@dataclass(frozen=True)
class _Prepared:
    y: np.ndarray
    columns: dict[str, np.ndarray]
    firm: np.ndarray
    year: np.ndarray
    years: np.ndarray
    n_firms: int
    n_years: int
    cluster: np.ndarray | None
    n_clusters: int
    start: np.ndarray
    participant: np.ndarray
    n_unknown_start: int


def _prepare(
    panel: pd.DataFrame,
    outcome: str,
    extra: Sequence[str],
    cluster: str | None,
    *,
    drop_unknown_start: bool,
    need_status: bool,
) -> _Prepared:
    """Numeric arrays for estimation; rows with a missing outcome/regressor are dropped."""
    needed = ["firm_id", "year", outcome, *extra]
    if need_status:
        needed += ["participant", "participation_start"]
    if cluster is not None and cluster not in needed:
        needed.append(cluster)
    _require_columns(panel, list(dict.fromkeys(needed)), "<panel>")
    firm_codes, _ = pd.factorize(panel["firm_id"], use_na_sentinel=True)
    if (firm_codes < 0).any():
        raise _fail("missing_ids", column="firm_id")
    year = panel["year"].to_numpy()
    if year.dtype.kind not in "iu":
        year = _floats(panel["year"])
        if np.isnan(year).any():
            raise _fail("missing_ids", column="year")
        year = year.astype(np.int64)
    y = _floats(panel[outcome])
    keep = ~np.isnan(y)
    columns = {}
    for c in extra:
        col = _floats(panel[c])
        keep &= ~np.isnan(col)
        columns[c] = col
    if need_status:
        participant = panel["participant"].to_numpy(dtype=bool)
        start = _floats(panel["participation_start"])
        unknown = participant & np.isnan(start)
        n_unknown = int(pd.unique(firm_codes[unknown]).size)
        if drop_unknown_start:
            keep &= ~unknown
    else:
        participant = np.zeros(y.size, dtype=bool)
        start = np.full(y.size, np.nan)
        n_unknown = 0
    cl_codes: np.ndarray | None = None
    if cluster is not None:
        if cluster == "firm_id":
            cl_codes = firm_codes
        else:
            cl_codes, _ = pd.factorize(panel[cluster], use_na_sentinel=True)
            if (cl_codes[keep] < 0).any():
                raise _fail("missing_cluster", cluster=cluster)
    all_kept = bool(keep.all())
    if not all_kept:
        y = y[keep]
        firm_codes = firm_codes[keep]
        year = year[keep]
        columns = {c: v[keep] for c, v in columns.items()}
        participant, start = participant[keep], start[keep]
        if cl_codes is not None:
            cl_codes = cl_codes[keep]
    if y.size == 0:
        raise _fail("no_rows", outcome=outcome)
    firm, n_firms = _dense_codes(firm_codes) if not all_kept else (firm_codes.astype(np.intp, copy=False), int(firm_codes.max()) + 1)
    year_codes, n_years, years = _year_codes(year)
    n_clusters = 0
    if cl_codes is not None:
        if cluster == "firm_id":
            cl_codes, n_clusters = firm, n_firms
        else:
            cl_codes, n_clusters = _dense_codes(cl_codes)
    return _Prepared(
        y=y, columns=columns, firm=firm, year=year_codes, years=years, n_firms=n_firms,
        n_years=n_years, cluster=cl_codes, n_clusters=n_clusters,
        start=start, participant=participant, n_unknown_start=n_unknown,
    )


def fe_regression(
    panel: pd.DataFrame,
    outcome: str,
    regressors: Sequence[str],
    cluster: str | None = "firm_id",
) -> tuple[Estimate, ...]:
    """OLS of ``outcome`` on ``regressors`` with firm and year fixed effects.

    Rows with a missing outcome or regressor are dropped. The fixed effects are removed by
    the within transformation (exact for balanced panels and for unbalanced panels with up
    to 50 million firm x year cells, alternating projections beyond that).

    Standard errors:

    * ``cluster=None``: classical iid errors, s^2 = RSS / (N - K), K = regressors + firms +
      years - 1 (as Stata's ``xtreg, fe`` and textbooks), t distribution with N - K df;
    * ``cluster="<column>"`` (default ``"firm_id"``): CR1 sandwich
      (X'X)^-1 (sum_g X_g'e_g e_g'X_g) (X'X)^-1 times G/(G-1) * (N-1)/(N-K), where K counts
      the regressors plus the fixed-effect levels not nested in the clusters, and each fixed
      effect nested in the clusters counts as one. This is pyfixest's default
      (``ssc(k_adj=True, k_fixef="nonnested", G_adj=True)``) and equals Stata's ``reghdfe``
      (nested effects redundant, constant counted); for firm clusters K = regressors +
      years. p-values and intervals use the t distribution with G - 1 df.
    """
    regressors = list(regressors)
    if not regressors:
        problems = ProblemCollector()
        problems.add("<arguments>", "regressors", "at least one column name", got=regressors)
        problems.raise_if_any()
    prep = _prepare(panel, outcome, regressors, cluster, drop_unknown_start=False, need_status=False)
    fit = _fe_ols(prep.y, [prep.columns[c] for c in regressors], regressors, prep.firm, prep.year,
                  prep.n_firms, prep.n_years, prep.cluster, prep.n_clusters, cluster)
    return tuple(fit.estimate(j) for j in range(len(regressors)))


def did_twfe(
    panel: pd.DataFrame,
    outcome: str,
    treatment_col: str | None = None,
    cluster: str | None = "firm_id",
    covariates: Sequence[str] = (),
) -> Estimate:
    """Difference-in-differences with firm and year fixed effects (two-way fixed effects).

    The treatment is ``participant & year >= participation_start`` unless ``treatment_col``
    names a column holding it. With the default treatment, participants with an unknown
    start year are dropped (their post period is unknown). ``covariates`` are added as
    time-varying controls. Standard errors as in :func:`fe_regression` (firm-clustered by
    default, ``cluster=None`` for iid errors).

    With staggered start years and effects that differ between start years or grow over
    time this estimator is biased; use :func:`did` or :func:`sun_abraham` then.
    """
    covariates = list(covariates)
    if treatment_col is None:
        prep = _prepare(panel, outcome, covariates, cluster, drop_unknown_start=True, need_status=True)
        treat = (prep.participant & (prep.years[prep.year] >= np.nan_to_num(prep.start, nan=np.inf))).astype(float)
        name = "treatment (participant after start)"
    else:
        prep = _prepare(panel, outcome, [treatment_col, *covariates], cluster,
                        drop_unknown_start=False, need_status=False)
        treat = prep.columns[treatment_col]
        name = treatment_col
    columns = [treat] + [prep.columns[c] for c in covariates]
    fit = _fe_ols(prep.y, columns, [name, *covariates], prep.firm, prep.year, prep.n_firms,
                  prep.n_years, prep.cluster, prep.n_clusters, cluster)
    return fit.estimate(0)


# --------------------------------------------------------------------------------------
# Staggered entry: Sun & Abraham (2021)
# --------------------------------------------------------------------------------------


class _Columns(Sequence[np.ndarray]):
    """Indicator columns 1{cell_id == j} made one at a time (saves memory), then extras."""

    def __init__(self, cell_id: np.ndarray, n_cells: int, extra: list[np.ndarray]) -> None:
        self.cell_id, self.n_cells, self.extra = cell_id, n_cells, extra

    def __len__(self) -> int:
        return self.n_cells + len(self.extra)

    def __getitem__(self, j):  # type: ignore[no-untyped-def, override]
        if not 0 <= j < len(self):
            raise IndexError(j)
        if j < self.n_cells:
            return (self.cell_id == j).astype(float)
        return self.extra[j - self.n_cells]


@dataclass(frozen=True)
class SunAbrahamResult:
    """Interaction-weighted estimates (Sun & Abraham 2021).

    ``att``: average effect over all participant firm-years from the start year on,
    weighting each cohort x relative-year cell by its number of observations.
    ``by_rel_time``: per year relative to start (rel_time, coefficient, std_error, ci_low,
    ci_high, p_value, n_obs), each a cohort-share-weighted average; the reference year is
    not in it. ``vcov_rel_time`` is the covariance of those coefficients (same order).
    ``cells``: the cohort x relative-year coefficients. Weights are treated as known in the
    standard errors (delta method, as fixest's ``aggregate``).
    """

    att: Estimate
    by_rel_time: pd.DataFrame
    vcov_rel_time: np.ndarray
    cells: pd.DataFrame
    reference: int
    control: Literal["never", "last"]
    n_cohorts: int
    n_treated_firms: int
    n_control_firms: int
    n_unknown_start: int
    n_always_treated: int
    n_cohorts_without_reference: int


def sun_abraham(
    panel: pd.DataFrame,
    outcome: str,
    covariates: Sequence[str] = (),
    cluster: str | None = "firm_id",
    control: Literal["never", "last"] = "never",
    reference: int = -1,
) -> SunAbrahamResult:
    """Sun & Abraham (2021) interaction-weighted estimator for staggered start years.

    Regresses the outcome on a full set of cohort (start year) x relative-year indicators,
    leaving out relative year ``reference`` for each cohort, with firm and year fixed
    effects and the same standard errors as :func:`fe_regression`. Controls
    (``control="never"``) are firms that never participate, plus participants whose start
    lies after the last year in the data. ``control="last"`` adds the last-starting cohort
    as controls and drops the years from its start on. Participants without a known start
    are dropped; cohorts starting in or before the first year (no pre-period) and cohorts
    not observed in their reference year are dropped (counted in the result).

    Valid under heterogeneous and dynamic effects given parallel trends and no
    anticipation, unlike two-way fixed effects with staggered timing (Goodman-Bacon 2021).
    """
    if reference >= 0:
        problems = ProblemCollector()
        problems.add("<arguments>", "reference", "a negative relative year (e.g. -1)", got=reference)
        problems.raise_if_any()
    covariates = list(covariates)
    prep = _prepare(panel, outcome, covariates, cluster, drop_unknown_start=True, need_status=True)
    years = prep.years[prep.year]
    first_year, last_year = int(prep.years.min()), int(prep.years.max())
    start = prep.start
    is_part = prep.participant & ~np.isnan(start)
    cohort = np.where(is_part & (start <= last_year), start, np.inf)  # inf = control
    always = is_part & (start <= first_year)
    n_always = int(pd.unique(prep.firm[always]).size)
    keep = ~always
    if control == "last":
        finite = np.unique(cohort[np.isfinite(cohort) & keep])
        if finite.size < 2:
            raise _fail("last_needs_two")
        last_cohort = finite[-1]
        keep &= years < last_cohort
        cohort = np.where(cohort == last_cohort, np.inf, cohort)
    elif control != "never":
        problems = ProblemCollector()
        problems.add("<arguments>", "control", "'never' or 'last'", got=control)
        problems.raise_if_any()
    # cohorts without their reference year in the data cannot be normalised: drop them
    rel = years - cohort  # -inf for controls
    treated_rows = np.isfinite(cohort) & keep
    ref_cohorts = set(np.unique(cohort[treated_rows & (rel == reference)]).tolist())
    all_cohorts = np.unique(cohort[treated_rows])
    no_ref = [c for c in all_cohorts.tolist() if c not in ref_cohorts]
    if no_ref:
        keep &= ~np.isin(cohort, no_ref)
    if not (np.isinf(cohort) & keep).any():
        raise _fail("no_comparison")
    treated_rows = np.isfinite(cohort) & keep
    if not treated_rows.any():
        raise _fail("no_pre_period")
    # restrict arrays
    idx = np.flatnonzero(keep)
    y = prep.y[idx]
    firm_raw, year_raw = prep.firm[idx], prep.year[idx]
    firm, n_firms = _dense_codes(firm_raw)
    year_c, n_years = _dense_codes(year_raw)
    cl = None
    n_cl = 0
    if prep.cluster is not None:
        cl, n_cl = (firm, n_firms) if cluster == "firm_id" else _dense_codes(prep.cluster[idx])
    coh = cohort[idx]
    r = rel[idx]
    cell_rows = np.isfinite(coh) & (r != reference)
    cell_key = pd.DataFrame({"cohort": coh[cell_rows], "rel_time": r[cell_rows]})
    cells = cell_key.drop_duplicates().sort_values(["cohort", "rel_time"]).reset_index(drop=True)
    cell_index = pd.MultiIndex.from_frame(cells)
    cell_id = np.full(y.size, -1, dtype=np.intp)
    cell_id[cell_rows] = cell_index.get_indexer(pd.MultiIndex.from_frame(cell_key))
    m = len(cells)
    n_obs_cell = np.bincount(cell_id[cell_id >= 0], minlength=m)
    columns = _Columns(cell_id, m, [prep.columns[c][idx] for c in covariates])
    names = [f"cohort {int(c)} x rel {int(t)}" for c, t in zip(cells["cohort"], cells["rel_time"])] + covariates
    fit = _fe_ols(y, columns, names, firm, year_c, n_firms, n_years, cl, n_cl, cluster)
    beta, vcov = fit.beta[:m], fit.vcov[:m, :m]
    rel_times = np.sort(cells["rel_time"].unique())
    w = np.zeros((rel_times.size, m))
    cell_rel = cells["rel_time"].to_numpy()
    for i, t in enumerate(rel_times):
        sel = cell_rel == t
        w[i, sel] = n_obs_cell[sel] / n_obs_cell[sel].sum()
    coef_rel = w @ beta
    vcov_rel = w @ vcov @ w.T
    crit = float(stats.t.ppf(0.975, fit.df_t))
    se_rel = np.sqrt(np.clip(np.diag(vcov_rel), 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        p_rel = 2 * stats.t.sf(np.abs(coef_rel / se_rel), fit.df_t)
    n_rel = np.array([int(n_obs_cell[cell_rel == t].sum()) for t in rel_times])
    by_rel = pd.DataFrame(
        {
            "rel_time": rel_times.astype(np.int64),
            "coefficient": coef_rel,
            "std_error": se_rel,
            "ci_low": coef_rel - crit * se_rel,
            "ci_high": coef_rel + crit * se_rel,
            "p_value": p_rel,
            "n_obs": n_rel,
        }
    )
    post = cell_rel >= 0
    if not post.any():
        raise _fail("no_post")
    w_att = np.where(post, n_obs_cell, 0) / n_obs_cell[post].sum()
    att_coef = float(w_att @ beta)
    att_se = math.sqrt(max(float(w_att @ vcov @ w_att), 0.0))
    se_cell = np.sqrt(np.clip(np.diag(vcov), 0, None))
    cells_out = pd.DataFrame(
        {
            "cohort": cells["cohort"].to_numpy().astype(np.int64),
            "rel_time": cell_rel.astype(np.int64),
            "coefficient": beta,
            "std_error": se_cell,
            "n_obs": n_obs_cell,
        }
    )
    se_type = fit.se_type + "; aggregated by the delta method with cohort-share weights treated as known"
    att = _estimate("ATT (Sun & Abraham interaction-weighted)", att_coef, att_se, fit.df_t, fit.n_obs,
                    fit.n_firms, fit.n_clusters, se_type)
    treated_firms = int(pd.unique(firm[np.isfinite(coh)]).size)
    return SunAbrahamResult(
        att=att,
        by_rel_time=by_rel,
        vcov_rel_time=vcov_rel,
        cells=cells_out,
        reference=int(reference),
        control=control,
        n_cohorts=int(cells["cohort"].nunique()),
        n_treated_firms=treated_firms,
        n_control_firms=int(n_firms - treated_firms),
        n_unknown_start=prep.n_unknown_start,
        n_always_treated=n_always,
        n_cohorts_without_reference=len(no_ref),
    )


# --------------------------------------------------------------------------------------
# Event study
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PretrendTest:
    """Joint Wald test that all pre-programme coefficients are zero.

    ``statistic`` is the F statistic W/q (W = b' V^-1 b), with ``df1`` = q and ``df2`` the
    t degrees of freedom of the estimate (G - 1 when clustered); ``chi2`` = W with its
    asymptotic p-value ``chi2_p_value``.
    """

    rel_times: tuple[int, ...]
    statistic: float
    df1: int
    df2: float
    p_value: float
    chi2: float
    chi2_p_value: float

    def rejects(self, alpha: float = 0.05) -> bool:
        return self.p_value < alpha


@dataclass(frozen=True)
class EventStudyResult:
    """Effects by year relative to the programme start, with a pre-trend test.

    ``table`` columns: rel_time, coefficient, std_error, ci_low, ci_high, p_value, n_obs,
    is_reference (the reference year has coefficient 0 and no standard error).
    ``pretrend`` is None when no pre-programme year besides the reference can be estimated.
    """

    outcome: str
    table: pd.DataFrame
    pretrend: PretrendTest | None
    reference: int
    method: str
    n_obs: int
    n_firms: int
    n_treated_firms: int


def event_study(
    panel: pd.DataFrame,
    outcome: str,
    leads: int = 3,
    lags: int = 3,
    reference: int = -1,
    covariates: Sequence[str] = (),
    cluster: str | None = "firm_id",
) -> EventStudyResult:
    """Event study from ``-leads`` to ``lags`` years around the start, reference year = 0.

    Coefficients come from :func:`sun_abraham` (fully saturated in cohort x relative year,
    so no binning and no contamination between periods; with a single start year this is
    the usual dynamic two-way fixed-effects event study). Relative years outside the window
    are estimated but not shown. The pre-trend test is a joint Wald test (F with G - 1
    denominator df when clustered) of the shown pre-programme coefficients other than the
    reference.
    """
    if leads < 0 or lags < 0:
        problems = ProblemCollector()
        problems.add("<arguments>", "leads, lags", "non-negative whole numbers", got=(leads, lags))
        problems.raise_if_any()
    sa = sun_abraham(panel, outcome, covariates=covariates, cluster=cluster, reference=reference)
    rel = sa.by_rel_time
    window = (rel["rel_time"] >= -leads) & (rel["rel_time"] <= lags)
    table = rel.loc[window].copy()
    table["is_reference"] = False
    if -leads <= reference <= lags:
        ref_row = pd.DataFrame(
            {
                "rel_time": [reference], "coefficient": [0.0], "std_error": [np.nan], "ci_low": [np.nan],
                "ci_high": [np.nan], "p_value": [np.nan], "n_obs": [0], "is_reference": [True],
            }
        )
        table = pd.concat([table, ref_row], ignore_index=True)
    table = table.sort_values("rel_time").reset_index(drop=True)
    table["rel_time"] = table["rel_time"].astype(np.int64)
    table["n_obs"] = table["n_obs"].astype(np.int64)
    pre_mask = (window & (rel["rel_time"] < 0)).to_numpy()
    pretrend = None
    if pre_mask.any():
        b = rel.loc[pre_mask, "coefficient"].to_numpy()
        v = sa.vcov_rel_time[np.ix_(pre_mask, pre_mask)]
        q = int(np.linalg.matrix_rank(v))
        if q > 0:
            w_stat = float(b @ np.linalg.pinv(v) @ b)
            df2 = sa.att.df
            f_stat = w_stat / q
            pretrend = PretrendTest(
                rel_times=tuple(int(t) for t in rel.loc[pre_mask, "rel_time"]),
                statistic=f_stat,
                df1=q,
                df2=df2,
                p_value=float(stats.f.sf(f_stat, q, df2)),
                chi2=w_stat,
                chi2_p_value=float(stats.chi2.sf(w_stat, q)),
            )
    return EventStudyResult(
        outcome=outcome,
        table=table,
        pretrend=pretrend,
        reference=int(reference),
        method="interaction-weighted event study (Sun & Abraham 2021)",
        n_obs=sa.att.n_obs,
        n_firms=sa.att.n_firms,
        n_treated_firms=sa.n_treated_firms,
    )


_OUTCOMES = {  # outcome column -> (label, unit) per language
    "sv": {"employees": ("antal anställda", "personer"), "turnover": ("omsättning", "kr"),
           "value_added": ("förädlingsvärde", "kr")},
    "en": {"employees": ("number of employees", "persons"), "turnover": ("turnover", "SEK"),
           "value_added": ("value added", "SEK")},
}


def plot_event_study(
    result: EventStudyResult,
    ax: Axes | None = None,
    *,
    lang: Literal["sv", "en"] = "sv",
    label: str | None = None,
    unit: str | None = None,
) -> Figure:
    """Plot an event study: points with 95 % intervals, zero line, start marked.

    Black and grey only, with marker shapes and line styles, so it reads in greyscale.
    ``label`` names the outcome and ``unit`` its unit on the y axis; both default from the
    outcome column (employees: persons; turnover and value added: SEK), else the column name
    and no unit. Returns the Figure; never shows it.
    """
    from matplotlib.figure import Figure as _Figure

    if ax is None:
        fig = _Figure(figsize=(7, 4.2))
        ax = fig.add_subplot(1, 1, 1)
    else:
        fig = ax.figure  # type: ignore[assignment]
    table = result.table
    est = table.loc[~table["is_reference"]]
    ref = table.loc[table["is_reference"]]
    pre = est["rel_time"] < 0
    default_label, default_unit = _OUTCOMES[lang].get(result.outcome, (result.outcome, ""))
    name = label or default_label
    unit_text = unit if unit is not None else default_unit
    unit_part = f" ({unit_text})" if unit_text else ""
    if lang == "sv":
        labels = {
            "title": f"Effekt på {name} per år i förhållande till start",
            "x": "År i förhållande till insatsens start (0 = startåret)",
            "y": f"Skattad effekt på {name}{unit_part}",
            "pre": "Före start",
            "post": "Från start",
            "ref": f"Referensår ({result.reference})",
            "ci": "Stapel: 95 %-konfidensintervall",
        }
    else:
        labels = {
            "title": f"Effect on {name} by year relative to start",
            "x": "Years relative to programme start (0 = start year)",
            "y": f"Estimated effect on {name}{unit_part}",
            "pre": "Before start",
            "post": "From start",
            "ref": f"Reference year ({result.reference})",
            "ci": "Bars: 95 % confidence intervals",
        }
    for mask, marker, face, label in ((pre, "s", "white", labels["pre"]), (~pre, "o", "black", labels["post"])):
        part = est.loc[mask]
        if part.empty:
            continue
        yerr = np.vstack([part["coefficient"] - part["ci_low"], part["ci_high"] - part["coefficient"]])
        ax.errorbar(
            part["rel_time"], part["coefficient"], yerr=yerr, fmt=marker, color="black",
            markerfacecolor=face, ecolor="0.35", elinewidth=1.2, capsize=3, label=label,
        )
    if not ref.empty:
        ax.plot(ref["rel_time"], ref["coefficient"], marker="D", linestyle="none", color="0.5", label=labels["ref"])
    ax.axhline(0.0, color="0.3", linestyle="--", linewidth=0.9)
    ax.axvline(-0.5, color="0.3", linestyle=":", linewidth=0.9)
    ax.set_title(labels["title"])
    ax.set_xlabel(labels["x"])
    ax.set_ylabel(labels["y"])
    ticks = table["rel_time"].to_numpy()
    if ticks.size:
        ax.set_xticks(np.arange(int(ticks.min()), int(ticks.max()) + 1))
    ax.legend(loc="best", frameon=False, title=labels["ci"], title_fontsize="small", fontsize="small")
    return fig  # type: ignore[return-value]


# --------------------------------------------------------------------------------------
# did(): choose the estimator, say what the design cannot do
# --------------------------------------------------------------------------------------

_TEXT: dict[str, dict[str, str]] = {
    "few_firms": {
        "sv": "Endast {n} deltagande företag ingår i skattningen (färre än {min}). Resultatet är osäkert och kan styras av enskilda företag.",
        "en": "Only {n} participating firms enter the estimate (fewer than {min}). The result is uncertain and can be driven by single firms.",
    },
    "few_clusters": {
        "sv": "Standardfelen bygger på endast {n} kluster; med färre än 30 kluster kan osäkerheten underskattas.",
        "en": "The standard errors rest on only {n} clusters; with fewer than 30 clusters the uncertainty may be understated.",
    },
    "pretrend_rejects": {
        "sv": "Testet av parallella trender före start förkastas på 5 %-nivån (p = {p}). Deltagarna utvecklades redan före insatsen annorlunda än jämförelseföretagen, så skattningen kan vara missvisande.",
        "en": "The test of parallel trends before the start rejects at the 5 % level (p = {p}). Participants already developed differently from comparison firms before the programme, so the estimate may be misleading.",
    },
    "pretrend_untestable": {
        "sv": "Trender före start kunde inte testas, eftersom data saknar tillräckligt många år före insatsen.",
        "en": "Trends before the start could not be tested, because the data lack enough years before the programme.",
    },
    "unknown_start": {
        "sv": "{n} deltagande företag saknar uppgift om startår och har uteslutits ur skattningen.",
        "en": "{n} participating firms have no known start year and were left out of the estimate.",
    },
    "always_treated": {
        "sv": "{n} deltagande företag startade senast första året i data och bidrar därför inte till skattningen.",
        "en": "{n} participating firms started in or before the first year of the data and therefore do not contribute to the estimate.",
    },
    "no_reference": {
        "sv": "{n} startårskohorter saknar observationer året före start och har uteslutits.",
        "en": "{n} start-year cohorts have no observations in the year before their start and were left out.",
    },
    "no_comparison": {
        "sv": "Det finns inga jämförelseföretag (företag som inte deltagit) i data, så någon effekt kan inte skattas med difference-in-differences.",
        "en": "There are no comparison firms (firms that did not participate) in the data, so no effect can be estimated with difference-in-differences.",
    },
    "no_participants": {
        "sv": "Det finns inga deltagande företag med känt startår i data, så någon effekt kan inte skattas.",
        "en": "There are no participating firms with a known start year in the data, so no effect can be estimated.",
    },
    "match_groups": {
        "sv": "Matchning kräver deltagare och jämförelseföretag med värden på alla kovariater år {year} (fann {n_t} deltagare och {n_c} jämförelseföretag).",
        "en": "Matching needs participants and comparison firms with all covariates in {year} (found {n_t} participants and {n_c} comparison firms).",
    },
    "propensity_failed": {
        "sv": "Modellen för sannolikheten att delta kunde inte skattas ({err}). Kovariaterna kan skilja deltagare och jämförelseföretag åt helt.",
        "en": "The propensity model could not be estimated ({err}). The covariates may separate participants and comparison firms perfectly.",
    },
    "propensity_not_converged": {
        "sv": "Modellen för sannolikheten att delta konvergerade inte.",
        "en": "The propensity model did not converge.",
    },
    "not_converged": {
        "sv": "Rensningen av fixa effekter (företag och år) konvergerade inte på {n} iterationer.",
        "en": "Removing the firm and year fixed effects did not converge in {n} iterations.",
    },
    "no_variation": {
        "sv": "'{name}' varierar inte när företagens och årens nivåer har räknats bort, så dess effekt kan inte skattas (för en insats: inget företag byter status inom data).",
        "en": "'{name}' does not vary once firm and year effects are removed, so its effect cannot be estimated (for a treatment: no firm changes status within the data).",
    },
    "collinear": {
        "sv": "Förklaringsvariablerna ({names}) är linjärt beroende av varandra eller av de fixa effekterna.",
        "en": "The regressors ({names}) are collinear with each other or with the fixed effects.",
    },
    "too_few_obs": {
        "sv": "För få observationer ({n}) för {k} parametrar.",
        "en": "Too few observations ({n}) for {k} parameters.",
    },
    "one_cluster": {
        "sv": "Klustrade standardfel kräver minst två kluster.",
        "en": "Cluster-robust standard errors need at least two clusters.",
    },
    "missing_ids": {
        "sv": "Panelen har rader utan {column}; kontrollera den först med validate_panel.",
        "en": "The panel has rows without {column}; check it with validate_panel first.",
    },
    "missing_cluster": {
        "sv": "Klustervariabeln '{cluster}' saknar värden.",
        "en": "The cluster column '{cluster}' has missing values.",
    },
    "no_rows": {
        "sv": "Det finns inga rader med värden på '{outcome}' (och förklaringsvariablerna) att skatta från.",
        "en": "There are no rows with a value of '{outcome}' (and the regressors) to estimate from.",
    },
    "last_needs_two": {
        "sv": "Att använda den sist startande kohorten som jämförelse kräver minst två startår.",
        "en": "Using the last-starting cohort as controls needs at least two start years.",
    },
    "no_pre_period": {
        "sv": "Inga deltagande företag med känt startår och observationer före start återstår att skatta från.",
        "en": "No participating firms with a known start year and observations before the start remain to estimate from.",
    },
    "no_post": {
        "sv": "Inget deltagande företag observeras från sitt startår och framåt, så ingen effekt kan skattas.",
        "en": "No participating firm is observed from its start year on, so no effect can be estimated.",
    },
    "limit_parallel": {
        "sv": "Skattningen är en effekt av insatsen endast om deltagarna utan insatsen skulle ha utvecklats parallellt med jämförelseföretagen (antagandet om parallella trender). Det kan inte bevisas med data, bara göras troligt.",
        "en": "The estimate is an effect of the programme only if participants, without it, would have developed in parallel with the comparison firms (the parallel-trends assumption). Data cannot prove this, only make it plausible.",
    },
    "limit_selection": {
        "sv": "Företagen valde själva att delta. Om de som sökte sig till insatsen redan var på väg att växa, överskattas effekten.",
        "en": "Firms chose to participate. If those who sought the programme were already on their way to grow, the effect is overstated.",
    },
    "limit_scope": {
        "sv": "Effekten gäller de deltagande företagen. Undanträngning av andra företag och spridning till jämförelseföretagen fångas inte.",
        "en": "The effect refers to the participating firms. Displacement of other firms and spill-overs to the comparison firms are not captured.",
    },
    "limit_anticipation": {
        "sv": "Skattningen förutsätter att företagen inte ändrade sig i förväg inför insatsen (till exempel anställde inför beviljat stöd).",
        "en": "The estimate assumes that firms did not change in anticipation of the programme (for example hiring ahead of granted support).",
    },
    "method_twfe": {
        "sv": "Alla deltagare startade samma år ({year}); effekten skattas med tvåvägs fixa effekter (företag och år) och standardfel klustrade på {cluster}.",
        "en": "All participants started in the same year ({year}); the effect is estimated with two-way fixed effects (firm and year) and standard errors clustered on {cluster}.",
    },
    "method_sa": {
        "sv": "Deltagarna startade olika år ({years}); effekten skattas med Sun & Abrahams (2021) interaktionsviktade skattning mot företag som aldrig deltagit, eftersom vanliga tvåvägs fixa effekter kan bli missvisande när effekten skiljer sig mellan startår. Standardfel klustrade på {cluster}.",
        "en": "Participants started in different years ({years}); the effect is estimated with the Sun & Abraham (2021) interaction-weighted estimator against never-participating firms, because ordinary two-way fixed effects can mislead when effects differ between start years. Standard errors clustered on {cluster}.",
    },
}


def _say(key: str, **kwargs: object) -> tuple[str, str]:
    return _TEXT[key]["sv"].format(**kwargs), _TEXT[key]["en"].format(**kwargs)


def _fail(key: str, **kwargs: object) -> AnalysisError:
    """An AnalysisError with its reason in Swedish and English (message: English)."""
    sv, en = _say(key, **kwargs)
    return AnalysisError(en, sv=sv, en=en)


def _fmt_p(p: float, lang: str) -> str:
    text = f"{p:.3f}" if p >= 0.001 else "< 0.001"
    return text.replace(".", ",") if lang == "sv" else text


@dataclass(frozen=True)
class DidResult:
    """An effect estimate with what limits it, in Swedish and English.

    ``warnings`` / ``design_limits`` are in Swedish (reports are Swedish by default);
    ``warnings_en`` / ``design_limits_en`` hold the same sentences in English, in the same
    order. ``warnings`` concern these data (few firms, failed pre-trend test, dropped
    firms); ``design_limits`` are always present and say what the design cannot show.
    """

    estimate: Estimate
    method: Literal["twfe", "sun_abraham"]
    warnings: tuple[str, ...]
    design_limits: tuple[str, ...]
    warnings_en: tuple[str, ...]
    design_limits_en: tuple[str, ...]
    pretrend: PretrendTest | None
    n_treated_firms: int
    n_comparison_firms: int

    def texts(self, lang: Literal["sv", "en"] = "sv") -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(warnings, design_limits) in one language."""
        return (self.warnings, self.design_limits) if lang == "sv" else (self.warnings_en, self.design_limits_en)


def did(
    panel: pd.DataFrame,
    outcome: str,
    covariates: Sequence[str] = (),
    cluster: str | None = "firm_id",
    min_treated: int = 20,
    leads: int = 3,
    lags: int = 3,
    alpha: float = 0.05,
) -> DidResult:
    """Difference-in-differences that picks a valid estimator and states its limits.

    * no comparison firms, or no participant with a known start: :class:`AnalysisError`
      (message in Swedish and English);
    * all participants start in the same year: :func:`did_twfe`;
    * start years differ: :func:`sun_abraham` (never-participating firms as controls).

    Warnings are added for fewer than ``min_treated`` participating firms, fewer than 30
    clusters, a pre-trend test (:func:`event_study`) rejecting at ``alpha``, a pre-trend that
    cannot be tested, and participants dropped for an unknown start year or no pre-period.
    """
    _require_columns(panel, ("firm_id", "year", "participant", "participation_start", outcome), "<panel>")
    participant = panel["participant"].to_numpy(dtype=bool)
    start = _floats(panel["participation_start"])
    firm_ids = panel["firm_id"].to_numpy(dtype=object)
    y = _floats(panel[outcome])
    usable = ~np.isnan(y)
    for c in covariates:
        usable &= ~np.isnan(_floats(panel[c]))
    n_comparison = int(pd.unique(firm_ids[~participant & usable]).size)
    if n_comparison == 0:
        raise _fail("no_comparison")
    known = participant & ~np.isnan(start) & usable
    if not known.any():
        raise _fail("no_participants")
    starts = np.unique(start[known]).astype(int)
    warnings_sv: list[str] = []
    warnings_en: list[str] = []

    def warn(key: str, **kw: object) -> None:
        sv, en = _say(key, **kw)
        warnings_sv.append(sv)
        warnings_en.append(en)

    n_unknown = int(pd.unique(firm_ids[participant & np.isnan(start)]).size)
    cluster_label = {"firm_id": "företag"}.get(cluster or "", cluster or "")
    cluster_label_en = {"firm_id": "firms"}.get(cluster or "", cluster or "")
    try:
        es: EventStudyResult | None = event_study(
            panel, outcome, leads=leads, lags=lags, covariates=covariates, cluster=cluster
        )
    except AnalysisError:
        es = None  # e.g. no cohort observed in its reference year; the pre-trend stays untested
    if starts.size == 1:
        method: Literal["twfe", "sun_abraham"] = "twfe"
        estimate = did_twfe(panel, outcome, cluster=cluster, covariates=covariates)
        sv_m, en_m = _say("method_twfe", year=int(starts[0]), cluster=cluster_label)
        en_m = _TEXT["method_twfe"]["en"].format(year=int(starts[0]), cluster=cluster_label_en)
        sa = None
    else:
        method = "sun_abraham"
        sa = sun_abraham(panel, outcome, covariates=covariates, cluster=cluster)
        estimate = sa.att
        years = ", ".join(str(s) for s in starts)
        sv_m = _TEXT["method_sa"]["sv"].format(years=years, cluster=cluster_label)
        en_m = _TEXT["method_sa"]["en"].format(years=years, cluster=cluster_label_en)

    if n_unknown:
        warn("unknown_start", n=n_unknown)
    year_all = panel["year"].to_numpy()
    first_year = int(np.min(year_all[usable]))
    always_firms = int(pd.unique(firm_ids[known & (start <= first_year)]).size)
    if always_firms:
        warn("always_treated", n=always_firms)
    if sa is not None and sa.n_cohorts_without_reference:
        warn("no_reference", n=sa.n_cohorts_without_reference)
    n_treated = es.n_treated_firms if es is not None else int(pd.unique(firm_ids[known & (start > first_year)]).size)
    if n_treated < min_treated:
        warn("few_firms", n=n_treated, min=min_treated)
    if estimate.n_clusters is not None and estimate.n_clusters < 30:
        warn("few_clusters", n=estimate.n_clusters)
    pretrend = es.pretrend if es is not None else None
    if pretrend is None:
        warn("pretrend_untestable")
    elif pretrend.p_value < alpha:
        p = pretrend.p_value
        warnings_sv.append(_TEXT["pretrend_rejects"]["sv"].format(p=_fmt_p(p, "sv")))
        warnings_en.append(_TEXT["pretrend_rejects"]["en"].format(p=_fmt_p(p, "en")))

    limits_sv, limits_en = [sv_m], [en_m]
    for key in ("limit_parallel", "limit_anticipation", "limit_selection", "limit_scope"):
        sv, en = _say(key)
        limits_sv.append(sv)
        limits_en.append(en)
    return DidResult(
        estimate=estimate,
        method=method,
        warnings=tuple(warnings_sv),
        design_limits=tuple(limits_sv),
        warnings_en=tuple(warnings_en),
        design_limits_en=tuple(limits_en),
        pretrend=pretrend,
        n_treated_firms=n_treated,
        n_comparison_firms=n_comparison,
    )


# --------------------------------------------------------------------------------------
# Synthetic panels
# --------------------------------------------------------------------------------------


def synthetic_panel(
    n_firms: int,
    n_years: int,
    effect: float,
    staggered: bool,
    seed: int,
    *,
    share_participants: float = 0.3,
    first_year: int = 2010,
    heterogeneous: bool = False,
    pretrend: float = 0.0,
    noise: float = 1.0,
) -> pd.DataFrame:
    """A balanced firm-year panel (panel schema) with a known effect on ``employees``.

    employees = 100 + firm effect (sd 10, participants 5 higher) + year effect (trend
    0.5/year + noise) + true effect + noise (sd ``noise``); turnover = 2 * employees +
    noise. A random ``share_participants`` of firms participate; common timing starts in
    ``first_year + n_years // 2``; with ``staggered`` each participant starts in a year
    drawn from ``first_year + 2`` to ``first_year + n_years - 2``.

    The effect from the start year on is ``effect``; with ``heterogeneous`` it is
    ``effect * h_cohort * (1 + 0.3 * years since start)`` with h_cohort falling from 2
    (earliest start) to 1 (latest), i.e. effects differing by cohort and growing over time
    (the case where two-way fixed effects are biased). ``pretrend`` adds a differential
    linear trend ``pretrend * (year - start)`` to participants in every year. The column
    ``true_effect`` holds each row's true effect (0 when untreated), so the true ATT is its
    mean over treated rows. Deterministic for a given ``seed``.
    """
    if n_firms < 2 or n_years < 4:
        problems = ProblemCollector()
        problems.add("<arguments>", "n_firms, n_years", "at least 2 firms and 4 years", got=(n_firms, n_years))
        problems.raise_if_any()
    rng = np.random.default_rng(seed)
    participant = rng.random(n_firms) < share_participants
    firm_effect = rng.normal(0.0, 10.0, n_firms) + 5.0 * participant
    t = np.arange(n_years)
    year_effect = 0.5 * t + rng.normal(0.0, 1.0, n_years)
    if staggered:
        lo, hi = first_year + 2, first_year + n_years - 2
        start = rng.integers(lo, hi + 1, n_firms).astype(float)
    else:
        start = np.full(n_firms, float(first_year + n_years // 2))
        lo = hi = first_year + n_years // 2
    start[~participant] = np.nan
    n = n_firms * n_years
    years = np.tile(first_year + t, n_firms)
    firm_idx = np.repeat(np.arange(n_firms), n_years)
    s = start[firm_idx]
    since = years - s  # NaN for comparison firms
    treated = ~np.isnan(s) & (since >= 0)
    if heterogeneous:
        h = 2.0 - (s - lo) / (hi - lo) if hi > lo else np.ones_like(s)
        tau = effect * h * (1.0 + 0.3 * since)
    else:
        tau = np.full(n, float(effect))
    true_effect = np.where(treated, tau, 0.0)
    trend = np.where(~np.isnan(s), pretrend * since, 0.0)
    employees = 100.0 + firm_effect[firm_idx] + np.tile(year_effect, n_firms) + true_effect + trend
    employees += rng.normal(0.0, noise, n)
    turnover = 2.0 * employees + rng.normal(0.0, 1.0, n)
    width = max(len(str(n_firms - 1)), 1)
    ids = np.strings.add("F", np.strings.zfill(np.arange(n_firms).astype(str), width))
    start_col = pd.array(np.where(np.isnan(s), 0, s).astype(np.int64), dtype="Int64")
    start_col[np.isnan(s)] = pd.NA
    return pd.DataFrame(
        {
            "firm_id": pd.Series(np.repeat(ids, n_years), dtype="str"),
            "year": years.astype(np.int64),
            "employees": employees,
            "turnover": turnover,
            "participant": participant[firm_idx],
            "participation_start": start_col,
            "true_effect": true_effect,
        }
    )
