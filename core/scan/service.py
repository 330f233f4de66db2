"""Resolve whatever a scanner typed into what it names.

Clients send the raw text; only the core checks signatures. A code that looks
like ours but fails its signature counts as a failed attempt for the device
(the caller records it), so guessing pickup or receipt codes gets locked out.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from core import signing
from core.caller import Caller
from core.carts.service import cart_by_handoff
from core.catalog import service as catalog
from core.customers.service import by_card
from core.orders.service import get_order
from core.problems import Forbidden, InvalidInput
from core.returns.service import get_return
from shared.codes import SIGNED_KINDS, CodeKind, ScanCode, parse_code
from shared.schemas.catalog import ScanResult
from shared.schemas.enums import DeviceKind


class ForgedCode(InvalidInput):
    code, title = "invalid_code", "Code not recognised"


Resolver = Callable[[Session, Caller, ScanCode], ScanResult]
_resolvers: dict[CodeKind, Resolver] = {}
_allowed: dict[CodeKind, frozenset[DeviceKind]] = {}


def resolver(kind: CodeKind, *devices: DeviceKind) -> Callable[[Resolver], Resolver]:
    """Register how a kind of code resolves and which devices may scan it."""

    def register(fn: Resolver) -> Resolver:
        _resolvers[kind] = fn
        _allowed[kind] = frozenset(devices)
        return fn

    return register


@resolver(CodeKind.PRODUCT, *DeviceKind)
def _product(session: Session, caller: Caller, code: ScanCode) -> ScanResult:
    product = catalog.get_product(session, code.value)
    return ScanResult(kind="product", product=catalog.products_out(session, [product])[0],
                      reference=product.sku)


def with_product(session: Session, result: ScanResult, *, caller: Caller,
                 language: str) -> ScanResult:
    """A scanned product with its detail and its stock, as the caller would read
    them next (``GET /v1/products/{sku}`` and its availability): a kiosk shows
    the product after one round trip instead of two."""
    if result.kind != "product" or result.reference is None:
        return result
    sku, store_code = result.reference, caller.store_code
    # Held while both are built: the session's identity map keeps objects only as
    # long as someone does, and both look the product up by its key first.
    product = catalog.get_product(session, sku)
    return result.model_copy(update={
        "detail": catalog.product_detail(session, sku, store_code=store_code,
                                         language=language),
        "availability": catalog.availability(session, sku=product.sku, store_code=store_code),
    })


def resolve(session: Session, *, caller: Caller, text: str, secret: bytes) -> ScanResult:
    raw = text.strip()
    if raw.isascii() and raw.isdigit():  # '²' is a digit to Python, not to a scanner
        if len(raw) in (8, 12, 13, 14):
            gtin = raw.zfill(13)[-13:] if len(raw) != 14 else raw[1:]
            product = catalog.product_by_gtin(session, gtin)
            return ScanResult(kind="product", reference=product.sku,
                              product=catalog.products_out(session, [product])[0])
        raise InvalidInput("That barcode is not one we know.", code="unknown_code")
    code = parse_code(raw)
    if code is None:
        raise InvalidInput("That code is not one we know.", code="unknown_code")
    if code.kind in SIGNED_KINDS:
        signing.named_by(secret, code, code.kind, refusal=ForgedCode(
            "That code is not valid. Please use the code you were given."))
    handler = _resolvers.get(code.kind)
    if handler is None:
        raise InvalidInput("This kind of code is not supported yet.", code="unsupported_code")
    if caller.device_kind not in _allowed[code.kind]:
        raise Forbidden("This code cannot be used here; please ask at a till.",
                        code="wrong_device_for_code")
    return handler(session, caller, code)


@resolver(CodeKind.CART, DeviceKind.POS)
def _cart(session: Session, caller: Caller, code: ScanCode) -> ScanResult:
    cart = cart_by_handoff(session, code.value)
    if cart.store_code != caller.store_code:
        raise Forbidden("That basket was made for another store.", code="other_store")
    return ScanResult(kind="cart", reference=cart.id)


@resolver(CodeKind.ORDER_PICKUP, DeviceKind.POS, DeviceKind.KIOSK)
def _pickup(session: Session, caller: Caller, code: ScanCode) -> ScanResult:
    return ScanResult(kind="order_pickup", reference=get_order(session, code.value).number)


@resolver(CodeKind.RECEIPT, DeviceKind.POS, DeviceKind.KIOSK)
def _receipt(session: Session, caller: Caller, code: ScanCode) -> ScanResult:
    return ScanResult(kind="receipt", reference=get_order(session, code.value).number)


@resolver(CodeKind.LOYALTY, DeviceKind.POS, DeviceKind.KIOSK)
def _loyalty(session: Session, caller: Caller, code: ScanCode) -> ScanResult:
    return ScanResult(kind="loyalty", reference=by_card(session, code.value).loyalty_card)


def resolve_card_number(session: Session, *, caller: Caller, number: str) -> ScanResult:
    """A loyalty card's printed number (EAN-13 in the ``29`` range), typed or read
    from the card's barcode: the same as its QR, where its QR may be scanned.
    The route counts it under the lockout (the number is not a secret)."""
    if caller.device_kind not in _allowed[CodeKind.LOYALTY]:
        raise Forbidden("This code cannot be used here; please ask at a till.",
                        code="wrong_device_for_code")
    return ScanResult(kind="loyalty", reference=by_card(session, number).loyalty_card)


@resolver(CodeKind.RETURN_SLIP, DeviceKind.POS)
def _return_slip(session: Session, caller: Caller, code: ScanCode) -> ScanResult:
    return ScanResult(kind="return_slip", reference=get_return(session, code.value).number)
