"""Every catalog says everything the code asks of it (issue 16, item 3): the
messages are extracted from the code exactly as ``make messages`` does (the
same ``shared/locale/<domain>.cfg`` and the Makefile's keywords), and each
language's catalog of each domain holds every one of them, translated, with the
same placeholders, and nothing the code no longer says."""

from __future__ import annotations

import re
import string
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from shared.i18n import DOMAINS, LANGUAGES, LOCALE_DIR, translator

ROOT = Path(__file__).resolve().parents[2]

Key = tuple[str | None, str]
"""A message as gettext finds it: its context (``pgettext``) and its id."""


def _keywords() -> dict[str, object]:
    """The keywords ``make messages`` passes to ``pybabel extract``, read from the
    Makefile so that the test and the target cannot drift apart."""
    line = next(line for line in (ROOT / "Makefile").read_text().splitlines()
                if line.startswith("I18N_KEYWORDS"))
    names = re.findall(r"-k (\S+)", line)
    return {**DEFAULT_KEYWORDS, **parse_keywords(names)}


@cache
def extracted(domain: str) -> frozenset[Key]:
    with (LOCALE_DIR / f"{domain}.cfg").open(encoding="utf-8") as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    found: set[Key] = set()
    for _file, _line, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=_keywords()):
        msgid = message if isinstance(message, str) else message[0]
        if msgid:
            found.add((context, msgid))
    return frozenset(found)


@cache
def catalog(domain: str, language: str) -> Catalog:
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po").open("rb") as source:
        return read_po(source, locale=language, domain=domain)


def _entries(domain: str, language: str) -> dict[Key, str]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]):
            (m.string if isinstance(m.string, str) else m.string[0])
            for m in catalog(domain, language) if m.id}


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


CASES = [(domain, language) for domain in DOMAINS for language in LANGUAGES]


@pytest.mark.parametrize(("domain", "language"), CASES)
def test_no_catalog_misses_a_message(domain: str, language: str) -> None:
    missing = extracted(domain) - set(_entries(domain, language))
    assert not missing, f"{language}/{domain}.po misses {sorted(missing, key=str)}: make messages"


@pytest.mark.parametrize(("domain", "language"), CASES)
def test_no_catalog_keeps_a_message_the_code_no_longer_says(domain: str, language: str) -> None:
    stale = set(_entries(domain, language)) - extracted(domain)
    assert not stale, f"{language}/{domain}.po still has {sorted(stale, key=str)}"


@pytest.mark.parametrize(("domain", "language"), CASES)
def test_every_message_is_translated_with_its_placeholders(domain: str, language: str) -> None:
    for (_context, msgid), msgstr in _entries(domain, language).items():
        assert msgstr.strip(), f"{language}/{domain}.po: {msgid!r} is not translated"
        assert _placeholders(msgstr) == _placeholders(msgid), (
            f"{language}/{domain}.po: {msgstr!r} does not fill in what {msgid!r} does")
    assert not [m.id for m in catalog(domain, language) if m.id and m.fuzzy]


def test_the_code_says_something_in_every_domain() -> None:
    """An extraction that finds nothing (a wrong pattern in a .cfg) passes the
    other tests vacuously."""
    assert all(len(extracted(domain)) >= 10 for domain in DOMAINS)


def test_a_translator_fills_in_the_translated_sentence() -> None:
    assert translator("kiosk", "es")("Only 1 left at {store}.", store="Milano") \
        == "Solo queda 1 en Milano."
    assert translator("documents", "it")("Receipt {number}", number="A-1") == "Scontrino A-1"


def test_a_language_without_catalogs_is_refused() -> None:
    with pytest.raises(ValueError, match="no language 'fr'"):
        translator("kiosk", "fr")


IN_AN_F_STRING = re.compile(r"""\bf(["'])[^\n]*?\{[^}\n]*\b(?:t|tp|_)\(\s*["']""")
"""A message written inside an f-string's braces: Python 3.11's tokenizer hands
babel the whole f-string as one token, so the message is never extracted."""


def test_no_message_hides_inside_an_f_string() -> None:
    hidden = [f"{path.relative_to(ROOT)}:{number}"
              for folder in ("kiosk", "pos", "shared", "core/receipts")
              for path in sorted((ROOT / folder).rglob("*.py"))
              for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
              if IN_AN_F_STRING.search(line)]
    assert not hidden, f"say it outside the f-string (t('Total') + f': {{x}}'): {hidden}"
