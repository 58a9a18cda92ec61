"""What a report may show of restricted firm and survey data: every hidden-cell decision in one place.

A project's ``disclosure`` setting says whether its firm-level and survey data are ``public``
(shown as published) or ``restricted``. Restricted data are shown only where a figure rests on
at least :attr:`DisclosurePolicy.firms` firms (or :attr:`DisclosurePolicy.survey` respondents):
the larger of the project's ``min_cell`` and the report's ``small_cell_threshold``. A threshold
of 0 means the data are public.

Every function here decides *what* is hidden and returns booleans, counts or frames; the report
sections write the sentences and mark hidden cells with :func:`mask`. Small counts whose total
is shown are protected by secondary suppression (:func:`evaluation.analysis.surveys.suppress`),
so a hidden count cannot be worked out as the total minus the shown ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import pandas as pd

from evaluation.analysis.surveys import suppress
from evaluation.core.model import Project
from evaluation.core.rulebook import naming

Data = Literal["firms", "survey"]


@dataclass(frozen=True)
class DisclosurePolicy:
    """Smallest number of firms and of respondents a shown figure may rest on (0: the data are public)."""

    firms: int
    survey: int

    def min_cell(self, data: Data) -> int:
        """The threshold for firm-level (``"firms"``) or survey (``"survey"``) figures."""
        return self.firms if data == "firms" else self.survey

    def is_public(self, data: Data) -> bool:
        """True when ``data`` are published and shown as they are."""
        return self.min_cell(data) == 0


def min_cell(project: Project, data: Data, threshold: int) -> int:
    """Smallest number of firms (or respondents) a shown figure may rest on; 0 when the data are public.

    Restricted data: the larger of the project's ``disclosure.min_cell`` and the report's
    ``small_cell_threshold`` (a report may be stricter than the data, never laxer).
    """
    d = project.disclosure
    if (d.firms if data == "firms" else d.survey) == "public":
        return 0
    return max(d.min_cell, threshold)


def policy(project: Project, threshold: int) -> DisclosurePolicy:
    """The policy of one report: the project's disclosure setting and the report's threshold."""
    return DisclosurePolicy(firms=min_cell(project, "firms", threshold), survey=min_cell(project, "survey", threshold))


def mask(values: Iterable[Any], hide: Iterable[Any], marker: str, show: Callable[[Any], Any] = lambda v: v) -> list[Any]:
    """``values`` as shown by ``show``, those marked in ``hide`` replaced by ``marker`` (the report's "hidden")."""
    return [marker if h else show(v) for v, h in zip(values, hide)]


def too_few(n: int, t: int) -> bool:
    """True when a figure resting on ``n`` firms or respondents must be hidden at threshold ``t``."""
    return n < t


# --------------------------------------------------------------------------- findings


def redacted_checks(project: Project, pol: DisclosurePolicy) -> dict[str, Data]:
    """The checks whose findings are summarised rather than shown, and which data they would reveal.

    Findings that name single firms (or respondents) are summarised unless those data are
    public; so is ``firm_total_mismatch`` when fewer firms take part than the firm threshold
    (its totals would then describe those few firms).
    """
    redact: dict[str, Data] = {}
    t = pol.min_cell("firms")
    if t:
        n_firms = 0 if project.firms is None else int(project.firms.loc[project.firms["participant"], "firm_id"].nunique())
        for check in naming("firms") + (("firm_total_mismatch",) if n_firms < t else ()):
            redact[check] = "firms"
    if pol.min_cell("survey"):
        for check in naming("survey"):
            redact[check] = "survey"
    return redact


def redact_findings(frame: pd.DataFrame, redact: dict[str, Data]) -> pd.DataFrame:
    """The findings table with each redacted check's findings replaced by one row counting them.

    The returned frame keeps the columns of ``frame`` (severity, check, subject, text); a
    summarising row has subject ``"–"``, its text empty, and two extra columns: ``redacted``
    (which data it would reveal) and ``n`` (how many findings it stands for), so that the
    report can write its sentence. Unredacted rows have ``redacted`` None.
    """
    if frame.empty or not frame["check"].isin(list(redact)).any():
        out = frame.copy()
        out["redacted"] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
        out["n"] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
        return out
    rows = []
    marks: list[Data | None] = []
    counts: list[int | None] = []
    done: set[str] = set()
    for rec in frame.to_dict("records"):
        check = rec["check"]
        if check not in redact:
            rows.append(rec)
            marks.append(None)
            counts.append(None)
        elif check not in done:
            done.add(check)
            rows.append({**rec, "subject": "–", "text": ""})
            marks.append(redact[check])
            counts.append(int((frame["check"] == check).sum()))
    out = pd.DataFrame(rows, columns=frame.columns)
    out["redacted"] = pd.Series(marks, dtype=object)
    out["n"] = pd.Series(counts, dtype=object)
    return out


# --------------------------------------------------------------------------- firm-level data


def participation_hidden(n_rows: Sequence[float], n_unique: Sequence[float], t: int) -> tuple[list[bool], list[bool]]:
    """Which per-activity participation counts and distinct-firm counts are hidden.

    An activity with fewer than ``t`` distinct firms is hidden (its participations come from
    those few firms too); the participations add up to the total stated in the report, so one
    more is hidden where a single hidden count could be recovered from it.
    """
    few = (np.asarray(n_unique, dtype=float) < t).astype(bool)
    sup = suppress(pd.DataFrame({"n": np.asarray(n_rows, dtype=float)}), t, row_totals=False, col_totals=True,
                   primary=few.reshape(-1, 1))
    rows_hidden = sup.suppressed.to_numpy(dtype=bool)[:-1, 0]
    return [bool(h) for h in rows_hidden], [bool(h) for h in few]


def women_led_hidden(n_women_led: int, n_other: int, t: int) -> bool:
    """The share of women-led firms is hidden when either group (women-led, other) is small: its share would show it."""
    return n_women_led < t or n_other < t


def growth_groups_hidden(counts: Sequence[int], t: int) -> bool:
    """How many firms grew, were unchanged or shrank is hidden when a group is small (with its total shown)."""
    return bool(suppress(pd.DataFrame([list(counts)]), t, row_totals=True, col_totals=False).suppressed.to_numpy().any())


def estimate_hidden(n_treated: int, n_comparison: int, t: int) -> bool:
    """An effect estimate is hidden when the participating or the comparison firms in it are fewer than ``t``."""
    return n_treated < t or n_comparison < t


def event_study_shown(es: Any, t: int) -> tuple[Any, bool]:
    """The event study without the relative years observed for fewer than ``t`` firms, and whether any was dropped.

    ``es`` is an event-study result whose ``table`` has ``is_reference`` and ``n_obs`` columns.
    """
    small = ~es.table["is_reference"] & (es.table["n_obs"] < t)
    if not small.any():
        return es, False
    return replace(es, table=es.table.loc[~small].reset_index(drop=True)), True


def comparison_hidden(balance: pd.DataFrame, t: int) -> bool:
    """The whole comparison is hidden when every covariate has too few participants or comparison firms."""
    return bool(((balance["n_participants"] < t) | (balance["n_comparison"] < t)).all())


@dataclass(frozen=True)
class BalanceHidden:
    """Which cells of a balance table are hidden: the means and differences, and each group's count."""

    means: list[bool]
    participants: list[bool]
    comparison: list[bool]


def balance_hidden(balance: pd.DataFrame, t: int, whole: pd.DataFrame | None = None) -> BalanceHidden:
    """Hidden cells of ``balance`` (indexed by covariate; columns ``n_participants``, ``n_comparison``).

    Means and standardised differences resting on fewer than ``t`` firms in a group are hidden,
    and so are group counts below it. ``whole`` is the table before matching: its means together
    with the matched ones would give the mean of the firms left out if they are few, so those
    are hidden too.
    """
    out = balance.reset_index()
    small = (out["n_participants"] < t) | (out["n_comparison"] < t)
    if whole is not None:
        for group in ("n_participants", "n_comparison"):
            left_out = whole[group].reindex(out["covariate"]).to_numpy() - out[group].to_numpy()
            small |= (left_out > 0) & (left_out < t)
    return BalanceHidden(means=small.to_list(), participants=(out["n_participants"] < t).to_list(),
                         comparison=(out["n_comparison"] < t).to_list())


def matching_hidden(n_matched: int, n_outside: int, n_no_match: int, n_participants: int, t: int) -> list[bool]:
    """Which of (matched, outside common support, without partner, participants) are hidden.

    The three counts add up to the participants, so they are suppressed as one row with its
    total (a single hidden count would be the total minus the others); when they do not add
    up there is no published sum to protect and only the small counts themselves are hidden.
    """
    counts = [n_matched, n_outside, n_no_match]
    if sum(counts) == n_participants:
        sup = suppress(pd.DataFrame([counts]), t, row_totals=True, col_totals=False, keep_zeros=True)
        return [bool(h) for h in sup.suppressed.iloc[0]]
    return [0 < c < t for c in counts] + [n_participants < t]


# --------------------------------------------------------------------------- survey data


def agreement_consistent(agree: pd.DataFrame, dist: pd.DataFrame, top: tuple[int, ...] = (4, 5)) -> pd.DataFrame:
    """Hide an item's agreement share when one of its top answers is hidden in the distribution.

    The share agreeing is the sum of the top answers; shown next to a distribution with a
    hidden top answer it would let a reader recover that answer (and through the item
    total, the other hidden cells).
    """
    hidden_top = set(dist.loc[dist["answer"].isin(top) & dist["suppressed"], "item"])
    hide = agree["item"].isin(hidden_top)
    out = agree.copy()
    out.loc[hide, ["agree", "share", "ci_low", "ci_high"]] = np.nan
    out.loc[hide, "suppressed"] = True
    return out
