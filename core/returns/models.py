"""Returns: what came back, where, why, and who approved the refund."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base
from core.timeutil import utcnow
from core.types import UTCDateTime


class Return(Base):
    __tablename__ = "returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    store_code: Mapped[str] = mapped_column(ForeignKey("locations.code"))
    status: Mapped[str] = mapped_column(String(12))  # requested|approved|rejected|refunded
    refund_to: Mapped[str] = mapped_column(String(16))  # original | store_credit
    refund_cents: Mapped[int] = mapped_column(Integer, default=0)
    credit_card_number: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(200), default="")
    requested_device_id: Mapped[int | None] = mapped_column(Integer)
    requested_staff_id: Mapped[int | None] = mapped_column(Integer)
    decided_staff_id: Mapped[int | None] = mapped_column(Integer)
    decided_device_id: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(String(200), default="", server_default="")
    refunded_staff_id: Mapped[int | None] = mapped_column(Integer)
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lines: Mapped[list[ReturnLine]] = relationship(order_by="ReturnLine.id", lazy="selectin")
    refunds: Mapped[list[ReturnRefund]] = relationship(order_by="ReturnRefund.id",
                                                       lazy="selectin")


class ReturnLine(Base):
    __tablename__ = "return_lines"
    __table_args__ = (CheckConstraint("qty > 0", name="qty_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"), index=True)
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id"), index=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    qty: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(120), default="")
    condition: Mapped[str] = mapped_column(String(12))  # resellable | damaged
    refund_cents: Mapped[int] = mapped_column(Integer)


class ReturnRefund(Base):
    """One part of a refund by tender, kept so that every later reading of the
    return (a reprint, the audit) says how much went back in cash and how much
    to the card, not only the refund's total."""

    __tablename__ = "return_refunds"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"), index=True)
    tender: Mapped[str] = mapped_column(String(16))
    amount_cents: Mapped[int] = mapped_column(Integer)
    card_number: Mapped[str | None] = mapped_column(String(64))
    """The store credit or gift card the money went on."""
