"""Pay at the till: a big QR and the short code, for the cashier to scan or type."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Label

from kiosk.widgets.qr import QrCode


class HandoffScreen(Screen[None]):
    def __init__(self, code: str, payload: str) -> None:
        super().__init__()
        self.code, self.payload = code, payload

    def compose(self) -> ComposeResult:
        t = self.app.t  # type: ignore[attr-defined]
        with Vertical(id="handoff"):
            yield Label(t("handoff.title"), classes="title")
            with Center():
                yield QrCode(self.payload, id="qr")
            yield Label(t("handoff.code", code=self.code), id="handoff-code", classes="title")
            yield Button(t("handoff.done"), id="done", variant="success")

    @on(Button.Pressed, "#done")
    def done(self) -> None:
        self.app.action_reset()  # type: ignore[attr-defined]
