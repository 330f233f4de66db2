"""The customer panel: find a customer (loyalty QR, phone, email, name), see
points, tier and progress, and their purchases from every channel; attach them
to the sale so it earns points; record what they say about their mail (F3)."""

from __future__ import annotations

from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from pos.dialogs.customer_mail import CustomerMailDialog
from pos.screens.base import StaffScreen
from shared.client import Api
from shared.errors import CommerceError
from shared.i18n import LANGUAGES, N_
from shared.schemas.returns import CustomerOut

BADGES = {"web": "WEB", "app": "APP", "kiosk": "KIOSK", "pos": "STORE"}


def history_date(moment: datetime) -> str:
    """The day of a past order, as on its receipt (snapshot tests pin it)."""
    return moment.strftime("%d/%m/%Y")


class CustomerScreen(StaffScreen[CustomerOut | None]):
    BINDINGS = [
        Binding("f2", "attach", N_("Attach to sale"), id="attach_customer"),
        Binding("f3", "mail", N_("Mail"), id="customer_mail",
                tooltip=N_("Their mail's language, or no mail at all, as they say")),
        Binding("escape", "back", N_("Back"), id="customer_back"),
        Binding("f1", "app.keys", N_("Keys"), id="keys", tooltip=N_("Every key of this screen")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.customer: CustomerOut | None = None
        self.found: list[CustomerOut] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="customer"):
            yield Label(self.t("Customer"), classes="title")
            yield Input(placeholder=self.t("Scan a loyalty card, or type phone, email or "
                                           "surname"), id="find")
            yield OptionList(id="matches")
            yield Static("", id="profile")
            yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        t = self.t
        self.query_one("#history", DataTable).add_columns(
            t("Date"), t("Order"), t("Channel"), t("Store"), t("Status"), t("Total"),
            t("Returned"), t("Net"))
        self.query_one("#find", Input).focus()
        self.query_one("#matches", OptionList).display = False

    @on(Input.Submitted, "#find")
    def find(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.look_up(event.value.strip())

    def _forget(self, text: str) -> None:
        """Every search starts from nobody: F2 after a search that found no one
        must not attach whoever the previous search showed."""
        self.customer, self.found = None, []
        self.query_one("#profile", Static).update(text)
        self.query_one("#history", DataTable).clear()
        matches = self.query_one("#matches", OptionList)
        matches.clear_options()
        matches.display = False

    @work(exclusive=True)
    async def look_up(self, text: str) -> None:
        client = self.app.client
        self._forget(self.t("Searching…"))
        try:
            if text.upper().startswith("OT1:L:"):
                card = (await client.call(Api.scan(text))).reference or ""
                found = await client.call(Api.customers(card))
            else:
                found = await client.call(Api.customers(text))
        except CommerceError as error:
            self._forget(self.app.explain(error))
            return
        if not found:
            self._forget(self.t("No customer found."))
            return
        self.found = found
        if len(found) > 1:
            matches = self.query_one("#matches", OptionList)
            matches.add_options(Option(f"{c.name}  ·  {c.email or ''}  {c.phone or ''}  "
                                       f"·  {c.city}", id=str(i)) for i, c in enumerate(found))
            matches.display = True
            matches.highlighted = 0
            matches.focus()
            self.query_one("#profile", Static).update(
                self.t("Customers matching: {count}. Choose one (Enter).", count=len(found)))
            return
        self.show(found[0])

    @on(OptionList.OptionSelected, "#matches")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.show(self.found[int(event.option.id or 0)])

    @work(exclusive=True, group="profile")
    async def show(self, customer: CustomerOut) -> None:
        client = self.app.client
        profile = self.query_one("#profile", Static)
        try:
            loyalty = await client.call(Api.customer_loyalty(customer.id))
            history = await client.call(Api.customer_orders(customer.id))
        except CommerceError as error:
            profile.update(self.app.explain(error))
            return
        self.customer = customer
        money = self.app.money
        progress = (f"{money(loyalty.to_next_tier_cents or 0)} to {loyalty.next_tier}"
                    if loyalty.next_tier else "top tier")
        profile.update(
            f"[b]{customer.name}[/b]  ·  card {customer.loyalty_card or '—'}\n"
            f"{customer.email or ''}  {customer.phone or ''}  ·  {customer.city}\n"
            f"[b]{loyalty.balance} points[/b]  ·  {loyalty.tier} "
            f"(×{loyalty.multiplier_percent / 100:g})  ·  12 months "
            f"{money(loyalty.spend_12m_cents)}, {progress}\n"
            f"marketing {'yes' if customer.consent_marketing else 'no'}  ·  "
            f"e-receipts {'yes' if customer.consent_email_receipts else 'no'}\n"
            f"{self.mail_words(customer)}")
        table = self.query_one("#history", DataTable)
        table.clear()
        for order in history.orders:
            table.add_row(history_date(order.created_at), order.number,
                          BADGES.get(order.channel, order.channel), order.store,
                          order.status.replace("_", " "), money(order.total_cents),
                          money(order.returned_cents) if order.returned_cents else "",
                          money(order.net_cents))

    def mail_words(self, customer: CustomerOut) -> str:
        """How they are mailed: in which language, or not at all (they asked)."""
        language = LANGUAGES.get(customer.language or "")
        said = self.t("Mails in {language}", language=language) if language \
            else self.t("Mails in the store's default language")
        if not customer.no_mail:
            return said
        return self.t("No mail at all: they asked") + "  ·  " + said

    def action_mail(self) -> None:
        if self.customer is None:
            self.query_one("#profile", Static).update(
                self.t("Nobody to write to: find the customer first."))
            return

        def recorded(saved: CustomerOut | None) -> None:
            if saved is not None:
                self.show(saved)

        self.app.push_screen(CustomerMailDialog(self.customer), recorded)

    def action_attach(self) -> None:
        if self.customer is None:
            self.query_one("#profile", Static).update(
                self.t("Nobody to attach: find the customer first."))
            return
        self.dismiss(self.customer)

    def action_back(self) -> None:
        self.dismiss(None)
