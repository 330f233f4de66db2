"""Where a transfer goes and how many units of the item on the desk.

The destination is a location code (another store, the warehouse); the core
says whether it exists and whether it is another location, so this dialog only
refuses what is plainly not a code or not a quantity.
"""

from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from pos.dialogs.stock_quantity import parse_units
from pos.screens.base import StaffDialog
from shared.i18n import N_

LOCATION = re.compile(r"^[A-Z0-9]{2,8}$")
"""A location code as the core spells them (MI01, WH01)."""

MAX_LINE_UNITS = 999
"""The most units of one item a transfer line carries."""


class SendTransferDialog(StaffDialog[tuple[str, int] | None]):
    """``(destination, units)`` for a transfer of ``sku``; Escape cancels."""

    STATUS_LINE = "#transfer-error"
    BINDINGS = [("escape", "cancel", N_("Cancel"))]

    def __init__(self, sku: str, here: str) -> None:
        super().__init__()
        self.sku, self.here = sku, here

    def compose(self) -> ComposeResult:
        with Vertical(id="transfer-send", classes="dialog"):
            yield Label(self.t("Send {sku} from {here}", sku=self.sku, here=self.here),
                        classes="title")
            yield Input(id="transfer-to", placeholder=self.t("To which location, e.g. WH01"),
                        max_length=8)
            yield Input(id="transfer-qty", placeholder=self.t("Units, e.g. 3"),
                        restrict=r"[0-9]*",
                        max_length=6)
            yield Label("", id="transfer-error", classes="-error")

    def on_mount(self) -> None:
        self.query_one("#transfer-to", Input).focus()

    def _destination(self) -> str | None:
        code = self.query_one("#transfer-to", Input).value.strip().upper()
        if not LOCATION.match(code):
            self.say(self.t("Type the location code the goods go to, e.g. WH01."))
            self.query_one("#transfer-to", Input).focus()
            return None
        return code

    @on(Input.Submitted, "#transfer-to")
    def destination_typed(self) -> None:
        if self._destination():
            self.say("")
            self.query_one("#transfer-qty", Input).focus()

    @on(Input.Submitted, "#transfer-qty")
    def quantity_typed(self, event: Input.Submitted) -> None:
        destination = self._destination()
        if destination is None:
            return
        units = parse_units(event.value, minimum=1)
        if units is None or units > MAX_LINE_UNITS:
            self.say(self.t("Type a whole number of units from 1 to {maximum}, e.g. 3.",
                               maximum=MAX_LINE_UNITS))
            return
        self.dismiss((destination, units))

    def action_cancel(self) -> None:
        self.dismiss(None)
