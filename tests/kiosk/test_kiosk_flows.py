"""A shopper at the MI01 kiosk, driven key by key against the real core."""

from __future__ import annotations

from pathlib import Path

import httpx
import zxingcpp
from PIL import Image
from textual.widgets import Input, Label, OptionList, Static

from kiosk.screens.attract import AttractScreen
from kiosk.screens.browse import BrowseScreen
from kiosk.screens.handoff import HandoffScreen
from kiosk.screens.pickup import PickupScreen
from kiosk.screens.product import ProductScreen
from kiosk.widgets.qr import QrCode
from shared.client import Api
from shared.qr import qr_png
from shared.schemas.orders import Contact, LineIn, OrderCreate
from tests.api.helpers import key, set_stock
from tests.pos.pilot import settle, tap, wait_until


async def _settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(app, pilot)


async def test_search_as_you_type_and_open_a_product(kiosk_factory) -> None:  # type: ignore[no-untyped-def]
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, AttractScreen)
        assert "Touch or scan to start" in str(app.screen.query_one("#attract-touch",
                                                                    Label).render())
        await pilot.click("#start")
        await _settle(app, pilot)
        assert isinstance(app.screen, BrowseScreen)
        await pilot.press(*"organic")
        await _settle(app, pilot)
        results = app.screen.query_one("#results", OptionList)
        first = results.get_option_at_index(0)
        assert "Organic Cotton Tee" in str(first.prompt)
        results.highlighted = 0
        results.action_select()
        await _settle(app, pilot)
        assert isinstance(app.screen, ProductScreen)
        info = str(app.screen.query_one("#product-info", Static).render())
        assert "VAT included" in info and "€" in info
        stock = str(app.screen.query_one("#stock", Static).render())
        assert "Available here" in stock and "Online" in stock


async def test_a_scanned_barcode_opens_the_product_in_italian(kiosk_factory, seeded_sqlite  # type: ignore[no-untyped-def]
                                                                ) -> None:
    app = kiosk_factory(language="it")
    async with app.run_test(size=(120, 40)) as pilot:
        product = (await app.client.call(Api.products(q="moka"))).items[0]
        assert product.gtin
        await pilot.press(*product.gtin, "enter")
        await _settle(app, pilot)
        assert isinstance(app.screen, ProductScreen) and app.screen.sku == product.sku
        assert "IVA inclusa" in str(app.screen.query_one("#product-info", Static).render())
        await pilot.press(*"OT1:R:MI01-000001:AAAAAAAAAA", "enter")
        await _settle(app, pilot)
        assert any("Non riconosciamo" in n.message for n in app._notifications)


async def test_basket_to_till_handoff_qr_decodes_to_a_code_the_till_accepts(  # type: ignore[no-untyped-def]
    kiosk_factory, core_app, seeded_sqlite, tmp_path: Path
) -> None:
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 50)) as pilot:
        sku = (await app.client.call(Api.products(q="moka"))).items[0].sku
        set_stock(seeded_sqlite.url, "MI01", sku, 3)
        app.push_screen(ProductScreen(sku))
        await _settle(app, pilot)
        # Two taps, each after the button has shown the last one (a double-tap
        # inside Textual's 0.2 s press effect counts once: issue 18's failure).
        await tap(app, pilot, "#add")
        await _settle(app, pilot)
        await tap(app, pilot, "#add")
        await wait_until(app, pilot, lambda: app.basket_count() == 2, what="two in the basket")
        app.action_basket()
        await _settle(app, pilot)
        assert "Total" in str(app.screen.query_one("#basket-total", Label).render())
        await pilot.click("#pay")
        await _settle(app, pilot)
        assert isinstance(app.screen, HandoffScreen)
        payload = app.screen.query_one(QrCode).payload
        assert payload == f"OT1:C:{app.screen.code}"
        decoded = [r.text for r in zxingcpp.read_barcodes(
            Image.open(qr_png(payload, tmp_path / "handoff.png")))]
        assert decoded == [payload]
    transport = httpx.ASGITransport(app=core_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://core") as http:
        response = await http.post("/v1/scan", json={"code": decoded[0]}, headers={
            "Authorization": f"Bearer {seeded_sqlite.tokens['MI01']['pos']}"})
        assert response.json()["kind"] == "cart"


async def test_pickup_check_in_by_scanning_the_order_qr(kiosk_factory, core_app,  # type: ignore[no-untyped-def]
                                                         seeded_sqlite) -> None:
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        sku = (await app.client.call(Api.products(q="moka"))).items[0].sku
        set_stock(seeded_sqlite.url, "MI01", sku, 3)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=core_app),
                                     base_url="http://core") as http:
            response = await http.post(
                "/v1/orders", headers={"Authorization":
                                       f"Bearer {seeded_sqlite.tokens['WEB']['web']}",
                                       "Idempotency-Key": key()},
                json=OrderCreate(lines=[LineIn(sku=sku, qty=1)], fulfilment="pickup",
                                 pickup_store="MI01", contact=Contact(
                                     name="Giulia Rossi", email="g@example.it"))
                .model_dump(mode="json", exclude_none=True))
            code = response.json()["pickup_code"]
        await pilot.press(*code, "enter")
        await _settle(app, pilot)
        assert isinstance(app.screen, PickupScreen)
        result = str(app.screen.query_one("#pickup-result", Static).render())
        assert "being prepared" in result and "Giulia R." in result


async def test_idle_kiosk_asks_then_resets_and_forgets_the_basket(kiosk_factory,  # type: ignore[no-untyped-def]
                                                                   seeded_sqlite) -> None:
    from kiosk.dialogs.still_there import StillThere

    app = kiosk_factory(language="es", idle_seconds=600, idle_confirm_seconds=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.click("#start")
        await _settle(app, pilot)
        sku = (await app.client.call(Api.products(q="moka"))).items[0].sku
        set_stock(seeded_sqlite.url, "MI01", sku, 3)
        app.set_line(sku, 1)
        await _settle(app, pilot)
        assert app.basket_count() == 1
        app.language = "en"
        # The shopper walks away (the idle limit shortened only now, so a busy
        # machine cannot reset the kiosk before the basket is filled): it asks…
        app.settings.idle_seconds = 1
        await wait_until(app, pilot, lambda: isinstance(app.screen, StillThere),
                         what="the kiosk to ask whether anyone is there")
        # …nobody answers, it resets.
        await wait_until(app, pilot, lambda: isinstance(app.screen, AttractScreen)
                         and bool(app.screen.query("#scan")), what="the idle kiosk to reset")
        assert app.cart is None and app.language == "es"
        assert app.screen.query_one("#scan", Input).placeholder == "Escanea un código aquí"


async def test_start_a_return_from_a_receipt_and_get_a_slip(  # type: ignore[no-untyped-def]
    kiosk_factory, core_app, seeded_sqlite, tmp_path: Path
) -> None:
    from kiosk.screens.returns import ReturnScreen

    transport = httpx.ASGITransport(app=core_app)
    pos = {"Authorization": f"Bearer {seeded_sqlite.tokens['MI01']['pos']}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://core") as http:
        staff = (await http.post("/v1/auth/staff", json={"pin": "1111"}, headers=pos)).json()
        till = pos | {"X-Staff-Token": staff["token"]}
        await http.post("/v1/till/open", headers=till, json={"float_cents": 10_000})
        sale = (await http.post("/v1/orders", headers=till | {"Idempotency-Key": key()}, json={
            "lines": [{"sku": "HO-MOK-05", "qty": 2}],
            "payments": [{"tender": "cash", "amount_cents": 10_000}]})).json()
        assert sale["status"] == "completed"
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press(*sale["receipt_code"], "enter")
        await _settle(app, pilot)
        assert isinstance(app.screen, ReturnScreen)
        await pilot.click("#more-1")
        await _settle(app, pilot)
        await pilot.click("#reason-faulty")
        await pilot.click("#submit")
        await _settle(app, pilot)
        slip = app.screen.query_one("#slip-qr", QrCode).payload
        assert "returns desk" in str(app.screen.query_one("#slip-text", Label).render())
        decoded = [r.text for r in zxingcpp.read_barcodes(
            Image.open(qr_png(slip, tmp_path / "slip.png")))]
        assert decoded == [slip]
        # Asking again for both units, one of them already on its way back (the
        # receipt scanned again), is explained plainly, not crashed on.
        await pilot.press(*sale["receipt_code"], "enter")
        await wait_until(app, pilot, lambda: isinstance(app.screen, ReturnScreen)
                         and bool(app.screen.query("#more-1")), what="the receipt again")
        for _ in range(2):
            await tap(app, pilot, "#more-1")
            await _settle(app, pilot)
        await tap(app, pilot, "#submit")
        await _settle(app, pilot)
        assert any("being returned" in n.message for n in app._notifications), \
            [n.message for n in app._notifications]
    async with httpx.AsyncClient(transport=transport, base_url="http://core") as http:
        found = (await http.post("/v1/scan", json={"code": slip}, headers=till)).json()
        assert found["kind"] == "return_slip"


async def test_endless_aisle_orders_what_this_store_lacks(kiosk_factory, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    from kiosk.screens.pickup_code import PickupCodeScreen

    set_stock(seeded_sqlite.url, "MI01", "HO-MOK-05", 0)
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 50)) as pilot:
        app.push_screen(ProductScreen("HO-MOK-05"))
        await _settle(app, pilot)
        assert app.screen.query_one("#add").disabled
        await pilot.click("#order")
        await _settle(app, pilot)
        await pilot.click("#name")
        await pilot.press(*"Luca Bianchi")
        await pilot.click("#email")
        await pilot.press(*"luca@example.it")
        await pilot.click("#ship-here")
        await _settle(app, pilot)
        assert isinstance(app.screen, PickupCodeScreen)
        order = await app.client.call(Api.order(app.screen.number))
        assert order.fulfilment == "ship_to_store" and order.pickup_store == "MI01"
        assert order.lines[0].source_location == "WH01" and order.due_cents > 0
        # The code is the order's (a later look-up by the kiosk need not reveal it).
        assert app.screen.query_one(QrCode).payload.startswith(f"OT1:O:{order.number}:")


def test_the_three_catalogs_say_the_same_things() -> None:
    from kiosk.i18n import LANGUAGES
    from shared.i18n import translator

    said = {language: translator("kiosk", language)("Your basket") for language in LANGUAGES}
    assert said == {"it": "Il tuo carrello", "en": "Your basket", "es": "Tu cesta"}
