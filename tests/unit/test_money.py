"""Money: integer cents, VAT-inclusive prices, rounding that adds up."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.money import allocate, format_money, percent_of, round_div, vat_breakdown, vat_included


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(5, 2, 3), (-5, 2, -3), (4, 2, 2), (7, 3, 2), (-7, 3, -2), (1, 3, 0), (0, 5, 0)],
)
def test_round_div_rounds_half_away_from_zero(numerator: int, denominator: int, expected: int
                                              ) -> None:
    assert round_div(numerator, denominator) == expected


def test_vat_contained_in_gross_prices() -> None:
    assert vat_included(12_200, 2200) == 2_200  # 100.00 + 22 %
    assert vat_included(1_990, 2200) == 359  # 19.90 * 22/122 = 3.5885...
    assert vat_included(1_100, 1000) == 100
    assert vat_included(1_040, 400) == 40
    assert vat_included(0, 2200) == 0
    assert vat_included(-1_990, 2200) == -359  # a refund mirrors the sale


def test_vat_breakdown_is_computed_per_rate_on_the_rate_total() -> None:
    lines = [(1_990, 2200), (1_990, 2200), (350, 1000), (1_200, 400)]
    assert vat_breakdown(lines) == [(2200, 3_980, 718), (1000, 350, 32), (400, 1_200, 46)]


def test_percent_of_rounds_once() -> None:
    assert percent_of(1_995, 1000) == 200  # 199.5 -> 200
    assert percent_of(1_990, 1500) == 299  # 298.5 -> 299


@given(
    amount=st.integers(min_value=0, max_value=10**8),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30),
)
def test_allocate_always_adds_up_and_stays_proportional(amount: int, weights: list[int]) -> None:
    parts = allocate(amount, weights)
    if sum(weights) == 0:
        assert parts == [0] * len(weights)
        return
    assert sum(parts) == amount
    total = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - amount * weight / total) < 1


def test_format_money_follows_the_locale() -> None:
    assert format_money(1_990) == "19,90\xa0€"
    assert format_money(1_990, locale="en_GB") == "€19.90"
    assert format_money(123_456, locale="it_IT") == "1.234,56\xa0€"
