"""Till sessions: the float, every cash movement and the closing count of one till."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.timeutil import utcnow
from core.types import UTCDateTime


class TillSession(Base):
    __tablename__ = "till_sessions"
    __table_args__ = (
        # One open session per till, enforced by the database: two clicks on
        # "open" from two windows cannot open two drawers.
        Index("ux_till_sessions_open", "device_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    store_code: Mapped[str] = mapped_column(ForeignKey("locations.code"))
    status: Mapped[str] = mapped_column(String(8), default="open")  # open | closed
    float_cents: Mapped[int] = mapped_column(Integer)
    opened_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expected_cents: Mapped[int | None] = mapped_column(Integer)
    counted_cents: Mapped[int | None] = mapped_column(Integer)
    variance_cents: Mapped[int | None] = mapped_column(Integer)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(String(200), default="")


class TillEntry(Base):
    """What went through the till: sales and refunds by tender, cash in and out.

    Only ``cash`` entries move the drawer; the others make the X/Z totals.
    """

    __tablename__ = "till_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("till_sessions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # sale | refund | in | out
    tender: Mapped[str] = mapped_column(String(16))
    amount_cents: Mapped[int] = mapped_column(Integer)  # signed: into the till is positive
    change_cents: Mapped[int] = mapped_column(Integer, default=0)
    reference: Mapped[str] = mapped_column(String(40), default="")
    reason: Mapped[str] = mapped_column(String(80), default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
