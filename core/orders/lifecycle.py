"""What happens to an order after it is placed: picking, shipping, pickup
hand-over, check-in, cancellation and the sweep of what was left waiting.

Every state change is a conditional update of the order row (locked first),
so a pickup code redeemed at two tills at once is handed over once.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import signing
from core.caller import Caller
from core.carts.models import Cart
from core.customers.models import Customer
from core.events.service import emit
from core.orders.models import Order
from core.orders.service import get_order, record_status, settle
from core.payments import refunds
from core.payments import service as payments
from core.problems import Conflict, Forbidden, InvalidInput, NotFound
from core.settings import CoreSettings
from core.stock import reservations, transfers
from core.stock import service as stock
from core.stock.models import Reservation
from core.timeutil import utcnow
from shared.codes import CodeKind
from shared.schemas.enums import CartStatus, Fulfilment, OrderStatus
from shared.schemas.orders import Collect, Pick

S, F = OrderStatus, Fulfilment
LEGAL: dict[tuple[OrderStatus, OrderStatus], frozenset[Fulfilment]] = {
    (S.PENDING_PAYMENT, S.PICKING): frozenset({F.PICKUP, F.SHIP_TO_STORE}),
    (S.PENDING_PAYMENT, S.CANCELLED): frozenset(F),
    (S.PAID, S.PICKING): frozenset({F.PICKUP, F.SHIP_TO_STORE, F.DELIVERY}),
    (S.PAID, S.CANCELLED): frozenset({F.PICKUP, F.SHIP_TO_STORE, F.DELIVERY}),
    (S.PICKING, S.READY_FOR_PICKUP): frozenset({F.PICKUP}),
    (S.PICKING, S.SHIPPED): frozenset({F.SHIP_TO_STORE, F.DELIVERY}),
    (S.PICKING, S.CANCELLED): frozenset({F.PICKUP, F.SHIP_TO_STORE, F.DELIVERY}),
    (S.SHIPPED, S.DELIVERED): frozenset({F.DELIVERY}),
    (S.SHIPPED, S.READY_FOR_PICKUP): frozenset({F.SHIP_TO_STORE}),
    (S.READY_FOR_PICKUP, S.CANCELLED): frozenset({F.PICKUP, F.SHIP_TO_STORE}),
}
"""Transitions the ``transitions`` endpoint makes. ``paid``, ``completed`` and
``collected`` are reached only by paying and by handing over."""

HUMAN = {
    S.PENDING_PAYMENT: "waiting for payment", S.PAID: "paid", S.PICKING: "being picked",
    S.READY_FOR_PICKUP: "ready for pickup", S.COLLECTED: "collected", S.SHIPPED: "shipped",
    S.DELIVERED: "delivered", S.COMPLETED: "completed", S.CANCELLED: "cancelled",
}


def transition(session: Session, *, caller: Caller, number: str, to: OrderStatus, note: str
               ) -> Order:
    """Move an order on. A cancellation gives the money back: its card parts are
    written down to ask of the terminal after the commit (:mod:`core.payments.refunds`)."""
    order = get_order(session, number, lock=True)
    current, fulfilment = OrderStatus(order.status), Fulfilment(order.fulfilment)
    if fulfilment not in LEGAL.get((current, to), frozenset()):
        via = {S.PAID: " (it becomes paid when paid in full)",
               S.COLLECTED: " (hand it over with the pickup code)",
               S.COMPLETED: " (a till sale completes when paid)"}.get(to, "")
        raise Conflict(
            f"Order {order.number} is {HUMAN[current]}; it cannot become {HUMAN[to]}{via}.",
            code="illegal_transition", current=current.value, requested=to.value,
        )
    _check_store(caller, order)
    if to is S.CANCELLED:
        cancel(session, order=order, caller=caller, reason=note or "cancelled")
        return order
    if to is S.SHIPPED:
        _ship(session, order)
    if to is S.READY_FOR_PICKUP:
        if fulfilment is F.SHIP_TO_STORE:
            _arrive(session, order)
        order.ready_at = utcnow()
    record_status(session, order, to, caller=caller, note=note)
    return order


def _check_store(caller: Caller, order: Order) -> None:
    stores = {order.store_code, order.pickup_store_code}
    stores |= {line.source_location for line in order.lines}
    if caller.store_code and caller.store_code not in stores:
        raise Forbidden(f"Order {order.number} is handled by another store.",
                        code="other_store")


def _ship(session: Session, order: Order) -> None:
    """Goods leave their source: to the shopper's door, or to the pickup store."""
    if order.fulfilment == F.DELIVERY:
        for line in order.lines:
            line.qty_collected = line.qty - line.qty_cancelled
    moves = []
    for reservation in stock.reservations_of(session, "order", order.number):
        moves.append((reservation.location_code, reservation.sku, reservation.qty))
        stock.consume(session, reservation.id, reason="shipped", reference=order.number)
    if order.fulfilment == F.SHIP_TO_STORE:
        transfers.send_for_order(session, order_number=order.number,
                                 target=order.pickup_store_code or order.store_code, moves=moves)


def _arrive(session: Session, order: Order) -> None:
    """Ship-to-store goods arrive: into the store's stock, reserved for the order."""
    transfers.arrive_for_order(session, order_number=order.number)
    for line in order.lines:
        line.source_location = order.pickup_store_code or line.source_location


def cancel(session: Session, *, order: Order, caller: Caller | None, reason: str) -> None:
    stock.release_owner(session, "order", order.number)
    given = refunds.give_back(session, order=order, caller=caller, source=order.number,
                              reason=reason)
    refunds.announce_order_refund(session, order=order, amount=sum(p for _, p in given),
                                  reason=reason, caller=caller)
    for line in order.lines:
        line.qty_cancelled = line.qty - line.qty_collected
    record_status(session, order, S.CANCELLED, caller=caller, note=reason)


def pick(session: Session, *, caller: Caller, number: str, body: Pick) -> Order:
    order = get_order(session, number, lock=True)
    _check_store(caller, order)
    if order.status not in (S.PICKING, S.PAID, S.PENDING_PAYMENT):
        raise Conflict(f"Order {order.number} is {HUMAN[S(order.status)]}; nothing to pick.",
                       code="illegal_transition", current=order.status)
    lines = {line.line_no: line for line in order.lines}
    for item in body.lines:
        line = lines.get(item.line_no)
        if line is None:
            raise InvalidInput(f"Order {order.number} has no line {item.line_no}.")
        if item.qty > line.qty:
            raise InvalidInput(f"Line {item.line_no} has only {line.qty} to pick.")
        line.qty_picked = item.qty
    emit(session, "order.picked", store=order.pickup_store_code, subject=order.number,
         order=order.number)
    return order


def _verify_pickup(session: Session, *, caller: Caller, order: Order, body: Collect,
                   settings: CoreSettings) -> None:
    if body.code:
        signing.named_by(settings.resolved_secret, body.code, CodeKind.ORDER_PICKUP,
                         expected=order.number,
                         refusal="That pickup code does not belong to this order.")
        return
    customer = session.get(Customer, order.customer_id) if order.customer_id else None
    names = {n.lower() for n in (customer.last_name if customer else None,
                                 (order.contact_name or "").split(" ")[-1]) if n}
    if not body.last_name or body.last_name.lower() not in names:
        raise InvalidInput("The name does not match the order; ask for the pickup code or ID.",
                           code="name_mismatch")


def collect(session: Session, *, caller: Caller, number: str, body: Collect,
            settings: CoreSettings) -> Order:
    """Hand over a pickup order (or part of it) to the shopper at this store."""
    order = get_order(session, number, lock=True)
    if order.pickup_store_code != caller.store_code:
        raise Forbidden(f"Order {order.number} is collected at {order.pickup_store_code}.",
                        code="other_store")
    if order.status == S.COLLECTED:
        raise Conflict(f"Order {order.number} was already collected.", code="already_collected")
    if order.status != S.READY_FOR_PICKUP:
        raise Conflict(f"Order {order.number} is {HUMAN[S(order.status)]}, not ready for pickup.",
                       code="not_ready", current=order.status)
    _verify_pickup(session, caller=caller, order=order, body=body, settings=settings)
    due = order.total_cents - payments.paid_cents(payments.payments_of(session, order))
    if due > 0:
        raise Conflict(f"{due / 100:.2f} is still due on order {order.number}; take payment "
                       "before handing over.", code="payment_due", due_cents=due)
    lines = {line.line_no: line for line in order.lines}
    wanted = {item.line_no: item.qty for item in body.lines} if body.lines is not None else {
        n: line.qty - line.qty_collected - line.qty_cancelled for n, line in lines.items()}
    reservations = {r.sku: r for r in stock.reservations_of(session, "order", order.number)}
    for line_no, qty in wanted.items():
        line = lines.get(line_no)
        if line is None:
            raise InvalidInput(f"Order {order.number} has no line {line_no}.")
        left = line.qty - line.qty_collected - line.qty_cancelled
        if qty > left:
            raise InvalidInput(f"Line {line_no} has only {left} left to collect.")
        if qty == 0:
            continue
        reservation = reservations.get(line.sku)
        if reservation is None:
            raise Conflict(f"No stock is held for line {line_no}.", code="not_reserved")
        stock.consume(session, reservation.id, qty=qty, reason="collected",
                      reference=order.number)
        reservations = {r.sku: r for r in stock.reservations_of(session, "order", order.number)}
        line.qty_collected += qty
    remaining = sum(line.qty - line.qty_collected - line.qty_cancelled for line in order.lines)
    if remaining and body.cancel_rest:
        refund = sum(
            (line.total_cents * (line.qty - line.qty_collected - line.qty_cancelled)) // line.qty
            for line in order.lines)
        for line in order.lines:
            line.qty_cancelled = line.qty - line.qty_collected
        stock.release_owner(session, "order", order.number)
        refunds.give_back(session, order=order, amount=refund, caller=caller,
                          source=order.number, reason="lines not collected")
        refunds.announce_order_refund(session, order=order, amount=refund,
                                      reason="lines not collected", caller=caller)
        remaining = 0
    emit(session, "order.handed_over", store=order.pickup_store_code, subject=order.number,
         order=order.number, remaining_units=remaining)
    if remaining == 0:
        record_status(session, order, S.COLLECTED, caller=caller)
    return order


def check_in(session: Session, *, caller: Caller, code: str | None, number: str | None,
             last_name: str | None, settings: CoreSettings) -> Order:
    """A shopper arrived for a pickup; the till's queue is told through an event."""
    if code:
        named = signing.named_by(settings.resolved_secret, code, CodeKind.ORDER_PICKUP,
                                 refusal="That pickup code is not valid.")
        order = get_order(session, named, lock=True)
    elif number and last_name:
        try:
            order = get_order(session, number, lock=True)
        except NotFound as exc:
            raise InvalidInput("We could not find an order with that number and name.",
                               code="invalid_code") from exc
        _verify_pickup(session, caller=caller, order=order,
                       body=Collect(last_name=last_name), settings=settings)
    else:
        raise InvalidInput("Scan your pickup code, or give the order number and your surname.")
    if order.fulfilment not in (F.PICKUP, F.SHIP_TO_STORE):
        raise Conflict(f"Order {order.number} is not a pickup order.", code="not_pickup")
    if caller.store_code and order.pickup_store_code != caller.store_code:
        return order  # the view tells the shopper where to go instead
    if order.status not in (S.COLLECTED, S.CANCELLED):
        order.checked_in_at = utcnow()
        emit(session, "order.checked_in", store=order.pickup_store_code, subject=order.number,
             order=order.number, status=order.status)
    return order


def sweep(session: Session, *, settings: CoreSettings) -> dict[str, int]:
    """Release what waited too long: expired baskets, unpaid till sales, uncollected pickups.

    A till sale with any approved payment is never cancelled here: the sweep has
    no drawer to give cash back from and no till session to record it in, so the
    money would be marked refunded while the Z report still counts it as taken.
    It keeps its goods (no expiry) until a person at a till completes or cancels it.
    """
    released = 0
    for reservation_id in stock.expired_reservations(session):
        reservation = session.get(Reservation, reservation_id)
        if reservation is None:
            continue
        owner_kind, owner_id = reservation.owner_kind, reservation.owner_id
        order = None
        if owner_kind == "order":
            # Locked like a payment locks it, so a payment taken meanwhile is seen.
            order = session.scalar(select(Order).where(Order.number == owner_id)
                                   .with_for_update())
            if order is not None and order.status == S.PENDING_PAYMENT and \
                    payments.has_approved(payments.payments_of(session, order)):
                reservations.hold_until(session, "order", owner_id, None)
                continue
        released += stock.release(session, reservation_id)
        if owner_kind == "cart":
            cart = session.get(Cart, owner_id)
            if cart is not None and cart.status in (CartStatus.OPEN, CartStatus.HANDED_OFF):
                cart.status = CartStatus.EXPIRED
                emit(session, "cart.expired", store=cart.store_code, subject=cart.id)
        elif order is not None and order.status == S.PENDING_PAYMENT:
            cancel(session, order=order, caller=None, reason="not paid in time")
    deadline = utcnow() - timedelta(days=settings.pickup_hold_days)
    stale = list(session.scalars(select(Order).where(
        Order.status == S.READY_FOR_PICKUP, Order.ready_at <= deadline)))
    for order in stale:
        cancel(session, order=order, caller=None,
               reason=f"not collected within {settings.pickup_hold_days} days")
    return {"released_units": released, "cancelled_pickups": len(stale)}


__all__ = ["LEGAL", "cancel", "check_in", "collect", "pick", "settle", "sweep", "transition"]
