"""The receipts: one layout for the screen preview and the ESC/POS printer.

Laid out at the paper's columns (:class:`shared.printers.Paper`: 42 on screen and
on a 512-dot 80 mm printer, 48 at 576 dots, 32 on 58 mm paper): words wrap at
the width and nothing is ever cut off, an amount always keeps its right-hand
column, and the right-hand column of the items adds up to the total (an item
shows its full price, each discount its own negative line).

Every job starts with ``ESC @`` (whatever the last job left set) and selects one
Western code page from the printer's profile, so € and the accents print from a
table the printer is told about instead of python-escpos' automatic choice.

The sale is already recorded in the core when this runs; printing can fail
without losing anything.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from escpos.escpos import Escpos

from shared.i18n import N_, Translator, translator
from shared.money import format_money, vat_breakdown
from shared.printers import Paper, fit_to_code_page, paper_of
from shared.schemas.catalog import StoreOut
from shared.schemas.orders import OrderOut
from shared.schemas.returns import ReturnOut

__all__ = [
    "WIDTH",
    "ReturnItem",
    "begin_job",
    "centred",
    "print_lines",
    "print_receipt",
    "print_return_receipt",
    "receipt_lines",
    "return_receipt_lines",
    "rows",
    "tender_name",
    "words",
    "wrap",
]

WIDTH = 42
"""Columns on screen, and on the default (TM-T88V class) printer."""

INDENT = "    "

TENDER_NAMES = {"cash": N_("Cash"), "card": N_("Card"), "store_credit": N_("Store credit"),
                "gift_card": N_("Gift card"), "loyalty_points": N_("Points"),
                "exchange_credit": N_("Exchange credit")}
CONDITIONS = {"resellable": N_("as new"), "damaged": N_("damaged")}

LEGAL_LANGUAGE = "it"
"""The words Italian law asks of a receipt (who issues it, P.IVA, that it is not
the fiscal document, the VAT it holds) are printed in Italian whatever the
receipt's language; the rest is in ``OMNITILL_RECEIPT_LANGUAGE``."""


def words(language: str) -> Translator:
    """A receipt's words in ``language`` (the ``documents`` catalogs)."""
    return translator("documents", language)


def tender_name(tender: str, language: str) -> str:
    return words(language)(TENDER_NAMES[tender]) if tender in TENDER_NAMES else tender


class ReturnItem(NamedTuple):
    """What the return receipt says of a returned SKU: its name and VAT rate."""

    name: str
    vat_rate_bp: int


# -- layout -----------------------------------------------------------------------------


def wrap(text: str, width: int, *, indent: str = "") -> list[str]:
    """``text`` in lines of at most ``width``, broken between words (a word longer
    than the line is split), continuation lines indented; never truncated."""
    if len(text) <= width:
        return [text]
    return textwrap.wrap(text, width, subsequent_indent=indent, break_on_hyphens=False) or [""]


def rows(left: str, right: str, width: int = WIDTH) -> list[str]:
    """Text on the left and an amount on the right. A text too long for one line
    wraps at a word, the amount staying on its first line."""
    room = width - len(right) - 1
    lead = " " * (len(left) - len(left.lstrip(" ")) + len(INDENT))
    if room < width // 3:  # an amount too wide to share a line: text above it
        return [*wrap(left, width, indent=lead), right.rjust(width)]
    first, *rest = wrap(left, room, indent=lead)
    return [f"{first:<{room}} {right}", *rest]


def centred(text: str, width: int = WIDTH) -> list[str]:
    return [part.center(width).rstrip() for part in wrap(text, width)]


def _address(address: str, width: int) -> list[str]:
    """An address centred, broken after a comma where it can (street, then town)."""
    lines: list[str] = []
    for part in address.split(", "):
        if lines and len(lines[-1]) + 2 + len(part) <= width:
            lines[-1] += ", " + part
        else:
            if lines:
                lines[-1] += ","
            lines.append(part)
    return [out for line in lines for out in centred(line, width)]


def _money(currency: str, locale: str) -> Callable[[int], str]:
    """Amounts keep their no-break space (``12,50\xa0€``), so a line never wraps
    between a figure and its currency; the printer gets a plain space."""
    def money(cents: int) -> str:
        return format_money(cents, currency, locale)
    return money


def _vat(rate_bp: int, gross: str, vat: str, width: int) -> list[str]:
    """``di cui IVA 22% su 56,81 €``: shortened on narrow paper rather than wrapped."""
    label = f"  di cui IVA {rate_bp / 100:g}% su {gross}"
    if len(label) + 1 + len(vat) > width:
        label = f"  IVA {rate_bp / 100:g}% su {gross}"
    return rows(label, vat, width)


def _header(store: StoreOut, width: int) -> list[str]:
    """The shop, then who issues the document: its company, registered office and
    P.IVA (a franchise's or partner's own, not the chain's)."""
    lines = [*centred(store.name, width), *_address(store.address, width)]
    if store.legal_name:
        lines += centred(store.legal_name, width)
        if store.legal_address and store.legal_address != store.address:
            lines += _address(store.legal_address, width)
    if store.vat_number:
        lines += centred(f"P.IVA {store.vat_number}", width)
    return lines


NON_FISCAL = ("DOCUMENTO NON FISCALE", "Ricevuta di cortesia")
"""What an ESC/POS printout says it is: in Italy only a registratore telematico
(RT) issues the documento commerciale; this paper is the customer's courtesy copy
(a till with an RT prints the sale there, see :mod:`shared.fiscal`). In Italian
whatever the receipt's language, which then says it once more in its own words."""


def _non_fiscal(width: int, language: str = LEGAL_LANGUAGE) -> list[str]:
    lines = [out for text in NON_FISCAL for out in centred(text, width)]
    if language != LEGAL_LANGUAGE:
        _ = words(language)
        said = _("Courtesy receipt, not a fiscal document")
        lines += centred(f"({said})", width)
    return lines


def _fiscal_reference(order: OrderOut, width: int) -> list[str]:
    """A courtesy copy of a sale the RT printed names the fiscal document."""
    document = order.fiscal_document
    if document is None:
        return []
    number = f"{document.closure_number:04d}-{document.document_number:04d}"
    return centred(f"Rif. documento commerciale {number}", width)


def _when(moment: datetime, store: StoreOut) -> str:
    return moment.astimezone(ZoneInfo(store.timezone)).strftime("%d/%m/%Y %H:%M")


def _copy(copy_at: datetime | None, store: StoreOut, width: int,
          language: str = LEGAL_LANGUAGE) -> list[str]:
    """A reprint says so, and when: the customer may hold two of the same."""
    if copy_at is None:
        return []
    _ = words(language)
    return [*centred("*** " + _("COPY") + " ***", width),
            *centred(_("reprinted {when}", when=_when(copy_at, store)), width)]


def receipt_lines(order: OrderOut, store: StoreOut, *, locale: str = "it_IT",
                  points_balance: int | None = None, width: int = WIDTH,
                  copy_at: datetime | None = None, language: str = LEGAL_LANGUAGE
                  ) -> list[str]:
    """The sale receipt in ``language`` (its legal words in Italian); ``copy_at``
    marks a reprint (COPIA) with its time."""
    _ = words(language)
    money = _money(order.currency, locale)
    rule = "-" * width
    lines = [*_header(store, width), *_non_fiscal(width, language),
             *_fiscal_reference(order, width),
             *centred(_("Receipt {number}", number=order.number), width),
             *centred(_when(order.created_at, store), width),
             *_copy(copy_at, store, width, language), rule]
    for line in order.lines:
        lines += rows(f"{line.qty} x {line.name}", money(line.unit_price_cents * line.qty),
                      width)
        if line.qty > 1:
            lines.append(f"{INDENT}{line.qty} x {money(line.unit_price_cents)}")
        if line.discount_cents:
            lines += rows(INDENT + _("discount"), "-" + money(line.discount_cents), width)
        if line.promo_discount_cents:
            promotion = (INDENT + _("promotion {name}", name=order.promotion or "")).rstrip()
            lines += rows(promotion, "-" + money(line.promo_discount_cents), width)
    lines += [rule, *rows(_("TOTAL {currency}", currency=order.currency),
                          money(order.total_cents), width)]
    for tax in order.tax_breakdown:
        lines += _vat(tax.rate_bp, money(tax.gross_cents), money(tax.tax_cents), width)
    lines += rows("  Totale IVA", money(order.tax_cents), width)
    lines.append(rule)
    for payment in order.payments:
        if payment.status == "approved":
            tendered = payment.tendered_cents or payment.amount_cents
            lines += rows(tender_name(payment.tender, language),
                          money(tendered if payment.tender == "cash" else payment.amount_cents),
                          width)
    if order.change_cents:
        lines += rows(_("Change"), money(order.change_cents), width)
    if order.points_earned:
        lines += rows(_("Points earned"), str(order.points_earned), width)
    if points_balance is not None:
        lines += rows(_("Points balance"), str(points_balance), width)
    lines += ["", *centred(_("Thank you, goodbye!"), width)]
    days = store.return_window_days  # the store's policy (a franchise's 14 days)
    if days and order.receipt_code:
        lines += centred(_("Returns within {days} days with this code", days=days), width)
    return lines


def return_receipt_lines(ret: ReturnOut, store: StoreOut, *, locale: str = "it_IT",
                         width: int = WIDTH, items: Mapping[str, ReturnItem] | None = None,
                         copy_at: datetime | None = None, language: str = LEGAL_LANGUAGE
                         ) -> list[str]:
    """The return receipt: what came back (by name, in what condition), the refund
    with its VAT per rate and, once refunded, what went back per tender; the cash
    handed out is named as such and the customer signs for it.

    ``items`` names each SKU and its VAT rate (the till has them from the order or
    the catalog); a SKU it lacks prints as itself and its VAT is not stated."""
    _ = words(language)
    money = _money("EUR", locale)
    items = items or {}
    rule = "-" * width
    lines = [*_header(store, width), *_non_fiscal(width, language),
             *centred(_("Return {number}", number=ret.number), width),
             *centred(_when(ret.created_at, store), width),
             *_copy(copy_at, store, width, language),
             *centred(_("Original receipt {number}", number=ret.order_number)
                      if ret.order_number else _("Return without a receipt"), width), rule]
    for line in ret.lines:
        item = items.get(line.sku)
        lines += rows(f"{line.qty} x {item.name if item else line.sku}",
                      "-" + money(line.refund_cents), width)
        condition = CONDITIONS.get(line.condition)
        lines.append(INDENT + (_(condition) if condition else line.condition))
    lines += [rule, *rows(_("TOTAL REFUND"), money(ret.refund_cents), width)]
    rated = [(line.refund_cents, items[line.sku].vat_rate_bp) for line in ret.lines
             if line.sku in items]
    breakdown = vat_breakdown(rated)
    for rate, gross, vat in breakdown:
        lines += _vat(rate, money(gross), money(vat), width)
    if breakdown:
        lines += rows("  Totale IVA", money(sum(vat for _, _, vat in breakdown)), width)
    lines.append(rule)
    for part in ret.refunds:
        name = _("Cash given back") if part.tender == "cash" \
            else tender_name(part.tender, language)
        lines += rows(name, money(part.amount_cents), width)
        if part.card_number:
            lines += wrap(INDENT + _("card {number}", number=part.card_number), width)
    if not ret.refunds:
        refund = _("Refund to store credit {card}", card=ret.credit_card_number or "").rstrip() \
            if ret.refund_to == "store_credit" else _("Refund to the original payment method")
        lines += wrap(refund, width, indent=INDENT)
    if ret.points_clawed_back:
        lines += rows(_("Points taken back"), str(ret.points_clawed_back), width)
    if any(part.tender == "cash" for part in ret.refunds):
        lines += ["", _("Customer's signature"), "", "_" * min(width, 32)]
    return lines


# -- ESC/POS -----------------------------------------------------------------------------


def begin_job(printer: Escpos) -> Paper:
    """``ESC @``, then the profile's Western code page: the printer starts every job
    from the same state and is told which table € and the accents come from."""
    paper = paper_of(printer)
    printer.hw("INIT")
    printer._raw(b"\x1bt" + bytes([paper.code_page_number]))  # ESC t n
    # python-escpos encodes from now on with that table and never switches away.
    printer.magic.encoding = paper.code_page
    printer.charcode(paper.code_page)
    printer.set(align="left", font="a")
    return paper


def _text(printer: Escpos, paper: Paper, lines: list[str]) -> None:
    text = "\n".join(lines).replace("\xa0", " ").replace("\u202f", " ")
    printer.text(fit_to_code_page(text + "\n", paper))


def _finish(printer: Escpos, qr: str | None = None) -> None:
    if qr:
        printer.qr(qr, size=5, center=True)
    printer.cut()


def print_receipt(printer: Escpos, order: OrderOut, store: StoreOut, *, locale: str = "it_IT",
                  points_balance: int | None = None, open_drawer: bool | None = None,
                  copy_at: datetime | None = None, language: str = LEGAL_LANGUAGE) -> None:
    """Print at this printer's width, with the return QR (``OT1:R:``) centred and a
    cut; kick the drawer for cash (unless told otherwise)."""
    paper = begin_job(printer)
    _text(printer, paper, receipt_lines(order, store, locale=locale, width=paper.columns,
                                        points_balance=points_balance, copy_at=copy_at,
                                        language=language))
    _finish(printer, order.receipt_code)
    cash = any(p.tender == "cash" and p.status == "approved" for p in order.payments)
    if open_drawer if open_drawer is not None else cash:
        printer.cashdraw(2)


def print_return_receipt(printer: Escpos, ret: ReturnOut, store: StoreOut, *,
                         locale: str = "it_IT", items: Mapping[str, ReturnItem] | None = None,
                         copy_at: datetime | None = None, language: str = LEGAL_LANGUAGE
                         ) -> None:
    paper = begin_job(printer)
    _text(printer, paper, return_receipt_lines(ret, store, locale=locale, width=paper.columns,
                                               items=items, copy_at=copy_at,
                                               language=language))
    _finish(printer)


def print_lines(printer: Escpos, lines: list[str] | Callable[[int], list[str]]) -> None:
    """Print a document: lines, or better a function laying it out at a width (a
    line wider than this paper is wrapped rather than left to the printer)."""
    paper = begin_job(printer)
    laid_out = lines(paper.columns) if callable(lines) else lines
    _text(printer, paper, [out for line in laid_out
                           for out in wrap(line, paper.columns, indent=INDENT)])
    _finish(printer)
