"""Hand-over without a pickup code: the shopper says their surname.

Shoppers forget their phone or the e-mail with the QR. The core checks the
surname against the order's customer and contact (so the till never decides
who the goods belong to); this dialog only asks for it, for the order the
clerk already selected, and says which order that is so nobody hands over
the wrong parcel.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from pos.screens.base import StaffDialog
from shared.i18n import N_

__all__ = ["HandoverDialog"]


class HandoverDialog(StaffDialog[str | None]):
    """The surname the shopper gives, or ``None`` when the clerk cancels."""

    STATUS_LINE = "#handover-error"

    DEFAULT_CSS = "HandoverDialog { align: center middle; }"
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), show=False)]

    def __init__(self, number: str, summary: str) -> None:
        super().__init__()
        self.number, self.summary = number, summary

    def compose(self) -> ComposeResult:
        with Vertical(id="handover", classes="dialog"):
            yield Label(self.t("Hand over {number} without a code", number=self.number),
                        classes="title")
            yield Label(self.summary, id="handover-summary")
            yield Static(self.t("Ask for the shopper's surname (and an ID if in doubt); "
                                "type it as they say it, then Enter. Escape cancels."))
            # No longer than ``Collect.last_name`` takes: a longer one raised past the counter.
            yield Input(id="surname", placeholder=self.t("Surname"), max_length=60)
            yield Label("", id="handover-error", classes="-error")

    def on_mount(self) -> None:
        self.query_one("#surname", Input).focus()

    @on(Input.Submitted, "#surname")
    def submitted(self, event: Input.Submitted) -> None:
        surname = event.value.strip()
        if not surname:
            self.say(
                self.t("Type the surname the shopper gives."))
            return
        self.dismiss(surname)

    def action_cancel(self) -> None:
        self.dismiss(None)
