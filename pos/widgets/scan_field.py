"""The field a barcode scanner types into.

A scanner sends a whole code and Enter in one burst, often several codes back to
back. Textual's ``Input`` runs its Enter binding only once the key has bubbled
up to the app, by which time the next code's characters are already in the
field: "HO-MOK-05BK-NOV-02" reached the core as one code. This field takes
Enter in its own key handler, in order with the characters, so each code is
cut off where the scanner ended it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import events
from textual.message import Message
from textual.widgets import Input


class ScanField(Input):
    @dataclass
    class Scanned(Message):
        """A code (or typed text) ended by Enter; the field is already empty."""

        field: ScanField
        text: str

        @property
        def control(self) -> ScanField:
            return self.field

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Selecting the text on focus would let the next scanned character
        # replace the one that brought the focus here.
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            self._restart_blink()
            event.stop()
            event.prevent_default()
            text, self.value = self.value.strip(), ""
            if text:
                self.post_message(self.Scanned(self, text))
            return
        await super()._on_key(event)
