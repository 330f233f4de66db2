"""The back office on the till: a store's (or, for a manager, the chain's)
figures for today, the last seven days or a range of days.

A supervisor sees their own store; a manager picks a store or the whole
chain. Plots of sales by hour and by channel and of how long pickups took;
tables of low stock, count discrepancies and the audit trail, each exported to
a CSV file in the till's data folder with F5 (the screen says where). A
manager also answers a customer's data request here: F6 saves everything held
about them as JSON, F7 erases them (GDPR).

The figures are the core's (``GET /v1/reports/kpis`` and ``GET /v1/audit``),
read in a worker; the screen changes only when they arrive.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import (
    DataTable,
    Footer,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from pos.csv_export import exports_folder, write_csv
from pos.screens.base import StaffScreen
from pos.widgets.bar_plot import BarPlot
from shared.client import Api
from shared.errors import CommerceError
from shared.i18n import N_
from shared.schemas.audit import AuditPage
from shared.schemas.enums import Role
from shared.schemas.reports import Kpis
from shared.schemas.returns import CustomerOut

CHAIN = "chain"
"""The store picker's value for the whole chain."""

TABLES = {
    "low-stock": (N_("Store"), N_("SKU"), N_("Item"), N_("On hand"), N_("Reserved"),
                  N_("Available")),
    "discrepancies": (N_("When"), N_("Store"), N_("SKU"), N_("Item"), N_("Units"), N_("Why"),
                      N_("Reference")),
    "audit": (N_("When"), N_("Store"), N_("What"), N_("Subject"), N_("Who"),
              N_("Approved by"), N_("Device")),
}
"""Each table's columns: on screen in the till's language, in its CSV file in
English (the headers a spreadsheet or a script reads stay the same)."""


LEAD_TIME_TICKS = {"under 2 h": "<2h", "2 to 24 h": "2-24h", "1 to 2 days": "1-2d",
                   "2 to 3 days": "2-3d", "over 3 days": ">3d"}
"""Short enough that plotext never has to drop one that would touch its neighbour
(which one it drops varies from run to run)."""


def euros(cents: int) -> str:
    """Plain euros for a CSV or an axis: 1234.50 (a spreadsheet reads it)."""
    return f"{cents / 100:.2f}"


class ManagerScreen(StaffScreen[None]):
    CSS_PATH = "manager.tcss"
    BINDINGS = [
        Binding("f2", "today", N_("Today"), id="range_today", tooltip=N_("Today's figures")),
        Binding("f3", "week", N_("Week"), id="range_week", tooltip=N_("The last seven days")),
        Binding("f4", "range", N_("Range"), id="range_days",
                tooltip=N_("Type the first and last day (YYYY-MM-DD), Enter")),
        Binding("f5", "export", N_("CSV"), id="export_csv",
                tooltip=N_("Save the table shown as a CSV file in the till's data folder")),
        Binding("f6", "export_customer", N_("Cust. data"), id="customer_export",
                tooltip=N_("A customer's data as JSON in the till's data folder (manager)")),
        Binding("f7", "erase_customer", N_("Erase cust."), id="customer_erase",
                tooltip=N_("Anonymise a customer, keeping their orders (manager)")),
        Binding("escape", "back", N_("Back"), id="back", tooltip=N_("Back to the sale")),
        Binding("f1", "app.keys", N_("Keys"), id="keys", tooltip=N_("Every key of this screen")),
    ]

    @dataclass
    class FiguresRead(Message):
        """The core's figures and audit trail for the range on screen."""

        kpis: Kpis
        audit: AuditPage

    def __init__(self) -> None:
        super().__init__()
        self.kpis: Kpis | None = None
        self.audit: AuditPage | None = None
        self.first: date | None = None
        self.last: date | None = None
        self.today: date | None = None
        """The store's today, as the core last said it."""

    @property
    def manager(self) -> bool:
        staff = self.app.staff
        return staff is not None and Role(staff.role).at_least(Role.MANAGER)

    @property
    def own_store(self) -> str:
        return self.app.store.code if self.app.store else ""

    def compose(self) -> ComposeResult:
        with Vertical(id="manager"):
            with Horizontal(id="manager-head"):
                yield Label(self.t("Back office"), id="manager-title", classes="title")
                yield Select([(self.t("Store {code}", code=self.own_store), self.own_store)],
                             value=self.own_store, allow_blank=False, id="store",
                             disabled=not self.manager)
                yield Input(placeholder=self.t("from YYYY-MM-DD"), id="from", max_length=10)
                yield Input(placeholder=self.t("to YYYY-MM-DD"), id="to", max_length=10)
            yield Static(self.t("Reading the figures…"), id="figures")
            with Horizontal(id="plots"):
                yield BarPlot(id="by-hour")
                yield BarPlot(id="by-channel")
                yield BarPlot(id="lead-times")
            with TabbedContent(id="tables"):
                with TabPane(self.t("Low stock"), id="low-stock"):
                    yield DataTable(id="low-stock-table", zebra_stripes=True)
                with TabPane(self.t("Discrepancies"), id="discrepancies"):
                    yield DataTable(id="discrepancies-table", zebra_stripes=True)
                with TabPane(self.t("Audit trail"), id="audit"):
                    yield DataTable(id="audit-table", zebra_stripes=True)
            yield Label("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        for name, columns in TABLES.items():
            self.query_one(f"#{name}-table", DataTable).add_columns(
                *(self.t(column) for column in columns))
        if self.manager:
            self.load_stores()
        self.action_today()


    # -- what to read ---------------------------------------------------------------

    @property
    def store(self) -> str | None:
        value = self.query_one("#store", Select).value
        return None if value == CHAIN or not isinstance(value, str) else value

    def action_today(self) -> None:
        self.first = self.last = None  # the core's today, in the store's time
        self.load()

    def action_week(self) -> None:
        today = self.today or date.today()
        self.first, self.last = today - timedelta(days=6), today
        self.load()

    def action_range(self) -> None:
        self.query_one("#from", Input).focus()

    @on(Input.Submitted, "#from")
    def from_typed(self) -> None:
        self.query_one("#to", Input).focus()

    @on(Input.Submitted, "#to")
    def range_typed(self) -> None:
        try:
            first = date.fromisoformat(self.query_one("#from", Input).value.strip())
            text = self.query_one("#to", Input).value.strip()
            last = date.fromisoformat(text) if text else first
        except ValueError:
            self.say(self.t("Type the days as YYYY-MM-DD, e.g. 2026-11-02."), error=True)
            return
        self.first, self.last = first, last
        self.load()

    @on(Select.Changed, "#store")
    def store_picked(self) -> None:
        if self.kpis is not None:
            self.load()

    @work(exclusive=True, group="manager-stores")
    async def load_stores(self) -> None:
        try:
            stores = await self.app.client.call(Api.stores())
        except CommerceError as error:
            self.say(self.app.explain(error), error=True)
            return
        picker = self.query_one("#store", Select)
        current = picker.value
        options = [(self.t("Whole chain"), CHAIN)] + [
            (f"{s.code} {s.name}", s.code) for s in stores if s.kind != "warehouse"]
        with picker.prevent(Select.Changed):
            picker.set_options(options)
            picker.value = current

    @work(exclusive=True, group="manager")
    async def load(self) -> None:
        self.say(self.t("Reading the figures…"))
        client = self.app.client
        store = self.store if self.manager else self.own_store
        try:
            kpis = await client.call(Api.kpis(store, self.first, self.last))
            audit = await client.call(Api.audit(store, kpis.starts_at, kpis.ends_at, 200))
        except CommerceError as error:
            self.say(self.app.explain(error), error=True)
            return
        self.post_message(self.FiguresRead(kpis, audit))

    # -- showing them ---------------------------------------------------------------

    @on(FiguresRead)
    def show(self, event: FiguresRead) -> None:
        k = self.kpis = event.kpis
        self.audit = event.audit
        if self.last is None:
            self.today = k.date_to
        money = self.app.money
        where = k.store or self.t("Whole chain")
        t = self.t
        days = (f"{k.date_from:%d/%m/%Y}" if k.date_from == k.date_to
                else f"{k.date_from:%d/%m/%Y} – {k.date_to:%d/%m/%Y}")
        p = k.pickups

        def minutes(value: int | None) -> str:
            return "–" if value is None else f"{value // 60}h{value % 60:02d}"

        self.query_one("#figures", Static).update("\n".join([
            f"{where} · {days}",
            t("Net sales {sales} · {orders} orders · basket {basket} · returns {returns} "
              "({rate}) · from another location {other}", sales=money(k.net_sales_cents),
              orders=k.orders, basket=money(k.average_basket_cents),
              returns=money(k.returns_cents), rate=f"{k.returns_rate:.1%}",
              other=f"{k.other_location_share:.0%}"),
            t("Pickups {orders} · collected {collected} · no-shows {no_shows} ({rate}) · "
              "to ready median {ready} p90 {ready_p90} · to collected median {collected_median} "
              "p90 {collected_p90}", orders=p.orders, collected=p.collected,
              no_shows=p.no_shows, rate=f"{p.no_show_rate:.0%}",
              ready=minutes(p.order_to_ready_median_minutes),
              ready_p90=minutes(p.order_to_ready_p90_minutes),
              collected_median=minutes(p.order_to_collected_median_minutes),
              collected_p90=minutes(p.order_to_collected_p90_minutes)),
            t("Points issued {issued} · redeemed {redeemed} · stock-outs {stock_outs} · low "
              "stock {low} · ", issued=k.loyalty_points_issued,
              redeemed=k.loyalty_points_redeemed, stock_outs=k.stock_outs, low=k.low_stock)
            + " · ".join(f"{s.kind} {money(s.sales_cents)}" for s in k.by_store_kind),
        ]))
        hours = [h for h in k.by_hour if 7 <= h.hour <= 21 or h.orders]
        self.query_one("#by-hour", BarPlot).show(
            t("Sales by hour (€)"), [str(h.hour) for h in hours],
            [h.sales_cents / 100 for h in hours], every=3)
        self.query_one("#by-channel", BarPlot).show(
            t("Sales by channel (€)"), [c.channel for c in k.by_channel],
            [c.sales_cents / 100 for c in k.by_channel])
        self.query_one("#lead-times", BarPlot).show(
            t("Pickups: order to hand-over (orders)"),
            [LEAD_TIME_TICKS.get(b.label, b.label) for b in p.order_to_collected],
            [b.orders for b in p.order_to_collected])
        for name in TABLES:
            table = self.query_one(f"#{name}-table", DataTable)
            table.clear()
            table.add_rows([tuple(str(c) for c in row) for row in self.rows(name)])
        self.say(t("{where}: figures of {days}. F5 saves the table shown as CSV.",
                   where=where, days=days))

    def rows(self, name: str) -> list[tuple[object, ...]]:
        """A table's rows, as on screen and in its CSV."""
        if self.kpis is None or self.audit is None:
            return []
        if name == "low-stock":
            return [(i.store, i.sku, i.name, i.on_hand, i.reserved, i.available)
                    for i in self.kpis.low_stock_items]
        if name == "discrepancies":
            return [(f"{d.at:%Y-%m-%d %H:%M}", d.store, d.sku, d.name, d.delta,
                     d.reason.replace("_", " "), d.reference) for d in self.kpis.discrepancies]
        return [(f"{e.at:%Y-%m-%d %H:%M}", e.store_code or "", e.kind, e.subject,
                 e.staff_name or e.actor, e.approver_name, e.device_name)
                for e in self.audit.entries]

    # -- export ---------------------------------------------------------------------

    def action_export(self) -> None:
        if self.kpis is None:
            self.say(self.t("The figures are not in yet."), error=True)
            return
        name = self.query_one("#tables", TabbedContent).active or "low-stock"
        k = self.kpis
        stem = f"{name}-{k.store or 'chain'}-{k.date_from}" + (
            f"-{k.date_to}" if k.date_to != k.date_from else "")
        try:
            path, count = write_csv(exports_folder(self.app.settings),
                                    stem, TABLES[name], self.rows(name))
        except OSError as error:
            self.say(self.t("Could not save the CSV: {why}.", why=error.strerror or error),
                     error=True)
            return
        self.exported = path
        self.say(self.t("Saved {count} rows to {path}", count=count, path=path.resolve()))

    # -- a customer's data (GDPR) ---------------------------------------------------

    def action_export_customer(self) -> None:
        self.pick_customer(erase=False)

    def action_erase_customer(self) -> None:
        self.pick_customer(erase=True)

    def pick_customer(self, *, erase: bool) -> None:
        """Find the customer as on the sale screen (F9); F2 there chooses them."""
        from pos.screens.customer_pick import PickCustomerScreen

        def chosen(customer: CustomerOut | None) -> None:
            if customer is not None:
                self.customer_data(customer, erase=erase)

        self.app.push_screen(PickCustomerScreen(), chosen)

    @work(exclusive=True, group="manager-customer")
    async def customer_data(self, customer: CustomerOut, *, erase: bool) -> None:
        """Save the customer's data or, after asking, erase them. The core
        refuses anyone but a manager, and says so."""
        from pos.dialogs.confirm import ConfirmDialog

        client = self.app.client
        try:
            if not erase:
                data = await client.call(Api.customer_export(customer.id))
                path = exports_folder(self.app.settings) / (
                    f"customer-{customer.id}.json")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                                encoding="utf-8")
                self.exported = path
                self.say(self.t("Saved {name}'s data ({orders} orders) to {path}",
                                name=customer.name, orders=len(data["orders"]),
                                path=path.resolve()))
                return
            if not await self.app.push_screen_wait(ConfirmDialog(
                    self.t("Erase {name}? Their name, email, phone and card go; their orders "
                           "stay; their points are zeroed. This cannot be undone.",
                           name=customer.name), self.t("Erase"))):
                return
            done = await client.call(Api.erase_customer(customer.id))
        except CommerceError as error:
            self.say(self.app.explain(error), error=True)
            return
        except OSError as error:
            self.say(self.t("Could not save the file: {why}.", why=error.strerror or error),
                     error=True)
            return
        self.say(self.t("Erased customer {id}: {orders} orders kept, {points} points zeroed.",
                        id=customer.id, orders=done["orders_kept"],
                        points=done["points_zeroed"]))

    exported: Path | None = None
    """The last CSV written (tests read it)."""

    def action_back(self) -> None:
        self.app.pop_screen()
