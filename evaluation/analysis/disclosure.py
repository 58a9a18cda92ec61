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

    @property
    def is_default(self) -> bool:
        """True for the default rule, (n, k) = (2, 85 %)."""
        return self == Dominance()

    def text(self, lang: Language) -> str:
        """The rule in one sentence of ``lang``, its parameters named (and whether they are the defaults)."""
        if self.p is not None:
            return fmt.fill(lang, N_("Totals and means of employees, turnover and value added are hidden when the rest of the firms "
                                     "make up less than {p} % of the largest firm's value, as one firm could then estimate another's "
                                     "(the p % rule, set in the project's disclosure settings)."), (("p", fmt.Number(self.p)),))
        sentence = fmt.fill(lang, N_("Totals and means of employees, turnover and value added are hidden when the {n} largest firms "
                                     "make up more than {k} % of them (dominance rule n = {n}, k = {k} %)."),
                            (("n", self.n), ("k", fmt.Number(self.k))))
        if self.is_default:
            return sentence + " " + fmt.fill(lang, N_("These are the default parameters; a project sets its own under "
                                                      "disclosure: dominance: in project.yaml."), ())
        return sentence


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
        if self.reason == "dominated" and d.p is not None:
            return fmt.fill(lang, N_("These figures are not shown, because one or two firms make up most of them (p % rule, "
                                     "p = {p} %)."), (("p", fmt.Number(d.p)),))
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
    difference), so that no pair of shown figures reveals fewer than ``t`` units. Sums are
    checked too: a total beside shown parts of it that do not overlap must leave at least
    ``t`` units out of the parts (else total less parts describes them). A refused figure is
    not recorded. With ``t`` 0 (public data) every figure is shown.

    One ledger serves a whole report: the firm section's totals, the balance tables, the
    horizontal section's share of women-led firms, the survey section's counts and the key
    figures' survey count are all checked against each other (see :func:`survey_counts_hidden`
    and :func:`survey_total_shown`).
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
        earlier_sets = self.shown.get(quantity, [])
        for earlier in earlier_sets:
            if 0 < len(ids ^ earlier) < self.t:
                return Decision("differencing", self.t, self.dominance)
        if self._sums_reveal(ids, earlier_sets):
            return Decision("differencing", self.t, self.dominance)
        return Decision("shown", self.t, self.dominance)

    def _sums_reveal(self, ids: frozenset[str], earlier_sets: Sequence[frozenset[str]]) -> bool:
        """True when a total less shown disjoint parts (the new figure among them, or being the total) leaves fewer than ``t`` units.

        Totals and counts add up: 35 respondents in all beside 22 in one wave and 10 in another
        give the third wave's 3, though no two of the figures differ by fewer than ``t``.
        """
        def parts_of(total: frozenset[str], first: frozenset[str] | None) -> frozenset[str]:
            covered: set[str] = set(first or ())
            for part in earlier_sets:
                if part < total and part.isdisjoint(covered):
                    covered |= part
            return frozenset(covered)

        for total in earlier_sets:
            if ids < total and 0 < len(total - parts_of(total, ids)) < self.t:
                return True
        inner = parts_of(ids, None)
        return bool(inner) and sum(1 for part in earlier_sets if part < ids) >= 2 and 0 < len(ids - inner) < self.t

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


def dominance_of(project: Project) -> Dominance:
    """The dominance rule of ``project.yaml``'s ``disclosure.dominance`` (default (n, k) = (2, 85 %))."""
    d = project.disclosure
    return Dominance(n=d.dominance_n, k=d.dominance_k, p=d.dominance_p)


def policy(project: Project, threshold: int) -> DisclosurePolicy:
    """The policy of one report: the project's disclosure setting (with its dominance rule) and the report's threshold."""
    return DisclosurePolicy(firms=min_cell(project, "firms", threshold), survey=min_cell(project, "survey", threshold),
                            dominance=dominance_of(project))


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


def cohort_sizes(panel: pd.DataFrame, outcome: str) -> dict[int, int]:
    """Participating firms with a value of ``outcome`` by start year (the cohorts of a staggered design)."""
    start = pd.to_numeric(panel["participation_start"], errors="coerce")
    rows = panel.loc[panel["participant"].to_numpy(dtype=bool) & start.notna().to_numpy()
                     & pd.to_numeric(panel[outcome], errors="coerce").notna().to_numpy()]
    sizes = rows.assign(_start=start.loc[rows.index].astype(int)).groupby("_start")["firm_id"].nunique()
    return {int(k): int(v) for k, v in sizes.items()}


def staggered_shown(result: Any, panel: pd.DataFrame, t: int) -> tuple[Any, bool]:
    """Callaway & Sant'Anna's result without the rows resting on fewer than ``t`` participating firms, and whether a dynamic row went.

    ``result`` is a :class:`~evaluation.analysis.firms.StaggeredResult` of ``panel``. A row of
    ``group_time`` or ``by_cohort`` rests on its cohort's firms, a row of ``dynamic`` (event
    time e) on the firms of every cohort observed at e; rows of fewer than ``t`` are dropped
    (their effect would describe those few firms' development). With ``t`` 0 nothing is dropped.
    """
    if t <= 0:
        return result, False
    sizes = cohort_sizes(panel, result.outcome)
    gt = result.group_time
    n_gt = gt["cohort"].map(lambda g: sizes.get(int(g), 0))
    at = pd.DataFrame({"rel_time": gt["rel_time"], "cohort": gt["cohort"], "n": n_gt}).drop_duplicates(["rel_time", "cohort"])
    n_dyn = result.dynamic["rel_time"].map(at.groupby("rel_time")["n"].sum()).fillna(0)
    keep_dyn = (n_dyn >= t).to_numpy()
    by_cohort = result.by_cohort.loc[result.by_cohort["cohort"].map(lambda g: sizes.get(int(g), 0)).to_numpy() >= t]
    shown = replace(result, group_time=gt.loc[(n_gt >= t).to_numpy()].reset_index(drop=True),
                    by_cohort=by_cohort.reset_index(drop=True), dynamic=result.dynamic.loc[keep_dyn].reset_index(drop=True))
    return shown, bool((~keep_dyn).any())


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

RESPONDENTS = "respondents"
"""The ledger quantity of every count of survey respondents (per wave, or in all): units are wave/respondent pairs."""


def survey_units(responses: pd.DataFrame) -> list[str]:
    """Each response row's unit: its wave and respondent ("2025/r07"), so that one person in two waves counts twice."""
    return [f"{w}/{r}" for w, r in zip(responses["wave"].astype("str"), responses["respondent"].astype("str"))]


def survey_counts_hidden(ledger: Ledger, responses: pd.DataFrame, waves: Sequence[str], hidden: Sequence[bool]) -> list[bool]:
    """Which waves' respondent counts (and response rates) are hidden: small (``hidden``), or refused by the report's ledger.

    Shown counts are recorded in ``ledger`` (the report's survey ledger) under :data:`RESPONDENTS`,
    so that a count elsewhere in the report (the key figures' respondents in all) cannot be
    set against them to give a hidden wave's count.
    """
    units = pd.Series(survey_units(responses), index=responses.index)
    wave = responses["wave"].astype("str")
    out = []
    for w, small in zip(waves, hidden):
        if small:
            out.append(True)
            continue
        out.append(not ledger.publish(RESPONDENTS, set(units[wave == str(w)]), magnitude=False).shown)
    return out


def survey_total_shown(ledger: Ledger, responses: pd.DataFrame) -> Decision:
    """Whether the number of respondents in all waves may be shown beside the report's other survey counts (and record it)."""
    return ledger.publish(RESPONDENTS, set(survey_units(responses)), magnitude=False)


def item_counts_hidden(ledger: Ledger, responses: pd.DataFrame, items: Sequence[str], hidden: Sequence[bool],
                       respondents: pd.DataFrame | None = None) -> list[bool]:
    """Which items' answer counts (with their shares) are hidden: small (``hidden``) or refused by the ledger.

    An item's count pools its waves. It is checked as a count of its own (quantity
    ``("answers", item)``, recorded when shown) and, through the respondents of the waves it
    pools, against the respondent counts already shown (:data:`RESPONDENTS`, not recorded): 25
    answers pooled over a wave shown with 22 respondents and a hidden one would give the hidden
    wave's 3. Answers left out by some respondents of a wave (item non-response) do not hide it.
    ``responses`` are the answers; ``respondents`` the survey's rows as the respondent counts
    used them (default ``responses``).
    """
    units = pd.Series(survey_units(responses), index=responses.index)
    item_of = responses["item"].astype("str")
    everyone = responses if respondents is None else respondents
    all_units = pd.Series(survey_units(everyone), index=everyone.index)
    all_waves = everyone["wave"].astype("str")
    out = []
    for i, small in zip(items, hidden):
        if small:
            out.append(True)
            continue
        waves = set(responses["wave"].astype("str")[item_of == str(i)])
        population = set(all_units[all_waves.isin(waves)])
        if not ledger.check(RESPONDENTS, population, magnitude=False).shown:
            out.append(True)
            continue
        out.append(not ledger.publish(("answers", str(i)), set(units[item_of == str(i)]), magnitude=False).shown)
    return out


def participation_total_shown(ledger: Ledger, frame: pd.DataFrame) -> bool:
    """Whether the number of distinct firms in a participation table may be shown beside the report's other such counts.

    Recorded under ``"participating_firms"`` (units: the table's firm ids); False when fewer than
    the threshold, or when it differs from such a count shown before by fewer than the threshold of firms.
    """
    return ledger.publish("participating_firms", set(frame["firm_id"].astype(str)), magnitude=False).shown


def women_led_shown(ledger: Ledger, panel: pd.DataFrame) -> Decision:
    """Whether the share of women-led participating firms ("k of n") may be shown, checked against the report's firm figures.

    ``panel`` is the firm panel (with ``women_led``); the firms are those
    :func:`evaluation.analysis.participation.women_led` counts. Both groups must have at least
    the threshold of firms, and the counts are recorded (quantities ``"women_led"`` and
    ``"firms_by_leadership"``) so that no later count of the same kind differs from them by a few firms.
    """
    part = panel[panel["participant"].to_numpy(dtype=bool)].drop_duplicates("firm_id")
    part = part[part["women_led"].notna()]
    led_mask = part["women_led"].astype(bool).to_numpy()
    ids = part["firm_id"].astype(str).to_numpy()
    led, rest = set(ids[led_mask]), set(ids[~led_mask])
    if women_led_hidden(len(led), len(rest), ledger.t):
        return Decision("too_few", ledger.t, ledger.dominance)
    return ledger.publish_all([("women_led", led), ("not_women_led", rest), ("firms_by_leadership", led | rest)], magnitude=False)



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


# --------------------------------------------------------------------------- interviews


def interview_min_cell(project: Project, threshold: int) -> int:
    """Smallest number of interviews a shown stakeholder group may rest on; interviews are never public data."""
    return max(project.disclosure.min_cell, threshold)


def interview_groups_hidden(counts: Sequence[int], t: int) -> tuple[list[bool], bool]:
    """Which stakeholder groups (given their numbers of interviews) are hidden, and whether the all-groups total is.

    A group with fewer than ``t`` interviews is hidden; the groups add up to the total, so one
    more is hidden where a single hidden group could be recovered from it (:func:`suppress`),
    and the total is hidden when the hidden groups together rest on fewer than ``t`` interviews.
    """
    if not counts:
        return [], False
    sup = suppress(pd.DataFrame([list(counts)]), t, row_totals=True, col_totals=False, keep_zeros=True)
    hidden = [bool(h) for h in sup.suppressed.iloc[0, :-1]]
    hidden_sum = sum(c for c, h in zip(counts, hidden) if h)
    return hidden, bool(sup.suppressed.iloc[0, -1]) or 0 < hidden_sum < t


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
