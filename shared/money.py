"""Money in integer minor units (cents), VAT-inclusive prices, and rounding.

Every amount in Omnitill is an ``int`` of minor units from the database to the
screen; floats never touch money. Rounding is half away from zero (the rule
Italian fiscal receipts and most EU tax authorities use), applied once per
computed figure, never to intermediate values.
"""

from __future__ import annotations

from collections.abc import Sequence

from babel.numbers import format_currency

__all__ = [
    "POINT_VALUE_CENTS",
    "allocate",
    "format_money",
    "percent_of",
    "round_div",
    "vat_breakdown",
    "vat_included",
]

POINT_VALUE_CENTS = 1
"""What one loyalty point is worth as a tender: 100 points are 1 €."""


def round_div(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half away from zero, in integers."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    sign = -1 if numerator < 0 else 1
    quotient, remainder = divmod(abs(numerator), denominator)
    if remainder * 2 >= denominator:
        quotient += 1
    return sign * quotient


def vat_included(gross_cents: int, rate_bp: int) -> int:
    """The VAT contained in a VAT-inclusive amount (rate in basis points: 2200 = 22 %)."""
    if rate_bp < 0:
        raise ValueError("VAT rate cannot be negative")
    return round_div(gross_cents * rate_bp, 10_000 + rate_bp)


def percent_of(amount_cents: int, percent_bp: int) -> int:
    """``percent_bp`` basis points of an amount (1000 = 10 %), rounded."""
    return round_div(amount_cents * percent_bp, 10_000)


def allocate(amount_cents: int, weights: Sequence[int]) -> list[int]:
    """Split ``amount_cents`` over ``weights`` so the parts add up exactly.

    Largest remainder method: an order-level discount spread over lines must
    sum to the discount to the cent, or the receipt and the ledger disagree.
    """
    total = sum(weights)
    if amount_cents == 0 or total == 0:
        return [0] * len(weights)
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    raw = [amount_cents * w for w in weights]
    parts = [r // total for r in raw]
    short = amount_cents - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(raw[i] % total), i))
    for i in by_remainder[:short]:
        parts[i] += 1
    return parts


def vat_breakdown(lines: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """``(rate_bp, gross, vat)`` per rate for ``(gross_cents, rate_bp)`` lines.

    VAT is computed on each rate's total, not summed from rounded line
    figures: that is how a fiscal receipt states it and avoids cents of drift.
    """
    gross_by_rate: dict[int, int] = {}
    for gross, rate in lines:
        gross_by_rate[rate] = gross_by_rate.get(rate, 0) + gross
    return [
        (rate, gross, vat_included(gross, rate))
        for rate, gross in sorted(gross_by_rate.items(), reverse=True)
    ]


def format_money(cents: int, currency: str = "EUR", locale: str = "it_IT") -> str:
    """Format for people (screen, receipt) in the store's locale: ``12,50 €``."""
    return format_currency(cents / 100, currency, locale=locale)
