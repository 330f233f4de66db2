"""Translation catalogs (``assets/i18n/<lang>.json``): every word the shopper reads."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

CATALOGS = Path(__file__).resolve().parents[1] / "assets" / "i18n"
LANGUAGES = {"it": "Italiano", "en": "English", "es": "Español"}
LOCALES = {"it": "it_IT", "en": "en_GB", "es": "es_ES"}


@cache
def catalog(language: str) -> dict[str, str]:
    return json.loads((CATALOGS / f"{language}.json").read_text(encoding="utf-8"))


def translate(language: str, key: str, **values: object) -> str:
    text = catalog(language).get(key) or catalog("en").get(key) or key
    return text.format(**values) if values else text
