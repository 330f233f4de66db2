"""The customer on the sale: found with F9 or their loyalty card, taken off with
Shift+F9. The customer goes on the basket itself, so the customer display shows
their points and the order gets them whichever till takes the payment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.client import Api
from shared.errors import CommerceError
from shared.schemas.returns import CustomerOut

if TYPE_CHECKING:
    from pos.screens.sell import SellScreen


async def attach(till: SellScreen, customer: CustomerOut | None) -> None:
    if till.order is not None:
        till.say(till.t("Payment has started; the customer can no longer change."), error=True)
        return
    till.customer = customer
    if till.cart is not None:
        try:
            till.cart = await till.app.client.call(Api.set_cart_customer(
                till.cart.id, customer.id if customer else None))
        except CommerceError as error:
            till.say(till.app.explain(error), error=True)
    till.say(till.t("Customer: {name}", name=customer.name) if customer else "")
