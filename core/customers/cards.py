"""What a physical loyalty card carries, and how a typed card number is told
from a product barcode.

A card carries two things: the signed QR (``OT1:L:<card>:<mac>``), which any
scanner reads and no one can forge, and its card number printed under an
EAN-13 barcode for people and for 1D scanners. The number is in the in-store
range of EAN-13 (prefix ``29``, never a product's GTIN), so its check digit
catches a mistyped digit before anything is looked up. The number is not a
secret (it is printed on the card and sequential), so a typed or 1D-scanned
number is checked under the codes lockout, per device and per card, like a
signed code; it shows no more than the QR does (a masked name and points).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core import signing
from core.auth.lockout import target_key
from core.caller import Caller
from core.carts import service as carts
from core.carts.models import Cart
from core.customers.models import Customer
from core.events.service import emit
from core.problems import Conflict, InvalidInput
from shared.codes import CodeKind, ScanCode, is_valid_ean13, parse_code

LOYALTY_PREFIX = "29"
"""In-store numbering range of EAN-13 used for loyalty card numbers."""


def looks_like_card_number(text: str) -> bool:
    """13 digits in the loyalty range, whatever the check digit: a typo in it is
    said as such, not as an unknown product."""
    raw = text.strip().replace(" ", "")
    return len(raw) == 13 and raw.isascii() and raw.isdigit() and raw.startswith(LOYALTY_PREFIX)


def card_number(text: str) -> str | None:
    """The card number typed or scanned, when it is one with a right check digit."""
    raw = text.strip().replace(" ", "")
    return raw if looks_like_card_number(raw) and is_valid_ean13(raw) else None


def read_card(code: str) -> tuple[ScanCode | None, str | None]:
    """The QR (parsed) or the printed number of a loyalty card, as sent; a number
    with a wrong check digit is refused here as a typo, before any count."""
    parsed = parse_code(code)
    number = parsed.value if parsed is not None else card_number(code)
    if number is None and looks_like_card_number(code):
        raise InvalidInput("That card number has a typo (its last digit does not match); "
                           "please check it.", code="card_number_typo")
    return parsed, number


def card_target(parsed: ScanCode | None, number: str | None) -> dict[str, Any]:
    """What :func:`core.auth.lockout.code_attempt` counts a card attempt against."""
    return {"target": target_key("loyalty", number) if number else None,
            "signed": parsed is not None}


def checked_number(parsed: ScanCode | None, number: str | None, secret: bytes) -> str:
    """The card number, once its QR's signature is checked (inside the attempt)."""
    refusal = "That loyalty card code is not valid."
    if parsed is not None:
        return signing.named_by(secret, parsed, CodeKind.LOYALTY, refusal=refusal)
    if number is None:
        raise InvalidInput(refusal, code="invalid_code")
    return number


def attach_to_basket(session: Session, *, caller: Caller, cart_id: str,
                     customer: Customer) -> Cart:
    """The shopper's card on their own basket (kiosk, web) or a till's sale: the
    basket then earns their points wherever it is paid. The only way a kiosk or
    the web shop names a customer: by a card they hold, never by an id."""
    cart = carts.get_cart(session, cart_id, caller=caller, lock=True)
    if cart.status != "open":
        raise Conflict("This basket can no longer change; start a new one.",
                       code=f"cart_{cart.status}")
    cart.customer_id = customer.id
    emit(session, "cart.updated", store=cart.store_code, subject=cart.id, cart_id=cart.id,
         device_id=cart.device_id)
    return cart
