"""The customer panel: find a customer (loyalty QR, phone, email, name), see
points, tier and progress, and their purchases from every channel; attach them
to the sale so it earns points."""

from __future__ import annotations

from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Static

from shared.client import Api
from shared.errors import CommerceError
from shared.schemas.returns import CustomerOut

BADGES = {"web": "WEB", "app": "APP", "kiosk": "KIOSK", "pos": "STORE"}


def history_date(moment: datetime) -> str:
    """The day of a past order, as on its receipt (snapshot tests pin it)."""
    return moment.strftime("%d/%m/%Y")


class CustomerScreen(Screen[CustomerOut | None]):
    BINDINGS = [
        Binding("f2", "attach", "Attach to sale", id="attach_customer"),
        Binding("escape", "back", "Back", id="customer_back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.customer: CustomerOut | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="customer"):
            yield Label("Customer", classes="title")
            yield Input(placeholder="Scan a loyalty card, or type phone, email or surname",
                        id="find")
            yield Static("", id="profile")
            yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#history", DataTable).add_columns(
            "Date", "Order", "Channel", "Store", "Status", "Total", "Returned", "Net")
        self.query_one("#find", Input).focus()

    @on(Input.Submitted, "#find")
    def find(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.look_up(event.value.strip())

    @work(exclusive=True)
    async def look_up(self, text: str) -> None:
        client = self.app.client  # type: ignore[attr-defined]
        profile = self.query_one("#profile", Static)
        try:
            if text.upper().startswith("OT1:L:"):
                card = (await client.call(Api.scan(text))).reference or ""
                found = await client.call(Api.customers(card))
            else:
                found = await client.call(Api.customers(text))
            if not found:
                profile.update("No customer found.")
                return
            customer = found[0]
            loyalty = await client.call(Api.customer_loyalty(customer.id))
            history = await client.call(Api.customer_orders(customer.id))
        except CommerceError as error:
            profile.update(self.app.explain(error))  # type: ignore[attr-defined]
            return
        self.customer = customer
        money = self.app.money  # type: ignore[attr-defined]
        progress = (f"{money(loyalty.to_next_tier_cents or 0)} to {loyalty.next_tier}"
                    if loyalty.next_tier else "top tier")
        more = f" (+{len(found) - 1} more match)" if len(found) > 1 else ""
        profile.update(
            f"[b]{customer.name}[/b]{more}  ·  card {customer.loyalty_card or '—'}\n"
            f"{customer.email or ''}  {customer.phone or ''}  ·  {customer.city}\n"
            f"[b]{loyalty.balance} points[/b]  ·  {loyalty.tier} "
            f"(×{loyalty.multiplier_percent / 100:g})  ·  12 months "
            f"{money(loyalty.spend_12m_cents)}, {progress}\n"
            f"marketing {'yes' if customer.consent_marketing else 'no'}  ·  "
            f"e-receipts {'yes' if customer.consent_email_receipts else 'no'}")
        table = self.query_one("#history", DataTable)
        table.clear()
        for order in history.orders:
            table.add_row(history_date(order.created_at), order.number,
                          BADGES.get(order.channel, order.channel), order.store,
                          order.status.replace("_", " "), money(order.total_cents),
                          money(order.returned_cents) if order.returned_cents else "",
                          money(order.net_cents))

    def action_attach(self) -> None:
        self.dismiss(self.customer)

    def action_back(self) -> None:
        self.dismiss(None)
