"""The exchange receipt: one paper for a swap at the till.

It says what came back (with its value, as a minus), what was bought, and the
one figure the shopper cares about: the difference, paid (by which tender, with
change) or given back (to which tender). In the receipt language, its legal
words in Italian, as the sale receipt.
"""

from __future__ import annotations

from datetime import datetime

from shared.receipt import (
    INDENT,
    LEGAL_LANGUAGE,
    WIDTH,
    _copy,
    _header,
    _money,
    _non_fiscal,
    _vat,
    _when,
    centred,
    rows,
    tender_name,
    words,
)
from shared.schemas.catalog import StoreOut
from shared.schemas.exchanges import ExchangeOut

__all__ = ["exchange_receipt_lines"]


def exchange_receipt_lines(done: ExchangeOut, store: StoreOut, *, locale: str = "it_IT",
                           width: int = WIDTH, copy_at: datetime | None = None,
                           language: str = LEGAL_LANGUAGE) -> list[str]:
    _ = words(language)
    order, ret = done.order, done.returned
    money = _money(order.currency, locale)
    rule = "-" * width
    returned = (_("return {number} of {receipt}", number=ret.number, receipt=ret.order_number)
                if ret.order_number else _("return {number}", number=ret.number))
    lines = [*_header(store, width), *_non_fiscal(width, language),
             *centred(_("Exchange {number}", number=order.number), width),
             *centred(returned, width),
             *centred(_when(order.created_at, store), width),
             *_copy(copy_at, store, width, language), rule, _("RETURNED")]
    for item in done.returned_lines:
        lines += rows(f"-{item.qty} x {item.name}", "-" + money(item.amount_cents), width)
    lines += [*rows(_("Total returned"), "-" + money(ret.refund_cents), width), rule,
              _("BOUGHT")]
    for line in order.lines:
        lines += rows(f"{line.qty} x {line.name}", money(line.unit_price_cents * line.qty),
                      width)
        if line.discount_cents or line.promo_discount_cents:
            lines += rows(INDENT + _("discount"),
                          "-" + money(line.discount_cents + line.promo_discount_cents), width)
    lines += rows(_("Total bought"), money(order.total_cents), width)
    for tax in order.tax_breakdown:
        lines += _vat(tax.rate_bp, money(tax.gross_cents), money(tax.tax_cents), width)
    lines.append(rule)
    difference = done.difference_cents
    if difference > 0:
        lines += rows(_("DIFFERENCE TO PAY"), money(difference), width)
    elif difference < 0:
        lines += rows(_("DIFFERENCE GIVEN BACK"), "-" + money(-difference), width)
    else:
        lines += rows(_("DIFFERENCE"), money(0), width)
    for payment in order.payments:
        if payment.status == "approved" and payment.tender != "exchange_credit":
            cash = payment.tender == "cash"
            lines += rows(tender_name(payment.tender, language),
                          money((payment.tendered_cents or payment.amount_cents) if cash
                                else payment.amount_cents), width)
    if order.change_cents:
        lines += rows(_("Change"), money(order.change_cents), width)
    for part in done.refunds:
        name = tender_name(part.tender, language)
        lines += rows(_("Given back to {tender}", tender=name), "-" + money(part.amount_cents),
                      width)
        if part.card_number:
            lines.append(INDENT + _("card {number}", number=part.card_number))
    if ret.points_clawed_back:
        lines += rows(_("Points taken back"), f"-{ret.points_clawed_back}", width)
    if order.points_earned:
        lines += rows(_("Points earned"), str(order.points_earned), width)
    lines += ["", *centred(_("Thank you, goodbye!"), width)]
    return lines
