"""Typing a number of units for the stock desk: a count, goods received, damage.

A count may be 0 (the shelf is empty); goods received and damage are at least
one unit. Anything else is refused here, with an example, before it reaches the
core, so the supervisor's PIN is never asked for a typo.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from pos.screens.base import StaffDialog
from shared.i18n import N_

MAX_UNITS = 100_000
"""The most the core accepts in one adjustment."""


def parse_units(text: str, *, minimum: int) -> int | None:
    """Whole units from what was typed, or ``None`` when it is not a quantity."""
    text = text.strip()
    if not text.isdigit():
        return None
    units = int(text)
    return units if minimum <= units <= MAX_UNITS else None


class QuantityDialog(StaffDialog[int | None]):
    """A number of units (``minimum`` or more); Escape cancels."""

    STATUS_LINE = "#quantity-error"
    BINDINGS = [("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, *, minimum: int = 1) -> None:
        super().__init__()
        self.title_text, self.minimum = title, minimum

    def compose(self) -> ComposeResult:
        with Vertical(id="quantity-dialog", classes="dialog"):
            yield Label(self.title_text, classes="title")
            yield Input(id="quantity", placeholder=self.t("Units, e.g. 12"), restrict=r"[0-9]*",
                        max_length=6)
            yield Label("", id="quantity-error", classes="-error")

    def on_mount(self) -> None:
        self.query_one("#quantity", Input).focus()

    @on(Input.Submitted, "#quantity")
    def typed(self, event: Input.Submitted) -> None:
        units = parse_units(event.value, minimum=self.minimum)
        if units is None:
            self.say(
                self.t("Type a whole number of units from {minimum} to {maximum}, e.g. 12.",
                       minimum=self.minimum, maximum=MAX_UNITS))
            return
        self.dismiss(units)

    def action_cancel(self) -> None:
        self.dismiss(None)
