"""Signatures of the OT1 codes that grant something (pickup, return, loyalty).

A truncated HMAC-SHA256 under the core's secret, base32 so the payload stays
in the QR alphanumeric set. 50 bits are plenty against guessing when every
wrong code counts towards the device lockout.

Every place that takes a scanned pickup, receipt or loyalty code asks
:func:`named_by`, so a forged code is refused the same way (``invalid_code``,
which the lockout counts) wherever it is scanned.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from core.problems import InvalidInput
from shared.codes import CodeKind, ScanCode, build_code, parse_code

MAC_LENGTH = 10


def mac_for(secret: bytes, kind: CodeKind, value: str) -> str:
    digest = hmac.new(secret, f"{kind.value}:{value.upper()}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:MAC_LENGTH]


def signed_code(secret: bytes, kind: CodeKind, value: str) -> str:
    return build_code(kind, value, mac_for(secret, kind, value))


def verify(secret: bytes, kind: CodeKind, value: str, mac: str | None) -> bool:
    return mac is not None and hmac.compare_digest(mac_for(secret, kind, value), mac.upper())


def is_genuine(secret: bytes, code: ScanCode) -> bool:
    """The code carries our signature for its kind and value."""
    return verify(secret, code.kind, code.value, code.mac)


def genuine_value(secret: bytes, code: ScanCode | None, kind: CodeKind) -> str | None:
    """What a signed code of ``kind`` names, or ``None`` for anything else: no
    code, another kind, or a signature that is not ours. Every place that takes
    a pickup, receipt or loyalty code asks this one question."""
    if code is None or code.kind is not kind or not is_genuine(secret, code):
        return None
    return code.value


def named_by(secret: bytes, code: ScanCode | str | None, kind: CodeKind, *,
             refusal: str | InvalidInput = "That code is not valid.",
             expected: str | None = None) -> str:
    """What a signed code of ``kind`` names (raw scanned text or parsed), or the
    refusal: an :class:`InvalidInput` ``invalid_code`` with these words (or the
    problem given). ``expected``: the code must name exactly that (a pickup code
    scanned for one order is refused for another)."""
    parsed = parse_code(code) if isinstance(code, str) else code
    value = genuine_value(secret, parsed, kind)
    if value is None or (expected is not None and value != expected):
        raise refusal if isinstance(refusal, InvalidInput) \
            else InvalidInput(refusal, code="invalid_code")
    return value
