"""What an order looks like to each caller: in full on a till, masked on a kiosk."""

from __future__ import annotations

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from core import signing
from core.caller import Caller
from core.customers.models import Customer
from core.loyalty import service as loyalty
from core.orders.models import Order
from core.orders.service import Placed
from core.payments import refunds
from core.payments import service as payments
from core.receipts.links import receipt_url
from core.settings import CoreSettings
from core.stores.models import Location
from shared.codes import CodeKind
from shared.masking import mask_email, mask_full_name, mask_name
from shared.schemas.enums import DeviceKind, Fulfilment, OrderStatus, Role
from shared.schemas.fiscal import FiscalDocument
from shared.schemas.orders import (
    CheckInResult,
    OrderLineOut,
    OrderOut,
    PaymentOut,
    PickupOut,
    StatusChange,
    TaxLine,
)


def _customer_name(session: Session, order: Order, full: bool) -> str | None:
    customer = session.get(Customer, order.customer_id) if order.customer_id else None
    if customer:
        return (f"{customer.first_name} {customer.last_name}" if full
                else mask_name(customer.first_name, customer.last_name))
    if order.contact_name:
        return order.contact_name if full else mask_full_name(order.contact_name)
    return None


def sees_pii(caller: Caller, order: Order) -> bool:
    """Names, email, phone and address go to staff signed in on a till of the
    order's store (or of its pickup store), or anywhere to a chain-wide role; and
    to the web shop for the orders it placed itself (the shopper's own data). A bare
    till token, a kiosk and the web shop asking about other orders see them masked."""
    if caller.device_kind is DeviceKind.WEB:
        return order.device_id == caller.device_id
    if caller.device_kind is not DeviceKind.POS or caller.staff is None:
        return False
    if caller.staff.role.at_least(Role.MANAGER):
        return True
    return caller.store_code in (order.store_code, order.pickup_store_code)


def order_out(session: Session, order: Order, *, caller: Caller, settings: CoreSettings,
              reveal_code: bool = False, placed: Placed | None = None) -> OrderOut:
    """``reveal_code``: the pickup code goes to the device that placed the order in
    its answer (the kiosk prints it once); otherwise only to callers that see PII,
    so neither a receipt QR nor a kiosk's later look-up hands over a parcel.

    ``placed``: the order was just placed and this is what its transaction wrote;
    the answer takes lines, payments and timeline from it instead of reading them
    back (lines read meanwhile, as earning points does, are the ORM's and win)."""
    full = sees_pii(caller, order)
    rows = placed.payments if placed is not None else payments.payments_of(session, order)
    lines = placed.lines if placed is not None and "lines" in inspect(order).unloaded \
        else order.lines
    timeline = placed.timeline if placed is not None else order.timeline
    paid = payments.paid_cents(rows)
    secret = settings.resolved_secret
    is_pickup = order.fulfilment in (Fulfilment.PICKUP, Fulfilment.SHIP_TO_STORE)
    return OrderOut(
        number=order.number, channel=order.channel, store=order.store_code,
        fulfilment=order.fulfilment, pickup_store=order.pickup_store_code, status=order.status,
        customer_id=order.customer_id if full else None,
        customer_name=_customer_name(session, order, full),
        contact_email=order.contact_email if full else mask_email(order.contact_email),
        contact_phone=order.contact_phone if full else None,
        delivery_address=order.delivery_address if full else None,
        currency=order.currency, subtotal_cents=order.subtotal_cents,
        discount_cents=order.discount_cents, total_cents=order.total_cents,
        tax_cents=order.tax_cents, tax_breakdown=[TaxLine(**t) for t in order.tax_breakdown],
        paid_cents=paid, due_cents=max(0, order.total_cents - paid)
        if order.status != OrderStatus.CANCELLED else 0,
        change_cents=sum(p.change_cents for p in rows if p.status == "approved"),
        promotion=order.promotion,
        lines=[OrderLineOut.model_validate(line) for line in lines],
        payments=[PaymentOut.model_validate(p) for p in rows] if full else [],
        timeline=[StatusChange(status=c.status, at=c.at, note=c.note) for c in timeline],
        pickup_code=signing.signed_code(secret, CodeKind.ORDER_PICKUP, order.number)
        if is_pickup and (full or reveal_code) else None,
        receipt_code=signing.signed_code(secret, CodeKind.RECEIPT, order.number),
        checked_in_at=order.checked_in_at, created_at=order.created_at,
        points_earned=sum(line.points_earned for line in lines),
        # The till that made the sale shows the balance on its customer display
        # (which runs on the till's token, nobody signed in): a number, no identity.
        points_balance=loyalty.balance(session, order.customer_id)
        if order.customer_id and (full or order.device_id == caller.device_id) else None,
        receipt_email=order.receipt_email if full else None,
        refunded_cents=payments.refunded_cents(rows),
        card_refund_pending_cents=refunds.pending_cents(session, order_number=order.number)
        if payments.refunded_cents(rows) else 0,
        offline_number=order.offline_number,
        fiscal_document=fiscal_document(order),
        # The link shows the sale to whoever holds it: staff who see the order in
        # full, and the device that made it (a till's customer display shows it as QR).
        receipt_url=receipt_url(settings.public_url, secret, order.number)
        if full or order.device_id == caller.device_id else None,
    )


def fiscal_document(order: Order) -> FiscalDocument | None:
    """What the till reported its fiscal printer (RT) printed for the sale, if any."""
    if not (order.rt_document_number and order.rt_closure_number and order.rt_serial
            and order.rt_printed_at):
        return None
    return FiscalDocument(document_number=order.rt_document_number,
                          closure_number=order.rt_closure_number, serial=order.rt_serial,
                          printed_at=order.rt_printed_at)


OPEN_SALES_LIMIT = 50


def open_sales(session: Session, *, caller: Caller) -> list[Order]:
    """This till's sales still waiting for payment, newest first: after a sign-out
    or a restart the till takes a part-paid sale up again (or cancels it, giving
    the money back) instead of losing it."""
    return list(session.scalars(select(Order).where(
        Order.device_id == caller.device_id, Order.status == OrderStatus.PENDING_PAYMENT,
    ).order_by(Order.created_at.desc(), Order.id.desc()).limit(OPEN_SALES_LIMIT)))


PICKUP_STATUSES = (OrderStatus.PENDING_PAYMENT, OrderStatus.PAID, OrderStatus.PICKING,
                   OrderStatus.SHIPPED, OrderStatus.READY_FOR_PICKUP)


def pickup_queue(session: Session, *, store: str, status: OrderStatus | None) -> list[PickupOut]:
    statuses = (status,) if status else PICKUP_STATUSES
    orders = session.scalars(select(Order).where(
        Order.pickup_store_code == store, Order.status.in_(statuses)
    ).order_by(Order.created_at))
    result = []
    for order in orders:
        paid = payments.paid_cents(payments.payments_of(session, order))
        result.append(PickupOut(
            number=order.number, status=order.status,
            customer_name=_customer_name(session, order, True), lines=len(order.lines),
            units=sum(line.qty for line in order.lines), total_cents=order.total_cents,
            due_cents=max(0, order.total_cents - paid), created_at=order.created_at,
            ready_at=order.ready_at, checked_in_at=order.checked_in_at,
            fulfilment=order.fulfilment,
        ))
    return result


def check_in_result(session: Session, order: Order, *, caller: Caller) -> CheckInResult:
    store = session.get(Location, order.pickup_store_code) if order.pickup_store_code else None
    paid = payments.paid_cents(payments.payments_of(session, order))
    due = max(0, order.total_cents - paid)
    status = OrderStatus(order.status)
    if store and caller.store_code and store.code != caller.store_code:
        message = f"This order is collected at {store.name}, {store.address}."
    elif status is OrderStatus.READY_FOR_PICKUP:
        message = "Your order is ready. Please go to the click-and-collect desk"
        message += f"; {due / 100:.2f} € is to pay there." if due else "."
    elif status is OrderStatus.COLLECTED:
        message = "This order has already been collected."
    elif status is OrderStatus.CANCELLED:
        message = "This order was cancelled. Please ask at a till."
    else:
        message = "Your order is being prepared. We have told the staff you are here."
    return CheckInResult(
        number=order.number, status=status, pickup_store=order.pickup_store_code,
        pickup_store_name=store.name if store else None,
        customer_name=_customer_name(session, order, False), message=message, due_cents=due,
    )
