"""The sale is paid: thanks, the change, the points, and the receipt to scan.

The receipt QR carries the digital receipt's link (``<public url>/r/<code>``):
the shopper's phone opens the receipt itself, whose page shows the return QR, so
a return needs no paper. Until the core has a public URL it carries the order's
signed ``OT1:R:`` code, the same one a printed receipt has.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label

from pos.display.texts import Words
from pos.display.widgets.line import show_line
from pos.display.widgets.receipt_qr import ReceiptQr
from shared.schemas.orders import OrderOut


class ThanksView(Horizontal):
    def __init__(self, t: Words, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = t

    def compose(self) -> ComposeResult:
        with Vertical(id="thanks-words"):
            yield Label(self.t("Thank you!"), id="thanks-title")
            yield Label("", id="thanks-total")
            yield Label("", id="thanks-change")
            yield Label("", id="thanks-earned")
            yield Label("", id="thanks-balance")
        with Vertical(id="thanks-receipt"):
            yield Label(self.t("Scan for your receipt"), id="thanks-scan")
            yield ReceiptQr(id="receipt-qr")

    def show(self, order: OrderOut, money: Callable[[int], str]) -> None:
        t = self.t
        self.query_one("#thanks-total", Label).update(
            t("Total paid {total}", total=money(order.total_cents)))
        label = self.query_one
        show_line(label("#thanks-change", Label),
                  t("Your change: {change}", change=money(order.change_cents))
                  if order.change_cents else "")
        show_line(label("#thanks-earned", Label),
                  t("You earned {points} points", points=order.points_earned)
                  if order.points_earned else "")
        show_line(label("#thanks-balance", Label),
                  t("Balance: {points} points", points=order.points_balance)
                  if order.points_balance is not None else "")
        payload = order.receipt_url or order.receipt_code or ""
        self.query_one("#receipt-qr", ReceiptQr).show(payload)
        self.query_one("#thanks-receipt").display = bool(payload)

