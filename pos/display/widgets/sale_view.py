"""The sale as it is rung up: lines, a big total, and the points at stake.

The lines are one Rich table in a scrolling Static rather than a DataTable:
nobody interacts with this screen, and the item column should take whatever
width the display has.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Digits, Label, Static

from pos.display.mirror import Sale
from pos.display.texts import Words
from pos.display.widgets.line import show_line

Money = Callable[[int], str]


def lines_table(sale: Sale, money: Money, t: Words) -> Table:
    """The lines, with a discount column only when some line has a discount."""
    discounted = any(line.discount_cents for line in sale.lines)
    table = Table(box=None, expand=True, show_edge=False, pad_edge=False,
                  header_style="bold")
    table.add_column(t("Item"), ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column(t("Qty"), justify="right")
    table.add_column(t("Price"), justify="right")
    if discounted:
        table.add_column(t("Discount"), justify="right")
    table.add_column(t("Total"), justify="right")
    for line in sale.lines:
        cells = [line.name, str(line.qty), money(line.unit_price_cents)]
        if discounted:
            cells.append(f"−{money(line.discount_cents)}" if line.discount_cents else "")
        cells.append(money(line.total_cents))
        table.add_row(*cells)
    return table


def points_text(sale: Sale, t: Words) -> str:
    parts = []
    if sale.points_to_earn:
        parts.append(t("You will earn {points} points", points=sale.points_to_earn))
    if sale.points_balance is not None:
        parts.append(t("Balance: {points} points", points=sale.points_balance))
    return " · ".join(parts)


class SaleView(Vertical):
    def __init__(self, t: Words, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = t

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="sale-scroll"):
            yield Static("", id="sale-lines")
        with Horizontal(id="sale-total-row"):
            yield Label(self.t("Total"), id="sale-total-label")
            yield Digits("", id="sale-total")
        yield Label("", id="sale-customer")
        yield Label("", id="sale-points")
        yield Label("", id="sale-paying")

    def show(self, sale: Sale, money: Money) -> None:
        t = self.t
        self.query_one("#sale-lines", Static).update(lines_table(sale, money, t))
        # The newest line is the one the shopper is looking for.
        self.query_one("#sale-scroll", VerticalScroll).scroll_end(animate=False)
        self.query_one("#sale-total", Digits).update(money(sale.total_cents))
        show_line(self.query_one("#sale-customer", Label),
                  t("Hello {name}", name=sale.customer_name) if sale.customer_name else "")
        show_line(self.query_one("#sale-points", Label), points_text(sale, t))
        show_line(self.query_one("#sale-paying", Label),
                  Text(t("Paid {paid} · Still due {due}", paid=money(sale.paid_cents),
                           due=money(sale.due_cents)))
                  if sale.due_cents is not None else "")
