"""Participating firms against a comparison group.

The input is a firm-year panel (:mod:`.panel` describes it); validate it once with
:func:`validate_panel`. What is here, by module:

* :mod:`.beforeafter` - :func:`before_after`, :func:`before_after_summary`: the participants'
  own development between two years (what programme reports usually show);
* :mod:`.matching` - :func:`balance_table`, :func:`match`: how alike participants and
  comparison firms are, and propensity-score or Mahalanobis nearest-neighbour matching;
* :mod:`.estimation` - :func:`did_twfe`, :func:`fe_regression`: difference-in-differences with
  firm and year fixed effects estimated by pyfixest, cluster-robust standard errors with a
  choice of small-sample convention (``small_sample="nested"`` as fixest/reghdfe, ``"all"`` as
  firm dummies/areg);
* :mod:`.eventstudy` - :func:`sun_abraham`, :func:`event_study`: the interaction-weighted
  estimator of Sun & Abraham (2021), valid when firms start in different years and effects
  differ between them, with an event-study view and a joint test of pre-programme
  coefficients (drawn by :func:`evaluation.plots.firms.plot_event_study`);
* :mod:`.staggered` - :func:`callaway_santanna`: Callaway & Sant'Anna (2021) group-time
  effects (never or not-yet participating comparison firms; doubly robust, inverse
  probability or outcome regression) aggregated overall, by event time and by cohort with
  uniform bands, estimated by the ``differences`` package;
* :mod:`.sensitivity` - :func:`linear_trend_breakdown`: how large a linear violation of
  parallel trends would overturn an estimate;
* :mod:`.did` - :func:`did`: chooses the estimator by design (one start year: TWFE; staggered:
  Callaway & Sant'Anna with Sun & Abraham as a check), optionally against firms that applied
  but were not supported, and states why, the pre-trend test, the sensitivity check, warnings
  and design limits in the report's language;
* :mod:`.simulation` - :func:`synthetic_panel`: panels with a known effect, for tests and
  benchmarks.

The modules import only downward in that order (panel first), never this package.
"""

from __future__ import annotations

from evaluation.analysis.firms.beforeafter import BeforeAfterSummary, before_after, before_after_summary
from evaluation.analysis.firms.did import APPLICANT_COLUMN, DidResult, did
from evaluation.analysis.firms.estimation import SMALL_SAMPLE, Estimate, SmallSample, did_twfe, fe_regression
from evaluation.analysis.firms.eventstudy import (
    EventStudyResult,
    PretrendTest,
    SunAbrahamResult,
    event_study,
    event_study_of,
    sun_abraham,
)
from evaluation.analysis.firms.matching import CommonSupport, MatchResult, balance_table, match
from evaluation.analysis.firms.panel import MAX_LISTED_ROWS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, validate_panel
from evaluation.analysis.firms.sensitivity import TrendBreakdown, linear_trend_breakdown
from evaluation.analysis.firms.simulation import synthetic_panel
from evaluation.analysis.firms.staggered import StaggeredResult, callaway_santanna

__all__ = [
    "APPLICANT_COLUMN",
    "MAX_LISTED_ROWS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "SMALL_SAMPLE",
    "BeforeAfterSummary",
    "CommonSupport",
    "DidResult",
    "Estimate",
    "EventStudyResult",
    "MatchResult",
    "PretrendTest",
    "SmallSample",
    "StaggeredResult",
    "SunAbrahamResult",
    "TrendBreakdown",
    "balance_table",
    "before_after",
    "before_after_summary",
    "callaway_santanna",
    "did",
    "did_twfe",
    "event_study",
    "event_study_of",
    "fe_regression",
    "linear_trend_breakdown",
    "match",
    "sun_abraham",
    "synthetic_panel",
    "validate_panel",
]
