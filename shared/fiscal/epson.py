"""Epson RT printers (FP-81 II RT, FP-90 III and kin) through their Fiscal
ePOS-Print XML interface: SOAP over HTTP to ``/cgi-bin/fpmate.cgi`` on the
printer (or an Epson "intelligent" printer serving it), as Odoo's ``l10n_it_pos``
and Epson's own samples drive it.

- a sale: ``printerFiscalReceipt`` with ``beginFiscalReceipt``, one
  ``printRecItem`` per line (its department says its VAT rate), a
  ``printRecItemAdjustment`` for the line's discount, ``printRecSubtotal``, one
  ``printRecTotal`` per payment and ``endFiscalReceipt``;
- a refund (reso): the same with ``printRecRefund`` lines, preceded by a
  ``printRecMessage`` of type 4 that names the original document as the RT
  firmware reads it: ``REFUND <closure> <number> <DDMMYYYY> <RT serial>``;
- the daily closure: ``printerFiscalReport`` with ``printZReport``;
- the status: ``printerCommand`` with ``queryPrinterStatus`` (statusType 1, the
  RT status); the serial number: ``directIO`` command 3217.

The answer is ``<response success=".." code=".." status="..">`` with an
``addInfo`` block (``fiscalReceiptNumber``, ``zRepNumber``, ...). Amounts are
written with a decimal comma, as Epson's Italian examples do. A certified
device must still be tried on site: this driver is checked against a fake that
follows the documentation (``tests/support_fiscal.py``), not against an RT.
"""

from __future__ import annotations

import contextlib
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import datetime
from typing import Final
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

import httpx

from shared.fiscal.documents import (
    DEFAULT_DEPARTMENTS,
    ROME,
    FiscalError,
    FiscalItem,
    FiscalPayment,
    FiscalReceipt,
    FiscalRefund,
    FiscalSale,
    FiscalStatus,
    ZReport,
)

__all__ = ["PAYMENT_TYPES", "EpsonFiscalPrinter", "build_refund", "build_sale",
           "build_status", "build_z_report", "parse_response"]

SOAP_NS: Final = "http://schemas.xmlsoap.org/soap/envelope/"
PATH: Final = "/cgi-bin/fpmate.cgi"
DESCRIPTION_CHARS: Final = 38
"""The longest item description an RT prints on one line; longer ones are cut."""

PAYMENT_TYPES: Mapping[str, tuple[int, int, str]] = {
    "cash": (0, 0, "Contanti"),
    "card": (2, 1, "Carta"),
    "gift_card": (5, 1, "Carta regalo"),
    "store_credit": (5, 1, "Credito negozio"),
    "exchange_credit": (5, 1, "Credito reso"),
    "loyalty_points": (6, 0, "Sconto punti"),
}
"""Tender to (paymentType, index, description). 0 cash, 2 card (index 1: electronic
payment), 5 "non riscosso" (a voucher or credit spent: the money came in when it
was sold), 6 a discount at payment (points). How vouchers are booked is the
store accountant's choice: check this table with them when the RT is installed."""

ERRORS: Mapping[str, str] = {
    "EPTR_REC_EMPTY": "The fiscal printer is out of paper",
    "EPTR_COVER_OPEN": "The fiscal printer's cover is open",
    "FP_NO_ANSWER": "The fiscal printer is not answering",
    "FP_NO_ANSWER_NETWORK": "The fiscal printer is not answering",
    "PRINTER_ERROR": "The fiscal printer reports an error",
    "LAN_TIME_OUT": "The fiscal printer did not answer in time",
}


def _amount(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}"


ACCENTS = str.maketrans({"à": "a'", "è": "e'", "é": "e'", "ì": "i'", "ò": "o'", "ù": "u'",
                        "À": "A'", "È": "E'", "É": "E'", "Ì": "I'", "Ò": "O'", "Ù": "U'",
                        "—": "-", "–": "-", "·": "-", "’": "'", "€": "EUR"})
"""The RT's character set is not documented as Latin-1: accented vowels go as
Italian tills have always printed them (``citta'``), other marks as ASCII."""


def _text(text: str) -> str:
    """What an RT line can hold: one line of ASCII, at most 38 characters, cut at
    a word where it can be."""
    folded = unicodedata.normalize("NFKD", text.translate(ACCENTS))
    flat = " ".join(folded.encode("ascii", "ignore").decode().split())
    if len(flat) <= DESCRIPTION_CHARS:
        return flat
    head = flat[:DESCRIPTION_CHARS + 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else ""
    return cut if len(cut) >= DESCRIPTION_CHARS // 2 else flat[:DESCRIPTION_CHARS]


def _element(tag: str, **attributes: str | int) -> str:
    attrs = "".join(f" {name}={quoteattr(str(value))}" for name, value in attributes.items())
    return f"<{tag}{attrs} />"


def _envelope(body: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<s:Envelope xmlns:s="{SOAP_NS}">'
            f"<s:Body>{body}</s:Body></s:Envelope>").encode()


def _items(tag: str, items: tuple[FiscalItem, ...]) -> list[str]:
    out = []
    for item in items:
        out.append(_element(tag, operator=1, description=_text(item.description),
                            quantity=item.qty, unitPrice=_amount(item.unit_price_cents),
                            department=item.department, justification=1))
        if item.discount_cents:
            # adjustmentType 0: a discount on the item just sold, in its department
            out.append(_element("printRecItemAdjustment", operator=1, adjustmentType=0,
                                description="Sconto", amount=_amount(item.discount_cents),
                                department=item.department, justification=1))
    return out


def _payments(payments: tuple[FiscalPayment, ...]) -> list[str]:
    out = []
    for payment in payments:
        kind, index, description = PAYMENT_TYPES.get(payment.tender, (5, 1, payment.tender))
        out.append(_element("printRecTotal", operator=1, description=description,
                            payment=_amount(payment.amount_cents), paymentType=kind,
                            index=index, justification=1))
    return out


def build_sale(sale: FiscalSale) -> bytes:
    body = [_element("beginFiscalReceipt", operator=1), *_items("printRecItem", sale.items),
            _element("printRecSubtotal", operator=1, option=1), *_payments(sale.payments),
            _element("endFiscalReceipt", operator=1)]
    return _envelope(f"<printerFiscalReceipt>{''.join(body)}</printerFiscalReceipt>")


def build_refund(refund: FiscalRefund) -> bytes:
    original = refund.original
    reference = (f"REFUND {original.closure_number:04d} {original.document_number:04d} "
                 f"{original.day} {original.serial}")
    body = [_element("printRecMessage", operator=1, messageType=4, message=reference),
            _element("beginFiscalReceipt", operator=1), *_items("printRecRefund", refund.items),
            _element("printRecSubtotal", operator=1, option=1), *_payments(refund.payments),
            _element("endFiscalReceipt", operator=1)]
    return _envelope(f"<printerFiscalReceipt>{''.join(body)}</printerFiscalReceipt>")


def build_z_report(timeout_ms: int) -> bytes:
    return _envelope("<printerFiscalReport>"
                     f"{_element('printZReport', operator=1, timeout=timeout_ms)}"
                     "</printerFiscalReport>")


def build_status() -> bytes:
    return _envelope("<printerCommand>"
                     f"{_element('queryPrinterStatus', operator=1, statusType=1)}"
                     "</printerCommand>")


def build_serial() -> bytes:
    return _envelope("<printerCommand>"
                     f"{_element('directIO', command='3217', data='01')}"
                     "</printerCommand>")


def parse_response(body: bytes) -> tuple[bool, str, str, dict[str, str]]:
    """``(success, code, status, addInfo)`` of the printer's answer."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise FiscalError("The fiscal printer's answer could not be read.",
                          code="bad_answer") from exc
    response = root.find(f".//{{{SOAP_NS}}}Body/response")
    if response is None:
        response = root.find(".//response")
    if response is None:
        raise FiscalError("The fiscal printer's answer has no result.", code="bad_answer")
    info = response.find("addInfo")
    added = {child.tag: (child.text or "").strip() for child in info} if info is not None \
        else {}
    return (response.get("success") == "true", response.get("code", ""),
            response.get("status", ""), added)


def _cents(text: str) -> int | None:
    """``63,02`` (or ``63.02``) in cents; None when absent or unreadable."""
    whole, _, decimals = text.replace(".", ",").partition(",")
    if not whole.isdigit() or (decimals and not decimals.isdigit()):
        return None
    return int(whole) * 100 + int((decimals + "00")[:2])


def _number(info: Mapping[str, str], name: str) -> int:
    value = info.get(name, "")
    if not value.isdigit():
        raise FiscalError(f"The fiscal printer did not say its {name}.", code="bad_answer")
    return int(value)


def _count(info: Mapping[str, str], name: str) -> int:
    value = info.get(name, "")
    return int(value) if value.isdigit() else 0


class EpsonFiscalPrinter:
    """One RT at ``base_url`` (``http://192.168.1.50``). Calls block: the till runs
    them in a thread. ``transport`` is httpx's seam for tests."""

    def __init__(self, base_url: str, *, departments: Mapping[int, int] | None = None,
                 timeout: float = 20.0, device_id: str = "local_printer",
                 serial: str | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        parts = urlsplit(base_url if "://" in base_url else f"http://{base_url}")
        self.base_url = f"{parts.scheme}://{parts.netloc}"
        self.departments: Mapping[int, int] = dict(departments or DEFAULT_DEPARTMENTS)
        self.timeout = timeout
        self.device_id = device_id
        self.transport = transport
        self._serial: str | None = serial
        """Asked of the RT (``directIO`` 3217) unless the setting gives it."""

    def _post(self, body: bytes, *, timeout: float | None = None) -> dict[str, str]:
        seconds = timeout or self.timeout
        params = {"devid": self.device_id, "timeout": str(int(seconds * 1000))}
        try:
            with httpx.Client(base_url=self.base_url, transport=self.transport,
                              timeout=seconds + 5) as client:
                answer = client.post(PATH, params=params, content=body,
                                     headers={"Content-Type": "text/xml; charset=utf-8"})
        except httpx.HTTPError as exc:
            raise FiscalError(f"The fiscal printer is not answering ({exc.__class__.__name__}); "
                              "nothing was printed.", code="not_answering") from exc
        if answer.status_code != 200:
            raise FiscalError(f"The fiscal printer answered HTTP {answer.status_code}; nothing "
                              "was printed.", code="not_answering")
        success, code, _, info = parse_response(answer.content)
        if not success:
            said = ERRORS.get(code) or f"The fiscal printer refused the document ({code or '?'})"
            raise FiscalError(f"{said}; no fiscal document was printed.", code=code or "refused")
        return info

    def serial_number(self) -> str:
        """The RT's serial (matricola), asked once before the first document (a
        failure then prints nothing): every refund names it."""
        if self._serial is None:
            serial = self._post(build_serial()).get("responseData", "").strip()
            if not serial:
                raise FiscalError("The fiscal printer did not say its serial number.",
                                  code="bad_answer")
            self._serial = serial
        return self._serial

    def _receipt(self, info: Mapping[str, str]) -> FiscalReceipt:
        when = datetime.now(ROME)  # the RT's clock when it says it; ours otherwise
        day, clock = info.get("fiscalReceiptDate", ""), info.get("fiscalReceiptTime", "")
        with contextlib.suppress(ValueError):
            when = datetime.strptime(f"{day} {clock}", "%d/%m/%Y %H:%M").replace(tzinfo=ROME)
        return FiscalReceipt(document_number=_number(info, "fiscalReceiptNumber"),
                             closure_number=_number(info, "zRepNumber"),
                             amount_cents=_cents(info.get("fiscalReceiptAmount", "")) or 0,
                             printed_at=when, serial=self.serial_number())

    def print_sale(self, sale: FiscalSale) -> FiscalReceipt:
        self.serial_number()  # asked before the sale: its refund will need it
        return self._receipt(self._post(build_sale(sale)))

    def print_refund(self, refund: FiscalRefund) -> FiscalReceipt:
        self.serial_number()
        return self._receipt(self._post(build_refund(refund)))

    def daily_closure(self) -> ZReport:
        info = self._post(build_z_report(int(self.timeout * 1000)), timeout=self.timeout * 3)
        return ZReport(_number(info, "zRepNumber"), _cents(info.get("dailyAmount", "")))

    def status(self) -> FiscalStatus:
        info = self._post(build_status())
        # printerStatus, first digit: 0 ready, 2 paper running low, 3 offline
        printer = info.get("printerStatus", "0")[:1]
        problem = "The fiscal printer is offline (out of paper or cover open)." \
            if printer == "3" else None
        return FiscalStatus(online=printer != "3", paper_low=printer == "2",
                            day_open=info.get("dailyOpen") == "1",
                            files_to_send=_count(info, "fileToSend"),
                            files_rejected=_count(info, "fileRejected"),
                            training=info.get("trainingMode") == "1", problem=problem)
