"""Tests for evaluation/core/i18n.py: one catalogue mechanism holds every translated sentence."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from evaluation.core import fmt, i18n

PACKAGE = Path(i18n.__file__).resolve().parents[1]
KEYWORDS = {"text": (2,), "ptext": ((2, "c"), 3), "ntext": (2, 3), "N_": None}
FIELD = re.compile(r"\{(\w*)[^{}]*\}")


def _used() -> set[tuple[str | None, str]]:
    """Every (context, message id) the package's code passes to text/ptext/N_ (Babel's extractor)."""
    keys: set[tuple[str | None, str]] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        for _lineno, message, _comments, context in extract_from_file("python", path, keywords=KEYWORDS):
            if isinstance(message, str):
                keys.add((context, message))
            elif isinstance(message, tuple) and isinstance(message[0], str):
                keys.add((context, message[0]))
    return keys


def test_source_language_is_identity() -> None:
    """English is the source language: a message is returned as written, placeholders filled."""
    assert i18n.text("en", "{n} of {total}", n=3, total=4) == "3 of 4"


def test_swedish_comes_from_the_catalogue() -> None:
    """Swedish text is read from locales/sv: 'not reported' is 'uppgift saknas'."""
    assert i18n.text("sv", "not reported") == "uppgift saknas"
    assert fmt.missing("sv") == "uppgift saknas"


def test_unknown_language_names_the_choices() -> None:
    """A language with no catalogue is refused, naming the ones there are."""
    with pytest.raises(ValueError, match=r"language must be 'sv' or 'en' \(got 'xx'\)"):
        i18n.text("xx", "not reported")


def test_every_message_call_takes_a_literal() -> None:
    """text()/ptext()/N_() get a string literal as message, so the extractor sees every sentence."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "i18n":
                name = func.attr
            elif isinstance(func, ast.Name):
                name = func.id
            else:
                continue  # other objects' .text(lang) methods
            index = {"text": 1, "ptext": 2, "ntext": 1, "N_": 0}.get(name)
            if index is None or len(node.args) <= index or path.name == "i18n.py":
                continue
            arg = node.args[index]
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def test_swedish_catalogue_matches_the_code() -> None:
    """Every message the code uses has a Swedish translation, and the catalogue has no stale entry."""
    used = _used()
    translated = set(i18n.catalogue_keys("sv"))
    assert sorted(used - translated, key=str) == []
    assert sorted(translated - used, key=str) == []


def test_placeholders_agree_between_id_and_translation() -> None:
    """A translation has exactly the placeholders of its message id (nothing lost, nothing invented)."""
    _, singular, plural, _ = i18n._read("sv")
    for (_context, message), translated in singular.items():
        assert sorted(FIELD.findall(message)) == sorted(FIELD.findall(translated)), message
    for (_context, message), forms in plural.items():
        for form in forms:
            assert set(FIELD.findall(form)) <= set(FIELD.findall(message)) | {"n"}, message


def test_plural_follows_the_count() -> None:
    """ntext picks the singular for 1 and the plural otherwise, in English as in the catalogue's rule."""
    assert i18n.ntext("en", "{n} finding", "{n} findings", 1) == "1 finding"
    assert i18n.ntext("en", "{n} finding", "{n} findings", 3) == "3 findings"


def test_a_third_language_is_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dropping a catalogue folder adds a language, with its own locale for numbers; no code changes."""
    locales = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES_DIR, locales)
    de = locales / "de" / "LC_MESSAGES"
    de.mkdir(parents=True)
    (de / "core.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: de_DE\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "not reported"\nmsgstr "keine Angabe"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "LOCALES_DIR", locales)
    i18n._catalogue.cache_clear()
    i18n._read.cache_clear()
    i18n.languages.cache_clear()
    try:
        assert i18n.languages() == ("de", "en", "sv")
        assert fmt.missing("de") == "keine Angabe"
        assert fmt.number(1234.5, "de", 1) == "1.234,5"
    finally:
        i18n._catalogue.cache_clear()
        i18n._read.cache_clear()
        i18n.languages.cache_clear()
