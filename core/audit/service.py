"""Writing and reading the audit trail.

Each audited action calls :func:`record` inside its own transaction. The kinds
(``AUDITED_KINDS``) are what the security review asked to be accountable for:
money going out (refunds), prices overridden, approvals, stock changed by
hand, goods moved, a till closed with its variance, locks lifted, access
taken away.
"""

from __future__ import annotations

import base64
import getpass
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from core.audit.models import AuditEntry
from core.problems import Forbidden
from shared.schemas.enums import Role

if TYPE_CHECKING:
    from core.auth.service import StaffClaims
    from core.caller import Caller

AUDITED_KINDS = (
    "return.approved", "return.rejected", "return.refunded", "order.refunded",
    "card.refund_unrecorded",
    "discount.given", "stock.adjusted", "transfer.sent", "transfer.received", "till.closed",
    "device.unlocked", "device.revoked", "staff.deactivated", "staff.pin_changed",
    "customer.exported", "customer.erased", "customer.consent_changed", "import.applied",
)
"""Every kind written today; ``GET /v1/audit?kind=`` takes one or a prefix (``return.``)."""


def command_line_actor() -> str:
    """An administrator at the server: the operating-system user is who it was."""
    try:
        return f"command line ({getpass.getuser()})"
    except (KeyError, OSError):
        return "command line"


def record(
    session: Session, kind: str, *, caller: Caller | None = None, store: str | None = None,
    subject: str = "", approver: StaffClaims | None = None, actor: str = "",
    staff: tuple[int, str] | None = None, device: tuple[int, str] | None = None,
    **detail: Any,
) -> None:
    """``staff`` names the person when they are not the caller's signed-in staff
    (a supervisor typing their PIN to unlock a till), ``device`` the device acted
    on from the command line; ``approver`` is whoever countersigned, when that was
    not the signed-in person."""
    entry = AuditEntry(kind=kind, store_code=store, subject=subject[:40], actor=actor,
                       detail=detail)
    if caller is not None:
        entry.device_id, entry.device_name = caller.device_id, caller.device_name
        if entry.store_code is None:
            entry.store_code = caller.store_code
        if caller.staff is not None:
            entry.staff_id, entry.staff_name = caller.staff.staff_id, caller.staff.name
    if device is not None:
        entry.device_id, entry.device_name = device
    if staff is not None:
        entry.staff_id, entry.staff_name = staff
    if approver is not None and approver.staff_id != entry.staff_id:
        entry.approver_id, entry.approver_name = approver.staff_id, approver.name
    session.add(entry)


def describe(entry: AuditEntry) -> str:
    """One line for the command line: when, store, kind, subject, who, where, what."""
    who = entry.staff_name or entry.actor or "-"
    if entry.approver_name:
        who += f" (approved by {entry.approver_name})"
    detail = " ".join(f"{k}={v}" for k, v in entry.detail.items() if v not in (None, "", []))
    return (f"{entry.at:%Y-%m-%d %H:%M:%S}  {entry.store_code or '-':<5} {entry.kind:<18} "
            f"{entry.subject:<14} {who}  on {entry.device_name or '-'}  {detail}").rstrip()


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"a": last_id}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """Shape and range were checked at the edge (:func:`core.edge.check_cursor`)."""
    padded = cursor + "=" * (-len(cursor) % 4)
    return int(json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))["a"])


def readable_stores(caller: Caller) -> str | None:
    """A manager (or admin) reads the whole chain: ``None``; a supervisor only the
    store of the till they are signed in on."""
    staff = caller.require_staff(Role.SUPERVISOR, "read the audit trail")
    if staff.role.at_least(Role.MANAGER):
        return None
    return caller.store_code or ""


def entries(
    session: Session, *, store: str | None = None, kinds: list[str] | None = None,
    since: datetime | None = None, until: datetime | None = None, staff_id: int | None = None,
    device_id: int | None = None, before_id: int | None = None, limit: int = 100,
    only_store: str | None = None,
) -> tuple[list[AuditEntry], bool]:
    """Newest first; ``only_store`` is the caller's limit, ``store`` their filter.
    Returns the page and whether there is more."""
    if only_store is not None and store is not None and store != only_store:
        raise Forbidden(f"A supervisor reads the audit of their own store ({only_store}).",
                        code="other_store")
    conditions: list[ColumnElement[bool]] = []
    if only_store is not None or store is not None:
        conditions.append(AuditEntry.store_code == (store or only_store))
    if kinds:
        conditions.append(_kind_clause(kinds))
    if since is not None:
        conditions.append(AuditEntry.at >= since)
    if until is not None:
        conditions.append(AuditEntry.at < until)
    if staff_id is not None:
        conditions.append((AuditEntry.staff_id == staff_id)
                          | (AuditEntry.approver_id == staff_id))
    if device_id is not None:
        conditions.append(AuditEntry.device_id == device_id)
    if before_id is not None:
        conditions.append(AuditEntry.id < before_id)
    rows = list(session.scalars(select(AuditEntry).where(*conditions)
                                .order_by(AuditEntry.id.desc()).limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def _kind_clause(kinds: list[str]) -> ColumnElement[bool]:
    exact = [k for k in kinds if not k.endswith(".")]
    clauses: list[ColumnElement[bool]] = [AuditEntry.kind.in_(exact)] if exact else []
    clauses += [AuditEntry.kind.startswith(k, autoescape=True) for k in kinds if k.endswith(".")]
    return or_(*clauses)
