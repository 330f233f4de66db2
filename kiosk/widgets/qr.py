"""A QR code drawn in the terminal, big enough for a phone or a till scanner."""

from __future__ import annotations

from textual.widgets import Static

from shared.qr import qr_text


class QrCode(Static):
    DEFAULT_CSS = """
    QrCode { width: auto; height: auto; color: white; background: black; }
    """

    def __init__(self, payload: str, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(qr_text(payload), id=id, classes=classes)
        self.payload = payload
