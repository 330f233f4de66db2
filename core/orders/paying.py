"""Paying an order by card with no transaction open while the terminal decides.

A card terminal takes seconds (the shopper types a PIN); called inside the
write transaction it held SQLite's single write lock, and every other till of
the chain, for that long. So a card is charged first, with nothing locked, and
its answer (approved or declined) is recorded in a short transaction after.
If that transaction refuses the payment (the order was cancelled or paid by
someone else meanwhile), the charge is refunded at once, so the shopper is
never charged for a payment the order does not show.

An order placed with payments in its body keeps everything up to its first
card in the order's own transaction (one commit for a cash sale); from that
card on, each payment is taken like ``POST /v1/orders/{number}/payments``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from sqlalchemy.orm import Session

from core.caller import Caller
from core.db import Database
from core.orders import service
from core.orders.models import Order
from core.payments import refunds
from core.payments import service as payments
from core.payments.gateway import GatewayResult, PaymentGateway
from core.settings import CoreSettings
from shared.schemas.enums import PaymentStatus, Tender
from shared.schemas.orders import PaymentIn

log = logging.getLogger("omnitill.core")

Check = Callable[[Order], None]
"""What the route refuses on the order it is about to pay (not readable, cancelled)."""


def split_at_first_card(given: list[PaymentIn]) -> tuple[list[PaymentIn], list[PaymentIn]]:
    """The payments taken inside the order's transaction, and those taken after it."""
    for index, payment in enumerate(given):
        if payment.tender is Tender.CARD:
            return given[:index], given[index:]
    return given, []


def _due(session: Session, order: Order) -> int:
    return order.total_cents - payments.paid_cents(payments.payments_of(session, order))


def pay(db: Database, *, number: str, payment: PaymentIn, caller: Caller,
        gateway: PaymentGateway, settings: CoreSettings, check: Check | None = None) -> None:
    """Take one payment on an order and settle it, the terminal outside the transaction."""
    result: GatewayResult | None = None
    if payment.tender is Tender.CARD:
        with db.read() as session:
            order = service.get_order(session, number)
            if check:
                check(order)
            payments.check_tender(payment, device_kind=caller.device_kind,
                                  due_cents=_due(session, order))
        result = gateway.charge(amount_cents=payment.amount_cents, order_number=order.number,
                                card_token=payment.card_token)
    try:
        with db.write() as session:
            order = service.get_order(session, number, lock=True)
            if check:
                check(order)
            payments.take_payment(session, order=order, payment=payment,
                                  device_kind=caller.device_kind, gateway=gateway,
                                  due_cents=_due(session, order), caller=caller,
                                  card_result=result)
            service.settle(session, order=order, caller=caller,
                           points_per_euro=settings.loyalty_points_per_euro)
    except BaseException:
        # Whatever stopped the transaction (the order refused the payment, the database
        # failed, the request was cancelled), the charge it was to record is given back.
        if result is not None and result.status == PaymentStatus.APPROVED:
            _give_back(db, gateway, result, payment.amount_cents, number, caller)
        raise


def _give_back(db: Database, gateway: PaymentGateway, result: GatewayResult,
               amount_cents: int, number: str, caller: Caller) -> None:
    """Refund a charge no order shows, written down first like every card refund
    (:func:`core.payments.refunds.void_charges`): one the terminal declines or does
    not answer is owed in plain sight (the audit trail, a ``card.refund_pending``
    event), and the sweep asks again under the same key.
    Only when even that cannot be written (the database is what failed) is the
    terminal asked straight away, the outcome logged for a person to settle; the
    original error is what the caller sees either way."""
    try:
        refunds.void_charges(db, gateway=gateway, charges=[(result.reference, amount_cents)],
                             store_code=caller.store_code or "", source=number,
                             order_number=number, reason="charge the order did not take",
                             caller=caller)
        return
    except Exception:  # the database is down: give the money back anyway
        log.exception("order %s: the refund of card charge %s could not be written down; "
                      "asking the terminal directly", number, result.reference)
    try:
        refunded = gateway.refund(reference=result.reference, amount_cents=amount_cents,
                                  idempotency_key="rf-" + uuid.uuid4().hex)
    except Exception:
        log.exception("order %s: the card charge %s (%d cents) could not be refunded; "
                      "refund it by hand", number, result.reference, amount_cents)
        return
    if refunded.status != PaymentStatus.APPROVED:
        log.error("order %s: the terminal refused to refund the card charge %s (%d cents): "
                  "%s; refund it by hand", number, result.reference, amount_cents,
                  refunded.message)


def pay_rest(db: Database, *, number: str, rest: list[PaymentIn], caller: Caller,
             gateway: PaymentGateway, settings: CoreSettings) -> None:
    """The payments of an order's body from its first card on, each in its own turn,
    until nothing is due (as the order's own transaction would have)."""
    for payment in rest:
        with db.read() as session:
            if _due(session, service.get_order(session, number)) <= 0:
                return
        pay(db, number=number, payment=payment, caller=caller, gateway=gateway,
            settings=settings)
