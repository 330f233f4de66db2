"""Staff sign-in on a till, and a supervisor's unlock of a locked till."""

from __future__ import annotations

from fastapi import APIRouter

from core.auth import lockout, service
from core.auth.lockout import Lock
from core.auth.models import Device
from core.deps import DbDep, DeviceDep, MaybeStaffDep, SettingsDep, TillDep
from core.problems import Forbidden, Unauthorized
from core.timeutil import utcnow
from shared.schemas.auth import (
    DeviceOut,
    DeviceUnlock,
    StaffLogin,
    StaffOut,
    StaffSession,
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
    counts as a wrong PIN, so the lock still bounds guessing. Recorded in the event
    log as ``device.unlocked``."""
    with db.read() as session:
        device = session.get(Device, caller.device_id)
        assert device is not None
        lockout.check_unlock_allowed(device, settings.lockout_attempts)
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
    with db.write() as session:
        lifted = lockout.unlock(session, device_id=caller.device_id, by=staff)
    return UnlockResult(
        device=DeviceOut(id=caller.device_id, name=caller.device_name,
                         kind=DeviceKind(caller.device_kind), store_code=caller.store_code),
        unlocked=[lock.value for lock in lifted], by=StaffOut.model_validate(staff),
        at=utcnow())


@router.get("/whoami", response_model=Whoami, summary="The calling device and staff")
def whoami(caller: MaybeStaffDep, _device: DeviceDep) -> Whoami:
    staff = caller.staff
    return Whoami(
        device=DeviceOut(id=caller.device_id, name=caller.device_name, kind=caller.device_kind,
                         store_code=caller.store_code),
        staff=StaffOut(id=staff.staff_id, name=staff.name, role=staff.role) if staff else None,
    )
