"""A kiosk basket taken up at the till (issue 14, item 11): its short code typed
or its QR scanned loads it, and from then on it is the till's sale — quantities,
extra items and discounts as for anything rung up there."""

from __future__ import annotations

import pytest

from pos.dialogs.cash import CashDialog
from pos.dialogs.receipt_choice import ReceiptChoiceDialog
from pos.screens.sell import SellScreen
from shared.client import Api
from shared.schemas.orders import CartLineSet
from tests.api.helpers import set_stock
from tests.pos.pilot import settle, sign_in, status

MOKA, BOOK = "HO-MOK-05", "BK-NOV-02"


@pytest.mark.parametrize("typed", ["code", "qr"])
async def test_a_kiosk_basket_becomes_the_tills_sale(till_factory, core_client,  # type: ignore[no-untyped-def]
                                                     seeded_sqlite, typed: str) -> None:
    for sku in (MOKA, BOOK):
        set_stock(seeded_sqlite.url, "MI01", sku, 10)
    kiosk = core_client("MI01", "kiosk")
    cart = await kiosk.call(Api.create_cart())
    await kiosk.call(Api.set_cart_line(cart.id, CartLineSet(sku=MOKA, qty=1)))
    handoff = await kiosk.call(Api.handoff(cart.id))
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(app, pilot)
        sell = app.screen
        assert isinstance(sell, SellScreen)
        await pilot.press(*(handoff.code.lower() if typed == "code" else handoff.payload),
                          "enter")
        await settle(app, pilot)
        assert "Kiosk basket loaded" in status(app)
        assert sell.cart is not None and sell.cart.id == cart.id
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press(*BOOK, "enter")
        await settle(app, pilot)
        assert {line.sku: line.qty for line in sell.cart.lines} == {MOKA: 2, BOOK: 1}
        await pilot.press("f2")
        await settle(app, pilot)
        assert isinstance(app.screen, CashDialog)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReceiptChoiceDialog)
        await pilot.press("n")
        await settle(app, pilot)
        order = await app.client.call(Api.order(app.last_order.number))
        assert order.status == "completed"
        assert {line.sku: line.qty for line in order.lines} == {MOKA: 2, BOOK: 1}
