"""What the display's event-following worker tells its screen.

The worker does all the talking to the core; the screen only changes what it
shows when one of these arrives, so a slow core never freezes the display.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from pos.display.mirror import Sale
from shared.schemas.orders import OrderOut

__all__ = ["LinkChanged", "ReceiptReady", "SaleChanged", "SaleLeft", "StoreKnown"]


@dataclass
class StoreKnown(Message):
    """The display knows whose shop it is in."""

    name: str


@dataclass
class SaleChanged(Message):
    """A line was rung up, changed or paid towards."""

    sale: Sale


@dataclass
class ReceiptReady(Message):
    """The sale is paid: thank the shopper and offer the digital receipt."""

    order: OrderOut


@dataclass
class SaleLeft(Message):
    """Nothing to show the shopper: back to the welcome."""


@dataclass
class LinkChanged(Message):
    """The core answered again, or stopped answering (``problem`` says how to put it)."""

    problem: str | None
