"""Selling gift cards, checking their balance, and the PIN a web payment needs.

A card's balance is a store-credit account of kind ``gift_card``
(:mod:`core.payments.service` spends it); this module adds what makes a card
safe to sell: a random number (:mod:`core.giftcards.numbers`), a PIN for use
without the card in hand, and the lockout on every look-up and PIN, counted
per device and per card so neither one web shop session nor many devices can
walk the numbers or the PINs.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from core.auth.lockout import code_attempt, target_key
from core.auth.service import hash_pin, verify_pin
from core.caller import Caller
from core.customers.cards import looks_like_card_number
from core.db import Database
from core.giftcards import numbers
from core.giftcards.models import GiftCard
from core.payments.models import StoreCreditAccount
from core.payments.service import credit_balance, issue_credit
from core.problems import Forbidden, InvalidInput, NotFound, Unauthorized
from core.settings import CoreSettings
from shared.schemas.enums import DeviceKind, Tender
from shared.schemas.orders import PaymentIn
from shared.schemas.returns import CreditOut


def issue(session: Session, *, amount_cents: int, reference: str, number: str | None = None,
          pin: str | None = None) -> tuple[str, str]:
    """Sell a card: a fresh random number and PIN unless given (the demo's are
    fixed so its README can name them). Returns both, to print on the card."""
    number = number or numbers.new_number()
    pin = pin or numbers.new_pin()
    if not numbers.is_valid(number):
        raise InvalidInput("That is not a gift-card number.", code="invalid_card_number")
    issue_credit(session, card_number=number, amount_cents=amount_cents,
                 reason="gift card sold", reference=reference, kind="gift_card")
    session.add(GiftCard(card_number=number, pin_hash=hash_pin(pin)))
    return number, pin


def _wrong_pin() -> Unauthorized:
    # One answer for an unknown card and a wrong PIN: a web shopper learns nothing
    # about which numbers exist.
    return Unauthorized("That card number and PIN do not match a gift card.",
                        code="wrong_card_pin")


def _check_typo(number: str) -> None:
    """A mistyped digit names no card: said as such, without counting."""
    if numbers.looks_like_gift_card(number) and not numbers.is_valid(number):
        raise InvalidInput("That gift-card number has a typo (its last digit does not "
                           "match); please check it.", code="card_number_typo")


def _verify(session: Session, number: str, pin: str | None, *, pin_needed: bool) -> None:
    """``pin_needed``: off a till. A gift card then needs its PIN whatever tender
    it is named as (store credit included), so the tender cannot skip the PIN."""
    account = session.get(StoreCreditAccount, number)
    if account is None:
        raise _wrong_pin() if pin is not None else NotFound(
            "That card is not known.", code="card_not_found")
    if not pin_needed or account.kind != "gift_card":
        return
    card = session.get(GiftCard, number)
    if card is None or pin is None or not verify_pin(pin, card.pin_hash):
        raise _wrong_pin()


def balance(db: Database, settings: CoreSettings, *, caller: Caller, card_number: str,
            pin: str | None) -> CreditOut:
    """A balance check: the web shop gives the PIN, a till has the card in hand.
    Every check is charged to the device and to the card before it is made."""
    if caller.device_kind not in (DeviceKind.POS, DeviceKind.WEB):
        raise Forbidden("Gift cards are checked at a till or in the web shop.",
                        code="wrong_device_for_code")
    number = numbers.normalise(card_number)
    _check_typo(number)
    pin_needed = caller.device_kind is not DeviceKind.POS
    if pin_needed and not pin:
        raise InvalidInput("Give the PIN under the card's scratch panel.",
                           code="card_pin_required")
    with code_attempt(db, settings, caller.device_id, target_key("card", number)), \
            db.read() as session:
        _verify(session, number, pin, pin_needed=pin_needed)
        account = session.get(StoreCreditAccount, number)
        assert account is not None
        return CreditOut(card_number=account.card_number, kind=account.kind,
                         balance_cents=credit_balance(session, number))


def guard_card_payments(db: Database, settings: CoreSettings, *, caller: Caller,
                        payments: Sequence[PaymentIn]) -> None:
    """Before a web payment by gift card or store credit is taken: the card must
    exist and, for a gift card, its PIN must match, under the lockout per device
    and per card. A till is not asked: the card is in the cashier's hand."""
    if caller.device_kind is DeviceKind.POS:
        return
    for payment in payments:
        if payment.tender not in (Tender.GIFT_CARD, Tender.STORE_CREDIT) \
                or not payment.card_number:
            continue
        number = numbers.normalise(payment.card_number)
        _check_typo(number)
        if looks_like_card_number(number):
            # Store credit refunded onto a loyalty card has no PIN, and card numbers are
            # sequential: it is spent at a till, card shown. Said before any look-up,
            # so the answer tells nothing about which cards hold credit.
            raise Forbidden("Store credit on a loyalty card is spent in store: show the card "
                            "at a till.", code="credit_in_store_only")
        gift = payment.tender is Tender.GIFT_CARD
        if gift and not payment.card_pin:
            raise InvalidInput("Give the PIN under the card's scratch panel.",
                               code="card_pin_required")
        with code_attempt(db, settings, caller.device_id, target_key("card", number)), \
                db.read() as session:
            _verify(session, number, payment.card_pin, pin_needed=True)
