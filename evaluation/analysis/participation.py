"""Who took part and what was done: activity counts, firms taking part, and the firm panel's design.

These are the counts behind the report's process, N1 and firm sections: the most frequent
activities, activities with no reported count, distinct firms per activity (each firm
counted once however many activities it joined), the share of women-led participating firms,
the years a firm panel compares and the design of its comparison with non-participants.
Nothing here formats text or decides what is hidden (:mod:`evaluation.analysis.disclosure`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from evaluation.analysis import indicators as ind_mod
from evaluation.analysis import process
from evaluation.core.model import Project

COVARIATES = ("employees", "turnover", "value_added")
"""Firm variables compared between participants and comparison firms, when reported."""


def top_activities(project: Project, as_of: date, n: int = 5) -> pd.DataFrame:
    """The ``n`` activities carried out most often up to ``as_of`` (ties by activity id)."""
    totals = process.activity_totals(project, as_of).dropna(subset=["count"])
    return totals.sort_values(["count", "activity"], ascending=[False, True]).head(n)


def activities_without_count(project: Project, totals: pd.DataFrame) -> list[str]:
    """Activities of the goal tree with no reported count in ``totals`` (from :func:`process.activity_totals`)."""
    done = set(totals["activity"])
    return [a.id for a in project.goal_tree.by_level("activity")
            if a.id not in done or totals.loc[totals["activity"] == a.id, "count"].isna().all()]


@dataclass(frozen=True)
class Participation:
    """Firms taking part in the activities up to the as-of date."""

    frame: pd.DataFrame
    """The participations counted (one row per firm and activity)."""
    unique: int
    """Distinct firms."""
    by_activity: pd.DataFrame
    """activity, n_rows (participations), n_unique (distinct firms)."""
    illustrative: bool

    @property
    def n_participations(self) -> int:
        """Participations counted (a firm once per activity it joined)."""
        return len(self.frame)


def participation(project: Project, as_of: date) -> Participation | None:
    """Distinct firms in all and per activity, up to ``as_of``; None without participation data."""
    frame = project.participation
    if frame is None or frame.empty:
        return None
    if frame["period_end"].notna().any():
        frame = frame[frame["period_end"].isna() | (pd.to_datetime(frame["period_end"]) <= pd.Timestamp(as_of))]
    return Participation(frame=frame, unique=ind_mod.unique_count(frame), by_activity=ind_mod.unique_count_by(frame, "activity"),
                         illustrative=bool((frame["data_status"] == "illustrative").any()))


@dataclass(frozen=True)
class WomenLed:
    """Participating firms whose leadership is reported, and how many of them are women-led."""

    n_firms: int
    n_women_led: int

    @property
    def n_other(self) -> int:
        """Firms not led by women."""
        return self.n_firms - self.n_women_led

    @property
    def share(self) -> float:
        """The share of women-led firms."""
        return self.n_women_led / self.n_firms


def women_led(project: Project) -> WomenLed | None:
    """Participating firms (each once) by whether they are women-led; None when the panel does not say."""
    firms = project.firms
    if firms is None or "women_led" not in firms or not firms["women_led"].notna().any():
        return None
    part = firms[firms["participant"]].drop_duplicates("firm_id")
    led = part["women_led"].dropna().astype(bool)
    return WomenLed(n_firms=len(led), n_women_led=int(led.sum()))


@dataclass(frozen=True)
class PanelYears:
    """The first and last year the participating firms are observed, with their labels (e.g. "okt-22")."""

    before: int
    after: int
    before_label: str
    after_label: str


def panel_years(panel: pd.DataFrame) -> PanelYears | None:
    """The years a before/after comparison of the participants uses; None unless observed in two years."""
    participants = panel[panel["participant"]]
    years = sorted(int(y) for y in participants["year"].dropna().unique())
    if len(years) < 2:
        return None
    before, after = years[0], years[-1]
    labels = dict(zip(participants["year"].astype(int), participants["period_label"]))
    return PanelYears(before, after, labels.get(before) or str(before), labels.get(after) or str(after))


def firm_names(panel: pd.DataFrame) -> dict[str, str]:
    """Participating firms' names by firm id."""
    participants = panel[panel["participant"]]
    return dict(zip(participants["firm_id"], participants["name"]))


def published_change(panel: pd.DataFrame, year: int) -> pd.Series:
    """The published change in employees per firm in ``year`` (NaN where not published)."""
    return panel[(panel["year"] == year)].set_index("firm_id")["published_change"]


def published_by_row(table_ba: pd.DataFrame, published: pd.Series) -> list[float]:
    """The published change beside each row of a before/after table (the total row: their sum)."""
    return [published.get(fid, float("nan")) if isinstance(fid, str) else float(published.sum()) for fid in table_ba["firm_id"]]


def published_gap(published: pd.Series, change: float, total_before: float) -> tuple[float, float] | None:
    """The published total change and its share of the employees before, when it differs from ``change``; else None."""
    if not published.notna().any():
        return None
    total = float(published.sum())
    if abs(total - change) <= 1e-9:
        return None
    return total, total / total_before


def growth_counts(table_ba: pd.DataFrame) -> list[int]:
    """Firms that grew, were unchanged and shrank between the two years of a before/after table."""
    rows = table_ba[table_ba["firm_id"].notna() & table_ba["before"].notna() & table_ba["after"].notna()]
    return [int((rows["change"] > 0).sum()), int((rows["change"] == 0).sum()), int((rows["change"] < 0).sum())]


@dataclass(frozen=True)
class ComparisonDesign:
    """Participants are compared with non-participants in ``year`` (the year before the first start) on ``covariates``."""

    year: int
    covariates: list[str]


def comparison_design(panel: pd.DataFrame) -> ComparisonDesign | None:
    """The year and the variables of the balance comparison; None without non-participants or usable data."""
    if panel["participant"].all() or panel["participation_start"].dropna().empty:
        return None
    year = int(panel["participation_start"].dropna().min()) - 1
    covariates = [c for c in COVARIATES if c in panel and panel.loc[panel["year"] == year, c].notna().sum() > 2]
    if not covariates or (panel["year"] == year).sum() == 0:
        return None
    return ComparisonDesign(year, covariates)
