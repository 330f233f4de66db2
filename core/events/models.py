"""The append-only event log that clients follow and webhooks read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.timeutil import utcnow
from core.types import UTCDateTime


class Event(Base):
    """One thing that happened. ``seq`` is assigned in commit order (see service)."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_store_seq", "store_code", "seq"),)

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    type: Mapped[str] = mapped_column(String(40), index=True)
    store_code: Mapped[str | None] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(40), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
