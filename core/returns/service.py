"""Returns: policy checks, the approve/reject/refund steps, restock and refunds.

Each step is its own audited command (who, when, which device). The order row
is locked while a return is created, so two returns of the same receipt at two
tills cannot together take back more than was bought.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import signing
from core.audit import service as audit
from core.caller import Caller
from core.catalog.models import Category, Product
from core.customers.models import Customer
from core.events.service import emit
from core.loyalty import service as loyalty
from core.orders.models import Order, OrderLine
from core.orders.numbers import next_value
from core.orders.service import get_order
from core.payments import refunds
from core.payments import service as payments
from core.problems import Conflict, Forbidden, InvalidInput, NotFound
from core.returns import kiosk
from core.returns.models import Return, ReturnLine, ReturnRefund
from core.settings import CoreSettings
from core.stock import service as stock
from core.stock.models import StockMovement
from core.timeutil import aware, utcnow
from shared.codes import CodeKind
from shared.schemas.enums import DeviceKind, Role, Tender
from shared.schemas.returns import (
    OPEN_RETURN_STATUSES,
    ReturnCreate,
    ReturnLineOut,
    ReturnOut,
    ReturnRefundOut,
    ReturnStatus,
)

OPEN = OPEN_RETURN_STATUSES
RETURNABLE_STATUSES = ("completed", "collected", "delivered", "ready_for_pickup")


def _order_from(session: Session, body: ReturnCreate, secret: bytes) -> Order | None:
    if body.receipt_code:
        number = signing.named_by(secret, body.receipt_code, CodeKind.RECEIPT,
                                  refusal="That receipt code is not valid.")
        return get_order(session, number, lock=True)
    if body.order_number:
        return get_order(session, body.order_number, lock=True)
    return None


def _pending(session: Session, order_line_id: int, *, for_till: bool) -> int:
    """Kiosk requests hold nothing against a till, and lapse: see :mod:`core.returns.kiosk`."""
    return kiosk.pending_qty(session, order_line_id, open_statuses=OPEN, for_till=for_till)


def window_days(settings: CoreSettings, store_kind: str) -> int:
    return settings.return_window_days_by_kind.get(store_kind, settings.return_window_days)


def _line_refund(line: OrderLine, before: int, qty: int) -> int:
    """Telescoping shares: all returns of a line add up to its total exactly."""
    return (line.total_cents * (before + qty)) // line.qty - (line.total_cents * before) // line.qty


def needs_supervisor(session: Session, ret: Return, settings: CoreSettings) -> bool:
    """Without a receipt always; with one, when this return and the earlier ones of
    the same sale (not rejected) refund more than the threshold together, so a big
    sale cannot be returned in small pieces without a supervisor."""
    if ret.order_id is None:
        return True
    earlier = session.scalars(select(Return.refund_cents).where(
        Return.order_id == ret.order_id, Return.id < ret.id,
        Return.status != "rejected"))
    return sum(earlier) + ret.refund_cents > settings.return_approval_threshold_cents


def create_return(session: Session, *, caller: Caller, body: ReturnCreate,
                  settings: CoreSettings) -> Return:
    if caller.device_kind not in (DeviceKind.POS, DeviceKind.KIOSK):
        raise Forbidden("Returns are taken in store, at a kiosk or a till.")
    if caller.device_kind is DeviceKind.POS:
        caller.require_staff(action="take a return")
    store = stock.get_location(session, caller.store_code or "")
    order = _order_from(session, body, settings.resolved_secret)
    if order is not None and not body.receipt_code:
        kiosk.check_buyer(session, caller=caller, order=order, buyer=body.buyer)
    if order is None and caller.device_kind is DeviceKind.KIOSK:
        raise Forbidden("A return without a receipt is taken at the returns desk.",
                        code="receipt_required")
    ret = Return(number=f"R-{store.code}-{next_value(session, 'return:' + store.code):06d}",
                 order_id=order.id if order else None, store_code=store.code,
                 status="requested", refund_to=body.refund_to, note=body.note,
                 requested_device_id=caller.device_id,
                 requested_staff_id=caller.staff.staff_id if caller.staff else None)
    session.add(ret)
    session.flush()
    total = 0
    if order is not None:
        if order.status not in RETURNABLE_STATUSES:
            raise Conflict(f"Order {order.number} is {order.status.replace('_', ' ')}; nothing "
                           "from it can be returned.", code="not_returnable")
        days = window_days(settings, store.kind)
        deadline = aware(order.created_at) + timedelta(days=days)
        if utcnow() > deadline:
            raise Conflict(f"The {days}-day return window for order {order.number} ended on "
                           f"{deadline:%d/%m/%Y}.", code="return_window_passed")
        lines = {line.line_no: line for line in order.lines}
        categories = {c.code: c for c in session.scalars(select(Category))}
        for item in body.lines:
            line = lines.get(item.line_no or 0)
            if line is None:
                raise InvalidInput(f"Order {order.number} has no line {item.line_no}.")
            product = session.get(Product, line.sku)
            category = categories.get(product.category_code) if product else None
            if category is not None and category.final_sale:
                raise Conflict(f"{line.name} is {category.name.lower()}, a final sale: it "
                               "cannot be returned.", code="final_sale")
            before = line.qty_returned + _pending(
                session, line.id, for_till=caller.device_kind is DeviceKind.POS)
            left = line.qty_collected - before
            if item.qty > left:
                raise Conflict(
                    f"{line.name}: {line.qty_collected} bought, {before} already returned or "
                    f"being returned; {max(left, 0)} can be returned.",
                    code="more_than_bought", returnable=max(left, 0))
            refund = _line_refund(line, before, item.qty)
            total += refund
            session.add(ReturnLine(return_id=ret.id, order_line_id=line.id, sku=line.sku,
                                   qty=item.qty, reason=item.reason, condition=item.condition,
                                   refund_cents=refund))
    else:
        if body.refund_to != "store_credit":
            raise InvalidInput("Without a receipt the refund is store credit.",
                               code="store_credit_only")
        for item in body.lines:
            product = session.get(Product, item.sku or "")
            if product is None:
                raise NotFound(f"There is no product with code {item.sku!r}.",
                               code="product_not_found")
            category = session.get(Category, product.category_code)
            if category is not None and category.final_sale:
                raise Conflict(f"{product.name} is {category.name.lower()}, a final sale: it "
                               "cannot be returned.", code="final_sale")
            refund = product.price_cents * item.qty
            total += refund
            session.add(ReturnLine(return_id=ret.id, sku=product.sku, qty=item.qty,
                                   reason=item.reason, condition=item.condition,
                                   refund_cents=refund))
    ret.refund_cents = total
    session.flush()
    if order is not None and caller.device_kind is DeviceKind.POS:
        kiosk.supersede(session, order_id=order.id, by=ret,
                        order_line_ids=[x.order_line_id for x in ret.lines if x.order_line_id])
    emit(session, "return.requested", store=store.code, subject=ret.number, number=ret.number,
         order=order.number if order else None, refund_cents=total)
    minimum = Role.SUPERVISOR if needs_supervisor(session, ret, settings) else Role.CASHIER
    if caller.device_kind is DeviceKind.POS and caller.approved_by(minimum) is not None:
        _decide(session, ret, caller, "approved", minimum)
    return ret


def get_return(session: Session, number: str, *, lock: bool = False) -> Return:
    stmt = select(Return).where(Return.number == number.upper())
    if lock:
        stmt = stmt.with_for_update()
    ret = session.scalar(stmt)
    if ret is None:
        raise NotFound(f"There is no return {number}.", code="return_not_found")
    return ret


def _decide(session: Session, ret: Return, caller: Caller, status: str, minimum: Role,
            *, withdrawn: bool = False, note: str = "") -> None:
    """The audit names who decided: the supervisor when one approved on the till."""
    who = caller.approved_by(minimum)
    ret.status = status
    ret.decision_note = note
    ret.decided_staff_id = who.staff_id if who else None
    ret.decided_device_id = caller.device_id
    ret.decided_at = utcnow()
    emit(session, f"return.{status}", store=ret.store_code, subject=ret.number,
         number=ret.number, staff_id=ret.decided_staff_id, withdrawn=withdrawn)
    audit.record(session, f"return.{status}", caller=caller, store=ret.store_code,
                 subject=ret.number, approver=who, refund_cents=ret.refund_cents,
                 withdrawn=withdrawn, needed=minimum.value, note=note)


def withdrawing(ret: Return, caller: Caller, *, approve: bool) -> bool:
    """The till that asked for a return may take the request back while it still
    waits for a supervisor: the cashier cancelled the PIN prompt, or started it by
    mistake. Without this the request holds its items until a supervisor rejects
    it, and nobody at that till could return them meanwhile."""
    return (not approve and ret.status == "requested" and caller.staff is not None
            and ret.requested_device_id == caller.device_id)


def decide(session: Session, *, caller: Caller, number: str, approve: bool,
           settings: CoreSettings, note: str = "") -> Return:
    ret = get_return(session, number, lock=True)
    # An approved return nothing was paid for yet (an exchange given up at the
    # till) is cancelled as a request is withdrawn: it must not hold its items.
    cancelled = not approve and ret.status == "approved"
    if ret.status != "requested" and not cancelled:
        raise Conflict(f"Return {ret.number} is already {ret.status}.", code="already_decided")
    if approve:
        kiosk.refuse_if_expired(session, ret)
    withdrawn = withdrawing(ret, caller, approve=approve) or cancelled
    minimum = Role.SUPERVISOR if needs_supervisor(session, ret, settings) and not withdrawn \
        else Role.CASHIER
    caller.require_staff(minimum, "approve this return" if approve else "reject this return")
    if ret.store_code != caller.store_code:
        raise Forbidden(f"Return {ret.number} is handled at {ret.store_code}.",
                        code="other_store")
    _decide(session, ret, caller, "approved" if approve else "rejected", minimum,
            withdrawn=withdrawn, note=note)
    return ret


def store_returns(session: Session, *, caller: Caller,
                  statuses: Sequence[ReturnStatus] = OPEN, limit: int = 100) -> list[Return]:
    """The returns at this till's store in ``statuses``, oldest first: the open ones
    are what holds items back, so the longest waiting is the first to clear."""
    caller.require_staff(action="see the store's returns")
    return list(session.scalars(
        select(Return).where(Return.store_code == caller.store_code,
                             Return.status.in_(statuses), kiosk.not_lapsed())
        .order_by(Return.created_at, Return.id).limit(limit)))


def refund(session: Session, *, caller: Caller, number: str) -> tuple[Return, int]:
    """Pay the refund, restock or write off, and claw back loyalty points.

    Card parts are written down to ask of the terminal after the commit
    (:func:`core.payments.refunds.refunding`); until it says so they are pending."""
    staff = caller.require_staff(Role.CASHIER, "refund a return")
    ret = get_return(session, number, lock=True)
    if ret.status != "approved":
        raise Conflict(f"Return {ret.number} is {ret.status}; it must be approved first.",
                       code="not_approved")
    if ret.store_code != caller.store_code:
        raise Forbidden(f"Return {ret.number} is refunded at {ret.store_code}.",
                        code="other_store")
    order = session.get(Order, ret.order_id) if ret.order_id else None
    clawed = take_back(session, ret, order, staff_id=staff.staff_id)
    if ret.refund_to == "store_credit" or order is None:
        _to_store_credit(session, ret, order, caller)
    else:
        _to_original_tenders(session, ret, order, caller)
    ret.status, ret.refunded_at, ret.refunded_staff_id = "refunded", utcnow(), staff.staff_id
    emit(session, "return.refunded", store=ret.store_code, subject=ret.number,
         number=ret.number, refund_cents=ret.refund_cents, refund_to=ret.refund_to,
         refunds=[{"tender": r.tender, "amount_cents": r.amount_cents} for r in ret.refunds])
    audit.record(session, "return.refunded", caller=caller, store=ret.store_code,
                 subject=ret.number, order=order.number if order else None,
                 refund_cents=ret.refund_cents, refund_to=ret.refund_to,
                 refunds=[{"tender": r.tender, "amount_cents": r.amount_cents}
                          for r in ret.refunds])
    return ret, clawed


def take_back(session: Session, ret: Return, order: Order | None, *, staff_id: int) -> int:
    """The goods of a return come back: resellable ones to this store's stock,
    damaged ones written off; the sale's lines count them returned and the points
    they earned are clawed back. Returns the points clawed back."""
    clawed = 0
    for rline in ret.lines:
        if rline.condition == "resellable":
            stock.receive(session, location=ret.store_code, sku=rline.sku, qty=rline.qty,
                          reason="return", reference=ret.number, staff_id=staff_id)
        else:
            session.add(StockMovement(location_code=ret.store_code, sku=rline.sku, delta=0,
                                      reason="return_written_off", reference=ret.number,
                                      note=f"{rline.qty} damaged", staff_id=staff_id))
            emit(session, "stock.written_off", store=ret.store_code, subject=rline.sku,
                 sku=rline.sku, qty=rline.qty, reference=ret.number)
        if order is not None and rline.order_line_id is not None:
            line = session.get(OrderLine, rline.order_line_id)
            assert line is not None
            line.qty_returned += rline.qty
            if order.customer_id is not None:
                clawed += loyalty.claw_back(session, customer_id=order.customer_id, line=line,
                                            qty=rline.qty, return_number=ret.number)[0]
    return clawed


def _to_store_credit(session: Session, ret: Return, order: Order | None,
                     caller: Caller, amount: int | None = None) -> None:
    """``amount`` (default: the whole refund) on the customer's card, else a new one."""
    amount = ret.refund_cents if amount is None else amount
    customer = session.get(Customer, order.customer_id) if order and order.customer_id else None
    card = customer.loyalty_card if customer and customer.loyalty_card else \
        "SC" + "".join(secrets.choice("0123456789") for _ in range(12))
    payments.issue_credit(session, card_number=card, amount_cents=amount,
                          reason="return", reference=ret.number,
                          customer_id=customer.id if customer else None, caller=caller)
    ret.credit_card_number = card
    if amount > 0:
        ret.refunds.append(ReturnRefund(tender="store_credit", amount_cents=amount,
                                        card_number=card))


def _to_original_tenders(session: Session, ret: Return, order: Order, caller: Caller,
                         amount: int | None = None) -> None:
    """Back the way it came, cards first, never more than each tender paid (net of
    refunds).

    What an exchange's credit paid (the sale was an exchange) goes back as store
    credit: the first sale's money was already settled against its return, and
    paying it out in cash would turn a card payment into cash over the counter."""
    given = refunds.give_back(
        session, order=order, amount=ret.refund_cents if amount is None else amount,
        caller=caller, source=ret.number, reason=f"return {ret.number}",
        exchange_credit=lambda _, part: _to_store_credit(session, ret, order, caller, part))
    for payment, part in given:
        if payment.tender != Tender.EXCHANGE_CREDIT:
            ret.refunds.append(ReturnRefund(
                tender=payment.tender, amount_cents=part,
                card_number=payment.reference if payment.tender in (Tender.STORE_CREDIT,
                                                                    Tender.GIFT_CARD) else None))


def return_out(session: Session, ret: Return, *, settings: CoreSettings,
               clawed: int = 0) -> ReturnOut:
    order = session.get(Order, ret.order_id) if ret.order_id else None
    return ReturnOut(
        number=ret.number, order_number=order.number if order else None, store=ret.store_code,
        status=ret.status, refund_to=ret.refund_to, refund_cents=ret.refund_cents,
        needs_supervisor=needs_supervisor(session, ret, settings),
        credit_card_number=ret.credit_card_number,
        lines=[ReturnLineOut(sku=x.sku, qty=x.qty, reason=x.reason, condition=x.condition,
                             refund_cents=x.refund_cents) for x in ret.lines],
        slip_code=signing.signed_code(settings.resolved_secret, CodeKind.RETURN_SLIP,
                                      ret.number),
        points_clawed_back=clawed, created_at=ret.created_at,
        decision_note=ret.decision_note,
        card_refund_pending_cents=refunds.pending_cents(session, source=ret.number),
        refunds=[ReturnRefundOut(tender=r.tender, amount_cents=r.amount_cents,
                                 card_number=r.card_number) for r in ret.refunds],
    )
