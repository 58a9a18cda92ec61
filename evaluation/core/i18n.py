"""One way to hold report text in several languages: gettext catalogues read with Babel.

Every sentence a user reads is written once, in English, in the code (the message id), and
translated in a catalogue file per language: ``evaluation/locales/<lang>/LC_MESSAGES/*.po``
(one file per layer, all read together). Adding a language is adding such a folder with its
``.po`` files; no code changes. English is the source language and needs no file.

    >>> text("sv", "not reported")
    'uppgift saknas'
    >>> text("sv", "{n} firms took part", n=5)
    '5 företag deltog'

Placeholders are ``str.format`` fields with names (``{n}``), the same in the message id and in
every translation (a test holds the catalogues to that). A message that needs a different
translation in another place takes a context: :func:`ptext`; one whose words follow a count takes
:func:`ntext` (``{n} firm`` / ``{n} firms``, by the language's plural rule in its catalogue header). Module-level tables of messages
mark them with :func:`N_` so the extractor finds them, and translate them where they are shown.

Catalogues are read once per process, in sorted file order, so a report is the same bytes
whatever order the files were written in.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable, Mapping
from pathlib import Path

from babel.messages.pofile import read_po

Language = str
"""A report language: ``"en"`` (the source language) or the name of a folder under ``locales/``."""

SOURCE_LANGUAGE: Language = "en"
DEFAULT_LANGUAGE: Language = "sv"
"""The language a report is written in unless its parameters say otherwise."""
SOURCE_LOCALE = "en_GB"
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"

_Key = tuple[str | None, str]  # (context, message id; the singular for plural messages)


def _english_plural(n: int) -> int:
    return int(n != 1)


@functools.cache
def _catalogue(lang: Language) -> tuple[str, Mapping[_Key, str]]:
    """The Babel locale and the translations of ``lang`` (empty for the source language)."""
    locale, messages, _, _ = _read(lang)
    return locale, messages


@functools.cache
def _read(lang: Language) -> tuple[str, dict[_Key, str], dict[_Key, tuple[str, ...]], Callable[[int], int]]:
    """Locale, singular translations, plural translations and the plural rule of ``lang``."""
    if lang == SOURCE_LANGUAGE:
        return SOURCE_LOCALE, {}, {}, _english_plural
    folder = LOCALES_DIR / lang / "LC_MESSAGES"
    files = sorted(folder.glob("*.po")) if folder.is_dir() else []
    if not files:
        raise ValueError(f"language must be {choices()} (got {lang!r})")
    locale = lang
    messages: dict[_Key, str] = {}
    plurals: dict[_Key, tuple[str, ...]] = {}
    rule: Callable[[int], int] = _english_plural
    for file in files:
        with file.open("rb") as handle:
            catalogue = read_po(handle, domain=file.stem)
        if catalogue.locale is not None:
            locale = str(catalogue.locale)
            rule = gettext.c2py(catalogue.plural_expr)
        for message in catalogue:
            if not message.id or not message.string:
                continue
            if isinstance(message.id, str):
                messages[(message.context, message.id)] = str(message.string)
            elif all(message.string):
                plurals[(message.context, message.id[0])] = tuple(message.string)
    return locale, messages, plurals, rule


@functools.lru_cache(maxsize=1)
def languages() -> tuple[Language, ...]:
    """Every language a report can be written in: English and each folder under ``locales/``."""
    found = {SOURCE_LANGUAGE}
    if LOCALES_DIR.is_dir():
        found |= {p.name for p in LOCALES_DIR.iterdir() if (p / "LC_MESSAGES").is_dir() and any((p / "LC_MESSAGES").glob("*.po"))}
    return tuple(sorted(found))


def choices() -> str:
    """The languages as a message lists them: ``'sv' or 'en'`` (the default first, then English)."""
    ordered = sorted(languages(), key=lambda x: (x != DEFAULT_LANGUAGE, x != SOURCE_LANGUAGE, x))
    quoted = [repr(x) for x in ordered]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def is_language(lang: object) -> bool:
    """True when ``lang`` names a language with a catalogue (or the source language)."""
    return isinstance(lang, str) and lang in languages()


def locale_of(lang: Language) -> str:
    """The Babel locale used to format numbers and dates in ``lang`` (from its catalogue header)."""
    return _catalogue(lang)[0]


def _translate(lang: Language, context: str | None, message: str, values: Mapping[str, object]) -> str:
    translated = _catalogue(lang)[1].get((context, message), message)
    return translated.format(**values) if values else translated


def text(lang: Language, message: str, /, **values: object) -> str:
    """``message`` (English) in ``lang``, with its ``{placeholders}`` filled from ``values``."""
    return _translate(lang, None, message, values)


def translate(lang: Language, message: str, /, **values: object) -> str:
    """A message id held in data (marked with :func:`N_` where it was written) in ``lang``, values filled."""
    return _translate(lang, None, message, values)


def ptext(lang: Language, context: str, message: str, /, **values: object) -> str:
    """As :func:`text`, for a message whose translation depends on ``context``."""
    return _translate(lang, context, message, values)


def ntext(lang: Language, singular: str, plural: str, n: int, /, **values: object) -> str:
    """``singular`` or ``plural`` (English) by ``n``, in ``lang`` by its plural rule; ``{n}`` is filled too."""
    _, _, plurals, rule = _read(lang)
    forms = plurals.get((None, singular))
    chosen = forms[rule(n)] if forms else (singular if n == 1 else plural)
    return chosen.format(n=n, **values)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it (module-level tables)."""
    return message


def catalogue_keys(lang: Language) -> frozenset[_Key]:
    """The (context, message id) pairs translated in ``lang``, plural messages by their singular (for tests)."""
    _, messages, plurals, _ = _read(lang)
    return frozenset(messages) | frozenset(plurals)
