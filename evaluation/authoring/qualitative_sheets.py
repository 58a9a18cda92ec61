"""The qualitative tables in the Excel template: sheet names, purposes, column help and drop-down lists.

:mod:`evaluation.authoring.workbook` merges these into its own tables, so the dissemination,
interviews, excerpts and themes sheets are written and read back like every other sheet (the
columns are :data:`evaluation.io.qualitative.TABLES`).
"""

from __future__ import annotations

from typing import get_args

from evaluation.core.i18n import Language, ptext, text
from evaluation.core.model import STAKEHOLDER_GROUPS, STANCES, InterviewMethod
from evaluation.io.qualitative import CHANNELS

LIST_COLUMNS: dict[tuple[str, str], str] = {
    ("dissemination", "channel"): "channel",
    ("interviews", "group"): "group",
    ("interviews", "method"): "method",
    ("interviews", "consent_to_quote"): "yes_no",
    ("excerpts", "stance"): "stance",
}
"""(table, column) -> the drop-down list it takes its values from."""


def drop_down_lists() -> dict[str, tuple[str, ...]]:
    """The closed sets of the qualitative tables (list name -> values)."""
    return {"channel": CHANNELS, "group": STAKEHOLDER_GROUPS, "method": get_args(InterviewMethod), "stance": STANCES}


def sheet_names(lang: Language) -> dict[str, str]:
    """Table name -> sheet name in ``lang``, in sheet order."""
    return {
        "dissemination": ptext(lang, "workbook sheet", "Dissemination"),
        "interviews": ptext(lang, "workbook sheet", "Interviews"),
        "excerpts": ptext(lang, "workbook sheet", "Interview excerpts"),
        "themes": ptext(lang, "workbook sheet", "Themes"),
    }


def purposes(lang: Language) -> dict[str, str]:
    """What each qualitative table is for (instruction sheet), in ``lang``."""
    return {
        "dissemination": text(lang, "Dissemination of the project and its results (P3): one row per activity, such as a "
                                    "conference, an article or a meeting with politicians."),
        "interviews": text(lang, "The evaluator's interviews: one row per interview. Never write a person's name."),
        "excerpts": text(lang, "Coded excerpts of the interviews: one row per excerpt, with its theme and stance."),
        "themes": text(lang, "The theme codes of the excerpts and their names (optional)."),
    }


def column_help(lang: Language, sheets: dict[str, str]) -> dict[tuple[str, str], str]:
    """Help for every column of the qualitative tables in ``lang`` (data_status is the workbook's shared help)."""
    return {
        ("dissemination", "id"): text(lang, "The activity's id, unique in the table (e.g. d1); an assessment refers to it "
                                            "as dissemination:d1."),
        ("dissemination", "date"): text(lang, "The date of the activity, YYYY-MM-DD (YYYY-MM or YYYY if only that is known). "
                                              "Empty = not reported."),
        ("dissemination", "channel"): text(lang, "The channel (pick it from the list): conference, seminar, meeting, media, "
                                                 "report, social_media, newsletter, website, policy_hearing, policy_contact "
                                                 "or other."),
        ("dissemination", "audience"): text(lang, "Who it reached, e.g. municipal boards, the local business community "
                                                  "(optional)."),
        ("dissemination", "title"): text(lang, "What was disseminated, e.g. the title of the talk, article or report."),
        ("dissemination", "reach"): text(lang, "How many were reached (participants, readers, recipients). Empty = not "
                                               "reported, never 0."),
        ("dissemination", "source"): text(lang, "Where the information comes from: the source's id in project.yaml or the "
                                                "document's name (optional)."),
        ("interviews", "id"): text(lang, "The interview's id, unique in the table (e.g. i01); the same on the sheet {sheet}.",
                                   sheet=sheets["excerpts"]),
        ("interviews", "date"): text(lang, "The date of the interview, YYYY-MM-DD. Empty = not reported."),
        ("interviews", "group"): text(lang, "The stakeholder group (pick it from the list): project_manager, "
                                            "participating_firm, financier, partner, municipality or other."),
        ("interviews", "role"): text(lang, "The interviewee's role, e.g. managing director or business developer; never "
                                           "a name (optional; not shown in the report)."),
        ("interviews", "method"): text(lang, "individual, group, phone or digital (optional)."),
        ("interviews", "consent_to_quote"): text(lang, "ja = the interviewee agreed to be quoted (without a name); nej = "
                                                       "the excerpts are counted but never quoted."),
        ("excerpts", "interview"): text(lang, "The interview's id, as on the sheet {sheet}.", sheet=sheets["interviews"]),
        ("excerpts", "theme"): text(lang, "The theme's code, e.g. networks (as on the sheet {sheet}, if it is used).",
                                    sheet=sheets["themes"]),
        ("excerpts", "stance"): text(lang, "positive, neutral or negative: the interviewee's stance on the theme."),
        ("excerpts", "excerpt"): text(lang, "The excerpt, word for word or summarised; no names (optional)."),
        ("themes", "code"): text(lang, "The theme's code, as used on the sheet {sheet}.", sheet=sheets["excerpts"]),
        ("themes", "label"): text(lang, "The theme's name as the report shows it (optional)."),
    }
