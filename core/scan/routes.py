"""``POST /v1/scan``: one endpoint for every code a scanner can read."""

from __future__ import annotations

from fastapi import APIRouter

from core.deps import DbDep, MaybeStaffDep, SettingsDep, check_device_unlocked, count_failure
from core.scan import service
from shared.codes import SIGNED_KINDS, parse_code
from shared.schemas.catalog import ScanRequest, ScanResult

router = APIRouter(prefix="/v1", tags=["scan"])


@router.post("/scan", response_model=ScanResult, summary="Resolve any scanned text")
def scan(body: ScanRequest, db: DbDep, settings: SettingsDep, caller: MaybeStaffDep
         ) -> ScanResult:
    """A device locked for wrong codes still scans products and shelf labels: only
    signed codes (pickup, receipt, loyalty, ...) wait for the lock."""
    code = parse_code(body.code.strip())
    if code is not None and code.kind in SIGNED_KINDS:
        check_device_unlocked(db, caller.device_id)
    with db.read() as session:
        try:
            return service.resolve(session, caller=caller, text=body.code,
                                   secret=settings.resolved_secret)
        except service.ForgedCode as forged:
            refusal = forged
    count_failure(db, settings, caller.device_id)
    raise refusal
