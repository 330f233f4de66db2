"""Typing an amount of money (and, for cash movements, why).

Cashiers type ``50``, ``50,00`` or ``50.5``; anything else is refused on the
spot with an example, before it reaches the core.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from pos.screens.base import StaffDialog
from shared.i18n import N_


def parse_amount(text: str) -> int | None:
    """Cents from what a cashier types, or ``None`` when it is not an amount."""
    text = text.strip().replace("€", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > 1_000_000:
        return None
    return int((value * 100).to_integral_value())


class AmountDialog(StaffDialog[tuple[int, str] | None]):
    """An amount and, when ``ask_reason``, a reason; Escape cancels."""

    STATUS_LINE = "#amount-error"
    BINDINGS = [("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, *, default_cents: int | None = None,
                 ask_reason: bool = False) -> None:
        super().__init__()
        self.title_text, self.default_cents, self.ask_reason = title, default_cents, ask_reason

    def compose(self) -> ComposeResult:
        with Vertical(id="amount-dialog", classes="dialog"):
            yield Label(self.title_text, classes="title")
            yield Input(id="amount", placeholder=self.t("e.g. 50 or 50,00"))
            if self.ask_reason:
                yield Input(id="reason", placeholder=self.t("Reason, e.g. change from the safe"))
            yield Label("", id="amount-error", classes="-error")

    def on_mount(self) -> None:
        self.query_one("#amount", Input).focus()

    @on(Input.Submitted, "#amount")
    def amount_typed(self) -> None:
        if self.ask_reason:
            self.query_one("#reason", Input).focus()
        else:
            self._done()

    @on(Input.Submitted, "#reason")
    def reason_typed(self) -> None:
        self._done()

    def _done(self) -> None:
        text = self.query_one("#amount", Input).value
        cents = self.default_cents if not text.strip() else parse_amount(text)
        if cents is None:
            self.say(self.t("Type an amount, e.g. 50,00"))
            self.query_one("#amount", Input).focus()
            return
        reason = self.query_one("#reason", Input).value.strip() if self.ask_reason else ""
        if self.ask_reason and not reason:
            self.say(self.t("Say why, e.g. 'change from the safe' or 'cash drop'."))
            return
        self.dismiss((cents, reason))

    def action_cancel(self) -> None:
        self.dismiss(None)
