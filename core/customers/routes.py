"""Customer endpoints: staff on a till see everything; a kiosk sees nothing here
but the masked loyalty view of a card it scanned (``/v1/loyalty/cards/{code}``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from core.auth.lockout import code_attempt, target_key
from core.carts.service import cart_out
from core.customers import cards, service
from core.deps import DbDep, DeviceDep, IdPath, MaybeStaffDep, SettingsDep, StaffDep, TillDep
from core.giftcards.numbers import normalise
from core.payments import service as payments
from shared.schemas.loyalty import LoyaltyCardIn
from shared.schemas.orders import CartOut
from shared.schemas.returns import (
    CreditOut,
    CustomerHistory,
    CustomerOut,
    CustomerUpdate,
    LoyaltyOut,
)

router = APIRouter(prefix="/v1", tags=["customers"])


@router.get("/customers", response_model=list[CustomerOut],
            summary="Find customers by loyalty card, phone, email or name (staff)")
def find(db: DbDep, settings: SettingsDep, caller: StaffDep,
         q: Annotated[str, Query(min_length=2, max_length=80)]) -> list[CustomerOut]:
    with db.read() as session:
        return [service.customer_view(session, c, caller=caller,
                                      secret=settings.resolved_secret, q=q)
                for c in service.search(session, q)]


@router.get("/customers/{customer_id}", response_model=CustomerOut, summary="Profile (staff)")
def read(customer_id: IdPath, db: DbDep, settings: SettingsDep, caller: StaffDep) -> CustomerOut:
    with db.read() as session:
        return service.customer_view(session, service.get_customer(session, customer_id),
                                     caller=caller, secret=settings.resolved_secret)


@router.patch("/customers/{customer_id}", response_model=CustomerOut,
              summary="Record what the customer says about their mail: its language, or no "
              "mail at all (staff at a till, on the customer's word; audited)")
def update(customer_id: IdPath, body: CustomerUpdate, db: DbDep, settings: SettingsDep,
           caller: StaffDep) -> CustomerOut:
    with db.write() as session:
        customer = service.set_mail_preferences(
            session, customer_id=customer_id, caller=caller, language=body.language,
            no_mail=body.no_mail)
        return service.customer_view(session, customer, caller=caller,
                                     secret=settings.resolved_secret)


@router.get("/customers/{customer_id}/orders", response_model=CustomerHistory,
            summary="Purchase history from every channel and store, returns netted (staff)")
def orders(customer_id: IdPath, db: DbDep, caller: StaffDep) -> CustomerHistory:
    with db.read() as session:
        return service.history(session, customer_id)


@router.get("/customers/{customer_id}/loyalty", response_model=LoyaltyOut,
            summary="Points, tier and progress, with the ledger (staff)")
def loyalty(customer_id: IdPath, db: DbDep, caller: StaffDep) -> LoyaltyOut:
    with db.read() as session:
        return service.loyalty_view(session, service.get_customer(session, customer_id),
                                    full=True)


@router.get("/loyalty/cards/{code}", response_model=LoyaltyOut,
            summary="Balance of a loyalty card, by its signed QR or its printed number "
            "(masked name; kiosk or till; wrong ones count to the lockout)")
def card(code: str, db: DbDep, settings: SettingsDep, caller: DeviceDep) -> LoyaltyOut:
    """The card's number, printed under its barcode, works as its QR does: both
    are counted per device and per card, so neither can be used to walk the
    (sequential) card numbers. A number with a wrong check digit is a typo, said
    as such without counting: it names no card."""
    parsed, number = cards.read_card(code)
    with code_attempt(db, settings, caller.device_id, **cards.card_target(parsed, number)):
        number = cards.checked_number(parsed, number, settings.resolved_secret)
        with db.read() as session:
            return service.loyalty_view(session, service.by_card(session, number),
                                        full=False)


@router.put("/carts/{cart_id}/loyalty", response_model=CartOut,
            summary="Put the shopper's loyalty card (its QR or printed number) on their "
            "basket; wrong ones count to the lockout")
def basket_card(cart_id: str, body: LoyaltyCardIn, db: DbDep, settings: SettingsDep,
                caller: MaybeStaffDep) -> CartOut:
    """How a kiosk or web basket gets its customer: by a card the shopper holds
    (``customer_id`` from those devices is refused)."""
    parsed, number = cards.read_card(body.code)
    with code_attempt(db, settings, caller.device_id, **cards.card_target(parsed, number)):
        number = cards.checked_number(parsed, number, settings.resolved_secret)
        with db.write() as session:
            cart = cards.attach_to_basket(session, caller=caller, cart_id=cart_id,
                                          customer=service.by_card(session, number))
            return cart_out(session, cart, settings)


@router.get("/credit/{card_number}", response_model=CreditOut,
            summary="Balance of a store-credit or gift card (till; wrong numbers count to "
            "the lockout, per till and per card)")
def credit(card_number: str, db: DbDep, settings: SettingsDep, caller: TillDep) -> CreditOut:
    """A till only, card in hand: the web shop checks a gift card with its PIN
    (``POST /v1/giftcards/balance``), a kiosk not at all."""
    card_number = normalise(card_number)
    with code_attempt(db, settings, caller.device_id, target_key("card", card_number)), \
            db.read() as session:
        return payments.credit_out(session, card_number)
