"""The seam between the till and a fiscal printer (an Italian RT): what the till
asks of one, and the one setting that builds it.

``OMNITILL_FISCAL_PRINTER`` is empty (no RT: the ESC/POS printout is a courtesy
receipt marked non-fiscal) or ``epson:http://HOST`` / ``http://HOST`` for an
Epson RT through Fiscal ePOS-Print XML, with options after commas:
``departments=2200:1/1000:2/400:3`` (VAT rate in basis points to the RT's
department), ``timeout=20`` (seconds) and ``serial=99MEY012345`` (the RT's
serial, when its answer to the serial-number query is not the plain number).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from shared.fiscal.documents import (
    DEFAULT_DEPARTMENTS,
    FiscalReceipt,
    FiscalRefund,
    FiscalSale,
    FiscalStatus,
    ZReport,
)

__all__ = ["FiscalConfigError", "FiscalPrinter", "fiscal_printer_from_config"]


class FiscalPrinter(Protocol):
    """A fiscal printer the till can hand documents to. Every call blocks until
    the printer answers and raises :class:`~shared.fiscal.documents.FiscalError`
    when it did not print."""

    departments: Mapping[int, int]
    """VAT rate (basis points) to the department the device is programmed with."""

    def print_sale(self, sale: FiscalSale) -> FiscalReceipt: ...

    def print_refund(self, refund: FiscalRefund) -> FiscalReceipt: ...

    def daily_closure(self) -> ZReport: ...

    def status(self) -> FiscalStatus: ...

    def serial_number(self) -> str: ...


class FiscalConfigError(ValueError):
    pass


def _departments(text: str) -> dict[int, int]:
    try:
        pairs = [part.split(":") for part in text.split("/") if part]
        return {int(rate): int(department) for rate, department in pairs}
    except ValueError as exc:
        raise FiscalConfigError(f"departments={text!r}: write RATE:DEPARTMENT pairs with "
                                "the rate in basis points, e.g. 2200:1/1000:2") from exc


def fiscal_printer_from_config(config: str) -> FiscalPrinter | None:
    """The fiscal printer a till setting names, or None for none."""
    from shared.fiscal.epson import EpsonFiscalPrinter

    config = config.strip()
    if not config or config == "none":
        return None
    target, *options = config.split(",")
    target = target.removeprefix("epson:")
    if not target.startswith(("http://", "https://")):
        raise FiscalConfigError(f"fiscal printer {config!r}: give its address as "
                                "http://HOST (Epson RT, Fiscal ePOS-Print XML)")
    departments, timeout, serial = dict(DEFAULT_DEPARTMENTS), 20.0, None
    for option in options:
        name, _, value = option.partition("=")
        if name == "departments":
            departments = _departments(value)
        elif name == "serial":
            if not value.isalnum() or not 6 <= len(value) <= 16:
                raise FiscalConfigError(f"serial={value!r}: the RT's serial number, as on "
                                        "its label (e.g. 99MEY012345)")
            serial = value.upper()
        elif name == "timeout":
            try:
                timeout = float(value)
            except ValueError as exc:
                raise FiscalConfigError(f"timeout={value!r} is not a number of seconds") \
                    from exc
        else:
            raise FiscalConfigError(f"unknown fiscal printer option {name!r}: the options are "
                                    "departments=, timeout= and serial=")
    return EpsonFiscalPrinter(target, departments=departments, timeout=timeout, serial=serial)
