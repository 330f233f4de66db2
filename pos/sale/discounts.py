"""Discounts on the sale: one line's (a percentage or an amount), or the same
percentage on every line (a basket discount: each line carries its share, so a
later return refunds exactly what was paid for it).

One supervisor approval covers the whole basket, and a discount lands on every
line it was asked for or on none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos.sale.lines import line_of
from shared.client import Api, Call
from shared.errors import CommerceError
from shared.schemas.orders import CartLineSet, CartOut

if TYPE_CHECKING:
    from pos.screens.sell import SellScreen

Wanted = dict[str, tuple[int, int]]
"""SKU -> (percent, amount in cents) to give."""


async def ask_line_discount(till: SellScreen, sku: str | None) -> Wanted | None:
    from pos.dialogs.discount import DiscountDialog

    line = line_of(till.cart, sku)
    if line is None or till.order is not None:
        till.say(till.t("Choose a line of an unpaid sale first."), error=True)
        return None
    typed = await till.app.push_screen_wait(DiscountDialog(line.name))
    return {line.sku: typed} if typed is not None else None


async def ask_basket_discount(till: SellScreen) -> Wanted | None:
    from pos.dialogs.discount import DiscountDialog

    if not till.cart or not till.cart.lines or till.order is not None:
        till.say(till.t("Ring something up first."), error=True)
        return None
    typed = await till.app.push_screen_wait(DiscountDialog(till.t("the whole basket"),
                                                           percent_only=True))
    return {line.sku: typed for line in till.cart.lines} if typed is not None else None


async def give(till: SellScreen, wanted: Wanted) -> None:
    """Set the discounts with the core; a refusal half-way puts back what it changed."""
    assert till.cart is not None
    app = till.app
    before = {line.sku: (line.discount_percent, line.discount_amount_cents)
              for line in till.cart.lines}
    token: str | None = None
    done: list[str] = []

    def set_line(sku: str, percent: int, amount: int) -> Call[CartOut]:
        assert till.cart is not None
        line = line_of(till.cart, sku)
        assert line is not None
        call = Api.set_cart_line(till.cart.id, CartLineSet(
            sku=sku, qty=line.qty, discount_percent=percent, discount_cents=amount))
        return call.approved_by(token) if token else call

    try:
        for sku, (percent, amount) in wanted.items():
            try:
                till.cart = await app.client.call(set_line(sku, percent, amount))
            except CommerceError as error:
                if token is not None:
                    raise
                token = await app.approval_for(error)
                if token is None:
                    raise
                till.cart = await app.client.call(set_line(sku, percent, amount))
            done.append(sku)
    except CommerceError as error:
        for sku in done:
            till.cart = await app.client.call(set_line(sku, *before[sku]))
        till.say(app.explain(error), error=True)
    else:
        till.say(till.t("Discount given.") if any(p or a for p, a in wanted.values())
                 else till.t("Discount removed."))
