"""Stores and warehouses: every place that holds stock is a location."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Float, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base


class Location(Base):
    """A store (with tills) or a warehouse (without)."""

    __tablename__ = "locations"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))  # own | franchise | multibrand | warehouse
    address: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    timezone: Mapped[str] = mapped_column(String(40), default="Europe/Rome")
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    lat: Mapped[float] = mapped_column(Float, default=0.0)
    lon: Mapped[float] = mapped_column(Float, default=0.0)
    has_till: Mapped[bool] = mapped_column(Boolean, default=True)
    legal_name: Mapped[str] = mapped_column(String(120), default="")
    """The company that issues this store's receipts (a franchise's own)."""
    vat_number: Mapped[str] = mapped_column(String(11), default="")
    """Its P.IVA, 11 digits checked by :func:`core.stores.legal.is_valid_partita_iva`."""
    legal_address: Mapped[str] = mapped_column(String(200), default="")
    """Its registered office, printed under its name (the shop's own address may differ)."""
    opening_hours: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    """Per weekday (``mon`` ... ``sun``) the hours as shown to a shopper (``10:00-20:00``);
    a day not listed is closed. Told in the mail that says a pickup is ready."""
