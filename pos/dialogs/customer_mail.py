"""F3 on the customer panel: what the shopper says about their mail, recorded on
their word: the language it is written in (1, 2, 3), or no mail at all (N), then
F2 saves it in the core. A refusal (an erased customer, the core out of reach)
is said on the dialog, which stays open."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Checkbox, Label, RadioButton, RadioSet

from pos.screens.base import StaffDialog
from shared.client import Api
from shared.errors import CommerceError
from shared.i18n import LANGUAGES, N_
from shared.schemas.returns import CustomerOut, CustomerUpdate


class CustomerMailDialog(StaffDialog[CustomerOut | None]):
    """Dismissed with the customer as the core now holds them, or ``None``."""

    STATUS_LINE = "#mail-status"
    BINDINGS = [
        *[Binding(str(n), f"language('{code}')", name, id=f"mail_{code}", show=False)
          for n, (code, name) in enumerate(LANGUAGES.items(), start=1)],
        Binding("n", "no_mail", N_("No mail"), id="mail_none",
                tooltip=N_("No mail at all, not even receipts (or mail again)")),
        Binding("f2", "save", N_("Save"), id="mail_save"),
        Binding("escape", "cancel", N_("Cancel"), id="mail_cancel"),
    ]

    def __init__(self, customer: CustomerOut) -> None:
        super().__init__()
        self.customer = customer

    def compose(self) -> ComposeResult:
        with Vertical(id="customer-mail", classes="dialog"):
            yield Label(self.t("Mail for {name}", name=self.customer.name), id="mail-title",
                        classes="title")
            yield Label(self.t("The language of their mails and e-receipts (1, 2 or 3):"))
            # Keys do the choosing (the dialog's bindings); the widgets show it and
            # take a touch, so they never hold the focus and eat a key.
            with RadioSet(id="mail-language"):
                for n, (code, name) in enumerate(LANGUAGES.items(), start=1):
                    yield RadioButton(f"{n}  {name}", value=code == self.customer.language,
                                      id=f"mail-{code}")
            yield Checkbox(self.t("N  No mail at all, not even receipts: they asked"),
                           value=self.customer.no_mail, id="mail-none")
            yield Label(self.t("F2 saves · Esc cancels"))
            yield Label("", id="mail-status")

    def on_mount(self) -> None:
        for widget in (self.query_one(RadioSet), *self.query(RadioButton),
                       self.query_one(Checkbox)):
            widget.can_focus = False

    def action_language(self, code: str) -> None:
        self.query_one(f"#mail-{code}", RadioButton).value = True

    def action_no_mail(self) -> None:
        self.query_one("#mail-none", Checkbox).toggle()

    def action_save(self) -> None:
        self.save()

    @work(exclusive=True, group="customer-mail")
    async def save(self) -> None:
        pressed = self.query_one(RadioSet).pressed_button
        language = (pressed.id or "").removeprefix("mail-") if pressed else None
        self.say(self.t("Saving…"))
        try:
            saved = await self.app.client.call(Api.update_customer(
                self.customer.id, CustomerUpdate(
                    language=language, no_mail=self.query_one("#mail-none", Checkbox).value)))
        except CommerceError as error:
            self.say(self.app.explain(error), error=True)
            return
        self.dismiss(saved)

    def action_cancel(self) -> None:
        self.dismiss(None)
