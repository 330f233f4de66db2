"""The receipt: one layout for the screen preview and the ESC/POS printer.

Laid out at 42 columns (80 mm paper, font A). The sale is already recorded in
the core when this runs; printing can fail without losing anything.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from escpos.escpos import Escpos

from shared.money import format_money
from shared.schemas.catalog import StoreOut
from shared.schemas.orders import OrderOut
from shared.schemas.returns import ReturnOut

__all__ = ["WIDTH", "print_lines", "print_receipt", "receipt_lines", "return_receipt_lines", "row"]

WIDTH = 42
TENDER_NAMES = {"cash": "Contanti", "card": "Carta", "store_credit": "Credito negozio",
                "gift_card": "Carta regalo", "loyalty_points": "Punti"}


def row(left: str, right: str) -> str:
    """One 42-column paper line: text on the left, an amount on the right."""
    space = WIDTH - len(right) - 1
    return f"{left[:space]:<{space}} {right}"


def receipt_lines(order: OrderOut, store: StoreOut, *, locale: str = "it_IT",
                  points_balance: int | None = None) -> list[str]:
    def money(cents: int) -> str:
        return format_money(cents, order.currency, locale).replace("\xa0", " ")

    lines = [store.name.center(WIDTH), store.address[:WIDTH].center(WIDTH),
             f"Scontrino {order.number}".center(WIDTH),
             order.created_at.astimezone(ZoneInfo(store.timezone))
             .strftime("%d/%m/%Y %H:%M").center(WIDTH), "-" * WIDTH]
    for line in order.lines:
        lines.append(row(f"{line.qty} x {line.name}", money(line.total_cents)))
        if line.qty > 1:
            lines.append(f"    {line.qty} x {money(line.unit_price_cents)}")
        discount = line.discount_cents + line.promo_discount_cents
        if discount:
            lines.append(row("    sconto", "-" + money(discount)))
    lines += ["-" * WIDTH, row("TOTALE EUR", money(order.total_cents))]
    for tax in order.tax_breakdown:
        lines.append(row(f"  IVA {tax.rate_bp / 100:g}% su {money(tax.gross_cents)}",
                          money(tax.tax_cents)))
    lines.append("-" * WIDTH)
    for payment in order.payments:
        if payment.status == "approved":
            tendered = payment.tendered_cents or payment.amount_cents
            lines.append(row(TENDER_NAMES.get(payment.tender, payment.tender),
                              money(tendered if payment.tender == "cash" else
                                    payment.amount_cents)))
    if order.change_cents:
        lines.append(row("Resto", money(order.change_cents)))
    if order.points_earned:
        lines.append(row("Punti guadagnati", str(order.points_earned)))
    if points_balance is not None:
        lines.append(row("Saldo punti", str(points_balance)))
    lines += ["", "Grazie e arrivederci!".center(WIDTH),
              "Reso entro 30 giorni con questo codice".center(WIDTH)]
    return lines


def print_receipt(printer: Escpos, order: OrderOut, store: StoreOut, *, locale: str = "it_IT",
                  points_balance: int | None = None, open_drawer: bool | None = None) -> None:
    """Print, with the return QR (``OT1:R:``) and a cut; kick the drawer for cash."""
    lines = receipt_lines(order, store, locale=locale, points_balance=points_balance)
    printer.set(align="left", font="a")
    printer.text("\n".join(lines) + "\n")
    if order.receipt_code:
        printer.qr(order.receipt_code, size=5, center=True)
    printer.cut()
    cash = any(p.tender == "cash" and p.status == "approved" for p in order.payments)
    if open_drawer if open_drawer is not None else cash:
        printer.cashdraw(2)


def return_receipt_lines(ret: ReturnOut, store: StoreOut, *, locale: str = "it_IT"
                         ) -> list[str]:
    """The return receipt: what came back and, once refunded, what went back per
    tender, the cash handed out named as such (the customer signs for it)."""
    def money(cents: int) -> str:
        return format_money(cents, "EUR", locale).replace("\xa0", " ")

    lines = [store.name.center(WIDTH), f"Reso {ret.number}".center(WIDTH),
             f"Scontrino originale {ret.order_number or '—'}".center(WIDTH), "-" * WIDTH]
    for line in ret.lines:
        lines.append(row(f"{line.qty} x {line.sku} ({line.condition})",
                          "-" + money(line.refund_cents)))
    lines += ["-" * WIDTH, row("RIMBORSO", money(ret.refund_cents))]
    for part in ret.refunds:
        name = "Contanti restituiti" if part.tender == "cash" \
            else TENDER_NAMES.get(part.tender, part.tender)
        lines.append(row(f"  {name}", money(part.amount_cents)))
        if part.card_number:
            lines.append(f"    carta {part.card_number}"[:WIDTH])
    if not ret.refunds:
        refund_to = "credito negozio " + (ret.credit_card_number or "") \
            if ret.refund_to == "store_credit" else "metodo di pagamento originale"
        lines.append(f"su {refund_to}"[:WIDTH])
    if ret.points_clawed_back:
        lines.append(row("Punti stornati", str(ret.points_clawed_back)))
    return lines


def print_lines(printer: Escpos, lines: list[str]) -> None:
    printer.set(align="left", font="a")
    printer.text("\n".join(lines) + "\n")
    printer.cut()
