"""The catalog in the shopper's language (issue 12, item 6): names, descriptions,
colours and departments of the demo chain in Italian, English and Spanish, asked
for with ``?lang=`` or ``Accept-Language``. On every database (``as_device``)."""

from __future__ import annotations

import pytest

from core.catalog.translations import choose_language
from shared.client import Api, CommerceClient

TEE = "PT-TEE-01-NAV-M"
WORDS = {
    "it": ("T-shirt in cotone biologico, Blu navy, M", "T-shirt in cotone biologico",
           "Blu navy", "Abbigliamento", "jersey di cotone biologico"),
    "en": ("Organic Cotton Tee, Navy, M", "Organic Cotton Tee", "Navy", "Clothing",
           "organic cotton jersey"),
    "es": ("Camiseta de algodón orgánico, Azul marino, M", "Camiseta de algodón orgánico",
           "Azul marino", "Ropa", "punto de algodón orgánico"),
}


@pytest.mark.parametrize("language", WORDS)
def test_a_product_and_its_department_in_each_language(as_device, language: str) -> None:  # type: ignore[no-untyped-def]
    client: CommerceClient = as_device("MI01", "kiosk")
    client.language = language
    name, style, colour, department, described = WORDS[language]
    detail = client.call(Api.product(TEE))
    assert (detail.name, detail.style_name, detail.colour_name) == (name, style, colour)
    assert detail.category_name == department and described in detail.description
    assert detail.colour == "Navy"  # the key variants are chosen by stays the same
    assert colour in {v.colour_name for v in detail.variants}
    assert department in {c.name for c in client.call(Api.categories())}
    [row] = [p for p in client.call(Api.styles(category="clothing", limit=100)).items
             if p.style == "PT-TEE-01"]
    assert row.style_name == style


def test_lang_in_the_query_wins_and_a_language_we_lack_is_english(as_device, http) -> None:  # type: ignore[no-untyped-def]
    client: CommerceClient = as_device("MI01", "kiosk")
    headers = {"Authorization": f"Bearer {client.device_token}"}
    asked = http.get(f"/v1/products/{TEE}", params={"lang": "es"},
                     headers=headers | {"Accept-Language": "it-IT,it;q=0.9"}).json()
    assert asked["style_name"] == WORDS["es"][1]
    browser = http.get(f"/v1/products/{TEE}",
                       headers=headers | {"Accept-Language": "fr-FR, es;q=0.5, it;q=0.8"}).json()
    assert browser["style_name"] == WORDS["it"][1]
    german = http.get(f"/v1/products/{TEE}", params={"lang": "de"}, headers=headers).json()
    assert german["style_name"] == WORDS["en"][1]


def test_a_shopper_finds_a_product_by_its_name_in_their_language(as_device) -> None:  # type: ignore[no-untyped-def]
    client: CommerceClient = as_device("MI01", "kiosk")
    client.language = "it"
    assert "T-shirt in cotone biologico" in {
        p.style_name for p in client.call(Api.styles(q="cotone biologico")).items}
    client.language = "es"
    assert "Camiseta de algodón orgánico" in {
        p.style_name for p in client.call(Api.styles(q="camiseta algodon")).items}


@pytest.mark.parametrize(("lang", "header", "expected"), [
    (None, None, "en"), ("IT", None, "it"), (None, "es-ES,es;q=0.9,en;q=0.8", "es"),
    (None, "da, en-GB;q=0.8, it;q=0.9", "it"), (None, "it;q=0, es;q=0.1", "es"),
    ("xx", "garbage;;q=x", "en"),
])
def test_choose_language(lang: str | None, header: str | None, expected: str) -> None:
    assert choose_language(lang, header) == expected


@pytest.mark.parametrize("language", ["it", "es"])
def test_a_department_is_in_alphabetical_order_in_the_shoppers_language(  # type: ignore[no-untyped-def]
    as_device, language: str
) -> None:
    client: CommerceClient = as_device("MI01", "kiosk")
    client.language = language
    names: list[str] = []
    cursor = None
    for _ in range(20):
        page = client.call(Api.styles(category="clothing", limit=5, cursor=cursor))
        names += [p.style_name or p.name for p in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(names) == len(set(names)) == 12
    assert names == sorted(names), names
    assert WORDS[language][1] in names
