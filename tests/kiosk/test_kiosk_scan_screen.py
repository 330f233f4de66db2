"""Scanning product after product at the kiosk (issue 17, scan latency): the
product's screen comes up whole, with its figures, and one screen is kept for
scans and shows each new product in place of the last."""

from __future__ import annotations

from functools import partial

import httpx
from textual.widgets import Label, Static

from kiosk.app import make_kiosk
from kiosk.screens.product import ProductScreen
from kiosk.settings import KioskSettings
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
            # The focus where a new screen puts it: on the product's scroll.
            assert app.focused is screen.query_one("#product")
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


def _shows(app, sku: str) -> bool:  # type: ignore[no-untyped-def]
    screen = app.screen
    return isinstance(screen, ProductScreen) and screen.sku == sku \
        and screen.availability is not None


def _requests_of(app) -> list[str]:  # type: ignore[no-untyped-def]
    """What the kiosk's client sends from now on (the stock follower's stream aside),
    as ``METHOD /path``."""
    sent: list[str] = []

    async def record(request: httpx.Request) -> None:
        if not request.url.path.startswith("/v1/events"):
            sent.append(f"{request.method} {request.url.path}")

    app.client.http.event_hooks["request"].append(record)
    return sent


async def test_a_product_scan_is_one_request_to_the_core(kiosk_factory) -> None:  # type: ignore[no-untyped-def]
    """The scan's answer carries the product and its stock here: the screen shows
    them without reading either again."""
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        home = app.screen
        items = [p for p in (await app.client.call(Api.products(limit=20))).items if p.gtin]
        await settle(app, pilot)
        sent = _requests_of(app)
        for product in items[:2]:  # a new screen, then the one kept for scans
            assert product.gtin
            sent.clear()
            await pilot.press(*product.gtin, "enter")
            await wait_until(app, pilot, partial(_shows, app, product.sku),
                             what="the product screen with its stock")
            await settle(app, pilot)
            assert sent == ["POST /v1/scan"]
            app.pop_screen()
            await wait_until(app, pilot, lambda: app.screen is home, what="the first screen")


class _OlderCore(httpx.AsyncBaseTransport):
    """A core from before ``include=product``: it answers a scan without the
    product's detail and stock (the parameter does not reach it)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_remove_param("include")
        return await self.inner.handle_async_request(request)


async def test_a_core_that_answers_without_the_product_still_shows_it(  # type: ignore[no-untyped-def]
    core_app, seeded_sqlite,
) -> None:
    app = make_kiosk(KioskSettings(core_url="http://core", language="en",
                                   device_token=seeded_sqlite.tokens["MI01"]["kiosk"]),
                     transport=_OlderCore(httpx.ASGITransport(app=core_app)))
    async with app.run_test(size=(120, 40)) as pilot:
        product = next(p for p in (await app.client.call(Api.products(limit=20))).items
                       if p.gtin)
        assert product.gtin
        await settle(app, pilot)
        sent = _requests_of(app)
        await pilot.press(*product.gtin, "enter")
        await wait_until(app, pilot, partial(_shows, app, product.sku),
                         what="the product screen with its stock")
        await settle(app, pilot)
        assert sorted(sent) == sorted(["POST /v1/scan", f"GET /v1/products/{product.sku}",
                                       f"GET /v1/products/{product.sku}/availability"])
        assert "Available here" in str(app.screen.query_one("#stock", Static).render())
