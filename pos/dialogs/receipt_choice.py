"""How the customer wants the receipt. The sale is already recorded; this only
decides paper, the QR on the customer display, an email, or nothing."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label

from pos.screens.base import StaffDialog
from shared.i18n import N_
from shared.schemas.orders import ReceiptEmail

Choice = tuple[str, str]
"""``("print"|"digital"|"email"|"none", email)``."""


class ReceiptChoiceDialog(StaffDialog[Choice]):
    STATUS_LINE = "#choice-error"
    BINDINGS = [
        Binding("p,enter", "choose('print')", N_("Print"), show=False),
        Binding("d", "choose('digital')", N_("Digital"), show=False),
        Binding("e", "email", N_("Email"), show=False),
        Binding("n,escape", "choose('none')", N_("None"), show=False),
    ]

    def __init__(self, summary: str, email: str | None = None) -> None:
        super().__init__()
        self.summary, self.email = summary, email

    def compose(self) -> ComposeResult:
        with Vertical(id="receipt-choice", classes="dialog"):
            yield Label(self.summary, classes="title", id="choice-summary")
            yield Label(self.t("Receipt? P print · D digital (QR on the customer display) · "
                               "E email · N none"))
            with Horizontal(id="choice-buttons"):
                yield Button(self.t("Print"), id="print", variant="primary")
                yield Button(self.t("Digital"), id="digital")
                yield Button(self.t("Email"), id="email")
                yield Button(self.t("None"), id="none")
            yield Input(id="receipt-email", placeholder=self.t("Customer's email, then Enter"),
                        value=self.email or "")
            yield Label("", id="choice-error", classes="-error")

    def on_mount(self) -> None:
        self.query_one("#receipt-email", Input).display = False
        self.query_one("#print", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "email":
            self.action_email()
        elif event.button.id:
            self.action_choose(event.button.id)

    def action_choose(self, choice: str) -> None:
        if self.query_one("#receipt-email", Input).has_focus:
            return
        self.dismiss((choice, ""))

    def action_email(self) -> None:
        box = self.query_one("#receipt-email", Input)
        box.display = True
        box.focus()

    @on(Input.Submitted, "#receipt-email")
    def email_typed(self, event: Input.Submitted) -> None:
        address = event.value.strip()
        try:  # the request's own check, so what is sent can be sent
            ReceiptEmail(email=address)
        except ValueError:
            self.say(self.t("That is not an email address."))
            return
        self.dismiss(("email", address))
