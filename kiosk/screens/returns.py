"""Start a return: the shopper scanned a receipt; they choose lines and a reason,
and take the return-slip QR to the returns desk. The core's policy (window,
already returned, final sale) is explained in its own words."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Label

from kiosk.base import KioskScreen
from kiosk.messages import Problem
from kiosk.widgets.nav import NavBar
from kiosk.widgets.qr import QrCode
from shared.client import Api
from shared.errors import CommerceError
from shared.i18n import N_
from shared.schemas.orders import OrderLineOut, OrderOut
from shared.schemas.returns import ReturnCreate, ReturnLineIn, ReturnOut

REASONS = {"size": N_("Wrong size"), "changed": N_("Changed my mind"), "faulty": N_("Faulty")}
"""The reasons a shopper picks from, by the code the core records."""


class ReturnScreen(KioskScreen[None]):
    """Drawn from what it holds (the order, the units chosen, the reason, the
    return once asked for), so a language switch keeps all of it; once the
    slip is there, it alone fills the screen, whole, for the desk to scan."""

    def __init__(self, receipt_code: str) -> None:
        super().__init__()
        self.receipt_code = receipt_code
        self.order: OrderOut | None = None
        self.chosen: dict[int, int] = {}
        self.reason = "size"
        self.ret: ReturnOut | None = None
        self.final_sale: set[str] = set()
        """SKUs of the order that are never taken back (said on their line)."""

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(id="return"):
            yield Label(self._heading(), classes="title", id="return-title")
            if self.ret is None:
                with VerticalScroll(id="return-lines"):
                    yield from self._lines()
                with Horizontal(id="reasons"):
                    for reason, words in REASONS.items():
                        yield Button(t(words), id=f"reason-{reason}",
                                     classes="reason",
                                     variant="primary" if reason == self.reason else "default")
                yield Button(t("Prepare the return"), id="submit", variant="success")
            with Vertical(id="slip"):
                yield from self._slip()
        yield NavBar()

    def _heading(self) -> str:
        t = self.app.t
        return t("Return") + (f" · {self.order.number}" if self.order else "")

    @staticmethod
    def _returnable(line: OrderLineOut) -> int:
        return max(0, line.qty_collected - line.qty_returned)

    def _lines(self) -> list[Horizontal]:
        t, money = self.app.t, self.app.money
        rows = []
        for line in self.order.lines if self.order else []:
            final = line.sku in self.final_sale
            text = (f"{self.chosen.get(line.line_no, 0)}/{0 if final else self._returnable(line)}"
                    f" × {line.name}  {money(line.total_cents)}")
            if final:
                text += "  (" + t("final sale, not returnable") + ")"
            rows.append(Horizontal(
                Label(text, classes="line-name"),
                Button("−1", id=f"less-{line.line_no}", classes="less", disabled=final),
                Button("+1", id=f"more-{line.line_no}", classes="more", disabled=final),
                classes="basket-line" + (" -final-sale" if final else "")))
        return rows

    def _slip(self) -> list[Widget]:
        ret, app = self.ret, self.app
        if ret is None:
            return []
        return [Label(app.t("Take this code to the returns desk: {number}", number=ret.number),
                      id="slip-text",
                      classes="title"),
                Label(app.t("Expected refund: {amount}", amount=app.money(ret.refund_cents))),
                Center(QrCode(ret.slip_code, id="slip-qr"))]

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, group="return")
    async def load(self) -> None:
        client = self.app.client
        try:
            self.order = await client.call(Api.by_receipt(self.receipt_code))
            for sku in {line.sku for line in self.order.lines}:
                if (await client.call(Api.product(sku))).final_sale:
                    self.final_sale.add(sku)
        except CommerceError as error:
            self.post_message(Problem(self.app.explain(error)))
            return
        self.query_one("#return-title", Label).update(self._heading())
        await self.show_lines()

    async def show_lines(self) -> None:
        box = self.query_one("#return-lines", VerticalScroll)
        await box.remove_children()
        await box.mount_all(self._lines())

    @on(Button.Pressed, ".less, .more")
    async def change(self, event: Button.Pressed) -> None:
        kind, _, number = (event.button.id or "").partition("-")
        line_no = int(number)
        line = next(x for x in self.order.lines if x.line_no == line_no) if self.order else None
        if line is None:
            return
        value = self.chosen.get(line_no, 0) + (1 if kind == "more" else -1)
        self.chosen[line_no] = max(0, min(self._returnable(line), value))
        await self.show_lines()

    @on(Button.Pressed, ".reason")
    def choose_reason(self, event: Button.Pressed) -> None:
        self.reason = (event.button.id or "reason-size").removeprefix("reason-")
        for button in self.query(".reason").results(Button):
            button.variant = "primary" if button.id == event.button.id else "default"

    @on(Button.Pressed, "#submit")
    def submit(self) -> None:
        lines = [ReturnLineIn(line_no=n, qty=q, reason=self.reason)
                 for n, q in self.chosen.items() if q]
        if not lines:
            self.post_message(Problem(self.app.t("Choose what you are returning.")))
            return
        self.request(ReturnCreate(receipt_code=self.receipt_code, lines=lines))

    @work(exclusive=True, group="return")
    async def request(self, body: ReturnCreate) -> None:
        app = self.app
        try:
            self.ret = await app.client.call(Api.create_return(body))
        except CommerceError as error:
            self.post_message(Problem(app.explain(error)))
            return
        await self.recompose()
