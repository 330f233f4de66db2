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

Signed codes, typed card numbers and surnames are counted the same way twice:
per device, and per *target* (the order, loyalty card or gift card aimed at,
:class:`~core.auth.models.TargetLock`), so guesses spread over many kiosks at
one order run into the target's limit. Both charges are taken in one
transaction: either both are taken or the attempt is refused unevaluated. A
locked target refuses codes for it from every device until its window ends; a
device unlock lifts only that device's own locks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute, Session

from core.audit import service as audit
from core.auth.models import Device, Staff, TargetLock
from core.db import Database
from core.events.service import emit
from core.problems import CommerceProblem, Locked
from core.settings import CoreSettings
from core.timeutil import utcnow
from shared.codes import CodeKind, ScanCode


class Lock(StrEnum):
    PIN = "pin"
    """Staff PIN sign-in (and a supervisor's unlock PIN)."""
    CODES = "codes"
    """Signed codes typed or scanned (pickup, receipt, loyalty card), card numbers,
    gift-card PINs and surnames: whatever proves a claim on an order or a card."""


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
                 while_locked: bool = False, target: str | None = None,
                 signed: bool = False) -> bool:
    """Charge one attempt before checking it, atomically, in its own transaction:
    refused (``Locked``) when the lock is on or the attempts allowed are all taken,
    so parallel guesses never check more than the limit. ``while_locked``: a
    supervisor's unlock PIN, allowed while the lock is on, as many as the limit.
    ``target``: also charge what the attempt aims at (see :func:`target_key`); the
    two charges are taken together or not at all. A ``signed`` code (a QR with
    its MAC) aimed at a locked target is still checked, charged to the device
    only: returns whether the target was charged."""
    failures, until = _COLUMNS[lock]
    target_refused: datetime | None = None
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
        if row is not None and target is not None:
            target_refused = _take_target(session, settings, target)
            if target_refused is not None and signed:
                target_refused, target = None, None
            if target_refused is not None:
                # Give the device's charge back: nothing was checked.
                session.execute(update(Device).where(Device.id == device_id, failures > 0)
                                .values({failures: failures - 1}))
    if row is None:
        running = locked_until(device, lock) if device is not None else None
        raise lock_message(_minutes_left(running) if running else settings.lockout_minutes,
                           lock)
    if target_refused is not None:
        raise target_lock_message(_minutes_left(target_refused))
    return target is not None


def target_key(kind: str, value: str) -> str:
    """``order:MI01-000123``: one count per thing aimed at, whatever the device."""
    return f"{kind}:{value.strip().upper()}"[:80]


def target_lock_message(minutes: int) -> Locked:
    return Locked(f"Too many wrong attempts at this code or card. It can be tried again in "
                  f"{minutes} minute(s); a member of staff can help now. Scanning products "
                  "still works.", code="target_locked", lock=Lock.CODES.value,
                  retry_after_minutes=minutes)


def _take_target(session: Session, settings: CoreSettings, target: str) -> datetime | None:
    """Charge the target; ``None`` when taken, else when its lock (or a full count)
    ends. One conditional UPDATE on its row: parallel attempts queue on it."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else \
        sqlite.insert
    session.execute(insert(TargetLock).values(target=target, failed_attempts=0)
                    .on_conflict_do_nothing())
    now = utcnow()
    window = timedelta(minutes=settings.lockout_minutes)
    session.execute(update(TargetLock).where(
        TargetLock.target == target, TargetLock.locked_until.is_not(None),
        TargetLock.locked_until <= now).values(failed_attempts=0, locked_until=None))
    session.execute(update(TargetLock).where(
        TargetLock.target == target, TargetLock.locked_until.is_(None),
        TargetLock.failed_attempts > 0, TargetLock.failed_at <= now - window)
        .values(failed_attempts=0))
    taken = session.execute(update(TargetLock).where(
        TargetLock.target == target, TargetLock.locked_until.is_(None),
        TargetLock.failed_attempts < settings.lockout_attempts)
        .values(failed_attempts=TargetLock.failed_attempts + 1, failed_at=now)
        .returning(TargetLock.failed_attempts)).first()
    if taken is not None:
        return None
    row = session.get(TargetLock, target)
    return row.locked_until if row is not None and row.locked_until else now + window


def _settle_target(session: Session, settings: CoreSettings, target: str, *,
                   right: bool) -> bool:
    """Give a right attempt's charge back; lock the target when a wrong one was the
    last allowed. Returns True when this locked it."""
    if right:
        session.execute(update(TargetLock).where(TargetLock.target == target,
                                                 TargetLock.failed_attempts > 0)
                        .values(failed_attempts=TargetLock.failed_attempts - 1))
        return False
    locked = session.execute(update(TargetLock).where(
        TargetLock.target == target, TargetLock.locked_until.is_(None),
        TargetLock.failed_attempts >= settings.lockout_attempts)
        .values(locked_until=utcnow() + timedelta(minutes=settings.lockout_minutes))
        .returning(TargetLock.target)).first()
    if locked is not None:
        emit(session, "target.locked", store=None, subject=target, target=target,
             minutes=settings.lockout_minutes)
    return locked is not None


def settle_attempt(db: Database, settings: CoreSettings, device_id: int, lock: Lock, *,
                   right: bool, target: str | None = None) -> None:
    """After :func:`take_attempt`: a right attempt gives its charge back; a wrong one
    keeps it and, when it was the last one allowed, locks (raising ``Locked``)."""
    failures, until = _COLUMNS[lock]
    # The device's row first, then the target's, as take_attempt does: two
    # transactions taking the same two row locks in opposite orders deadlock.
    with db.write() as session:
        if right:
            session.execute(update(Device).where(Device.id == device_id, failures > 0)
                            .values({failures: failures - 1}))
            if target is not None:
                _settle_target(session, settings, target, right=True)
            return
        row = session.execute(select(failures, until).where(Device.id == device_id)
                              .with_for_update()).first()
        locked = row is not None and row[0] >= settings.lockout_attempts and _lock_now(
            session, device_id=device_id, lock=lock, minutes=settings.lockout_minutes,
            already_locked=row[1] is not None and row[1] > utcnow())
        target_locked = target is not None and _settle_target(session, settings, target,
                                                              right=False)
    if locked:
        raise lock_message(settings.lockout_minutes, lock)
    if target_locked:
        raise target_lock_message(settings.lockout_minutes)


WRONG_CODES = frozenset({"invalid_code", "name_mismatch", "card_not_found",
                         "customer_not_found", "wrong_card_pin", "buyer_mismatch"})
"""Problem codes that mean a guess was wrong (and keep its charge)."""

_CODE_TARGETS = {CodeKind.ORDER_PICKUP: "order", CodeKind.RECEIPT: "order",
                 CodeKind.LOYALTY: "loyalty", CodeKind.RETURN_SLIP: "return",
                 CodeKind.GIFT_CARD: "card"}


def code_target(code: ScanCode) -> str:
    """A pickup code and a receipt code of one order aim at the same target."""
    return target_key(_CODE_TARGETS.get(code.kind, code.kind.name.lower()), code.value)


@contextmanager
def code_attempt(db: Database, settings: CoreSettings, device_id: int,
                 target: str | None, *, signed: bool = False,
                 wrong: frozenset[str] = WRONG_CODES) -> Iterator[None]:
    """Check a signed code, card number or surname under the codes lock, per device
    and per ``target``: the attempt is charged before the body runs, and given back
    unless the body raised a problem whose code is in ``wrong``. The wrong attempt
    that fills a count raises the lock instead of the body's problem.

    A locked target refuses what can be guessed (a surname, a typed card number,
    a PIN) from every device. A ``signed`` code is still checked: its 50-bit MAC
    is not guessable within the device's own limit, and so a prankster's forged
    codes at someone's order cannot stop that shopper's real QR."""
    if not take_attempt(db, settings, device_id, Lock.CODES, target=target, signed=signed):
        target = None
    try:
        yield
    except CommerceProblem as exc:
        settle_attempt(db, settings, device_id, Lock.CODES, right=exc.code not in wrong,
                       target=target)
        raise
    except BaseException:
        settle_attempt(db, settings, device_id, Lock.CODES, right=True, target=target)
        raise
    settle_attempt(db, settings, device_id, Lock.CODES, right=True, target=target)


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
