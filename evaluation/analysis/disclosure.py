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

Two rules hold across the figures of a whole report (:class:`Ledger`, one per report and kind
of data, kept by the policy): a figure is not shown when, together with a figure already
shown on the same quantity (the same variable in the same year), it would reveal the values
of fewer than the threshold of units (a total of 5 firms beside a mean of 6 gives the sixth
firm), and a total or mean of a magnitude (employees, turnover, value added) is not shown
when a few firms dominate it (:class:`Dominance`: the (n, k) rule, n = 2 and k = 85 % unless
stated otherwise, or the p % rule).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd

from evaluation.analysis.surveys import suppress
from evaluation.core import fmt
from evaluation.core.i18n import N_, Language
from evaluation.core.model import Project
from evaluation.core.rulebook import naming

Data = Literal["firms", "survey"]


# --------------------------------------------------------------------------- dominance and the report's ledger


@dataclass(frozen=True)
class Dominance:
    """When a few units dominate a magnitude (a total or mean of employees, turnover or value added).

    The (n, k) rule (default): a cell is hidden when its ``n`` largest contributions make up
    more than ``k`` per cent of its total. With ``p`` set, the p % rule instead: a cell is hidden
    when the total less the two largest contributions is below ``p`` per cent of the largest
    (the second-largest unit could then estimate the largest to within ``p`` %). Contributions
    count by absolute value (value added may be negative).
    """

    n: int = 2
    k: float = 85.0
    p: float | None = None

    def dominated(self, values: Iterable[float]) -> bool:
        """True when the cell made of ``values`` is dominated (missing values are left out)."""
        x = sorted((abs(float(v)) for v in values if v is not None and not math.isnan(float(v))), reverse=True)
        total = sum(x)
        if not x or total == 0:
            return False
        if self.p is not None:
            rest = total - x[0] - (x[1] if len(x) > 1 else 0.0)
            return rest < self.p / 100 * x[0]
        return sum(x[: self.n]) > self.k / 100 * total

    def text(self, lang: Language) -> str:
        """The rule in one sentence of ``lang``, its parameters named."""
        if self.p is not None:
            return fmt.fill(lang, N_("Totals and means of employees, turnover and value added are hidden when the rest of the firms "
                                     "make up less than {p} % of the largest firm's value, as one firm could then estimate another's "
                                     "(the p % rule)."), (("p", fmt.Number(self.p)),))
        return fmt.fill(lang, N_("Totals and means of employees, turnover and value added are hidden when the {n} largest firms make "
                                 "up more than {k} % of them (dominance rule n = {n}, k = {k} %)."),
                        (("n", self.n), ("k", fmt.Number(self.k))))


DOMINANCE = Dominance()
"""The rule applied to restricted firm data: (n, k) = (2, 85 %)."""

Reason = Literal["shown", "too_few", "dominated", "differencing"]


@dataclass(frozen=True)
class Decision:
    """Whether a figure may be shown and, if not, why (``reason``) at threshold ``t``."""

    reason: Reason
    t: int
    dominance: Dominance = DOMINANCE

    @property
    def shown(self) -> bool:
        """True when the figure may be shown."""
        return self.reason == "shown"

    def text(self, lang: Language) -> str:
        """Why the figures are not shown, in one sentence of ``lang`` (empty when shown)."""
        d = self.dominance
        if self.reason == "too_few":
            return fmt.fill(lang, N_("These figures are not shown, because they rest on fewer than {t} firms."), (("t", self.t),))
        if self.reason == "dominated":
            return fmt.fill(lang, N_("These figures are not shown, because one or two firms make up most of them (dominance rule "
                                     "n = {n}, k = {k} %)."), (("n", d.n), ("k", fmt.Number(d.k))))
        if self.reason == "differencing":
            return fmt.fill(lang, N_("These figures are not shown, because together with another figure in the report they would "
                                     "reveal figures of fewer than {t} firms."), (("t", self.t),))
        return ""


Units: TypeAlias = "Mapping[str, float] | pd.Series[float]"


def _as_mapping(units: Units | Iterable[str]) -> dict[str, float]:
    if isinstance(units, pd.Series):
        return {str(k): float(v) for k, v in units.items()}
    if isinstance(units, Mapping):
        return {str(k): float(v) for k, v in units.items()}
    return {str(k): math.nan for k in units}


@dataclass
class Ledger:
    """Every figure one report has shown of one kind of restricted data, and what it rested on.

    A figure is a statistic (a total, a mean with its count, a share) of one ``quantity`` (a
    hashable key, e.g. ``("employees", 2021)``) over a set of units (firm ids, respondent ids).
    :meth:`publish` refuses a figure that rests on fewer than ``t`` units, a magnitude that a
    few units dominate (:class:`Dominance`), and a figure whose unit set differs from that of
    a figure already shown on the same quantity by fewer than ``t`` units (their difference
    would describe those few units: 63 employees in 5 firms and a mean of 17.7 in 6 give the
    sixth firm's 43). Units differing in both directions count together (the symmetric
    difference), so that no pair of shown figures reveals fewer than ``t`` units. A refused
    figure is not recorded. With ``t`` 0 (public data) every figure is shown.
    """

    t: int
    dominance: Dominance = DOMINANCE
    shown: dict[Hashable, list[frozenset[str]]] = field(default_factory=dict)

    def check(self, quantity: Hashable, units: Units | Iterable[str], *, magnitude: bool = True) -> Decision:
        """The decision on a figure of ``quantity`` over ``units`` (ids, or ids with their values), without recording it."""
        if self.t <= 0:
            return Decision("shown", self.t, self.dominance)
        values = _as_mapping(units)
        ids = frozenset(values)
        if too_few(len(ids), self.t):
            return Decision("too_few", self.t, self.dominance)
        if magnitude and self.dominance.dominated(values.values()):
            return Decision("dominated", self.t, self.dominance)
        for earlier in self.shown.get(quantity, ()):
            if 0 < len(ids ^ earlier) < self.t:
                return Decision("differencing", self.t, self.dominance)
        return Decision("shown", self.t, self.dominance)

    def record(self, quantity: Hashable, units: Units | Iterable[str]) -> None:
        """Note that a figure of ``quantity`` over ``units`` is shown."""
        ids = frozenset(_as_mapping(units))
        sets = self.shown.setdefault(quantity, [])
        if ids not in sets:
            sets.append(ids)

    def publish(self, quantity: Hashable, units: Units | Iterable[str], *, magnitude: bool = True) -> Decision:
        """:meth:`check` a figure and record it when it may be shown."""
        return self.publish_all([(quantity, units)], magnitude=magnitude)

    def publish_all(self, figures: Sequence[tuple[Hashable, Units | Iterable[str]]], *, magnitude: bool = True) -> Decision:
        """Figures shown together or not at all: the first refusal among them, or shown (and all recorded)."""
        for quantity, units in figures:
            decision = self.check(quantity, units, magnitude=magnitude)
            if not decision.shown:
                return decision
        for quantity, units in figures:
            self.record(quantity, units)
        return Decision("shown", self.t, self.dominance)


@dataclass(frozen=True)
class DisclosurePolicy:
    """Smallest number of firms and of respondents a shown figure may rest on (0: the data are public).

    The policy of one report also keeps that report's :class:`Ledger` for each kind of data
    (:meth:`ledger`), so that every figure the report shows is checked against the others.
    """

    firms: int
    survey: int
    dominance: Dominance = DOMINANCE
    ledgers: dict[str, Ledger] = field(default_factory=dict, compare=False, repr=False)

    def min_cell(self, data: Data) -> int:
        """The threshold for firm-level (``"firms"``) or survey (``"survey"``) figures."""
        return self.firms if data == "firms" else self.survey

    def is_public(self, data: Data) -> bool:
        """True when ``data`` are published and shown as they are."""
        return self.min_cell(data) == 0

    def ledger(self, data: Data = "firms") -> Ledger:
        """The report's ledger of shown figures of ``data`` (one per report and kind of data)."""
        if data not in self.ledgers:
            self.ledgers[data] = Ledger(self.min_cell(data), self.dominance)
        return self.ledgers[data]


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


def balance_hidden(balance: pd.DataFrame, t: int, whole: pd.DataFrame | None = None,
                   ledger: Ledger | None = None) -> BalanceHidden:
    """Hidden cells of ``balance`` (indexed by covariate; columns ``n_participants``, ``n_comparison``).

    Means and standardised differences resting on fewer than ``t`` firms in a group are hidden,
    and so are group counts below it. ``whole`` is the table before matching: its means together
    with the matched ones would give the mean of the firms left out if they are few, so those
    are hidden too. With the report's ``ledger`` and a table that names its firms
    (``balance.attrs["units"]``, as :func:`evaluation.analysis.firms.balance_table` and
    :func:`~evaluation.analysis.firms.match` give it), a row's means are also hidden when a
    few firms dominate a group's mean or when it would reveal firms together with a figure
    shown elsewhere in the report; shown means are recorded in the ledger.
    """
    out = balance.reset_index()
    small = (out["n_participants"] < t) | (out["n_comparison"] < t)
    if whole is not None:
        for group in ("n_participants", "n_comparison"):
            left_out = whole[group].reindex(out["covariate"]).to_numpy() - out[group].to_numpy()
            small |= (left_out > 0) & (left_out < t)
    units = balance.attrs.get("units")
    if ledger is not None and units is not None:
        for i, covariate in enumerate(out["covariate"]):
            if small.iloc[i]:
                continue
            figures = [((covariate, units["year"]), units[group].get(covariate, {})) for group in ("participants", "comparison")]
            small.iloc[i] = not ledger.publish_all(figures).shown
    return BalanceHidden(means=small.to_list(), participants=(out["n_participants"] < t).to_list(),
                         comparison=(out["n_comparison"] < t).to_list())


def before_after_shown(ledger: Ledger, table_ba: pd.DataFrame, outcome: str, before: int, after: int) -> Decision:
    """Whether the participants' totals of ``outcome`` in ``before`` and ``after`` may be shown (and record them).

    ``table_ba`` is a before/after table (:func:`evaluation.analysis.firms.before_after`); the
    totals rest on the firms observed in both years. Both totals are shown or neither.
    """
    rows = table_ba[table_ba["firm_id"].notna() & table_ba["before"].notna() & table_ba["after"].notna()]
    ids = rows["firm_id"].astype(str).to_numpy()
    return ledger.publish_all([((outcome, int(before)), pd.Series(rows["before"].to_numpy(dtype=float), index=ids)),
                               ((outcome, int(after)), pd.Series(rows["after"].to_numpy(dtype=float), index=ids))])


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


# --------------------------------------------------------------------------- aggregates that may leave a remote system

AGGREGATE_GROUPS = ("participants", "participants_balanced", "comparison", "all")
"""The groups of :func:`aggregates`: participants, those observed with the outcome in every year, comparison firms, all."""


def aggregates(panel: pd.DataFrame, t: int, dominance: Dominance = DOMINANCE,
               outcomes: Sequence[str] = ("employees", "turnover", "value_added")) -> pd.DataFrame:
    """Disclosure-checked totals and means of a firm panel: the only figures that leave a remote microdata system.

    Run where the register data live, on the validated panel (:func:`evaluation.analysis.firms.validate_panel`).
    One row per outcome, year and group (:data:`AGGREGATE_GROUPS`), with ``n_firms`` (firms with
    a value), ``total``, ``mean``, ``shown`` and ``reason`` (as :class:`Decision`). A cell is
    hidden (total and mean empty) when it rests on fewer than ``t`` firms, when a few firms
    dominate it (``dominance``), or when together with a cell already kept it would reveal fewer
    than ``t`` firms (one :class:`Ledger` for the whole file: "all" less "participants" would
    otherwise give a small comparison group); its ``n_firms`` is then empty too, as counts can be
    differenced like totals. ``rule`` states the parameters. No firm id, name or single value is in the result.
    """
    ledger = Ledger(t, dominance)
    rule = f"min_cell={t}; " + (f"p={dominance.p:g}" if dominance.p is not None else f"n={dominance.n}; k={dominance.k:g}")
    records: list[dict[str, Any]] = []
    ids = panel["firm_id"].astype(str).to_numpy()
    participant = panel["participant"].to_numpy(dtype=bool)
    years = sorted(int(y) for y in pd.unique(panel["year"]))
    for outcome in (o for o in outcomes if o in panel.columns):
        values = pd.to_numeric(panel[outcome], errors="coerce").to_numpy(dtype=float)
        known = ~np.isnan(values)
        seen = pd.DataFrame({"firm": ids[known], "year": panel["year"].to_numpy()[known]}).groupby("firm")["year"].nunique()
        balanced = np.isin(ids, seen.index[seen == len(years)].to_numpy())
        groups = {"participants": participant, "participants_balanced": participant & balanced,
                  "comparison": ~participant, "all": np.ones_like(participant)}
        for year in years:
            in_year = (panel["year"].to_numpy() == year) & known
            for group in AGGREGATE_GROUPS:
                mask = in_year & groups[group]
                units = pd.Series(values[mask], index=ids[mask])
                decision = ledger.publish((outcome, year), units)
                n = int(mask.sum())
                records.append({"outcome": outcome, "year": year, "group": group,
                                "n_firms": n if decision.shown else None,
                                "total": float(units.sum()) if decision.shown else math.nan,
                                "mean": float(units.mean()) if decision.shown and n else math.nan,
                                "shown": decision.shown, "reason": decision.reason, "rule": rule})
    out = pd.DataFrame.from_records(records, columns=["outcome", "year", "group", "n_firms", "total", "mean", "shown", "reason",
                                                      "rule"])
    out["n_firms"] = out["n_firms"].astype("Int64")
    return out


def aggregates_csv(frame: pd.DataFrame) -> bytes:
    """:func:`aggregates` as CSV bytes (UTF-8, comma-separated, point as decimal sign, hidden cells empty)."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
