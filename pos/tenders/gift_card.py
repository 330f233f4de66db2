"""Gift card or store credit: scan the card, see its balance, take what is due or
what is left on it (the rest by another tender)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos.tenders import Tendered

if TYPE_CHECKING:
    from pos.screens.sell import SellScreen


async def take_gift_card(till: SellScreen, due: int) -> None:
    from pos.dialogs.credit import CreditDialog

    payment = await till.app.push_screen_wait(CreditDialog(due))
    if payment is not None:
        till.post_message(Tendered(payment))
