"""Return requests opened at a kiosk: who may open one, how long it holds its
items, and why it never stands in the way of a till.

A kiosk is self-service: anyone at it may type anything. So a kiosk opens a
return only with proof of purchase: the signed receipt QR (``OT1:R:``), or the
order number together with the buyer's email or surname. Either is checked
under the codes lockout, per kiosk and per order (:mod:`core.auth.lockout`);
a bare order number is refused, because the numbers are sequential.

A kiosk request is a slip the shopper carries to the till, not a return: it
holds its items for :data:`KIOSK_REQUEST_HOURS` (2 hours: long enough to walk
to the returns desk and queue on a busy Saturday, short enough that a
walk-away slip frees the items the same day), and only against other kiosk
requests, so a slip left at the kiosk cannot make the same items
unreturnable at a till. A till return of the same lines supersedes the open
kiosk requests for them (they are rejected, with a note); an expired request
is rejected when a till reaches for it (its slip says it expired; the till
starts the return again).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session

from core.auth.lockout import code_target, target_key
from core.auth.models import Device
from core.caller import Caller
from core.customers.models import Customer
from core.events.service import emit
from core.orders.models import Order
from core.problems import Conflict, Forbidden, InvalidInput
from core.returns.models import Return, ReturnLine
from core.timeutil import aware, utcnow
from shared.codes import parse_code
from shared.schemas.enums import DeviceKind
from shared.schemas.returns import ReturnCreate

KIOSK_REQUEST_HOURS = 2
"""How long a kiosk's return request holds its items before it lapses."""

SUPERSEDED_NOTE = "superseded by a return at a till"
EXPIRED_NOTE = f"expired: not brought to a till within {KIOSK_REQUEST_HOURS} hours"


def _kiosk_ids() -> Select[int]:
    return select(Device.id).where(Device.kind == DeviceKind.KIOSK.value)


def cutoff() -> datetime:
    """Kiosk requests made before this have lapsed."""
    return utcnow() - timedelta(hours=KIOSK_REQUEST_HOURS)


def is_kiosk_request(session: Session, ret: Return) -> bool:
    if ret.requested_device_id is None or ret.requested_staff_id is not None:
        return False
    device = session.get(Device, ret.requested_device_id)
    return device is not None and device.kind == DeviceKind.KIOSK.value


def expired(session: Session, ret: Return) -> bool:
    return (ret.status == "requested" and is_kiosk_request(session, ret)
            and aware(ret.created_at) <= cutoff())


def _not_kiosk_requested() -> ColumnElement[bool]:
    return or_(Return.status != "requested", Return.requested_device_id.is_(None),
               Return.requested_device_id.not_in(_kiosk_ids()))


def not_lapsed() -> ColumnElement[bool]:
    """Leaves out kiosk requests older than :data:`KIOSK_REQUEST_HOURS` (the
    store's list of open returns is what the returns desk works through)."""
    return or_(_not_kiosk_requested(), Return.created_at > cutoff())


def pending_qty(session: Session, order_line_id: int, *, open_statuses: Sequence[str],
                for_till: bool) -> int:
    """What open returns hold of a sale's line. For a till, kiosk requests hold
    nothing (the till's return supersedes them); for a kiosk, only kiosk requests
    younger than :data:`KIOSK_REQUEST_HOURS` do, beside every till return."""
    stmt = select(ReturnLine.qty).join(Return).where(
        ReturnLine.order_line_id == order_line_id, Return.status.in_(open_statuses))
    stmt = stmt.where(_not_kiosk_requested() if for_till else not_lapsed())
    return sum(session.scalars(stmt))


def supersede(session: Session, *, order_id: int, order_line_ids: list[int], by: Return
              ) -> list[str]:
    """A till took a return from this sale: the open kiosk requests for any of the
    same lines are rejected (the shopper's slip is no longer needed), and so are
    the sale's lapsed ones (they would count towards its supervisor threshold)."""
    same_lines = Return.id.in_(select(ReturnLine.return_id).where(
        ReturnLine.order_line_id.in_(order_line_ids)))
    found = list(session.scalars(
        select(Return).where(
            Return.id != by.id, Return.order_id == order_id, Return.status == "requested",
            Return.requested_device_id.in_(_kiosk_ids()),
            or_(same_lines, Return.created_at <= cutoff()))
        .order_by(Return.id).with_for_update()))
    for ret in found:
        _close(session, ret, SUPERSEDED_NOTE if aware(ret.created_at) > cutoff()
               else EXPIRED_NOTE, by=by.number)
    return [ret.number for ret in found]


def refuse_if_expired(session: Session, ret: Return) -> None:
    """A till reaching for a lapsed kiosk slip is told to start the return afresh
    (the items it named are free again)."""
    if expired(session, ret):
        raise Conflict(f"Return request {ret.number} from the kiosk expired after "
                       f"{KIOSK_REQUEST_HOURS} hours; start the return again at this till.",
                       code="kiosk_request_expired")


def attempt_target(body: ReturnCreate, caller: Caller) -> tuple[str | None, bool, bool]:
    """What a return request is counted against under the lockout: (target,
    signed, counted). A receipt QR counts anywhere (a forged one is a guess); an
    order number with the buyer's email or surname counts at a kiosk (at a till,
    staff typed it)."""
    if body.receipt_code:
        parsed = parse_code(body.receipt_code)
        return (code_target(parsed) if parsed is not None else None), True, True
    if body.order_number and caller.device_kind is DeviceKind.KIOSK:
        return target_key("order", body.order_number), False, True
    return None, False, False


def _close(session: Session, ret: Return, note: str, *, by: str | None = None) -> None:
    ret.status = "rejected"
    ret.note = (f"{ret.note} ({note})" if ret.note else note)[:200]
    ret.decided_at = utcnow()
    emit(session, "return.rejected", store=ret.store_code, subject=ret.number,
         number=ret.number, staff_id=None, withdrawn=False, reason=note, superseded_by=by)


def _words(text: str | None) -> set[str]:
    return {w for w in (text or "").lower().replace(",", " ").split() if w}


def check_buyer(session: Session, *, caller: Caller, order: Order, buyer: str | None) -> None:
    """A kiosk return by order number needs the buyer's email or surname: the
    number alone is sequential. A wrong one counts to the lockout (the route
    charges it, per kiosk and per order)."""
    if caller.device_kind is not DeviceKind.KIOSK:
        return
    if not buyer:
        raise Forbidden("Scan the receipt's QR code, or give the order number with the "
                        "email or surname it was bought under.", code="buyer_required")
    given = buyer.strip().lower()
    customer = session.get(Customer, order.customer_id) if order.customer_id else None
    emails = {e.lower() for e in (order.contact_email, order.receipt_email,
                                  customer.email if customer else None) if e}
    surnames = _words(customer.last_name if customer else None)
    contact = (order.contact_name or "").strip().split()
    if contact:
        surnames.add(contact[-1].lower())
    if given not in emails and given not in surnames:
        raise InvalidInput("The order number and the email or surname do not match an "
                           "order we can return here.", code="buyer_mismatch")
