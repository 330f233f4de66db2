"""From the event log to planned mails: which events ask for one, to whom, in
which language, and whether the customer lets us.

Each run reads the events after the cursor, records a delivery (``pending``, or
``skipped`` with the reason) for each that asks for a mail, and moves the cursor,
all in one transaction: a crash leaves either all of it or none, so a restart
neither skips an event nor plans one twice (and ``(event_seq, kind)`` is unique
besides). The cursor row is locked, so two mailers cannot plan the same events.

Who gets what:

- ``receipt``: on ``order.receipt_requested`` (the till asked, after the sale) to the
  order's receipt email; on ``order.paid``, to the order's receipt email or, when the
  customer agreed to e-receipts (``consent_email_receipts``), to theirs. One receipt
  per order and address, however often it is asked for.
- ``pickup_ready``: on ``order.ready_for_pickup``, to the customer's email, else the
  order's contact email (a guest's web order).
- ``refund``: on ``return.refunded``, to the customer of the returned order, else its
  contact or receipt email. A return without its order names nobody: no mail.

A customer who asked not to be mailed (``no_mail``) gets none of these; marketing
consent plays no part (they are not marketing).
"""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.customers.models import Customer
from core.events.models import Event
from core.events.service import number_pending
from core.notify.models import MailCursor, MailDelivery
from core.notify.texts import LANGUAGES
from core.orders.models import Order
from core.returns.models import Return

__all__ = ["BATCH", "CURSOR", "TRIGGERS", "plan"]

CURSOR = "mail"
BATCH = 500
"""Events planned per transaction: short write locks, however far behind the mailer is."""
TRIGGERS = {
    "order.paid": "receipt",
    "order.receipt_requested": "receipt",
    "order.ready_for_pickup": "pickup_ready",
    "return.refunded": "refund",
}
LIVE = ("pending", "sending", "sent")


def _language(customer: Customer | None, default: str) -> str:
    wanted = (customer.language or "").lower() if customer else ""
    return wanted if wanted in LANGUAGES else default


def _address(kind: str, event: Event, order: Order, customer: Customer | None) -> str | None:
    if kind == "receipt":
        if event.type == "order.receipt_requested" or order.receipt_email:
            return order.receipt_email
        return customer.email if customer and customer.consent_email_receipts else None
    if kind == "pickup_ready":
        return (customer.email if customer else None) or order.contact_email
    return (customer.email if customer else None) or order.contact_email or order.receipt_email


def _delivery(session: Session, event: Event, kind: str, default_language: str
              ) -> MailDelivery | None:
    """The delivery the event asks for, or None when it asks for nothing."""
    subject = event.subject
    if kind == "refund":
        ret = session.scalar(select(Return).where(Return.number == event.subject))
        order = session.get(Order, ret.order_id) if ret and ret.order_id else None
    else:
        order = session.scalar(select(Order).where(Order.number == event.subject))
    if order is None:
        return None
    customer = session.get(Customer, order.customer_id) if order.customer_id else None
    address = _address(kind, event, order, customer)
    if kind == "receipt" and not address:
        return None  # an ordinary sale nobody asked a mail for
    row = MailDelivery(event_seq=event.seq, kind=kind, order_id=order.id, subject=subject,
                       to_address=address.lower() if address else None,
                       language=_language(customer, default_language), status="pending",
                       attempts=0, error="")
    if customer is not None and customer.no_mail:
        row.status, row.error = "skipped", "the customer asked not to be mailed"
    elif not address:
        row.status, row.error = "skipped", "no email address"
    elif kind == "receipt" and session.scalar(select(MailDelivery.id).where(
            MailDelivery.order_id == order.id, MailDelivery.kind == "receipt",
            MailDelivery.to_address == row.to_address, MailDelivery.status.in_(LIVE))):
        row.status, row.error = "skipped", "this receipt was already mailed to this address"
    return row


def plan(session: Session, engine: Engine, *, default_language: str, batch: int = BATCH
         ) -> int:
    """Plan the mails of up to ``batch`` new events; returns how many events were
    read (``batch``: call again). The first run starts at the end of the log: a
    mailer installed today does not mail last year's customers."""
    number_pending(engine)
    cursor = session.get(MailCursor, CURSOR, with_for_update=True)
    end = session.scalar(select(func.max(Event.seq))) or 0
    if cursor is None:
        session.add(MailCursor(name=CURSOR, seq=end))
        return 0
    events = list(session.scalars(
        select(Event).where(Event.seq > cursor.seq, Event.seq <= end,
                            Event.type.in_(list(TRIGGERS)))
        .order_by(Event.seq).limit(batch)))
    for event in events:
        row = _delivery(session, event, TRIGGERS[event.type], default_language)
        if row is not None:
            session.add(row)
            session.flush()  # the next event's "already mailed" check sees this one
    cursor.seq = events[-1].seq if len(events) == batch else end
    return len(events)
