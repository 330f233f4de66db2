"""The digital receipt's link and page without a database: signed codes that do
not bend, and a page that prints whatever a name holds as text, never as markup."""

from __future__ import annotations

from datetime import UTC, datetime
from html import unescape

import core.models  # noqa: F401 - every mapper known, as in the app
from core.orders.models import Order, OrderLine
from core.payments.models import Payment
from core.receipts.links import receipt_code, receipt_url, verified_number
from core.receipts.page import ReceiptPage, render
from core.stores.models import Location

SECRET = b"k" * 40


def test_a_code_names_its_order_and_nothing_else() -> None:
    code = receipt_code(SECRET, "mi01-000123")
    assert code.startswith("MI01-000123-") and len(code) == len("MI01-000123-") + 16
    assert verified_number(SECRET, code) == "MI01-000123"
    assert verified_number(SECRET, code.lower()) == "MI01-000123"
    assert verified_number(b"another secret" * 3, code) is None
    mac = code.rsplit("-", 1)[1]
    assert verified_number(SECRET, f"MI01-000124-{mac}") is None
    assert verified_number(SECRET, code[:-1] + ("A" if code[-1] != "A" else "B")) is None
    for junk in ("", "-", "MI01-000123", "MI01-000123-", "<script>-AAAAAAAAAAAAAAAA"):
        assert verified_number(SECRET, junk) is None


def test_no_public_url_no_link() -> None:
    assert receipt_url("", SECRET, "MI01-000123") is None
    assert receipt_url("https://r.example/", SECRET, "MI01-000123") == \
        f"https://r.example/r/{receipt_code(SECRET, 'MI01-000123')}"


def test_the_page_shows_names_as_text_never_as_markup() -> None:
    name = '<script>alert("x")</script> & "Moka" <b>'
    store = Location(code="MI01", name="Bar <i>Duomo</i>", kind="own", address="Via A & B 1",
                     timezone="Europe/Rome", legal_name="Ditta \"O'Hara\" & C. S.r.l.",
                     vat_number="12345670017", legal_address="")
    order = Order(number="MI01-000123", currency="EUR", total_cents=1000, tax_cents=180,
                  tax_breakdown=[{"rate_bp": 2200, "gross_cents": 1000, "tax_cents": 180}],
                  promotion="<PROMO>", created_at=datetime(2026, 11, 23, 15, 0, tzinfo=UTC))
    order.lines = [OrderLine(line_no=1, name=name, qty=2, unit_price_cents=600,
                             discount_cents=100, promo_discount_cents=100, total_cents=1000)]
    cash = Payment(tender="cash", amount_cents=1000, tendered_cents=2000, change_cents=1000,
                   status="approved", refunded_cents=0)
    page = render(ReceiptPage(order=order, store=store, payments=[cash],
                              return_code="OT1:R:MI01-000123:ABCDEFGHIJ", return_days=30))
    assert "<script>" not in page and "<b>" not in page and "<i>" not in page
    assert "<PROMO>" not in page
    text = unescape(page)
    assert f"2 × {name}" in text and "Bar <i>Duomo</i>" in text
    assert "Ditta \"O'Hara\" & C. S.r.l." in text and "P.IVA 12345670017" in text
    assert "Totale IVA" in text and "Resto" in text and "16:00" in text  # Rome time
