"""The till session of the calling till: open, cash in/out, X report, close (Z)."""

from __future__ import annotations

from fastapi import APIRouter, status

from core.deps import DbDep, IdPath, SettingsDep, StaffDep
from core.tills import service
from shared.schemas.tills import CashMovementIn, TillClose, TillOpen, TillReport

router = APIRouter(prefix="/v1/till", tags=["till"])


@router.get("", response_model=TillReport, summary="X report of this till's open session")
def x_report(db: DbDep, settings: SettingsDep, caller: StaffDep) -> TillReport:
    with db.read() as session:
        return service.report(session, service.current(session, caller), settings)


@router.post("/open", response_model=TillReport, status_code=status.HTTP_201_CREATED,
             summary="Open the till with its counted float")
def open_till(body: TillOpen, db: DbDep, settings: SettingsDep, caller: StaffDep) -> TillReport:
    with db.write() as session:
        till = service.open_till(session, caller=caller, float_cents=body.float_cents)
        return service.report(session, till, settings)


@router.post("/movements", response_model=TillReport, summary="Cash in or out of the drawer")
def move(body: CashMovementIn, db: DbDep, settings: SettingsDep, caller: StaffDep) -> TillReport:
    with db.write() as session:
        return service.report(session, service.move_cash(session, caller=caller, body=body),
                              settings)


@router.post("/close", response_model=TillReport,
             summary="Close with the counted cash: the Z report (supervisor over a variance)")
def close(body: TillClose, db: DbDep, settings: SettingsDep, caller: StaffDep) -> TillReport:
    with db.write() as session:
        till = service.close_till(session, caller=caller, body=body, settings=settings)
        return service.report(session, till, settings)


@router.get("/sessions/{session_id}", response_model=TillReport,
            summary="A past session's report (Z once closed)")
def read(session_id: IdPath, db: DbDep, settings: SettingsDep, caller: StaffDep) -> TillReport:
    with db.read() as session:
        return service.report(
            session, service.past_session(session, caller=caller, session_id=session_id),
            settings)
