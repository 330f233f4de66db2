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

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit import service as audit
from core.caller import Caller
from core.carts.models import Cart, CartLine
from core.catalog.models import Product
from core.catalog.service import get_product
from core.customers.models import Customer
from core.events.service import emit
from core.loyalty import service as loyalty
from core.pricing import PricedLine, line_discount, totals
from core.problems import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from core.settings import CoreSettings
from core.stock import reservations
from core.stock import service as stock
from core.timeutil import utcnow
from shared.codes import CodeKind, build_code
from shared.masking import mask_name
from shared.money import percent_of
from shared.schemas.enums import CartStatus, Channel, DeviceKind, Role
from shared.schemas.orders import CartCreate, CartLineOut, CartLineSet, CartOut, Handoff

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


def get_cart(session: Session, cart_id: str, *, caller: Caller, lock: bool = False) -> Cart:
    stmt = select(Cart).where(Cart.id == cart_id)
    if lock:
        stmt = stmt.with_for_update()
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


def set_line(session: Session, *, caller: Caller, cart_id: str, line: CartLineSet,
             minutes: int) -> Cart:
    cart = get_cart(session, cart_id, caller=caller, lock=True)
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
    existing = next((x for x in cart.lines if x.sku == product.sku), None)
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
            cart.lines.append(existing)
        existing.qty = line.qty
        existing.discount_percent = line.discount_percent
        existing.discount_cents = line.discount_cents
    elif existing is not None:
        cart.lines.remove(existing)
        session.delete(existing)
    reservations.hold_until(session, "cart", cart.id, cart.expires_at)
    session.flush()
    _updated(session, cart)
    return cart


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


def priced_lines(session: Session, lines: list[tuple[str, int, int, int]]) -> list[PricedLine]:
    """``(sku, qty, discount_percent, discount_cents)`` at today's catalog price."""
    # Columns, not entities: a long basket's every answer prices all its lines.
    products = {p.sku: p for p in session.execute(
        select(Product.sku, Product.name, Product.price_cents, Product.vat_rate_bp)
        .where(Product.sku.in_([sku for sku, *_ in lines])))}
    priced = []
    for sku, qty, percent, amount in lines:
        product = products.get(sku)
        if product is None:
            raise NotFound(f"There is no product with code {sku!r}.", code="product_not_found")
        priced.append(PricedLine(
            sku=sku, name=product.name, qty=qty, unit_price_cents=product.price_cents,
            vat_rate_bp=product.vat_rate_bp,
            discount_cents=line_discount(product.price_cents * qty, percent, amount),
        ))
    return priced


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


def cart_out(session: Session, cart: Cart, settings: CoreSettings | None = None) -> CartOut:
    priced = priced_lines(session, [(x.sku, x.qty, x.discount_percent, x.discount_cents)
                                    for x in cart.lines])
    summary = totals(priced)
    shortfall = stock.shortfalls_of(session, "cart", cart.id)
    customer = session.get(Customer, cart.customer_id) if cart.customer_id else None
    balance = earn = None
    if customer is not None:
        balance = loyalty.balance(session, customer.id)
        if settings is not None:
            earn = loyalty.estimate(session, customer_id=customer.id,
                                    total_cents=summary.total_cents,
                                    points_per_euro=settings.loyalty_points_per_euro)
    return CartOut(
        id=cart.id, channel=Channel(cart.channel), store=cart.store_code,
        status=CartStatus(cart.status), parked=cart.parked, label=cart.label,
        customer_id=cart.customer_id,
        lines=[CartLineOut(sku=p.sku, name=p.name, qty=p.qty,
                           unit_price_cents=p.unit_price_cents, discount_cents=p.discount_cents,
                           total_cents=p.total_cents, vat_rate_bp=p.vat_rate_bp,
                           discount_percent=x.discount_percent,
                           discount_amount_cents=x.discount_cents,
                           shortfall=shortfall.get(x.sku, 0))
               for x, p in zip(cart.lines, priced, strict=True)],
        total_cents=summary.total_cents, tax_cents=summary.tax_cents,
        expires_at=cart.expires_at, handoff_code=cart.handoff_code,
        customer_name=mask_name(customer.first_name, customer.last_name) if customer else None,
        points_balance=balance, points_to_earn=earn,
    )
