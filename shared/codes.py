"""Scan codes: EAN-13 barcodes and the ``OT1`` payload format.

Build and parse only. A client never trusts what it parses: signed kinds carry
a MAC that only the core can check (``POST /v1/scan``). Payloads are kept in
QR alphanumeric characters (``A-Z 0-9 -:``) so a code stays at QR version 4
or lower and scans fast from a phone screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "PREFIX",
    "CodeKind",
    "ScanCode",
    "build_code",
    "ean13_check_digit",
    "is_valid_ean13",
    "parse_code",
]

PREFIX = "OT1"
_VALUE = re.compile(r"^[A-Z0-9][A-Z0-9\-]{0,39}$")
_MAC = re.compile(r"^[A-Z2-7]{6,16}$")


class CodeKind(StrEnum):
    PRODUCT = "P"
    CART = "C"
    ORDER_PICKUP = "O"
    RECEIPT = "R"
    LOYALTY = "L"
    RETURN_SLIP = "S"
    GIFT_CARD = "G"


SIGNED_KINDS = frozenset(
    {CodeKind.ORDER_PICKUP, CodeKind.RECEIPT, CodeKind.LOYALTY, CodeKind.RETURN_SLIP,
     CodeKind.GIFT_CARD}
)


@dataclass(frozen=True, slots=True)
class ScanCode:
    kind: CodeKind
    value: str
    mac: str | None = None


def build_code(kind: CodeKind, value: str, mac: str | None = None) -> str:
    """The text to put in a QR code; signed kinds need the core's MAC."""
    value = value.upper()
    if not _VALUE.match(value):
        raise ValueError(f"not a valid code value: {value!r}")
    if kind in SIGNED_KINDS:
        if not mac or not _MAC.match(mac):
            raise ValueError(f"a {kind.name} code needs a valid signature")
        return f"{PREFIX}:{kind.value}:{value}:{mac}"
    if mac is not None:
        raise ValueError(f"a {kind.name} code is not signed")
    return f"{PREFIX}:{kind.value}:{value}"


def parse_code(text: str) -> ScanCode | None:
    """Parse an ``OT1`` payload; ``None`` for anything else (an EAN, garbage)."""
    parts = text.strip().upper().split(":")
    if len(parts) < 3 or parts[0] != PREFIX:
        return None
    try:
        kind = CodeKind(parts[1])
    except ValueError:
        return None
    signed = kind in SIGNED_KINDS
    if len(parts) != (4 if signed else 3) or not _VALUE.match(parts[2]):
        return None
    if signed and not _MAC.match(parts[3]):
        return None
    return ScanCode(kind, parts[2], parts[3] if signed else None)


def ean13_check_digit(first12: str) -> int:
    """GS1 check digit of the first 12 digits of an EAN-13."""
    if len(first12) != 12 or not first12.isdigit():
        raise ValueError("an EAN-13 body is 12 digits")
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return (10 - total % 10) % 10


def is_valid_ean13(code: str) -> bool:
    """True for 13 digits whose last one is the right check digit."""
    return (
        len(code) == 13 and code.isdigit() and ean13_check_digit(code[:12]) == int(code[12])
    )
