"""The X and Z report as text: on screen and on the receipt printer alike."""

from __future__ import annotations

from collections.abc import Callable

from shared.schemas.tills import TillReport

TENDERS = {"cash": "Cash", "card": "Card", "store_credit": "Store credit",
           "gift_card": "Gift card", "loyalty_points": "Loyalty points"}
WIDTH = 42


def _row(left: str, right: str) -> str:
    return f"{left:<{WIDTH - len(right) - 1}} {right}"


def _minus(money: Callable[[int], str], cents: int) -> str:
    return "-" + money(cents) if cents else money(0)


def report_lines(report: TillReport, money: Callable[[int], str],
                 timestamp: Callable[[object], str] = str) -> list[str]:
    title = "Z REPORT — till closed" if report.kind == "Z" else "X REPORT — till open"
    lines = [title, f"{report.store} · {report.till} · session {report.session_id}",
             f"Opened {timestamp(report.opened_at)} by {report.opened_by}"]
    if report.closed_at is not None:
        lines.append(f"Closed {timestamp(report.closed_at)} by {report.closed_by}")
    lines += ["-" * WIDTH, _row("Opening float", money(report.float_cents))]
    for total in report.sales:
        lines.append(_row(f"Sales {TENDERS.get(total.tender, total.tender)} ({total.count})",
                          money(total.amount_cents)))
    for total in report.refunds:
        lines.append(_row(f"Refunds {TENDERS.get(total.tender, total.tender)} ({total.count})",
                          _minus(money, total.amount_cents)))
    lines += [_row("Cash in", money(report.cash_in_cents)),
              _row("Cash out", _minus(money, report.cash_out_cents)),
              "-" * WIDTH,
              _row("Sales total", money(report.sales_cents)),
              _row("Refunds total", _minus(money, report.refunds_cents)),
              _row("Expected cash in drawer", money(report.expected_cash_cents))]
    if report.counted_cents is not None:
        variance = report.variance_cents or 0
        lines += [_row("Counted cash", money(report.counted_cents)),
                  _row("Variance", ("+" if variance > 0 else "") + money(variance)
                       if variance >= 0 else "-" + money(-variance))]
        if report.approved_by:
            lines.append(f"Variance approved by {report.approved_by}")
    return lines
