"""Pay at the till: a big QR and the short code, for the cashier to scan or type."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Button, Label

from kiosk.base import KioskScreen
from kiosk.widgets.qr import QrCode


class HandoffScreen(KioskScreen[None]):
    def __init__(self, code: str, payload: str) -> None:
        super().__init__()
        self.code, self.payload = code, payload

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(id="handoff"):
            yield Label(t("Show this code at the till"), classes="title")
            with Center():
                yield QrCode(self.payload, id="qr")
            yield Label(t("Code: {code}", code=self.code), id="handoff-code", classes="title")
            yield Button(t("Done"), id="done", variant="success")

    @on(Button.Pressed, "#done")
    def done(self) -> None:
        self.app.action_reset()
