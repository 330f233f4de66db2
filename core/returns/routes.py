"""Return endpoints: request (kiosk or till), the store's open returns,
approve / reject (or withdraw), refund."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from core.auth.lockout import code_attempt
from core.deps import DbDep, MaybeStaffDep, SettingsDep, StaffDep
from core.orders.routes import IdempotencyKey, gateway_of
from core.payments import refunds
from core.returns import exchange as exchanges
from core.returns import kiosk, service
from shared.schemas.exchanges import ExchangeCreate, ExchangeOut
from shared.schemas.returns import (
    OPEN_RETURN_STATUSES,
    ReturnCreate,
    ReturnDecision,
    ReturnOut,
    ReturnStatus,
)

router = APIRouter(prefix="/v1/returns", tags=["returns"])


@router.post("", response_model=ReturnOut, status_code=status.HTTP_201_CREATED,
             summary="Start a return (kiosk: a request with a slip; till: approved when allowed)")
def create(body: ReturnCreate, db: DbDep, settings: SettingsDep, caller: MaybeStaffDep
           ) -> ReturnOut:
    """A receipt QR, or at a kiosk an order number with the buyer's email or surname,
    is counted under the lockout per device and per order (:mod:`core.returns.kiosk`)."""
    target, signed, counted = kiosk.attempt_target(body, caller)
    with (code_attempt(db, settings, caller.device_id, target, signed=signed) if counted
          else nullcontext()), db.write() as session:
        ret = service.create_return(session, caller=caller, body=body, settings=settings)
        return service.return_out(session, ret, settings=settings)


@router.get("", response_model=list[ReturnOut],
            summary="This store's returns by status (open ones by default), oldest first")
def listing(db: DbDep, settings: SettingsDep, caller: StaffDep,
            statuses: Annotated[list[ReturnStatus] | None, Query(
                alias="status", description="Repeat to ask for several; default requested "
                "and approved, the returns that still hold their items.")] = None,
            ) -> list[ReturnOut]:
    with db.read() as session:
        found = service.store_returns(session, caller=caller,
                                      statuses=statuses or OPEN_RETURN_STATUSES)
        return [service.return_out(session, ret, settings=settings) for ret in found]


@router.get("/{number}", response_model=ReturnOut, summary="A return")
def read(number: str, db: DbDep, settings: SettingsDep, caller: StaffDep) -> ReturnOut:
    with db.read() as session:
        return service.return_out(session, service.get_return(session, number),
                                  settings=settings)


@router.post("/{number}/approve", response_model=ReturnOut,
             summary="Approve (a supervisor over the threshold or without a receipt)")
def approve(number: str, body: ReturnDecision, db: DbDep, settings: SettingsDep,
            caller: StaffDep) -> ReturnOut:
    with db.write() as session:
        ret = service.decide(session, caller=caller, number=number, approve=True,
                             settings=settings, note=body.note)
        return service.return_out(session, ret, settings=settings)


@router.post("/{number}/reject", response_model=ReturnOut,
             summary="Reject a return request (the till that asked may withdraw its own)")
def reject(number: str, body: ReturnDecision, db: DbDep, settings: SettingsDep,
           caller: StaffDep) -> ReturnOut:
    with db.write() as session:
        ret = service.decide(session, caller=caller, number=number, approve=False,
                             settings=settings, note=body.note)
        return service.return_out(session, ret, settings=settings)


@router.post("/{number}/refund", response_model=ReturnOut,
             summary="Refund an approved return: restock, pay back, claw back points")
def refund(number: str, request: Request, db: DbDep, settings: SettingsDep, caller: StaffDep
           ) -> ReturnOut:
    with refunds.refunding(db, gateway=gateway_of(request), caller=caller) as session:
        ret, clawed = service.refund(session, caller=caller, number=number)
    with db.read() as session:  # after the card terminal answered
        return service.return_out(session, service.get_return(session, ret.number),
                                  settings=settings, clawed=clawed)


@router.post("/{number}/exchange", response_model=ExchangeOut,
             status_code=status.HTTP_201_CREATED,
             summary="Exchange an approved return: its value pays for a new sale; only the "
             "difference is paid or refunded; all or nothing")
def exchange(number: str, body: ExchangeCreate, key: IdempotencyKey, request: Request,
             response: Response, db: DbDep, settings: SettingsDep, caller: StaffDep
             ) -> ExchangeOut:
    answer, replayed = exchanges.run(db, caller=caller, number=number, body=body, key=key,
                                     settings=settings, gateway=gateway_of(request))
    if replayed:
        response.status_code = status.HTTP_200_OK
    return answer
