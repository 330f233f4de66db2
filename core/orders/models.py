"""Orders from every channel, their lines, their timeline and number sequences."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Update,
    bindparam,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base
from core.timeutil import utcnow
from core.types import UTCDateTime


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_pickup_queue", "pickup_store_code", "status"),
        Index("ix_orders_customer", "customer_id", "created_at"),
        Index("ix_orders_created_at", "created_at"),  # the KPIs' ranges (migration 0014)
        Index("ix_orders_store_created_at", "store_code", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    channel: Mapped[str] = mapped_column(String(8))  # web | app | kiosk | pos
    store_code: Mapped[str] = mapped_column(ForeignKey("locations.code"))
    fulfilment: Mapped[str] = mapped_column(String(16))
    pickup_store_code: Mapped[str | None] = mapped_column(ForeignKey("locations.code"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    status: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    subtotal_cents: Mapped[int] = mapped_column(Integer, default=0)
    discount_cents: Mapped[int] = mapped_column(Integer, default=0)
    total_cents: Mapped[int] = mapped_column(Integer, default=0)
    tax_cents: Mapped[int] = mapped_column(Integer, default=0)
    tax_breakdown: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    promotion: Mapped[str | None] = mapped_column(String(40))
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(120))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    delivery_address: Mapped[str | None] = mapped_column(String(300))
    receipt_email: Mapped[str | None] = mapped_column(String(120))
    idempotency_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    request_hash: Mapped[str | None] = mapped_column(String(64))
    cart_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    offline: Mapped[bool] = mapped_column(default=False)
    offline_number: Mapped[str | None] = mapped_column(String(50), index=True)
    """The till's own number for a sale made offline (``<till>-<seq>``, on its receipt)."""
    rt_document_number: Mapped[int | None] = mapped_column(Integer)
    """The fiscal printer's (RT) number of the document commerciale it printed for this
    sale, counted within its closure: with the closure and the RT's serial it is how
    a refund refers to the sale."""
    rt_closure_number: Mapped[int | None] = mapped_column(Integer)
    """The RT's daily closure (Z report) the document belongs to."""
    rt_serial: Mapped[str | None] = mapped_column(String(20))
    """The RT's serial number (matricola) that printed it."""
    rt_printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.line_no", lazy="selectin"
    )
    timeline: Mapped[list[OrderStatusChange]] = relationship(
        order_by="OrderStatusChange.id", lazy="selectin"
    )


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("qty > 0", name="qty_positive"),
        CheckConstraint("qty_collected >= 0 AND qty_collected <= qty", name="collected_range"),
        CheckConstraint("qty_cancelled >= 0 AND qty_cancelled <= qty", name="cancelled_range"),
        CheckConstraint("qty_returned >= 0 AND qty_returned <= qty_collected",
                        name="returned_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    name: Mapped[str] = mapped_column(String(160))
    qty: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    discount_cents: Mapped[int] = mapped_column(Integer, default=0)
    promo_discount_cents: Mapped[int] = mapped_column(Integer, default=0)
    total_cents: Mapped[int] = mapped_column(Integer)
    vat_rate_bp: Mapped[int] = mapped_column(Integer)
    tax_cents: Mapped[int] = mapped_column(Integer)
    source_location: Mapped[str] = mapped_column(ForeignKey("locations.code"))
    qty_picked: Mapped[int] = mapped_column(Integer, default=0)
    qty_collected: Mapped[int] = mapped_column(Integer, default=0)
    qty_cancelled: Mapped[int] = mapped_column(Integer, default=0)
    qty_returned: Mapped[int] = mapped_column(Integer, default=0)
    points_earned: Mapped[int] = mapped_column(Integer, default=0)

    order: Mapped[Order] = relationship(back_populates="lines")


class OrderStatusChange(Base):
    __tablename__ = "order_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(200), default="")
    device_id: Mapped[int | None] = mapped_column(Integer)
    staff_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NumberSequence(Base):
    """Counters for order, transfer and return numbers; one row lock each."""

    __tablename__ = "number_sequences"

    name: Mapped[str] = mapped_column(String(24), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


_counters = cast(Table, NumberSequence.__table__)
INCREMENT: Update = (
    update(_counters).where(_counters.c.name == bindparam("counter"))
    .values(value=_counters.c.value + bindparam("by")).returning(_counters.c.value))
"""Add ``by`` to the counter named ``counter`` and return its new value. Prebuilt on the
table: every order (on SQLite) and every command that emits events runs it, and
the ORM's UPDATE path cost more than the statement."""
