"""Signed links to a digital receipt.

The code is the order number and an 80-bit HMAC of it (``MI01-000123-<16 base32>``)
under the core's secret, with its own purpose label so it can never stand in for
a scan code (``OT1:R:`` grants a return; this link only shows a page). 80 bits
because the page is public: no device token, so no lockout counts wrong guesses.

It does not expire: it is the customer's receipt, kept for the two-year legal
guarantee and linked from their email; the page holds nothing a paper receipt
does not (no name, email or phone). Changing the secret revokes every link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

__all__ = ["receipt_code", "receipt_url", "verified_number"]

PURPOSE = b"omnitill digital receipt v1:"
MAC_CHARS = 16
"""16 base32 characters: 80 bits."""

_CODE = re.compile(r"^(?P<number>[A-Z0-9][A-Z0-9-]{0,48}[A-Z0-9])-(?P<mac>[A-Z2-7]{16})$")


def _mac(secret: bytes, number: str) -> str:
    digest = hmac.new(secret, PURPOSE + number.upper().encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:MAC_CHARS]


def receipt_code(secret: bytes, number: str) -> str:
    """The code of the receipt of order ``number``: the last path segment of its link."""
    return f"{number.upper()}-{_mac(secret, number)}"


def receipt_url(public_url: str, secret: bytes, number: str) -> str | None:
    """The link, or None while no public URL is configured (a link to the core's
    loopback address would open nothing on a customer's phone)."""
    if not public_url:
        return None
    return f"{public_url.rstrip('/')}/r/{receipt_code(secret, number)}"


def verified_number(secret: bytes, code: str) -> str | None:
    """The order number a code names, or None when it is not one the core signed."""
    match = _CODE.match(code.strip().upper())
    if match is None:
        return None
    number = match["number"]
    return number if hmac.compare_digest(_mac(secret, number), match["mac"]) else None
