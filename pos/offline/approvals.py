"""A supervisor's approval while the core is out of reach, checked on the till.

No PIN or PIN hash ever leaves the core. Instead, when a supervisor types their
PIN on *this* till while it is online (to sign in or to approve something), the
till keeps the sign-in the core gave them (a staff token: signed by the core,
naming this till, valid for the shift) **sealed under their PIN**: a key
stretched from the PIN with scrypt and a random salt encrypts the token and
authenticates it. The PIN itself is not kept.

Offline, the PIN typed in the approval dialog opens the seal or does not: the
tag is the verifier, the token inside is the approval the sale carries. On
replay the core checks that token as it checks a cashier's (issued to this till,
valid when the sale was made; see :mod:`core.orders.offline`), so the core
decides, and a supervisor who never typed their PIN on this till (or whose
shift sign-in has run out) cannot approve here offline.

What a stolen till file gives: a seal per supervisor, which can be attacked
offline by trying every PIN (a short PIN is a small space, scrypt only slows it),
yielding a sign-in valid on this till until its shift expiry. So seals are kept
only until that expiry and purged after, and wrong PINs typed on the till lock
offline approval for a while (:data:`WRONG_PINS`, :data:`LOCK_SECONDS`).

The cipher is built from the standard library (no extra dependency on a till):
SHAKE-256 of key and a fresh nonce as the key stream, HMAC-SHA256 over nonce and
ciphertext as the tag (encrypt-then-MAC).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from pos.offline.store import LocalStore
from shared.schemas.auth import StaffSession
from shared.schemas.enums import Role

SCRYPT = {"n": 2**14, "r": 8, "p": 1}
"""About 16 MiB and tens of milliseconds a try on a till."""
WRONG_PINS = 5
LOCK_SECONDS = 300.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS approvers (
    staff_id INTEGER PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL,
    expires_at TEXT NOT NULL, salt BLOB NOT NULL, nonce BLOB NOT NULL,
    sealed BLOB NOT NULL, tag BLOB NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class Approval:
    staff_id: int
    name: str
    token: str


def _keys(pin: str, salt: bytes) -> tuple[bytes, bytes]:
    key = hashlib.scrypt(pin.encode(), salt=salt, dklen=64, maxmem=64 * 2**20, **SCRYPT)
    return key[:32], key[32:]


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    return hashlib.shake_256(key + nonce).digest(length)


def seal(pin: str, token: str) -> tuple[bytes, bytes, bytes, bytes]:
    """``(salt, nonce, sealed, tag)`` of a token under a PIN."""
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(16)
    enc, mac = _keys(pin, salt)
    data = token.encode()
    sealed = bytes(a ^ b for a, b in zip(data, _stream(enc, nonce, len(data)), strict=True))
    return salt, nonce, sealed, hmac.digest(mac, nonce + sealed, "sha256")


def unseal(pin: str, salt: bytes, nonce: bytes, sealed: bytes, tag: bytes) -> str | None:
    enc, mac = _keys(pin, salt)
    if not hmac.compare_digest(hmac.digest(mac, nonce + sealed, "sha256"), tag):
        return None
    return bytes(a ^ b for a, b in zip(sealed, _stream(enc, nonce, len(sealed)),
                                       strict=True)).decode()


class Approvers:
    """The sealed sign-ins of this till's supervisors, in its local store."""

    def __init__(self, store: LocalStore) -> None:
        self.store = store
        store.script(SCHEMA)
        self._wrong = 0
        self._locked_until = 0.0

    def remember(self, pin: str, session: StaffSession) -> bool:
        """Seal a supervisor's fresh sign-in under the PIN they just typed (a
        cashier's is not kept: they cannot approve). Slow: call from a thread."""
        if not Role(session.staff.role).at_least(Role.SUPERVISOR):
            return False
        salt, nonce, sealed, tag = seal(pin, session.token)
        self.store.execute(
            "INSERT INTO approvers (staff_id, name, role, expires_at, salt, nonce, sealed, "
            "tag) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (staff_id) DO UPDATE SET "
            "name = excluded.name, role = excluded.role, expires_at = excluded.expires_at, "
            "salt = excluded.salt, nonce = excluded.nonce, sealed = excluded.sealed, "
            "tag = excluded.tag",
            (session.staff.id, session.staff.name, Role(session.staff.role).value,
             session.expires_at.astimezone(UTC).isoformat(), salt, nonce, sealed, tag))
        return True

    def locked(self) -> bool:
        return time.monotonic() < self._locked_until

    def check(self, pin: str) -> Approval | None:
        """The approval a PIN opens, or None (a wrong PIN counts towards the lock).
        Slow: call from a thread."""
        if self.locked():
            return None
        now = datetime.now(UTC).isoformat()
        self.store.execute("DELETE FROM approvers WHERE expires_at <= ?", (now,))
        for staff_id, name, salt, nonce, sealed, tag in self.store.rows(
                "SELECT staff_id, name, salt, nonce, sealed, tag FROM approvers"):
            token = unseal(pin, salt, nonce, sealed, tag)
            if token is not None:
                self._wrong = 0
                return Approval(int(staff_id), str(name), token)
        self._wrong += 1
        if self._wrong >= WRONG_PINS:
            self._wrong, self._locked_until = 0, time.monotonic() + LOCK_SECONDS
        return None

    def count(self) -> int:
        return len(self.store.rows("SELECT staff_id FROM approvers"))
