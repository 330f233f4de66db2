"""The per-device lockout, one lock per capability, and the supervisor's unlock.

Guessing is bounded per capability: wrong staff PINs lock PIN sign-in, wrong
signed codes (pickup, receipt, loyalty) lock code look-ups. A lock refuses only
what failed, never the catalog or a product scan: a till locked for PINs keeps
ringing up what it is shown, and a cashier at a till locked for codes still
signs in.

A supervisor (or above) unlocks a till on the spot by typing their PIN on it.
That PIN is accepted while the PIN lock is on, but a wrong one counts as a
wrong PIN: once the lock is on, as many wrong unlock PINs as the lockout allows
run the lock again from that moment and refuse the unlock too, so the lock
still bounds guessing. Every unlock is written to the append-only event log as
``device.unlocked`` (who, which device, when, which locks).

A right PIN never wipes the count: it used to, so a cashier could guess a
supervisor's PIN four at a time between their own sign-ins. Counts decay
instead: a lock's count starts again once no wrong attempt was made for the
lockout window. And a PIN attempt is charged *before* it is checked, in its own
transaction (:func:`take_attempt`): N guesses sent at once are refused beyond
the limit instead of all being checked while the count catches up; a right PIN
gives its own charge back (:func:`settle_attempt`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from core.audit import service as audit
from core.auth.models import Device, Staff
from core.db import Database
from core.events.service import emit
from core.problems import Locked
from core.settings import CoreSettings
from core.timeutil import utcnow


class Lock(StrEnum):
    PIN = "pin"
    """Staff PIN sign-in (and a supervisor's unlock PIN)."""
    CODES = "codes"
    """Signed codes typed or scanned: pickup, receipt, loyalty card."""


_COLUMNS: dict[Lock, tuple[InstrumentedAttribute[int], InstrumentedAttribute[Any]]] = {
    Lock.PIN: (Device.pin_failed_attempts, Device.pin_locked_until),
    Lock.CODES: (Device.failed_attempts, Device.locked_until),
}
_LAST: dict[Lock, InstrumentedAttribute[Any]] = {
    Lock.PIN: Device.pin_failed_at,
    Lock.CODES: Device.failed_at,
}


def _start_again_if_due(session: Session, *, device_id: int, lock: Lock, minutes: int) -> None:
    """A lock that ran out, or a count with no wrong attempt for ``minutes``, starts
    from zero."""
    failures, until = _COLUMNS[lock]
    last = _LAST[lock]
    now = utcnow()
    session.execute(update(Device).where(Device.id == device_id, until.is_not(None),
                                         until <= now)
                    .values({failures: 0, until: None}))
    session.execute(update(Device).where(
        Device.id == device_id, until.is_(None), failures > 0, last.is_not(None),
        last <= now - timedelta(minutes=minutes)).values({failures: 0}))


def locked_until(device: Device, lock: Lock) -> datetime | None:
    """When the lock ends, or ``None`` if it is off now."""
    until = device.pin_locked_until if lock is Lock.PIN else device.locked_until
    return until if until is not None and until > utcnow() else None


def lock_message(minutes: int, lock: Lock = Lock.CODES) -> Locked:
    if lock is Lock.PIN:
        detail = (f"Too many wrong PINs on this till. Sign-in is locked for {minutes} "
                  "minute(s); a supervisor can unlock it now with their PIN. Scanning "
                  "products still works.")
    else:
        detail = (f"Too many wrong codes from this device. Codes can be tried again in "
                  f"{minutes} minute(s), or ask a supervisor; scanning products still works.")
    return Locked(detail, code="device_locked", lock=lock.value, retry_after_minutes=minutes)


def _minutes_left(until: datetime) -> int:
    return max(1, int((until - utcnow()).total_seconds() // 60) + 1)


def check_not_locked(device: Device, lock: Lock = Lock.CODES) -> None:
    until = locked_until(device, lock)
    if until is not None:
        raise lock_message(_minutes_left(until), lock)


def check_unlock_allowed(device: Device, attempts: int) -> None:
    """While the PIN lock is on, a supervisor may try their PIN until as many wrong
    ones as the lockout allows were typed; then the lock must run out."""
    until = locked_until(device, Lock.PIN)
    if until is not None and device.pin_failed_attempts >= attempts:
        raise lock_message(_minutes_left(until), Lock.PIN)


def record_failure(session: Session, *, device_id: int, attempts: int, minutes: int,
                   lock: Lock = Lock.CODES) -> bool:
    """Count a wrong PIN or code; returns True when this failure locked the device
    (or, for wrong unlock PINs typed while locked, ran the lock again)."""
    failures, until = _COLUMNS[lock]
    now = utcnow()
    _start_again_if_due(session, device_id=device_id, lock=lock, minutes=minutes)
    row = session.execute(
        update(Device).where(Device.id == device_id)
        .values({failures: failures + 1, _LAST[lock]: now}).returning(failures, until)
    ).first()
    if row is None or row[0] < attempts:
        return False
    return _lock_now(session, device_id=device_id, lock=lock, minutes=minutes,
                     already_locked=row[1] is not None)


def _lock_now(session: Session, *, device_id: int, lock: Lock, minutes: int,
              already_locked: bool) -> bool:
    failures, until = _COLUMNS[lock]
    now = utcnow()
    if already_locked:
        # Wrong unlock PINs while locked: the lock runs again from now, and the
        # count stays full so the unlock is refused until it ends.
        values: dict[Any, Any] = {until: now + timedelta(minutes=minutes)}
    else:
        values = {failures: 0, until: now + timedelta(minutes=minutes)}
    session.execute(update(Device).where(Device.id == device_id).values(values))
    device = session.get(Device, device_id)
    emit(session, "device.locked", store=device.store_code if device else None,
         subject=str(device_id), device_id=device_id, lock=lock.value, minutes=minutes)
    return True


def record_success(session: Session, *, device_id: int, lock: Lock = Lock.PIN) -> None:
    """Nothing to forget: a right PIN or code leaves others' wrong ones counted
    (kept for callers of the count-after-check style)."""


def take_attempt(db: Database, settings: CoreSettings, device_id: int, lock: Lock, *,
                 while_locked: bool = False) -> None:
    """Charge one attempt before checking it, atomically, in its own transaction:
    refused (``Locked``) when the lock is on or the attempts allowed are all taken,
    so parallel guesses never check more than the limit. ``while_locked``: a
    supervisor's unlock PIN, allowed while the lock is on, as many as the limit."""
    failures, until = _COLUMNS[lock]
    with db.write() as session:
        _start_again_if_due(session, device_id=device_id, lock=lock,
                            minutes=settings.lockout_minutes)
        conditions = [Device.id == device_id, failures < settings.lockout_attempts]
        if not while_locked:
            conditions.append(until.is_(None))
        row = session.execute(
            update(Device).where(*conditions)
            .values({failures: failures + 1, _LAST[lock]: utcnow()}).returning(failures)
        ).first()
        device = None if row is not None else session.get(Device, device_id)
    if row is None:
        running = locked_until(device, lock) if device is not None else None
        raise lock_message(_minutes_left(running) if running else settings.lockout_minutes,
                           lock)


def settle_attempt(db: Database, settings: CoreSettings, device_id: int, lock: Lock, *,
                   right: bool) -> None:
    """After :func:`take_attempt`: a right attempt gives its charge back; a wrong one
    keeps it and, when it was the last one allowed, locks (raising ``Locked``)."""
    failures, until = _COLUMNS[lock]
    with db.write() as session:
        if right:
            session.execute(update(Device).where(Device.id == device_id, failures > 0)
                            .values({failures: failures - 1}))
            return
        row = session.execute(select(failures, until).where(Device.id == device_id)
                              .with_for_update()).first()
        locked = row is not None and row[0] >= settings.lockout_attempts and _lock_now(
            session, device_id=device_id, lock=lock, minutes=settings.lockout_minutes,
            already_locked=row[1] is not None and row[1] > utcnow())
    if locked:
        raise lock_message(settings.lockout_minutes, lock)


def count_failure(db: Database, settings: CoreSettings, device_id: int, lock: Lock) -> None:
    """Count a wrong PIN or code in its own transaction (the request itself fails);
    raises the lockout problem when this failure locked the device."""
    with db.write() as session:
        locked = record_failure(session, device_id=device_id, attempts=settings.lockout_attempts,
                                minutes=settings.lockout_minutes, lock=lock)
    if locked:
        raise lock_message(settings.lockout_minutes, lock)


def check_unlocked(db: Database, device_id: int, lock: Lock) -> None:
    with db.read() as session:
        device = session.get(Device, device_id)
        if device is not None:
            check_not_locked(device, lock)


def unlock(session: Session, *, device_id: int, by: Staff) -> list[Lock]:
    """Lift every lock of the device and clear its counts; returns the locks that
    were on. Only an unlock that lifted something is written to the event log.
    ``by`` is a supervisor or above (the route checks)."""
    device = session.get(Device, device_id, with_for_update=True,
                         populate_existing=True)
    assert device is not None
    lifted = [lock for lock in Lock if locked_until(device, lock) is not None]
    device.failed_attempts = device.pin_failed_attempts = 0
    device.locked_until = device.pin_locked_until = None
    if lifted:
        emit(session, "device.unlocked", store=device.store_code, subject=str(device.id),
             device_id=device.id, device=device.name, staff_id=by.id, staff=by.name,
             role=by.role, locks=[lock.value for lock in lifted], at=utcnow().isoformat())
        audit.record(session, "device.unlocked", store=device.store_code,
                     subject=str(device.id), device=(device.id, device.name),
                     staff=(by.id, by.name), locks=[lock.value for lock in lifted])
    return lifted
