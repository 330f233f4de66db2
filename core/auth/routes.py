"""Staff sign-in on a till."""

from __future__ import annotations

from fastapi import APIRouter

from core.auth import service
from core.deps import (
    DbDep,
    DeviceDep,
    MaybeStaffDep,
    SettingsDep,
    TillDep,
    check_device_unlocked,
    count_failure,
)
from core.problems import Unauthorized
from shared.schemas.auth import DeviceOut, StaffLogin, StaffOut, StaffSession, Whoami

router = APIRouter(prefix="/v1/auth", tags=["auth"])


@router.post("/staff", response_model=StaffSession, summary="Staff PIN sign-in on a till")
def staff_sign_in(body: StaffLogin, db: DbDep, settings: SettingsDep, caller: TillDep
                  ) -> StaffSession:
    """Wrong PINs count towards the till's lockout; a locked till refuses every PIN."""
    check_device_unlocked(db, caller.device_id)
    with db.read() as session:
        staff = service.find_staff_by_pin(session, store_code=caller.store_code or "",
                                          pin=body.pin)
    if staff is None:
        count_failure(db, settings, caller.device_id)
        raise Unauthorized("That PIN is not right for this store.", code="wrong_pin")
    with db.write() as session:
        service.record_success(session, device_id=caller.device_id)
    token, expires = service.issue_staff_token(
        secret=settings.resolved_secret, staff=staff, device_id=caller.device_id,
        minutes=settings.staff_token_minutes,
    )
    return StaffSession(token=token, expires_at=expires, staff=StaffOut.model_validate(staff))


@router.get("/whoami", response_model=Whoami, summary="The calling device and staff")
def whoami(caller: MaybeStaffDep, _device: DeviceDep) -> Whoami:
    staff = caller.staff
    return Whoami(
        device=DeviceOut(id=caller.device_id, name=caller.device_name, kind=caller.device_kind,
                         store_code=caller.store_code),
        staff=StaffOut(id=staff.staff_id, name=staff.name, role=staff.role) if staff else None,
    )
