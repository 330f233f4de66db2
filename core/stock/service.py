"""Stock: every change is one conditional UPDATE inside the command's transaction.

``reserve`` succeeds only ``WHERE on_hand - reserved >= qty``; releasing and
consuming first delete the reservation row (``DELETE ... RETURNING``) and only
then touch the level, so two processes racing to release the same reservation
cannot give the stock back twice. No lock in this process is involved: the
same holds with many workers on PostgreSQL.

Goods in a shopper's hand at a till are held even when the count says none;
the count is corrected only when that sale completes (see ``reserve_in_hand``
and ``consume``), never by a scan that may still be voided.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.catalog.service import get_product
from core.db import rows_changed
from core.events.service import emit
from core.problems import Conflict, InvalidInput, NotFound, OutOfStock
from core.stock.low import note_level
from core.stock.models import Reservation, StockLevel, StockMovement
from core.stores.models import Location
from core.timeutil import utcnow


@dataclass(frozen=True, slots=True)
class Level:
    location: str
    sku: str
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


def ensure_level(session: Session, location: str, sku: str) -> None:
    """Create the (location, SKU) row at zero if it is missing, race-free."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(StockLevel)
        .values(location_code=location, sku=sku, on_hand=0, reserved=0)
        .on_conflict_do_nothing()
    )


def get_location(session: Session, code: str) -> Location:
    location = session.get(Location, code.upper())
    if location is None:
        raise NotFound(f"There is no store or warehouse {code!r}.", code="store_not_found")
    return location


def known_sku(session: Session, sku: str) -> str:
    """The SKU as the catalog spells it; ``NotFound`` for one it does not have (a
    foreign-key failure later would read as a concurrent change)."""
    return get_product(session, sku).sku


def level(session: Session, location: str, sku: str, *, lock: bool = False) -> Level:
    stmt = select(StockLevel).where(StockLevel.location_code == location, StockLevel.sku == sku)
    if lock:
        stmt = stmt.with_for_update()
    row = session.execute(stmt.execution_options(populate_existing=True)).scalar_one_or_none()
    if row is None:
        return Level(location, sku, 0, 0)
    return Level(location, sku, row.on_hand, row.reserved)


def _changed(session: Session, location: str, sku: str, *, went_down: bool = False) -> None:
    """``went_down``: units left ``available`` or ``on_hand`` (a ``stock.low`` may be due)."""
    current = level(session, location, sku)
    emit(session, "stock.changed", store=location, subject=sku, sku=sku, location=location,
         on_hand=current.on_hand, reserved=current.reserved, available=current.available)
    note_level(session, location=location, sku=sku, on_hand=current.on_hand,
               reserved=current.reserved, went_down=went_down)


def _move(session: Session, location: str, sku: str, delta: int, reason: str,
          reference: str = "", note: str = "", staff_id: int | None = None) -> None:
    session.add(StockMovement(location_code=location, sku=sku, delta=delta, reason=reason,
                              reference=reference, note=note, staff_id=staff_id))


def reserve(
    session: Session, *, location: str, sku: str, qty: int, owner_kind: str, owner_id: str,
    expires_at: datetime | None,
) -> Reservation:
    """Strict reservation: refused with ``OutOfStock`` when fewer are available."""
    if qty <= 0:
        raise InvalidInput("A quantity must be at least 1.")
    done = rows_changed(session.execute(
        update(StockLevel)
        .where(StockLevel.location_code == location, StockLevel.sku == sku,
               StockLevel.on_hand - StockLevel.reserved >= qty)
        .values(reserved=StockLevel.reserved + qty)
        .execution_options(synchronize_session=False)
    ))
    if done != 1:
        refuse_reservation(session, location, sku, qty)
    reservation = Reservation(location_code=location, sku=sku, qty=qty, owner_kind=owner_kind,
                              owner_id=owner_id, expires_at=expires_at)
    session.add(reservation)
    session.flush()
    _changed(session, location, sku, went_down=True)
    return reservation


def refuse_reservation(session: Session, location: str, sku: str, qty: int) -> NoReturn:
    """``OutOfStock`` for a strict reservation the conditional update refused."""
    available = level(session, location, sku).available
    product = get_product(session, sku)
    raise OutOfStock(
        f"Only {available} of {product.name} available at {location}; {qty} asked."
        if available else f"{product.name} is out of stock at {location}.",
        sku=sku, location=location, available=available, requested=qty,
    )


def reserve_in_hand(
    session: Session, *, location: str, sku: str, qty: int, owner_kind: str, owner_id: str,
    reference: str, staff_id: int | None = None, expires_at: datetime | None = None,
) -> Reservation:
    """Hold goods the shopper already holds at a till: never refused.

    What the count has is reserved as usual; the rest is noted on the
    reservation as its ``shortfall`` and changes nothing yet. The count is
    corrected only when the sale completes (``consume``), so a basket that is
    voided or expires, or an order that is cancelled unpaid, leaves ``on_hand``
    as it was and the web never sells goods the store does not have. The row is
    locked first so the part that is reserved is computed on the figure updated.
    ``reference`` and ``staff_id`` are accepted for the callers' sake; the
    correction is recorded by ``consume``, against the sale that completes.
    """
    if qty <= 0:
        raise InvalidInput("A quantity must be at least 1.")
    ensure_level(session, location, sku)
    current = level(session, location, sku, lock=True)
    covered = max(0, min(qty, current.available))
    if covered:
        done = rows_changed(session.execute(
            update(StockLevel)
            .where(StockLevel.location_code == location, StockLevel.sku == sku,
                   StockLevel.on_hand - StockLevel.reserved >= covered)
            .values(reserved=StockLevel.reserved + covered)
            .execution_options(synchronize_session=False)
        ))
        assert done == 1, "the level row is locked"
    reservation = Reservation(location_code=location, sku=sku, qty=covered,
                              shortfall=qty - covered, owner_kind=owner_kind,
                              owner_id=owner_id, expires_at=expires_at)
    session.add(reservation)
    session.flush()
    if covered:
        _changed(session, location, sku, went_down=True)
    return reservation


def _take_reservation(session: Session, reservation_id: int) -> Reservation | None:
    """Delete a reservation and return it, or ``None`` if someone else already did."""
    row = session.execute(
        delete(Reservation).where(Reservation.id == reservation_id).returning(
            Reservation.location_code, Reservation.sku, Reservation.qty, Reservation.owner_kind,
            Reservation.owner_id, Reservation.shortfall)
    ).first()
    if row is None:
        return None
    return Reservation(location_code=row[0], sku=row[1], qty=row[2], owner_kind=row[3],
                       owner_id=row[4], shortfall=row[5])


def reservations_of(session: Session, owner_kind: str, owner_id: str,
                    sku: str | None = None) -> list[Reservation]:
    """``sku``: that item's only, so changing one line of a long basket reads one
    row, not the basket's every reservation."""
    stmt = select(Reservation).where(Reservation.owner_kind == owner_kind,
                                     Reservation.owner_id == owner_id)
    if sku is not None:
        stmt = stmt.where(Reservation.sku == sku)
    return list(session.scalars(stmt.order_by(Reservation.id)))


def shortfalls_of(session: Session, owner_kind: str, owner_id: str,
                  sku: str | None = None) -> dict[str, int]:
    """What an owner's reservations lack, by SKU (only those that lack any):
    summed in SQL, as a basket's answer needs no reservation as an object.
    ``sku``: that item's only (the answer to a change of one line)."""
    stmt = (select(Reservation.sku, func.sum(Reservation.shortfall))
            .where(Reservation.owner_kind == owner_kind, Reservation.owner_id == owner_id,
                   Reservation.shortfall > 0))
    if sku is not None:
        stmt = stmt.where(Reservation.sku == sku)
    return {sku: int(total) for sku, total in session.execute(stmt.group_by(Reservation.sku))}


def release(session: Session, reservation_id: int) -> int:
    """Give reserved stock back; returns the units given back to ``available`` (0 if
    someone already did).

    A shortfall was never taken from the count, so nothing is undone for it: the
    count stays as it was before the till scanned those goods.
    """
    taken = _take_reservation(session, reservation_id)
    if taken is None:
        return 0
    if taken.qty:
        session.execute(
            update(StockLevel)
            .where(StockLevel.location_code == taken.location_code, StockLevel.sku == taken.sku)
            .values(reserved=StockLevel.reserved - taken.qty)
            .execution_options(synchronize_session=False)
        )
        _changed(session, taken.location_code, taken.sku)
    return taken.qty


def release_owner(session: Session, owner_kind: str, owner_id: str) -> int:
    return sum(release(session, r.id) for r in reservations_of(session, owner_kind, owner_id))


def consume(session: Session, reservation_id: int, *, qty: int | None = None,
            reason: str = "sale", reference: str = "", staff_id: int | None = None) -> int:
    """The held goods leave the location (sold, handed over, shipped).

    With ``qty`` smaller than what is held, only part leaves and the rest stays
    held (a partial pickup). Units of a till sale's shortfall were in the
    shopper's hand but not on the count: as they leave, the count is corrected
    by as many (a ``count_correction`` movement and a ``stock.discrepancy``
    event for a supervisor), in the same transaction as the sale. The counted
    units go first, so ``on_hand`` falls by exactly the counted units sold.
    """
    taken = _take_reservation(session, reservation_id)
    if taken is None:
        return 0
    held = taken.qty + taken.shortfall
    used = held if qty is None else max(0, min(qty, held))
    counted = min(used, taken.qty)
    uncounted = used - counted
    if counted:
        session.execute(
            update(StockLevel)
            .where(StockLevel.location_code == taken.location_code, StockLevel.sku == taken.sku)
            .values(on_hand=StockLevel.on_hand - counted, reserved=StockLevel.reserved - counted)
            .execution_options(synchronize_session=False)
        )
    if used < held:
        session.add(Reservation(location_code=taken.location_code, sku=taken.sku,
                                qty=taken.qty - counted, shortfall=taken.shortfall - uncounted,
                                owner_kind=taken.owner_kind, owner_id=taken.owner_id,
                                expires_at=None))
    if uncounted:
        _move(session, taken.location_code, taken.sku, uncounted, "count_correction", reference,
              "sold at a till while the count said none", staff_id)
        emit(session, "stock.discrepancy", store=taken.location_code, subject=taken.sku,
             sku=taken.sku, location=taken.location_code, shortfall=uncounted,
             reference=reference)
    _move(session, taken.location_code, taken.sku, -used, reason, reference, staff_id=staff_id)
    _changed(session, taken.location_code, taken.sku, went_down=True)
    return used


def receive(session: Session, *, location: str, sku: str, qty: int, reason: str,
            reference: str = "", staff_id: int | None = None) -> None:
    """Goods arrive (delivery, transfer, return to stock)."""
    if qty <= 0:
        raise InvalidInput("A quantity must be at least 1.")
    ensure_level(session, location, sku)
    session.execute(
        update(StockLevel)
        .where(StockLevel.location_code == location, StockLevel.sku == sku)
        .values(on_hand=StockLevel.on_hand + qty)
        .execution_options(synchronize_session=False)
    )
    _move(session, location, sku, qty, reason, reference, staff_id=staff_id)
    _changed(session, location, sku)


def remove(session: Session, *, location: str, sku: str, qty: int, reason: str,
           reference: str = "", staff_id: int | None = None) -> None:
    """Goods leave without a reservation (damage, transfer out): only what is free."""
    if qty <= 0:
        raise InvalidInput("A quantity must be at least 1.")
    done = rows_changed(session.execute(
        update(StockLevel)
        .where(StockLevel.location_code == location, StockLevel.sku == sku,
               StockLevel.on_hand - StockLevel.reserved >= qty)
        .values(on_hand=StockLevel.on_hand - qty)
        .execution_options(synchronize_session=False)
    ))
    if done != 1:
        current = level(session, location, sku)
        raise OutOfStock(
            f"Only {current.available} unreserved units of {sku} at {location}; "
            f"cannot remove {qty}.", sku=sku, location=location, available=current.available,
        )
    _move(session, location, sku, -qty, reason, reference, staff_id=staff_id)
    _changed(session, location, sku, went_down=True)


def set_count(session: Session, *, location: str, sku: str, counted: int, reference: str = "",
              staff_id: int | None = None) -> int:
    """A stock count: ``on_hand`` becomes what was counted; returns the difference.

    A count below what is reserved for orders is refused: those orders would
    be promised goods that are not there, and a person must decide which.
    """
    if counted < 0:
        raise InvalidInput("A count cannot be negative.")
    ensure_level(session, location, sku)
    current = level(session, location, sku, lock=True)
    if counted < current.reserved:
        raise Conflict(
            f"{current.reserved} units of {sku} are reserved for orders at {location}; "
            f"a count of {counted} would break those promises. Cancel or re-source the "
            "orders first.", code="count_below_reserved", reserved=current.reserved,
        )
    delta = counted - current.on_hand
    if delta:
        session.execute(
            update(StockLevel)
            .where(StockLevel.location_code == location, StockLevel.sku == sku)
            .values(on_hand=counted)
            .execution_options(synchronize_session=False)
        )
        _move(session, location, sku, delta, "count", reference, staff_id=staff_id)
        _changed(session, location, sku, went_down=delta < 0)
    return delta


def expired_reservations(session: Session, now: datetime | None = None,
                         limit: int = 500) -> list[int]:
    now = now or utcnow()
    return list(session.scalars(
        select(Reservation.id)
        .where(Reservation.expires_at.is_not(None), Reservation.expires_at <= now)
        .order_by(Reservation.id).limit(limit)
    ))
