"""What a scanned or typed code does on the sale screen.

A product code adds a line; a kiosk's basket (its QR, or the short code under it
on a till without a scanner) becomes the till's sale; a loyalty card attaches its
customer; a receipt or return slip opens the returns desk; a pickup code the
pickup counter. Text that is no code is looked up as a SKU, then searched.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pos.sale.lines import change_line
from shared.client import Api
from shared.errors import CommerceError, NotFound, Unavailable

if TYPE_CHECKING:
    from pos.screens.sell import SellScreen

CODE = re.compile(r"^(\d{8}|\d{12,14}|OT1:.+)$", re.IGNORECASE)

HANDOFF = re.compile(r"^[A-HJ-NP-Z2-9]{6}$", re.IGNORECASE)
"""The short code a kiosk shows under its basket QR, for a till without a scanner."""


async def scan(till: SellScreen, text: str) -> str | None:
    """Act on ``text``; the SKU of the line it added (to select it), if any."""
    if till.offline_now():
        return await till.offline_lookup(text)
    try:
        if CODE.match(text):
            return await _code(till, text)
        return await _typed(till, text)
    except CommerceError as error:
        if isinstance(error, Unavailable) and till.go_offline():
            return await till.offline_lookup(text)
        till.say(till.app.explain(error), error=True)
    return None


async def _code(till: SellScreen, text: str) -> str | None:
    app = till.app
    result = await app.client.call(Api.scan(text))
    if result.kind == "product" and result.product:
        return await change_line(till, result.product.sku, +1)
    if result.kind == "cart" and result.reference:
        await take_basket(till, result.reference)
    elif result.kind == "loyalty":
        found = await app.client.call(Api.customers(result.reference or ""))
        if found:
            till.attach(found[0])
        else:
            till.say(till.t("That loyalty card belongs to nobody we know."), error=True)
    elif result.kind in ("receipt", "return_slip"):
        from pos.screens.returns import ReturnsScreen

        app.push_screen(ReturnsScreen(code=text))
    elif result.kind == "order_pickup":
        from pos.screens.pickups import PickupsScreen

        app.push_screen(PickupsScreen(collect_code=text))
    else:
        till.say(till.t("That code is not for a sale."), error=True)
    return None


async def _typed(till: SellScreen, text: str) -> str | None:
    client = till.app.client
    if HANDOFF.match(text):
        try:
            found = await client.call(Api.scan(f"OT1:C:{text.upper()}"))
        except NotFound:
            found = None
        if found is not None and found.kind == "cart" and found.reference:
            await take_basket(till, found.reference)
            return None
    try:
        product = await client.call(Api.product(text.upper()))
    except NotFound:
        pass
    else:
        return await change_line(till, product.sku, +1)
    page = await client.call(Api.products(q=text, limit=20))
    if len(page.items) == 1:
        return await change_line(till, page.items[0].sku, +1)
    if page.items:
        from pos.dialogs.pick_product import PickProductDialog

        sku = await till.app.push_screen_wait(PickProductDialog(
            text, page.items, till.app.money))
        if sku:
            return await change_line(till, sku, +1)
    else:
        till.say(till.t("Nothing matches {text}.", text=repr(text)), error=True)
    return None


async def take_basket(till: SellScreen, cart_id: str) -> None:
    """A kiosk's basket becomes this till's sale: editable like any other."""
    if till.busy():
        till.say(till.t("Finish or park the sale on the till before loading a basket."),
                 error=True)
        return
    client = till.app.client
    till.cart = await client.call(Api.recall_cart(cart_id))
    till.customer = None
    if till.cart.customer_id:
        till.customer = await client.call(Api.customer(till.cart.customer_id))
    till.say(till.t("Kiosk basket loaded: {count} items",
                    count=sum(x.qty for x in till.cart.lines)))
