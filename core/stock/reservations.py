"""Holding and selling the lines of one order in as few statements as a checkout can.

A checkout used to pay one ORM round (build, cache key, flush) per line and per
step: a read of the level before a reservation, another after it for the
event, an INSERT per reservation and per movement. Here each line costs one
conditional ``UPDATE ... RETURNING`` (the new figures feed the ``stock.changed``
event, so nothing is read back), and the rows it leaves behind (reservations,
movements) go in one ``INSERT`` for the whole order. The statements are built
once, on the tables, so an execution costs no ORM compile step.

The guarantees are those of :mod:`core.stock.service`: a line is taken only
``WHERE on_hand - reserved >= qty``, reservations are deleted (``RETURNING``)
before their stock is touched, and lines are taken in (location, SKU) order so
two orders sharing items lock their rows in the same order on PostgreSQL and
cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, update
from sqlalchemy.orm import Session

from core.events.service import emit
from core.problems import InvalidInput
from core.stock import service as stock
from core.stock.low import note_level
from core.stock.models import Reservation, StockLevel, StockMovement
from core.timeutil import utcnow

_levels = cast(Table, StockLevel.__table__)
_reservations = cast(Table, Reservation.__table__)
_movements = cast(Table, StockMovement.__table__)

_TAKE = (
    update(_levels)
    .where(_levels.c.location_code == bindparam("loc"), _levels.c.sku == bindparam("s"),
           _levels.c.on_hand - _levels.c.reserved >= bindparam("q"))
    .values(reserved=_levels.c.reserved + bindparam("q"))
    .returning(_levels.c.on_hand, _levels.c.reserved)
)
_SELL = (
    update(_levels)
    .where(_levels.c.location_code == bindparam("loc"), _levels.c.sku == bindparam("s"))
    .values(on_hand=_levels.c.on_hand - bindparam("q"),
            reserved=_levels.c.reserved - bindparam("q"))
    .returning(_levels.c.on_hand, _levels.c.reserved)
)
_TAKE_OWNER = (
    delete(_reservations)
    .where(_reservations.c.owner_kind == bindparam("kind"),
           _reservations.c.owner_id == bindparam("owner"))
    .returning(_reservations.c.location_code, _reservations.c.sku, _reservations.c.qty,
               _reservations.c.shortfall)
)
_ADD_RESERVATIONS = insert(_reservations)
_ADD_MOVEMENTS = insert(_movements)


def _changed(session: Session, location: str, sku: str, on_hand: int, reserved: int) -> None:
    """Every change here takes units (reserves or sells them): ``stock.changed``, and
    ``stock.low`` when this one crossed the threshold (:mod:`core.stock.low`), as
    :func:`core.stock.service.reserve` says them."""
    emit(session, "stock.changed", store=location, subject=sku, sku=sku, location=location,
         on_hand=on_hand, reserved=reserved, available=on_hand - reserved)
    note_level(session, location=location, sku=sku, on_hand=on_hand, reserved=reserved,
               went_down=True)


def try_take(session: Session, location: str, sku: str, qty: int) -> bool:
    """Reserve ``qty`` at ``location`` if that many are free; one statement."""
    if qty <= 0:
        raise InvalidInput("A quantity must be at least 1.")
    row = session.execute(_TAKE, {"loc": location, "s": sku, "q": qty}).first()
    if row is None:
        return False
    _changed(session, location, sku, row.on_hand, row.reserved)
    return True


def add_reservations(session: Session, rows: Sequence[tuple[str, str, int]], *,
                     owner_kind: str, owner_id: str, expires_at: datetime | None) -> None:
    """Record what :func:`try_take` took, ``(location, sku, qty)`` each, in one INSERT."""
    if not rows:
        return
    now = utcnow()
    session.execute(_ADD_RESERVATIONS, [
        {"location_code": location, "sku": sku, "qty": qty, "shortfall": 0,
         "owner_kind": owner_kind, "owner_id": owner_id, "expires_at": expires_at,
         "created_at": now} for location, sku, qty in rows])


def take_lines(session: Session, location: str, lines: Iterable[tuple[str, int]], *,
               owner_kind: str, owner_id: str, expires_at: datetime | None) -> None:
    """Strict: every line at ``location`` or ``OutOfStock`` for the first that is short."""
    taken = []
    for sku, qty in sorted(lines):
        if not try_take(session, location, sku, qty):
            stock.refuse_reservation(session, location, sku, qty)
        taken.append((location, sku, qty))
    add_reservations(session, taken, owner_kind=owner_kind, owner_id=owner_id,
                     expires_at=expires_at)


def hold_in_hand(session: Session, location: str, lines: Iterable[tuple[str, int]], *,
                 owner_kind: str, owner_id: str, expires_at: datetime | None,
                 staff_id: int | None = None) -> None:
    """Goods in the shopper's hand at a till: never refused. A line the count covers
    costs one statement; one it does not goes the careful way
    (:func:`core.stock.service.reserve_in_hand`: the row locked, the shortfall noted)."""
    taken = []
    for sku, qty in sorted(lines):
        if try_take(session, location, sku, qty):
            taken.append((location, sku, qty))
        else:
            stock.reserve_in_hand(session, location=location, sku=sku, qty=qty,
                                  owner_kind=owner_kind, owner_id=owner_id, reference=owner_id,
                                  staff_id=staff_id, expires_at=expires_at)
    add_reservations(session, taken, owner_kind=owner_kind, owner_id=owner_id,
                     expires_at=expires_at)


def consume_all(session: Session, owner_kind: str, owner_id: str, *, reason: str = "sale",
                reference: str = "", staff_id: int | None = None) -> int:
    """Every reservation of one owner leaves the location whole (a till sale that
    completes), as :func:`core.stock.service.consume` does for one: deleted first
    (so a racing release finds nothing), then the counted units off the level, the
    shortfall corrected on the count, one INSERT for all the movements. Returns the
    units that left."""
    held = sorted(session.execute(_TAKE_OWNER, {"kind": owner_kind, "owner": owner_id}).all())
    movements: list[dict[str, Any]] = []
    now, used = utcnow(), 0
    for location, sku, qty, shortfall in held:
        if qty:
            row = session.execute(_SELL, {"loc": location, "s": sku, "q": qty}).one()
            figures = (row.on_hand, row.reserved)
        else:
            level = stock.level(session, location, sku)
            figures = (level.on_hand, level.reserved)
        if shortfall:
            movements.append({"location_code": location, "sku": sku, "delta": shortfall,
                              "reason": "count_correction", "reference": reference,
                              "note": "sold at a till while the count said none",
                              "staff_id": staff_id, "created_at": now})
            emit(session, "stock.discrepancy", store=location, subject=sku, sku=sku,
                 location=location, shortfall=shortfall, reference=reference)
        movements.append({"location_code": location, "sku": sku, "delta": -(qty + shortfall),
                          "reason": reason, "reference": reference, "note": "",
                          "staff_id": staff_id, "created_at": now})
        _changed(session, location, sku, *figures)
        used += qty + shortfall
    if movements:
        session.execute(_ADD_MOVEMENTS, movements)
    return used


def hold_until(session: Session, owner_kind: str, owner_id: str, expires_at: datetime | None,
               *, sku: str | None = None, only_expiring: bool = False) -> None:
    """Set when an owner's reservations lapse (``None``: never, for money taken).

    ``sku``: only that item's; ``only_expiring``: leave those that never lapse. On
    the entity, so reservations this session holds see the new expiry too."""
    stmt = update(Reservation).where(Reservation.owner_kind == owner_kind,
                                     Reservation.owner_id == owner_id)
    if sku is not None:
        stmt = stmt.where(Reservation.sku == sku)
    if only_expiring:
        stmt = stmt.where(Reservation.expires_at.is_not(None))
    session.execute(stmt.values(expires_at=expires_at))


def hand_over(session: Session, *, from_kind: str, from_id: str, to_kind: str, to_id: str,
              expires_at: datetime | None) -> None:
    """A basket's reservations become its order's, with the order's expiry."""
    session.execute(update(Reservation).where(
        Reservation.owner_kind == from_kind, Reservation.owner_id == from_id,
    ).values(owner_kind=to_kind, owner_id=to_id, expires_at=expires_at))
