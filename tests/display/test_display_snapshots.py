"""How the display looks to the shopper: mid-sale, and the paid sale with its QR.

Fixed SKUs on a fresh copy of the demo chain and a fixed secret make the lines,
the order number and the receipt code the same on every run; nothing on these
views shows the time.
"""

from __future__ import annotations

import pytest

from shared.client import Api
from shared.schemas.orders import CartLineSet, OrderCreate, PaymentIn
from tests.display.helpers import sale_key, start_following, wait_for_text, watch_streams

pytestmark = pytest.mark.slow

SIZE = (80, 24)


async def _ring_up(pilot, till) -> str:  # type: ignore[no-untyped-def]
    """Two moka pots and a novel with 10 % off, for a loyalty customer; the cart id."""
    cart = await till.call(Api.create_cart())
    await till.call(Api.set_cart_line(cart.id, CartLineSet(sku="HO-MOK-05", qty=2)))
    await till.call(Api.set_cart_line(cart.id, CartLineSet(sku="BK-NOV-02", qty=1,
                                                           discount_percent=10)))
    rossi = (await till.call(Api.customers("rossi")))[0]
    cart = await till.call(Api.set_cart_customer(cart.id, rossi.id))
    await wait_for_text(pilot, f"You will earn {cart.points_to_earn} points",
                        *(line.name for line in cart.lines))
    return cart.id


def test_mid_sale(snap_compare, display_factory, device) -> None:  # type: ignore[no-untyped-def]
    app = display_factory()
    streams = watch_streams(app)

    async def sell(pilot) -> None:  # type: ignore[no-untyped-def]
        await start_following(pilot, streams)
        async with device("MI01", "pos") as till:
            await _ring_up(pilot, till)

    assert snap_compare(app, terminal_size=SIZE, run_before=sell)


def test_paid_with_receipt_qr(snap_compare, display_factory, device) -> None:  # type: ignore[no-untyped-def]
    app = display_factory()
    streams = watch_streams(app)

    async def sell_and_pay(pilot) -> None:  # type: ignore[no-untyped-def]
        await start_following(pilot, streams)
        async with device("MI01", "pos") as till:
            cart_id = await _ring_up(pilot, till)
            order = await till.call(Api.place_order(OrderCreate(cart_id=cart_id), sale_key()))
            await till.call(Api.pay(order.number, PaymentIn(
                tender="cash", amount_cents=order.due_cents,
                tendered_cents=order.due_cents + 500)))
        await wait_for_text(pilot, "Thank you!", "Scan for your receipt")

    assert snap_compare(app, terminal_size=SIZE, run_before=sell_and_pay)
