"""What a scanner types: the one test every field of the kiosk applies before it
treats Enter as a scan rather than words a shopper typed."""

from __future__ import annotations

import re

CODE = re.compile(r"^(\d{8}|\d{12,14}|OT1:.+)$", re.IGNORECASE)
"""EAN-8, EAN-13/GTIN-14 (and UPC-A) digits, or one of our ``OT1`` payloads."""


def is_code(text: str) -> bool:
    return bool(CODE.match(text.strip()))
