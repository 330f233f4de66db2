"""A gift card's PIN, beside the balance its store-credit account holds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.timeutil import utcnow
from core.types import UTCDateTime


class GiftCard(Base):
    """The balance lives in ``store_credit_accounts`` (kind ``gift_card``), spent by
    the same conditional update as store credit; this row adds the PIN printed
    under the card's scratch panel, kept as a salted scrypt hash. A card without
    this row (one sold before PINs) is spent only at a till, card in hand."""

    __tablename__ = "gift_cards"

    card_number: Mapped[str] = mapped_column(
        ForeignKey("store_credit_accounts.card_number"), primary_key=True)
    pin_hash: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
