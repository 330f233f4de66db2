"""Stock: levels per (location, SKU), reservations, movements and transfers.

The invariant ``0 <= reserved <= on_hand`` is enforced twice: by the services'
conditional updates (so a request that would break it is refused cleanly) and
by CHECK constraints (so a bug can never write it).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.timeutil import utcnow
from core.types import UTCDateTime


class StockLevel(Base):
    __tablename__ = "stock_levels"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_non_negative"),
        CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="reserved_within_on_hand"),
    )

    location_code: Mapped[str] = mapped_column(ForeignKey("locations.code"), primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"), primary_key=True, index=True)
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)


class Reservation(Base):
    """Stock promised to a cart or an order; cart reservations expire.

    ``qty`` is what the count has and is held in ``StockLevel.reserved``. A till
    line of goods already in the shopper's hand may hold more than the count
    has: the rest is ``shortfall``, which touches no level until the sale
    completes (then the count is corrected). So a voided till sale leaves the
    count exactly as it was, and ``reserved`` is always the sum of ``qty``.
    """

    __tablename__ = "reservations"
    __table_args__ = (
        CheckConstraint("qty >= 0 AND shortfall >= 0", name="held_non_negative"),
        CheckConstraint("qty + shortfall > 0", name="holds_something"),
        Index("ix_reservations_owner", "owner_kind", "owner_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    location_code: Mapped[str] = mapped_column(ForeignKey("locations.code"))
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    qty: Mapped[int] = mapped_column(Integer)
    shortfall: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    owner_kind: Mapped[str] = mapped_column(String(8))  # cart | order
    owner_id: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StockMovement(Base):
    """Audit trail of every change of ``on_hand``; count corrections are discrepancies."""

    __tablename__ = "stock_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    location_code: Mapped[str] = mapped_column(ForeignKey("locations.code"), index=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(24))
    reference: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    staff_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Transfer(Base):
    """Goods moving between locations (replenishment or ship-to-store)."""

    __tablename__ = "transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    from_location: Mapped[str] = mapped_column(ForeignKey("locations.code"))
    to_location: Mapped[str] = mapped_column(ForeignKey("locations.code"))
    status: Mapped[str] = mapped_column(String(12), default="in_transit")  # | received
    order_number: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TransferLine(Base):
    __tablename__ = "transfer_lines"
    __table_args__ = (CheckConstraint("qty > 0", name="qty_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"), index=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    qty: Mapped[int] = mapped_column(Integer)


class StockLowMark(Base):
    """A (location, SKU) whose ``stock.low`` was emitted and that has not been above
    the threshold since: the mark is what makes the event once per crossing."""

    __tablename__ = "stock_low_marks"

    location_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    sku: Mapped[str] = mapped_column(String(32), primary_key=True)
    available: Mapped[int] = mapped_column(Integer)
    """Available units when the mark was made."""
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
