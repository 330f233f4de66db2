"""Taking and giving back money, whatever the tender.

A payment is recorded whatever the outcome: a declined card is a row with
status ``declined`` and the order stays unpaid with its stock reserved. Only
approved payments count towards what is paid.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.caller import Caller
from core.db import rows_changed
from core.events.service import emit
from core.loyalty import service as loyalty
from core.orders.models import Order
from core.payments.gateway import GatewayResult, PaymentGateway
from core.payments.models import Payment, StoreCreditAccount, StoreCreditEntry
from core.problems import Conflict, Forbidden, InvalidInput, NotFound
from core.tills import service as tills
from shared.money import POINT_VALUE_CENTS
from shared.schemas.enums import DeviceKind, PaymentStatus, Tender
from shared.schemas.orders import PaymentIn
from shared.schemas.returns import CreditOut

TENDERS_BY_DEVICE = {
    DeviceKind.POS: set(Tender) - {Tender.EXCHANGE_CREDIT},  # only an exchange gives it
    DeviceKind.WEB: {Tender.CARD, Tender.GIFT_CARD, Tender.STORE_CREDIT},
    DeviceKind.KIOSK: set(),
}


def paid_cents(payments: list[Payment]) -> int:
    return sum(p.amount_cents - p.refunded_cents for p in payments
               if p.status == PaymentStatus.APPROVED)


def has_approved(payments: list[Payment]) -> bool:
    """Money was taken (even if some went back): such an order is cancelled only by
    a person at a till, who gives it back there."""
    return any(p.status == PaymentStatus.APPROVED for p in payments)


def refunded_cents(payments: list[Payment]) -> int:
    return sum(p.refunded_cents for p in payments if p.status == PaymentStatus.APPROVED)


def payments_of(session: Session, order: Order) -> list[Payment]:
    return list(session.scalars(select(Payment).where(Payment.order_id == order.id)
                                .order_by(Payment.id)))


def credit_balance(session: Session, card_number: str) -> int:
    account = session.get(StoreCreditAccount, card_number)
    return account.balance_cents if account else 0


def credit_out(session: Session, card_number: str) -> CreditOut:
    """A store-credit or gift card's balance, as a till reads it."""
    account = session.get(StoreCreditAccount, card_number)
    if account is None:
        raise NotFound("That card is not known.", code="card_not_found")
    return CreditOut(card_number=account.card_number, kind=account.kind,
                     balance_cents=account.balance_cents)


def issue_credit(session: Session, *, card_number: str, amount_cents: int, reason: str,
                 reference: str, customer_id: int | None = None, kind: str = "store_credit",
                 caller: Caller | None = None) -> None:
    """Put value on a store-credit or gift card.

    With the ``caller`` of a till, the credit is a refund this till made (a return
    refunded to store credit) and is written to its session, so the X/Z report
    lists it; :func:`core.payments.refunds.give_back` records its own entry and
    passes no caller.
    """
    if caller is not None:
        tills.record(session, caller=caller, kind="refund", tender=Tender.STORE_CREDIT,
                     amount_cents=-amount_cents, reference=reference)
    account = session.get(StoreCreditAccount, card_number)
    if account is None:
        account = StoreCreditAccount(card_number=card_number, customer_id=customer_id, kind=kind,
                                     balance_cents=0)
        session.add(account)
        session.flush()
    session.execute(update(StoreCreditAccount)
                    .where(StoreCreditAccount.card_number == card_number)
                    .values(balance_cents=StoreCreditAccount.balance_cents + amount_cents)
                    .execution_options(synchronize_session=False))
    session.add(StoreCreditEntry(card_number=card_number, customer_id=customer_id,
                                 delta_cents=amount_cents, reason=reason, reference=reference))


def _spend_credit(session: Session, *, card_number: str, amount_cents: int, reference: str
                  ) -> None:
    done = rows_changed(session.execute(
        update(StoreCreditAccount)
        .where(StoreCreditAccount.card_number == card_number,
               StoreCreditAccount.balance_cents >= amount_cents)
        .values(balance_cents=StoreCreditAccount.balance_cents - amount_cents)
        .execution_options(synchronize_session=False)
    ))
    if done != 1:
        if session.get(StoreCreditAccount, card_number) is None:
            raise NotFound("That card is not known.", code="card_not_found")
        raise Conflict(
            f"The card holds only {credit_balance(session, card_number) / 100:.2f}; "
            "use another tender for the rest.", code="insufficient_balance",
            balance_cents=credit_balance(session, card_number),
        )
    session.add(StoreCreditEntry(card_number=card_number, delta_cents=-amount_cents,
                                 reason="spend", reference=reference))


def check_tender(payment: PaymentIn, *, device_kind: DeviceKind, due_cents: int) -> None:
    """What refuses a payment before any money moves (and before a card is charged)."""
    if payment.tender not in TENDERS_BY_DEVICE.get(device_kind, set()):
        raise Forbidden(f"{payment.tender.value.replace('_', ' ').capitalize()} cannot be "
                        f"taken on this device.", code="tender_not_allowed")
    if due_cents <= 0:
        raise Conflict("Nothing is left to pay on this order.", code="nothing_due")
    if payment.tender is not Tender.CASH and payment.amount_cents > due_cents:
        raise InvalidInput(
            f"Only {due_cents / 100:.2f} is due; a {payment.tender.value.replace('_', ' ')} "
            "payment cannot be more.", code="overpayment")


def take_payment(
    session: Session, *, order: Order, payment: PaymentIn, device_kind: DeviceKind,
    gateway: PaymentGateway, due_cents: int, caller: Caller | None = None,
    card_result: GatewayResult | None = None,
) -> Payment:
    """Apply one tender to what is due; the caller settles the order afterwards.

    ``card_result``: what the card terminal answered, asked before this transaction
    began (:mod:`core.orders.paying`), so no write lock waits on a terminal. Without
    it a card is charged here, inside the transaction.
    """
    check_tender(payment, device_kind=device_kind, due_cents=due_cents)
    if payment.tender is Tender.CASH:
        tendered = payment.tendered_cents if payment.tendered_cents is not None \
            else payment.amount_cents
        amount = min(payment.amount_cents, due_cents)
        if tendered < amount:
            raise InvalidInput("The cash handed over is less than the amount.",
                               code="cash_short")
        row = Payment(order_id=order.id, tender=Tender.CASH, amount_cents=amount,
                      tendered_cents=tendered, change_cents=tendered - amount,
                      status=PaymentStatus.APPROVED, message="Cash")
    else:
        amount = payment.amount_cents
        if payment.tender is Tender.CARD:
            result = card_result or gateway.charge(amount_cents=amount, order_number=order.number,
                                                   card_token=payment.card_token)
            row = Payment(order_id=order.id, tender=Tender.CARD, amount_cents=amount,
                          status=result.status, reference=result.reference,
                          message=result.message)
        elif payment.tender in (Tender.STORE_CREDIT, Tender.GIFT_CARD):
            if not payment.card_number:
                raise InvalidInput("Give the card number to pay with store credit.",
                                   code="card_number_required")
            _spend_credit(session, card_number=payment.card_number, amount_cents=amount,
                          reference=order.number)
            row = Payment(order_id=order.id, tender=payment.tender, amount_cents=amount,
                          status=PaymentStatus.APPROVED, reference=payment.card_number,
                          message="Store credit")
        else:
            if order.customer_id is None:
                raise InvalidInput("Attach the customer's loyalty card to pay with points.",
                                   code="customer_required")
            points = payment.points or amount // POINT_VALUE_CENTS
            if points * POINT_VALUE_CENTS != amount:
                raise InvalidInput("The amount must match the points redeemed (100 = 1 €).",
                                   code="points_mismatch")
            loyalty.redeem(session, customer_id=order.customer_id, points=points,
                           order_number=order.number)
            row = Payment(order_id=order.id, tender=Tender.LOYALTY_POINTS, amount_cents=amount,
                          status=PaymentStatus.APPROVED, reference=str(points),
                          message=f"{points} points")
    session.add(row)
    session.flush()
    if row.status == PaymentStatus.APPROVED:
        tills.record(session, caller=caller, kind="sale", tender=row.tender,
                     amount_cents=row.amount_cents, change_cents=row.change_cents,
                     reference=order.number, offline=order.offline)
    emit(session, f"payment.{row.status}", store=order.store_code, subject=order.number,
         order=order.number, tender=row.tender, amount_cents=row.amount_cents,
         device_id=caller.device_id if caller else None, cart_id=order.cart_id)
    return row
