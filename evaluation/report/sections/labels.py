"""Report words for the codes in the data and the analysis (statuses, levels, criteria, funds, tests).

Each function returns the label of one code in the report's language, through the catalogue;
a code without a label is returned as it is.
"""

from __future__ import annotations

from evaluation.core.i18n import Language, ptext, text


def status(lang: Language, code: str) -> str:
    """An indicator's status (:data:`evaluation.analysis.status.STATUSES`): "I fas", "Uppnått", ..."""
    labels = {
        "on_track": text(lang, "On track"),
        "at_risk": text(lang, "At risk"),
        "off_track": text(lang, "Off track"),
        "too_early": text(lang, "Too early to tell"),
        "not_reported": ptext(lang, "indicator status", "Not reported"),
        "no_target": text(lang, "No target"),
        "achieved": text(lang, "Achieved"),
        "partly": text(lang, "Partly achieved"),
        "not_achieved": text(lang, "Not achieved"),
    }
    return labels.get(code, code)


def criterion(lang: Language, code: str) -> str:
    """A horizontal criterion: "Jämställdhet", ..."""
    labels = {
        "gender_equality": text(lang, "Gender equality"),
        "equal_opportunities": text(lang, "Equal opportunities and non-discrimination"),
        "sustainable_development": text(lang, "Sustainable development"),
    }
    return labels.get(code, code)


CRITERIA: tuple[str, ...] = ("gender_equality", "equal_opportunities", "sustainable_development")
"""The horizontal criteria, in the report's order."""


def fund(lang: Language, code: str) -> str:
    """A fund: "Nationella medel", ...; an EU fund's name (ERUF, ESF+) as it is."""
    labels = {
        "national": text(lang, "National funds"),
        "regional": text(lang, "Regional funds"),
        "municipal": text(lang, "Municipal funds"),
    }
    return labels.get(code, code)


def effect_level(lang: Language, code: str) -> str:
    """An indicator's effect-logic level: "Aktivitet", "Output", "Kortsiktig effekt", "Långsiktig effekt"."""
    labels = {
        "activity": text(lang, "Activity"),
        "output": ptext(lang, "effect level", "Output"),
        "short_term": text(lang, "Short-term effect"),
        "long_term": text(lang, "Long-term effect"),
    }
    return labels.get(code, code)


def goal_level(lang: Language, code: str) -> str:
    """A goal-tree level: "Övergripande mål", "Projektmål", "Delmål", "Aktivitet"."""
    labels = {
        "overall": text(lang, "Overall goal"),
        "project": text(lang, "Project goal"),
        "sub": text(lang, "Sub-goal"),
        "activity": text(lang, "Activity"),
    }
    return labels.get(code, code)


def severity(lang: Language, code: str) -> str:
    """A finding's severity: "Fel", "Varning", "Info"."""
    labels = {
        "error": text(lang, "Error"),
        "warning": text(lang, "Warning"),
        "info": text(lang, "Info"),
    }
    return labels.get(code, code)


def test(lang: Language, code: str) -> str:
    """A statistical test: "Mann–Whitneys U-test", "χ²-test", ..."""
    labels = {
        "mann-whitney-u": text(lang, "Mann–Whitney U test"),
        "kruskal-wallis": text(lang, "Kruskal–Wallis test"),
        "wilcoxon-signed-rank": text(lang, "Wilcoxon signed-rank test"),
        "chi-square": text(lang, "Chi-square test"),
        "fisher-exact": text(lang, "Fisher's exact test"),
    }
    return labels.get(code, code)
