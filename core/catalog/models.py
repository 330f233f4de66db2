"""Catalog: categories and products (one row per sellable variant)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.timeutil import utcnow
from core.types import UTCDateTime


class Category(Base):
    __tablename__ = "categories"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    final_sale: Mapped[bool] = mapped_column(Boolean, default=False)
    """Goods of a final-sale category are never taken back."""
    translations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    """``{"it": {"name": "Abbigliamento"}, ...}``: ``name`` in the other languages
    (see ``catalog.translations``)."""


class Product(Base):
    """A variant that can be sold: one SKU, one barcode, one price for every channel."""

    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price_cents >= 0", name="price_non_negative"),
        CheckConstraint("vat_rate_bp >= 0 AND vat_rate_bp <= 10000", name="vat_rate_range"),
    )

    sku: Mapped[str] = mapped_column(String(32), primary_key=True)
    gtin: Mapped[str | None] = mapped_column(String(14), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    category_code: Mapped[str] = mapped_column(ForeignKey("categories.code"), index=True)
    brand: Mapped[str] = mapped_column(String(80), default="")
    style: Mapped[str] = mapped_column(String(32), default="", index=True)
    size: Mapped[str | None] = mapped_column(String(16))
    colour: Mapped[str | None] = mapped_column(String(32))
    price_cents: Mapped[int] = mapped_column(Integer)
    vat_rate_bp: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    translations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    """``{"it": {"name": ..., "description": ..., "colour": ...}, "es": {...}}``: the
    shopper-facing words in the other languages; the columns hold the catalog's own
    (English). A missing language or field falls back to the column."""
    search_text: Mapped[str] = mapped_column(Text, default="")
    """Accent-folded words the search index reads (see ``catalog.search``)."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
