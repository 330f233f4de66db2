"""Placing an order from any channel, exactly once per idempotency key.

One transaction does everything: number, lines at catalog prices, stock taken
from the right location, payments, events. If any step refuses, nothing of the
order exists. The idempotency key is written with the order row *first*, so a
concurrent replay collides on the unique index before it touches stock.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, insert, inspect, or_, select, update
from sqlalchemy.orm import Session

from core.caller import Caller
from core.carts import service as carts
from core.carts.models import Cart
from core.catalog.service import ONLINE_KINDS
from core.customers.models import Customer
from core.events.service import emit
from core.loyalty import service as loyalty
from core.orders import offline
from core.orders.models import Order, OrderLine, OrderStatusChange
from core.orders.numbers import next_number
from core.payments import service as payments
from core.payments.gateway import PaymentGateway
from core.payments.models import Payment
from core.pricing import PricedLine, apply_promotion, totals
from core.problems import Conflict, Forbidden, InvalidInput, NotFound, OutOfStock, Unauthorized
from core.settings import CoreSettings
from core.stock import reservations
from core.stock import service as stock
from core.stock.models import StockLevel
from core.stores.models import Location
from core.timeutil import utcnow
from shared.schemas.enums import CartStatus, Channel, DeviceKind, Fulfilment, OrderStatus
from shared.schemas.orders import OrderCreate, PaymentIn


def request_hash(body: OrderCreate, caller: Caller) -> str:
    canonical = json.dumps(
        {"device": caller.device_id, "body": body.model_dump(mode="json")}, sort_keys=True
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def scoped_key(device_id: int, key: str) -> str:
    """The key as stored: one device's keys never meet another's, so a replayed or
    guessed key can neither return nor reveal another device's order."""
    return hashlib.sha256(f"{device_id}\x00{key}".encode()).hexdigest()


_orders = cast(Table, Order.__table__)
_BY_KEY = select(_orders.c.id, _orders.c.idempotency_key).where(or_(
    _orders.c.idempotency_key == bindparam("scoped"),
    and_(_orders.c.idempotency_key == bindparam("raw"),
         _orders.c.device_id == bindparam("device"))))


def find_by_key(session: Session, key: str, *, device_id: int) -> Order | None:
    """The order this device placed with this ``Idempotency-Key`` (as sent), under
    its scoped key, or under the raw key it was stored with before keys were scoped."""
    # It runs before every order and almost always finds nothing: one prebuilt query
    # for both keys on the table, and an ORM object only for a replay.
    found = session.execute(_BY_KEY, {"scoped": scoped_key(device_id, key), "raw": key,
                                      "device": device_id}).all()
    if not found:
        return None
    best = next((row for row in found if row.idempotency_key != key), found[0])  # scoped wins
    return session.get(Order, best.id)


def check_replay(order: Order, digest: str) -> Order:
    if order.request_hash != digest:
        raise Conflict(
            "This Idempotency-Key was already used for a different order. Use a new key for "
            "a new order.", code="idempotency_key_reused", order=order.number,
        )
    return order


def get_order(session: Session, number: str, *, lock: bool = False) -> Order:
    stmt = select(Order).where(Order.number == number.upper())
    if lock:
        stmt = stmt.with_for_update()
    order = session.scalar(stmt)
    if order is None:
        raise NotFound(f"There is no order {number}.", code="order_not_found")
    return order


_lines = cast(Table, OrderLine.__table__)
_STATUS_CHANGE = insert(cast(Table, OrderStatusChange.__table__))
_COLLECT_ALL = (update(_lines).where(_lines.c.order_id == bindparam("order"))
                .values(qty_collected=_lines.c.qty))
_ADD_LINES = insert(_lines)


@dataclass(slots=True)
class Placed:
    """A new order and what its transaction wrote for it, kept so that the answer
    is built from memory instead of reading back what was just written."""

    order: Order
    lines: list[OrderLine] = field(default_factory=list)
    """Not in the session (written with one INSERT): their values as written."""
    payments: list[Payment] = field(default_factory=list)
    timeline: list[OrderStatusChange] = field(default_factory=list)
    """Not in the session either, in the order written."""


def _status_row(session: Session, order: Order, status: OrderStatus, *, caller: Caller | None,
                note: str, at: datetime, write: bool = True) -> OrderStatusChange:
    """``write=False``: the caller writes it (a new order writes its timeline in one go)."""
    values: dict[str, Any] = {
        "order_id": order.id, "status": status.value, "note": note, "at": at,
        "device_id": caller.device_id if caller else None,
        "staff_id": caller.staff.staff_id if caller and caller.staff else None}
    if write:
        session.execute(_STATUS_CHANGE, values)  # on the table: no ORM unit of work
    event_store = order.pickup_store_code or order.store_code
    emit(session, f"order.{status.value}", store=event_store, subject=order.number,
         order=order.number, status=status.value, channel=order.channel,
         fulfilment=order.fulfilment, total_cents=order.total_cents,
         device_id=order.device_id, cart_id=order.cart_id)
    return OrderStatusChange(**values)


def record_status(session: Session, order: Order, status: OrderStatus, *, caller: Caller | None,
                  note: str = "", placed: Placed | None = None) -> None:
    now = utcnow()
    order.status = status
    order.updated_at = now
    change = _status_row(session, order, status, caller=caller, note=note, at=now,
                         write=placed is None)
    if placed is not None:
        placed.timeline.append(change)


_locations = cast(Table, Location.__table__)
_ONLINE_SOURCES = select(_locations.c.code, _locations.c.kind, _locations.c.lat,
                         _locations.c.lon).where(_locations.c.kind.in_(ONLINE_KINDS))


def _sources(session: Session, *, exclude: str | None, near: Location | None) -> list[str]:
    """Where the web and endless aisle ship from: warehouses first, then our stores
    nearest to the destination (codes: every web order asks, objects cost more)."""
    locations = [loc for loc in session.execute(_ONLINE_SOURCES) if loc.code != exclude]

    def key(loc: Any) -> tuple[int, float, str]:  # a row of _ONLINE_SOURCES
        distance = ((loc.lat - near.lat) ** 2 + (loc.lon - near.lon) ** 2) if near else 0.0
        return (0 if loc.kind == "warehouse" else 1, distance, loc.code)

    return [loc.code for loc in sorted(locations, key=key)]


def _take_from_first(session: Session, sku: str, qty: int, candidates: list[str]) -> str:
    """Reserve at the first candidate that has ``qty`` free: the same conditional
    update that reserves is the check, so there is no read before it."""
    for code in candidates:
        if reservations.try_take(session, code, sku, qty):
            return code
    raise OutOfStock(f"{sku}: {qty} cannot be supplied from any location right now.",
                     sku=sku, requested=qty)


def _customer(session: Session, body: OrderCreate) -> Customer | None:
    if body.customer_id is not None:
        customer = session.get(Customer, body.customer_id)
        if customer is None:
            raise NotFound("That customer does not exist.", code="customer_not_found")
        return customer
    if body.contact and body.contact.email:
        # Most web orders come from people who are not customers: a prebuilt query on
        # the table, and an ORM object only when somebody is found.
        found = session.scalar(_CUSTOMER_BY_EMAIL, {"email": body.contact.email.lower()})
        return session.get(Customer, found) if found is not None else None
    return None


_customers = cast(Table, Customer.__table__)
_CUSTOMER_BY_EMAIL = select(_customers.c.id).where(_customers.c.email == bindparam("email"))


def _validate(caller: Caller, body: OrderCreate, channel: Channel) -> None:
    if body.fulfilment is Fulfilment.CARRY_OUT and caller.device_kind is not DeviceKind.POS:
        raise InvalidInput("Goods are carried out only through a till; choose pickup or "
                           "delivery.", code="carry_out_at_till_only")
    if caller.device_kind is DeviceKind.POS and caller.staff is None:
        raise Unauthorized("Sign in with your staff PIN to sell.", code="staff_required")
    if body.offline:
        offline.check_tenders(body)
    if body.payments and caller.device_kind is DeviceKind.KIOSK:
        raise Forbidden("A kiosk takes no payments; pay at a till or on pickup.",
                        code="tender_not_allowed")
    if any(line.discount_percent or line.discount_cents for line in body.lines) \
            and caller.staff is None:
        raise Forbidden("Only staff at a till can give discounts.", code="discount_not_allowed")
    if channel in (Channel.WEB, Channel.APP, Channel.KIOSK) and body.fulfilment is not \
            Fulfilment.CARRY_OUT and not (body.contact and (body.contact.email or
                                                            body.contact.phone)) \
            and body.customer_id is None:
        raise InvalidInput("Give an email or phone number so we can tell you when the order "
                           "is ready.", code="contact_required")
    carts.refuse_customer_id(caller, body.customer_id)


def place_order(
    session: Session, *, caller: Caller, body: OrderCreate, key: str, digest: str,
    settings: CoreSettings, gateway: PaymentGateway, payments_now: list[PaymentIn] | None = None,
) -> Order:
    """``payments_now``: the payments to take in this transaction (all by default; the
    route leaves cards to :mod:`core.orders.paying`, after the commit)."""
    return place(session, caller=caller, body=body, key=key, digest=digest, settings=settings,
                 gateway=gateway, payments_now=payments_now).order


def place(
    session: Session, *, caller: Caller, body: OrderCreate, key: str, digest: str,
    settings: CoreSettings, gateway: PaymentGateway, payments_now: list[PaymentIn] | None = None,
) -> Placed:
    """:func:`place_order`, with what was written for the answer."""
    channel = carts.channel_of(caller, body.channel)
    _validate(caller, body, channel)
    cart: Cart | None = None
    if body.cart_id:
        cart = carts.get_cart(session, body.cart_id, caller=caller, lock=True)
        carts.expire_if_due(session, cart)
        if cart.status not in (CartStatus.OPEN, CartStatus.HANDED_OFF):
            raise Conflict("This basket can no longer be ordered (it expired or was paid).",
                           code=f"cart_{cart.status}")
        if not cart.lines:
            raise Conflict("The basket is empty.", code="cart_empty")
        wanted = [(x.sku, x.qty, x.discount_percent, x.discount_cents) for x in cart.lines]
    else:
        merged: dict[str, list[int]] = {}
        for line in body.lines:
            entry = merged.setdefault(line.sku, [0, line.discount_percent, 0])
            entry[0] += line.qty
            entry[2] += line.discount_cents
        wanted = [(sku, q, pct, amt) for sku, (q, pct, amt) in merged.items()]

    pickup_store = None
    if body.fulfilment in (Fulfilment.PICKUP, Fulfilment.SHIP_TO_STORE):
        assert body.pickup_store
        destination = stock.get_location(session, body.pickup_store)
        if not destination.has_till:
            raise InvalidInput(f"{destination.name} is a warehouse; choose a store for pickup.")
        pickup_store = destination.code
    customer = _customer(session, body)
    if customer is None and cart is not None and cart.customer_id is not None:
        customer = session.get(Customer, cart.customer_id)
    # Priced before the order row is written (a read, nothing taken yet), so the row
    # goes in once with its totals instead of an INSERT and an UPDATE.
    priced: list[PricedLine] = carts.priced_lines(session, wanted)
    if cart is None:  # a basket's discounts were authorised line by line as they were given
        for priced_line in priced:
            if priced_line.discount_cents:
                carts.authorise_discount(caller, priced_line.gross_cents,
                                         priced_line.discount_cents)
    promotion = apply_promotion(priced, body.promotion)
    summary = totals(priced)
    prefix = {Channel.WEB: "W", Channel.APP: "A"}.get(channel, caller.store_code or "W")
    now = utcnow()
    order = Order(
        number=next_number(session, prefix), channel=channel,
        store_code=caller.store_code or pickup_store or "WH01", fulfilment=body.fulfilment,
        pickup_store_code=pickup_store, customer_id=customer.id if customer else None,
        status=OrderStatus.PENDING_PAYMENT, idempotency_key=key, request_hash=digest,
        cart_id=cart.id if cart else None, device_id=caller.device_id,
        staff_id=caller.staff.staff_id if caller.staff else None, offline=body.offline,
        contact_name=body.contact.name if body.contact else None,
        contact_email=str(body.contact.email).lower() if body.contact and body.contact.email
        else (customer.email if customer else None),
        contact_phone=body.contact.phone if body.contact else None,
        delivery_address=body.delivery_address,
        receipt_email=str(body.receipt_email) if body.receipt_email else None,
        offline_number=body.offline_number,
        subtotal_cents=summary.subtotal_cents, discount_cents=summary.discount_cents,
        total_cents=summary.total_cents, tax_cents=summary.tax_cents,
        tax_breakdown=summary.breakdown, promotion=promotion.code if promotion else None,
        created_at=now, updated_at=now,
    )
    session.add(order)
    session.flush()  # the idempotency key hits the unique index here, before any stock
    placed = Placed(order)
    if body.offline:
        offline.close_replaced_cart(session, order=order, caller=caller,
                                    cart_id=body.replaces_cart)

    sources = _reserve_for(session, order=order, caller=caller, cart=cart, priced=priced,
                           settings=settings)
    rows = [{
        "order_id": order.id, "line_no": number, "sku": sold.sku, "name": sold.name,
        "qty": sold.qty, "unit_price_cents": sold.unit_price_cents,
        "discount_cents": sold.discount_cents, "promo_discount_cents": sold.promo_discount_cents,
        "total_cents": sold.total_cents, "vat_rate_bp": sold.vat_rate_bp,
        "tax_cents": sold.tax_cents, "source_location": sources[sold.sku], "qty_picked": 0,
        "qty_collected": 0, "qty_cancelled": 0, "qty_returned": 0, "points_earned": 0,
    } for number, sold in enumerate(priced, start=1)]
    session.execute(_ADD_LINES, rows)  # one INSERT for every line
    placed.lines = [OrderLine(**row) for row in rows]
    if cart is not None:
        cart.status = CartStatus.CHECKED_OUT
    emit(session, "order.created", store=order.pickup_store_code or order.store_code,
         subject=order.number, order=order.number, channel=channel.value,
         fulfilment=order.fulfilment, total_cents=order.total_cents,
         device_id=order.device_id, cart_id=order.cart_id)
    placed.timeline.append(_status_row(session, order, OrderStatus.PENDING_PAYMENT,
                                       caller=caller, note="", at=now, write=False))
    for payment in body.payments if payments_now is None else payments_now:
        due = order.total_cents - payments.paid_cents(placed.payments)
        if due <= 0:
            break
        placed.payments.append(payments.take_payment(
            session, order=order, payment=payment, device_kind=caller.device_kind,
            gateway=gateway, due_cents=due, caller=caller))
    settle(session, order=order, caller=caller, points_per_euro=settings.loyalty_points_per_euro,
           placed=placed)
    session.execute(_STATUS_CHANGE, [{column: getattr(change, column) for column in _TIMELINE}
                                     for change in placed.timeline])
    session.flush()
    return placed


_TIMELINE = ("order_id", "status", "note", "at", "device_id", "staff_id")


def _reserve_for(session: Session, *, order: Order, caller: Caller, cart: Cart | None,
                 priced: list[PricedLine], settings: CoreSettings) -> dict[str, str]:
    """Take the stock for each line; returns the source location per SKU."""
    owner = order.number
    lines = [(line.sku, line.qty) for line in priced]
    fulfilment = Fulfilment(order.fulfilment)
    if fulfilment is Fulfilment.CARRY_OUT:
        here = caller.store_code
        assert here
        expires = utcnow() + timedelta(minutes=settings.cart_reservation_minutes)
        if cart is not None and cart.store_code == here:
            reservations.hand_over(session, from_kind="cart", from_id=cart.id, to_kind="order",
                                   to_id=owner, expires_at=expires)
        else:
            if cart is not None:
                stock.release_owner(session, "cart", cart.id)
            reservations.hold_in_hand(session, here, lines, owner_kind="order", owner_id=owner,
                                      expires_at=expires,
                                      staff_id=caller.staff.staff_id if caller.staff else None)
        return {sku: here for sku, _ in lines}
    destination = session.get(Location, order.pickup_store_code) if order.pickup_store_code \
        else None
    if fulfilment is Fulfilment.PICKUP:
        assert destination is not None
        if cart is not None and cart.store_code == destination.code:
            reservations.hand_over(session, from_kind="cart", from_id=cart.id, to_kind="order",
                                   to_id=owner, expires_at=None)
        else:
            if cart is not None:
                stock.release_owner(session, "cart", cart.id)
            reservations.take_lines(session, destination.code, lines, owner_kind="order",
                                    owner_id=owner, expires_at=None)
        return {sku: destination.code for sku, _ in lines}
    if cart is not None:
        stock.release_owner(session, "cart", cart.id)
    candidates = _sources(session, exclude=destination.code if destination else None,
                          near=destination)
    sources = {sku: _take_from_first(session, sku, qty, candidates) for sku, qty in sorted(lines)}
    reservations.add_reservations(session, [(sources[sku], sku, qty) for sku, qty in lines],
                                  owner_kind="order", owner_id=owner, expires_at=None)
    return sources


def settle(session: Session, *, order: Order, caller: Caller | None,
           points_per_euro: int = 0, placed: Placed | None = None) -> None:
    """Move a fully paid order on: a till sale completes and its goods leave (and
    goods sold from the shopper's hand correct the count, in this transaction).

    A part-paid order keeps its goods with no expiry: money was taken for it, so
    only a person at a till may cancel it (and give the money back), never the
    sweep. ``placed``: the order was placed in this transaction; its payments are
    those, not read again.
    """
    if order.status != OrderStatus.PENDING_PAYMENT:
        return
    if placed is None:
        session.flush()  # what the caller added (a payment) is read below
    with session.no_autoflush:  # the order's new status is written once, at the end
        _settle(session, order=order, caller=caller, points_per_euro=points_per_euro,
                placed=placed)


def _settle(session: Session, *, order: Order, caller: Caller | None, points_per_euro: int,
            placed: Placed | None) -> None:
    rows = placed.payments if placed is not None else payments.payments_of(session, order)
    due = order.total_cents - payments.paid_cents(rows)
    if due > 0:
        if payments.has_approved(rows):
            _hold_without_expiry(session, order)
        return
    record_status(session, order, OrderStatus.PAID, caller=caller, placed=placed)
    loyalty.earn_for_order(session, order=order, points_per_euro=points_per_euro)
    if order.fulfilment == Fulfilment.CARRY_OUT:
        staff_id = caller.staff.staff_id if caller and caller.staff else None
        reservations.consume_all(session, "order", order.number, reference=order.number,
                                 staff_id=staff_id)
        if "lines" in inspect(order).unloaded:  # nobody read them: one UPDATE, no SELECT
            session.execute(_COLLECT_ALL, {"order": order.id})
            for line in placed.lines if placed is not None else ():
                line.qty_collected = line.qty
        else:
            for line in order.lines:
                line.qty_collected = line.qty
        record_status(session, order, OrderStatus.COMPLETED, caller=caller, placed=placed)
    else:
        # Paid orders keep their stock until collected or shipped: no expiry.
        _hold_without_expiry(session, order)


def _hold_without_expiry(session: Session, order: Order) -> None:
    reservations.hold_until(session, "order", order.number, None, only_expiring=True)


def stock_level_out(session: Session, location: str, sku: str) -> StockLevel | None:
    return session.get(StockLevel, (location, sku))
