"""What a receiver gets: the JSON body of an event and its signature header.

Signed as Stripe signs: ``Omnitill-Signature: t=<unix time>,v1=<hex>``, where
the hex is HMAC-SHA256 under the subscription's secret of ``"<t>.<body>"``.
The time inside the signed text lets a receiver refuse an old delivery played
back at it; the ``v1=`` label leaves room for another scheme beside it.

A subscription's secret is derived from the core's own secret and a random
salt kept with the subscription: the core can sign without storing a secret
that a copy of the database would give away. Changing the core's secret
changes every webhook secret (each receiver then needs its new one).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import datetime
from typing import Any

__all__ = ["SIGNATURE_HEADER", "body_of", "new_salt", "secret_for", "sign", "verify"]

SIGNATURE_HEADER = "Omnitill-Signature"
SECRET_PREFIX = "whsec_"


def new_salt() -> str:
    return secrets.token_hex(16)


def secret_for(core_secret: bytes, salt: str) -> str:
    """The subscription's signing secret, as shown to its owner once."""
    digest = hmac.new(core_secret, f"omnitill-webhook:{salt}".encode(), hashlib.sha256).digest()
    return SECRET_PREFIX + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def body_of(*, seq: int, type_: str, created_at: datetime, store: str | None, subject: str,
            data: dict[str, Any]) -> bytes:
    """The delivery's body: the same bytes for every attempt of the same event."""
    return json.dumps({
        "id": f"evt_{seq}", "seq": seq, "type": type_,
        "created_at": created_at.isoformat().replace("+00:00", "Z"),
        "store": store, "subject": subject, "data": data,
    }, separators=(",", ":"), ensure_ascii=False).encode()


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The ``Omnitill-Signature`` header's value."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, body: bytes, header: str, *, now: int, tolerance: int = 300) -> bool:
    """What a receiver does (the README shows it in five lines)."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    if not parts.get("t", "").isdigit() or abs(now - int(parts["t"])) > tolerance:
        return False
    expected = sign(secret, body, int(parts["t"])).partition(",v1=")[2]
    return hmac.compare_digest(expected, parts.get("v1", ""))
