"""Tests for evaluation.core.fmt: exact localised strings, including no-break spaces."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from evaluation.core import fmt

NBSP = "\u00a0"


def test_number_swedish_groups_with_no_break_space() -> None:
    """Swedish digit groups are separated by U+00A0, not a plain space."""
    assert fmt.number(16713030, "sv") == f"16{NBSP}713{NBSP}030"


def test_number_english_groups_with_comma() -> None:
    """English digit groups use commas."""
    assert fmt.number(16713030, "en") == "16,713,030"


def test_number_decimal_mark_and_fixed_decimals() -> None:
    """Swedish decimal comma, English point; decimals=n gives exactly n digits."""
    assert fmt.number(43.5, "sv") == "43,5"
    assert fmt.number(43.5, "en") == "43.5"
    assert fmt.number(43.5, "sv", decimals=2) == "43,50"
    assert fmt.number(1234.5, "sv", decimals=0) == f"1{NBSP}235"


def test_number_rounds_half_up() -> None:
    """Halves round up (2.5 -> 3, 1.005 -> 1.01), not to even."""
    assert fmt.number(2.5, "sv", decimals=0) == "3"
    assert fmt.number(1.005, "en", decimals=2) == "1.01"


def test_number_accepts_numpy_scalars() -> None:
    """numpy ints and floats format like Python numbers."""
    assert fmt.number(np.int64(16713030), "en") == "16,713,030"
    assert fmt.number(np.float64(0.25), "sv") == "0,25"


def test_money() -> None:
    """Kronor after the number in Swedish, SEK before it in English, no-break spaces."""
    assert fmt.money(16713030, "sv") == f"16{NBSP}713{NBSP}030{NBSP}kr"
    assert fmt.money(16713030, "en") == f"SEK{NBSP}16,713,030"
    assert fmt.money(16713030.4, "sv") == f"16{NBSP}713{NBSP}030{NBSP}kr"


def test_percent() -> None:
    """A share as per cent: Swedish has a no-break space before %, English none."""
    assert fmt.percent(0.497, "sv") == f"49,7{NBSP}%"
    assert fmt.percent(0.497, "en") == "49.7%"
    assert fmt.percent(1.2575, "sv", decimals=0) == f"126{NBSP}%"
    assert fmt.percent(0.25, "en", decimals=2) == "25.00%"


def test_dates() -> None:
    """Long dates and months with lower-case Swedish and capitalised English month names."""
    d = dt.date(2027, 4, 30)
    assert fmt.date(d, "sv") == "30 april 2027"
    assert fmt.date(d, "en") == "30 April 2027"
    assert fmt.month(d, "sv") == "april 2027"
    assert fmt.month(d, "en") == "April 2027"
    assert fmt.date(pd.Timestamp("2021-03-01"), "en") == "1 March 2021"
    assert fmt.date("2021-03-01", "sv") == "1 mars 2021"


def test_period() -> None:
    """A period is two long dates joined by a spaced en dash."""
    assert fmt.period(dt.date(2020, 1, 1), dt.date(2027, 4, 30), "sv") == "1 januari 2020 \u2013 30 april 2027"
    assert fmt.period(dt.date(2020, 1, 1), dt.date(2027, 4, 30), "en") == "1 January 2020 \u2013 30 April 2027"
    assert fmt.period(dt.date(2020, 1, 1), None, "sv") == "1 januari 2020 \u2013 uppgift saknas"
    assert fmt.period(None, None, "en") == "not reported"


@pytest.mark.parametrize("value", [None, float("nan"), math.nan, np.nan, pd.NA])
def test_missing_numbers_are_never_zero_or_nan(value: object) -> None:
    """None/NaN/NA show as 'uppgift saknas' / 'not reported' in every number format."""
    assert fmt.number(value, "sv") == "uppgift saknas"
    assert fmt.money(value, "en") == "not reported"
    assert fmt.percent(value, "sv") == "uppgift saknas"


def test_missing_dates() -> None:
    """None and NaT dates show as missing."""
    assert fmt.date(None, "sv") == "uppgift saknas"
    assert fmt.date(pd.NaT, "en") == "not reported"
    assert fmt.month(pd.NaT, "sv") == "uppgift saknas"


def test_unknown_language_is_refused() -> None:
    """Only 'sv' and 'en' are report languages."""
    with pytest.raises(ValueError, match="'sv' or 'en'"):
        fmt.number(1, "de")  # type: ignore[arg-type]


def test_bool_is_not_a_number() -> None:
    """True is not silently formatted as 1."""
    with pytest.raises(TypeError):
        fmt.number(True, "sv")


def test_yes_no() -> None:
    """Booleans read ja/nej and yes/no."""
    assert fmt.yes_no(True, "sv") == "ja"
    assert fmt.yes_no(False, "en") == "no"
    assert fmt.yes_no(None, "sv") == "uppgift saknas"


def test_message_is_written_in_the_readers_language() -> None:
    """A Message holds an English message id and values; text(lang) translates it and writes its numbers in lang."""
    message = fmt.Message("Indicator {id} has {n} values for the period ending {when}.", id="x", n=fmt.Number(2500), when="2024")
    assert message.text("en") == "Indicator x has 2,500 values for the period ending 2024."
    assert message.text("sv") == f"Indikatorn x har 2{NBSP}500 värden för perioden som slutar 2024."


def test_deferred_numbers_and_lists() -> None:
    """Number (optionally signed), Percent, Money and Join are written out by localise() in the language."""
    assert fmt.localise(fmt.Number(1.5, signed=True), "sv") == "+1,5"
    assert fmt.localise(fmt.Number(-2, signed=True), "en") == "-2"
    assert fmt.localise(fmt.Percent(0.25, 0), "sv") == f"25{NBSP}%"
    assert fmt.localise(fmt.Money(1000), "en") == f"SEK{NBSP}1,000"
    assert fmt.localise(fmt.Join((fmt.Message("yes"), fmt.Message("no"))), "sv") == "ja, nej"
    assert fmt.localise(7, "sv") == 7


def test_fill_refuses_an_unknown_language() -> None:
    """fill() names the languages there are when given one without a catalogue."""
    with pytest.raises(ValueError, match="language must be 'sv' or 'en'"):
        fmt.fill("xx", "yes")
