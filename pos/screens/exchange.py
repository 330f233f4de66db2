"""The exchange screen: the returns desk's F7 brings an approved return here.

What comes back is listed first, as a credit; the cashier scans the
replacement, and the screen shows the one figure that matters: the difference.
F2 (cash) or F3 (card) takes it when the new sale costs more; F10 completes when
it costs the same or less (the rest goes back as the return's refund would).
The core does it all in one step or not at all (see ``core/returns/exchange``),
so a declined card leaves the return waiting here to try again; Esc gives the
exchange up and withdraws the return, so it holds nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Input, Label

from pos.printing import kick_drawer, print_document
from pos.screens.base import StaffScreen
from pos.till_report import TENDERS
from shared.client import Api
from shared.errors import CommerceError, Unavailable
from shared.exchange_receipt import exchange_receipt_lines
from shared.i18n import N_
from shared.receipt import print_lines
from shared.schemas.catalog import ProductOut
from shared.schemas.exchanges import ExchangeCreate, ExchangeOut
from shared.schemas.orders import LineIn, PaymentIn
from shared.schemas.returns import ReturnOut


@dataclass(slots=True)
class NewItem:
    sku: str
    name: str
    price_cents: int
    qty: int = 1


class ExchangeScreen(StaffScreen[tuple[ExchangeOut, str] | None]):
    """Dismissed with the exchange done and what to tell the cashier, or None when
    given up (the return withdrawn)."""

    BINDINGS = [
        Binding("f2", "pay_cash", N_("Cash"), id="exchange_cash",
                tooltip=N_("Take the difference in cash (asks what was handed over)")),
        Binding("f3", "pay_card", N_("Card"), id="exchange_card",
                tooltip=N_("Take the difference on the card terminal")),
        Binding("f7", "less", N_("−1"), id="exchange_less",
                tooltip=N_("One fewer of the replacement line under the cursor")),
        Binding("f10", "complete", N_("Complete"), id="exchange_complete",
                tooltip=N_("No difference to pay: complete (a lower price is given back)")),
        Binding("escape", "give_up", N_("Give up"), id="exchange_give_up",
                tooltip=N_("No exchange: the return is withdrawn, nothing moves")),
    ]

    def __init__(self, ret: ReturnOut, names: dict[str, str]) -> None:
        super().__init__()
        self.ret = ret
        self.names = names
        """What the returned SKUs were sold as, for the screen."""
        self.items: dict[str, NewItem] = {}
        self.key = uuid.uuid4().hex
        """One Idempotency-Key per exchange: a retry after a lost answer is the same."""

    def compose(self) -> ComposeResult:
        with Vertical(id="exchange"):
            yield Label(self.t("Exchange · return {number}", number=self.ret.number),
                        classes="title")
            yield Input(placeholder=self.t("Scan the replacement (or type its SKU)"), id="scan")
            yield DataTable(id="exchange-lines", cursor_type="row", zebra_stripes=True)
            yield Label("", id="exchange-summary", classes="title")
            yield Label(self.t("Scan the replacement. Esc gives the exchange up."), id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#exchange-lines", DataTable).add_columns(
            "", *(self.t(name) for name in (N_("Item"), N_("Qty"), N_("Value"))))
        self.query_one("#scan", Input).focus()
        self.show_lines()


    def difference(self) -> int:
        """New sale minus the return, at catalog prices (the core's figure is final)."""
        return sum(i.price_cents * i.qty for i in self.items.values()) - self.ret.refund_cents

    def show_lines(self) -> None:
        money = self.app.money
        table = self.query_one("#exchange-lines", DataTable)
        table.clear()
        for n, line in enumerate(self.ret.lines, start=1):
            table.add_row(self.t("back"), self.names.get(line.sku, line.sku), str(-line.qty),
                          "-" + money(line.refund_cents), key=f"back-{n}")
        for item in self.items.values():
            table.add_row(self.t("new"), item.name, str(item.qty),
                          money(item.price_cents * item.qty), key=item.sku)
        difference = self.difference()
        if not self.items:
            said = self.t("Credit {amount}: scan the replacement",
                          amount=money(self.ret.refund_cents))
        elif difference > 0:
            said = self.t("Difference to pay {amount} (F2 cash, F3 card)",
                          amount=money(difference))
        elif difference < 0:
            said = self.t("Difference to give back {amount} (F10 completes)",
                          amount=money(-difference))
        else:
            said = self.t("Even exchange: nothing to pay (F10 completes)")
        self.query_one("#exchange-summary", Label).update(said)
        if self.items:
            table.move_cursor(row=table.row_count - 1)

    @on(Input.Submitted, "#scan")
    def scanned(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        event.input.value = ""
        if text:
            self.add(text)

    @work(exclusive=True, group="exchange")
    async def add(self, text: str) -> None:
        client = self.app.client
        product: ProductOut | None = None
        try:
            found = await client.call(Api.scan(text))
            product = found.product if found.kind == "product" else None
        except Unavailable as error:
            self.say(self.app.explain(error), error=True)
            return
        except CommerceError:
            pass  # not a code: a SKU typed by hand, perhaps
        if product is None:
            try:
                product = await client.call(Api.product(text.upper()))
            except CommerceError:
                self.say(self.t("{text} is not an item.", text=text), error=True)
                return
        item = self.items.setdefault(product.sku, NewItem(product.sku, product.name,
                                                          product.price_cents, 0))
        item.qty += 1
        self.say(self.t("{name} added.", name=product.name))
        self.show_lines()

    def action_less(self) -> None:
        table = self.query_one("#exchange-lines", DataTable)
        if not table.row_count:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        item = self.items.get(str(row_key.value))
        if item is None:
            self.say(self.t("Move to a replacement line: what comes back is changed at the "
                            "desk."), error=True)
            return
        item.qty -= 1
        if not item.qty:
            del self.items[item.sku]
        self.show_lines()

    def _ready(self) -> bool:
        if not self.items:
            self.say(self.t("Scan the replacement first."), error=True)
            return False
        return True

    def action_pay_cash(self) -> None:
        from pos.dialogs.cash import CashDialog

        if not self._ready():
            return
        due = self.difference()
        if due <= 0:
            self.finish([])
            return

        def tendered(cents: int | None) -> None:
            if cents is None:
                return
            if cents < due:
                self.say(self.t("An exchange takes the whole difference in one tender."),
                         error=True)
                return
            self.finish([PaymentIn(tender="cash", amount_cents=due, tendered_cents=cents)])

        self.app.push_screen(CashDialog(due, self.app.money(due)), tendered)

    def action_pay_card(self) -> None:
        if not self._ready():
            return
        due = self.difference()
        if due <= 0:
            self.say(self.t("Nothing to pay by card: F10 completes."), error=True)
            return
        self.say(self.t("Card: follow the terminal…"))
        self.finish([PaymentIn(tender="card", amount_cents=due)])

    def action_complete(self) -> None:
        if not self._ready():
            return
        due = self.difference()
        if due > 0:
            self.say(self.t("Take the difference first: {amount} (F2 cash, F3 card).",
                            amount=self.app.money(due)), error=True)
            return
        self.finish([])

    @work(exclusive=True, group="exchange")
    async def finish(self, payments: list[PaymentIn]) -> None:
        app = self.app
        body = ExchangeCreate(lines=[LineIn(sku=i.sku, qty=i.qty) for i in self.items.values()],
                              payments=payments)
        try:
            done = await app.client.call(Api.exchange(self.ret.number, body, self.key))
        except CommerceError as error:
            if not isinstance(error, Unavailable):
                # Refused: nothing of it happened, a new attempt is a new exchange. (A
                # lost answer keeps the key: the retry returns what was done, if it was.)
                self.key = uuid.uuid4().hex
            self.say(app.explain(error), error=True)
            return
        cash = any(p.tender == "cash" for p in done.order.payments) or \
            any(p.tender == "cash" for p in done.refunds)
        drawer = await kick_drawer(app) if cash else None
        store, locale = app.here, app.settings.locale
        language = app.settings.receipt_language

        def layout(width: int) -> list[str]:
            return exchange_receipt_lines(done, store, locale=locale, width=width,
                                          language=language)

        _, printed = await print_document(app, layout(42),
                                          lambda printer: print_lines(printer, layout),
                                          document=done.order.number)
        told = [outcome(done, app.money, self.t), drawer, printed]
        self.dismiss((done, " ".join(x for x in told if x)))

    @work(exclusive=True, group="exchange")
    async def action_give_up(self) -> None:
        app = self.app
        try:
            await app.client.call(Api.reject_return(
                self.ret.number, note="exchange given up at the till"))
        except CommerceError as error:
            self.say(self.t("Return {number} still waits ({why}): the returns desk's F6 "
                            "withdraws it.", number=self.ret.number, why=app.explain(error)),
                     error=True)
            return
        self.dismiss(None)


def outcome(done: ExchangeOut, money: Callable[[int], str],
            t: Callable[..., str] = lambda message, **values: message.format(**values)) -> str:
    """The sentence the cashier acts on: what to take or hand out (``t``: in the
    till's language)."""
    def m(cents: int) -> str:
        return money(cents)

    def tender(name: str) -> str:
        return t(TENDERS[name]) if name in TENDERS else name

    said = t("Exchange {number} done (return {ret}).", number=done.order.number,
             ret=done.returned.number)
    if done.difference_cents > 0:
        paid = ", ".join(f"{tender(p.tender)} {m(p.amount_cents)}"
                         for p in done.order.payments if p.tender != "exchange_credit")
        said += " " + t("Difference {amount} paid: {paid}.", amount=m(done.difference_cents),
                        paid=paid)
        if done.order.change_cents:
            said += " " + t("Change {amount}.", amount=m(done.order.change_cents))
    elif done.difference_cents < 0:
        back = ", ".join(t("Cash to hand out {amount}", amount=m(r.amount_cents))
                         if r.tender == "cash" else f"{tender(r.tender)} {m(r.amount_cents)}"
                         for r in done.refunds)
        said += " " + t("Difference {amount} back: {back}.", amount=m(-done.difference_cents),
                        back=back)
        if done.returned.card_refund_pending_cents:
            said += " " + t("The card terminal has NOT refunded {amount} yet: it is owed and "
                            "asked again; tell a supervisor.",
                            amount=m(done.returned.card_refund_pending_cents))
    else:
        said += " " + t("Even: nothing to pay.")
    return said
