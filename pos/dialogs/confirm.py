"""Ask before a key undoes work: voiding a sale, signing out or quitting with a
sale on the till. Y (or Enter on "Yes") goes ahead; N or Esc keeps everything."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label

from pos.screens.base import StaffDialog
from shared.i18n import N_


class ConfirmDialog(StaffDialog[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes"), id="confirm_yes"),
        Binding("n,escape", "answer(False)", N_("No"), id="confirm_no"),
    ]

    def __init__(self, question: str, yes: str | None = None) -> None:
        super().__init__()
        self.question, self.yes = question, yes
        """``yes`` names what Yes does; by default it says "Yes" in the till's language."""

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Label(self.question, id="confirm-question", classes="title")
            yield Label(self.t("Y yes · N or Esc no"))
            with Horizontal():
                yield Button(self.yes or self.t("Yes"), id="yes", variant="error")
                yield Button(self.t("No, go back"), id="no", variant="primary")

    def on_mount(self) -> None:
        # The safe answer has the focus: a stray Enter keeps the sale.
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
