"""The basket's lines: one more, one fewer, or a new one.

The core keeps the basket; each change is one call that answers with the whole
basket, so the screen always shows what the core has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos.offline.sale import is_local
from shared.client import Api
from shared.schemas.orders import CartCreate, CartLineOut, CartLineSet, CartOut

if TYPE_CHECKING:
    from pos.screens.sell import SellScreen


def line_of(cart: CartOut | None, sku: str | None) -> CartLineOut | None:
    return next((x for x in cart.lines if x.sku == sku), None) if cart else None


async def change_line(till: SellScreen, sku: str, delta: int) -> str | None:
    """Change a line by ``delta`` (a new line from 0); the SKU changed, or None when
    refused."""
    if till.order is not None:
        till.say(till.t("Payment has started; finish or cancel this sale first."), error=True)
        return None
    if is_local(till.cart):
        return till.offline_add(sku, delta)
    app = till.app
    if till.cart is None:
        till.cart = await app.client.call(Api.create_cart(CartCreate(
            customer_id=till.customer.id if till.customer else None)))
    line = line_of(till.cart, sku)
    qty = max(0, (line.qty if line else 0) + delta)
    # The line keeps its discount; one a supervisor gave asks them again when
    # the quantity (and so the discount) changes.
    till.cart = await app.call_approved(Api.set_cart_line(
        till.cart.id, CartLineSet(
            sku=sku, qty=qty, discount_percent=line.discount_percent if line else 0,
            discount_cents=min(line.discount_amount_cents, line.unit_price_cents * qty)
            if line else 0)))
    till.say("")
    return sku
