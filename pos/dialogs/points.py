"""Paying with loyalty points: the customer chooses how many (100 = 1 €),
within their balance and what is due."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from pos.screens.base import StaffDialog
from shared.i18n import N_
from shared.money import POINT_VALUE_CENTS


class PointsDialog(StaffDialog[int | None]):
    STATUS_LINE = "#points-error"
    BINDINGS = [("escape", "cancel", N_("Cancel"))]

    def __init__(self, name: str, balance: int, due_cents: int, due_text: str) -> None:
        super().__init__()
        self.name_, self.balance = name, balance
        self.most = min(balance, due_cents // POINT_VALUE_CENTS)
        self.due_text = due_text

    def compose(self) -> ComposeResult:
        with Vertical(id="points", classes="dialog"):
            yield Label(self.t("Pay with loyalty points"), classes="title")
            yield Label(self.t("{name} has {balance} points (100 points = 1 €). Due {due}.",
                               name=self.name_, balance=self.balance, due=self.due_text))
            # Nine digits are more points than anyone holds; 5,000 were past int()'s limit.
            yield Input(id="points-input", restrict=r"[0-9]*", max_length=9,
                        placeholder=self.t("How many points? Enter = {most}", most=self.most))
            yield Label("", id="points-error", classes="-error")

    def on_mount(self) -> None:
        self.query_one("#points-input", Input).focus()

    @on(Input.Submitted, "#points-input")
    def typed(self, event: Input.Submitted) -> None:
        points = int(event.value) if event.value.strip() else self.most
        if points <= 0:
            self.say(self.t("No points to use."))
            return
        if points > self.most:
            self.say(
                self.t("At most {most} points here.", most=self.most))
            return
        self.dismiss(points)

    def action_cancel(self) -> None:
        self.dismiss(None)
