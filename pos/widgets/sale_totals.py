"""The line under the basket: what the sale comes to, and the screen's status.

The status label (``#status``) is the one every till screen writes through
``StaffScreen.say``; this widget draws only the total beside it.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label


class SaleTotals(Horizontal):
    """Total (and what is still due once payment started), with the customer's name
    and the points the basket earns them when one is attached."""

    def __init__(self, money: Callable[[int], str], *, id: str | None = None,
                 t: Callable[..., str] | None = None) -> None:
        super().__init__(id=id)
        self._money = money
        self._t: Callable[..., str] = t or (lambda message, **values: message.format(**values))
        """The words in the till's language (as they are, by default)."""
        self._text = ""

    def compose(self) -> ComposeResult:
        yield Label("", id="total", classes="title")
        yield Label("", id="status")

    def show(self, total: int, due: int | None = None, customer: str | None = None,
             points: int = 0) -> None:
        """``due`` is shown when payment started and it differs from the total;
        ``points`` when a customer is attached and the basket earns some."""
        money, t = self._money, self._t
        text = t("Total {amount}", amount=money(total))
        if customer:
            text = f"{customer} · " + text
            if points:
                text += " · " + t("+{points} pts", points=points)
        if due is not None and due != total:
            text += "   " + t("Due {amount}", amount=money(due))
        if text != self._text:
            self._text = text
            self.query_one("#total", Label).update(text)
