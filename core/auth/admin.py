"""What an administrator does from the command line to devices and staff:
list, revoke a device token, lift a device's locks, deactivate a person, set a
PIN. Each is one transaction, effective on the next request (device tokens and
staff are read on every request), and written to the event log with who did it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit import service as audit
from core.auth.lockout import Lock, locked_until
from core.auth.models import Device, Staff, StaffStore
from core.auth.service import hash_pin, staff_of_store, verify_pin
from core.events.service import emit
from core.problems import Conflict, InvalidInput, NotFound
from core.timeutil import utcnow

CLI = "command line"


def _actor(by: str) -> str:
    return audit.command_line_actor() if by == CLI else by


@dataclass(frozen=True, slots=True)
class DeviceRow:
    id: int
    name: str
    kind: str
    store_code: str | None
    revoked: bool
    locks: list[str]


def list_devices(session: Session) -> list[DeviceRow]:
    return [DeviceRow(d.id, d.name, d.kind, d.store_code, d.revoked_at is not None,
                      [lock.value for lock in Lock if locked_until(d, lock) is not None])
            for d in session.scalars(select(Device).order_by(Device.id))]


def _device(session: Session, device_id: int) -> Device:
    device = session.get(Device, device_id, with_for_update=True)
    if device is None:
        raise NotFound(f"There is no device {device_id}.", code="device_not_found")
    return device


def revoke_device(session: Session, *, device_id: int, by: str = CLI) -> Device:
    """The token stops working on the next request; a new one is ``device add``."""
    device = _device(session, device_id)
    if device.revoked_at is not None:
        raise Conflict(f"Device {device.name} was already revoked.", code="already_revoked")
    device.revoked_at = utcnow()
    emit(session, "device.revoked", store=device.store_code, subject=str(device.id),
         device_id=device.id, device=device.name, by=by)
    audit.record(session, "device.revoked", store=device.store_code, subject=str(device.id),
                 device=(device.id, device.name), actor=_actor(by), kind_of_device=device.kind)
    return device


def unlock_device(session: Session, *, device_id: int, by: str = CLI) -> list[str]:
    device = _device(session, device_id)
    lifted = [lock.value for lock in Lock if locked_until(device, lock) is not None]
    device.failed_attempts = device.pin_failed_attempts = 0
    device.locked_until = device.pin_locked_until = None
    emit(session, "device.unlocked", store=device.store_code, subject=str(device.id),
         device_id=device.id, device=device.name, by=by, locks=lifted,
         at=utcnow().isoformat())
    audit.record(session, "device.unlocked", store=device.store_code, subject=str(device.id),
                 device=(device.id, device.name), actor=_actor(by), locks=lifted)
    return lifted


def list_staff(session: Session) -> list[tuple[Staff, list[str]]]:
    stores: dict[int, list[str]] = {}
    for link in session.scalars(select(StaffStore)):
        stores.setdefault(link.staff_id, []).append(link.store_code)
    return [(s, sorted(stores.get(s.id, []))) for s in session.scalars(
        select(Staff).order_by(Staff.id))]


def _staff(session: Session, staff_id: int) -> Staff:
    staff = session.get(Staff, staff_id, with_for_update=True)
    if staff is None:
        raise NotFound(f"There is no staff member {staff_id}.", code="staff_not_found")
    return staff


def deactivate_staff(session: Session, *, staff_id: int, by: str = CLI) -> Staff:
    """Their PIN stops signing in and their open sign-ins stop at the next request."""
    staff = _staff(session, staff_id)
    staff.active = False
    emit(session, "staff.deactivated", subject=str(staff.id), staff_id=staff.id, by=by)
    audit.record(session, "staff.deactivated", subject=str(staff.id), actor=_actor(by),
                 staff_id=staff.id, name=staff.name, role=staff.role)
    return staff


def set_pin(session: Session, *, staff_id: int, pin: str, by: str = CLI) -> Staff:
    """A new PIN, unique among the staff of each of their stores (a shared PIN
    would sign in whoever the core finds first)."""
    if not (pin.isascii() and pin.isdigit()) or not 4 <= len(pin) <= 8:
        raise InvalidInput("A PIN is 4 to 8 digits.")
    staff = _staff(session, staff_id)
    for link in session.scalars(select(StaffStore).where(StaffStore.staff_id == staff.id)):
        for other in staff_of_store(session, link.store_code):
            if other.id != staff.id and verify_pin(pin, other.pin_hash):
                raise InvalidInput(f"That PIN is already used at {link.store_code}; choose "
                                   "another.")
    staff.pin_hash = hash_pin(pin)
    emit(session, "staff.pin_changed", subject=str(staff.id), staff_id=staff.id, by=by)
    audit.record(session, "staff.pin_changed", subject=str(staff.id), actor=_actor(by),
                 staff_id=staff.id, name=staff.name)
    return staff
