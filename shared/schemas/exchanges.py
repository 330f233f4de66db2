"""An exchange at the till: an approved return credited to a new sale.

The return's value pays for the replacement (an ``exchange_credit`` payment on
the new order, referencing the return); the shopper pays only what the new sale
costs more, or gets back what it costs less, the way a refund goes back.
"""

from __future__ import annotations

from pydantic import Field

from shared.schemas.common import Request, Schema
from shared.schemas.orders import Id, LineIn, OrderOut, PaymentIn
from shared.schemas.returns import ReturnOut, ReturnRefundOut


class ExchangeCreate(Request):
    lines: list[LineIn] = Field(min_length=1, max_length=100,
                                description="The replacement, sold from this store's stock.")
    customer_id: Id | None = Field(
        default=None, description="Who earns the new sale's points; by default the customer "
        "of the returned sale.")
    payments: list[PaymentIn] = Field(
        default_factory=list, max_length=4,
        description="What the shopper pays of the difference when the new sale costs more "
        "than the return: together they must cover it, or nothing of the exchange happens.")


class ExchangeLineOut(Schema):
    """A line taken back, by name, for the exchange receipt."""

    sku: str
    name: str
    qty: int
    amount_cents: int


class ExchangeOut(Schema):
    order: OrderOut = Field(description="The new sale, completed.")
    returned: ReturnOut = Field(description="The return, refunded by the exchange.")
    returned_lines: list[ExchangeLineOut]
    credit_cents: int = Field(description="What the return put towards the new sale.")
    difference_cents: int = Field(
        description="New sale minus return: above 0 the shopper paid it, below 0 it went "
        "back to them (see `refunds`).")
    refunds: list[ReturnRefundOut] = Field(
        default_factory=list, description="The difference given back, per tender.")
