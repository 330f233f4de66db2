"""Stock endpoints: levels, adjustments (counts, receipts, damage) and transfers."""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlalchemy import select

from core.audit import service as audit
from core.deps import DbDep, DeviceDep, StaffDep
from core.events.service import emit
from core.orders.lifecycle import receive_transfer_lines
from core.orders.numbers import next_value
from core.problems import Conflict, Forbidden, NotFound
from core.stock import service
from core.stock.models import Transfer, TransferLine
from shared.schemas.enums import Role
from shared.schemas.orders import (
    AdjustmentIn,
    StockLevelOut,
    TransferCreate,
    TransferLineIn,
    TransferOut,
)

router = APIRouter(prefix="/v1/stock", tags=["stock"])


def _level_out(level: service.Level) -> StockLevelOut:
    return StockLevelOut(location=level.location, sku=level.sku, on_hand=level.on_hand,
                         reserved=level.reserved, available=level.available)


@router.get("/{location}/{sku}", response_model=StockLevelOut, summary="One stock level")
def read_level(location: str, sku: str, db: DbDep, caller: DeviceDep) -> StockLevelOut:
    with db.read() as session:
        found = service.get_location(session, location)
        return _level_out(service.level(session, found.code, service.known_sku(session, sku)))


@router.post("/adjustments", response_model=StockLevelOut,
             summary="Count, receipt of goods or damage write-off (supervisor)")
def adjust(body: AdjustmentIn, db: DbDep, caller: StaffDep) -> StockLevelOut:
    staff = caller.require_staff(Role.SUPERVISOR, "adjust stock")
    if caller.store_code != body.location and not staff.role.at_least(Role.MANAGER):
        raise Forbidden("A supervisor adjusts the stock of their own store.", code="other_store")
    with db.write() as session:
        service.get_location(session, body.location)
        service.known_sku(session, body.sku)
        before = service.level(session, body.location, body.sku).on_hand
        if body.reason == "count":
            service.set_count(session, location=body.location, sku=body.sku, counted=body.qty,
                              reference=body.note, staff_id=staff.staff_id)
        elif body.reason == "receipt":
            service.receive(session, location=body.location, sku=body.sku, qty=body.qty,
                            reason="receipt", reference=body.note, staff_id=staff.staff_id)
        else:
            service.remove(session, location=body.location, sku=body.sku, qty=body.qty,
                           reason="damage", reference=body.note, staff_id=staff.staff_id)
        after = service.level(session, body.location, body.sku)
        audit.record(session, "stock.adjusted", caller=caller, store=body.location,
                     subject=body.sku, reason=body.reason, qty=body.qty, note=body.note,
                     on_hand_before=before, on_hand_after=after.on_hand)
        return _level_out(after)


def _transfer_out(session, transfer: Transfer) -> TransferOut:
    lines = session.scalars(select(TransferLine).where(TransferLine.transfer_id == transfer.id))
    return TransferOut(
        number=transfer.number, from_location=transfer.from_location,
        to_location=transfer.to_location, status=transfer.status,
        order_number=transfer.order_number,
        lines=[TransferLineIn(sku=line.sku, qty=line.qty) for line in lines],
        created_at=transfer.created_at, received_at=transfer.received_at,
    )


@router.post("/transfers", response_model=TransferOut, status_code=status.HTTP_201_CREATED,
             summary="Send goods to another location (they are in transit until received)")
def create_transfer(body: TransferCreate, db: DbDep, caller: StaffDep) -> TransferOut:
    staff = caller.require_staff(Role.SUPERVISOR, "send a transfer")
    with db.write() as session:
        source = service.get_location(session, body.from_location)
        target = service.get_location(session, body.to_location)
        if source.code == target.code:
            raise Conflict("A transfer goes to another location.", code="same_location")
        if source.code != caller.store_code and not staff.role.at_least(Role.MANAGER):
            raise Forbidden("A supervisor sends goods from their own store; a manager moves "
                            "stock between other locations.", code="other_store")
        transfer = Transfer(number=f"T-{next_value(session, 'transfer'):06d}",
                            from_location=source.code, to_location=target.code)
        for line in body.lines:
            service.known_sku(session, line.sku)
        session.add(transfer)
        session.flush()
        for line in body.lines:
            service.remove(session, location=source.code, sku=line.sku, qty=line.qty,
                           reason="transfer_out", reference=transfer.number,
                           staff_id=staff.staff_id)
            session.add(TransferLine(transfer_id=transfer.id, sku=line.sku, qty=line.qty))
        emit(session, "transfer.created", store=target.code, subject=transfer.number,
             transfer=transfer.number, source=source.code)
        audit.record(session, "transfer.sent", caller=caller, store=source.code,
                     subject=transfer.number, to=target.code,
                     lines=[{"sku": line.sku, "qty": line.qty} for line in body.lines])
        session.flush()
        return _transfer_out(session, transfer)


@router.post("/transfers/{number}/receive", response_model=TransferOut,
             summary="Goods of a transfer arrived at their destination")
def receive_transfer(number: str, db: DbDep, caller: StaffDep) -> TransferOut:
    caller.require_staff(Role.CASHIER, "receive goods")
    with db.write() as session:
        transfer = session.scalar(select(Transfer).where(Transfer.number == number.upper())
                                  .with_for_update())
        if transfer is None:
            raise NotFound(f"There is no transfer {number}.", code="transfer_not_found")
        if transfer.to_location != caller.store_code:
            raise Forbidden(f"Transfer {transfer.number} goes to {transfer.to_location}.",
                            code="other_store")
        if transfer.status != "in_transit":
            raise Conflict(f"Transfer {transfer.number} was already received.",
                           code="already_received")
        if transfer.order_number:
            raise Conflict(f"Transfer {transfer.number} carries order {transfer.order_number}; "
                           "mark that order ready for pickup instead.", code="order_transfer",
                           order=transfer.order_number)
        receive_transfer_lines(session, transfer)
        audit.record(session, "transfer.received", caller=caller, store=transfer.to_location,
                     subject=transfer.number, source=transfer.from_location)
        return _transfer_out(session, transfer)
