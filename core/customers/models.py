"""Customers: one person, whatever the channel they buy through."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.timeutil import utcnow
from core.types import UTCDateTime

ERASED_FIRST_NAME = "Erased"
ERASED_LAST_NAME = "customer"
"""What an erased profile is called (staff looking it up see what happened)."""


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(60))
    last_name: Mapped[str] = mapped_column(String(60), index=True)
    email: Mapped[str | None] = mapped_column(String(120), unique=True)
    phone: Mapped[str | None] = mapped_column(String(32), unique=True)
    loyalty_card: Mapped[str | None] = mapped_column(String(20), unique=True)
    city: Mapped[str] = mapped_column(String(80), default="")
    home_store: Mapped[str | None] = mapped_column(ForeignKey("locations.code"))
    consent_marketing: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_email_receipts: Mapped[bool] = mapped_column(Boolean, default=False)
    """Every sale of theirs is mailed to them as an e-receipt, unasked."""
    no_mail: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """They asked not to be mailed at all: not even a receipt, a pickup or a refund notice."""
    language: Mapped[str | None] = mapped_column(String(2))
    """``it``, ``en`` or ``es``: the language of the mails they get (none: Italian)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def erased(self) -> bool:
        """Anonymised at their request (GDPR): nothing names or reaches them any more,
        and nothing new may be recorded about them."""
        return (self.first_name, self.last_name) == (ERASED_FIRST_NAME, ERASED_LAST_NAME) \
            and self.email is None and self.phone is None and self.loyalty_card is None
