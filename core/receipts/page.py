"""The digital receipt as one small HTML page: what the paper says, for a phone.

A string template with every value passed through :func:`html.escape` (Jinja2
is not a dependency, and one page does not need it). The page names the legal
entity that issued the sale, each line with its discounts, the total, VAT per
rate and in total, the payments and change, what was refunded since, whether a
fiscal printer (RT) recorded the sale, and the return QR (``OT1:R:``) the till
scans for a return, so the customer needs no paper at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from zoneinfo import ZoneInfo

import qrcode
from qrcode.image.svg import SvgPathImage

from core.orders.models import Order
from core.payments.models import Payment
from core.stores.models import Location
from shared.i18n import N_, Translator, translator
from shared.money import format_money

__all__ = ["NOT_FOUND_PAGE", "ReceiptPage", "render"]

Money = Callable[[int], str]

TENDERS = {"cash": N_("Cash"), "card": N_("Card"), "store_credit": N_("Store credit"),
           "gift_card": N_("Gift card"), "loyalty_points": N_("Points"),
           "exchange_credit": N_("Exchange credit")}

LANGUAGE = "it"
"""The page says what the paper says, in the ``documents`` catalogs' Italian; the
words Italian law asks of it (P.IVA, DOCUMENTO NON FISCALE, the RT's documento
commerciale, IVA) are Italian whatever the language."""

STYLE = (
    "body{font-family:system-ui,sans-serif;margin:0;background:#f3f3f1;color:#1b1b1b}"
    "main{max-width:26rem;margin:0 auto;padding:1rem;background:#fff}"
    "header,footer,.kind{text-align:center}h1{font-size:1.25rem;margin:.25rem 0}"
    "p{margin:.2rem 0}.legal{font-size:.85rem;color:#444}.kind{font-weight:600;margin:.75rem 0}"
    "table{width:100%;border-collapse:collapse;margin:.75rem 0}"
    "td,th{padding:.2rem 0;vertical-align:top;text-align:left}"
    "td.n,th.n{text-align:right;white-space:nowrap}"
    "tr.adj td{color:#555;font-size:.9rem;padding-left:1rem}small{color:#555}"
    "tfoot th,tfoot td{border-top:1px solid #1b1b1b;font-weight:700;font-size:1.1rem}"
    "caption{text-align:left;font-weight:600}footer svg{width:12rem;height:12rem}"
)


@dataclass(frozen=True, slots=True)
class ReceiptPage:
    """What the page shows, read from the core in one transaction."""

    order: Order
    store: Location
    payments: Sequence[Payment]
    return_code: str
    return_days: int


def render(page: ReceiptPage, language: str = LANGUAGE) -> str:
    order, store = page.order, page.store
    _ = translator("documents", language)

    def money(cents: int) -> str:
        return escape(format_money(cents, order.currency, "it_IT"))

    when = order.created_at.astimezone(ZoneInfo(store.timezone)).strftime("%d/%m/%Y %H:%M")
    title = _html(_("Receipt {number}", number=order.number))
    return (
        f"<!doctype html><html lang=\"{language}\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<meta name=\"robots\" content=\"noindex\">"
        f"<title>{title} · {escape(store.name)}</title><style>{STYLE}</style></head>"
        f"<body><main>{_header(store)}<p class=\"kind\">{_kind(order, _)}</p>"
        f"<p class=\"when\">{title} · {when}</p>"
        f"{_lines(order, money, _)}{_vat(order, money)}"
        f"{_payments(order, page.payments, money, _)}{_footer(page, _)}</main></body></html>"
    )


NOT_FOUND_PAGE = (
    "<!doctype html><html lang=\"it\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<meta name=\"robots\" content=\"noindex\"><title>Ricevuta non trovata</title>"
    f"<style>{STYLE}</style></head><body><main><h1>Ricevuta non trovata</h1>"
    "<p>Questo link non corrisponde a nessuna ricevuta: controlla di averlo copiato per "
    "intero, o chiedi in negozio.</p><p lang=\"en\"><small>Receipt not found: check that the "
    "link is complete, or ask in the store.</small></p></main></body></html>"
)
"""Served with 404 for a forged, altered or cut link: a person reads it in a browser."""


def _html(text: str) -> str:
    """Words for the page's text: escaped, an apostrophe kept as it is."""
    return escape(text, quote=False)


def _row(label: str, amount: str, css: str = "") -> str:
    cls = f" class=\"{css}\"" if css else ""
    return f"<tr{cls}><td>{label}</td><td class=\"n\">{amount}</td></tr>"


def _header(store: Location) -> str:
    legal = [escape(text) for text in (store.legal_name, store.legal_address) if text]
    if store.vat_number:
        legal.append(f"P.IVA {escape(store.vat_number)}")
    return (f"<header><h1>{escape(store.name)}</h1><p>{escape(store.address)}</p>"
            f"<p class=\"legal\">{'<br>'.join(legal)}</p></header>")


def _kind(order: Order, _: Translator) -> str:
    """The RT's document when the till reported one; otherwise what the paper says:
    a courtesy receipt, not the fiscal document."""
    if order.rt_document_number and order.rt_closure_number:
        return (f"Documento commerciale n. {order.rt_closure_number:04d}-"
                f"{order.rt_document_number:04d} (RT {escape(order.rt_serial or '')})"
                "<br><small>" + _html(_("digital copy")) + "</small>")
    return "DOCUMENTO NON FISCALE<br><small>Ricevuta di cortesia</small>"


def _lines(order: Order, money: Money, _: Translator) -> str:
    rows = []
    for line in order.lines:
        unit = (f"<br><small>{line.qty} × {money(line.unit_price_cents)}</small>"
                if line.qty > 1 else "")
        rows.append(_row(f"{line.qty} × {escape(line.name)}{unit}",
                         money(line.unit_price_cents * line.qty)))
        if line.discount_cents:
            rows.append(_row(_html(_("discount")), "-" + money(line.discount_cents), "adj"))
        if line.promo_discount_cents:
            promotion = _html(_("promotion {name}", name=order.promotion or "").rstrip())
            rows.append(_row(promotion, "-" + money(line.promo_discount_cents), "adj"))
    total = _html(_("Total {currency}", currency=order.currency))
    return (f"<table class=\"lines\"><tbody>{''.join(rows)}</tbody><tfoot><tr><th>{total}"
            f"</th><td class=\"n\">{money(order.total_cents)}</td></tr></tfoot></table>")


def _vat(order: Order, money: Money) -> str:
    rows = [_row(f"di cui IVA {tax['rate_bp'] / 100:g}% su {money(tax['gross_cents'])}",
                 money(tax["tax_cents"])) for tax in order.tax_breakdown]
    rows.append(_row("<strong>Totale IVA</strong>", f"<strong>{money(order.tax_cents)}</strong>"))
    return f"<table class=\"vat\"><caption>IVA</caption>{''.join(rows)}</table>"


def _payments(order: Order, payments: Sequence[Payment], money: Money, _: Translator
              ) -> str:
    rows, change, refunded = [], 0, 0
    for payment in payments:
        if payment.status != "approved":
            continue
        shown = (payment.tendered_cents or payment.amount_cents) if payment.tender == "cash" \
            else payment.amount_cents
        tender = TENDERS.get(payment.tender)
        rows.append(_row(_html(_(tender) if tender else payment.tender), money(shown)))
        change += payment.change_cents
        refunded += payment.refunded_cents
    if change:
        rows.append(_row(_html(_("Change")), money(change)))
    if refunded:
        rows.append(_row(_html(_("Refunded after the purchase")), "-" + money(refunded)))
    caption = _html(_("Payment"))
    return f"<table class=\"payments\"><caption>{caption}</caption>{''.join(rows)}</table>"


def _footer(page: ReceiptPage, _: Translator) -> str:
    qr = qrcode.make(page.return_code, image_factory=SvgPathImage)
    svg = qr.to_string(encoding="unicode")
    thanks = _html(_("Thank you, goodbye!"))
    days = _html(_("Returns within {days} days: show this code in the store.",
                   days=page.return_days))
    return f"<footer><p>{thanks}</p><p>{days}</p>{svg}</footer>"
