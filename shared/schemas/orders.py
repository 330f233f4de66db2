"""Carts, orders, payments and the pickup queue."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import EmailStr, Field, StringConstraints, model_validator

from shared.schemas.common import Request, Schema
from shared.schemas.enums import CartStatus, Channel, Fulfilment, OrderStatus, PaymentStatus, Tender
from shared.schemas.fiscal import FiscalDocument

Sku = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=1,
                                       max_length=32)]
Qty = Annotated[int, Field(ge=1, le=999)]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Cents = Annotated[int, Field(ge=0, le=10**9)]
PositiveCents = Annotated[int, Field(gt=0, le=10**9)]
StoreCode = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True,
                                             pattern=r"^[A-Z0-9]{2,8}$")]


class LineIn(Request):
    sku: Sku
    qty: Qty
    discount_percent: int = Field(default=0, ge=0, le=100,
                                  description="Line discount at a till (staff only).")
    discount_cents: Cents = Field(default=0, description="Line discount as an amount.")


class CartCreate(Request):
    store: StoreCode | None = Field(
        default=None, description="Where the basket reserves stock; a kiosk or till's own store "
        "by default.")
    customer_id: Id | None = None
    channel: Channel | None = Field(default=None, description="web or app, for the web device.")


class CartLineSet(Request):
    sku: Sku
    qty: int = Field(ge=0, le=999, description="0 removes the line.")
    discount_percent: int = Field(default=0, ge=0, le=100)
    discount_cents: Cents = 0


class CartPark(Request):
    label: Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)] = ""


class CartLineOut(Schema):
    sku: str
    name: str
    qty: int
    unit_price_cents: int
    discount_cents: int
    total_cents: int
    vat_rate_bp: int
    discount_percent: int = Field(default=0, description="The line's discount as given: "
                                  "send it back with a new quantity to keep it.")
    discount_amount_cents: int = 0
    shortfall: int = Field(default=0, description="Units of this line in the shopper's hand "
                           "that the stock count does not have (a till sale of goods in "
                           "hand): the count is corrected when the sale completes.")


class CartOut(Schema):
    id: str
    channel: Channel
    store: str
    status: CartStatus
    parked: bool
    label: str
    customer_id: int | None
    lines: list[CartLineOut]
    total_cents: int
    tax_cents: int
    expires_at: datetime
    handoff_code: str | None
    customer_name: str | None = Field(default=None, description="Masked (`Giulia R.`): it "
                                      "is shown on the screen that faces the shopper.")
    points_balance: int | None = None
    points_to_earn: int | None = Field(default=None, description="At the customer's tier, "
                                       "if the basket is paid in money.")


class CartLineChange(Schema):
    """The answer to a line change asked for with ``?answer=line``: the line as it is
    now and what the whole basket comes to, without the basket's other lines. A
    till that keeps the basket applies it to its own copy, so a scan into a
    200-line basket costs the core and the till what it does in a 1-line one."""

    id: str
    sku: str
    line: CartLineOut | None = Field(description="The line as it is now; `null`: it was "
                                     "taken off. A new line comes last in the basket.")
    line_count: int = Field(description="Lines in the basket now: a copy with another "
                            "count has missed a change (read the basket again).")
    total_cents: int = Field(description="The whole basket's, as `CartOut` has it.")
    tax_cents: int
    expires_at: datetime
    points_to_earn: int | None = Field(default=None, description="As `CartOut` has it.")


class CartCustomer(Request):
    customer_id: Id | None = Field(description="`null` takes the customer off the sale.")


class ReceiptEmail(Request):
    email: EmailStr


class Handoff(Schema):
    cart_id: str
    code: str = Field(description="Short code the cashier can type.")
    payload: str = Field(description="`OT1:C:<code>`, to show as a QR code.")
    expires_at: datetime


class PaymentIn(Request):
    tender: Tender
    amount_cents: PositiveCents = Field(description="Amount to put towards the order.")
    tendered_cents: Cents | None = Field(
        default=None, description="Cash handed over; change is computed.")
    card_token: Annotated[str, StringConstraints(max_length=40)] | None = Field(
        default=None, description="Simulated terminal hook: `approve`, `decline`, `timeout`.")
    card_number: Annotated[str, StringConstraints(max_length=20)] | None = Field(
        default=None, description="Store credit or gift card number.")
    card_pin: Annotated[str, StringConstraints(pattern=r"^[0-9]{4,8}$")] | None = Field(
        default=None, description="The gift card's PIN (scratch panel): needed to pay "
        "without the card in hand, i.e. from the web shop.")
    points: int | None = Field(default=None, ge=1, le=10**9,
                               description="Loyalty points to redeem.")


class Contact(Request):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                           max_length=120)] | None = None
    email: EmailStr | None = None
    phone: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9 ]{6,20}$")
                     ] | None = None


class OrderCreate(Request):
    cart_id: str | None = Field(default=None, description="Place the order from this basket.")
    lines: list[LineIn] = Field(default_factory=list, max_length=200)
    channel: Channel | None = Field(
        default=None, description="For the web device: `web` or `app`. Others use their own.")
    fulfilment: Fulfilment = Fulfilment.CARRY_OUT
    pickup_store: StoreCode | None = None
    customer_id: Id | None = None
    contact: Contact | None = None
    delivery_address: Annotated[str, StringConstraints(strip_whitespace=True, min_length=5,
                                                       max_length=300)] | None = None
    payments: list[PaymentIn] = Field(default_factory=list, max_length=10)
    promotion: Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True,
                                                max_length=40)] | None = None
    receipt_email: EmailStr | None = None
    offline: bool = Field(default=False, description="Replayed from a till's offline outbox.")
    sold_at: datetime | None = Field(
        default=None, description="Offline sale: when the till sold it. The staff sign-in sent "
        "with the replay must have been valid at that moment (it may have expired since).")
    offline_number: Annotated[str, StringConstraints(
        strip_whitespace=True, pattern=r"^[A-Za-z0-9._-]{1,40}-[0-9]{1,9}$")] | None = Field(
        default=None, description="Offline sale: the document number `<till>-<local seq>` "
        "printed on its receipt; the order keeps it.")
    replaces_cart: str | None = Field(
        default=None, max_length=32, description="Offline sale: the basket that was open on "
        "the core when the till lost it. Its reservations are given back (the sale takes its "
        "goods itself) and it is closed, so it leaves nothing behind.")

    @model_validator(mode="after")
    def _one_source(self) -> OrderCreate:
        if bool(self.cart_id) == bool(self.lines):
            raise ValueError("give either cart_id or lines (and not both)")
        if self.fulfilment in (Fulfilment.PICKUP, Fulfilment.SHIP_TO_STORE) and not \
                self.pickup_store:
            raise ValueError("a pickup order needs pickup_store")
        if self.fulfilment is Fulfilment.DELIVERY and not self.delivery_address:
            raise ValueError("a delivery order needs delivery_address")
        if not self.offline and (self.sold_at or self.offline_number or self.replaces_cart):
            raise ValueError("sold_at, offline_number and replaces_cart are for offline sales")
        return self


class OrderLineOut(Schema):
    line_no: int
    sku: str
    name: str
    qty: int
    unit_price_cents: int
    discount_cents: int
    promo_discount_cents: int
    total_cents: int
    vat_rate_bp: int
    tax_cents: int
    source_location: str
    qty_picked: int
    qty_collected: int
    qty_cancelled: int
    points_earned: int = 0
    qty_returned: int


class PaymentOut(Schema):
    id: int
    tender: Tender
    amount_cents: int
    tendered_cents: int | None
    change_cents: int
    status: PaymentStatus | str
    reference: str
    message: str
    refunded_cents: int
    created_at: datetime


class StatusChange(Schema):
    status: OrderStatus
    at: datetime
    note: str


class TaxLine(Schema):
    rate_bp: int
    gross_cents: int
    tax_cents: int


class OrderOut(Schema):
    number: str
    channel: Channel
    store: str
    fulfilment: Fulfilment
    pickup_store: str | None
    status: OrderStatus
    customer_id: int | None
    customer_name: str | None = Field(description="Masked for kiosks.")
    contact_email: str | None
    contact_phone: str | None
    delivery_address: str | None
    currency: str
    subtotal_cents: int
    discount_cents: int
    total_cents: int
    tax_cents: int
    tax_breakdown: list[TaxLine]
    paid_cents: int
    due_cents: int
    change_cents: int
    promotion: str | None
    lines: list[OrderLineOut]
    payments: list[PaymentOut]
    timeline: list[StatusChange]
    pickup_code: str | None = Field(default=None, description="`OT1:O:` QR payload.")
    receipt_code: str | None = Field(default=None, description="`OT1:R:` QR payload.")
    checked_in_at: datetime | None
    created_at: datetime
    points_earned: int = 0
    points_balance: int | None = Field(default=None,
                                       description="The customer's balance after this order.")
    receipt_email: str | None = None
    refunded_cents: int = Field(default=0, description="Given back so far, every tender "
                                "together (each payment shows its own `refunded_cents`).")
    card_refund_pending_cents: int = Field(
        default=0, description="Of what was given back, what the card terminal has not yet "
        "refunded (it declined or did not answer): still owed to the shopper, asked again "
        "with the same idempotency key.")
    offline_number: str | None = Field(default=None, description="A sale the till made "
                                       "offline: the number printed on its receipt.")
    fiscal_document: FiscalDocument | None = Field(
        default=None, description="The document the store's fiscal printer (RT) printed for "
        "this sale, once the till has reported it.")
    receipt_url: str | None = Field(
        default=None, description="The digital receipt, a page anyone holding the link may "
        "read (no personal data on it); absent until the core's public URL is configured.")


class Transition(Request):
    to: OrderStatus
    note: Annotated[str, StringConstraints(max_length=200)] = ""


class CollectLine(Request):
    line_no: int = Field(ge=1, le=999)
    qty: Qty


class Collect(Request):
    code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=80)] | None = Field(
        default=None, description="The shopper's `OT1:O:` pickup code.")
    last_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)] | None = \
        Field(default=None, description="Name check when the shopper has no code.")
    lines: list[CollectLine] | None = Field(
        default=None, description="Partial pickup: only these; all remaining when omitted.")
    cancel_rest: bool = Field(default=False,
                              description="Cancel and refund what is not collected now.")


class CheckIn(Request):
    code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=80)] | None = None
    order_number: Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True,
                                                   max_length=20)] | None = None
    last_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)] | None = \
        None


class PickupOut(Schema):
    number: str
    status: OrderStatus
    customer_name: str | None
    lines: int
    units: int
    total_cents: int
    due_cents: int
    created_at: datetime
    ready_at: datetime | None
    checked_in_at: datetime | None
    fulfilment: Fulfilment


class CheckInResult(Schema):
    number: str
    status: OrderStatus
    pickup_store: str | None
    pickup_store_name: str | None
    customer_name: str | None
    message: str = Field(description="What the shopper should do next, in plain words.")
    due_cents: int


class PickLine(Request):
    line_no: int = Field(ge=1, le=999)
    qty: int = Field(ge=0, le=999)


class Pick(Request):
    lines: list[PickLine]


class AdjustmentIn(Request):
    location: StoreCode
    sku: Sku
    reason: str = Field(pattern=r"^(count|receipt|damage)$")
    qty: int = Field(ge=0, le=100_000, description="Counted quantity, or units received/damaged.")
    note: Annotated[str, StringConstraints(max_length=200)] = ""


class StockLevelOut(Schema):
    location: str
    sku: str
    on_hand: int
    reserved: int
    available: int


class TransferLineIn(Request):
    sku: Sku
    qty: Qty


class TransferCreate(Request):
    from_location: StoreCode
    to_location: StoreCode
    lines: list[TransferLineIn] = Field(min_length=1, max_length=200)


class TransferOut(Schema):
    number: str
    from_location: str
    to_location: str
    status: str
    order_number: str | None
    lines: list[TransferLineIn]
    created_at: datetime
    received_at: datetime | None


class EventOut(Schema):
    seq: int
    type: str
    store: str | None
    subject: str
    payload: dict[str, object]
    created_at: datetime
