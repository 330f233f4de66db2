"""Messages that travel between workers, screens and the app."""

from __future__ import annotations

from textual.message import Message


class Problem(Message):
    """Something the shopper should read: a refusal or the core being away."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class BasketChanged(Message):
    """The basket's lines or total changed (the nav button shows the count)."""


class StockChanged(Message):
    """Stock of ``sku`` changed somewhere (a sale, a basket, a count): the
    screen in front refreshes what it shows of that product."""

    def __init__(self, sku: str) -> None:
        super().__init__()
        self.sku = sku
