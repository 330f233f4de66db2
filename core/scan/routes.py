"""``POST /v1/scan``: one endpoint for every code a scanner can read."""

from __future__ import annotations

from fastapi import APIRouter

from core.auth.lockout import code_attempt, code_target, target_key
from core.customers.cards import card_number, looks_like_card_number
from core.deps import DbDep, MaybeStaffDep, SettingsDep
from core.problems import InvalidInput
from core.scan import service
from shared.codes import SIGNED_KINDS, parse_code
from shared.schemas.catalog import ScanRequest, ScanResult

router = APIRouter(prefix="/v1", tags=["scan"])


@router.post("/scan", response_model=ScanResult, summary="Resolve any scanned text")
def scan(body: ScanRequest, db: DbDep, settings: SettingsDep, caller: MaybeStaffDep
         ) -> ScanResult:
    """A device locked for wrong codes still scans products and shelf labels: only
    signed codes (pickup, receipt, loyalty, ...) and loyalty card numbers (typed or
    from the card's barcode) wait for the lock. A signed code is
    counted per device and per what it names (the order, the card), so guesses at
    one order from many devices are bounded too."""
    number = card_number(body.code)
    if number is None and looks_like_card_number(body.code):
        raise InvalidInput("That loyalty card number has a typo (its last digit does not "
                           "match); please check it.", code="card_number_typo")
    if number is not None:
        with code_attempt(db, settings, caller.device_id, target_key("loyalty", number)), \
                db.read() as session:
            return service.resolve_card_number(session, caller=caller, number=number)
    code = parse_code(body.code.strip())
    if code is None or code.kind not in SIGNED_KINDS:
        with db.read() as session:
            return service.resolve(session, caller=caller, text=body.code,
                                   secret=settings.resolved_secret)
    with code_attempt(db, settings, caller.device_id, code_target(code), signed=True), \
            db.read() as session:
        return service.resolve(session, caller=caller, text=body.code,
                               secret=settings.resolved_secret)
