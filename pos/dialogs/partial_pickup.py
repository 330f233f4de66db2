"""Partial pickup: the shopper takes some lines of the order now.

A web order is often split at the counter (one item is wrong, or a second
person collects the rest). The core's hand-over takes the lines and quantities
and either keeps the rest waiting or cancels and refunds it; this dialog builds
that request from the clerk's keys, with the shopper's code or surname as the
check, so the till never needs to know how the core verifies it.

Keys match the sale screen (F5 one more, F7 one fewer), and the arrows choose
the line while the code field keeps the focus, so a scanner can type the
shopper's QR at any moment.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Label, Static

from pos.screens.base import StaffDialog
from shared.errors import InvalidRequest
from shared.i18n import N_
from shared.schemas.orders import Collect, CollectLine, OrderOut

__all__ = ["PartialPickupDialog", "left_to_collect"]


def left_to_collect(order: OrderOut) -> dict[int, int]:
    """Units of each line still waiting for the shopper, by line number."""
    return {line.line_no: line.qty - line.qty_collected - line.qty_cancelled
            for line in order.lines
            if line.qty - line.qty_collected - line.qty_cancelled > 0}


class PartialPickupDialog(StaffDialog[Collect | None]):
    """What to hand over now, or ``None`` when the clerk cancels."""

    DEFAULT_CSS = """
    PartialPickupDialog { align: center middle; }
    #partial-lines { height: auto; max-height: 12; }
    """
    BINDINGS = [
        Binding("up", "line(-1)", N_("Previous line"), show=False),
        Binding("down", "line(1)", N_("Next line"), show=False),
        Binding("f5", "qty(1)", N_("+1"), id="partial_more",
                tooltip=N_("One more of the line now")),
        Binding("f7", "qty(-1)", N_("−1"), id="partial_less",
                tooltip=N_("One fewer of the line now")),
        Binding("ctrl+r", "toggle_rest", N_("Cancel the rest"), id="partial_cancel_rest",
                tooltip=N_("Cancel and refund what is not taken now")),
        Binding("escape", "cancel", N_("Cancel"), show=False),
    ]

    def __init__(self, order: OrderOut, money: Callable[[int], str]) -> None:
        super().__init__()
        self.order, self.money = order, money
        self.left = left_to_collect(order)
        self.now = dict(self.left)
        self.cancel_rest = False

    def compose(self) -> ComposeResult:
        with Vertical(id="partial", classes="dialog"):
            yield Label(self.t("Partial pickup of {number}", number=self.order.number),
                        classes="title")
            yield Static(self.t("↑↓ line · F5 +1 · F7 −1 · Ctrl+R cancel and refund the rest · "
                                "Escape cancels"))
            yield DataTable(id="partial-lines", cursor_type="row", zebra_stripes=True)
            yield Static("", id="partial-rest")
            yield Input(id="partial-check",
                        placeholder=self.t(
                            "Scan the pickup code or type the surname, then Enter"))
            yield Label("", id="partial-error", classes="-error")

    def on_mount(self) -> None:
        table = self.query_one("#partial-lines", DataTable)
        table.add_column(self.t("Item"), key="item")
        table.add_column(self.t("Left"), key="left")
        table.add_column(self.t("Now"), key="now")
        for line in self.order.lines:
            if line.line_no in self.left:
                table.add_row(line.name, str(self.left[line.line_no]),
                              str(self.now[line.line_no]), key=str(line.line_no))
        self.show_rest()
        self.query_one("#partial-check", Input).focus()

    def _line_no(self) -> int | None:
        table = self.query_one("#partial-lines", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(str(row_key.value))

    def action_line(self, step: int) -> None:
        table = self.query_one("#partial-lines", DataTable)
        table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    def action_qty(self, step: int) -> None:
        line_no = self._line_no()
        if line_no is None:
            return
        self.now[line_no] = max(0, min(self.left[line_no], self.now[line_no] + step))
        self.query_one("#partial-lines", DataTable).update_cell(
            str(line_no), "now", str(self.now[line_no]))
        self.show_rest()

    def action_toggle_rest(self) -> None:
        self.cancel_rest = not self.cancel_rest
        self.show_rest()

    def _refund_cents(self) -> int:
        """What cancelling the rest gives back, worked out as the core does (each
        line's total shared over its units), so the clerk sees it before agreeing."""
        return sum(line.total_cents * (self.left[line.line_no] - self.now[line.line_no])
                   // line.qty for line in self.order.lines if line.line_no in self.left)

    def show_rest(self) -> None:
        rest = sum(self.left.values()) - sum(self.now.values())
        if not rest:
            text = self.t("Everything left is taken now.")
        elif self.cancel_rest:
            text = self.t("The other {rest} will be CANCELLED and {refund} refunded (Ctrl+R: "
                          "keep them).", rest=rest, refund=self.money(self._refund_cents()))
        else:
            text = self.t("The other {rest} keep waiting for the shopper (Ctrl+R: cancel "
                          "them).", rest=rest)
        self.query_one("#partial-rest", Static).update(text)

    @on(Input.Submitted, "#partial-check")
    def submitted(self, event: Input.Submitted) -> None:
        error = self.query_one("#partial-error", Label)
        lines = [CollectLine(line_no=n, qty=q) for n, q in self.now.items() if q]
        if not lines:
            error.update(self.t("Nothing is taken now: F5 adds one of the line."))
            return
        check = event.value.strip()
        if not check:
            error.update(self.t("Scan the shopper's pickup code or type their surname."))
            return
        is_code = check.upper().startswith("OT1:")
        try:
            body = Collect(code=check if is_code else None,
                           last_name=None if is_code else check,
                           lines=lines, cancel_rest=self.cancel_rest)
        except InvalidRequest:
            error.update(self.t("That is too long for a pickup code or a surname."))
            return
        self.dismiss(body)

    def action_cancel(self) -> None:
        self.dismiss(None)
