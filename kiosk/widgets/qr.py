"""A QR code drawn in the terminal, big enough for a phone or a till scanner."""

from __future__ import annotations

from textual.widgets import Static

from shared.qr import qr_text


class QrCode(Static):
    DEFAULT_CSS = """
    QrCode { width: auto; height: auto; color: white; background: black; }
    """

    def __init__(self, payload: str, **kwargs: object) -> None:
        super().__init__(qr_text(payload), **kwargs)  # type: ignore[arg-type]
        self.payload = payload
