"""Ordering what this store lacks, without dead ends (issue 12, items 7 and 9):
a name to check in with, a confirmation that says where, no promise the core
will not keep (home delivery "paid on delivery")."""

from __future__ import annotations

from textual.widgets import Label, Static

from kiosk.screens.order import OrderScreen
from kiosk.screens.pickup import PickupScreen
from kiosk.screens.pickup_code import PickupCodeScreen
from kiosk.screens.product import ProductScreen
from shared.client import Api
from tests.api.helpers import set_stock
from tests.pos.pilot import settle, tap, wait_until

SKU = "HO-MOK-05"


async def open_order(app, pilot) -> None:  # type: ignore[no-untyped-def]
    app.push_screen(ProductScreen(SKU))
    await wait_until(app, pilot, lambda: isinstance(app.screen, ProductScreen)
                     and app.screen.availability is not None, what="the product")
    await settle(app, pilot)
    await tap(app, pilot, "#order")
    await wait_until(app, pilot, lambda: isinstance(app.screen, OrderScreen), what="the form")
    await settle(app, pilot)


async def type_into(pilot, selector: str, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.click(selector)
    await pilot.press(*text)


async def test_an_order_needs_a_surname_to_collect_it_by(kiosk_factory, seeded_sqlite  # type: ignore[no-untyped-def]
                                                         ) -> None:
    set_stock(seeded_sqlite.url, "MI01", SKU, 0)
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_order(app, pilot)
        await type_into(pilot, "#email", "luca@example.it")
        await tap(app, pilot, "#ship-here")
        await settle(app, pilot)
        assert isinstance(app.screen, OrderScreen)
        assert any("surname" in n.message for n in app._notifications)
        await type_into(pilot, "#name", "Luca Bianchi")
        await tap(app, pilot, "#ship-here")
        await wait_until(app, pilot, lambda: isinstance(app.screen, PickupCodeScreen),
                         what="the order to be placed")
        number = app.screen.number
        assert number in str(app.screen.query_one("#placed", Label).render())
        # The surname given is the one the check-in asks for.
        app.push_screen(PickupScreen())
        await settle(app, pilot)
        await type_into(pilot, "#number", number)
        await type_into(pilot, "#surname", "bianchi")
        await tap(app, pilot, "#check-in")
        await wait_until(app, pilot, lambda: number in str(
            app.screen.query_one("#pickup-result", Static).render()), what="the check-in")


async def test_a_pickup_elsewhere_says_where_and_nothing_promises_pay_on_delivery(  # type: ignore[no-untyped-def]
    kiosk_factory, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", SKU, 0)
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_order(app, pilot)
        assert not app.screen.query("#deliver, #address")
        there = app.screen.elsewhere
        assert there is not None
        button = str(app.screen.query_one(".at").label)
        assert there.name in button and there.city in button and "km" in button
        await type_into(pilot, "#name", "Luca Bianchi")
        await type_into(pilot, "#email", "luca@example.it")
        await tap(app, pilot, ".at")
        await wait_until(app, pilot, lambda: isinstance(app.screen, PickupCodeScreen),
                         what="the order to be placed")
        where = str(app.screen.query_one("#collect-at", Label).render())
        assert there.name in where and there.city in where
        order = await app.client.call(Api.order(app.screen.number))
        assert order.fulfilment == "pickup" and order.pickup_store == there.code
