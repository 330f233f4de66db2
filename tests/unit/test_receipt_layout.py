"""Receipt layout, before any printer: wrapped never cut, figures that add up,
copies marked, a return receipt the customer can read, any paper width."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from pos.till_report import report_lines
from shared.money import format_money
from shared.receipt import receipt_lines, return_receipt_lines
from tests.unit.receipt_samples import (
    COFFEE,
    MOKA,
    SOCKS,
    STORE,
    refunded_return,
    sale,
    till_report,
)

WIDTHS = (32, 42, 48)
AMOUNT = re.compile(r"\s(-?[\d.]+,\d\d)\s€$")


def _cents(text: str) -> int:
    return int(text.replace(".", "").replace(",", "").replace("-", "")) * \
        (-1 if text.startswith("-") else 1)


def _flat(lines: list[str]) -> str:
    """The receipt as running text, whatever the wrapping."""
    return " ".join(" ".join(lines).replace("\xa0", " ").split())


def _words(lines: list[str]) -> str:
    """The running text without the amounts' column: a wrapped name reads whole."""
    return _flat([AMOUNT.sub("", line) for line in lines])


@pytest.mark.parametrize("width", WIDTHS)
def test_long_names_and_the_address_wrap_at_words_never_cut(width: int) -> None:
    lines = receipt_lines(sale(), STORE, width=width)
    assert all(len(line) <= width for line in lines), [x for x in lines if len(x) > width]
    text = _words(lines)
    for whole in (COFFEE, SOCKS, MOKA, STORE.address, STORE.name):
        assert whole in text
    # An amount stays on its line, right-aligned, with its currency.
    assert "6,90 €" in _flat(lines)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_right_column_of_the_items_adds_up_to_the_total(width: int) -> None:
    """Each item at full price, each discount its own negative line: 63,02 is what
    the column says, not the net prices with the discounts taken off again."""
    order = sale()
    lines = receipt_lines(order, STORE, width=width)
    rules = [i for i, line in enumerate(lines) if set(line) == {"-"}]
    items = lines[rules[0] + 1:rules[1]]
    column = [_cents(m.group(1)) for line in items
              if len(line) == width and (m := AMOUNT.search(line))]
    assert sum(column) == order.total_cents == 6302
    assert any("sconto" in line and "-2,58" in line for line in items)
    assert any("promozione WELCOME10" in line for line in items)


def test_a_reprint_says_copia_and_when() -> None:
    at = datetime(2025, 5, 12, 13, 0, tzinfo=UTC)  # 15:00 in Milan
    first = receipt_lines(sale(), STORE)
    again = receipt_lines(sale(), STORE, copy_at=at)
    assert "COPIA" not in _flat(first)
    assert "COPIA" in _flat(again) and "ristampa del 12/05/2025 15:00" in _flat(again)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_return_receipt_reads_as_a_document_the_customer_keeps(width: int) -> None:
    ret, items = refunded_return()
    lines = return_receipt_lines(ret, STORE, width=width, items=items)
    text = _flat(lines)
    assert all(len(line) <= width for line in lines)
    assert STORE.address in text and "20/05/2025 18:45" in text  # where and when
    assert SOCKS in _words(lines) and MOKA in _words(lines)  # names, not SKUs
    assert "AB-CAL-39" not in text
    assert "integro" in text and "danneggiato" in text and "resellable" not in text
    assert "IVA 22% su 46,36 € 8,36 €" in text  # the refund's VAT per rate
    assert "Carta 30,00 €" in text and "Contanti restituiti 16,36 €" in text
    assert "Scontrino originale MI01-000123" in text and "Firma del cliente" in text


def test_the_return_window_printed_is_the_stores() -> None:
    franchise = STORE.model_copy(update={"return_window_days": 14})
    assert "Reso entro 14 giorni" in _flat(receipt_lines(sale(), franchise))


@pytest.mark.parametrize("kind", ["X", "Z"])
def test_till_reports_fit_a_58_mm_printer(kind: str) -> None:
    lines = report_lines(till_report(kind), format_money, str, 32)
    assert all(len(line) <= 32 for line in lines), [x for x in lines if len(x) > 32]
    assert "Expected cash in drawer 887,42 €" in _flat(lines)
