"""Documents to print: a sale with long Italian names, discounts and a promotion,
a split-tender sale, a refunded return, X and Z reports. Figures add up the way
the core computes them (line total = price x qty - discount - promotion)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from shared.money import vat_breakdown, vat_included
from shared.receipt import ReturnItem
from shared.schemas.catalog import StoreOut
from shared.schemas.orders import OrderOut
from shared.schemas.returns import ReturnOut
from shared.schemas.tills import TillReport

SOLD_AT = datetime(2025, 5, 12, 12, 3, tzinfo=UTC)  # 14:03 in Milan

STORE = StoreOut(code="MI01", name="Portico Milano Duomo", kind="own",
                 address="Corso Vittorio Emanuele II 24, 20122 Milano", city="Milano",
                 timezone="Europe/Rome", currency="EUR", lat=45.46, lon=9.19, has_till=True)

COFFEE = "Caffè macinato · perché più forte — 250 g"
SOCKS = "Calzini in cotone a righe blu, taglia 39-42"
MOKA = "Moka Express 6 tazze alluminio, città: Omegna"
"""Names with every accent the issue lists, one wider than any paper."""

RECEIPT_CODE = "OT1:R:MI01-000123:3f9a1c0b2d"


def _line(no: int, sku: str, name: str, qty: int, price: int, *, discount: int = 0,
          promo: int = 0, rate: int = 2200) -> dict[str, Any]:
    total = price * qty - discount - promo
    return {"line_no": no, "sku": sku, "name": name, "qty": qty, "unit_price_cents": price,
            "discount_cents": discount, "promo_discount_cents": promo, "total_cents": total,
            "vat_rate_bp": rate, "tax_cents": vat_included(total, rate),
            "source_location": "MI01", "qty_picked": 0, "qty_collected": qty,
            "qty_cancelled": 0, "qty_returned": 0}


def _payment(no: int, tender: str, amount: int, tendered: int | None = None) -> dict[str, Any]:
    return {"id": no, "tender": tender, "amount_cents": amount, "tendered_cents": tendered,
            "change_cents": (tendered or amount) - amount, "status": "approved",
            "reference": "", "message": "", "refunded_cents": 0, "created_at": SOLD_AT}


def sale(*, payments: list[dict[str, Any]] | None = None) -> OrderOut:
    """Three lines: coffee (10 % food VAT), two pairs of socks with a line discount,
    a moka pot; WELCOME10 spread over the lines."""
    lines = [_line(1, "FO-CAF-01", COFFEE, 1, 690, promo=69, rate=1000),
             _line(2, "AB-CAL-39", SOCKS, 2, 1290, discount=258, promo=232),
             _line(3, "HO-MOK-06", MOKA, 1, 3990, promo=399)]
    total = sum(line["total_cents"] for line in lines)
    payments = payments or [_payment(1, "cash", total, 10_000)]
    paid = sum(p["amount_cents"] for p in payments)
    change = sum(p["change_cents"] for p in payments)
    breakdown = vat_breakdown([(x["total_cents"], x["vat_rate_bp"]) for x in lines])
    return OrderOut.model_validate({
        "number": "MI01-000123", "channel": "pos", "store": "MI01", "fulfilment": "carry_out",
        "pickup_store": None, "status": "completed", "customer_id": None,
        "customer_name": None, "contact_email": None, "contact_phone": None,
        "delivery_address": None, "currency": "EUR",
        "subtotal_cents": sum(x["unit_price_cents"] * x["qty"] for x in lines),
        "discount_cents": sum(x["discount_cents"] + x["promo_discount_cents"] for x in lines),
        "total_cents": total, "tax_cents": sum(vat for _, _, vat in breakdown),
        "tax_breakdown": [{"rate_bp": r, "gross_cents": g, "tax_cents": t}
                          for r, g, t in breakdown],
        "paid_cents": paid, "due_cents": 0, "change_cents": change, "promotion": "WELCOME10",
        "lines": lines, "payments": payments, "timeline": [], "receipt_code": RECEIPT_CODE,
        "checked_in_at": None, "created_at": SOLD_AT, "points_earned": 62,
        "points_balance": 1240})


def split_sale() -> OrderOut:
    """The same sale paid 50,00 € by card and the rest in cash, with change."""
    total = sale().total_cents
    return sale(payments=[_payment(1, "card", 5000),
                          _payment(2, "cash", total - 5000, 5000)])


def refunded_return() -> tuple[ReturnOut, dict[str, ReturnItem]]:
    """One pair of socks back unworn, the moka pot damaged; part to the card, the
    rest in cash."""
    ret = ReturnOut.model_validate({
        "number": "MI01-R-000045", "order_number": "MI01-000123", "store": "MI01",
        "status": "refunded", "refund_to": "original", "refund_cents": 4636,
        "needs_supervisor": False, "credit_card_number": None,
        "lines": [{"sku": "AB-CAL-39", "qty": 1, "reason": "returns desk",
                   "condition": "resellable", "refund_cents": 1045},
                  {"sku": "HO-MOK-06", "qty": 1, "reason": "returns desk",
                   "condition": "damaged", "refund_cents": 3591}],
        "slip_code": "OT1:S:MI01-R-000045:0a1b2c3d4e", "points_clawed_back": 46,
        "refunds": [{"tender": "card", "amount_cents": 3000},
                    {"tender": "cash", "amount_cents": 1636}],
        "created_at": datetime(2025, 5, 20, 16, 45, tzinfo=UTC)})
    items = {"AB-CAL-39": ReturnItem(SOCKS, 2200), "HO-MOK-06": ReturnItem(MOKA, 2200)}
    return ret, items


def till_report(kind: str = "X") -> TillReport:
    closed = kind == "Z"
    return TillReport.model_validate({
        "kind": kind, "session_id": 7, "store": "MI01", "till": "MI01-POS1",
        "opened_at": datetime(2025, 5, 12, 6, 55, tzinfo=UTC), "opened_by": "Marco Bianchi",
        "closed_at": datetime(2025, 5, 12, 18, 10, tzinfo=UTC) if closed else None,
        "closed_by": "Giulia Rossi" if closed else None,
        "approved_by": "Giulia Rossi" if closed else None, "float_cents": 10_000,
        "sales": [{"tender": "cash", "count": 31, "amount_cents": 128_411},
                  {"tender": "card", "count": 54, "amount_cents": 412_090}],
        "refunds": [{"tender": "cash", "count": 2, "amount_cents": 4_669}],
        "sales_cents": 540_501, "refunds_cents": 4_669, "cash_in_cents": 5_000,
        "cash_out_cents": 50_000, "expected_cash_cents": 88_742,
        "counted_cents": 88_242 if closed else None, "variance_cents": -500 if closed else None,
        "needs_supervisor_over_cents": 500})
