"""The store's open returns at the returns desk: requests from the kiosk, a
request a supervisor never answered, an approved return whose refund failed.

Each one holds its items (they cannot be returned again) until it is refunded,
rejected or withdrawn, so the desk must be able to find and clear them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from pos.screens.base import StaffDialog
from shared.i18n import N_
from shared.schemas.returns import ReturnOut

RETURN_STATUSES = {"requested": N_("requested"), "approved": N_("approved"),
                   "rejected": N_("rejected"), "refunded": N_("refunded")}
"""A return's status, said in the till's language where it is shown."""


@dataclass(frozen=True, slots=True)
class OpenReturnChoice:
    """What the cashier chose to do with one open return."""

    action: Literal["take", "withdraw"]
    ret: ReturnOut


class OpenReturnsDialog(StaffDialog[OpenReturnChoice | None]):
    DEFAULT_CSS = """
    OpenReturnsDialog { align: center middle; }
    #open-returns { height: auto; max-height: 14; }
    """
    BINDINGS = [
        Binding("w", "withdraw", N_("Withdraw / reject"), id="open_returns_withdraw",
                tooltip=N_("Withdraw this till's request, or reject another (a supervisor "
                "over the threshold)")),
        Binding("escape", "cancel", N_("Cancel"), id="open_returns_cancel"),
    ]

    def __init__(self, returns: list[ReturnOut], money: Callable[[int], str],
                 timezone: str = "Europe/Rome") -> None:
        super().__init__()
        self.returns, self.money, self.zone = returns, money, ZoneInfo(timezone)

    def compose(self) -> ComposeResult:
        with Vertical(id="open-returns-box", classes="dialog"):
            yield Label(self.t("Open returns — Enter takes one to the desk, W withdraws or "
                               "rejects it, Esc closes"), classes="title")
            yield OptionList(*[Option(self._describe(r), id=r.number) for r in self.returns],
                             id="open-returns")

    def _describe(self, ret: ReturnOut) -> str:
        items = sum(line.qty for line in ret.lines)
        source = self.t("order {number}", number=ret.order_number) if ret.order_number \
            else self.t("no receipt")
        count = self.t("{count} items", count=items) if items != 1 else self.t("1 item")
        status = self.t(RETURN_STATUSES[ret.status]) if ret.status in RETURN_STATUSES \
            else ret.status
        return (f"{ret.number} · {status} · {source} · {count} · "
                f"{self.money(ret.refund_cents)} · "
                f"{ret.created_at.astimezone(self.zone):%d/%m %H:%M}")

    def on_mount(self) -> None:
        listing = self.query_one("#open-returns", OptionList)
        listing.focus()
        if self.returns:
            listing.highlighted = 0

    def _highlighted(self) -> ReturnOut | None:
        index = self.query_one("#open-returns", OptionList).highlighted
        return self.returns[index] if index is not None else None

    @on(OptionList.OptionSelected, "#open-returns")
    def taken(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(OpenReturnChoice("take", self.returns[event.option_index]))

    def action_withdraw(self) -> None:
        ret = self._highlighted()
        if ret is not None:
            self.dismiss(OpenReturnChoice("withdraw", ret))

    def action_cancel(self) -> None:
        self.dismiss(None)
