"""One row per audited action, written in the transaction of the action itself
(so an action that rolls back leaves no row, and one that commits always has
its row)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.timeutil import utcnow
from core.types import UTCDateTime


class AuditEntry(Base):
    """Names are copied, not only ids: the record must still say who after a
    device is replaced or a person leaves."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_store_id", "store_code", "id"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    store_code: Mapped[str | None] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(40), default="")
    device_id: Mapped[int | None] = mapped_column(Integer)
    device_name: Mapped[str] = mapped_column(String(80), default="")
    staff_id: Mapped[int | None] = mapped_column(Integer)
    staff_name: Mapped[str] = mapped_column(String(80), default="")
    approver_id: Mapped[int | None] = mapped_column(Integer)
    approver_name: Mapped[str] = mapped_column(String(80), default="")
    actor: Mapped[str] = mapped_column(String(80), default="")
    """Who acted when it was not staff on a device: ``command line (user)``."""
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
