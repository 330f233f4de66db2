"""Between sales: the shop's name and a welcome, nothing that ages on screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label

from pos.display.texts import Words


class WelcomeView(Vertical):
    def __init__(self, t: Words, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = t

    def compose(self) -> ComposeResult:
        yield Label(self.t("Welcome"), id="welcome-title")
        yield Label("", id="welcome-store")
        yield Label(self.t("Your purchase will appear here as it is rung up."),
                    id="welcome-hint")

    def show_store(self, name: str) -> None:
        self.query_one("#welcome-store", Label).update(name)
