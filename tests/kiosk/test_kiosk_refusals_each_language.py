"""The core's refusals said from their code and context in each of the kiosk's
languages, with the store's name and never its code (issue 12, item 6): "Only 1
of Moka Pot 6 Cups available at MI01" is never what a shopper reads."""

from __future__ import annotations

from functools import partial

import pytest

from kiosk.i18n import LANGUAGES, translate
from kiosk.problems import explain
from shared.errors import error_from_problem

STORES = {"MI01": "Portico Milano Duomo", "RM01": "Portico Roma Via del Corso"}
SAID = {
    "it": ("Solo 1 disponibile da Portico Milano Duomo.",
           "Al momento esaurito da Portico Roma Via del Corso."),
    "en": ("Only 1 left at Portico Milano Duomo.", "None left at Portico Roma Via del Corso "
                                                   "right now."),
    "es": ("Solo queda 1 en Portico Milano Duomo.",
           "Ahora mismo no queda en Portico Roma Via del Corso."),
}


def out_of_stock(location: str, available: int):  # type: ignore[no-untyped-def]
    return error_from_problem(409, {
        "code": "out_of_stock", "context": {"location": location, "available": available},
        "detail": f"Only {available} of Moka Pot 6 Cups available at {location}."})


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_out_of_stock_in_each_language_with_the_stores_name(language: str) -> None:
    t = partial(translate, language)
    some, none = (explain(out_of_stock(code, left), t, lambda c: STORES.get(c, c))
                  for code, left in (("MI01", 1), ("RM01", 0)))
    assert (some, none) == SAID[language]
    assert "MI01" not in some and "Moka Pot" not in some
