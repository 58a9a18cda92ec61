"""A finding: one observation about a project's logic or figures, with its severity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Finding:
    """One observation about a project's logic or figures."""

    check: str
    severity: Severity
    subject: str
    sv: str
    en: str

    def text(self, lang: str = "sv") -> str:
        return self.sv if lang == "sv" else self.en
