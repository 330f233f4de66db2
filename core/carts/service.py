"""Baskets: lines reserve stock at the cart's store while the shopper decides.

Kiosk, web and app baskets reserve strictly (what is not there is refused). A
till basket holds goods already in the shopper's hand, so it is never refused:
what the count lacks is noted as the line's shortfall (the till can warn) and
the count is corrected only if the sale completes (see ``stock.reserve_in_hand``).
Touching a basket extends its life; an idle one expires and gives its stock back.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta
from typing import NamedTuple, cast

from sqlalchemy import Row, Table, and_, bindparam, case, func, select
from sqlalchemy.orm import Session, lazyload

from core.audit import service as audit
from core.caller import Caller
from core.carts.models import Cart, CartLine
from core.catalog.models import Product
from core.catalog.service import get_product
from core.customers.models import Customer
from core.events.service import emit
from core.loyalty import service as loyalty
from core.pricing import PricedLine, line_discount, total_and_tax, totals
from core.problems import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from core.settings import CoreSettings
from core.stock import reservations
from core.stock import service as stock
from core.timeutil import utcnow
from shared.codes import CodeKind, build_code
from shared.masking import mask_name
from shared.money import percent_of
from shared.schemas.enums import CartStatus, Channel, DeviceKind, Role
from shared.schemas.orders import (
    CartCreate,
    CartLineChange,
    CartLineOut,
    CartLineSet,
    CartOut,
    Handoff,
)

HANDOFF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O or 1/I: a cashier types the code from a screen."""
HANDOFF_LENGTH = 6
DISCOUNT_LIMIT_PERCENT = 20
"""Line discounts above this need a supervisor."""


def channel_of(caller: Caller, requested: Channel | None) -> Channel:
    kind_channel = {DeviceKind.KIOSK: Channel.KIOSK, DeviceKind.POS: Channel.POS}
    if caller.device_kind in kind_channel:
        return kind_channel[caller.device_kind]
    if caller.device_kind is DeviceKind.WEB:
        if requested in (None, Channel.WEB):
            return Channel.WEB
        if requested is Channel.APP:
            return Channel.APP
        raise Forbidden("The web shop sells on the web and app channels only.")
    raise Forbidden("This device cannot sell.", code="cannot_sell")


def refuse_customer_id(caller: Caller, customer_id: int | None) -> None:
    """Only staff name a customer by id: from a kiosk or the web shop, an id would
    read any customer's name and balance and put their email on the order. A
    shopper is recognised by their signed loyalty card, scanned at the kiosk."""
    if customer_id is not None and (caller.device_kind is not DeviceKind.POS
                                    or caller.staff is None):
        raise Forbidden("A customer is chosen by staff on a till, or by scanning a loyalty "
                        "card.", code="customer_id_not_allowed")


def _expiry(minutes: int) -> datetime:
    return utcnow() + timedelta(minutes=minutes)


def create_cart(session: Session, *, caller: Caller, body: CartCreate, minutes: int) -> Cart:
    channel = channel_of(caller, body.channel)
    store = body.store or caller.store_code
    if store is None:
        raise InvalidInput("Say which store or warehouse the basket reserves stock at.")
    if caller.store_code and store != caller.store_code:
        raise Forbidden("A kiosk or till keeps baskets for its own store.")
    stock.get_location(session, store)
    refuse_customer_id(caller, body.customer_id)
    if body.customer_id is not None and session.get(Customer, body.customer_id) is None:
        raise NotFound("That customer does not exist.", code="customer_not_found")
    cart = Cart(id=uuid.uuid4().hex, channel=channel, store_code=store,
                customer_id=body.customer_id, device_id=caller.device_id,
                expires_at=_expiry(minutes))
    session.add(cart)
    session.flush()
    return cart


def expire_if_due(session: Session, cart: Cart) -> None:
    """Lazy expiry on read: an idle basket gives its stock back."""
    if cart.status in (CartStatus.OPEN, CartStatus.HANDED_OFF) and cart.expires_at <= utcnow():
        stock.release_owner(session, "cart", cart.id)
        cart.status = CartStatus.EXPIRED
        emit(session, "cart.expired", store=cart.store_code, subject=cart.id)


def get_cart(session: Session, cart_id: str, *, caller: Caller, lock: bool = False,
             with_lines: bool = True) -> Cart:
    """``with_lines=False``: the lines are not read with the basket (only if asked
    for later), for a change of one line of a long basket."""
    stmt = select(Cart).where(Cart.id == cart_id)
    if lock:
        stmt = stmt.with_for_update()
    if not with_lines:
        stmt = stmt.options(lazyload(Cart.lines))
    cart = session.scalar(stmt)
    if cart is None:
        raise NotFound("That basket does not exist.", code="cart_not_found")
    same_device = cart.device_id == caller.device_id
    till_of_store = caller.device_kind is DeviceKind.POS and caller.store_code == cart.store_code
    if not (same_device or till_of_store):
        raise Forbidden("This basket belongs to another device.", code="not_your_cart")
    if not same_device and caller.staff is None:
        # A kiosk basket is taken over at a till by a cashier, never by a bare till token.
        raise Unauthorized("Sign in with your staff PIN to take over this basket.",
                           code="staff_required")
    return cart


def _open(cart: Cart) -> None:
    if cart.status != CartStatus.OPEN:
        states = {CartStatus.EXPIRED: "has expired; start a new one",
                  CartStatus.CHECKED_OUT: "is already paid",
                  CartStatus.HANDED_OFF: "was handed to a till",
                  CartStatus.ABANDONED: "was abandoned"}
        raise Conflict(f"This basket {states.get(CartStatus(cart.status), cart.status)}.",
                       code=f"cart_{cart.status}", status=cart.status)


def authorise_discount(caller: Caller, gross_cents: int, discount_cents: int) -> None:
    """Percent or amount, a discount worth more than the limit needs a supervisor
    (signed in, or approving with their PIN on this till)."""
    # The limit rounds to the cent as a percent discount does, so "20 %" of any
    # price is always within it.
    if discount_cents > percent_of(gross_cents, DISCOUNT_LIMIT_PERCENT * 100):
        caller.require_staff(Role.SUPERVISOR, f"give more than {DISCOUNT_LIMIT_PERCENT} % off")


def _updated(session: Session, cart: Cart) -> None:
    """Tell whoever follows this basket (its till's customer display)."""
    emit(session, "cart.updated", store=cart.store_code, subject=cart.id, cart_id=cart.id,
         device_id=cart.device_id)


def _audit_discount(session: Session, caller: Caller, cart: Cart, existing: CartLine | None,
                    line: CartLineSet, price_cents: int) -> None:
    """A discount given, or changed, is audited once (a later change of quantity
    that keeps it is not a new decision)."""
    given = (line.discount_percent, line.discount_cents)
    before = (existing.discount_percent, existing.discount_cents) if existing else (0, 0)
    if not line.qty or given == (0, 0) or given == before:
        return
    gross = price_cents * line.qty
    discount = line_discount(gross, line.discount_percent, line.discount_cents)
    over = discount > percent_of(gross, DISCOUNT_LIMIT_PERCENT * 100)
    audit.record(session, "discount.given", caller=caller, store=cart.store_code,
                 subject=line.sku, approver=caller.approved_by(Role.SUPERVISOR) if over else None,
                 cart=cart.id, qty=line.qty, gross_cents=gross, discount_cents=discount,
                 percent=line.discount_percent, over_limit=over)


class LineSet(NamedTuple):
    """A basket after one of its lines was set."""

    cart: Cart
    line: CartLine | None
    """The line as it is now (None: taken off)."""
    product: Product
    """Its product, held so the answer prices the line without reading it again."""


def set_line(session: Session, *, caller: Caller, cart_id: str, line: CartLineSet,
             minutes: int, with_lines: bool = True) -> LineSet:
    """``with_lines=False``: the basket's other lines are not read (the answer will
    not show them)."""
    cart = get_cart(session, cart_id, caller=caller, lock=True, with_lines=with_lines)
    expire_if_due(session, cart)
    _open(cart)
    product = get_product(session, line.sku)
    if not product.active:
        raise Conflict(f"{product.name} is no longer sold.", code="product_inactive")
    if (line.discount_percent or line.discount_cents) and line.qty:
        if caller.device_kind is not DeviceKind.POS or caller.staff is None:
            raise Forbidden("Only staff at a till can give discounts.", code="discount_not_allowed")
        gross = product.price_cents * line.qty
        authorise_discount(caller, gross, line_discount(gross, line.discount_percent,
                                                        line.discount_cents))
    existing = (next((x for x in cart.lines if x.sku == product.sku), None) if with_lines
                else session.scalar(select(CartLine).where(CartLine.cart_id == cart.id,
                                                           CartLine.sku == product.sku)))
    _audit_discount(session, caller, cart, existing, line, product.price_cents)
    for reservation in stock.reservations_of(session, "cart", cart.id, sku=product.sku):
        stock.release(session, reservation.id)
    cart.expires_at = _expiry(minutes)
    if line.qty:
        if cart.channel == Channel.POS:
            stock.reserve_in_hand(session, location=cart.store_code, sku=product.sku,
                                  qty=line.qty, owner_kind="cart", owner_id=cart.id,
                                  reference=cart.id)
            reservations.hold_until(session, "cart", cart.id, cart.expires_at,
                                    sku=product.sku)
        else:
            stock.reserve(session, location=cart.store_code, sku=product.sku, qty=line.qty,
                          owner_kind="cart", owner_id=cart.id, expires_at=cart.expires_at)
        if existing is None:
            existing = CartLine(cart_id=cart.id, sku=product.sku, qty=line.qty)
            session.add(existing)
            if with_lines:
                cart.lines.append(existing)
        existing.qty = line.qty
        existing.discount_percent = line.discount_percent
        existing.discount_cents = line.discount_cents
    elif existing is not None:
        if with_lines:
            cart.lines.remove(existing)
        session.delete(existing)
        existing = None
    reservations.hold_until(session, "cart", cart.id, cart.expires_at)
    session.flush()
    _updated(session, cart)
    return LineSet(cart, existing, product)


def handoff(session: Session, *, caller: Caller, cart_id: str, minutes: int) -> Handoff:
    cart = get_cart(session, cart_id, caller=caller, lock=True)
    expire_if_due(session, cart)
    if cart.status == CartStatus.HANDED_OFF and cart.handoff_code:
        code = cart.handoff_code
    else:
        _open(cart)
        if not cart.lines:
            raise Conflict("The basket is empty.", code="cart_empty")
        code = "".join(secrets.choice(HANDOFF_ALPHABET) for _ in range(HANDOFF_LENGTH))
        cart.handoff_code = code
        cart.status = CartStatus.HANDED_OFF
    cart.expires_at = _expiry(minutes)
    reservations.hold_until(session, "cart", cart.id, cart.expires_at)
    emit(session, "cart.handed_off", store=cart.store_code, subject=cart.id, code=code)
    return Handoff(cart_id=cart.id, code=code, payload=build_code(CodeKind.CART, code),
                   expires_at=cart.expires_at)


def cart_by_handoff(session: Session, code: str) -> Cart:
    cart = session.scalar(select(Cart).where(Cart.handoff_code == code.upper()))
    if cart is None:
        raise NotFound("No basket has that code.", code="cart_not_found")
    expire_if_due(session, cart)
    if cart.status == CartStatus.EXPIRED:
        raise Conflict("That basket has expired; please scan the items again.",
                       code="cart_expired")
    if cart.status == CartStatus.CHECKED_OUT:
        raise Conflict("That basket is already paid.", code="cart_checked_out")
    return cart


def park(session: Session, *, caller: Caller, cart_id: str, label: str) -> Cart:
    cart = get_cart(session, cart_id, caller=caller, lock=True)
    expire_if_due(session, cart)
    _open(cart)
    cart.parked, cart.label = True, label
    emit(session, "cart.parked", store=cart.store_code, subject=cart.id)
    return cart


def recall(session: Session, *, caller: Caller, cart_id: str) -> Cart:
    """Any till of the store may take a parked sale back, or a basket a kiosk
    handed over; it becomes that till's sale (editable like one rung up there,
    and shown on that till's customer display)."""
    caller.require_staff(action="take up a parked sale or a kiosk basket")
    cart = get_cart(session, cart_id, caller=caller, lock=True)
    expire_if_due(session, cart)
    handed_off = cart.status == CartStatus.HANDED_OFF
    if handed_off:
        cart.status, cart.handoff_code = CartStatus.OPEN, None
    _open(cart)
    if not (cart.parked or handed_off):
        raise Conflict("That sale is not parked (another till may have recalled it).",
                       code="cart_not_parked")
    cart.parked, cart.device_id = False, caller.device_id
    _updated(session, cart)
    return cart


def parked(session: Session, *, caller: Caller) -> list[Cart]:
    carts = list(session.scalars(select(Cart).where(
        Cart.store_code == caller.store_code, Cart.parked.is_(True),
        Cart.status == CartStatus.OPEN).order_by(Cart.updated_at)))
    for cart in carts:
        expire_if_due(session, cart)
    return [c for c in carts if c.status == CartStatus.OPEN]


def abandon(session: Session, *, caller: Caller, cart_id: str) -> Cart:
    cart = get_cart(session, cart_id, caller=caller, lock=True)
    if cart.status in (CartStatus.OPEN, CartStatus.HANDED_OFF):
        stock.release_owner(session, "cart", cart.id)
        cart.status = CartStatus.ABANDONED
        emit(session, "cart.abandoned", store=cart.store_code, subject=cart.id,
             cart_id=cart.id, device_id=cart.device_id)
    return cart


_products = cast(Table, Product.__table__)
_PRICES = (select(_products.c.sku, _products.c.name, _products.c.price_cents,
                  _products.c.vat_rate_bp)
           .where(_products.c.sku.in_(bindparam("skus", expanding=True))))


def priced_lines(session: Session, lines: list[tuple[str, int, int, int]]) -> list[PricedLine]:
    """``(sku, qty, discount_percent, discount_cents)`` at today's catalog price."""
    # Columns of the table, in a statement built once: every order and a long
    # basket's every answer price all their lines.
    products = {p.sku: p for p in session.execute(_PRICES, {"skus": [sku for sku, *_ in lines]})}
    priced = []
    for sku, qty, percent, amount in lines:
        product = products.get(sku)
        if product is None:
            raise NotFound(f"There is no product with code {sku!r}.", code="product_not_found")
        priced.append(_priced(product, qty, percent, amount))
    return priced


def _priced(product: Product | Row[str, str, int, int], qty: int, percent: int,
            amount: int) -> PricedLine:
    return PricedLine(
        sku=product.sku, name=product.name, qty=qty, unit_price_cents=product.price_cents,
        vat_rate_bp=product.vat_rate_bp,
        discount_cents=line_discount(product.price_cents * qty, percent, amount))


def set_customer(session: Session, *, caller: Caller, cart_id: str,
                 customer_id: int | None) -> Cart:
    """Attach the customer to the basket itself, so the loyalty figures reach the
    customer display and the order made from the basket."""
    caller.require_staff(action="attach a customer to a sale")
    cart = get_cart(session, cart_id, caller=caller, lock=True)
    _open(cart)
    if customer_id is not None and session.get(Customer, customer_id) is None:
        raise NotFound("That customer does not exist.", code="customer_not_found")
    cart.customer_id = customer_id
    _updated(session, cart)
    return cart


def _points_to_earn(session: Session, customer_id: int, total_cents: int,
                    settings: CoreSettings | None) -> int | None:
    if settings is None:
        return None
    return loyalty.estimate(session, customer_id=customer_id, total_cents=total_cents,
                            points_per_euro=settings.loyalty_points_per_euro)


def _line_out(line: CartLine, priced: PricedLine, shortfall: int) -> CartLineOut:
    return CartLineOut(sku=priced.sku, name=priced.name, qty=priced.qty,
                       unit_price_cents=priced.unit_price_cents,
                       discount_cents=priced.discount_cents, total_cents=priced.total_cents,
                       vat_rate_bp=priced.vat_rate_bp, discount_percent=line.discount_percent,
                       discount_amount_cents=line.discount_cents, shortfall=shortfall)


_UNDISCOUNTED = and_(CartLine.discount_percent == 0, CartLine.discount_cents == 0)


def _total_and_tax(session: Session, cart_id: str) -> tuple[int, int, int]:
    """A basket's total, tax and number of lines, without reading its lines: one row
    per VAT rate for the lines without a discount, one per discounted line (its
    discount is rounded on its own), summed in SQL."""
    parts = session.execute(
        select(func.sum(Product.price_cents * CartLine.qty), Product.vat_rate_bp,
               CartLine.discount_percent, CartLine.discount_cents, func.count())
        .join(Product, Product.sku == CartLine.sku)
        .where(CartLine.cart_id == cart_id)
        .group_by(Product.vat_rate_bp, CartLine.discount_percent, CartLine.discount_cents,
                  case((_UNDISCOUNTED, 0), else_=CartLine.id))).all()
    total, tax = total_and_tax([(int(gross), rate, percent, amount)
                                for gross, rate, percent, amount, _ in parts])
    return total, tax, sum(count for *_, count in parts)


def line_change_out(session: Session, changed: LineSet,
                    settings: CoreSettings | None = None) -> CartLineChange:
    """The answer to one line change, asked for with ``?answer=line``: that line and
    the basket's totals, at the cost of a 1-line basket's answer however long the
    basket is (no other line read, priced or sent)."""
    cart, line, sku = changed.cart, changed.line, changed.product.sku
    total, tax, count = _total_and_tax(session, cart.id)
    out = None
    if line is not None:
        priced = _priced(changed.product, line.qty, line.discount_percent, line.discount_cents)
        shortfall = stock.shortfalls_of(session, "cart", cart.id, sku=sku)
        out = _line_out(line, priced, shortfall.get(sku, 0))
    return CartLineChange(
        id=cart.id, sku=sku, line=out, line_count=count, total_cents=total, tax_cents=tax,
        expires_at=cart.expires_at,
        points_to_earn=_points_to_earn(session, cart.customer_id, total, settings)
        if cart.customer_id else None)


def cart_out(session: Session, cart: Cart, settings: CoreSettings | None = None) -> CartOut:
    priced = priced_lines(session, [(x.sku, x.qty, x.discount_percent, x.discount_cents)
                                    for x in cart.lines])
    summary = totals(priced)
    shortfall = stock.shortfalls_of(session, "cart", cart.id)
    customer = session.get(Customer, cart.customer_id) if cart.customer_id else None
    balance = earn = None
    if customer is not None:
        balance = loyalty.balance(session, customer.id)
        earn = _points_to_earn(session, customer.id, summary.total_cents, settings)
    return CartOut(
        id=cart.id, channel=Channel(cart.channel), store=cart.store_code,
        status=CartStatus(cart.status), parked=cart.parked, label=cart.label,
        customer_id=cart.customer_id,
        lines=[_line_out(x, p, shortfall.get(x.sku, 0))
               for x, p in zip(cart.lines, priced, strict=True)],
        total_cents=summary.total_cents, tax_cents=summary.tax_cents,
        expires_at=cart.expires_at, handoff_code=cart.handoff_code,
        customer_name=mask_name(customer.first_name, customer.last_name) if customer else None,
        points_balance=balance, points_to_earn=earn,
    )
