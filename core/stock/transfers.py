"""Goods moving between locations: a supervisor's replenishment, or the goods of
a ship-to-store order on their way to the pickup store.

Stock owns transfers whoever starts them: the order lifecycle ships and
receives an order's goods through :func:`send_for_order` and
:func:`arrive_for_order`, naming the order by its number only, so stock never
imports the orders domain (an import-linter contract holds it so).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit import service as audit
from core.caller import Caller
from core.events.service import emit
from core.orders.numbers import next_value  # the chain's counters, not the orders domain
from core.problems import Conflict, Forbidden, NotFound
from core.stock import service as stock
from core.stock.models import Transfer, TransferLine
from core.timeutil import utcnow
from shared.schemas.enums import Role
from shared.schemas.orders import TransferCreate, TransferLineIn, TransferOut

Move = tuple[str, str, int]
"""(source location, SKU, quantity) of goods leaving for a transfer."""


def _new(session: Session, *, source: str, target: str, order_number: str | None = None
         ) -> Transfer:
    transfer = Transfer(number=f"T-{next_value(session, 'transfer'):06d}",
                        from_location=source, to_location=target, order_number=order_number)
    session.add(transfer)
    session.flush()
    return transfer


def _lines(session: Session, transfer: Transfer) -> list[TransferLine]:
    return list(session.scalars(select(TransferLine).where(
        TransferLine.transfer_id == transfer.id).order_by(TransferLine.id)))


def send(session: Session, *, caller: Caller, body: TransferCreate) -> Transfer:
    """A supervisor sends goods from their store (a manager between any two
    locations): they leave the source's stock now and are in transit until the
    target receives them."""
    staff = caller.require_staff(Role.SUPERVISOR, "send a transfer")
    source = stock.get_location(session, body.from_location)
    target = stock.get_location(session, body.to_location)
    if source.code == target.code:
        raise Conflict("A transfer goes to another location.", code="same_location")
    if source.code != caller.store_code and not staff.role.at_least(Role.MANAGER):
        raise Forbidden("A supervisor sends goods from their own store; a manager moves "
                        "stock between other locations.", code="other_store")
    for line in body.lines:
        stock.known_sku(session, line.sku)
    transfer = _new(session, source=source.code, target=target.code)
    for line in body.lines:
        stock.remove(session, location=source.code, sku=line.sku, qty=line.qty,
                     reason="transfer_out", reference=transfer.number, staff_id=staff.staff_id)
        session.add(TransferLine(transfer_id=transfer.id, sku=line.sku, qty=line.qty))
    emit(session, "transfer.created", store=target.code, subject=transfer.number,
         transfer=transfer.number, source=source.code)
    audit.record(session, "transfer.sent", caller=caller, store=source.code,
                 subject=transfer.number, to=target.code,
                 lines=[{"sku": line.sku, "qty": line.qty} for line in body.lines])
    session.flush()
    return transfer


def receive(session: Session, *, caller: Caller, number: str) -> Transfer:
    """The goods of a replenishment arrived at this till's store. An order's
    transfer arrives with its order instead (marked ready for pickup), which
    reserves the goods for it."""
    caller.require_staff(Role.CASHIER, "receive goods")
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
    receive_lines(session, transfer)
    audit.record(session, "transfer.received", caller=caller, store=transfer.to_location,
                 subject=transfer.number, source=transfer.from_location)
    return transfer


def receive_lines(session: Session, transfer: Transfer) -> list[TransferLine]:
    """Into the target's stock; returns the lines received."""
    lines = _lines(session, transfer)
    for line in lines:
        stock.receive(session, location=transfer.to_location, sku=line.sku, qty=line.qty,
                      reason="transfer_in", reference=transfer.number)
    transfer.status, transfer.received_at = "received", utcnow()
    emit(session, "transfer.received", store=transfer.to_location, subject=transfer.number,
         transfer=transfer.number)
    return lines


def send_for_order(session: Session, *, order_number: str, target: str,
                   moves: Iterable[Move]) -> list[Transfer]:
    """A ship-to-store order's goods leave their sources (already taken off their
    stock by the order's reservations): one transfer per source."""
    transfers: dict[str, Transfer] = {}
    for source, sku, qty in moves:
        if source not in transfers:
            transfers[source] = _new(session, source=source, target=target,
                                     order_number=order_number)
        session.add(TransferLine(transfer_id=transfers[source].id, sku=sku, qty=qty))
    for transfer in transfers.values():
        emit(session, "transfer.created", store=transfer.to_location, subject=transfer.number,
             transfer=transfer.number, order=order_number, source=transfer.from_location)
    return list(transfers.values())


def arrive_for_order(session: Session, *, order_number: str) -> None:
    """A ship-to-store order's goods arrive: into the pickup store's stock, reserved
    for the order (no expiry: it waits for its shopper)."""
    for transfer in list(session.scalars(select(Transfer).where(
            Transfer.order_number == order_number, Transfer.status == "in_transit"))):
        for line in receive_lines(session, transfer):
            stock.reserve(session, location=transfer.to_location, sku=line.sku, qty=line.qty,
                          owner_kind="order", owner_id=order_number, expires_at=None)


def transfer_out(session: Session, transfer: Transfer) -> TransferOut:
    return TransferOut(
        number=transfer.number, from_location=transfer.from_location,
        to_location=transfer.to_location, status=transfer.status,
        order_number=transfer.order_number,
        lines=[TransferLineIn(sku=line.sku, qty=line.qty) for line in _lines(session, transfer)],
        created_at=transfer.created_at, received_at=transfer.received_at,
    )
