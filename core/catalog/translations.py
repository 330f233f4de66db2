"""The catalog in the shopper's language.

The catalog's own words (name, description, colour, department) are in its
columns, in English; ``translations`` beside them holds the other languages
(``{"it": {"name": ...}, "es": {...}}``), so one row read serves every language
and a field nobody translated falls back to the catalog's own. The language is
asked for with ``?lang=`` (a kiosk whose shopper just switched) or the
``Accept-Language`` header (what a browser sends); anything else gets English.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("en", "it", "es")
"""Languages the catalog speaks; the first is the one in its columns."""
BASE = LANGUAGES[0]


def choose_language(lang: str | None, accept_language: str | None) -> str:
    """``lang`` if it is one we speak, else the first of ``Accept-Language`` (by
    its q weights) that we speak, else English."""
    if lang and lang.strip().lower()[:2] in LANGUAGES:
        return lang.strip().lower()[:2]
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        code = tag.strip().lower()[:2]
        if code in LANGUAGES and weight > 0:
            weighted.append((-weight, position, code))
    return min(weighted)[2] if weighted else BASE


def word(translations: dict[str, Any] | None, language: str, field: str, own: str) -> str:
    """``field`` in ``language``, or the catalog's own word when it has none."""
    if language == BASE or not translations:
        return own
    value = (translations.get(language) or {}).get(field)
    return value if isinstance(value, str) and value else own
