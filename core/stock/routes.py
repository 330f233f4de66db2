"""Stock endpoints: levels, adjustments (counts, receipts, damage) and transfers."""

from __future__ import annotations

from fastapi import APIRouter, status

from core.deps import DbDep, DeviceDep, StaffDep
from core.stock import adjustments, service, transfers
from shared.schemas.orders import AdjustmentIn, StockLevelOut, TransferCreate, TransferOut

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
    with db.write() as session:
        return _level_out(adjustments.adjust(session, caller=caller, body=body))


@router.post("/transfers", response_model=TransferOut, status_code=status.HTTP_201_CREATED,
             summary="Send goods to another location (they are in transit until received)")
def create_transfer(body: TransferCreate, db: DbDep, caller: StaffDep) -> TransferOut:
    with db.write() as session:
        return transfers.transfer_out(session, transfers.send(session, caller=caller, body=body))


@router.post("/transfers/{number}/receive", response_model=TransferOut,
             summary="Goods of a transfer arrived at their destination")
def receive_transfer(number: str, db: DbDep, caller: StaffDep) -> TransferOut:
    with db.write() as session:
        transfer = transfers.receive(session, caller=caller, number=number)
        return transfers.transfer_out(session, transfer)
