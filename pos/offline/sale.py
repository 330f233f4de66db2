"""A sale rung up on the till alone: lines, totals and the documents it leaves.

The arithmetic is the core's (:mod:`shared.money`: VAT-inclusive prices, line
discounts as given, VAT per rate on the rate's total), so the offline receipt
shows what the core will record when the sale is replayed. The sale is kept in
the same shapes the screen already draws (``CartOut``) and prints
(``OrderOut``), so the sale screen and the receipt need no offline variant.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from shared.money import percent_of, vat_breakdown, vat_included
from shared.schemas.catalog import ProductOut
from shared.schemas.enums import PaymentStatus
from shared.schemas.orders import (
    CartLineOut,
    CartOut,
    LineIn,
    OrderCreate,
    OrderLineOut,
    OrderOut,
    PaymentIn,
    PaymentOut,
    StatusChange,
    TaxLine,
)

LOCAL_PREFIX = "offline:"
"""The id of a basket that lives only on this till."""


def is_local(cart: CartOut | None) -> bool:
    return cart is not None and cart.id.startswith(LOCAL_PREFIX)


def local_cart(store: str, taken_over: CartOut | None = None) -> CartOut:
    """A basket on the till alone; ``taken_over`` is the core's basket that was on
    the screen when the link dropped: its lines carry on, at the prices it had."""
    lines = list(taken_over.lines) if taken_over else []
    return _with_lines(CartOut(
        id=LOCAL_PREFIX + uuid.uuid4().hex[:12], channel="pos", store=store, status="open",
        parked=False, label="", customer_id=taken_over.customer_id if taken_over else None,
        lines=[], total_cents=0, tax_cents=0, expires_at=datetime.now(UTC), handoff_code=None,
    ), lines)


def _line_total(unit: int, qty: int, percent: int, amount: int) -> tuple[int, int]:
    gross = unit * qty
    discount = min(gross, percent_of(gross, percent * 100) + min(amount, gross))
    return discount, gross - discount


def set_qty(cart: CartOut, sku: str, qty: int, product: ProductOut | None = None) -> CartOut:
    """The line for ``sku`` at ``qty`` (0 removes it); a new line needs ``product``."""
    lines: list[CartLineOut] = []
    found = False
    for line in cart.lines:
        if line.sku != sku:
            lines.append(line)
            continue
        found = True
        if qty > 0:
            discount, total = _line_total(line.unit_price_cents, qty, line.discount_percent,
                                          line.discount_amount_cents)
            lines.append(line.model_copy(update={"qty": qty, "discount_cents": discount,
                                                 "total_cents": total}))
    if not found and qty > 0:
        assert product is not None, "a new line needs its product"
        lines.append(CartLineOut(sku=product.sku, name=product.name, qty=qty,
                                 unit_price_cents=product.price_cents, discount_cents=0,
                                 total_cents=product.price_cents * qty,
                                 vat_rate_bp=product.vat_rate_bp))
    return _with_lines(cart, lines)


DISCOUNT_LIMIT_PERCENT = 20
"""The cashier's own limit, as the core has it (``core.carts.service``; a test keeps
the two equal): over it, a supervisor approves. The core checks again on replay."""


def over_limit(line: CartLineOut, percent: int, amount: int) -> bool:
    """Worth more than the cashier's limit (rounded to the cent as the core does)."""
    gross = line.unit_price_cents * line.qty
    discount, _ = _line_total(line.unit_price_cents, line.qty, percent, amount)
    return discount > percent_of(gross, DISCOUNT_LIMIT_PERCENT * 100)


def set_discount(cart: CartOut, sku: str, percent: int, amount: int) -> CartOut:
    """The line for ``sku`` with this discount (percent, or an amount off the line)."""
    lines = []
    for line in cart.lines:
        if line.sku == sku:
            amount = min(amount, line.unit_price_cents * line.qty)
            discount, total = _line_total(line.unit_price_cents, line.qty, percent, amount)
            line = line.model_copy(update={
                "discount_percent": percent, "discount_amount_cents": amount,
                "discount_cents": discount, "total_cents": total})
        lines.append(line)
    return _with_lines(cart, lines)


def _with_lines(cart: CartOut, lines: list[CartLineOut]) -> CartOut:
    breakdown = vat_breakdown([(line.total_cents, line.vat_rate_bp) for line in lines])
    return cart.model_copy(update={
        "lines": lines, "total_cents": sum(line.total_cents for line in lines),
        "tax_cents": sum(vat for _, _, vat in breakdown)})


def order_body(cart: CartOut, payment: PaymentIn, *, number: str, sold_at: datetime,
               replaces_cart: str | None) -> OrderCreate:
    """What the outbox replays: the lines as sold, the tender, who and when."""
    return OrderCreate(
        lines=[LineIn(sku=line.sku, qty=line.qty, discount_percent=line.discount_percent,
                      discount_cents=line.discount_amount_cents) for line in cart.lines],
        customer_id=cart.customer_id, payments=[payment], offline=True, sold_at=sold_at,
        offline_number=number, replaces_cart=replaces_cart)


def receipt_order(cart: CartOut, payment: PaymentIn, *, number: str, sold_at: datetime,
                  currency: str = "EUR") -> OrderOut:
    """The sale as the receipt prints it, numbered with its offline number. It has
    no receipt QR: that code is signed by the core, which has not seen the sale."""
    tendered = payment.tendered_cents or payment.amount_cents
    change = max(0, tendered - payment.amount_cents) if payment.tender == "cash" else 0
    breakdown = vat_breakdown([(line.total_cents, line.vat_rate_bp) for line in cart.lines])
    subtotal = sum(line.unit_price_cents * line.qty for line in cart.lines)
    return OrderOut(
        number=number, channel="pos", store=cart.store, fulfilment="carry_out",
        pickup_store=None, status="completed", customer_id=cart.customer_id,
        customer_name=None, contact_email=None, contact_phone=None, delivery_address=None,
        currency=currency, subtotal_cents=subtotal, discount_cents=subtotal - cart.total_cents,
        total_cents=cart.total_cents, tax_cents=cart.tax_cents,
        tax_breakdown=[TaxLine(rate_bp=r, gross_cents=g, tax_cents=t) for r, g, t in breakdown],
        paid_cents=payment.amount_cents, due_cents=0, change_cents=change, promotion=None,
        lines=[OrderLineOut(
            line_no=n, sku=line.sku, name=line.name, qty=line.qty,
            unit_price_cents=line.unit_price_cents, discount_cents=line.discount_cents,
            promo_discount_cents=0, total_cents=line.total_cents, vat_rate_bp=line.vat_rate_bp,
            tax_cents=vat, source_location=cart.store, qty_picked=0, qty_collected=line.qty,
            qty_cancelled=0, qty_returned=0)
            for n, (line, vat) in enumerate(((x, _vat(x)) for x in cart.lines), start=1)],
        payments=[PaymentOut(
            id=0, tender=payment.tender, amount_cents=payment.amount_cents,
            tendered_cents=payment.tendered_cents, change_cents=change,
            status=PaymentStatus.APPROVED, reference=number,
            message="offline" if payment.tender == "cash" else "card, store-and-forward",
            refunded_cents=0, created_at=sold_at)],
        timeline=[StatusChange(status="completed", at=sold_at, note="sold offline")],
        checked_in_at=None, created_at=sold_at, offline_number=number,
    )


def _vat(line: CartLineOut) -> int:
    return vat_included(line.total_cents, line.vat_rate_bp)
