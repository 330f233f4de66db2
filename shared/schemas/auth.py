"""Staff sign-in and the identity of the caller."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import StringConstraints

from shared.schemas.common import Schema
from shared.schemas.enums import DeviceKind, Role

Pin = Annotated[str, StringConstraints(pattern=r"^[0-9]{4,8}$")]


class StaffLogin(Schema):
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
