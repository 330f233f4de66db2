"""'Still there?': asked after a while without a touch; no answer means reset."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label


class StillThere(ModalScreen[bool]):
    def __init__(self, wait_seconds: float) -> None:
        super().__init__()
        self.wait_seconds = wait_seconds

    def compose(self) -> ComposeResult:
        t = self.app.t  # type: ignore[attr-defined]
        with Vertical(id="still-there"):
            yield Label(t("idle.question"), classes="title")
            with Horizontal():
                yield Button(t("idle.yes"), id="stay", variant="success")
                yield Button(t("idle.no"), id="leave", variant="error")

    def on_mount(self) -> None:
        self.set_timer(self.wait_seconds, self._no_answer)

    def _no_answer(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed)
    def answer(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "stay")
