"""The X and Z report as text: on screen and on the receipt printer alike."""

from __future__ import annotations

from collections.abc import Callable

from shared.receipt import WIDTH, row
from shared.schemas.tills import TillReport

TENDERS = {"cash": "Cash", "card": "Card", "store_credit": "Store credit",
           "gift_card": "Gift card", "loyalty_points": "Loyalty points"}


def report_lines(report: TillReport, money: Callable[[int], str],
                 timestamp: Callable[[object], str] = str) -> list[str]:
    def signed(cents: int, plus: str = "") -> str:
        """``-5,00`` for money out, ``plus`` before money in, a bare ``0,00``."""
        return "-" + money(-cents) if cents < 0 else (plus if cents else "") + money(cents)

    title = "Z REPORT — till closed" if report.kind == "Z" else "X REPORT — till open"
    lines = [title, f"{report.store} · {report.till} · session {report.session_id}",
             f"Opened {timestamp(report.opened_at)} by {report.opened_by}"]
    if report.closed_at is not None:
        lines.append(f"Closed {timestamp(report.closed_at)} by {report.closed_by}")
    lines += ["-" * WIDTH, row("Opening float", money(report.float_cents))]
    for total in report.sales:
        lines.append(row(f"Sales {TENDERS.get(total.tender, total.tender)} ({total.count})",
                         money(total.amount_cents)))
    for total in report.refunds:
        lines.append(row(f"Refunds {TENDERS.get(total.tender, total.tender)} ({total.count})",
                         signed(-total.amount_cents)))
    lines += [row("Cash in", money(report.cash_in_cents)),
              row("Cash out", signed(-report.cash_out_cents)),
              "-" * WIDTH,
              row("Sales total", money(report.sales_cents)),
              row("Refunds total", signed(-report.refunds_cents)),
              row("Expected cash in drawer", money(report.expected_cash_cents))]
    if report.counted_cents is not None:
        lines += [row("Counted cash", money(report.counted_cents)),
                  row("Variance", signed(report.variance_cents or 0, plus="+"))]
        if report.approved_by:
            lines.append(f"Variance approved by {report.approved_by}")
    return lines
