"""Firm data as registers hold them: organisation numbers, industry, size class and municipality.

A firm panel (:mod:`.panel`) may carry, besides ``firm_id``:

* ``org_nr``: the Swedish organisation number, 10 digits (``NNNNNN-NNNN`` or without the
  hyphen; a 12-digit form with the century prefix ``16`` is accepted), the last digit the
  Luhn check digit of the first nine;
* ``sni``: the industry as an SNI 2007 code, 2 to 5 digits (division, group, class,
  subclass: ``62``, ``620``, ``6201``, ``62010``; a dot as in ``62.010`` is allowed), the
  division one of SNI 2007's;
* ``size_class``: ``micro``, ``small``, ``medium`` or ``large`` (the EU classes), or a size
  band of employees as Statistics Sweden gives it (``0``, ``1-4``, ``5-9``, ``10-19``,
  ``20-49``, ``50-99``, ``100-199``, ``200-499``, ``500-``);
* ``municipality``: the municipality code, 4 digits, the first two a county code.

The checks here are pure functions of one value; :func:`evaluation.analysis.firms.validate_panel`
applies them to a panel and names the rows that fail. :func:`export_firms` gives the list of
participating firms a register linkage needs: their organisation numbers and nothing else.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from evaluation.core.errors import ProblemCollector

__all__ = ["ORG_NR", "MUNICIPALITY", "SIZE_CLASS", "SNI", "export_csv", "export_firms", "luhn_valid", "municipality_code",
           "org_nr", "size_class", "sni_code"]

ORG_NR = "a Swedish organisation number of 10 digits (NNNNNN-NNNN) whose last digit is the Luhn check digit of the first nine"
"""What an ``org_nr`` must be, as error messages say it."""
SNI = "an SNI 2007 code of 2 to 5 digits (e.g. 62010) in one of SNI 2007's divisions"
"""What an ``sni`` must be."""
SIZE_CLASS = "a size class: micro, small, medium or large, or an employee band 0, 1-4, 5-9, 10-19, 20-49, 50-99, 100-199, 200-499, 500-"
"""What a ``size_class`` must be."""
MUNICIPALITY = "a municipality code of 4 digits whose first two are a county code (e.g. 0180)"
"""What a ``municipality`` must be."""

# SNI 2007 divisions (two-digit level), as Statistics Sweden publishes the classification.
_SNI_DIVISIONS = frozenset(
    [1, 2, 3, 5, 6, 7, 8, 9, *range(10, 34), 35, 36, 37, 38, 39, 41, 42, 43, 45, 46, 47, 49, 50, 51, 52, 53, 55, 56,
     58, 59, 60, 61, 62, 63, 64, 65, 66, 68, 69, 70, 71, 72, 73, 74, 75, 77, 78, 79, 80, 81, 82, 84, 85, 86, 87, 88, 90,
     91, 92, 93, 94, 95, 96, 97, 98, 99]
)
# Sweden's county codes (länskoder) in use since 1998.
_COUNTIES = frozenset(["01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20", "21",
                       "22", "23", "24", "25"])
_SIZE_CLASSES = frozenset(["micro", "small", "medium", "large", "0", "1-4", "5-9", "10-19", "20-49", "50-99", "100-199",
                           "200-499", "500-", "500+"])


def _digits_of(value: object, width: int) -> str | None:
    """A code as text: a whole number padded with zeros to ``width`` (a CSV reader may have dropped them), text stripped."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if math.isnan(value) or value != int(value):
            return None
        value = int(value)
    if isinstance(value, int):
        return str(value).zfill(width) if value >= 0 else None
    if isinstance(value, str):
        return value.strip()
    return None


def luhn_valid(digits: str) -> bool:
    """True when the last of ``digits`` is the Luhn check digit of the others (weights 2, 1, 2, ... from the left)."""
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for i, ch in enumerate(digits[:-1]):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10 == int(digits[-1])


def org_nr(value: object) -> str | None:
    """The organisation number as 10 digits without hyphen, or None when ``value`` is not a valid one.

    Accepts ``556036-0793``, ``5560360793``, ``16556036-0793`` and ``165560360793``.
    """
    text = _digits_of(value, 10)
    if not text:
        return None
    m = re.fullmatch(r"(16)?(\d{6})-?(\d{4})", text)
    if m is None:
        return None
    digits = m.group(2) + m.group(3)
    return digits if luhn_valid(digits) else None


def sni_code(value: object) -> str | None:
    """The SNI 2007 code as digits (``62010``), or None when ``value`` is not one."""
    text = _digits_of(value, 5)
    if not text:
        return None
    digits = text.replace(".", "")
    if not re.fullmatch(r"\d{2,5}", digits) or int(digits[:2]) not in _SNI_DIVISIONS:
        return None
    return digits


def municipality_code(value: object) -> str | None:
    """The municipality code as 4 digits (``0180``), or None when ``value`` is not one."""
    text = _digits_of(value, 4)
    if not text or not re.fullmatch(r"\d{4}", text) or text[:2] not in _COUNTIES:
        return None
    return text


def size_class(value: object) -> str | None:
    """The size class in lower case (``small``, ``10-19``), or None when ``value`` is not one."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower().replace(" ", "").replace("–", "-")
    return text if text in _SIZE_CLASSES else None


def export_firms(panel: pd.DataFrame, file: str | None = None) -> pd.DataFrame:
    """The participating firms for a register linkage: one column ``org_nr`` (10 digits), each firm once, sorted.

    Nothing else leaves: no names, no firm ids, no outcomes. Every participating firm must
    have a valid organisation number; each one missing or invalid is a problem naming its row
    (``panel.attrs["rows"]`` as the loader numbers them, else CSV numbering: index + 2; the file
    is ``file`` or ``panel.attrs["file"]``), all raised together as an InputError.
    """
    problems = ProblemCollector()
    data = panel.reset_index(drop=True)
    file = str(file if file is not None else panel.attrs.get("file", "<panel>"))
    rows = panel.attrs.get("rows")
    if rows is None or len(rows) != len(data):
        rows = range(2, len(data) + 2)
    for column in ("participant", "org_nr"):
        if column not in data.columns:
            problems.add(file, column, "a column of the panel", got=f"columns {sorted(map(str, data.columns))}")
    problems.raise_if_any()
    numbers: set[str] = set()
    participants = data["participant"].astype(object).map(lambda v: v is True or v == 1 or str(v).strip().lower() in ("true", "1"))
    for pos in range(len(data)):
        if not participants.iloc[pos]:
            continue
        raw = data["org_nr"].iloc[pos]
        number = org_nr(raw)
        if number is None:
            got = None if raw is None or (isinstance(raw, float) and math.isnan(raw)) or raw is pd.NA else raw
            problems.add(file, "org_nr", ORG_NR + " for a participating firm", got=got, row=int(rows[pos]))
        else:
            numbers.add(number)
    problems.raise_if_any()
    return pd.DataFrame({"org_nr": pd.array(sorted(numbers), dtype="str")})


def export_csv(panel: pd.DataFrame, file: str | None = None) -> bytes:
    """:func:`export_firms` as CSV bytes (UTF-8, header ``org_nr``, one number a line, LF)."""
    numbers = export_firms(panel, file)["org_nr"].tolist()
    return ("org_nr\n" + "".join(f"{n}\n" for n in numbers)).encode("utf-8")
