"""Device tokens, staff PINs and staff tokens, and the per-device lockout.

Device tokens are random and long, so a plain SHA-256 digest is enough to
store them. PINs are short, so they get a salted scrypt hash, and guessing is
stopped by the lockout rather than by the hash alone.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from sqlalchemy import select
from sqlalchemy.orm import Session

# The lockout lives in ``core.auth.lockout``; these names stay importable from here
# for ``core.deps`` (whose defaults are the lock on signed codes).
from core.auth.lockout import check_not_locked as check_not_locked
from core.auth.lockout import lock_message as lock_message
from core.auth.lockout import record_failure as record_failure
from core.auth.lockout import record_success as record_success
from core.auth.models import Device, Staff, StaffStore
from core.problems import Forbidden, InvalidInput, NotFound, Unauthorized
from core.stores.models import Location
from core.timeutil import utcnow
from shared.schemas.enums import DeviceKind, Role

TOKEN_PREFIX = "otd_"
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_pin(pin: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, dklen=32, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def verify_pin(pin: str, stored: str) -> bool:
    try:
        _, salt_b64, digest_b64 = stored.split("$")
        salt, digest = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
    except ValueError:
        return False
    candidate = hashlib.scrypt(pin.encode(), salt=salt, dklen=32, **_SCRYPT)
    return hmac.compare_digest(candidate, digest)


def add_device(session: Session, *, kind: DeviceKind, name: str, store_code: str | None) -> str:
    """Register a device and return its token: shown once, stored only hashed."""
    if kind in (DeviceKind.KIOSK, DeviceKind.POS, DeviceKind.DISPLAY) and not store_code:
        raise InvalidInput(f"A {kind} belongs to a store: give its store code.")
    if store_code is not None:
        location = session.get(Location, store_code.upper())
        if location is None:
            raise NotFound(f"There is no store {store_code!r}.", code="store_not_found")
        if kind in (DeviceKind.POS, DeviceKind.KIOSK) and not location.has_till:
            raise InvalidInput(f"{location.name} is a warehouse; it has no tills or kiosks.")
        store_code = location.code
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(Device(kind=kind, name=name, store_code=store_code, token_hash=hash_token(token)))
    session.flush()
    return token


def invalid_device_token() -> Unauthorized:
    return Unauthorized(
        "This device is not registered or its token was revoked; "
        "ask an administrator for a new device token.",
        code="invalid_device_token",
    )


def device_for_token(session: Session, token: str) -> Device:
    device = session.scalar(select(Device).where(Device.token_hash == hash_token(token)))
    if device is None or device.revoked_at is not None:
        raise invalid_device_token()
    return device


def add_staff(
    session: Session, *, name: str, role: Role, pin: str, stores: list[str]
) -> Staff:
    """Add a staff member; a PIN must be unique among the staff of each store."""
    if not pin.isdigit() or not 4 <= len(pin) <= 8:
        raise InvalidInput("A PIN is 4 to 8 digits.")
    for code in stores:
        if session.get(Location, code) is None:
            raise NotFound(f"There is no store {code!r}.", code="store_not_found")
        for other in staff_of_store(session, code):
            if verify_pin(pin, other.pin_hash):
                raise InvalidInput(f"That PIN is already used at {code}; choose another.")
    staff = Staff(name=name, role=role, pin_hash=hash_pin(pin))
    session.add(staff)
    session.flush()
    session.add_all(StaffStore(staff_id=staff.id, store_code=code) for code in stores)
    return staff


def staff_of_store(session: Session, store_code: str) -> list[Staff]:
    rows = session.scalars(
        select(Staff)
        .join(StaffStore, StaffStore.staff_id == Staff.id)
        .where(StaffStore.store_code == store_code, Staff.active.is_(True))
    )
    return list(rows)


def find_staff_by_pin(session: Session, *, store_code: str, pin: str) -> Staff | None:
    """Admins sign in at any store; everyone else at the stores they work in."""
    candidates = staff_of_store(session, store_code) + list(
        session.scalars(select(Staff).where(Staff.role == Role.ADMIN, Staff.active.is_(True)))
    )
    seen: set[int] = set()
    for staff in candidates:
        if staff.id in seen:
            continue
        seen.add(staff.id)
        if verify_pin(pin, staff.pin_hash):
            return staff
    return None


# -- staff tokens ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StaffClaims:
    staff_id: int
    device_id: int
    role: Role
    name: str
    expires_at: datetime


def issue_staff_token(
    *, secret: bytes, staff: Staff, device_id: int, minutes: int
) -> tuple[str, datetime]:
    now = utcnow()
    expires = now + timedelta(minutes=minutes)
    claims = {
        "iat": int(now.timestamp()),
        "sub": str(staff.id),
        "dev": device_id,
        "role": staff.role,
        "name": staff.name,
        "exp": int(expires.timestamp()),
    }
    return jwt.encode(claims, secret, algorithm="HS256"), expires


def read_staff_token(*, secret: bytes, token: str, device_id: int,
                     at: datetime | None = None) -> StaffClaims:
    """The claims of a sign-in on this till, valid now, or (``at``: a sale the till
    made offline, replayed later) valid at that moment: issued before it and not yet
    expired then, even if it has expired since."""
    try:
        # Expiry and issue time are checked below against the core's clock (which
        # tests move), not PyJWT's wall clock.
        claims = jwt.decode(token, secret, algorithms=["HS256"],
                            options={"verify_exp": False, "verify_iat": False})
        expires = datetime.fromtimestamp(int(claims["exp"]), tz=utcnow().tzinfo)
        staff_id, role = int(claims["sub"]), Role(claims["role"])
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise Unauthorized("The staff sign-in is not valid; sign in again.",
                           code="invalid_staff_token") from exc
    if at is not None:
        issued = int(claims.get("iat", 0))
        # A till's clock may run a little behind the core's: two minutes of grace.
        if not issued or not issued - 120 <= int(at.timestamp()) < int(claims["exp"]):
            raise Unauthorized("The staff sign-in sent with this offline sale was not valid "
                               "when the sale was made.", code="staff_token_not_valid_then")
    elif expires <= utcnow():
        raise Unauthorized("The staff sign-in has expired; sign in again with your PIN.",
                           code="staff_token_expired")
    if claims.get("dev") != device_id:
        raise Forbidden("This staff sign-in belongs to another till.", code="wrong_device")
    return StaffClaims(staff_id, device_id, role, str(claims.get("name", "")), expires)
