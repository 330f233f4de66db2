"""The kiosk shows the catalog in the shopper's language (issue 12, item 6):
departments, product names, descriptions and colours in Italian, English and
Spanish, and a switch of language on screen asks the core again in the new one."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Label, OptionList, Static

from kiosk.screens.basket import BasketScreen
from kiosk.screens.browse import BrowseScreen
from kiosk.screens.product import ProductScreen
from tests.api.helpers import set_stock
from tests.pos.pilot import settle, tap, wait_until

TEE = "PT-TEE-01-NAV-M"
SEEN = {
    "it": ("Abbigliamento", "T-shirt in cotone biologico", "jersey di cotone", "Blu navy"),
    "en": ("Clothing", "Organic Cotton Tee", "cotton jersey", "Navy"),
    "es": ("Ropa", "Camiseta de algodón orgánico", "punto de algodón", "Azul marino"),
}


def text(app, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(selector, Label | Static).render())


def tiles(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(b.label) for b in app.screen.query(".tile").results(Button)]


def rows(app) -> list[str]:  # type: ignore[no-untyped-def]
    results = app.screen.query_one("#results", OptionList)
    return [str(results.get_option_at_index(n).prompt) for n in range(results.option_count)]


async def open_tee(app, pilot) -> None:  # type: ignore[no-untyped-def]
    app.push_screen(ProductScreen(TEE))
    await wait_until(app, pilot, lambda: isinstance(app.screen, ProductScreen)
                     and app.screen.availability is not None, what="the tee")
    await settle(app, pilot)


@pytest.mark.parametrize("language", SEEN)
async def test_departments_and_a_product_in_the_kiosks_language(  # type: ignore[no-untyped-def]
    kiosk_factory, language: str
) -> None:
    department, name, described, colour = SEEN[language]
    app = kiosk_factory(language=language)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(BrowseScreen())
        await wait_until(app, pilot, lambda: department in tiles(app), what="the departments")
        await settle(app, pilot)
        await tap(app, pilot, "#cat-clothing")
        await wait_until(app, pilot, lambda: any(name in row for row in rows(app)),
                         what=f"{name} in the list")
        assert department in text(app, "#results-title")
        await open_tee(app, pilot)
        assert text(app, "#product-name") == name
        assert described in text(app, "#product-info") and department in text(
            app, "#product-info")
        assert colour in text(app, "#colour-label")


async def test_switching_language_asks_the_catalog_in_the_new_one(kiosk_factory) -> None:  # type: ignore[no-untyped-def]
    app = kiosk_factory(language="it")
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(BrowseScreen())
        await wait_until(app, pilot, lambda: "Abbigliamento" in tiles(app), what="tiles")
        await settle(app, pilot)
        await tap(app, pilot, "#cat-clothing")
        await wait_until(app, pilot, lambda: any(SEEN["it"][1] in r for r in rows(app)),
                         what="the Italian list")
        await open_tee(app, pilot)
        await tap(app, pilot, "#lang-es")
        await wait_until(app, pilot, lambda: text(app, "#product-name") == SEEN["es"][1],
                         what="the Spanish name")
        await settle(app, pilot)
        assert "Azul marino" in text(app, "#colour-label") and app.screen.sku == TEE
        await tap(app, pilot, "#back")
        await wait_until(app, pilot, lambda: isinstance(app.screen, BrowseScreen)
                         and "Ropa" in tiles(app)
                         and any(SEEN["es"][1] in r for r in rows(app)),
                         what="the Spanish departments and list")
        assert "Ropa" in text(app, "#results-title")


async def test_the_basket_names_its_lines_in_the_shoppers_language(  # type: ignore[no-untyped-def]
    kiosk_factory, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", "HO-MOK-05", 3)
    app = kiosk_factory(language="it")
    async with app.run_test(size=(120, 40)) as pilot:
        app.set_line("HO-MOK-05", 1)
        await wait_until(app, pilot, lambda: app.basket_count() == 1, what="the moka pot added")
        await settle(app, pilot)
        app.push_screen(BasketScreen())

        def line() -> str:
            return " ".join(str(x.render()) for x in app.screen.query(".line-name")
                            .results(Label))

        await wait_until(app, pilot, lambda: "1 × Moka 6 tazze" in line(), what="Italian")
        await tap(app, pilot, "#lang-es")
        await wait_until(app, pilot, lambda: "1 × Cafetera moka 6 tazas" in line(),
                         what="the line in Spanish")
