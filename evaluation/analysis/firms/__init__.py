"""Participating firms against a comparison group.

The input is a firm-year panel (:mod:`.panel` describes it); validate it once with
:func:`validate_panel`. What is here, by module:

* :mod:`.beforeafter` - :func:`before_after`, :func:`before_after_summary`: the participants'
  own development between two years (what programme reports usually show);
* :mod:`.matching` - :func:`balance_table`, :func:`match`: how alike participants and
  comparison firms are, and propensity-score or Mahalanobis nearest-neighbour matching;
* :mod:`.estimation` - :func:`did_twfe`, :func:`fe_regression`: difference-in-differences with
  firm and year fixed effects, cluster-robust standard errors (small-sample correction as
  pyfixest's default, see :func:`fe_regression`);
* :mod:`.eventstudy` - :func:`sun_abraham`, :func:`event_study`: the interaction-weighted
  estimator of Sun & Abraham (2021), valid when firms start in different years and effects
  differ between them, with an event-study view and a joint test of pre-programme
  coefficients (drawn by :func:`evaluation.plots.firms.plot_event_study`);
* :mod:`.did` - :func:`did`: chooses the estimator and states warnings and design limits in
  the report's language;
* :mod:`.simulation` - :func:`synthetic_panel`: panels with a known effect, for tests and
  benchmarks.

The modules import only downward in that order (panel first), never this package.
"""

from __future__ import annotations

from evaluation.analysis.firms.beforeafter import BeforeAfterSummary, before_after, before_after_summary
from evaluation.analysis.firms.did import DidResult, did
from evaluation.analysis.firms.estimation import Estimate, did_twfe, fe_regression
from evaluation.analysis.firms.eventstudy import EventStudyResult, PretrendTest, SunAbrahamResult, event_study, sun_abraham
from evaluation.analysis.firms.matching import CommonSupport, MatchResult, balance_table, match
from evaluation.analysis.firms.panel import MAX_LISTED_ROWS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, validate_panel
from evaluation.analysis.firms.simulation import synthetic_panel

__all__ = [
    "MAX_LISTED_ROWS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "BeforeAfterSummary",
    "CommonSupport",
    "DidResult",
    "Estimate",
    "EventStudyResult",
    "MatchResult",
    "PretrendTest",
    "SunAbrahamResult",
    "balance_table",
    "before_after",
    "before_after_summary",
    "did",
    "did_twfe",
    "event_study",
    "fe_regression",
    "match",
    "sun_abraham",
    "synthetic_panel",
    "validate_panel",
]
