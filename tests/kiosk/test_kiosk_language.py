"""Switching language keeps the screen (issue 12, item 5): on the product, the
pickup, the order and the return screen, the data and what the shopper typed
stay; only the words change."""

from __future__ import annotations

import httpx
from textual.widgets import Input, Label, Static

from kiosk.screens.order import OrderScreen
from kiosk.screens.pickup import PickupScreen
from kiosk.screens.product import ProductScreen
from kiosk.screens.returns import ReturnScreen
from shared.schemas.orders import Contact, LineIn, OrderCreate
from tests.api.helpers import key, set_stock
from tests.pos.pilot import settle, tap, wait_until


def text(app, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(selector, Label | Static).render())


async def switch(app, pilot, language: str) -> None:  # type: ignore[no-untyped-def]
    await tap(app, pilot, f"#lang-{language}")
    await wait_until(app, pilot, lambda: app.language == language, what=language)
    await settle(app, pilot)


async def test_the_product_stays_in_another_language(kiosk_factory) -> None:  # type: ignore[no-untyped-def]
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(ProductScreen("PT-TEE-01-NAV-L"))
        await wait_until(app, pilot, lambda: isinstance(app.screen, ProductScreen)
                         and app.screen.availability is not None, what="the tee")
        await settle(app, pilot)
        await tap(app, pilot, "#size-1")
        await wait_until(app, pilot, lambda: app.screen.sku == "PT-TEE-01-NAV-M",
                         what="size M")
        await settle(app, pilot)
        await switch(app, pilot, "it")
        assert text(app, "#product-name") == "T-shirt in cotone biologico"
        assert "IVA inclusa" in text(app, "#product-info")
        assert "Disponibili qui" in text(app, "#stock")
        assert app.screen.sku == "PT-TEE-01-NAV-M"
        assert "Taglia: M" in text(app, "#size-label")


async def test_what_was_typed_for_a_pickup_stays(kiosk_factory, core_app,  # type: ignore[no-untyped-def]
                                                 seeded_sqlite) -> None:
    set_stock(seeded_sqlite.url, "MI01", "HO-MOK-05", 3)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=core_app),
                                 base_url="http://core") as http:
        order = (await http.post(
            "/v1/orders", headers={"Authorization":
                                   f"Bearer {seeded_sqlite.tokens['WEB']['web']}",
                                   "Idempotency-Key": key()},
            json=OrderCreate(lines=[LineIn(sku="HO-MOK-05", qty=1)], fulfilment="pickup",
                             pickup_store="MI01", contact=Contact(
                                 name="Giulia Rossi", email="g@example.it"))
            .model_dump(mode="json", exclude_none=True))).json()
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(PickupScreen())
        await settle(app, pilot)
        await pilot.click("#number")
        await pilot.press(*order["number"])
        await pilot.click("#surname")
        await pilot.press(*"Rossi")
        await switch(app, pilot, "es")
        assert app.screen.query_one("#number", Input).value == order["number"]
        assert app.screen.query_one("#surname", Input).value == "Rossi"
        await tap(app, pilot, "#check-in")
        await wait_until(app, pilot, lambda: order["number"] in text(app, "#pickup-result"),
                         what="the check-in")
        await switch(app, pilot, "it")
        assert order["number"] in text(app, "#pickup-result")


async def test_the_order_form_keeps_its_fields(kiosk_factory) -> None:  # type: ignore[no-untyped-def]
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(ProductScreen("HO-MOK-05"))
        await wait_until(app, pilot, lambda: isinstance(app.screen, ProductScreen)
                         and app.screen.availability is not None, what="the moka pot")
        await tap(app, pilot, "#order")
        await wait_until(app, pilot, lambda: isinstance(app.screen, OrderScreen), what="order")
        await pilot.click("#name")
        await pilot.press(*"Luca Bianchi")
        await pilot.click("#email")
        await pilot.press(*"luca@example.it")
        await pilot.press("f2")  # Italiano
        await wait_until(app, pilot, lambda: app.language == "it", what="Italian")
        await settle(app, pilot)
        assert app.screen.query_one("#name", Input).value == "Luca Bianchi"
        assert app.screen.query_one("#email", Input).value == "luca@example.it"
        assert app.screen.query_one("#name", Input).placeholder == "Nome e cognome"


async def test_the_return_keeps_its_lines_and_choices(kiosk_factory, core_app,  # type: ignore[no-untyped-def]
                                                      seeded_sqlite) -> None:
    transport = httpx.ASGITransport(app=core_app)
    pos = {"Authorization": f"Bearer {seeded_sqlite.tokens['MI01']['pos']}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://core") as http:
        staff = (await http.post("/v1/auth/staff", json={"pin": "1111"}, headers=pos)).json()
        till = pos | {"X-Staff-Token": staff["token"]}
        await http.post("/v1/till/open", headers=till, json={"float_cents": 10_000})
        sale = (await http.post("/v1/orders", headers=till | {"Idempotency-Key": key()}, json={
            "lines": [{"sku": "HO-MOK-05", "qty": 2}],
            "payments": [{"tender": "cash", "amount_cents": 10_000}]})).json()
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*sale["receipt_code"], "enter")
        await wait_until(app, pilot, lambda: isinstance(app.screen, ReturnScreen)
                         and bool(app.screen.query("#more-1")), what="the receipt's lines")
        await settle(app, pilot)
        await tap(app, pilot, "#more-1")
        await wait_until(app, pilot, lambda: app.screen.chosen.get(1) == 1, what="one chosen")
        await tap(app, pilot, "#reason-faulty")
        await settle(app, pilot)
        await switch(app, pilot, "it")
        assert sale["number"] in text(app, "#return-title")
        assert "1/2" in str(app.screen.query_one(".line-name", Label).render())
        assert app.screen.query_one("#reason-faulty").variant == "primary"
        assert "Difettoso" in str(app.screen.query_one("#reason-faulty").label)
