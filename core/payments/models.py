"""Payments against orders, whatever the tender."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.timeutil import utcnow
from core.types import UTCDateTime


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    tender: Mapped[str] = mapped_column(String(16))
    amount_cents: Mapped[int] = mapped_column(Integer)
    tendered_cents: Mapped[int | None] = mapped_column(Integer)
    change_cents: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12))  # approved | declined | timeout | refunded
    reference: Mapped[str] = mapped_column(String(64), default="")
    message: Mapped[str] = mapped_column(String(200), default="")
    refunded_cents: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StoreCreditEntry(Base):
    """Ledger of a store-credit or gift card: the balance is the sum, never a counter."""

    __tablename__ = "store_credit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_number: Mapped[str] = mapped_column(String(20), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    delta_cents: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(24))
    reference: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StoreCreditAccount(Base):
    """Balance of a store-credit or gift card, kept beside its ledger so a spend
    is one conditional UPDATE (two tills cannot spend the same euro)."""

    __tablename__ = "store_credit_accounts"
    __table_args__ = (CheckConstraint("balance_cents >= 0", name="balance_non_negative"),)

    card_number: Mapped[str] = mapped_column(String(20), primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    kind: Mapped[str] = mapped_column(String(12), default="store_credit")  # | gift_card
    balance_cents: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CardRefund(Base):
    """Money owed back to a card, written down before the terminal is asked.

    The terminal is asked after the command's transaction has committed (it may
    take seconds, and no write lock may wait on it), with this row's
    ``idempotency_key``: asked again (a lost answer, a retry by the sweep), the
    acquirer answers from its first try and never moves the money twice. Until
    the terminal says it refunded, the row stays ``pending``: a declined or
    unanswered refund is money the shopper is still owed, in plain sight
    (audited as ``card.refund_unrecorded``), never lost.
    """

    __tablename__ = "card_refunds"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(40), unique=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), index=True)
    charge_reference: Mapped[str] = mapped_column(String(64))
    """The terminal's reference of the charge this gives back."""
    amount_cents: Mapped[int] = mapped_column(Integer)
    store_code: Mapped[str] = mapped_column(String(8))
    order_number: Mapped[str | None] = mapped_column(String(24), index=True)
    source: Mapped[str] = mapped_column(String(24), index=True)
    """What owes it: a return's number, or the order's for a cancellation."""
    reason: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    # pending | refunded
    reference: Mapped[str] = mapped_column(String(64), default="")
    message: Mapped[str] = mapped_column(String(200), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
