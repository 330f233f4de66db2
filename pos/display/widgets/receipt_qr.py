"""The digital receipt as a QR code the shopper's phone reads off the screen.

A sibling of the kiosk's QR widget rather than an import of it: the till's
side never imports the kiosk (both draw with :func:`shared.qr.qr_text`).
"""

from __future__ import annotations

from textual.widgets import Static

from shared.qr import qr_text


class ReceiptQr(Static):
    DEFAULT_CSS = """
    ReceiptQr { width: auto; height: auto; color: white; background: black; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.payload = ""

    def show(self, payload: str) -> None:
        self.payload = payload
        self.update(qr_text(payload) if payload else "")
