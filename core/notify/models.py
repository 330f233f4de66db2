"""What the mailer remembers: where it is in the event log, and every mail it
decided to send (or not), on the order it is about."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.timeutil import utcnow
from core.types import UTCDateTime


class MailCursor(Base):
    """The last event the mailer has turned into deliveries. Moved in the same
    transaction that records them, so a restart neither skips nor repeats one."""

    __tablename__ = "mail_cursor"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))


class MailDelivery(Base):
    """One mail to one customer about one event: planned, sent, skipped or failed.

    ``(event_seq, kind)`` is unique: an event gives a mail at most once. ``to_address``
    is what the mail went to, kept for the customer's export and for staff asking
    "did it go out"; erasing the customer empties it."""

    __tablename__ = "mail_deliveries"
    __table_args__ = (
        UniqueConstraint("event_seq", "kind", name="uq_mail_deliveries_event_kind"),
        Index("ix_mail_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    kind: Mapped[str] = mapped_column(String(20))  # receipt | pickup_ready | refund
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    subject: Mapped[str] = mapped_column(String(40))
    """The order's number, or the return's for a refund."""
    to_address: Mapped[str | None] = mapped_column(String(120))
    language: Mapped[str] = mapped_column(String(2), default="it")
    status: Mapped[str] = mapped_column(String(10))  # pending|sending|sent|skipped|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    """When a pending mail is next tried; while ``sending``, when the try is given up
    for lost (the mailer died mid-send) and may be made again."""
    error: Mapped[str] = mapped_column(String(300), default="")
    """Why it was skipped, failed, or is being retried."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
