"""How much cash the customer handed over; the change is worked out by the core.

Less than is due is a split tender: that much cash goes towards the sale and
the rest is taken by another tender."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from pos.dialogs.amount import parse_amount
from pos.screens.base import StaffDialog
from shared.i18n import N_


class CashDialog(StaffDialog[int | None]):
    STATUS_LINE = "#cash-error"
    BINDINGS = [("escape", "cancel", N_("Cancel"))]

    def __init__(self, due_cents: int, due_text: str) -> None:
        super().__init__()
        self.due_cents, self.due_text = due_cents, due_text

    def compose(self) -> ComposeResult:
        with Vertical(id="cash"):
            yield Label(self.t("Due {due}. Cash handed over (Enter = exact):", due=self.due_text),
                        classes="title")
            yield Label(self.t("Less than due pays part; take the rest by card, gift card or "
                               "points."))
            yield Input(id="tendered", placeholder=self.t("e.g. 50 or 50,00"))
            yield Label("", id="cash-error")

    @on(Input.Submitted, "#tendered")
    def submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.dismiss(self.due_cents)
            return
        cents = parse_amount(event.value)
        if cents is None:
            self.say(self.t("Type an amount, e.g. 50,00"))
            return
        if cents <= 0:
            self.say(self.t("Type the cash handed over."))
            return
        self.dismiss(cents)

    def action_cancel(self) -> None:
        self.dismiss(None)
