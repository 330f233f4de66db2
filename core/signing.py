"""Signatures of the OT1 codes that grant something (pickup, return, loyalty).

A truncated HMAC-SHA256 under the core's secret, base32 so the payload stays
in the QR alphanumeric set. 50 bits are plenty against guessing when every
wrong code counts towards the device lockout.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from shared.codes import CodeKind, build_code

MAC_LENGTH = 10


def mac_for(secret: bytes, kind: CodeKind, value: str) -> str:
    digest = hmac.new(secret, f"{kind.value}:{value.upper()}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:MAC_LENGTH]


def signed_code(secret: bytes, kind: CodeKind, value: str) -> str:
    return build_code(kind, value, mac_for(secret, kind, value))


def verify(secret: bytes, kind: CodeKind, value: str, mac: str | None) -> bool:
    return mac is not None and hmac.compare_digest(mac_for(secret, kind, value), mac.upper())
