"""``POST /v1/giftcards/balance``: a gift card's balance, PIN-checked off a till."""

from __future__ import annotations

from fastapi import APIRouter

from core.deps import DbDep, DeviceDep, SettingsDep
from core.giftcards import service
from shared.schemas.giftcards import GiftCardCheck
from shared.schemas.returns import CreditOut

router = APIRouter(prefix="/v1/giftcards", tags=["gift cards"])


@router.post("/balance", response_model=CreditOut,
             summary="A gift card's balance (web shop: with its PIN; till: card in hand); "
             "wrong numbers and PINs count to the lockout, per device and per card")
def balance(body: GiftCardCheck, db: DbDep, settings: SettingsDep, caller: DeviceDep
            ) -> CreditOut:
    """A POST, not a GET: the PIN must not end up in access logs."""
    return service.balance(db, settings, caller=caller, card_number=body.card_number,
                           pin=body.pin)
