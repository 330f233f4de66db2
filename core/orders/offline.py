"""A sale the till made while the core was out of reach, replayed from its outbox.

The goods have left the store and the receipt is in the customer's hand, so the
replay is never refused for stock. It is refused for *who* and *how*: it must
carry the staff sign-in this till was issued while it was online, valid at the
moment of the sale (it may have expired since; it is signed by the core, names
this device and its issue time), and it may only use tenders the till can take
alone (cash, card store-and-forward). Points, gift cards and store credit are
balances that only the core can check, so they wait for it.

A supervisor's approval comes two ways. Given *at the sale* (a discount over
the cashier's limit, approved offline against the supervisor's PIN on that
till), it is their sign-in to this till valid at ``sold_at``: they existed, were
active and were on this till then. Given *now*, from the till's review list of
refused replays, it is their sign-in valid now (and they are active now): the
supervisor takes the sale on, so a cashier's sign-in that does not check out
no longer refuses it; the order records the supervisor as who sold it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth.models import Staff
from core.auth.service import StaffClaims, read_staff_token
from core.caller import Caller
from core.carts.models import Cart
from core.db import Database
from core.orders.models import Order
from core.problems import CommerceProblem, Forbidden, InvalidInput, Unauthorized
from core.settings import CoreSettings
from core.stock import service as stock
from core.timeutil import utcnow
from shared.schemas.enums import CartStatus, DeviceKind, Role, Tender
from shared.schemas.orders import OrderCreate

CLOCK_SKEW = timedelta(minutes=2)
"""How far ahead of the core's clock a till's ``sold_at`` may be."""

NEEDS_CORE = frozenset({Tender.LOYALTY_POINTS, Tender.GIFT_CARD, Tender.STORE_CREDIT})
"""Tenders whose balance lives in the core: never taken offline."""


def offline_caller(device: Caller, body: OrderCreate, *, settings: CoreSettings,
                   staff_token: str | None, approver_token: str | None,
                   db: Database) -> Caller:
    """The caller of an offline sale: the till, and the cashier whose sign-in it
    carries, checked at ``sold_at`` (now when the till did not say); or the
    supervisor who took it on from the review list (``db`` checks they are active)."""
    if device.device_kind is not DeviceKind.POS:
        raise Forbidden("Only a till sells offline.", code="till_only")
    if not staff_token:
        raise Unauthorized("An offline sale must carry the sign-in of the cashier who made "
                           "it.", code="staff_required")
    now = utcnow()
    at = body.sold_at or now
    if at.tzinfo is None:
        raise InvalidInput("sold_at needs a time zone (UTC: a trailing Z).",
                           code="sold_at_naive")
    if at > now + CLOCK_SKEW:
        raise InvalidInput("sold_at is in the future; check the till's clock.",
                           code="sold_at_in_future")
    check_tenders(body)
    secret = settings.resolved_secret
    try:
        staff = read_staff_token(secret=secret, token=staff_token,
                                 device_id=device.device_id, at=at)
    except CommerceProblem as refusal:
        taken_on = _taken_on(device, settings, approver_token, db)
        if taken_on is None:
            raise refusal from None
        return Caller(device.device_id, device.device_kind, device.device_name,
                      device.store_code, taken_on, taken_on)
    approver = _approver(device, settings, approver_token, at, db) if approver_token \
        else None
    return Caller(device.device_id, device.device_kind, device.device_name, device.store_code,
                  staff, approver)


def _approver(device: Caller, settings: CoreSettings, token: str, at: datetime,
              db: Database) -> StaffClaims:
    """Approved at the sale (valid at ``sold_at``), or now from the review list."""
    try:
        return read_staff_token(secret=settings.resolved_secret, token=token,
                                device_id=device.device_id, at=at)
    except CommerceProblem:
        taken_on = _taken_on(device, settings, token, db)
        if taken_on is None:
            raise
        return taken_on


def _taken_on(device: Caller, settings: CoreSettings, token: str | None,
              db: Database) -> StaffClaims | None:
    """A supervisor signed in on this till now, and active: they answer for the sale."""
    if not token:
        return None
    claims = read_staff_token(secret=settings.resolved_secret, token=token,
                              device_id=device.device_id)
    if not claims.role.at_least(Role.SUPERVISOR):
        return None
    with db.read() as session:
        staff = session.get(Staff, claims.staff_id)
        if staff is None or not staff.active:
            raise Unauthorized("This staff member can no longer sign in; ask a manager.",
                               code="staff_inactive")
    return claims


def check_tenders(body: OrderCreate) -> None:
    refused = sorted({p.tender.value for p in body.payments if p.tender in NEEDS_CORE})
    if refused:
        raise Forbidden(f"An offline sale cannot be paid with {', '.join(refused)}: those "
                        "balances are checked by the core.", code="tender_needs_core",
                        tenders=refused)


def close_replaced_cart(session: Session, *, order: Order, caller: Caller,
                        cart_id: str | None) -> None:
    """The basket that was open on the core when the till went offline gives its
    reservations back and is closed by this order. Anything unexpected (gone,
    another store's, already ordered) is left alone: the sale itself stands."""
    if not cart_id:
        return
    cart = session.scalar(select(Cart).where(Cart.id == cart_id).with_for_update())
    if cart is None or cart.store_code != caller.store_code or cart.status not in (
            CartStatus.OPEN, CartStatus.HANDED_OFF, CartStatus.EXPIRED):
        return
    if session.scalar(select(Order.id).where(Order.cart_id == cart.id)) is not None:
        return
    stock.release_owner(session, "cart", cart.id)
    cart.status = CartStatus.CHECKED_OUT
    order.cart_id = cart.id
