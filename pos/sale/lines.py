"""The basket's lines: one more, one fewer, or a new one.

The core keeps the basket; each change is one call that answers with the line as
the core now has it and the basket's totals (not the whole basket: a scan into a
200-line basket would read, price, send and parse all 200 lines). The till puts
that line into its copy of the basket where the core has it, and takes the
core's totals as they are, so the screen shows what the core has; a copy that
no longer has the core's number of lines is read again whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos.offline.sale import is_local
from shared.client import Api
from shared.schemas.orders import CartCreate, CartLineChange, CartLineOut, CartLineSet, CartOut

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
    cart = till.cart
    line = line_of(cart, sku)
    qty = max(0, (line.qty if line else 0) + delta)
    # The line keeps its discount; one a supervisor gave asks them again when
    # the quantity (and so the discount) changes.
    change = await app.call_approved(Api.change_cart_line(
        cart.id, CartLineSet(
            sku=sku, qty=qty, discount_percent=line.discount_percent if line else 0,
            discount_cents=min(line.discount_amount_cents, line.unit_price_cents * qty)
            if line else 0)))
    mine = applied(cart, change)
    till.cart = mine if mine is not None else await app.client.call(Api.cart(cart.id))
    till.say("")
    return sku


def applied(cart: CartOut, change: CartLineChange) -> CartOut | None:
    """``cart`` with one line as the core answered it (replaced where it is, added
    last as the core adds it, or taken off) and the core's totals; None when the
    result does not have the core's number of lines (the basket was changed
    elsewhere meanwhile: the caller reads it whole)."""
    lines = list(cart.lines)
    at = next((i for i, x in enumerate(lines) if x.sku == change.sku), None)
    if change.line is None:
        if at is not None:
            del lines[at]
    elif at is None:
        lines.append(change.line)
    else:
        lines[at] = change.line
    if len(lines) != change.line_count or cart.id != change.id:
        return None
    return cart.model_copy(update={
        "lines": lines, "total_cents": change.total_cents, "tax_cents": change.tax_cents,
        "expires_at": change.expires_at, "points_to_earn": change.points_to_earn})
