"""Webhook subscriptions, their deliveries and attempts, and the dispatcher's lease.

A subscription's ``cursor`` is the last event of the log it has taken into
deliveries: the dispatcher turns the events after it into ``WebhookDelivery``
rows and moves it on in one transaction, so an event is either waiting as a
delivery or not yet looked at, whatever stops the core in between.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.timeutil import utcnow
from core.types import UTCDateTime

_ID = BigInteger().with_variant(Integer, "sqlite")


class WebhookSubscription(Base):
    """A receiver (URL) and the event types it wants.

    The signing secret is not stored: it is derived from the core's secret and
    ``secret_salt`` (see :mod:`core.webhooks.signature`), so a copy of the
    database alone cannot forge a delivery.
    """

    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(String(500))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Patterns: ``order.created``, ``order.*``, ``*``."""
    description: Mapped[str] = mapped_column(String(200), default="")
    secret_salt: Mapped[str] = mapped_column(String(64))
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    """The last event sequence number taken into deliveries."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80), default="")
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Set by ``remove``: nothing more is delivered; the log is kept."""


class WebhookDelivery(Base):
    """One event owed to one subscription, until it is delivered or gives up."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_subscription_id", "subscription_id", "id"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("webhook_subscriptions.id"))
    event_seq: Mapped[int] = mapped_column(BigInteger, index=True)
    event_type: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12), default="pending")
    """``pending``, ``delivered``, ``failed`` (attempts used up) or ``cancelled``
    (its subscription was removed)."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str] = mapped_column(String(200), default="")
    replay_of: Mapped[int | None] = mapped_column(BigInteger)
    """The delivery this one replays, if it was asked for by hand."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebhookAttempt(Base):
    """One POST of a delivery: what the receiver answered and how long it took."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_deliveries.id"), index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str] = mapped_column(String(200), default="")
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)


class WebhookLease(Base):
    """Which process of the deployment dispatches, until when (one row, made by the
    migration): several workers, even on several machines, never post the same
    delivery twice at once."""

    __tablename__ = "webhook_lease"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64), default="")
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
