"""Which incoming transfer arrived: its number, typed or scanned off the delivery
note (``T-000042``; ``42`` is enough)."""

from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label

from pos.screens.base import StaffDialog
from pos.widgets.scan_field import ScanField
from shared.i18n import N_

TRANSFER = re.compile(r"^(?:T-?)?(\d{1,6})$", re.IGNORECASE)
"""A transfer number as printed (T-000042) or as a person types it (t42, 42)."""


def transfer_number(text: str) -> str | None:
    """The core's spelling of a transfer number, or ``None`` when it is not one."""
    found = TRANSFER.match(text.strip())
    return f"T-{int(found.group(1)):06d}" if found else None


class ReceiveTransferDialog(StaffDialog[str | None]):
    """The number of the transfer that arrived; Escape cancels."""

    STATUS_LINE = "#transfer-number-error"
    BINDINGS = [("escape", "cancel", N_("Cancel"))]

    def compose(self) -> ComposeResult:
        with Vertical(id="transfer-receive", classes="dialog"):
            yield Label(self.t("Receive a transfer"), classes="title")
            yield Label(self.t("Scan or type the transfer number on the delivery note"))
            yield ScanField(id="transfer-number", placeholder=self.t("e.g. T-000042"))
            yield Label("", id="transfer-number-error", classes="-error")

    def on_mount(self) -> None:
        self.query_one("#transfer-number", ScanField).focus()

    @on(ScanField.Scanned, "#transfer-number")
    def scanned(self, event: ScanField.Scanned) -> None:
        number = transfer_number(event.text)
        if number is None:
            self.say(
                self.t("{text} is not a transfer number; they look like T-000042.",
                       text=repr(event.text)))
            return
        self.dismiss(number)

    def action_cancel(self) -> None:
        self.dismiss(None)
