"""Returns, customers, loyalty and store credit."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from shared.i18n import LANGUAGES
from shared.schemas.common import Request, Schema
from shared.schemas.enums import Channel, OrderStatus, Tender
from shared.schemas.orders import Sku

Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]
ReturnStatus = Literal["requested", "approved", "rejected", "refunded"]
OPEN_RETURN_STATUSES: tuple[ReturnStatus, ...] = ("requested", "approved")
"""A return in one of these holds its items: they cannot be returned again."""


class ReturnLineIn(Request):
    line_no: int | None = Field(default=None, ge=1, le=999,
                                description="Line of the original order.")
    sku: Sku | None = Field(default=None, description="Without a receipt: the item.")
    qty: int = Field(ge=1, le=999)
    reason: Reason = ""
    condition: Literal["resellable", "damaged"] = "resellable"


class ReturnCreate(Request):
    order_number: Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True,
                                                   max_length=20)] | None = None
    receipt_code: Annotated[str, StringConstraints(strip_whitespace=True,
                                                   max_length=80)] | None = Field(
        default=None, description="The `OT1:R:` code printed on the receipt.")
    buyer: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] | None = \
        Field(default=None, description="At a kiosk, with `order_number` (no receipt QR): "
              "the email or surname the order was bought under.")
    lines: list[ReturnLineIn] = Field(min_length=1, max_length=100)
    refund_to: Literal["original", "store_credit"] = "original"
    note: Reason = ""

    @model_validator(mode="after")
    def _lines_match(self) -> ReturnCreate:
        with_receipt = bool(self.order_number or self.receipt_code)
        for line in self.lines:
            if with_receipt and line.line_no is None:
                raise ValueError("each line needs line_no of the original order")
            if not with_receipt and not line.sku:
                raise ValueError("without a receipt each line needs the sku")
        return self


class ReturnLineOut(Schema):
    sku: str
    qty: int
    reason: str
    condition: str
    refund_cents: int


class ReturnRefundOut(Schema):
    """One part of a refund, by the tender it went back to: the till hands out the
    cash parts, the card parts are already on their way back to the card."""

    tender: Tender
    amount_cents: int
    card_number: str | None = Field(
        default=None, description="Store credit or gift card the money went on.")


class ReturnOut(Schema):
    number: str
    order_number: str | None
    store: str
    status: ReturnStatus
    refund_to: str
    refund_cents: int
    needs_supervisor: bool
    credit_card_number: str | None
    lines: list[ReturnLineOut]
    slip_code: str = Field(description="`OT1:S:` code for the returns desk.")
    points_clawed_back: int = 0
    refunds: list[ReturnRefundOut] = Field(
        default_factory=list,
        description="Once refunded: what went back, per tender (cards first).")
    created_at: datetime
    decision_note: str = Field(
        default="", description="What the supervisor wrote when approving or rejecting.")
    card_refund_pending_cents: int = Field(
        default=0, description="Of the card parts, what the card terminal has not yet "
        "given back (it declined or did not answer): still owed to the shopper, asked "
        "again with the same idempotency key.")


class ReturnDecision(Request):
    note: Reason = ""


class CustomerOut(Schema):
    id: int
    name: str = Field(description="Full name for staff; masked on a kiosk.")
    email: str | None
    phone: str | None
    loyalty_card: str | None
    city: str
    home_store: str | None
    consent_marketing: bool
    consent_email_receipts: bool
    language: str | None = Field(default=None, description="`it`, `en` or `es`: the "
                                 "language of their mails; `null`: the chain's default.")
    no_mail: bool = Field(default=False, description="They asked not to be mailed at all, "
                          "not even a receipt.")
    loyalty_code: str | None = Field(default=None, description="`OT1:L:` card QR payload.")


def mail_language(value: str) -> str:
    """A language the chain writes its mails in (``it``, ``en``, ``es``), from what
    someone typed or a file holds (``ES`` is ``es``); anything else is a
    ``ValueError`` saying which ones there are."""
    code = value.strip().lower()
    if code not in LANGUAGES:
        named = [f"{name} ({key})" for key, name in LANGUAGES.items()]
        raise ValueError(f"We write to customers in {', '.join(named[:-1])} or {named[-1]}; "
                         f"{value!r} is none of them.")
    return code


class CustomerUpdate(Request):
    """What a customer tells staff about the mail they get; a field left out (or
    ``null``) stays as it is."""

    language: str | None = Field(default=None, max_length=20, description=(
        "`it`, `en` or `es`: the language of their mails and e-receipts."))
    no_mail: bool | None = Field(default=None, description=(
        "`true`: mail them nothing at all, not even a receipt; `false`: mail them again."))

    @field_validator("language")
    @classmethod
    def _one_we_write_in(cls, value: str | None) -> str | None:
        return None if value is None else mail_language(value)


class LoyaltyEntryOut(Schema):
    kind: str
    points: int
    order_number: str | None
    return_number: str | None
    note: str
    created_at: datetime


class LoyaltyOut(Schema):
    customer_id: int
    name: str
    balance: int
    tier: str
    multiplier_percent: int
    spend_12m_cents: int
    next_tier: str | None
    to_next_tier_cents: int | None
    entries: list[LoyaltyEntryOut]


class HistoryOrder(Schema):
    number: str
    channel: Channel
    store: str
    status: OrderStatus
    total_cents: int
    returned_cents: int
    net_cents: int
    created_at: datetime
    items: int


class CustomerHistory(Schema):
    customer_id: int
    orders: list[HistoryOrder]
    total_net_cents: int


class CreditOut(Schema):
    card_number: str
    kind: str
    balance_cents: int
