"""Between sales: the shop's name and a welcome, nothing that ages on screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label

from pos.display.texts import say


class WelcomeView(Vertical):
    def compose(self) -> ComposeResult:
        yield Label(say("welcome"), id="welcome-title")
        yield Label("", id="welcome-store")
        yield Label(say("welcome_hint"), id="welcome-hint")

    def show_store(self, name: str) -> None:
        self.query_one("#welcome-store", Label).update(name)
