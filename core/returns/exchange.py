"""An exchange: an approved return credited to a new sale, in one transaction.

How Shopify POS and Medusa model it: the return and the new items are one
exchange, the return's value is a credit on the new sale, and only the
difference moves money. Here the return is asked for and approved at the
returns desk as any return (same policy, same supervisor rules); the exchange
then does, all at once or not at all:

- the new sale (a till sale of carry-out goods, from this store's stock);
- an ``exchange_credit`` payment on it worth the return, up to the sale's total,
  referencing the return (the till's X/Z lists it as its own tender, never cash);
- the returned goods restocked or written off, their points clawed back;
- if the return is worth more, the rest refunded as any refund of that return
  (original tenders, cards first, or store credit);
- if the sale costs more, the shopper's payments for the difference; together
  they must cover it. A declined card or a short payment refuses the whole
  exchange: the return stays approved, uncredited, and can still be withdrawn.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.caller import Caller
from core.catalog.models import Product
from core.db import Database
from core.events.service import emit
from core.orders import service as orders
from core.orders import views
from core.orders.models import Order, OrderLine
from core.payments import refunds
from core.payments import service as payments
from core.payments.gateway import GatewayResult, PaymentGateway
from core.payments.models import Payment
from core.problems import Conflict, Forbidden, InvalidInput
from core.returns import service as returns
from core.returns.models import Return, ReturnRefund
from core.settings import CoreSettings
from core.tills import service as tills
from core.timeutil import utcnow
from shared.schemas.enums import OrderStatus, PaymentStatus, Role, Tender
from shared.schemas.exchanges import ExchangeCreate, ExchangeLineOut, ExchangeOut
from shared.schemas.orders import OrderCreate
from shared.schemas.returns import ReturnRefundOut


@dataclass(frozen=True, slots=True)
class Charged:
    """A card the terminal approved for an exchange, before its transaction."""

    result: GatewayResult
    amount_cents: int


PAY_ORDER = {Tender.CASH: 0, Tender.STORE_CREDIT: 1, Tender.GIFT_CARD: 1,
             Tender.LOYALTY_POINTS: 1, Tender.CARD: 2}
"""Card last: once the terminal approves, nothing after it may refuse."""


def _check_exchangeable(ret: Return, caller: Caller) -> None:
    if ret.status != "approved":
        raise Conflict(f"Return {ret.number} is {ret.status}; only an approved return can be "
                       "exchanged.", code="not_approved")
    if ret.store_code != caller.store_code:
        raise Forbidden(f"Return {ret.number} is handled at {ret.store_code}.",
                        code="other_store")


def charge_cards(db: Database, *, caller: Caller, number: str, body: ExchangeCreate,
                 gateway: PaymentGateway) -> list[Charged]:
    """The exchange's card payments, charged before its transaction opens, so no
    write lock waits on a card terminal (on SQLite that lock is the chain's). A
    card that is not approved refuses the exchange here, with the approved ones
    given back: nothing of it was done."""
    cards = [p for p in sorted(body.payments, key=lambda p: PAY_ORDER.get(p.tender, 1))
             if p.tender is Tender.CARD]
    if not cards:
        return []
    caller.require_staff(Role.CASHIER, "make an exchange")
    with db.read() as session:
        _check_exchangeable(returns.get_return(session, number), caller)
    results: list[Charged] = []
    for card in cards:
        result = gateway.charge(amount_cents=card.amount_cents, order_number=number,
                                card_token=card.card_token)
        if result.status != PaymentStatus.APPROVED:
            give_back_cards(db, results, gateway=gateway, caller=caller, number=number,
                            reason="exchange refused: a later card was not approved")
            raise Conflict(f"The card was not approved ({result.message}): nothing of the "
                           "exchange was done; the return waits. Try again or take another "
                           "tender.", code=f"card_{result.status}")
        results.append(Charged(result, card.amount_cents))
    return results


def give_back_cards(db: Database, results: list[Charged], *, gateway: PaymentGateway,
                    caller: Caller, number: str, reason: str) -> None:
    """Refund charges the exchange did not keep (it was refused after them, or it
    needed less than was charged), written down first as any card refund so one
    the terminal refuses is still owed (:func:`core.payments.refunds.void_charges`)."""
    refunds.void_charges(db, gateway=gateway, caller=caller, store_code=caller.store_code or "",
                         source=number.upper(), reason=reason,
                         charges=[(c.result.reference, c.amount_cents) for c in results])
    results.clear()


def exchange(session: Session, *, caller: Caller, number: str, body: ExchangeCreate,
             key: str, digest: str, settings: CoreSettings, gateway: PaymentGateway,
             card_results: list[Charged] | None = None) -> tuple[Order, Return, int]:
    """The completed new sale, the refunded return, the points clawed back.

    ``card_results``: the cards :func:`charge_cards` charged, in payment order; each
    one recorded is taken off the list, so what is left was not used."""
    staff = caller.require_staff(Role.CASHIER, "make an exchange")
    ret = returns.get_return(session, number, lock=True)
    _check_exchangeable(ret, caller)
    first = session.get(Order, ret.order_id) if ret.order_id else None
    customer_id = body.customer_id or (first.customer_id if first else None)
    order = orders.place_order(
        session, caller=caller, key=key, digest=digest, settings=settings, gateway=gateway,
        body=OrderCreate(lines=body.lines, customer_id=customer_id))
    credit = min(ret.refund_cents, order.total_cents)
    due = order.total_cents - credit
    _check_covers(body, due)
    if credit:
        session.add(Payment(order_id=order.id, tender=Tender.EXCHANGE_CREDIT,
                            amount_cents=credit, status=PaymentStatus.APPROVED,
                            reference=ret.number, message=f"Exchange {ret.number}"))
        tills.record(session, caller=caller, kind="sale", tender=Tender.EXCHANGE_CREDIT,
                     amount_cents=credit, reference=order.number)
        tills.record(session, caller=caller, kind="refund", tender=Tender.EXCHANGE_CREDIT,
                     amount_cents=-credit, reference=ret.number)
        ret.refunds.append(ReturnRefund(tender=Tender.EXCHANGE_CREDIT, amount_cents=credit))
    clawed = returns.take_back(session, ret, first, staff_id=staff.staff_id)
    rest = ret.refund_cents - credit
    if rest > 0:
        if ret.refund_to == "store_credit" or first is None:
            returns._to_store_credit(session, ret, first, caller, rest)
        else:
            returns._to_original_tenders(session, ret, first, caller, rest)
    session.flush()
    for payment in sorted(body.payments, key=lambda p: PAY_ORDER.get(p.tender, 1)):
        left = order.total_cents - payments.paid_cents(payments.payments_of(session, order))
        if left <= 0:
            break
        charged = card_results.pop(0).result if card_results and payment.tender is Tender.CARD \
            else None
        row = payments.take_payment(session, order=order, payment=payment,
                                    device_kind=caller.device_kind, gateway=gateway,
                                    due_cents=left, caller=caller, card_result=charged)
        if row.status != PaymentStatus.APPROVED:
            raise Conflict(f"The card was not approved ({row.message}): nothing of the exchange "
                           "was done; the return waits. Try again or take another tender.",
                           code=f"card_{row.status}")
    orders.settle(session, order=order, caller=caller,
                  points_per_euro=settings.loyalty_points_per_euro)
    if order.status != OrderStatus.COMPLETED:
        raise Conflict("The difference is not fully paid: nothing of the exchange was done.",
                       code="difference_unpaid")
    ret.status, ret.refunded_at, ret.refunded_staff_id = "refunded", utcnow(), staff.staff_id
    session.flush()
    emit(session, "return.refunded", store=ret.store_code, subject=ret.number,
         number=ret.number, refund_cents=ret.refund_cents, refund_to=ret.refund_to,
         exchange=order.number,
         refunds=[{"tender": r.tender, "amount_cents": r.amount_cents} for r in ret.refunds])
    return order, ret, clawed


def run(db: Database, *, caller: Caller, number: str, body: ExchangeCreate, key: str,
        settings: CoreSettings, gateway: PaymentGateway) -> tuple[ExchangeOut, bool]:
    """The whole exchange command: the answer, and whether it replays an earlier one
    sent with the same ``Idempotency-Key``.

    Cards are charged before the transaction (:func:`charge_cards`); what the
    exchange did not keep is given back after it, and the rest of a return worth
    more than the new sale goes back to its card once it committed
    (:mod:`core.payments.refunds`)."""
    digest = request_hash(number, body, caller)

    def replayed() -> ExchangeOut | None:
        with db.read() as session:
            order = orders.find_by_key(session, key, device_id=caller.device_id)
            ret = from_order(session, order) if order is not None else None
            if order is None or ret is None:
                return None
            return exchange_out(session, orders.check_replay(order, digest), ret,
                                caller=caller, settings=settings)

    if (done := replayed()) is not None:
        return done, True
    charged = charge_cards(db, caller=caller, number=number, body=body, gateway=gateway)

    def give_back(reason: str) -> None:
        give_back_cards(db, charged, gateway=gateway, caller=caller, number=number,
                        reason=reason)

    try:
        with db.write() as session:
            order, ret, clawed = exchange(
                session, caller=caller, number=number, body=body,
                key=orders.scoped_key(caller.device_id, key), digest=digest,
                settings=settings, gateway=gateway, card_results=charged)
            owed = refunds.owed_in(session)
    except IntegrityError:
        # The same exchange sent twice at once: the first one's answer.
        give_back("the same exchange was sent twice")
        if (done := replayed()) is None:
            raise
        return done, True
    except Exception:
        give_back("exchange refused")  # nothing of the exchange was kept
        raise
    give_back("charged but not needed")
    refunds.settle(db, gateway=gateway, ids=owed, caller=caller)  # committed: the rest back
    with db.read() as session:  # after the card terminal answered
        return exchange_out(session, orders.get_order(session, order.number),
                            returns.get_return(session, ret.number), caller=caller,
                            settings=settings, clawed=clawed), False


def request_hash(number: str, body: ExchangeCreate, caller: Caller) -> str:
    """What an ``Idempotency-Key`` stands for: this return, these goods, these tenders."""
    canonical = json.dumps({"device": caller.device_id, "exchange": number.upper(),
                            "body": body.model_dump(mode="json")}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_covers(body: ExchangeCreate, due: int) -> None:
    """Refuse before any tender is taken, so a card is never charged for an exchange
    that would then be refused for want of the rest."""
    offered = sum(max(p.amount_cents, p.tendered_cents or 0) if p.tender is Tender.CASH
                  else p.amount_cents for p in body.payments)
    if offered < due:
        raise InvalidInput(f"The new sale costs {due / 100:.2f} more than the return: take "
                           "that much as the difference.", code="difference_unpaid",
                           due_cents=due)
    if due == 0 and body.payments:
        raise InvalidInput("Nothing is left to pay: the return covers the new sale.",
                           code="nothing_due")


def from_order(session: Session, order: Order) -> Return | None:
    """The return an exchange sale was paid with (its credit's reference)."""
    credit = next((p for p in payments.payments_of(session, order)
                   if p.tender == Tender.EXCHANGE_CREDIT), None)
    return returns.get_return(session, credit.reference) if credit and credit.reference \
        else None


def exchange_out(session: Session, order: Order, ret: Return, *, caller: Caller,
                 settings: CoreSettings, clawed: int = 0) -> ExchangeOut:
    credit = sum(r.amount_cents for r in ret.refunds if r.tender == Tender.EXCHANGE_CREDIT)
    return ExchangeOut(
        order=views.order_out(session, order, caller=caller, settings=settings),
        returned=returns.return_out(session, ret, settings=settings, clawed=clawed),
        returned_lines=[ExchangeLineOut(sku=sku, name=name, qty=qty, amount_cents=amount)
                        for sku, name, qty, amount in _returned_lines(session, ret)],
        credit_cents=credit, difference_cents=order.total_cents - ret.refund_cents,
        refunds=[ReturnRefundOut(tender=r.tender, amount_cents=r.amount_cents,
                                 card_number=r.card_number)
                 for r in ret.refunds if r.tender != Tender.EXCHANGE_CREDIT])


def _returned_lines(session: Session, ret: Return) -> list[tuple[str, str, int, int]]:
    """(sku, name, qty, amount) of each line taken back, by the name it was sold under."""
    out = []
    for rline in ret.lines:
        line = session.get(OrderLine, rline.order_line_id) if rline.order_line_id else None
        product = None if line else session.get(Product, rline.sku)
        name = line.name if line else product.name if product else rline.sku
        out.append((rline.sku, name, rline.qty, rline.refund_cents))
    return out
