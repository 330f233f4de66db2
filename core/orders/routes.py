"""Order endpoints: place (idempotently), read, pay, move on, pick, hand over."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response, status
from sqlalchemy.exc import IntegrityError

from core import signing
from core.auth.lockout import code_attempt, code_target, target_key
from core.deps import (
    DbDep,
    DeviceDep,
    MaybeStaffDep,
    SettingsDep,
    StaffDep,
    optional_staff_caller,
)
from core.deps import _approver_header as approver_header
from core.deps import _staff_header as staff_header
from core.giftcards.service import guard_card_payments
from core.orders import access, lifecycle, offline, paying, service, views
from core.orders.receipt_email import request_receipt_email
from core.payments import refunds
from core.payments.gateway import PaymentGateway
from shared.codes import CodeKind, parse_code
from shared.schemas.enums import OrderStatus
from shared.schemas.orders import (
    CheckIn,
    CheckInResult,
    Collect,
    OrderCreate,
    OrderOut,
    PaymentIn,
    Pick,
    PickupOut,
    ReceiptEmail,
    Transition,
)

router = APIRouter(prefix="/v1", tags=["orders"])

IdempotencyKey = Annotated[str, Header(
    alias="Idempotency-Key", min_length=8, max_length=80,
    description="A new random key per order (a UUID); a replay with the same key and body "
    "returns the original order.")]


def gateway_of(request: Request) -> PaymentGateway:
    gateway: PaymentGateway = request.app.state.gateway
    return gateway


@router.post("/orders", response_model=OrderOut, status_code=status.HTTP_201_CREATED,
             summary="Place an order from a basket or from lines, any channel")
def place(body: OrderCreate, key: IdempotencyKey, request: Request, response: Response,
          db: DbDep, settings: SettingsDep, device: DeviceDep,
          staff_token: Annotated[str | None, Depends(staff_header)],
          approver_token: Annotated[str | None, Depends(approver_header)]) -> OrderOut:
    """An offline sale (``offline``) is checked against the staff sign-in valid when
    it was sold, not now: see :mod:`core.orders.offline`."""
    if body.offline:
        caller = offline.offline_caller(device, body, settings=settings, db=db,
                                        staff_token=staff_token, approver_token=approver_token)
    else:
        caller = optional_staff_caller(db, device, settings, staff_token, approver_token)
    digest = service.request_hash(body, caller)
    with db.read() as session:
        existing = service.find_by_key(session, key, device_id=caller.device_id)
        if existing is not None:
            response.status_code = status.HTTP_200_OK
            return views.order_out(session, service.check_replay(existing, digest),
                                   caller=caller, settings=settings, reveal_code=True)
    guard_card_payments(db, settings, caller=caller, payments=body.payments)
    now, rest = ([*body.payments], []) if body.offline else \
        paying.split_at_first_card(body.payments)
    try:
        with db.write() as session:
            placed = service.place(session, caller=caller, body=body,
                                   key=service.scoped_key(caller.device_id, key),
                                   digest=digest, settings=settings,
                                   gateway=gateway_of(request), payments_now=now)
    except IntegrityError:
        # A concurrent request with the same key committed first: answer with its order.
        with db.read() as session:
            existing = service.find_by_key(session, key, device_id=caller.device_id)
            if existing is None:
                raise
            response.status_code = status.HTTP_200_OK
            return views.order_out(session, service.check_replay(existing, digest),
                                   caller=caller, settings=settings, reveal_code=True)
    order = placed.order
    if not rest:
        # Built after the commit, from what the transaction wrote: no write lock is
        # held while the answer is put together, and nothing is read back.
        with db.read() as session:
            return views.order_out(session, order, caller=caller, settings=settings,
                                   reveal_code=True, placed=placed)
    paying.pay_rest(db, number=order.number, rest=rest, caller=caller,
                    gateway=gateway_of(request), settings=settings)
    with db.read() as session:
        return views.order_out(session, service.get_order(session, order.number), caller=caller,
                               settings=settings, reveal_code=True)


# Declared before ``/orders/{number}``: otherwise "open" would be read as an order number.
@router.get("/orders/open", response_model=list[OrderOut],
            summary="This till's sales waiting for payment, part-paid ones included, newest "
            "first (to take up again after a sign-out or restart)")
def open_sales(db: DbDep, settings: SettingsDep, caller: StaffDep) -> list[OrderOut]:
    with db.read() as session:
        return [views.order_out(session, order, caller=caller, settings=settings)
                for order in views.open_sales(session, caller=caller)]


@router.get("/orders/{number}", response_model=OrderOut,
            summary="An order with lines, payments and timeline (masked on a kiosk)")
def read(number: str, db: DbDep, settings: SettingsDep, caller: MaybeStaffDep) -> OrderOut:
    with db.read() as session:
        order = service.get_order(session, number)
        access.check_readable(order, caller)
        return views.order_out(session, order, caller=caller, settings=settings)


@router.get("/receipts/{code}", response_model=OrderOut,
            summary="The order a scanned receipt QR belongs to (masked on a kiosk)")
def by_receipt(code: str, db: DbDep, settings: SettingsDep, caller: MaybeStaffDep) -> OrderOut:
    """Lets a kiosk show what can be returned; a forged code counts to the lockout,
    per device and per order."""
    parsed = parse_code(code)
    with code_attempt(db, settings, caller.device_id,
                      code_target(parsed) if parsed is not None else None, signed=True):
        number = signing.named_by(settings.resolved_secret, parsed, CodeKind.RECEIPT,
                                  refusal="That receipt code is not valid.")
        with db.read() as session:
            order = service.get_order(session, number)
            return views.order_out(session, order, caller=caller, settings=settings)


@router.post("/orders/{number}/payments", response_model=OrderOut,
             summary="Pay (part of) an order; a declined card is recorded, not an error")
def pay(number: str, body: PaymentIn, request: Request, db: DbDep, settings: SettingsDep,
        caller: MaybeStaffDep) -> OrderOut:
    payable = access.payable_by(caller)
    guard_card_payments(db, settings, caller=caller, payments=[body])
    paying.pay(db, number=number, payment=body, caller=caller, gateway=gateway_of(request),
               settings=settings, check=payable)
    with db.read() as session:
        return views.order_out(session, service.get_order(session, number), caller=caller,
                               settings=settings)


@router.post("/orders/{number}/receipt-email", response_model=OrderOut,
             summary="The customer wants the receipt by email instead of on paper")
def receipt_email(number: str, body: ReceiptEmail, db: DbDep, settings: SettingsDep,
                  caller: StaffDep) -> OrderOut:
    """Sent by whatever mailer follows the event stream (:mod:`core.orders.receipt_email`)."""
    with db.write() as session:
        order = request_receipt_email(session, caller=caller, number=number,
                                      email=str(body.email), settings=settings)
        return views.order_out(session, order, caller=caller, settings=settings)


@router.post("/orders/{number}/transitions", response_model=OrderOut,
             summary="Move an order on: picking, ready_for_pickup, shipped, delivered, cancelled")
def transition(number: str, body: Transition, request: Request, db: DbDep,
               settings: SettingsDep, caller: StaffDep) -> OrderOut:
    with refunds.refunding(db, gateway=gateway_of(request), caller=caller) as session:
        lifecycle.transition(session, caller=caller, number=number, to=body.to, note=body.note)
    with db.read() as session:  # after the card terminal answered a cancellation's refund
        return views.order_out(session, service.get_order(session, number), caller=caller,
                               settings=settings)


@router.post("/orders/{number}/pick", response_model=OrderOut, summary="Record picked lines")
def pick(number: str, body: Pick, db: DbDep, settings: SettingsDep, caller: StaffDep
         ) -> OrderOut:
    with db.write() as session:
        order = lifecycle.pick(session, caller=caller, number=number, body=body)
        return views.order_out(session, order, caller=caller, settings=settings)


@router.post("/orders/{number}/collect", response_model=OrderOut,
             summary="Hand a pickup order over (all or some lines); the code works once; "
             "wrong codes or names count to the lockout")
def collect(number: str, body: Collect, request: Request, db: DbDep, settings: SettingsDep,
            caller: StaffDep) -> OrderOut:
    with code_attempt(db, settings, caller.device_id, target_key("order", number),
                      signed=body.code is not None), \
            refunds.refunding(db, gateway=gateway_of(request), caller=caller) as session:
        lifecycle.collect(session, caller=caller, number=number, body=body, settings=settings)
    with db.read() as session:  # after the card terminal answered a refund of lines left
        return views.order_out(session, service.get_order(session, number), caller=caller,
                               settings=settings)


@router.get("/stores/{code}/pickups", response_model=list[PickupOut],
            summary="The click-and-collect queue of a store")
def pickups(code: str, db: DbDep, caller: StaffDep, status: OrderStatus | None = None
            ) -> list[PickupOut]:
    access.check_own_store(caller, code, what="A till sees its own store's pickups.")
    with db.read() as session:
        return views.pickup_queue(session, store=code.upper(), status=status)


@router.post("/pickups/check-in", response_model=CheckInResult,
             summary="A shopper arrived for a pickup (kiosk); wrong codes count to lockout")
def check_in(body: CheckIn, db: DbDep, settings: SettingsDep, caller: DeviceDep
             ) -> CheckInResult:
    parsed = parse_code(body.code) if body.code else None
    target = code_target(parsed) if parsed is not None else \
        target_key("order", body.order_number) if body.order_number else None
    with code_attempt(db, settings, caller.device_id, target, signed=parsed is not None), \
            db.write() as session:
        order = lifecycle.check_in(session, caller=caller, code=body.code,
                                   number=body.order_number, last_name=body.last_name,
                                   settings=settings)
        return views.check_in_result(session, order, caller=caller)
