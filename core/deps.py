"""Request dependencies: the database, the settings and who is calling.

Every route declares its caller through one of the ``*Dep`` aliases below, so
the OpenAPI document states each endpoint's security and a route cannot forget
to check it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import bindparam, select

from core.auth.models import Device, Staff
from core.auth.service import (
    StaffClaims,
    hash_token,
    invalid_device_token,
    read_staff_token,
)
from core.caller import Caller
from core.db import Database
from core.problems import Forbidden, Unauthorized
from core.settings import CoreSettings
from shared.schemas.enums import DeviceKind

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="DeviceToken",
    description="The token of a registered device (kiosk, till, web shop), from "
    "`omnitill device add`.",
)
_staff_header = APIKeyHeader(
    name="X-Staff-Token",
    auto_error=False,
    scheme_name="StaffToken",
    description="A staff sign-in from `POST /v1/auth/staff`, on top of the device token.",
)
_approver_header = APIKeyHeader(
    name="X-Approver-Token",
    auto_error=False,
    scheme_name="ApproverToken",
    description="A supervisor's sign-in on the same till, for one action above the "
    "cashier's role (a big discount, a return over the threshold, a till variance).",
)


# Trivial dependencies are ``async``: FastAPI runs a sync one in the threadpool,
# and a hop there and back cost more than the request's own work on health.
async def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def get_settings(request: Request) -> CoreSettings:
    settings: CoreSettings = request.app.state.settings
    return settings


IdPath = Annotated[int, Path(ge=1, le=2**63 - 1, description="A database id (64-bit).")]
"""An integer id in a path: beyond 64 bits no row can have it, and the database
would overflow before saying so."""

DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[CoreSettings, Depends(get_settings)]


def device_caller(
    db: DbDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    if credentials is None or not credentials.credentials:
        raise Unauthorized(
            "This request needs a device token (Authorization: Bearer ...).",
            code="missing_device_token",
        )
    # A Core query on a bare connection: every request pays for this, and an ORM
    # session with a whole Device entity cost several times the query itself. It
    # still runs on every request, so a revoked token stops at the next one.
    with db.reader_engine.connect() as connection:
        row = connection.execute(_DEVICE_BY_TOKEN, {"token_hash": hash_token(
            credentials.credentials)}).first()
    if row is None or row.revoked_at is not None:
        raise invalid_device_token()
    return Caller(row.id, DeviceKind(row.kind), row.name, row.store_code)


_DEVICE_BY_TOKEN = select(Device.id, Device.kind, Device.name, Device.store_code,
                          Device.revoked_at).where(Device.token_hash == bindparam("token_hash"))


_ACTIVE_STAFF = select(Staff.id).where(Staff.id.in_(bindparam("ids", expanding=True)),
                                       Staff.active.is_(True))


def _still_active(db: Database, *claims: StaffClaims | None) -> None:
    """A staff token lives for hours; a deactivated cashier must stop at the next
    request, not when it expires, so every staff request checks the person."""
    ids = [c.staff_id for c in claims if c is not None]
    with db.reader_engine.connect() as connection:
        active = set(connection.scalars(_ACTIVE_STAFF, {"ids": ids}))
    if active != set(ids):
        raise Unauthorized("This staff member can no longer sign in; ask a manager.",
                           code="staff_inactive")


def staff_caller(
    db: DbDep,
    caller: Annotated[Caller, Depends(device_caller)],
    settings: SettingsDep,
    token: Annotated[str | None, Depends(_staff_header)],
    approver: Annotated[str | None, Depends(_approver_header)] = None,
) -> Caller:
    if caller.device_kind is not DeviceKind.POS:
        raise Forbidden("Only a till can do this.", code="till_only")
    if not token:
        raise Unauthorized("Sign in with your staff PIN first.", code="staff_required")
    claims = read_staff_token(
        secret=settings.resolved_secret, token=token, device_id=caller.device_id
    )
    approved = read_staff_token(
        secret=settings.resolved_secret, token=approver, device_id=caller.device_id
    ) if approver else None
    _still_active(db, claims, approved)
    return Caller(
        caller.device_id, caller.device_kind, caller.device_name, caller.store_code, claims,
        approved,
    )


def optional_staff_caller(
    db: Database, caller: Caller, settings: CoreSettings, token: str | None,
    approver: str | None = None,
) -> Caller:
    """The caller with its staff sign-in when a till sent one (called from a route)."""
    if not token or caller.device_kind is not DeviceKind.POS:
        return caller
    return staff_caller(db, caller, settings, token, approver)


async def _maybe_staff(
    db: DbDep,
    caller: Annotated[Caller, Depends(device_caller)],
    settings: SettingsDep,
    token: Annotated[str | None, Depends(_staff_header)],
    approver: Annotated[str | None, Depends(_approver_header)] = None,
) -> Caller:
    """Async, so a kiosk's or the web shop's request (no staff token) makes no hop
    into the threadpool for it; a till's staff check (a query) still goes there."""
    if not token or caller.device_kind is not DeviceKind.POS:
        return caller
    return await run_in_threadpool(staff_caller, db, caller, settings, token, approver)


async def till_caller(caller: Annotated[Caller, Depends(device_caller)]) -> Caller:
    if caller.device_kind is not DeviceKind.POS:
        raise Forbidden("Only a till can do this.", code="till_only")
    return caller


DeviceDep = Annotated[Caller, Depends(device_caller)]
"""Any registered device."""
MaybeStaffDep = Annotated[Caller, Depends(_maybe_staff)]
"""Any device; on a till the staff sign-in is read when present."""
TillDep = Annotated[Caller, Depends(till_caller)]
"""A till, with or without staff signed in."""
StaffDep = Annotated[Caller, Depends(staff_caller)]
"""A till with a staff member signed in (check the role with ``require_staff``)."""
