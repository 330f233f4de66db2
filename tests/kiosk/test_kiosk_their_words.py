"""The core's refusals in the shopper's language (issue 12, items 6 and 11):
from the problem's code and context, with store names, not codes; and a kiosk
locked by wrong tries says to ask staff, while product scans still work."""

from __future__ import annotations

import httpx
from textual.widgets import Static

from kiosk.screens.basket import BasketScreen
from kiosk.screens.pickup import PickupScreen
from kiosk.screens.product import ProductScreen
from shared.client import Api
from shared.schemas.orders import Contact, LineIn, OrderCreate
from tests.api.helpers import key, set_stock
from tests.pos.pilot import settle, tap, wait_until

SKU = "HO-MOK-05"


def messages(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications]


async def test_out_of_stock_is_said_in_spanish_with_the_store_name(  # type: ignore[no-untyped-def]
    kiosk_factory, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", SKU, 1)
    app = kiosk_factory(language="es")
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(ProductScreen(SKU))
        await wait_until(app, pilot, lambda: isinstance(app.screen, ProductScreen)
                         and app.screen.availability is not None, what="the product")
        await settle(app, pilot)
        await tap(app, pilot, "#add")
        await wait_until(app, pilot, lambda: app.basket_count() == 1, what="one in the basket")
        app.action_basket()
        await wait_until(app, pilot, lambda: isinstance(app.screen, BasketScreen)
                         and bool(app.screen.query(f"#more-{SKU}")), what="the basket")
        await tap(app, pilot, f"#more-{SKU}")
        await wait_until(app, pilot, lambda: any("Portico Milano Duomo" in m
                                                 for m in messages(app)),
                         what="the refusal in the shopper's words")
        said = next(m for m in messages(app) if "Portico Milano Duomo" in m)
        assert "queda" in said and "MI01" not in said and "Moka" not in said


async def test_a_locked_kiosk_says_ask_staff_and_still_scans_products(  # type: ignore[no-untyped-def]
    kiosk_factory
) -> None:
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(PickupScreen())
        await settle(app, pilot)
        await pilot.click("#number")
        await pilot.press(*"MI01-000001")
        await pilot.click("#surname")
        await pilot.press(*"Prankster")
        for _ in range(8):
            await tap(app, pilot, "#check-in")
            await settle(app, pilot)
            if any("member of staff" in m for m in messages(app)):
                break
        assert any("ask a member of staff" in m for m in messages(app)), messages(app)
        assert any("surname does not match" in m or "could not find" in m
                   for m in messages(app)), messages(app)
        # A shopper after the prankster scans a product: it opens.
        gtin = (await app.client.call(Api.product(SKU))).gtin
        assert gtin
        await pilot.press(*gtin, "enter")
        await wait_until(app, pilot, lambda: isinstance(app.screen, ProductScreen)
                         and "Moka" in str(app.screen.query_one("#product-name", Static)
                                           .render()), what="the scanned product")


async def _web_pickup(core_app, seeded_sqlite, store: str) -> str:  # type: ignore[no-untyped-def]
    """A web order to collect at ``store``: its pickup code (the QR on the email)."""
    set_stock(seeded_sqlite.url, store, SKU, 3)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=core_app),
                                 base_url="http://core") as http:
        response = await http.post(
            "/v1/orders", headers={"Authorization":
                                   f"Bearer {seeded_sqlite.tokens['WEB']['web']}",
                                   "Idempotency-Key": key()},
            json=OrderCreate(lines=[LineIn(sku=SKU, qty=1)], fulfilment="pickup",
                             pickup_store=store, contact=Contact(
                                 name="Giulia Rossi", email="g@example.it"))
            .model_dump(mode="json", exclude_none=True))
    return str(response.json()["pickup_code"])


async def test_a_check_in_is_answered_in_the_shoppers_language(  # type: ignore[no-untyped-def]
    kiosk_factory, core_app, seeded_sqlite
) -> None:
    here = await _web_pickup(core_app, seeded_sqlite, "MI01")
    rome = await _web_pickup(core_app, seeded_sqlite, "RM01")
    app = kiosk_factory(language="es")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press(*here, "enter")
        await wait_until(app, pilot, lambda: isinstance(app.screen, PickupScreen)
                         and "Estamos preparando" in result(app), what="the check-in")
        assert "being prepared" not in result(app)
        await pilot.press(*rome, "enter")
        await wait_until(app, pilot, lambda: "se recoge en Portico Roma" in result(app),
                         what="where the other order is collected")


def result(app) -> str:  # type: ignore[no-untyped-def]
    return "".join(str(x.render()) for x in app.screen.query("#pickup-result").results(Static))
