"""Devices (kiosks, tills, the web shop) and staff."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.timeutil import utcnow
from core.types import UTCDateTime


class Device(Base):
    """A registered client; its bearer token is stored as a SHA-256 digest only.

    Two locks, each with its count of wrong attempts: ``failed_attempts`` and
    ``locked_until`` guard the signed codes (pickup, receipt, loyalty), the
    ``pin_*`` pair guards staff PIN sign-in. A lock refuses only its own
    capability: a till locked for PINs still scans products and codes.
    """

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(8))  # kiosk | pos | web | display
    store_code: Mapped[str | None] = mapped_column(ForeignKey("locations.code"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pin_failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    pin_locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """The last wrong code: a count older than the lockout window starts again."""
    pin_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """The last wrong PIN: a count older than the lockout window starts again."""


class Staff(Base):
    """A person who signs in on a till; the PIN is kept as a salted scrypt hash."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(12))  # cashier | supervisor | manager | admin
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)


class StaffStore(Base):
    __tablename__ = "staff_stores"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    store_code: Mapped[str] = mapped_column(ForeignKey("locations.code"), primary_key=True)


class TargetLock(Base):
    """Wrong codes counted against what they aim at (an order, a loyalty card, a
    gift card), whatever device sent them: ten kiosks guessing one order's
    pickup code share one count, as a single kiosk's guesses at ten orders share
    the device's. A row is made on the first attempt at a target."""

    __tablename__ = "target_locks"

    target: Mapped[str] = mapped_column(String(80), primary_key=True)
    """What was aimed at, by kind: ``order:MI01-000123``, ``loyalty:29...``, ``card:60...``."""
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
