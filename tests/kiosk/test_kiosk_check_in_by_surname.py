"""Check-in by order number and surname, as the README's web order makes it
(issue 12, item 9): the order carries the shopper's name, the surname finds it
whatever its case, and the amount still to pay says what it is."""

from __future__ import annotations

import httpx
from textual.widgets import Input, Static

from kiosk.screens.pickup import PickupScreen
from shared.money import format_money
from tests.api.helpers import key, set_stock
from tests.pos.pilot import settle, tap, wait_until

SKU = "HO-MOK-05"


def result(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#pickup-result", Static).render())


async def test_a_web_order_is_checked_in_by_its_surname_and_says_what_is_due(  # type: ignore[no-untyped-def]
    kiosk_factory, core_app, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", SKU, 3)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=core_app),
                                 base_url="http://core") as http:
        order = (await http.post("/v1/orders", headers={
            "Authorization": f"Bearer {seeded_sqlite.tokens['WEB']['web']}",
            "Idempotency-Key": key()}, json={
            "lines": [{"sku": SKU, "qty": 1}], "fulfilment": "pickup", "pickup_store": "MI01",
            "channel": "web",
            "contact": {"email": "giulia.rossi@example.com", "name": "Giulia Rossi"}})).json()
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(PickupScreen())
        await wait_until(app, pilot, lambda: isinstance(app.screen, PickupScreen),
                         what="the pickup screen")
        await settle(app, pilot)
        app.screen.query_one("#number", Input).value = order["number"]
        app.screen.query_one("#surname", Input).value = "rossi"
        await tap(app, pilot, "#check-in")
        await wait_until(app, pilot, lambda: order["number"] in result(app),
                         what="the check-in")
        due = format_money(order["total_cents"], locale="en_GB")
        assert f"To pay when you collect: {due}" in result(app), result(app)
