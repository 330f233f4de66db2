"""``POST /v1/scan``: one endpoint for every code a scanner can read."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from core.auth.lockout import code_attempt, code_target, target_key
from core.catalog.routes import LanguageDep
from core.customers.cards import card_number, looks_like_card_number
from core.deps import DbDep, MaybeStaffDep, SettingsDep
from core.problems import InvalidInput
from core.scan import service
from shared.codes import SIGNED_KINDS, parse_code
from shared.schemas.catalog import ScanRequest, ScanResult

router = APIRouter(prefix="/v1", tags=["scan"])


@router.post("/scan", response_model=ScanResult, summary="Resolve any scanned text")
def scan(body: ScanRequest, db: DbDep, settings: SettingsDep, caller: MaybeStaffDep,
         language: LanguageDep, include: Annotated[Literal["product"] | None, Query(
             description="`product`: a product's answer also holds its `detail` and "
                         "`availability` (as the two product calls answer them), so a kiosk "
                         "shows it after one round trip")] = None,
         ) -> ScanResult:
    """A device locked for wrong codes still scans products and shelf labels: only
    signed codes (pickup, receipt, loyalty, ...) and loyalty card numbers (typed or
    from the card's barcode) wait for the lock. A signed code is
    counted per device and per what it names (the order, the card), so guesses at
    one order from many devices are bounded too. Only unsigned codes name a product,
    so only they are answered with it (``include``)."""
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
            result = service.resolve(session, caller=caller, text=body.code,
                                     secret=settings.resolved_secret)
            if include == "product":
                result = service.with_product(session, result, caller=caller,
                                              language=language)
            return result
    with code_attempt(db, settings, caller.device_id, code_target(code), signed=True), \
            db.read() as session:
        return service.resolve(session, caller=caller, text=body.code,
                               secret=settings.resolved_secret)
