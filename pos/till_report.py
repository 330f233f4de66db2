"""The X and Z report as text: on screen and on the receipt printer alike, laid
out at the width it is shown or printed at (a 58 mm printer has 32 columns).

A *blind* X report is the cashier's: the drawer is counted blind, so it leaves
out the expected cash and every figure that adds up to it (cash sales, cash
refunds, the totals, from which card and other tenders would give cash back).
Cash in and out stay: the cashier made them. Supervisors see everything."""

from __future__ import annotations

from collections.abc import Callable

from shared.i18n import N_
from shared.receipt import WIDTH, rows, wrap
from shared.schemas.tills import TillReport

TENDERS = {"cash": N_("Cash"), "card": N_("Card"), "store_credit": N_("Store credit"),
           "gift_card": N_("Gift card"), "loyalty_points": N_("Loyalty points"),
           "exchange_credit": N_("Exchange credit")}
"""The returns desk and the exchange say these in the till's language."""


def report_lines(report: TillReport, money: Callable[[int], str],
                 timestamp: Callable[[object], str] = str, width: int = WIDTH, *,
                 blind: bool = False) -> list[str]:
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
    cash_hidden = blind and report.kind == "X"
    for total in report.sales:
        if cash_hidden and total.tender == "cash":
            continue
        lines += row(f"Sales {TENDERS.get(total.tender, total.tender)} ({total.count})",
                     money(total.amount_cents))
    for total in report.refunds:
        if cash_hidden and total.tender == "cash":
            continue
        lines += row(f"Refunds {TENDERS.get(total.tender, total.tender)} ({total.count})",
                     signed(-total.amount_cents))
    lines += [*row("Cash in", money(report.cash_in_cents)),
              *row("Cash out", signed(-report.cash_out_cents)),
              "-" * width]
    if cash_hidden:
        return [*lines, *wrap("Cash sales and the expected cash show after the count "
                              "(blind count).", width)]
    lines += [*row("Sales total", money(report.sales_cents)),
              *row("Refunds total", signed(-report.refunds_cents)),
              *row("Expected cash in drawer", money(report.expected_cash_cents))]
    if report.counted_cents is not None:
        lines += [*row("Counted cash", money(report.counted_cents)),
                  *row("Variance", signed(report.variance_cents or 0, plus="+"))]
        if report.approved_by:
            lines += wrap(f"Variance approved by {report.approved_by}", width)
    return lines
