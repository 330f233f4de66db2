"""Staff sign-in on a till, and a supervisor's unlock of a locked till or of
another device of its store (a kiosk locked by wrong codes)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth import lockout, service
from core.auth.lockout import Lock
from core.auth.models import Device
from core.deps import DbDep, DeviceDep, MaybeStaffDep, SettingsDep, StaffDep, TillDep
from core.problems import Forbidden, NotFound, Unauthorized
from core.timeutil import utcnow
from shared.schemas.auth import (
    DeviceOut,
    DeviceUnlock,
    StaffLogin,
    StaffOut,
    StaffSession,
    StoreDevice,
    UnlockResult,
    Whoami,
)
from shared.schemas.enums import DeviceKind, Role

router = APIRouter(prefix="/v1/auth", tags=["auth"])


@router.post("/staff", response_model=StaffSession, summary="Staff PIN sign-in on a till")
def staff_sign_in(body: StaffLogin, db: DbDep, settings: SettingsDep, caller: TillDep
                  ) -> StaffSession:
    """Wrong PINs count towards the till's PIN lock; while it is on, every PIN is
    refused here (a supervisor unlocks at ``/v1/auth/unlock``). Each PIN is charged
    to the count before it is checked, and a right one only gives its own charge back
    (see :mod:`core.auth.lockout`)."""
    lockout.take_attempt(db, settings, caller.device_id, Lock.PIN)
    with db.read() as session:
        staff = service.find_staff_by_pin(session, store_code=caller.store_code or "",
                                          pin=body.pin)
    lockout.settle_attempt(db, settings, caller.device_id, Lock.PIN, right=staff is not None)
    if staff is None:
        raise Unauthorized("That PIN is not right for this store.", code="wrong_pin")
    token, expires = service.issue_staff_token(
        secret=settings.resolved_secret, staff=staff, device_id=caller.device_id,
        minutes=settings.staff_token_minutes,
    )
    return StaffSession(token=token, expires_at=expires, staff=StaffOut.model_validate(staff))


@router.post("/unlock", response_model=UnlockResult,
             summary="A supervisor's PIN typed on a locked till lifts its locks on the spot")
def unlock(body: DeviceUnlock, db: DbDep, settings: SettingsDep, caller: TillDep
           ) -> UnlockResult:
    """Accepted while the PIN lock is on; a PIN that is wrong, or not a supervisor's,
    counts as a wrong PIN (of this till, where it was typed), so the lock still
    bounds guessing. With ``device_id``, the device unlocked is another of this
    store's (a kiosk whose shopper was told to ask staff). Recorded in the event
    log as ``device.unlocked``."""
    with db.read() as session:
        device = session.get(Device, caller.device_id)
        assert device is not None
        lockout.check_unlock_allowed(device, settings.lockout_attempts)
        target = _store_device(session, caller.store_code, body.device_id) \
            if body.device_id not in (None, caller.device_id) else device
        target_out = DeviceOut(id=target.id, name=target.name, kind=DeviceKind(target.kind),
                               store_code=target.store_code)
    lockout.take_attempt(db, settings, caller.device_id, Lock.PIN, while_locked=True)
    with db.read() as session:
        staff = service.find_staff_by_pin(session, store_code=caller.store_code or "",
                                          pin=body.pin)
    if staff is None or not Role(staff.role).at_least(Role.SUPERVISOR):
        lockout.settle_attempt(db, settings, caller.device_id, Lock.PIN, right=False)
        if staff is None:
            raise Unauthorized("That PIN is not right for this store.", code="wrong_pin")
        raise Forbidden("A supervisor's PIN is needed to unlock the till.",
                        code="role_required", required_role=Role.SUPERVISOR.value)
    if target_out.id != caller.device_id:
        # A right PIN gives this till its charge back (unlocking itself clears it).
        lockout.settle_attempt(db, settings, caller.device_id, Lock.PIN, right=True)
    with db.write() as session:
        lifted = lockout.unlock(session, device_id=target_out.id, by=staff)
    return UnlockResult(device=target_out, unlocked=[lock.value for lock in lifted],
                        by=StaffOut.model_validate(staff), at=utcnow())


def _store_device(session: Session, store_code: str | None, device_id: int) -> Device:
    """A device of this store; any other (or a revoked one) is not found here, so a
    till never learns what another store has."""
    device = session.get(Device, device_id)
    if device is None or device.store_code != store_code or device.revoked_at is not None:
        raise NotFound(f"This store has no device {device_id}.", code="device_not_found")
    return device


@router.get("/devices", response_model=list[StoreDevice],
            summary="The kiosks and tills of this till's store, and their locks")
def store_devices(db: DbDep, caller: StaffDep) -> list[StoreDevice]:
    """For the till's unlock dialog: which device of the store is locked, and till
    when (a cashier may look; unlocking needs a supervisor's PIN)."""
    caller.require_staff(Role.CASHIER, "see this store's devices")
    with db.read() as session:
        devices = session.scalars(select(Device).where(
            Device.store_code == caller.store_code, Device.revoked_at.is_(None))
            .order_by(Device.kind, Device.name))
        found = []
        for d in devices:
            until = {lock: lockout.locked_until(d, lock) for lock in Lock}
            ends = [when for when in until.values() if when is not None]
            found.append(StoreDevice(
                id=d.id, name=d.name, kind=DeviceKind(d.kind), store_code=d.store_code,
                locks=[lock.value for lock, when in until.items() if when is not None],
                locked_until=max(ends) if ends else None))
        return found


@router.get("/whoami", response_model=Whoami, summary="The calling device and staff")
def whoami(caller: MaybeStaffDep, _device: DeviceDep) -> Whoami:
    staff = caller.staff
    return Whoami(
        device=DeviceOut(id=caller.device_id, name=caller.device_name, kind=caller.device_kind,
                         store_code=caller.store_code),
        staff=StaffOut(id=staff.staff_id, name=staff.name, role=staff.role) if staff else None,
    )
