"""Settings of the core process.

Every field reads an ``OMNITILL_`` environment variable; the README's
configuration table is checked against this class by a test, so a new setting
cannot ship undocumented.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from functools import cached_property
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def write_owner_only(path: Path, content: str, *, replace: bool = True) -> None:
    """Write ``path`` with mode 0600 from its first byte (``os.open`` with the mode,
    never a write and then a chmod, which leaves a window), whole or not at all: a
    private temporary file is linked (``replace=False``: kept if another process
    created ``path`` first) or renamed into place."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(content)
        if replace:
            os.replace(temporary, path)
        else:
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


class CoreSettings(BaseSettings):
    """Configuration of one core process (all workers of a deployment share it)."""

    model_config = SettingsConfigDict(
        env_prefix="OMNITILL_", extra="ignore", use_attribute_docstrings=True
    )

    var_dir: Path = Field(default=Path("var"))
    """Folder for the default SQLite file and the generated secret."""

    database_url: str = ""
    """SQLAlchemy URL. Empty means a SQLite file ``<var_dir>/omnitill.db``;
    ``postgresql+psycopg://user@host/db`` for a chain."""

    secret: str = ""
    """Key that signs scan codes and staff tokens. Empty means one is generated
    once and kept in ``<var_dir>/secret`` so codes printed yesterday still scan."""

    public_url: str = ""
    """Address at which customers' phones reach this core (``https://shop.example.com``):
    the digital receipt's link (`/r/<code>`) on the customer display's QR and in the
    e-receipt email starts with it. Empty: no link; the display shows the return code."""

    secret_file: Path | None = None
    """A file (mode 0600) holding the key instead of ``OMNITILL_SECRET``: the
    environment of a process is readable by any process of its user.
    ``omnitill serve`` hands its workers the key this way."""

    environment: str = "development"
    """``development`` or ``production``; production refuses a short secret."""

    staff_token_minutes: int = Field(default=480, ge=1, le=24 * 60)
    """Life of a staff sign-in on a till: one shift (8 hours) by default."""

    cart_reservation_minutes: int = Field(default=15, ge=1)
    """How long a basket holds the stock it reserved before giving it back."""

    pickup_hold_days: int = Field(default=7, ge=1)
    """Days a click-and-collect order waits, ready, before it is cancelled."""

    return_window_days: int = Field(default=30, ge=0)
    """Days after purchase within which a return is accepted."""

    return_window_days_by_kind: dict[str, int] = Field(default_factory=lambda: {"franchise": 14})
    """Per store kind (JSON), for stores whose own policy differs: a franchise's 14 days."""

    return_approval_threshold_cents: int = Field(default=10_000, ge=0)
    """Refunds above this amount (and any return without a receipt) need a supervisor."""

    till_variance_approval_cents: int = Field(
        default=500, ge=0, description="Closing a till whose counted cash differs from the "
        "expected by more than this (cents) needs a supervisor's PIN.")

    loyalty_points_per_euro: int = Field(default=10, ge=0)
    """Points earned per whole euro paid, before the tier multiplier; 100 points = 1 €."""

    lockout_attempts: int = Field(default=5, ge=1)
    """Failed PIN or code attempts from one device before it is locked."""

    lockout_minutes: int = Field(default=15, ge=1)
    """How long a device stays locked after too many failed attempts."""

    sweep_seconds: float = Field(default=30.0, gt=0)
    """Interval of the background sweep that releases expired reservations."""

    event_poll_seconds: float = Field(default=0.1, gt=0)
    """How often a core process reads new events for its open event streams (one read
    for all of them; a command of the same process wakes it at once)."""

    low_stock_units: int = Field(default=3, ge=0)
    """A location's available units of a SKU at or below which it is low: the first
    sale, reservation, count or transfer that takes it there emits one ``stock.low``
    event (again only after it was above once more)."""

    webhook_dispatch: bool = True
    """Deliver events to webhook subscriptions from this deployment (one worker at a
    time holds the dispatcher's lease); ``false`` lets them wait in the log."""

    webhook_poll_seconds: float = Field(default=1.0, gt=0)
    """How often the dispatcher looks for new events and deliveries due (a command of
    the dispatching worker wakes it at once while any subscription exists; with none,
    a new subscription is found within this interval)."""

    webhook_max_attempts: int = Field(default=12, ge=1)
    """Attempts per delivery before it is marked failed (replay it from the log)."""

    webhook_backoff_seconds: float = Field(default=10.0, gt=0)
    """Wait after the first failed attempt; doubled after each further one."""

    webhook_backoff_cap_seconds: float = Field(default=3600.0, gt=0)
    """The longest wait between two attempts."""

    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    """How long one delivery may take (connect, send, answer) before it counts as failed."""

    @cached_property
    def resolved_database_url(self) -> str:
        """The URL to connect to, defaulting to the SQLite file under ``var_dir``."""
        if self.database_url:
            return self.database_url
        self.var_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(self.var_dir / 'omnitill.db').resolve()}"

    @cached_property
    def resolved_secret(self) -> bytes:
        """The signing key; generated and persisted on first use when unset."""
        secret = self.secret or (self.secret_file.read_text().strip() if self.secret_file
                                 else "")
        if secret:
            if self.environment == "production" and len(secret) < 32:
                raise ValueError("OMNITILL_SECRET must be at least 32 characters in production")
            return secret.encode()
        if self.environment == "production":
            raise ValueError("OMNITILL_SECRET must be set in production")
        self.var_dir.mkdir(parents=True, exist_ok=True)
        path = self.var_dir / "secret"
        write_owner_only(path, secrets.token_urlsafe(48), replace=False)
        return path.read_text().strip().encode()
