"""The exchange receipt: one paper for a swap at the till.

It says what came back (with its value, as a minus), what was bought, and the
one figure the shopper cares about: the difference, paid (by which tender, with
change) or given back (to which tender). In Italian, as the sale receipt.
"""

from __future__ import annotations

from datetime import datetime

from shared.receipt import (
    INDENT,
    TENDER_NAMES,
    WIDTH,
    _copy,
    _header,
    _money,
    _non_fiscal,
    _vat,
    _when,
    centred,
    rows,
)
from shared.schemas.catalog import StoreOut
from shared.schemas.exchanges import ExchangeOut

__all__ = ["exchange_receipt_lines"]


def exchange_receipt_lines(done: ExchangeOut, store: StoreOut, *, locale: str = "it_IT",
                           width: int = WIDTH, copy_at: datetime | None = None) -> list[str]:
    order, ret = done.order, done.returned
    money = _money(order.currency, locale)
    rule = "-" * width
    lines = [*_header(store, width), *_non_fiscal(width),
             *centred(f"Cambio {order.number}", width),
             *centred(f"reso {ret.number}" + (f" da {ret.order_number}" if ret.order_number
                                              else ""), width),
             *centred(_when(order.created_at, store), width), *_copy(copy_at, store, width),
             rule, "RESO"]
    for item in done.returned_lines:
        lines += rows(f"-{item.qty} x {item.name}", "-" + money(item.amount_cents), width)
    lines += [*rows("Totale reso", "-" + money(ret.refund_cents), width), rule, "ACQUISTO"]
    for line in order.lines:
        lines += rows(f"{line.qty} x {line.name}", money(line.unit_price_cents * line.qty),
                      width)
        if line.discount_cents or line.promo_discount_cents:
            lines += rows(f"{INDENT}sconto",
                          "-" + money(line.discount_cents + line.promo_discount_cents), width)
    lines += rows("Totale acquisto", money(order.total_cents), width)
    for tax in order.tax_breakdown:
        lines += _vat(tax.rate_bp, money(tax.gross_cents), money(tax.tax_cents), width)
    lines.append(rule)
    difference = done.difference_cents
    if difference > 0:
        lines += rows("DIFFERENZA DA PAGARE", money(difference), width)
    elif difference < 0:
        lines += rows("DIFFERENZA RESA", "-" + money(-difference), width)
    else:
        lines += rows("DIFFERENZA", money(0), width)
    for payment in order.payments:
        if payment.status == "approved" and payment.tender != "exchange_credit":
            cash = payment.tender == "cash"
            lines += rows(TENDER_NAMES.get(payment.tender, payment.tender),
                          money((payment.tendered_cents or payment.amount_cents) if cash
                                else payment.amount_cents), width)
    if order.change_cents:
        lines += rows("Resto", money(order.change_cents), width)
    for part in done.refunds:
        name = TENDER_NAMES.get(part.tender, part.tender)
        lines += rows(f"Reso a {name}", "-" + money(part.amount_cents), width)
        if part.card_number:
            lines.append(f"{INDENT}carta {part.card_number}")
    if ret.points_clawed_back:
        lines += rows("Punti stornati", f"-{ret.points_clawed_back}", width)
    if order.points_earned:
        lines += rows("Punti guadagnati", str(order.points_earned), width)
    lines += ["", *centred("Grazie e arrivederci!", width)]
    return lines
