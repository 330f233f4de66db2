"""What a fiscal printer is asked to print, in Omnitill's terms: a sale, a refund
("reso") naming the original RT document, and what the printer answers.

Built from the core's orders and returns by :func:`sale_from_order` and
:func:`refund_from_return`; amounts stay integer cents until the driver writes
them in the printer's own notation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from shared.schemas.fiscal import FiscalDocument
from shared.schemas.orders import OrderOut
from shared.schemas.returns import ReturnOut

__all__ = [
    "DEFAULT_DEPARTMENTS",
    "FiscalError",
    "FiscalItem",
    "FiscalPayment",
    "FiscalReceipt",
    "FiscalRefund",
    "FiscalSale",
    "FiscalStatus",
    "OriginalDocument",
    "ZReport",
    "refund_from_return",
    "sale_from_order",
]

DEFAULT_DEPARTMENTS: Mapping[int, int] = {2200: 1, 1000: 2, 400: 3, 500: 4, 0: 5}
"""VAT rate (basis points) to the RT department (reparto) programmed with it. An
RT is set up by its technician with one department per rate; this is the usual
order (22 %, 10 %, 4 %, 5 %, exempt), and the till's setting can say otherwise."""

ROME = ZoneInfo("Europe/Rome")


class FiscalError(Exception):
    """The fiscal printer did not print the document. ``code`` is the printer's own
    (``EPTR_REC_EMPTY``) or ours (``not_answering``, ``no_original``); the message
    is a sentence for the cashier."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class FiscalItem:
    description: str
    qty: int
    unit_price_cents: int
    department: int
    discount_cents: int = 0
    """The line's discounts and promotion together, printed as an adjustment on it."""

    @property
    def total_cents(self) -> int:
        return self.qty * self.unit_price_cents - self.discount_cents


@dataclass(frozen=True, slots=True)
class FiscalPayment:
    tender: str
    amount_cents: int
    """Cash: what was handed over (the RT prints the change); others: the amount."""


@dataclass(frozen=True, slots=True)
class FiscalSale:
    items: tuple[FiscalItem, ...]
    payments: tuple[FiscalPayment, ...]

    @property
    def total_cents(self) -> int:
        return sum(item.total_cents for item in self.items)


@dataclass(frozen=True, slots=True)
class OriginalDocument:
    """The RT document a refund refers to: closure, number, day and RT serial."""

    closure_number: int
    document_number: int
    printed_at: datetime
    serial: str

    @property
    def day(self) -> str:
        """DDMMYYYY, the RT's own calendar day (Italian time)."""
        return self.printed_at.astimezone(ROME).strftime("%d%m%Y")


@dataclass(frozen=True, slots=True)
class FiscalRefund:
    original: OriginalDocument
    items: tuple[FiscalItem, ...]
    payments: tuple[FiscalPayment, ...]

    @property
    def total_cents(self) -> int:
        return sum(item.total_cents for item in self.items)


@dataclass(frozen=True, slots=True)
class FiscalReceipt:
    """What the RT answered for a document it printed."""

    document_number: int
    closure_number: int
    amount_cents: int
    printed_at: datetime
    serial: str

    def as_document(self) -> FiscalDocument:
        return FiscalDocument(document_number=self.document_number,
                              closure_number=self.closure_number, serial=self.serial,
                              printed_at=self.printed_at)


@dataclass(frozen=True, slots=True)
class ZReport:
    closure_number: int
    daily_amount_cents: int | None


@dataclass(frozen=True, slots=True)
class FiscalStatus:
    online: bool
    paper_low: bool
    day_open: bool
    files_to_send: int
    files_rejected: int
    training: bool
    problem: str | None
    """A sentence for the cashier when the RT cannot print now, else None."""


def _department(rate_bp: int, departments: Mapping[int, int]) -> int:
    try:
        return departments[rate_bp]
    except KeyError:
        raise FiscalError(f"No fiscal printer department for VAT {rate_bp / 100:g}%: add it "
                          "to the till's fiscal printer setting.", code="no_department") from None


def sale_from_order(order: OrderOut, departments: Mapping[int, int] = DEFAULT_DEPARTMENTS
                    ) -> FiscalSale:
    """The documento commerciale of a paid sale: its lines at full price with their
    discounts, and its approved payments (cash as tendered, so the RT prints the
    change)."""
    items = tuple(FiscalItem(line.name, line.qty, line.unit_price_cents,
                             _department(line.vat_rate_bp, departments),
                             line.discount_cents + line.promo_discount_cents)
                  for line in order.lines)
    payments = tuple(FiscalPayment(p.tender, (p.tendered_cents or p.amount_cents)
                                   if p.tender == "cash" else p.amount_cents)
                     for p in order.payments if p.status == "approved")
    return FiscalSale(items, payments)


def refund_from_return(ret: ReturnOut, original: OrderOut,
                       departments: Mapping[int, int] = DEFAULT_DEPARTMENTS) -> FiscalRefund:
    """The reso of a refunded return, naming the RT document of the original sale.

    A sale without one (a web order, a sale on a till without an RT) cannot be
    refunded on the RT: the law wants a credit note for it instead."""
    document = original.fiscal_document
    if document is None:
        raise FiscalError(f"Sale {original.number} has no fiscal printer document, so the "
                          "refund cannot be printed as a reso: issue a credit note from the "
                          "back office.", code="no_original")
    lines = {line.sku: line for line in original.lines}
    items = []
    for line in ret.lines:
        sold = lines.get(line.sku)
        rate = sold.vat_rate_bp if sold else 2200
        name = sold.name if sold else line.sku
        if line.refund_cents % line.qty == 0:
            items.append(FiscalItem(name, line.qty, line.refund_cents // line.qty,
                                    _department(rate, departments)))
        else:  # a share that does not divide: one line for all the units
            items.append(FiscalItem(f"{line.qty} x {name}", 1, line.refund_cents,
                                    _department(rate, departments)))
    payments = tuple(FiscalPayment(part.tender, part.amount_cents) for part in ret.refunds)
    return FiscalRefund(OriginalDocument(document.closure_number, document.document_number,
                                         document.printed_at, document.serial),
                        tuple(items), payments)
