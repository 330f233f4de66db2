"""Prices, discounts, promotions and VAT: the same arithmetic for every channel.

Unit prices are VAT-inclusive catalog prices (never a client's figure). A line
discount comes first, then an order-level promotion spread over the lines in
proportion to their value, to the cent; VAT is stated per rate on the rate's
total (see :func:`shared.money.vat_breakdown`).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.problems import InvalidInput
from shared.money import allocate, percent_of, vat_breakdown, vat_included


@dataclass(frozen=True, slots=True)
class Promotion:
    code: str
    percent_bp: int = 0
    min_total_cents: int = 0
    description: str = ""


PROMOTIONS: dict[str, Promotion] = {
    "WELCOME10": Promotion("WELCOME10", 1000, 0, "10 % off a first order"),
    "SPEND100": Promotion("SPEND100", 1500, 10_000, "15 % off orders of 100 € or more"),
}
"""Promotions apply identically in every channel (a promise to the shopper)."""


@dataclass(slots=True)
class PricedLine:
    sku: str
    name: str
    qty: int
    unit_price_cents: int
    vat_rate_bp: int
    discount_cents: int = 0
    promo_discount_cents: int = 0

    @property
    def gross_cents(self) -> int:
        return self.unit_price_cents * self.qty

    @property
    def total_cents(self) -> int:
        return self.gross_cents - self.discount_cents - self.promo_discount_cents

    @property
    def tax_cents(self) -> int:
        return vat_included(self.total_cents, self.vat_rate_bp)


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal_cents: int
    discount_cents: int
    total_cents: int
    tax_cents: int
    breakdown: list[dict[str, int]]


def line_discount(gross_cents: int, percent: int, amount_cents: int) -> int:
    discount = percent_of(gross_cents, percent * 100) + amount_cents
    if discount > gross_cents:
        raise InvalidInput("A discount cannot be more than the line is worth.",
                           code="discount_too_large")
    return discount


def apply_promotion(lines: list[PricedLine], code: str | None) -> Promotion | None:
    if not code:
        return None
    promotion = PROMOTIONS.get(code.upper())
    if promotion is None:
        raise InvalidInput(f"The promotion code {code} is not valid.", code="unknown_promotion")
    after_line_discounts = [line.gross_cents - line.discount_cents for line in lines]
    base = sum(after_line_discounts)
    if base < promotion.min_total_cents:
        return None
    parts = allocate(percent_of(base, promotion.percent_bp), after_line_discounts)
    for line, part in zip(lines, parts, strict=True):
        line.promo_discount_cents = part
    return promotion


def total_and_tax(parts: list[tuple[int, int, int, int]]) -> tuple[int, int]:
    """What a basket comes to and the VAT in it, from ``(gross_cents, vat_rate_bp,
    discount_percent, discount_cents)`` parts: a line each, or lines without a
    discount summed per rate (a line discount is rounded line by line, an
    undiscounted line's total is its gross, and VAT is reckoned on each rate's
    total: the parts give the figures :func:`totals` gives for the lines)."""
    breakdown = vat_breakdown([(gross - line_discount(gross, percent, amount), rate)
                               for gross, rate, percent, amount in parts])
    return sum(gross for _, gross, _ in breakdown), sum(vat for _, _, vat in breakdown)


def totals(lines: list[PricedLine]) -> Totals:
    subtotal = sum(line.gross_cents for line in lines)
    total = sum(line.total_cents for line in lines)
    breakdown = vat_breakdown([(line.total_cents, line.vat_rate_bp) for line in lines])
    return Totals(
        subtotal_cents=subtotal,
        discount_cents=subtotal - total,
        total_cents=total,
        tax_cents=sum(vat for _, _, vat in breakdown),
        breakdown=[{"rate_bp": r, "gross_cents": g, "tax_cents": t} for r, g, t in breakdown],
    )
