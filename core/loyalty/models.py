"""Loyalty points: the ledger is the truth; the account row makes a redemption
one conditional UPDATE so two tills cannot spend the same points."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.timeutil import utcnow
from core.types import UTCDateTime


class LoyaltyAccount(Base):
    __tablename__ = "loyalty_accounts"
    __table_args__ = (CheckConstraint("balance >= 0", name="balance_non_negative"),)

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    balance: Mapped[int] = mapped_column(Integer, default=0)


class LoyaltyEntry(Base):
    __tablename__ = "loyalty_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # earn | redeem | adjust | expire | clawback
    points: Mapped[int] = mapped_column(Integer)
    order_number: Mapped[str | None] = mapped_column(String(20))
    return_number: Mapped[str | None] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
