"""The customer display's words: the ``display`` domain of :mod:`shared.i18n`,
in ``OMNITILL_DISPLAY_LANGUAGE`` (one language per display, chosen at start);
the till's staff never read these."""

from __future__ import annotations

from shared.i18n import Translator, translator

__all__ = ["Words", "words"]

Words = Translator
"""What a view is handed to say things: ``t("Hello {name}", name=...)``."""


def words(language: str) -> Words:
    """The display's words in ``language``."""
    return translator("display", language)
