"""Every word a person reads, through one mechanism: gettext catalogs kept as
``.po`` files beside this module (``shared/locale/<lang>/LC_MESSAGES/<domain>.po``,
shipped as package data) and compiled in memory by babel the first time a
domain is asked for in a language. No ``.mo`` file is built or committed: the
``.po`` is the one source a translator edits.

The message ids are the English sentences, with ``{name}`` placeholders filled
in by :meth:`Translator.__call__` after translating. A domain is one audience:

- ``kiosk``: the shopper at the kiosk (the language changes per shopper);
- ``till``: the cashier at the till (``OMNITILL_TILL_LANGUAGE``);
- ``display``: the shopper at the till's customer display
  (``OMNITILL_DISPLAY_LANGUAGE``);
- ``documents``: what is printed or served to keep (receipts), in
  ``OMNITILL_RECEIPT_LANGUAGE``; the words Italian law requires stay Italian.

``make messages`` extracts the ids from the code (``pybabel extract`` with
``shared/locale/<domain>.cfg``) and updates every catalog;
``tests/unit/test_i18n_catalogs.py`` fails while any catalog misses one.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

__all__ = ["DOMAINS", "LANGUAGES", "LOCALES", "LOCALE_DIR", "N_", "Translator", "translator"]

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAINS = ("kiosk", "till", "display", "documents")
LANGUAGES = {"it": "Italiano", "en": "English", "es": "Español"}
"""Every language has every domain complete; the name is how it calls itself."""
LOCALES = {"it": "it_IT", "en": "en_GB", "es": "es_ES"}
"""The locale a language formats money and dates with."""


def N_(message: str) -> str:
    """Marks a message for extraction where it is written (a table of sentences
    chosen later); it is translated where it is said."""
    return message


@cache
def _catalog(domain: str, language: str) -> gettext.GNUTranslations:
    if domain not in DOMAINS:
        raise ValueError(f"no translation domain {domain!r}: one of {', '.join(DOMAINS)}")
    if language not in LANGUAGES:
        raise ValueError(f"no language {language!r}: one of {', '.join(LANGUAGES)}")
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as source:
        catalog = read_po(source, locale=language, domain=domain)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


class Translator:
    """The words of one domain in one language: ``_("Hello {name}", name=...)``."""

    def __init__(self, domain: str, language: str) -> None:
        self.domain = domain
        self.language = language
        self._translations = _catalog(domain, language)

    def __call__(self, message: str, **values: object) -> str:
        text = self._translations.gettext(message)
        return text.format(**values) if values else text

    def pgettext(self, context: str, message: str, **values: object) -> str:
        """``message`` as said in ``context``: the same English said two ways in
        another language (a button's short form, a title's long one)."""
        text = self._translations.pgettext(context, message)
        return text.format(**values) if values else text

    def plural(self, singular: str, plural: str, n: int, **values: object) -> str:
        """``n`` chooses the form by the language's own plural rule; ``{n}`` is
        filled in with the others."""
        return self._translations.ngettext(singular, plural, n).format(n=n, **values)


@cache
def translator(domain: str, language: str) -> Translator:
    """The translator for ``domain`` in ``language`` (built once, then shared)."""
    return Translator(domain, language)
