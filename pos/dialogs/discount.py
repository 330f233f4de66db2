"""A discount as the cashier says it: ``10%`` off, or ``5,00`` off."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from pos.dialogs.amount import parse_amount
from pos.screens.base import StaffDialog
from shared.i18n import N_


def parse_discount(text: str, *, percent_only: bool = False) -> tuple[int, int] | None:
    """``(percent, cents)`` from ``"10%"`` or ``"5,00"``; ``None`` if neither."""
    text = text.strip()
    if text.endswith("%"):
        number = text[:-1].strip()
        return (int(number), 0) if number.isdigit() and int(number) <= 100 else None
    if percent_only:
        return None
    cents = parse_amount(text)
    return None if cents is None else (0, cents)


class DiscountDialog(StaffDialog[tuple[int, int] | None]):
    STATUS_LINE = "#discount-error"
    BINDINGS = [("escape", "cancel", N_("Cancel"))]

    def __init__(self, what: str, *, percent_only: bool = False) -> None:
        super().__init__()
        self.what, self.percent_only = what, percent_only

    def compose(self) -> ComposeResult:
        hint = self.t("Type a percentage, e.g. 10%. Over 20 % needs a supervisor.") \
            if self.percent_only else self.t(
                "Type 10% for a percentage or 5,00 for an amount; 0 removes it. Over 20 % "
                "needs a supervisor.")
        with Vertical(id="discount", classes="dialog"):
            yield Label(self.t("Discount on {what}", what=self.what), classes="title")
            yield Label(hint)
            yield Input(id="discount-input")
            yield Label("", id="discount-error", classes="-error")

    def on_mount(self) -> None:
        self.query_one("#discount-input", Input).focus()

    @on(Input.Submitted, "#discount-input")
    def typed(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        parsed = (0, 0) if text == "0" else parse_discount(text, percent_only=self.percent_only)
        if parsed is None:
            self.say(
                self.t("That is not a discount: try 10% or 5,00."))
            return
        self.dismiss(parsed)

    def action_cancel(self) -> None:
        self.dismiss(None)
