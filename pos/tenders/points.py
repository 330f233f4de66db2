"""Loyalty points: the attached customer's balance, spent at the fixed point value
(shared.money.POINT_VALUE_CENTS); the rest by another tender."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos.tenders import Tendered
from shared.client import Api
from shared.errors import CommerceError
from shared.money import POINT_VALUE_CENTS
from shared.schemas.orders import PaymentIn

if TYPE_CHECKING:
    from pos.screens.sell import SellScreen


async def take_points(till: SellScreen, due: int) -> None:
    from pos.dialogs.points import PointsDialog

    if till.customer is None:
        till.say(till.t("Attach the customer first (F9 or scan their loyalty card)."),
                 error=True)
        return
    app = till.app
    try:
        account = await app.client.call(Api.customer_loyalty(till.customer.id))
    except CommerceError as error:
        till.say(app.explain(error), error=True)
        return
    points = await app.push_screen_wait(PointsDialog(
        account.name, account.balance, due, app.money(due)))
    if points:
        till.post_message(Tendered(PaymentIn(
            tender="loyalty_points", amount_cents=points * POINT_VALUE_CENTS, points=points)))
