"""The returns desk: scan a receipt (any channel), a kiosk's return slip, or type
an order number; choose lines, quantities and condition; refund to the original
tender or to store credit; a return receipt prints."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label

from pos.printing import print_document
from shared.client import Api
from shared.errors import CommerceError
from shared.receipt import return_receipt_lines
from shared.schemas.orders import OrderOut
from shared.schemas.returns import ReturnCreate, ReturnLineIn, ReturnOut


class ReturnsScreen(Screen[None]):
    BINDINGS = [
        Binding("f2", "more", "Return +1", id="return_more"),
        Binding("f3", "condition", "Damaged?", id="return_condition",
                tooltip="Resellable goes back to stock; damaged is written off"),
        Binding("f4", "refund_to", "Refund to", id="return_refund_to",
                tooltip="Original tender or store credit"),
        Binding("f5", "refund", "Refund", id="return_refund"),
        Binding("escape", "back", "Back", id="returns_back"),
    ]

    def __init__(self, code: str | None = None) -> None:
        super().__init__()
        self.code = code
        self.order: OrderOut | None = None
        self.receipt: str | None = None
        self.pending: ReturnOut | None = None
        self.chosen: dict[int, int] = {}
        self.damaged: set[int] = set()
        self.refund_to = "original"

    def compose(self) -> ComposeResult:
        with Vertical(id="returns"):
            yield Label("Returns desk", classes="title")
            yield Input(placeholder="Scan the receipt or the kiosk's return slip, or type the "
                        "order number", id="scan")
            yield DataTable(id="return-lines", cursor_type="row", zebra_stripes=True)
            yield Label("", id="return-summary", classes="title")
            yield Label("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#return-lines", DataTable).add_columns(
            "Line", "Item", "Bought", "Returned", "Return now", "Condition", "Value")
        self.query_one("#scan", Input).focus()
        if self.code:
            self.load(self.code)

    def say(self, text: str, error: bool = False) -> None:
        status = self.query_one("#status", Label)
        status.update(text)
        status.set_class(error, "-error")

    @on(Input.Submitted, "#scan")
    def scanned(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        event.input.value = ""
        if text:
            self.load(text)

    @work(exclusive=True, group="returns")
    async def load(self, text: str) -> None:
        client = self.app.client  # type: ignore[attr-defined]
        self.chosen, self.damaged, self.pending = {}, set(), None
        try:
            if text.upper().startswith("OT1:S:"):
                found = await client.call(Api.scan(text))
                self.pending = await client.call(Api.get_return(found.reference or ""))
                self.order = None
                self.say(f"Return {self.pending.number} ({self.pending.status}) from the "
                         "kiosk: F5 approves and refunds it.")
            elif text.upper().startswith("OT1:R:"):
                self.order, self.receipt = await client.call(Api.by_receipt(text)), text
            else:
                self.order, self.receipt = await client.call(Api.order(text.upper())), None
        except CommerceError as error:
            self.say(self.app.explain(error), error=True)  # type: ignore[attr-defined]
            return
        self.show_return_lines()

    def show_return_lines(self) -> None:
        money = self.app.money  # type: ignore[attr-defined]
        table = self.query_one("#return-lines", DataTable)
        table.clear()
        if self.pending is not None:
            for n, line in enumerate(self.pending.lines, start=1):
                table.add_row(str(n), line.sku, "", "", str(line.qty), line.condition,
                              money(line.refund_cents), key=str(n))
            self.query_one("#return-summary", Label).update(
                f"Refund {money(self.pending.refund_cents)}")
            return
        for line in self.order.lines if self.order else []:
            table.add_row(str(line.line_no), line.name, str(line.qty_collected),
                          str(line.qty_returned), str(self.chosen.get(line.line_no, 0)),
                          "damaged" if line.line_no in self.damaged else "resellable",
                          money(line.total_cents), key=str(line.line_no))
        if self.order:
            self.query_one("#return-summary", Label).update(
                f"Order {self.order.number} ({self.order.channel}) · refund to "
                f"{'store credit' if self.refund_to == 'store_credit' else 'original tender'}")

    def _line(self) -> int | None:
        table = self.query_one("#return-lines", DataTable)
        if not table.row_count or self.order is None:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(str(row_key.value))

    def action_more(self) -> None:
        line_no = self._line()
        if line_no is not None and self.order:
            line = next(x for x in self.order.lines if x.line_no == line_no)
            left = line.qty_collected - line.qty_returned
            self.chosen[line_no] = (self.chosen.get(line_no, 0) + 1) % (left + 1)
            self.show_return_lines()

    def action_condition(self) -> None:
        line_no = self._line()
        if line_no is not None:
            self.damaged ^= {line_no}
            self.show_return_lines()

    def action_refund_to(self) -> None:
        self.refund_to = "store_credit" if self.refund_to == "original" else "original"
        self.show_return_lines()

    @work(exclusive=True, group="returns")
    async def action_refund(self) -> None:
        app = self.app
        client = app.client  # type: ignore[attr-defined]
        try:
            ret = self.pending
            if ret is None:
                lines = [ReturnLineIn(line_no=n, qty=q, reason="returns desk",
                                      condition="damaged" if n in self.damaged
                                      else "resellable")
                         for n, q in self.chosen.items() if q]
                if not lines or self.order is None:
                    self.say("Choose what comes back (F2 on a line).", error=True)
                    return
                ret = await client.call(Api.create_return(ReturnCreate(
                    receipt_code=self.receipt, order_number=None if self.receipt
                    else self.order.number, lines=lines, refund_to=self.refund_to)))  # type: ignore[arg-type]
            if ret.status == "requested":
                # Over the cashier's limit (or without a receipt) a supervisor types
                # their PIN here to approve.
                ret = await app.call_approved(Api.approve_return(ret.number))  # type: ignore[attr-defined]
            ret = await client.call(Api.refund_return(ret.number))
        except CommerceError as error:
            self.say(app.explain(error), error=True)  # type: ignore[attr-defined]
            return
        lines = return_receipt_lines(ret, app.store, locale=app.settings.locale)  # type: ignore[attr-defined]
        _, printed = print_document(app, lines)  # type: ignore[arg-type]
        credit = f" Store credit on card {ret.credit_card_number}." \
            if ret.credit_card_number else ""
        self.say(f"Return {ret.number} refunded: {app.money(ret.refund_cents)}."  # type: ignore[attr-defined]
                 f"{credit} {printed}")
        self.order, self.pending, self.chosen = None, None, {}
        self.show_return_lines()

    def action_back(self) -> None:
        self.app.pop_screen()
