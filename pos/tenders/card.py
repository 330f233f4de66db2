"""Card: the terminal is charged what is due; it approves, declines or times out,
and the core records the payment whatever the outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos.tenders import Tendered
from shared.schemas.orders import PaymentIn

if TYPE_CHECKING:
    from pos.screens.sell import SellScreen


def charge_card(till: SellScreen, due: int) -> None:
    till.say(till.t("Card: follow the terminal…"))
    till.post_message(Tendered(PaymentIn(tender="card", amount_cents=due)))
