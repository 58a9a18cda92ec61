"""Localised formatting of numbers, money, shares and dates for report text (Swedish and English).

All formatting goes through Babel with the locales ``sv_SE`` and ``en_GB``, so group
separators, decimal marks and month names follow CLDR: Swedish groups digits with a
no-break space (U+00A0) and writes ``49,7 %`` with a no-break space before the per cent
sign; English writes ``16,713,030`` and ``49.7%``. Rounding is half-up (``2.5 -> 3``),
as readers of Swedish reports expect, not Babel's default half-even.

A missing value (``None``, NaN, ``pd.NA``, ``NaT``) is never shown as ``0`` or ``nan``
but as :func:`missing` in the report language.

Text made before its language is known (a finding, an :class:`~evaluation.core.errors.AnalysisError`)
holds a :class:`Message`: an English message id (marked with ``N_``) and its values, numbers as
:class:`Number`, :class:`Percent` or :class:`Money`, so that ``Message(...).text(lang)`` writes
the whole sentence, figures included, in the reader's language.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass

from babel.core import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_currency, format_decimal, format_percent

from evaluation.core.i18n import DEFAULT_LANGUAGE, Language, choices, is_language, locale_of, text, translate

NBSP = "\u00a0"

_MONEY_PATTERNS: dict[str, str] = {"sv": f"#,##0{NBSP}¤", "en": f"¤{NBSP}#,##0"}


def _locale(lang: Language) -> str:
    if not is_language(lang):
        raise ValueError(f"language must be {choices()} (got {lang!r})")
    return locale_of(lang)


def is_missing(x: object) -> bool:
    """True for ``None``, float NaN, ``pd.NA`` and ``pd.NaT`` (the values shown as missing)."""
    if x is None:
        return True
    if isinstance(x, float) and math.isnan(x):
        return True
    if isinstance(x, numbers.Real) and not isinstance(x, numbers.Integral):
        try:
            return math.isnan(float(x))
        except (TypeError, ValueError):
            return False
    if isinstance(x, decimal.Decimal):
        return x.is_nan()
    return type(x).__name__ in {"NAType", "NaTType"}


def missing(lang: Language) -> str:
    """The text for a missing value: ``uppgift saknas`` / ``not reported``."""
    _locale(lang)
    return text(lang, "not reported")


def _plain_number(x: object) -> int | float | decimal.Decimal:
    if isinstance(x, bool):
        raise TypeError(f"a number is expected, not a bool (got {x!r})")
    if isinstance(x, (int, decimal.Decimal)):
        return x
    if isinstance(x, numbers.Integral):
        return int(x)
    if isinstance(x, numbers.Real):
        return float(x)
    raise TypeError(f"a number is expected (got {x!r})")


def _fixed_pattern(base: str, decimals: int) -> str:
    """``base`` (a Babel pattern containing ``#,##0``) with exactly ``decimals`` fraction digits."""
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0 (got {decimals})")
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    return base.replace("#,##0", digits, 1)


def number(x: object, lang: Language, decimals: int | None = None) -> str:
    """``16713030 -> '16 713 030'`` (sv, no-break spaces) / ``'16,713,030'`` (en).

    ``decimals=None`` shows up to three decimals as needed (``43.5 -> '43,5'``); an int
    gives exactly that many.
    """
    loc = _locale(lang)
    if is_missing(x):
        return missing(lang)
    value = _plain_number(x)
    with decimal.localcontext(rounding=decimal.ROUND_HALF_UP):
        if decimals is None:
            return format_decimal(value, locale=loc)
        return format_decimal(value, format=_fixed_pattern("#,##0", decimals), locale=loc)


def money(x: object, lang: Language, decimals: int = 0) -> str:
    """Swedish kronor: ``'16 713 030 kr'`` (sv) / ``'SEK 16,713,030'`` (en); no-break spaces throughout."""
    loc = _locale(lang)
    if is_missing(x):
        return missing(lang)
    value = _plain_number(x)
    pattern = _fixed_pattern(_MONEY_PATTERNS.get(lang) or Locale.parse(loc).currency_formats["standard"].pattern, decimals)
    with decimal.localcontext(rounding=decimal.ROUND_HALF_UP):
        return format_currency(value, "SEK", format=pattern, locale=loc, currency_digits=False)


def percent(share: object, lang: Language, decimals: int = 1) -> str:
    """A share as per cent: ``0.497 -> '49,7 %'`` (sv, no-break space) / ``'49.7%'`` (en)."""
    loc = _locale(lang)
    if is_missing(share):
        return missing(lang)
    value = _plain_number(share)
    base = Locale.parse(loc).percent_formats[None].pattern
    with decimal.localcontext(rounding=decimal.ROUND_HALF_UP):
        return format_percent(value, format=_fixed_pattern(base, decimals), locale=loc)


def _as_date(d: object) -> _dt.date:
    if isinstance(d, _dt.datetime):
        return d.date()
    if isinstance(d, _dt.date):
        return d
    if isinstance(d, str):
        return _dt.date.fromisoformat(d)
    to_pydatetime = getattr(d, "to_pydatetime", None)  # pandas Timestamp
    if callable(to_pydatetime):
        return to_pydatetime().date()
    raise TypeError(f"a date is expected (got {d!r})")


def date(d: object, lang: Language) -> str:
    """A day in long form: ``'30 april 2027'`` (sv) / ``'30 April 2027'`` (en)."""
    loc = _locale(lang)
    if is_missing(d):
        return missing(lang)
    return format_date(_as_date(d), format="long", locale=loc)


def month(d: object, lang: Language) -> str:
    """A month: ``'april 2027'`` (sv) / ``'April 2027'`` (en)."""
    loc = _locale(lang)
    if is_missing(d):
        return missing(lang)
    return format_skeleton("yMMMM", _as_date(d), locale=loc)


def period(start: object, end: object, lang: Language) -> str:
    """Two long dates joined by a spaced en dash: ``'1 januari 2020 – 30 april 2027'``.

    A missing end is shown as missing (``'1 januari 2020 – uppgift saknas'``); both missing
    gives the missing text once.
    """
    _locale(lang)
    if is_missing(start) and is_missing(end):
        return missing(lang)
    return f"{date(start, lang)} \u2013 {date(end, lang)}"


def yes_no(x: object, lang: Language) -> str:
    """A boolean as ``ja``/``nej`` (sv) or ``yes``/``no`` (en); missing as missing."""
    _locale(lang)
    if is_missing(x):
        return missing(lang)
    return text(lang, "yes") if x else text(lang, "no")


# --------------------------------------------------------------------------- text written when its language is known


@dataclass(frozen=True)
class Number:
    """A number in a :class:`Message`, written by :func:`number` in the reader's language
    (``signed``: a positive number with a ``+``)."""

    value: object
    decimals: int | None = None
    signed: bool = False

    def text(self, lang: Language) -> str:
        sign = "+" if self.signed and not is_missing(self.value) and _plain_number(self.value) > 0 else ""
        return sign + number(self.value, lang, self.decimals)


@dataclass(frozen=True)
class Percent:
    """A share in a :class:`Message`, written by :func:`percent` in the reader's language."""

    value: object
    decimals: int = 1

    def text(self, lang: Language) -> str:
        return percent(self.value, lang, self.decimals)


@dataclass(frozen=True)
class Money:
    """An amount in kronor in a :class:`Message`, written by :func:`money` in the reader's language."""

    value: object
    decimals: int = 0

    def text(self, lang: Language) -> str:
        return money(self.value, lang, self.decimals)


@dataclass(frozen=True)
class Join:
    """Values (each written in the reader's language) joined by ``sep``: ``Join((Message(N_("unit")), ...))``."""

    parts: tuple[object, ...]
    sep: str = ", "

    def text(self, lang: Language) -> str:
        return self.sep.join(str(localise(part, lang)) for part in self.parts)


@dataclass(frozen=True, init=False)
class Message:
    """An English message id (marked with ``N_`` where it is written) and its values, translated when shown.

    >>> Message("yes").text("sv")
    'ja'

    Values fill the id's named placeholders; a :class:`Number`, :class:`Percent`, :class:`Money`,
    :class:`Join` or nested :class:`Message` among them is written in the same language.
    """

    id: str
    values: tuple[tuple[str, object], ...]

    def __init__(self, id: str, /, **values: object) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "values", tuple(values.items()))

    def text(self, lang: Language) -> str:
        return fill(lang, self.id, self.values)


_LOCALISED = (Number, Percent, Money, Join, Message)


def localise(value: object, lang: Language) -> object:
    """``value`` as a reader of ``lang`` sees it: a :class:`Number`, :class:`Percent`, :class:`Money`,
    :class:`Join` or :class:`Message` written out; anything else unchanged."""
    return value.text(lang) if isinstance(value, _LOCALISED) else value


def fill(lang: Language, message: str, values: Iterable[tuple[str, object]] = ()) -> str:
    """``message`` (an English message id) in ``lang``, its placeholders filled with ``values`` written in ``lang``."""
    _locale(lang)
    return translate(lang, message, **{name: localise(value, lang) for name, value in values})


class Translated:
    """A record whose sentence is an English message id (``message``) with its ``values``, translated when shown.

    Mixed into frozen dataclasses that declare ``message: str`` and ``values: tuple[tuple[str, object], ...]``
    (a review :class:`~evaluation.review.findings.Finding`, a change-table finding).
    """

    message: str
    values: tuple[tuple[str, object], ...]

    def text(self, lang: Language = DEFAULT_LANGUAGE) -> str:
        """The sentence in ``lang`` (numbers written as that language writes them)."""
        return fill(lang, self.message, self.values)

    @property
    def sv(self) -> str:
        """The sentence in Swedish (kept for callers that read it by name; prefer :meth:`text`)."""
        return self.text("sv")

    @property
    def en(self) -> str:
        """The sentence in English (kept for callers that read it by name; prefer :meth:`text`)."""
        return self.text("en")
