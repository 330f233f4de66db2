"""``stock.low``: said once when a location's available units of a SKU fall to the
threshold or below, not at every sale after that.

A mark row per (location, SKU) remembers that it was said. The first decrease
that leaves ``available`` at or below the threshold inserts the mark (``ON
CONFLICT DO NOTHING``: of two concurrent commands only one inserts it) and
emits the event in the same transaction; later decreases find the mark and stay
quiet. An increase that takes ``available`` above the threshold again (goods
received, a basket released, a count) removes the mark, so the next fall says it
again. Decreases above the threshold cost nothing extra.

The threshold is ``OMNITILL_LOW_STOCK_UNITS``; the app puts it in each
command's ``Session.info`` (:attr:`core.db.Database.session_info`), because
the stock service is called from deep in carts, orders and returns, which
should not all carry it.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.events.service import emit
from core.stock.models import StockLowMark

__all__ = ["DEFAULT_LOW_STOCK_UNITS", "LOW_STOCK_UNITS", "note_level"]

LOW_STOCK_UNITS = "omnitill_low_stock_units"
"""``Session.info`` key of the threshold."""
DEFAULT_LOW_STOCK_UNITS = 3
"""The threshold of a session made without settings (scripts, the seed)."""


def threshold(session: Session) -> int:
    return int(session.info.get(LOW_STOCK_UNITS, DEFAULT_LOW_STOCK_UNITS))


def note_level(session: Session, *, location: str, sku: str, on_hand: int, reserved: int,
               went_down: bool) -> None:
    """Called with the level after each change of it."""
    limit = threshold(session)
    available = on_hand - reserved
    if available > limit:
        if not went_down:
            session.execute(delete(StockLowMark).where(StockLowMark.location_code == location,
                                                       StockLowMark.sku == sku))
        return
    if not went_down:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    made = session.execute(
        insert(StockLowMark).values(location_code=location, sku=sku, available=available)
        .on_conflict_do_nothing().returning(StockLowMark.sku)).first()
    if made is not None:  # (psycopg counts no rows for an INSERT ... ON CONFLICT)
        emit(session, "stock.low", store=location, subject=sku, sku=sku, location=location,
             available=available, on_hand=on_hand, reserved=reserved, threshold=limit)
