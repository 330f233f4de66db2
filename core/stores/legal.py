"""The legal entity behind a store: who issues its receipts.

An own store belongs to the chain's company; a franchise and a multibrand
partner are companies of their own, with their own name and P.IVA, and their
receipts must say so. The P.IVA (Italian VAT number) is checked by its check
digit wherever it is entered, so a typo is refused instead of printed on every
receipt of the day.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from core.problems import InvalidInput, NotFound
from core.stores.models import Location

__all__ = ["format_partita_iva", "is_valid_partita_iva", "partita_iva_check_digit",
           "set_legal_entity"]

_DIGITS = re.compile(r"^[0-9]{11}$")


def partita_iva_check_digit(first10: str) -> int:
    """The 11th digit of a P.IVA (Agenzia delle Entrate's algorithm, the Luhn
    scheme): digits in odd places as they are, digits in even places doubled
    (less 9 above 9), and the check digit makes the sum a multiple of 10."""
    if len(first10) != 10 or not first10.isdigit():
        raise ValueError("a P.IVA body is 10 digits")
    total = 0
    for place, char in enumerate(first10, start=1):
        digit = int(char)
        if place % 2 == 0:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return (10 - total % 10) % 10


def is_valid_partita_iva(number: str) -> bool:
    """True for 11 digits (an ``IT`` prefix and spaces allowed) with the right
    check digit; all zeros is not a number anyone is given."""
    digits = _normalised(number)
    return (bool(_DIGITS.match(digits)) and digits != "0" * 11
            and partita_iva_check_digit(digits[:10]) == int(digits[10]))


def format_partita_iva(number: str) -> str:
    """As stored and printed: the 11 digits, no prefix; a wrong one is refused."""
    digits = _normalised(number)
    if not is_valid_partita_iva(digits):
        raise ValueError(f"{number!r} is not a valid P.IVA (11 digits, the last one a check "
                         "digit)")
    return digits


def _normalised(number: str) -> str:
    digits = number.replace(" ", "").upper()
    return digits[2:] if digits.startswith("IT") else digits


def set_legal_entity(session: Session, *, code: str, legal_name: str, vat_number: str,
                     legal_address: str = "") -> Location:
    """Give a store the company that issues its receipts (``omnitill store legal``);
    a P.IVA whose check digit is wrong is refused, not printed."""
    store = session.get(Location, code.upper())
    if store is None:
        raise NotFound(f"There is no store {code.upper()!r}.", code="store_not_found")
    name, address = " ".join(legal_name.split()), " ".join(legal_address.split())
    if not name or len(name) > 120 or len(address) > 200:
        raise InvalidInput("Give the legal name (up to 120 characters) and, if any, the "
                           "registered office (up to 200).", code="invalid_legal_entity")
    try:
        store.vat_number = format_partita_iva(vat_number)
    except ValueError as exc:
        raise InvalidInput(f"{vat_number!r} is not a valid P.IVA: 11 digits, the last one a "
                           "check digit.", code="invalid_vat_number") from exc
    store.legal_name, store.legal_address = name, address
    return store
