"""Gift-card numbers: 16 digits, random, the last one a Luhn check digit.

Luhn (ISO/IEC 7812) is what payment and gift cards use, so card terminals,
e-commerce forms and staff already know the format; it catches every single
mistyped digit and most swaps before anything is looked up (and so before a
typo counts towards the lockout). The 13 random digits after the ``60``
prefix are drawn from :mod:`secrets`: a number says nothing about the next
one, unlike the old sequential ``GC-2026-0001``.
"""

from __future__ import annotations

import secrets

PREFIX = "60"
LENGTH = 16
PIN_LENGTH = 6


def luhn_check_digit(body: str) -> int:
    """The digit that makes ``body`` + digit pass the Luhn check."""
    total = 0
    for i, char in enumerate(reversed(body)):
        digit = int(char)
        if i % 2 == 0:  # doubled: the rightmost of the body sits left of the check digit
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return (10 - total % 10) % 10


def normalise(text: str) -> str:
    """The spaces printed between groups of four are not part of the number."""
    return text.strip().replace(" ", "")


def is_valid(number: str) -> bool:
    return (len(number) == LENGTH and number.isascii() and number.isdigit()
            and number.startswith(PREFIX)
            and luhn_check_digit(number[:-1]) == int(number[-1]))


def looks_like_gift_card(number: str) -> bool:
    """The shape of a gift-card number, whatever its check digit."""
    return len(number) == LENGTH and number.isascii() and number.isdigit() \
        and number.startswith(PREFIX)


def new_number() -> str:
    body = PREFIX + "".join(secrets.choice("0123456789")
                            for _ in range(LENGTH - len(PREFIX) - 1))
    return body + str(luhn_check_digit(body))


def new_pin() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(PIN_LENGTH))


def printed(number: str) -> str:
    """``6012 3456 7890 1234``: as on the card."""
    return " ".join(number[i:i + 4] for i in range(0, len(number), 4))
