"""Scanning product after product at the kiosk (issue 17, scan latency): the
product's screen comes up whole, with its figures, and one screen is kept for
scans and shows each new product in place of the last."""

from __future__ import annotations

from textual.widgets import Label, Static

from kiosk.screens.product import ProductScreen
from shared.client import Api
from tests.pos.pilot import settle, wait_until


async def test_a_second_scan_shows_the_new_product_on_the_same_screen(  # type: ignore[no-untyped-def]
    kiosk_factory,
) -> None:
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        home = app.screen
        items = [p for p in (await app.client.call(Api.products(limit=20))).items if p.gtin]
        first, second = items[0], next(p for p in items[1:] if p.name != items[0].name)
        assert first.gtin and second.gtin
        shown = []
        for product in (first, second):
            await pilot.press(*product.gtin, "enter")
            await wait_until(app, pilot, lambda: isinstance(app.screen, ProductScreen),
                             what="the product screen")
            screen = app.screen
            assert isinstance(screen, ProductScreen)
            # Up with its figures at once: nothing left to read after it shows.
            assert screen.sku == product.sku and screen.detail is not None
            assert screen.availability is not None
            await settle(app, pilot)
            name = str(screen.query_one("#product-name", Label).render())
            assert name == (screen.detail.style_name or product.name)
            info = str(screen.query_one("#product-info", Static).render())
            assert app.money(product.price_cents) in info
            assert "Available here" in str(screen.query_one("#stock", Static).render())
            shown.append(screen)
            app.pop_screen()
            await wait_until(app, pilot, lambda: app.screen is home, what="the first screen")
        assert shown[0] is shown[1]


async def test_a_scan_over_the_kept_screen_opens_its_own_and_back_returns(  # type: ignore[no-untyped-def]
    kiosk_factory,
) -> None:
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        items = [p for p in (await app.client.call(Api.products(limit=20))).items if p.gtin]
        first, second = items[0], items[1]
        assert first.gtin and second.gtin
        await pilot.press(*first.gtin, "enter")
        await wait_until(app, pilot, lambda: isinstance(app.screen, ProductScreen)
                         and app.screen.sku == first.sku, what="the first product")
        kept = app.screen
        await settle(app, pilot)
        await pilot.press(*second.gtin, "enter")
        await wait_until(app, pilot, lambda: isinstance(app.screen, ProductScreen)
                         and app.screen.sku == second.sku, what="the second product")
        assert app.screen is not kept
        app.pop_screen()
        await wait_until(app, pilot, lambda: app.screen is kept, what="back to the first")
        assert isinstance(kept, ProductScreen) and kept.sku == first.sku


async def test_a_language_switch_between_scans_draws_the_kept_screen_in_it(  # type: ignore[no-untyped-def]
    kiosk_factory,
) -> None:
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        home = app.screen
        items = [p for p in (await app.client.call(Api.products(limit=20))).items if p.gtin]
        assert items[0].gtin and items[1].gtin
        await pilot.press(*items[0].gtin, "enter")
        await wait_until(app, pilot, lambda: isinstance(app.screen, ProductScreen),
                         what="the product screen")
        await settle(app, pilot)
        app.pop_screen()
        await wait_until(app, pilot, lambda: app.screen is home, what="the first screen")
        await app.action_language("it")
        await settle(app, pilot)
        await pilot.press(*items[1].gtin, "enter")
        await wait_until(app, pilot, lambda: isinstance(app.screen, ProductScreen)
                         and app.screen.sku == items[1].sku, what="the second product")
        await settle(app, pilot)
        assert "IVA inclusa" in str(app.screen.query_one("#product-info", Static).render())
