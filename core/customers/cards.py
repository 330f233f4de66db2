"""What a physical loyalty card carries, and how a typed card number is told
from a product barcode.

A card carries two things: the signed QR (``OT1:L:<card>:<mac>``), which any
scanner reads and no one can forge, and its card number printed under an
EAN-13 barcode for people and for 1D scanners. The number is in the in-store
range of EAN-13 (prefix ``29``, never a product's GTIN), so its check digit
catches a mistyped digit before anything is looked up. The number is not a
secret (it is printed on the card and sequential), so a typed or 1D-scanned
number is checked under the codes lockout, per device and per card, like a
signed code; it shows no more than the QR does (a masked name and points).
"""

from __future__ import annotations

from shared.codes import is_valid_ean13

LOYALTY_PREFIX = "29"
"""In-store numbering range of EAN-13 used for loyalty card numbers."""


def looks_like_card_number(text: str) -> bool:
    """13 digits in the loyalty range, whatever the check digit: a typo in it is
    said as such, not as an unknown product."""
    raw = text.strip().replace(" ", "")
    return len(raw) == 13 and raw.isascii() and raw.isdigit() and raw.startswith(LOYALTY_PREFIX)


def card_number(text: str) -> str | None:
    """The card number typed or scanned, when it is one with a right check digit."""
    raw = text.strip().replace(" ", "")
    return raw if looks_like_card_number(raw) and is_valid_ean13(raw) else None
