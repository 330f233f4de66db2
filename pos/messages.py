"""Messages between the till's workers and screens."""

from __future__ import annotations

from textual.message import Message


class Problem(Message):
    """A refusal or an outage, said plainly for the cashier."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
