"""Giving money back, whatever the tender, and asking the card terminal for it
only once the command has committed.

One loop gives back an amount across an order's approved payments (cards
first, so a card payment never leaves the shop as cash): a return's refund, a
cancelled order, the lines of a pickup nobody collected all use it.

A card part cannot be done inside the command's transaction: the terminal
takes seconds and the transaction holds the write lock (on SQLite the whole
chain's). So the order of things is:

1. inside the transaction, :func:`give_back` writes the card part down as a
   :class:`~core.payments.models.CardRefund` ``pending``, with a fresh
   idempotency key (the payment already counts it as refunded, so nothing can
   refund it twice);
2. after the commit, :func:`settle` asks the terminal with that key;
3. a short transaction records the answer: ``refunded``, or still ``pending``
   with the terminal's words, an audit entry ``card.refund_unrecorded`` and a
   ``card.refund_pending`` event for whoever must act on it.

:func:`refunding` wraps steps 1 to 3 around a command. The sweep asks again for
what is still pending (:func:`retry_pending`), with the same key: a refund the
terminal made but whose answer was lost is not made twice.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit import service as audit
from core.caller import Caller
from core.db import Database
from core.events.service import emit
from core.loyalty import service as loyalty
from core.orders.models import Order
from core.payments.gateway import GatewayResult, PaymentGateway
from core.payments.models import CardRefund, Payment
from core.payments.service import issue_credit, payments_of
from core.problems import Conflict
from core.tills import service as tills
from core.timeutil import utcnow
from shared.money import POINT_VALUE_CENTS
from shared.schemas.enums import PaymentStatus, Tender

log = logging.getLogger("omnitill.core")

OWED = "omnitill_card_refunds_owed"
"""``Session.info`` key: the card refunds this transaction wrote down."""

CreditInstead = Callable[[Payment, int], None]
"""What to do with a part paid by an exchange's credit: it goes back as store
credit (:mod:`core.returns.service`), never out of the drawer."""


def give_back(session: Session, *, order: Order, amount: int | None = None,
              caller: Caller | None, source: str, reason: str,
              exchange_credit: CreditInstead | None = None) -> list[tuple[Payment, int]]:
    """Give back ``amount`` (default: all that is left) of ``order``'s approved
    payments, cards first, never more than each one took net of its refunds.

    Returns each payment with the part it gives back. Card parts are written down
    to be asked of the terminal after the commit (see the module's docstring)."""
    rows = [p for p in payments_of(session, order) if p.status == PaymentStatus.APPROVED]
    left = sum(p.amount_cents - p.refunded_cents for p in rows) if amount is None else amount
    if sum(p.amount_cents - p.refunded_cents for p in rows) < left:
        raise Conflict("This refund is more than is left to refund on the order.",
                       code="refund_exceeds_paid")
    parts: list[tuple[Payment, int]] = []
    for payment in sorted(rows, key=lambda p: p.tender != Tender.CARD):
        part = min(left, payment.amount_cents - payment.refunded_cents)
        if part <= 0:
            continue
        if payment.tender == Tender.EXCHANGE_CREDIT and exchange_credit is not None:
            payment.refunded_cents += part
            exchange_credit(payment, part)
        else:
            _give_back_payment(session, order=order, payment=payment, amount=part,
                               caller=caller, source=source, reason=reason)
        parts.append((payment, part))
        left -= part
    return parts


def _give_back_payment(session: Session, *, order: Order, payment: Payment, amount: int,
                       caller: Caller | None, source: str, reason: str) -> None:
    """``amount`` of one approved payment, by the tender it came in."""
    tills.record(session, caller=caller, kind="refund", tender=payment.tender,
                 amount_cents=-amount, reference=order.number)
    if payment.tender == Tender.CARD:
        owe_card(session, charge_reference=payment.reference, amount_cents=amount,
                 store_code=order.store_code, order_number=order.number,
                 payment_id=payment.id, source=source, reason=reason)
    elif payment.tender in (Tender.STORE_CREDIT, Tender.GIFT_CARD):
        issue_credit(session, card_number=payment.reference, amount_cents=amount,
                     reason="refund", reference=order.number)
    elif payment.tender == Tender.LOYALTY_POINTS and order.customer_id is not None:
        loyalty.refund_redemption(session, customer_id=order.customer_id,
                                  points=amount // POINT_VALUE_CENTS, reference=order.number)
    payment.refunded_cents += amount


def announce_order_refund(session: Session, *, order: Order, amount: int, reason: str,
                          caller: Caller | None) -> None:
    """An order gave money back outside a return (cancelled, lines not collected)."""
    if amount <= 0:
        return
    emit(session, "order.refunded", store=order.store_code, subject=order.number,
         order=order.number, amount_cents=amount, reason=reason)
    audit.record(session, "order.refunded", caller=caller, store=order.store_code,
                 subject=order.number, actor="" if caller else "core (expiry)",
                 amount_cents=amount, reason=reason)


def owe_card(session: Session, *, charge_reference: str, amount_cents: int, store_code: str,
             source: str, reason: str, order_number: str | None = None,
             payment_id: int | None = None) -> CardRefund:
    """Write down a card refund to ask of the terminal once this transaction commits."""
    row = CardRefund(idempotency_key="rf-" + uuid.uuid4().hex, payment_id=payment_id,
                     charge_reference=charge_reference, amount_cents=amount_cents,
                     store_code=store_code, order_number=order_number, source=source,
                     reason=reason[:120], status="pending", attempts=0)
    session.add(row)
    session.flush()
    session.info.setdefault(OWED, []).append(row.id)
    return row


def owed_in(session: Session) -> list[int]:
    """The card refunds the transaction of ``session`` wrote down."""
    return list(session.info.get(OWED, []))


@contextmanager
def refunding(db: Database, *, gateway: PaymentGateway, caller: Caller | None
              ) -> Iterator[Session]:
    """A command's write transaction; the card refunds it wrote down are asked of
    the terminal after it committed (never if it rolled back)."""
    with db.write() as session:
        yield session
        owed = owed_in(session)
    settle(db, gateway=gateway, ids=owed, caller=caller)


def settle(db: Database, *, gateway: PaymentGateway, ids: Sequence[int],
           caller: Caller | None) -> list[int]:
    """Ask the terminal for each pending refund of ``ids``, with no transaction
    open, and record its answer. Returns the ids still pending."""
    pending: list[int] = []
    for refund_id in ids:
        with db.read() as session:
            row = session.get(CardRefund, refund_id)
            if row is None or row.status != "pending":
                continue
            reference, amount, key = row.charge_reference, row.amount_cents, row.idempotency_key
        result = _ask(gateway, reference=reference, amount=amount, key=key)
        with db.write() as session:
            if not _record(session, refund_id, result, caller=caller):
                pending.append(refund_id)
    return pending


def _ask(gateway: PaymentGateway, *, reference: str, amount: int, key: str) -> GatewayResult:
    """The terminal's answer; one that cannot be reached answers ``timeout``."""
    try:
        return gateway.refund(reference=reference, amount_cents=amount, idempotency_key=key)
    except Exception as exc:  # noqa: BLE001 - any terminal fault leaves the refund owed
        log.warning("card terminal unreachable for refund %s: %s", key, exc)
        return GatewayResult(PaymentStatus.TIMEOUT, "",
                             "The card terminal could not be reached.")


def _record(session: Session, refund_id: int, result: GatewayResult, *,
            caller: Caller | None) -> bool:
    """The terminal's answer on the refund; ``True`` when the money went back."""
    row = session.scalar(select(CardRefund).where(CardRefund.id == refund_id)
                         .with_for_update())
    if row is None or row.status != "pending":
        return True  # another request recorded it meanwhile
    row.attempts += 1
    row.message = result.message[:200]
    if result.status == PaymentStatus.APPROVED:
        row.status, row.reference, row.settled_at = "refunded", result.reference, utcnow()
        emit(session, "card.refunded", store=row.store_code, subject=row.source,
             source=row.source, order=row.order_number, amount_cents=row.amount_cents)
        return True
    if row.attempts > 1:
        return False  # said once, when it first failed: the sweep's retries add no noise
    emit(session, "card.refund_pending", store=row.store_code, subject=row.source,
         source=row.source, order=row.order_number, amount_cents=row.amount_cents,
         message=row.message)
    audit.record(session, "card.refund_unrecorded", caller=caller, store=row.store_code,
                 subject=row.source, actor="" if caller else "core (sweep)",
                 order=row.order_number, amount_cents=row.amount_cents,
                 answer=str(result.status), message=row.message, attempt=row.attempts,
                 key=row.idempotency_key)
    return False


def pending_cents(session: Session, *, source: str | None = None,
                  order_number: str | None = None) -> int:
    """What is still owed to cards for a return (``source``) or an order."""
    stmt = select(CardRefund.amount_cents).where(CardRefund.status == "pending")
    if source is not None:
        stmt = stmt.where(CardRefund.source == source)
    if order_number is not None:
        stmt = stmt.where(CardRefund.order_number == order_number)
    return sum(session.scalars(stmt))


MAX_ATTEMPTS = 10
"""The sweep stops asking after this many answers that were not a refund (a refund
the acquirer keeps declining is a person's to settle, from its audit entry)."""


def retry_pending(db: Database, *, gateway: PaymentGateway, limit: int = 50) -> list[int]:
    """Ask again, with the same keys, for the refunds still pending (the sweep's
    turn, up to :data:`MAX_ATTEMPTS` each); returns those still pending."""
    with db.read() as session:
        ids = list(session.scalars(select(CardRefund.id).where(
            CardRefund.status == "pending", CardRefund.attempts < MAX_ATTEMPTS)
            .order_by(CardRefund.id).limit(limit)))
    return settle(db, gateway=gateway, ids=ids, caller=None)


def void_charges(db: Database, *, gateway: PaymentGateway, charges: Sequence[tuple[str, int]],
                 store_code: str, source: str, reason: str, caller: Caller | None,
                 order_number: str | None = None) -> None:
    """Give back card charges nothing kept (the command was refused after them, or
    needed less): ``(reference, amount)`` each, written down first like any card
    refund, so one the terminal refuses is still owed in plain sight."""
    if not charges:
        return
    with refunding(db, gateway=gateway, caller=caller) as session:
        for reference, amount in charges:
            owe_card(session, charge_reference=reference, amount_cents=amount,
                     store_code=store_code, source=source, reason=reason,
                     order_number=order_number)
