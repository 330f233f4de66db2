"""'Still there?': asked after a while without a touch; no answer means reset."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label

from kiosk.base import KioskModal


class StillThere(KioskModal[bool]):
    def __init__(self, wait_seconds: float) -> None:
        super().__init__()
        self.wait_seconds = wait_seconds

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(id="still-there"):
            yield Label(t("Still there?"), classes="title")
            with Horizontal():
                yield Button(t("Yes, continue"), id="stay", variant="success")
                yield Button(t("No, start over"), id="leave", variant="error")

    def on_mount(self) -> None:
        self.set_timer(self.wait_seconds, self._no_answer)

    def _no_answer(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed)
    def answer(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "stay")
