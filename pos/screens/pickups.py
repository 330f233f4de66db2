"""The click-and-collect queue of this store, kept live from the core's events.

Pick, mark ready (the shopper is told), and hand over by scanning the
shopper's pickup QR; an unpaid order takes payment first.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label

from shared.client import Api
from shared.errors import CommerceError
from shared.schemas.orders import Collect, PaymentIn, PickupOut, Transition
from shared.timefmt import age

ORDER = ["ready_for_pickup", "picking", "paid", "pending_payment", "shipped"]


class PickupsScreen(Screen[None]):
    BINDINGS = [
        Binding("f2", "picking", "Start picking", id="start_picking"),
        Binding("f3", "ready", "Ready", id="mark_ready", tooltip="Tell the shopper"),
        Binding("f4", "take_cash", "Take cash", id="pickup_cash",
                tooltip="Unpaid order: take the amount due in cash"),
        Binding("escape", "back", "Back to sale", id="back"),
    ]

    def __init__(self, collect_code: str | None = None) -> None:
        super().__init__()
        self.collect_code = collect_code
        self.rows: list[PickupOut] = []
        self.last_event = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="pickups"):
            yield Label("Click & collect", classes="title")
            yield Input(placeholder="Scan the shopper's pickup code to hand over", id="scan")
            yield DataTable(id="queue", cursor_type="row", zebra_stripes=True)
            yield Label("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#queue", DataTable).add_columns(
            "Order", "Status", "Customer", "Units", "Due", "Waiting", "Here")
        self.query_one("#scan", Input).focus()
        self.refresh_queue()
        self.set_interval(2.0, self.follow)
        if self.collect_code:
            self.collect(self.collect_code)

    def say(self, text: str, error: bool = False) -> None:
        status = self.query_one("#status", Label)
        status.update(text)
        status.set_class(error, "-error")

    @work(exclusive=True, group="queue")
    async def refresh_queue(self) -> None:
        app = self.app
        try:
            self.rows = await app.client.call(Api.pickups(app.store.code))  # type: ignore[attr-defined]
        except CommerceError as error:
            self.say(app.explain(error), error=True)  # type: ignore[attr-defined]
            return
        self.rows.sort(key=lambda r: (ORDER.index(r.status) if r.status in ORDER else 9,
                                      r.created_at))
        table = self.query_one("#queue", DataTable)
        table.clear()
        for row in self.rows:
            table.add_row(row.number, row.status.replace("_", " "), row.customer_name or "",
                          str(row.units), app.money(row.due_cents) if row.due_cents else "paid",  # type: ignore[attr-defined]
                          age(row.created_at), "✔ here" if row.checked_in_at else "",
                          key=row.number)

    @work(exclusive=True, group="follow")
    async def follow(self) -> None:
        app = self.app
        try:
            events = await app.client.call(Api.events(  # type: ignore[attr-defined]
                after=self.last_event, store=app.store.code, types="order."))  # type: ignore[attr-defined]
        except CommerceError:
            return
        if events:
            first = self.last_event == 0
            self.last_event = events[-1].seq
            if not first:
                self.refresh_queue()

    def _selected(self) -> str | None:
        table = self.query_one("#queue", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value)

    @work(exclusive=True, group="act")
    async def move(self, to: str) -> None:
        number = self._selected()
        if not number:
            return
        try:
            await self.app.client.call(Api.transition(number, Transition(to=to)))  # type: ignore[attr-defined]
            self.say(f"{number}: {to.replace('_', ' ')}")
        except CommerceError as error:
            self.say(self.app.explain(error), error=True)  # type: ignore[attr-defined]
        self.refresh_queue()

    def action_picking(self) -> None:
        self.move("picking")

    def action_ready(self) -> None:
        self.move("ready_for_pickup")

    @work(exclusive=True, group="act")
    async def action_take_cash(self) -> None:
        number = self._selected()
        row = next((r for r in self.rows if r.number == number), None)
        if row is None or not row.due_cents:
            self.say("Nothing is due on that order.", error=True)
            return
        try:
            await self.app.client.call(Api.pay(row.number, PaymentIn(  # type: ignore[attr-defined]
                tender="cash", amount_cents=row.due_cents)))
            self.say(f"{row.number}: {self.app.money(row.due_cents)} taken in cash.")  # type: ignore[attr-defined]
        except CommerceError as error:
            self.say(self.app.explain(error), error=True)  # type: ignore[attr-defined]
        self.refresh_queue()

    @on(Input.Submitted, "#scan")
    def scanned(self, event: Input.Submitted) -> None:
        code = event.value.strip()
        event.input.value = ""
        if code:
            self.collect(code)

    @work(exclusive=True, group="act")
    async def collect(self, code: str) -> None:
        client = self.app.client  # type: ignore[attr-defined]
        try:
            found = await client.call(Api.scan(code))
            if found.kind != "order_pickup" or not found.reference:
                self.say("That is not a pickup code.", error=True)
                return
            order = await client.call(Api.collect(found.reference, Collect(code=code)))
            self.say(f"{order.number} handed over to {order.customer_name or 'the customer'}.")
        except CommerceError as error:
            self.say(self.app.explain(error), error=True)  # type: ignore[attr-defined]
        self.refresh_queue()

    def action_back(self) -> None:
        self.app.pop_screen()
