"""Fiscal printers: the documents an Italian RT prints for the till (sale,
refund naming the original, daily closure), the :class:`FiscalPrinter` seam and
the Epson driver (Fiscal ePOS-Print XML over HTTP)."""

from shared.fiscal.documents import (
    DEFAULT_DEPARTMENTS,
    FiscalError,
    FiscalItem,
    FiscalPayment,
    FiscalReceipt,
    FiscalRefund,
    FiscalSale,
    FiscalStatus,
    OriginalDocument,
    ZReport,
    refund_from_return,
    sale_from_order,
)
from shared.fiscal.epson import EpsonFiscalPrinter
from shared.fiscal.printer import FiscalConfigError, FiscalPrinter, fiscal_printer_from_config

__all__ = [
    "DEFAULT_DEPARTMENTS",
    "EpsonFiscalPrinter",
    "FiscalConfigError",
    "FiscalError",
    "FiscalItem",
    "FiscalPayment",
    "FiscalPrinter",
    "FiscalReceipt",
    "FiscalRefund",
    "FiscalSale",
    "FiscalStatus",
    "OriginalDocument",
    "ZReport",
    "fiscal_printer_from_config",
    "refund_from_return",
    "sale_from_order",
]
