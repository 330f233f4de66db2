"""The shopper's words: the ``kiosk`` domain of :mod:`shared.i18n`, in the
language the shopper chose (it changes per shopper, so it is looked up per call)."""

from __future__ import annotations

from shared.i18n import LANGUAGES, LOCALES, translator

__all__ = ["LANGUAGES", "LOCALES", "translate", "translate_in"]


def translate(language: str, message: str, **values: object) -> str:
    """``message`` (English) in ``language``, placeholders filled in."""
    return translator("kiosk", language)(message, **values)


def translate_in(language: str, context: str, message: str, **values: object) -> str:
    """``message`` as said in ``context`` (``pgettext``), in ``language``."""
    return translator("kiosk", language).pgettext(context, message, **values)
