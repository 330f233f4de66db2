"""The shopper's pickup code after an endless-aisle order, as a QR to keep, with
the order number and where to collect it on screen (not in a passing toast)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Button, Label

from kiosk.base import KioskScreen
from kiosk.widgets.qr import QrCode


class PickupCodeScreen(KioskScreen[None]):
    def __init__(self, number: str, payload: str, *, store: str = "", city: str = "") -> None:
        super().__init__()
        self.number, self.payload = number, payload
        self.store, self.city = store, city

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(id="pickup-code"):
            yield Label(t("Order {number} confirmed: pay when you collect.", number=self.number),
                        classes="title", id="placed")
            if self.store:
                yield Label(t("Collect it at {store} ({city}). We will email you when it is ready.",
                              store=self.store, city=self.city),
                            id="collect-at")
            yield Label(t("Your pickup code"))
            with Center():
                yield QrCode(self.payload, id="qr")
            yield Button(t("Done"), id="done", variant="success")

    @on(Button.Pressed, "#done")
    def done(self) -> None:
        self.app.pop_screen()
