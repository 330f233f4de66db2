"""The sale: scan or type, adjust lines, take cash or card, print.

The scan field keeps the focus, so a scanner's code-and-Enter always lands.
The sale is recorded by the core (one idempotency key per sale, so a retry
never sells twice) before anything is printed.
"""

from __future__ import annotations

import re
import uuid

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label

from pos.messages import Problem
from shared.client import Api
from shared.errors import CommerceError, NotFound
from shared.receipt import print_receipt, receipt_lines
from shared.schemas.orders import CartLineSet, CartOut, OrderCreate, OrderOut, PaymentIn
from shared.schemas.returns import CustomerOut

CODE = re.compile(r"^(\d{8}|\d{12,14}|OT1:.+)$", re.IGNORECASE)


class SellScreen(Screen[None]):
    BINDINGS = [
        Binding("f2", "pay_cash", "Cash", id="pay_cash", tooltip="Take cash, give change"),
        Binding("f3", "pay_card", "Card", id="pay_card", tooltip="Charge the card terminal"),
        Binding("f5", "more", "Qty +1", id="qty_more", tooltip="One more of the line"),
        Binding("f7", "less", "Qty −1", id="qty_less", tooltip="One fewer of the line"),
        Binding("f4", "park", "Park", id="park", tooltip="Park this sale to recall it later"),
        Binding("f6", "pickups", "Pickups", id="pickups", tooltip="Click-and-collect queue"),
        Binding("f9", "customer", "Customer", id="customer",
                tooltip="Find a customer, see their history, attach them to the sale"),
        Binding("f11", "returns", "Returns", id="returns", tooltip="Returns desk"),
        Binding("f8", "reprint", "Reprint", id="reprint", tooltip="Print the last receipt"),
        Binding("f10", "sign_out", "Sign out", id="sign_out", tooltip="Switch cashier"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.cart: CartOut | None = None
        self.order: OrderOut | None = None
        self.customer: CustomerOut | None = None
        self.key = uuid.uuid4().hex

    def compose(self) -> ComposeResult:
        app = self.app
        store = app.store.name if app.store else ""  # type: ignore[attr-defined]
        staff = app.staff.name if app.staff else ""  # type: ignore[attr-defined]
        with Vertical(id="sell"):
            yield Label(f"{store} — {staff}", id="who", classes="title")
            yield Input(placeholder="Scan or type a product, basket or pickup code", id="scan")
            yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="totals"):
                yield Label("", id="total", classes="title")
                yield Label("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#lines", DataTable)
        table.add_columns("Item", "SKU", "Qty", "Price", "Total")
        self.query_one("#scan", Input).focus()
        self.render_sale()

    # -- display -------------------------------------------------------------------

    def render_sale(self) -> None:
        money = self.app.money  # type: ignore[attr-defined]
        table = self.query_one("#lines", DataTable)
        table.clear()
        for line in self.cart.lines if self.cart else []:
            table.add_row(line.name, line.sku, str(line.qty), money(line.unit_price_cents),
                          money(line.total_cents), key=line.sku)
        total = self.order.total_cents if self.order else (self.cart.total_cents
                                                             if self.cart else 0)
        due = self.order.due_cents if self.order else total
        text = f"Total {money(total)}"
        if self.customer:
            text = f"{self.customer.name} · " + text
        if self.order and due != total:
            text += f"   Due {money(due)}"
        self.query_one("#total", Label).update(text)

    def say(self, text: str, error: bool = False) -> None:
        status = self.query_one("#status", Label)
        status.update(text)
        status.set_class(error, "-error")

    def new_sale(self) -> None:
        self.cart, self.order, self.key = None, None, uuid.uuid4().hex
        self.customer = None
        self.render_sale()

    # -- scanning and lines -----------------------------------------------------------

    @on(Input.Submitted, "#scan")
    def scanned(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        event.input.value = ""
        if text:
            self.lookup(text)

    @work(exclusive=True, group="lookup")
    async def lookup(self, text: str) -> None:
        client = self.app.client  # type: ignore[attr-defined]
        try:
            if CODE.match(text):
                result = await client.call(Api.scan(text))
                if result.kind == "product" and result.product:
                    await self._add(result.product.sku, +1)
                elif result.kind == "cart" and result.reference:
                    self.cart = await client.call(Api.cart(result.reference))
                    self.say(f"Kiosk basket loaded: {sum(x.qty for x in self.cart.lines)} items")
                elif result.kind == "loyalty":
                    found = await client.call(Api.customers(result.reference or ""))
                    self.customer = found[0] if found else None
                    self.say(f"Customer: {self.customer.name}" if self.customer else "")
                elif result.kind in ("receipt", "return_slip"):
                    from pos.screens.returns import ReturnsScreen

                    self.app.push_screen(ReturnsScreen(code=text))
                elif result.kind == "order_pickup":
                    from pos.screens.pickups import PickupsScreen

                    self.app.push_screen(PickupsScreen(collect_code=text))
                else:
                    self.say("That code is not for a sale.", error=True)
            else:
                try:
                    product = await client.call(Api.product(text.upper()))
                    await self._add(product.sku, +1)
                    self.render_sale()
                    return
                except NotFound:
                    pass
                page = await client.call(Api.products(q=text, limit=5))
                if len(page.items) == 1:
                    await self._add(page.items[0].sku, +1)
                elif page.items:
                    self.say("Several match: " + "; ".join(f"{p.sku} {p.name}"
                                                           for p in page.items[:3]))
                else:
                    self.say(f"Nothing matches {text!r}.", error=True)
        except CommerceError as error:
            self.say(self.app.explain(error), error=True)  # type: ignore[attr-defined]
        self.render_sale()

    async def _add(self, sku: str, delta: int) -> None:
        if self.order is not None:
            self.say("Payment has started; finish or cancel this sale first.", error=True)
            return
        client = self.app.client  # type: ignore[attr-defined]
        if self.cart is None:
            self.cart = await client.call(Api.create_cart())
        current = next((x.qty for x in self.cart.lines if x.sku == sku), 0)
        self.cart = await client.call(Api.set_cart_line(
            self.cart.id, CartLineSet(sku=sku, qty=max(0, current + delta))))
        self.say("")

    def _selected_sku(self) -> str | None:
        table = self.query_one("#lines", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value)

    @work(exclusive=True, group="lookup")
    async def change_qty(self, delta: int) -> None:
        sku = self._selected_sku()
        if sku:
            try:
                await self._add(sku, delta)
            except CommerceError as error:
                self.say(self.app.explain(error), error=True)  # type: ignore[attr-defined]
            self.render_sale()

    def action_more(self) -> None:
        self.change_qty(+1)

    def action_less(self) -> None:
        self.change_qty(-1)

    # -- payment ---------------------------------------------------------------------

    def action_pay_cash(self) -> None:
        from pos.dialogs.cash import CashDialog

        if not self.cart or not self.cart.lines:
            self.say("Scan something first.", error=True)
            return
        due = self.order.due_cents if self.order else self.cart.total_cents

        def tendered(cents: int | None) -> None:
            if cents is not None:
                self.pay(PaymentIn(tender="cash", amount_cents=due, tendered_cents=cents))

        self.app.push_screen(CashDialog(due, self.app.money(due)), tendered)  # type: ignore[attr-defined]

    def action_pay_card(self) -> None:
        if not self.cart or not self.cart.lines:
            self.say("Scan something first.", error=True)
            return
        due = self.order.due_cents if self.order else self.cart.total_cents
        self.say("Card: follow the terminal…")
        self.pay(PaymentIn(tender="card", amount_cents=due))

    @work(exclusive=True, group="pay")
    async def pay(self, payment: PaymentIn) -> None:
        client = self.app.client  # type: ignore[attr-defined]
        assert self.cart is not None
        try:
            if self.order is None:
                self.order = await client.call(Api.place_order(OrderCreate(
                    cart_id=self.cart.id,
                    customer_id=self.customer.id if self.customer else None), self.key))
            self.order = await client.call(Api.pay(self.order.number, payment))
        except CommerceError as error:
            self.say(self.app.explain(error), error=True)  # type: ignore[attr-defined]
            self.render_sale()
            return
        last = self.order.payments[-1]
        if last.status != "approved":
            self.say(f"{last.status.upper()}: {last.message}", error=True)
        elif self.order.status == "completed":
            self.finish(self.order)
            return
        else:
            self.say(f"Paid {self.app.money(last.amount_cents)}; "  # type: ignore[attr-defined]
                     f"{self.app.money(self.order.due_cents)} still due")  # type: ignore[attr-defined]
        self.render_sale()

    def finish(self, order: OrderOut) -> None:
        self.app.last_order = order  # type: ignore[attr-defined]
        change = f" — change {self.app.money(order.change_cents)}" if order.change_cents else ""  # type: ignore[attr-defined]
        printed = self.print_order(order)
        self.new_sale()
        self.say(f"Sale {order.number} completed{change}. {printed}")

    def print_order(self, order: OrderOut) -> str:
        from pos.dialogs.receipt import ReceiptDialog

        app = self.app
        lines = receipt_lines(order, app.store, locale=app.settings.locale)  # type: ignore[attr-defined]
        try:
            printer = app.printer_factory()  # type: ignore[attr-defined]
            if printer is None:
                printed = "No printer configured (receipt on screen)."
            else:
                print_receipt(printer, order, app.store, locale=app.settings.locale)  # type: ignore[attr-defined]
                printed = "Receipt printed."
        except Exception as exc:  # noqa: BLE001 - any printer fault; the sale is safe
            printed = f"Printer not answering ({exc.__class__.__name__}); F8 reprints."
            self.post_message(Problem(f"The sale {order.number} is saved. {printed}"))
        app.push_screen(ReceiptDialog(lines, printed))
        return printed

    def action_reprint(self) -> None:
        order = self.app.last_order  # type: ignore[attr-defined]
        if order is None:
            self.say("No receipt to reprint yet.", error=True)
            return
        self.say(self.print_order(order))

    # -- other actions ---------------------------------------------------------------

    @work(exclusive=True, group="park")
    async def action_park(self) -> None:
        if not self.cart or self.order is not None:
            self.say("Nothing to park.", error=True)
            return
        try:
            await self.app.client.call(Api.park_cart(self.cart.id))  # type: ignore[attr-defined]
        except CommerceError as error:
            self.say(self.app.explain(error), error=True)  # type: ignore[attr-defined]
            return
        self.new_sale()
        self.say("Sale parked.")

    def action_pickups(self) -> None:
        from pos.screens.pickups import PickupsScreen

        self.app.push_screen(PickupsScreen())

    def action_customer(self) -> None:
        from pos.screens.customer import CustomerScreen

        def chosen(customer: CustomerOut | None) -> None:
            if customer is not None:
                self.customer = customer
                self.say(f"Customer: {customer.name}")
                self.render_sale()

        self.app.push_screen(CustomerScreen(), chosen)

    def action_returns(self) -> None:
        from pos.screens.returns import ReturnsScreen

        self.app.push_screen(ReturnsScreen())

    def action_sign_out(self) -> None:
        self.app.sign_out()  # type: ignore[attr-defined]
