"""Staff sign-in and the identity of the caller."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from shared.schemas.common import Request, Schema
from shared.schemas.enums import DeviceKind, Role

Pin = Annotated[str, StringConstraints(pattern=r"^[0-9]{4,8}$")]


class StaffLogin(Request):
    pin: Pin


class StaffOut(Schema):
    id: int
    name: str
    role: Role


class StaffSession(Schema):
    token: str
    expires_at: datetime
    staff: StaffOut


class DeviceOut(Schema):
    id: int
    name: str
    kind: DeviceKind
    store_code: str | None


class Whoami(Schema):
    device: DeviceOut
    staff: StaffOut | None


class DeviceUnlock(Request):
    """A supervisor's PIN, typed on the locked till itself, or on a till of the
    store to unlock another of its devices (a kiosk)."""

    pin: Pin
    device_id: int | None = Field(
        default=None, ge=1, le=2**63 - 1,
        description="A device of this till's store to unlock (from `GET /v1/auth/devices`); "
                    "the till itself when absent.")


class StoreDevice(DeviceOut):
    """A device of the till's store, and what of it is locked now."""

    locks: list[str] = Field(description="`pin` (staff sign-in), `codes` (pickup, receipt "
                             "and loyalty codes); empty when nothing is locked.")
    locked_until: datetime | None = Field(description="When the last of its locks runs out.")


class UnlockResult(Schema):
    """What a supervisor's unlock cleared, and who did it (also in the event log as
    ``device.unlocked``)."""

    device: DeviceOut
    unlocked: list[str] = Field(description="The locks that were on and are now off: `pin` "
                                "(staff sign-in), `codes` (pickup, receipt and loyalty codes).")
    by: StaffOut
    at: datetime
