"""Cash: the cashier types what was handed over; less than due is a split tender
(the rest is taken with another tender), more is change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos.tenders import Tendered
from shared.schemas.orders import PaymentIn

if TYPE_CHECKING:
    from pos.screens.sell import SellScreen


def take_cash(till: SellScreen, due: int) -> None:
    """The dialog opens at once (not from a worker), so the amount typed right after
    F2 lands in it."""
    from pos.dialogs.cash import CashDialog

    def tendered(cents: int | None) -> None:
        if cents:
            till.post_message(Tendered(PaymentIn(
                tender="cash", amount_cents=min(due, cents), tendered_cents=cents)))

    till.app.push_screen(CashDialog(due, till.app.money(due)), tendered)
