"""The receipt on screen: what was printed (or could not be), to read back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from pos.screens.base import StaffDialog
from shared.i18n import N_


class ReceiptDialog(StaffDialog[None]):
    BINDINGS = [("escape,enter", "close", N_("Close"))]

    def __init__(self, lines: list[str], printed: str) -> None:
        super().__init__()
        self.lines, self.printed = lines, printed

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="receipt"):
            yield Label(self.printed, id="receipt-status", classes="title")
            yield Static("\n".join(self.lines), id="receipt-text", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
