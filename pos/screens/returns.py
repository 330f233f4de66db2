"""The returns desk: scan a receipt (any channel), a kiosk's return slip, or type
the order number; or scan the item itself when there is no receipt. Choose lines,
quantities and condition; refund to the original tender or to store credit; a
return receipt prints and says what went back per tender.

Every return starts afresh (refund to the original tender), and a return the
desk asked for and nobody approved is withdrawn, never left holding its items:
a request that waits in the core blocks those items from being returned again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Input, Label

from pos.dialogs.open_returns import RETURN_STATUSES, OpenReturnChoice, OpenReturnsDialog
from pos.fiscal import issue_refund_document
from pos.printing import copy_time, kick_drawer, print_document, return_items
from pos.screens.base import StaffScreen
from pos.till_report import TENDERS
from shared.client import Api
from shared.errors import CommerceError, NotFound
from shared.i18n import N_
from shared.receipt import print_return_receipt, return_receipt_lines
from shared.schemas.catalog import ProductOut
from shared.schemas.exchanges import ExchangeOut
from shared.schemas.orders import OrderOut
from shared.schemas.returns import ReturnCreate, ReturnLineIn, ReturnOut

PRODUCT_CODE = re.compile(r"^(\d{8}|\d{12,14}|OT1:P:.+)$", re.IGNORECASE)
"""What a scanner types for an item: an EAN/GTIN or our shelf label."""

MOST_AT_ONCE = 9
"""F2 counts an item brought back without a receipt up to this, then back to 0."""


@dataclass(slots=True)
class LooseItem:
    """An item brought back without a receipt: refunded at today's price, to store
    credit, once a supervisor approves."""

    sku: str
    name: str
    price_cents: int
    qty: int = 1


CONDITIONS = {"damaged": N_("damaged"), "resellable": N_("resellable")}
"""Said in the till's language where they are shown."""


def payout(ret: ReturnOut, money: Callable[[int], str],
           t: Callable[..., str] = lambda message, **values: message.format(**values)) -> str:
    """What went back per tender, in the words the cashier acts on: the cash parts
    are to be handed out, the rest is already on its way; a card part the terminal
    did not refund is said as owed (the core asks again; a supervisor follows up).
    ``t``: in the till's language."""
    parts = []
    for part in ret.refunds:
        amount = money(part.amount_cents)
        tender = t(TENDERS[part.tender]) if part.tender in TENDERS else part.tender
        if part.tender == "cash":
            parts.append(t("Cash to hand out {amount}", amount=amount))
        elif part.card_number:
            parts.append(t("{tender} {amount} on card {card}", tender=tender, amount=amount,
                           card=part.card_number))
        else:
            parts.append(f"{tender} {amount}")
    if ret.card_refund_pending_cents:
        parts.append(t("the card terminal has NOT refunded {amount} yet: it is owed and "
                       "asked again; tell a supervisor",
                       amount=money(ret.card_refund_pending_cents)))
    return " · ".join(parts)


class ReturnsScreen(StaffScreen[None]):
    BINDINGS = [
        Binding("f2", "more", N_("Return +1"), id="return_more"),
        Binding("f3", "condition", N_("Damaged?"), id="return_condition",
                tooltip=N_("Resellable goes back to stock; damaged is written off")),
        Binding("f4", "refund_to", N_("Refund to"), id="return_refund_to",
                tooltip=N_("Original tender or store credit, for this return only")),
        Binding("f5", "refund", N_("Refund"), id="return_refund"),
        Binding("f7", "exchange", N_("Exchange"), id="return_exchange",
                tooltip=N_("Swap: what comes back pays for the replacement; only the "
                "difference is paid or given back")),
        Binding("f6", "open_returns", N_("Open returns"), id="return_open",
                tooltip=N_("The store's returns still waiting: take one to the desk or "
                "withdraw it")),
        Binding("f8", "reprint", N_("Reprint"), id="return_reprint",
                tooltip=N_("Print the last return receipt again")),
        Binding("escape", "back", N_("Back"), id="returns_back"),
    ]

    def __init__(self, code: str | None = None) -> None:
        super().__init__()
        self.code = code
        self.order: OrderOut | None = None
        self.receipt: str | None = None
        self.pending: ReturnOut | None = None
        self.chosen: dict[int, int] = {}
        self.loose: dict[str, LooseItem] = {}
        self.damaged: set[str] = set()
        """Row keys (order line numbers, or SKUs without a receipt) marked damaged."""
        self.refund_to = "original"
        self.done = ""
        """What the last refund paid back, shown until the next return starts."""
        self.last_return: ReturnOut | None = None
        """The last return refunded here, for F8."""

    def compose(self) -> ComposeResult:
        with Vertical(id="returns"):
            yield Label(self.t("Returns desk"), classes="title")
            yield Input(placeholder=self.t(
                "Scan the receipt, the kiosk's return slip or the item (no receipt); or type "
                "the order number or the SKU"), id="scan")
            yield DataTable(id="return-lines", cursor_type="row", zebra_stripes=True)
            yield Label("", id="return-summary", classes="title")
            yield Label("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#return-lines", DataTable).add_columns(
            *(self.t(name) for name in (N_("Line"), N_("Item"), N_("Bought"), N_("Returned"),
                                        N_("Return now"), N_("Condition"), N_("Value"))))
        self.query_one("#scan", Input).focus()
        if self.code:
            self.load(self.code)


    def start(self, *, order: OrderOut | None = None, receipt: str | None = None,
              pending: ReturnOut | None = None) -> None:
        """A new return begins: nothing chosen yet, and the refund goes back the way
        it was paid unless the cashier chooses store credit for this one (F4)."""
        self.order, self.receipt, self.pending = order, receipt, pending
        self.chosen, self.loose, self.damaged = {}, {}, set()
        self.refund_to, self.done = "original", ""

    @on(Input.Submitted, "#scan")
    def scanned(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        event.input.value = ""
        if text:
            self.load(text)

    @work(exclusive=True, group="returns")
    async def load(self, text: str) -> None:
        client = self.app.client
        upper = text.upper()
        try:
            if upper.startswith("OT1:S:"):
                found = await client.call(Api.scan(text))
                self.take(await client.call(Api.get_return(found.reference or "")))
                return
            if upper.startswith("OT1:R:"):
                receipt_order = await client.call(Api.by_receipt(text))
                self.start(order=receipt_order, receipt=text)
            elif PRODUCT_CODE.match(text) or upper.startswith("OT1:"):
                found = await client.call(Api.scan(text))
                if found.kind != "product" or found.product is None:
                    self.say(self.t("That code is not a receipt, a return slip or an item."),
                             error=True)
                    return
                self.bring_back(found.product)
                return
            else:
                try:
                    typed_order = await client.call(Api.order(upper))
                    self.start(order=typed_order)
                except NotFound:
                    try:
                        product = await client.call(Api.product(upper))
                    except NotFound:
                        self.say(self.t("There is no order or product {text}.", text=text),
                                 error=True)
                        return
                    self.bring_back(product)
                    return
        except CommerceError as error:
            self.say(self.app.explain(error), error=True)
            return
        assert self.order is not None
        self.say(self.t("Order {number}: F2 on a line chooses how many come back, F5 "
                        "refunds.", number=self.order.number))
        self.show_return_lines()

    def take(self, ret: ReturnOut) -> None:
        """An existing return (a kiosk's slip, or one from the open returns) at the desk."""
        self.start(pending=ret)
        self.refund_to = ret.refund_to
        self.say(self.t("Return {number} ({status}): F5 approves and refunds it.",
                        number=ret.number, status=self._status(ret.status))
                 if ret.status == "requested" else self.t(
                     "Return {number} ({status}): F5 refunds it.", number=ret.number,
                     status=self._status(ret.status)))
        self.show_return_lines()

    def bring_back(self, product: ProductOut) -> None:
        """An item scanned at the desk: one more of it from the receipt on screen, or
        an item returned without a receipt."""
        if self.order is not None:
            for line in self.order.lines:
                left = line.qty_collected - line.qty_returned
                if line.sku == product.sku and self.chosen.get(line.line_no, 0) < left:
                    self.chosen[line.line_no] = self.chosen.get(line.line_no, 0) + 1
                    self.say(self.t("{name}: {qty} of line {line} come back.",
                                    name=product.name, qty=self.chosen[line.line_no],
                                    line=line.line_no))
                    self.show_return_lines()
                    return
            if any(self.chosen.values()):
                self.say(self.t("{name} is not on order {number} (or all of it is counted): "
                                "refund this return first (F5), then scan it.",
                                name=product.name, number=self.order.number), error=True)
                return
        if product.final_sale:
            self.say(self.t("{name} is a final sale ({category}): it cannot be returned.",
                            name=product.name, category=product.category_name.lower()),
                     error=True)
            return
        if not self.loose:
            self.start()
        item = self.loose.setdefault(product.sku, LooseItem(product.sku, product.name,
                                                            product.price_cents, 0))
        item.qty += 1
        self.say(self.t("{name} without a receipt: refund to store credit, a supervisor "
                        "approves. F2 changes how many, F5 refunds.", name=product.name))
        self.show_return_lines()

    def _destination(self) -> str:
        return self.t("store credit") if self.refund_to == "store_credit" else self.t(
            "original tender")

    def _status(self, status: str) -> str:
        return self.t(RETURN_STATUSES[status]) if status in RETURN_STATUSES else status

    def _condition(self, damaged: bool) -> str:
        return self.t(CONDITIONS["damaged" if damaged else "resellable"])

    def show_return_lines(self) -> None:
        money = self.app.money
        table = self.query_one("#return-lines", DataTable)
        summary = self.query_one("#return-summary", Label)
        table.clear()
        if self.pending is not None:
            for n, line in enumerate(self.pending.lines, start=1):
                table.add_row(str(n), line.sku, "", "", str(line.qty),
                              self.t(CONDITIONS[line.condition])
                              if line.condition in CONDITIONS else line.condition,
                              money(line.refund_cents), key=str(n))
            summary.update(self.t("Return {number} ({status}) · refund {amount} to "
                                  "{destination}", number=self.pending.number,
                                  status=self._status(self.pending.status),
                                  amount=money(self.pending.refund_cents),
                                  destination=self._destination()))
            return
        if self.loose:
            for n, item in enumerate(self.loose.values(), start=1):
                table.add_row(str(n), item.name, "", "", str(item.qty),
                              self._condition(item.sku in self.damaged),
                              money(item.price_cents * item.qty), key=item.sku)
            total = sum(item.price_cents * item.qty for item in self.loose.values())
            summary.update(self.t("Return without a receipt · {amount} · refund to store "
                                  "credit (a supervisor approves)", amount=money(total)))
            return
        for bought in self.order.lines if self.order else []:
            table.add_row(str(bought.line_no), bought.name, str(bought.qty_collected),
                          str(bought.qty_returned), str(self.chosen.get(bought.line_no, 0)),
                          self._condition(str(bought.line_no) in self.damaged),
                          money(bought.total_cents), key=str(bought.line_no))
        summary.update(self.t("Order {number} ({channel}) · refund to {destination}",
                              number=self.order.number, channel=self.order.channel,
                              destination=self._destination()) if self.order else self.done)

    def _row(self) -> str | None:
        """The key of the line under the cursor, on a return the cashier is building."""
        table = self.query_one("#return-lines", DataTable)
        if not table.row_count or (self.order is None and not self.loose):
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value)

    def action_more(self) -> None:
        key = self._row()
        if key is None:
            return
        if self.loose:
            item = self.loose[key]
            item.qty = item.qty + 1 if item.qty < MOST_AT_ONCE else 0
        elif self.order:
            line = next(x for x in self.order.lines if x.line_no == int(key))
            left = line.qty_collected - line.qty_returned
            self.chosen[line.line_no] = (self.chosen.get(line.line_no, 0) + 1) % (left + 1)
        self.show_return_lines()

    def action_condition(self) -> None:
        key = self._row()
        if key is not None:
            self.damaged ^= {key}
            self.show_return_lines()

    def action_refund_to(self) -> None:
        if self.pending is not None:
            self.say(self.t("Return {number} refunds to {destination}, as it was asked.",
                            number=self.pending.number, destination=self._destination()),
                     error=True)
        elif self.loose:
            self.say(self.t("Without a receipt the refund is store credit."), error=True)
        elif self.order is not None:
            self.refund_to = "store_credit" if self.refund_to == "original" else "original"
            self.show_return_lines()

    def _request(self) -> ReturnCreate | None:
        """The return to ask the core for, or None while nothing is chosen."""
        def condition(key: str) -> str:
            return "damaged" if key in self.damaged else "resellable"

        if self.loose:
            items = [ReturnLineIn(sku=x.sku, qty=x.qty, reason="returns desk, no receipt",
                                  condition=condition(x.sku))
                     for x in self.loose.values() if x.qty]
            return ReturnCreate(lines=items, refund_to="store_credit") if items else None
        lines = [ReturnLineIn(line_no=n, qty=q, reason="returns desk",
                              condition=condition(str(n)))
                 for n, q in self.chosen.items() if q]
        if not lines or self.order is None:
            return None
        return ReturnCreate(receipt_code=self.receipt,
                            order_number=None if self.receipt else self.order.number,
                            lines=lines, refund_to=self.refund_to)

    async def approved(self) -> ReturnOut | None:
        """The return on the desk, asked for and approved (a supervisor's PIN when
        needed), or None (the cashier was told why). Must run in a worker."""
        app = self.app
        client = app.client
        ret = self.pending
        try:
            if ret is None:
                body = self._request()
                if body is None:
                    self.say(self.t("Choose what comes back (F2 on a line)."), error=True)
                    return None
                ret = await client.call(Api.create_return(body))
                if ret.status == "requested":
                    # Over the cashier's limit (or without a receipt) a supervisor types
                    # their PIN here; if nobody does, the request is taken back.
                    try:
                        ret = await app.call_approved(Api.approve_return(ret.number))
                    except CommerceError as error:
                        await self.withdraw(ret, error)
                        return None
            elif ret.status == "requested":
                ret = await app.call_approved(Api.approve_return(ret.number))
        except CommerceError as error:
            self.say(app.explain(error), error=True)
            self.show_return_lines()
            return None
        return ret

    @work(exclusive=True, group="returns")
    async def action_refund(self) -> None:
        app = self.app
        ret = await self.approved()
        if ret is None:
            return
        try:
            # Approved: if the refund fails now, F5 tries it again on this return.
            self.start(pending=ret)
            self.refund_to = ret.refund_to
            ret = await app.client.call(Api.refund_return(ret.number))
        except CommerceError as error:
            self.say(app.explain(error), error=True)
            self.show_return_lines()
            return
        await self.refunded(ret)

    @work(exclusive=True, group="returns")
    async def action_exchange(self) -> None:
        """F7: the return, approved here, pays for a replacement on the exchange screen."""
        from pos.screens.exchange import ExchangeScreen

        names = {line.sku: line.name for line in self.order.lines} if self.order else {}
        names |= {item.sku: item.name for item in self.loose.values()}
        ret = await self.approved()
        if ret is None:
            return
        self.start(pending=ret)
        self.show_return_lines()
        self.app.push_screen(ExchangeScreen(ret, names), self.exchanged)

    def exchanged(self, result: tuple[ExchangeOut, str] | None) -> None:
        """Back from the exchange screen: done, or given up (the return withdrawn)."""
        ret = self.pending
        self.start()
        if result is None:
            self.done = self.t("Exchange given up: return {number} withdrawn.",
                               number=ret.number if ret else "")
            self.say(self.done)
        else:
            self.done = result[1]
            self.say(self.done)
        self.show_return_lines()

    async def withdraw(self, ret: ReturnOut, why: CommerceError) -> None:
        """Take back a request this desk just made and nobody approved, so it does
        not hold its items in the core; what was chosen stays on screen for F5."""
        app = self.app
        reason = self.t("no supervisor approved it") if why.code == "role_required" \
            else app.explain(why)
        try:
            await app.client.call(Api.reject_return(
                ret.number, note=f"withdrawn at the till: {reason}"[:120]))
        except CommerceError as error:
            self.say(self.t("Return {number} was not approved and still waits ({why}): F6 "
                            "withdraws it later.", number=ret.number, why=app.explain(error)),
                     error=True)
            return
        self.say(self.t("Return {number} withdrawn, {reason}: nothing was refunded. F5 asks "
                        "again.", number=ret.number, reason=reason), error=True)

    async def refunded(self, ret: ReturnOut) -> None:
        """Tell the cashier what goes back how, open the drawer for cash, print."""
        app = self.app
        money = app.money
        paid_back = payout(ret, money, self.t) or (
            self.t("Store credit on card {card}", card=ret.credit_card_number)
            if ret.credit_card_number else "")
        drawer = None
        if any(part.tender == "cash" for part in ret.refunds):
            drawer = await kick_drawer(app)
        self.last_return = ret
        fiscal = await issue_refund_document(app, ret)  # the reso on the RT, if there is one
        printed = await self.print_return(ret)
        self.start()
        self.done = self.t("Refunded {number}: {paid_back}", number=ret.number,
                           paid_back=paid_back)
        said = self.t("Return {number} refunded: {amount}.", number=ret.number,
                      amount=money(ret.refund_cents))
        if paid_back:
            said += f" {paid_back}."
        self.say(" ".join(x for x in (said, drawer, fiscal, printed) if x),
                 error=ret.card_refund_pending_cents > 0)
        self.show_return_lines()

    async def print_return(self, ret: ReturnOut) -> str:
        """The return receipt, by product name; printed again it says COPIA."""
        app = self.app
        items = await return_items(app.client, ret)
        copy_at = copy_time(app, ret.number)
        language = app.settings.receipt_language
        lines = return_receipt_lines(ret, app.here, locale=app.settings.locale,
                                     items=items, copy_at=copy_at, language=language)
        _, printed = await print_document(app, lines, lambda printer: print_return_receipt(
            printer, ret, app.here, locale=app.settings.locale, items=items,
            copy_at=copy_at, language=language), document=ret.number)
        return printed

    @work(group="print")
    async def action_reprint(self) -> None:
        if self.last_return is None:
            self.say(self.t("No return receipt to reprint yet."), error=True)
            return
        self.say(await self.print_return(self.last_return))

    @work(exclusive=True, group="returns")
    async def action_open_returns(self) -> None:
        app = self.app
        try:
            found = await app.client.call(Api.returns())
        except CommerceError as error:
            self.say(app.explain(error), error=True)
            return
        if not found:
            self.say(self.t("No returns are waiting at this store."))
            return
        store = app.store
        choice: OpenReturnChoice | None = await app.push_screen_wait(OpenReturnsDialog(
            found, app.money, store.timezone if store else "Europe/Rome"))
        if choice is None:
            return
        if choice.action == "take":
            self.take(choice.ret)
            return
        try:
            # The till's own request goes without a PIN; another's over the
            # threshold (a kiosk's, say) is a supervisor's to reject.
            await app.call_approved(Api.reject_return(
                choice.ret.number, note="cleared at the returns desk"))
        except CommerceError as error:
            self.say(app.explain(error), error=True)
            return
        if self.pending is not None and self.pending.number == choice.ret.number:
            self.start()
            self.show_return_lines()
        self.say(self.t("Return {number} withdrawn: its items can be returned again.",
                        number=choice.ret.number))

    def action_back(self) -> None:
        self.app.pop_screen()
