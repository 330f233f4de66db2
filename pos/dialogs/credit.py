"""Paying with a gift card or store credit: scan the card, see its balance,
take what is due or what is left on it."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from pos.dialogs.amount import parse_amount
from pos.screens.base import StaffDialog
from shared.client import Api
from shared.errors import CommerceError
from shared.i18n import N_
from shared.schemas.orders import PaymentIn
from shared.schemas.returns import CreditOut


class CreditDialog(StaffDialog[PaymentIn | None]):
    STATUS_LINE = "#credit-error"
    BINDINGS = [("escape", "cancel", N_("Cancel"))]

    def __init__(self, due_cents: int) -> None:
        super().__init__()
        self.due_cents = due_cents
        self.card: CreditOut | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="credit", classes="dialog"):
            yield Label(self.t("Gift card or store credit"), classes="title")
            yield Input(id="card-number", placeholder=self.t("Scan or type the card number"))
            yield Label("", id="credit-balance")
            yield Input(id="credit-amount",
                        placeholder=self.t("Amount (Enter = as much as possible)"),
                        disabled=True)
            yield Label("", id="credit-error", classes="-error")

    def on_mount(self) -> None:
        self.query_one("#card-number", Input).focus()

    @on(Input.Submitted, "#card-number")
    def number_typed(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.look_up(event.value.strip())

    @work(exclusive=True)
    async def look_up(self, number: str) -> None:
        app = self.app
        try:
            self.card = await app.client.call(Api.credit(number))
        except CommerceError as error:
            self.say(app.explain(error))
            return
        usable = min(self.card.balance_cents, self.due_cents)
        self.query_one("#credit-balance", Label).update(
            self.t("Balance {balance} · usable now {usable}",
                   balance=app.money(self.card.balance_cents), usable=app.money(usable)))
        self.say("")
        amount = self.query_one("#credit-amount", Input)
        amount.disabled = False
        amount.focus()

    @on(Input.Submitted, "#credit-amount")
    def amount_typed(self, event: Input.Submitted) -> None:
        if self.card is None:
            return
        usable = min(self.card.balance_cents, self.due_cents)
        cents = usable if not event.value.strip() else parse_amount(event.value)
        if cents is None or cents <= 0:
            self.say(self.t("Type an amount, e.g. 20,00"))
            return
        if cents > usable:
            self.say(self.t("At most {amount} from this card.",
                               amount=self.app.money(usable)))
            return
        self.dismiss(PaymentIn(tender=self.card.kind, amount_cents=cents,
                               card_number=self.card.card_number))

    def action_cancel(self) -> None:
        self.dismiss(None)
