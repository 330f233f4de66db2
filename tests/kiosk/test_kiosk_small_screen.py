"""Every screen works at 80x24 (issue 12, item 15): in browse the scan field
and the last language button are on screen, and a QR to scan (basket, pickup,
return slip) is whole, every row of it."""

from __future__ import annotations

import httpx
import pytest
from textual.widget import Widget

from kiosk.screens.browse import BrowseScreen
from kiosk.screens.handoff import HandoffScreen
from kiosk.screens.pickup_code import PickupCodeScreen
from kiosk.screens.returns import ReturnScreen
from kiosk.widgets.qr import QrCode
from tests.api.helpers import key
from tests.pos.pilot import settle, tap, wait_until

SMALL = (80, 24)


def whole(app, widget: Widget) -> bool:  # type: ignore[no-untyped-def]
    """Every cell of it on screen and not scrolled out of its container."""
    region = widget.region
    screen = app.screen.region
    return region.size == widget.outer_size and screen.contains_region(region) and \
        all(ancestor.scrollable_content_region.contains_region(region)
            for ancestor in widget.ancestors if isinstance(ancestor, Widget)
            and ancestor.is_scrollable and ancestor is not app.screen)


async def test_browse_keeps_the_scan_field_and_every_language_on_screen(kiosk_factory) -> None:  # type: ignore[no-untyped-def]
    app = kiosk_factory(language="en")
    async with app.run_test(size=SMALL) as pilot:
        await tap(app, pilot, "#start")
        await wait_until(app, pilot, lambda: isinstance(app.screen, BrowseScreen)
                         and bool(app.screen.query(".tile")), what="the departments")
        await settle(app, pilot)
        for selector in ("#scan", "#lang-es", "#search", "#results", "#cat-sport"):
            widget = app.screen.query_one(selector)
            assert whole(app, widget), (selector, widget.region)
        assert app.screen.query_one("#scan").region.width >= 14


@pytest.mark.parametrize("payload", ["OT1:C:K7M2QX", "OT1:O:MI01-000123:ABCDEFGHIJ"])
async def test_a_code_to_scan_is_whole(kiosk_factory, payload: str) -> None:  # type: ignore[no-untyped-def]
    app = kiosk_factory(language="it")
    async with app.run_test(size=SMALL) as pilot:
        if payload.startswith("OT1:C"):
            app.push_screen(HandoffScreen("K7M2QX", payload))
        else:
            app.push_screen(PickupCodeScreen("MI01-000123", payload, store="Portico Torino Via "
                                             "Roma", city="Torino"))
        await settle(app, pilot)
        qr = app.screen.query_one(QrCode)
        assert whole(app, qr), qr.region
        assert whole(app, app.screen.query_one("#done"))


async def test_the_return_slip_is_whole(kiosk_factory, core_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    pos = {"Authorization": f"Bearer {seeded_sqlite.tokens['MI01']['pos']}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=core_app),
                                 base_url="http://core") as http:
        staff = (await http.post("/v1/auth/staff", json={"pin": "1111"}, headers=pos)).json()
        till = pos | {"X-Staff-Token": staff["token"]}
        await http.post("/v1/till/open", headers=till, json={"float_cents": 10_000})
        sale = (await http.post("/v1/orders", headers=till | {"Idempotency-Key": key()}, json={
            "lines": [{"sku": "HO-MOK-05", "qty": 1}],
            "payments": [{"tender": "cash", "amount_cents": 10_000}]})).json()
    app = kiosk_factory(language="en")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press(*sale["receipt_code"], "enter")
        await wait_until(app, pilot, lambda: isinstance(app.screen, ReturnScreen)
                         and bool(app.screen.query("#more-1")), what="the receipt's lines")
        await settle(app, pilot)
        await tap(app, pilot, "#more-1")
        await settle(app, pilot)
        await tap(app, pilot, "#submit")
        await wait_until(app, pilot, lambda: bool(app.screen.query("#slip-qr")), what="the slip")
        await settle(app, pilot)
        assert whole(app, app.screen.query_one("#slip-qr")), app.screen.query_one("#slip-qr").region
