"""One cell's value, checked: a CSV cell is text, a JSON value may already be a number
or a boolean; both come out as the column's type, or as a :class:`CellError` whose
message says what to write instead."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_INT = 2**31 - 1
"""The largest value an integer column holds on both databases."""

_TRUE = {"true", "1", "yes", "y", "si", "sì"}
_FALSE = {"false", "0", "no", "n"}
_SKU = re.compile(r"^[A-Z0-9][A-Z0-9\-]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class CellError(ValueError):
    """What is wrong with one cell, said for the person who fixes the file."""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any, *, longest: int, required: bool = False) -> str:
    if type(value) is str:  # a CSV cell: the usual case, 600,000 times a catalog
        found = value.strip()
    elif isinstance(value, bool | dict | list):
        raise CellError("This should be text.")
    else:
        found = "" if value is None else str(value).strip()
    if required and not found:
        raise CellError("This cannot be empty.")
    if len(found) > longest:
        raise CellError(f"At most {longest} characters ({len(found)} given).")
    return found


def optional_text(value: Any, *, longest: int) -> str | None:
    return text(value, longest=longest) or None


def integer(value: Any, *, low: int = 0, high: int = MAX_INT, cents: bool = False) -> int:
    """A whole number; ``cents``: a money amount in minor units, so ``19.90`` gets a
    message saying to write ``1990``."""
    if type(value) is str and value.isascii() and value.isdigit():
        number = int(value)  # a CSV cell of plain digits: the usual case
    elif isinstance(value, bool) or is_blank(value):
        raise CellError("This needs a whole number." if not cents else
                        "This needs an amount in cents, e.g. 1990 for 19.90.")
    elif isinstance(value, int):
        number = value
    else:
        raw = str(value).strip()
        try:
            exact = Decimal(raw.replace(",", ".") if cents else raw)
        except InvalidOperation:
            raise CellError(f"{raw!r} is not a number.") from None
        # "18.00" in a cents column is 18.00 euros, never 18 cents.
        decimal = cents and ("." in raw or "," in raw)
        if not exact.is_finite() or exact != exact.to_integral_value() or decimal:
            if cents and exact.is_finite():
                raise CellError(f"Amounts are in cents (minor units): write "
                                f"{int((exact * 100).to_integral_value())} for {raw}.")
            raise CellError(f"{raw!r} is not a whole number.")
        number = int(exact)
    if number < low == 0:
        raise CellError("This cannot be negative.")
    if not low <= number <= high:
        raise CellError(f"{number} is out of range ({low} to {high}).")
    return number


def boolean(value: Any, *, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if is_blank(value):
        return default
    word = str(value).strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise CellError(f"{value!r} is not true or false (write true/false, yes/no or 1/0).")


def sku(value: Any) -> str:
    found = text(value, longest=32, required=True).upper()
    if not _SKU.match(found):
        raise CellError(f"{found!r} is not a SKU: letters, digits and '-' only, so it fits "
                        "a shelf label's code.")
    return found


def email(value: Any) -> str | None:
    found = text(value, longest=120).lower()
    if found and not _EMAIL.match(found):
        raise CellError(f"{found!r} is not an email address.")
    return found or None
