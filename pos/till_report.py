"""The X and Z report as text: on screen and on the receipt printer alike, laid
out at the width it is shown or printed at (a 58 mm printer has 32 columns)."""

from __future__ import annotations

from collections.abc import Callable

from shared.receipt import WIDTH, rows, wrap
from shared.schemas.tills import TillReport

TENDERS = {"cash": "Cash", "card": "Card", "store_credit": "Store credit",
           "gift_card": "Gift card", "loyalty_points": "Loyalty points"}


def report_lines(report: TillReport, money: Callable[[int], str],
                 timestamp: Callable[[object], str] = str, width: int = WIDTH) -> list[str]:
    def signed(cents: int, plus: str = "") -> str:
        """``-5,00`` for money out, ``plus`` before money in, a bare ``0,00``."""
        return "-" + money(-cents) if cents < 0 else (plus if cents else "") + money(cents)

    title = "Z REPORT — till closed" if report.kind == "Z" else "X REPORT — till open"
    def row(left: str, right: str) -> list[str]:
        return rows(left, right, width)

    lines = [*wrap(title, width),
             *wrap(f"{report.store} · {report.till} · session {report.session_id}", width),
             *wrap(f"Opened {timestamp(report.opened_at)} by {report.opened_by}", width)]
    if report.closed_at is not None:
        lines += wrap(f"Closed {timestamp(report.closed_at)} by {report.closed_by}", width)
    lines += ["-" * width, *row("Opening float", money(report.float_cents))]
    for total in report.sales:
        lines += row(f"Sales {TENDERS.get(total.tender, total.tender)} ({total.count})",
                     money(total.amount_cents))
    for total in report.refunds:
        lines += row(f"Refunds {TENDERS.get(total.tender, total.tender)} ({total.count})",
                     signed(-total.amount_cents))
    lines += [*row("Cash in", money(report.cash_in_cents)),
              *row("Cash out", signed(-report.cash_out_cents)),
              "-" * width,
              *row("Sales total", money(report.sales_cents)),
              *row("Refunds total", signed(-report.refunds_cents)),
              *row("Expected cash in drawer", money(report.expected_cash_cents))]
    if report.counted_cents is not None:
        lines += [*row("Counted cash", money(report.counted_cents)),
                  *row("Variance", signed(report.variance_cents or 0, plus="+"))]
        if report.approved_by:
            lines += wrap(f"Variance approved by {report.approved_by}", width)
    return lines
