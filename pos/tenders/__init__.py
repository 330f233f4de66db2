"""How the sale screen takes money: one module per tender flow.

A flow asks what it needs (the cash handed over, the gift card, the points to
spend) and announces the payment with :class:`Tendered`; the sale screen takes
it through :mod:`pos.tenders.settle`, which also handles a part-paid sale.
"""

from __future__ import annotations

from textual.message import Message

from shared.schemas.orders import PaymentIn


class Tendered(Message):
    """A tender flow has the payment to take for the sale on the till."""

    def __init__(self, payment: PaymentIn) -> None:
        super().__init__()
        self.payment = payment
