"""Every figure of the report's firm section, decided once and disclosure-checked: from a panel, or from an aggregates file.

:func:`firm_figures` runs the firm analyses on a validated panel (before/after totals, the
balance of participants and comparison firms before and after matching, the effect estimate
with its checks, the event study and Callaway & Sant'Anna's dynamic effects) and keeps only
what :mod:`evaluation.analysis.disclosure` lets the report show: hidden figures are left out
(not just marked), rows of few firms are dropped from the event-time tables and cohort rows of
few firms from the group-time tables. The report section writes its sentences from the result.

The same result is what leaves a remote microdata system (``evaluation firm-aggregates``):
:func:`to_json` writes it as plain JSON (no firm id, name or single firm's value: nothing of
the panel but these figures) and :func:`from_json` reads it back, so a report made from the
aggregates file shows exactly the figures a report made from the panel would show.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from evaluation.analysis import disclosure, firms, participation
from evaluation.analysis.disclosure import Ledger
from evaluation.analysis.firms.beforeafter import BeforeAfterSummary
from evaluation.analysis.firms.did import DidResult
from evaluation.analysis.firms.estimation import Estimate
from evaluation.analysis.firms.eventstudy import EventStudyResult, PretrendTest
from evaluation.analysis.firms.sensitivity import TrendBreakdown
from evaluation.analysis.firms.staggered import StaggeredResult
from evaluation.analysis.participation import PanelYears
from evaluation.core import fmt
from evaluation.core.errors import AnalysisError

__all__ = ["FORMAT_VERSION", "Balance", "Comparison", "Effect", "FirmFigures", "Reason", "firm_figures", "from_json", "to_json"]

FORMAT_VERSION = 1
"""Version of the aggregates file's ``figures`` (raised when their shape changes)."""


@dataclass(frozen=True)
class Reason:
    """Why something could not be computed: an English message id and its values (an :class:`AnalysisError`'s)."""

    message: str
    values: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, err: AnalysisError) -> Reason:
        return cls(err.message, tuple(err.values))


@dataclass(frozen=True)
class Balance:
    """A balance table as it may be shown: columns of :func:`evaluation.analysis.firms.balance_table` and ``hide_*`` flags.

    Hidden means, differences and counts are empty (NaN): they are not in the result at all.
    """

    frame: pd.DataFrame


@dataclass(frozen=True)
class Comparison:
    """The comparison with non-participating firms in ``year`` (None fields: not reached)."""

    year: int
    hidden: bool
    before: Balance | None = None
    after: Balance | None = None
    match_error: Reason | None = None
    too_few_matched: bool = False
    matching: tuple[float, ...] | None = None  # matched, outside support, no partner, participants (NaN where hidden)
    matching_hidden: tuple[bool, ...] | None = None


@dataclass(frozen=True)
class Effect:
    """The effect estimate (``result``) or why it is missing (``error``) or hidden, the applicant comparison, the event study."""

    error: Reason | None = None
    hidden: bool = False
    result: DidResult | None = None
    has_applicants: bool = False
    applicant_error: Reason | None = None
    applicant_hidden: bool = False
    applicant: DidResult | None = None
    event: EventStudyResult | None = None
    event_error: Reason | None = None
    event_dropped: bool = False
    dynamic_dropped: bool = False


@dataclass(frozen=True)
class FirmFigures:
    """What the firm section shows (beyond a public firm-by-firm table), at threshold ``threshold``.

    With restricted data (``threshold`` > 0) ``summary`` keeps only what is shown: its median
    change is NaN and ``n_missing`` -1, and its growth shares are NaN when ``growth_hidden``.
    """

    threshold: int
    illustrative: bool
    years: PanelYears | None
    totals: disclosure.Reason = "too_few"
    summary: BeforeAfterSummary | None = None
    growth_hidden: bool = True
    published_gap: tuple[float, float] | None = None
    comparison: Comparison | None = None
    effect: Effect = Effect()


# --------------------------------------------------------------------------- computing the figures


def _balance(ledger: Ledger, balance: pd.DataFrame, t: int, whole: pd.DataFrame | None = None) -> Balance:
    hide = disclosure.balance_hidden(balance, t, whole, ledger=ledger)
    out = balance.reset_index().loc[:, ["covariate", "mean_participants", "mean_comparison", "smd", "n_participants",
                                        "n_comparison"]].astype({"n_participants": float, "n_comparison": float})
    means = np.asarray(hide.means, dtype=bool)
    out.loc[means, ["mean_participants", "mean_comparison", "smd"]] = np.nan
    out.loc[np.asarray(hide.participants, dtype=bool), "n_participants"] = np.nan
    out.loc[np.asarray(hide.comparison, dtype=bool), "n_comparison"] = np.nan
    return Balance(out.assign(hide_means=means, hide_participants=hide.participants, hide_comparison=hide.comparison))


def _comparison(panel: pd.DataFrame, t: int, ledger: Ledger) -> Comparison | None:
    design = participation.comparison_design(panel)
    if design is None:
        return None
    balance = firms.balance_table(panel, design.covariates, design.year)
    if disclosure.comparison_hidden(balance, t):
        return Comparison(design.year, hidden=True)
    try:
        result = firms.match(panel, design.covariates, design.year, method="nearest")
    except AnalysisError as err:
        return Comparison(design.year, hidden=False, before=_balance(ledger, balance, t), match_error=Reason.of(err))
    before = _balance(ledger, result.balance_before, t)
    after = _balance(ledger, result.balance_after, t, result.balance_before)
    if disclosure.too_few(result.n_participants, t):
        return Comparison(design.year, hidden=False, before=before, after=after, too_few_matched=True)
    counts = (result.n_matched, result.support.n_outside, result.n_no_match_within_caliper, result.n_participants)
    hide = disclosure.matching_hidden(result.n_matched, result.support.n_outside, result.n_no_match_within_caliper,
                                      result.n_participants, t)
    return Comparison(design.year, hidden=False, before=before, after=after,
                      matching=tuple(math.nan if h else float(c) for c, h in zip(counts, hide)), matching_hidden=tuple(hide))


def _shown_result(result: DidResult, panel: pd.DataFrame, t: int) -> tuple[DidResult, bool]:
    """``result`` without the event-time and cohort rows of fewer than ``t`` firms, and whether dynamic rows were dropped."""
    dropped = False
    if result.staggered is not None:
        staggered, dropped = disclosure.staggered_shown(result.staggered, panel, t)
        result = replace(result, staggered=staggered)
    if result.event is not None:
        result = replace(result, event=disclosure.event_study_shown(result.event, t)[0])
    return result, dropped


def _effect(panel: pd.DataFrame, t: int) -> Effect:
    try:
        result = firms.did(panel, "employees")
    except AnalysisError as err:
        return Effect(error=Reason.of(err))
    if disclosure.estimate_hidden(result.n_treated_firms, result.n_comparison_firms, t):
        return Effect(hidden=True)
    es = result.event  # the event study before rows of few firms are dropped (to say whether any were)
    result, dynamic_dropped = _shown_result(result, panel, t)
    effect = Effect(result=result, dynamic_dropped=dynamic_dropped, has_applicants=firms.APPLICANT_COLUMN in panel.columns)
    if effect.has_applicants:
        try:
            applicant = firms.did(panel, "employees", comparison="applicants", control="not_yet")
        except AnalysisError as err:
            effect = replace(effect, applicant_error=Reason.of(err))
        else:
            if disclosure.estimate_hidden(applicant.n_treated_firms, applicant.n_comparison_firms, t):
                effect = replace(effect, applicant_hidden=True)
            else:
                effect = replace(effect, applicant=_shown_result(applicant, panel, t)[0])
    if es is None:
        try:
            es = firms.event_study(panel, "employees")
        except AnalysisError as err:
            return replace(effect, event_error=Reason.of(err))
    es, dropped = disclosure.event_study_shown(es, t)
    return replace(effect, event=es, event_dropped=dropped)


def firm_figures(panel: pd.DataFrame, t: int, ledger: Ledger) -> FirmFigures:
    """The firm section's figures of a validated ``panel`` at threshold ``t`` (0: public), shown ones recorded in ``ledger``."""
    illustrative = bool((panel["data_status"] == "illustrative").any()) if "data_status" in panel else False
    years = participation.panel_years(panel)
    if years is None:
        return FirmFigures(t, illustrative, None)
    table_ba = firms.before_after(panel, "employees", before=years.before, after=years.after)
    summary = firms.before_after_summary(panel, "employees", before=years.before, after=years.after)
    totals = disclosure.before_after_shown(ledger, table_ba, "employees", years.before, years.after)
    reason: disclosure.Reason = "too_few" if disclosure.too_few(summary.n_firms, t) else totals.reason
    gap = None
    if reason == "shown" and "published_change" in panel:
        gap = participation.published_gap(participation.published_change(panel, years.after), summary.change, summary.total_before)
    growth_hidden = disclosure.growth_groups_hidden(participation.growth_counts(table_ba), t)
    if t > 0:  # figures the section does not show are not kept: a median is one or two firms' value
        summary = replace(summary, median_change=math.nan, n_missing=-1)
        if growth_hidden:
            summary = replace(summary, share_growing=math.nan, share_unchanged=math.nan, share_shrinking=math.nan)
    return FirmFigures(
        threshold=t, illustrative=illustrative, years=years, totals=reason,
        summary=summary if reason == "shown" else None, growth_hidden=growth_hidden,
        published_gap=gap, comparison=_comparison(panel, t, ledger), effect=_effect(panel, t),
    )


# --------------------------------------------------------------------------- JSON


_TYPES: dict[str, type] = {cls.__name__: cls for cls in (
    FirmFigures, Comparison, Balance, Effect, Reason, DidResult, Estimate, PretrendTest, EventStudyResult, StaggeredResult,
    TrendBreakdown, PanelYears, BeforeAfterSummary, fmt.Number, fmt.Percent, fmt.Money)}


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if _TYPES.get(name) is not type(value):
            raise TypeError(f"{name} is not a figure type")
        return {"type": name, **{f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, pd.DataFrame):
        return {"type": "table", "columns": [str(c) for c in value.columns],
                "dtypes": [str(t) for t in value.dtypes], "rows": [[_encode(v) for v in row] for row in value.itertuples(index=False)]}
    if isinstance(value, tuple):
        return {"type": "tuple", "items": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        return x if math.isfinite(x) else {"type": "float", "value": str(x)}
    if value is None or isinstance(value, str):
        return value
    if value is pd.NA:
        return None
    raise TypeError(f"{type(value).__name__} cannot be written to the aggregates file")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    kind = value.get("type")
    if kind == "float":
        return float(value["value"])
    if kind == "tuple":
        return tuple(_decode(v) for v in value["items"])
    if kind == "table":
        frame = pd.DataFrame([[_decode(v) for v in row] for row in value["rows"]], columns=value["columns"])
        for column, dtype in zip(value["columns"], value["dtypes"]):
            if dtype != "object":
                frame[column] = frame[column].astype(dtype)
        return frame
    cls = _TYPES.get(str(kind))
    if cls is None:
        raise ValueError(f"unknown figure type {kind!r}")
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(value) - names - {"type"}
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)} of {kind}")
    return cls(**{k: _decode(v) for k, v in value.items() if k != "type"})


def to_json(figures: FirmFigures) -> dict[str, Any]:
    """``figures`` as plain JSON values (dicts, lists, numbers, text); non-finite numbers tagged."""
    out = _encode(figures)
    assert isinstance(out, dict)
    return out


def from_json(data: Any) -> FirmFigures:
    """The :class:`FirmFigures` of :func:`to_json` output (``ValueError`` or ``TypeError`` if they are not such figures)."""
    figures = _decode(data)
    if not isinstance(figures, FirmFigures):
        raise ValueError("the figures are not a firm section's figures")
    return figures
