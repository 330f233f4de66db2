"""``GET /v1/audit``: a manager reads the whole chain's trail, a supervisor their
store's; newest first, filtered, paged by cursor."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from core.audit import service
from core.deps import DbDep, StaffDep
from shared.schemas.audit import AuditEntryOut, AuditPage

router = APIRouter(prefix="/v1/audit", tags=["audit"])


def _utc(moment: datetime | None) -> datetime | None:
    """A time without a zone is read as UTC, as every time the core stores is."""
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


@router.get("", response_model=AuditPage,
            summary="Refunds, overrides, approvals, stock changes, till variances, unlocks "
            "and revocations: who, on which device, when (supervisor: own store; manager: all)")
def read(
    db: DbDep, caller: StaffDep,
    since: Annotated[datetime | None, Query(description="From this time on (ISO 8601).")] = None,
    until: Annotated[datetime | None, Query(description="Before this time.")] = None,
    store: Annotated[str | None, Query(max_length=8, description="One store's code.")] = None,
    kind: Annotated[list[str] | None, Query(
        max_length=20, description="Repeat for several; `return.` takes every return kind.")
    ] = None,
    staff_id: Annotated[int | None, Query(ge=1, le=2**63 - 1, description=(
        "Done or approved by this person."))] = None,
    device_id: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Annotated[str | None, Query(max_length=100, description=(
        "`next_cursor` of the previous page."))] = None,
) -> AuditPage:
    only_store = service.readable_stores(caller)
    with db.read() as session:
        rows, more = service.entries(
            session, store=store, kinds=kind, since=_utc(since), until=_utc(until),
            staff_id=staff_id,
            device_id=device_id, before_id=service.decode_cursor(cursor) if cursor else None,
            limit=limit, only_store=only_store)
        return AuditPage(entries=[AuditEntryOut.model_validate(r) for r in rows],
                         next_cursor=service.encode_cursor(rows[-1].id) if more else None)
