"""A fake Epson RT on a local port: it reads Fiscal ePOS-Print XML the way the
documentation describes it, refuses what a real one would refuse, and answers
as the specification says.

What it checks of every request (a broken one is answered ``PARSER_ERROR`` or
``success="false"`` and recorded in :attr:`FakeRT.refusals`):

- it is POSTed to ``/cgi-bin/fpmate.cgi`` with ``devid`` and ``timeout``, as
  well-formed XML in a SOAP 1.1 envelope holding one ``printerFiscalReceipt``,
  ``printerFiscalReport`` or ``printerCommand``;
- a receipt: ``beginFiscalReceipt`` first (after a refund's type-4
  ``printRecMessage``) and ``endFiscalReceipt`` last; items before the
  subtotal, payments after; every department one the RT is programmed with
  (each with its VAT rate); amounts with a decimal comma; descriptions of at
  most 38 characters; an adjustment never more than its item; the payments
  covering the total, and only cash above it (the change);
- a refund: ``REFUND zzzz nnnn DDMMYYYY SERIAL`` naming a document this RT
  printed, for no more than that document's amount, with refund lines only.

It answers ``success="true"`` with ``addInfo`` (``fiscalReceiptNumber``,
``fiscalReceiptAmount``, ``fiscalReceiptDate``, ``fiscalReceiptTime``,
``zRepNumber``; ``zRepNumber`` and ``dailyAmount`` for a Z report; the RT status
for ``queryPrinterStatus``; ``responseData`` for ``directIO`` 3217), or with the
fault it was put in (``paper_out`` → ``EPTR_REC_EMPTY``, ``offline`` → no answer).
"""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

SOAP = "{http://schemas.xmlsoap.org/soap/envelope/}"
AMOUNT = re.compile(r"^[0-9]{1,7},[0-9]{2}$")
REFUND = re.compile(r"^REFUND (\d{4}) (\d{4}) (\d{8}) ([A-Z0-9]{11})$")
ROME = ZoneInfo("Europe/Rome")


class Refused(Exception):
    def __init__(self, reason: str, code: str = "PRINTER_ERROR") -> None:
        super().__init__(reason)
        self.code = code


@dataclass
class Printed:
    kind: str  # "sale" or "refund"
    closure: int
    number: int
    day: str
    amount_cents: int
    vat_by_rate: dict[int, int]
    """Gross per VAT rate (basis points), as the RT books it by department."""
    payments: list[tuple[int, int]]
    """(paymentType, cents) per printRecTotal."""


@dataclass
class FakeRT:
    serial: str = "99MEY012345"
    departments: dict[int, int] = field(
        default_factory=lambda: {1: 2200, 2: 1000, 3: 400, 4: 500, 5: 0})
    """The departments the RT was programmed with: department to VAT rate."""
    closure: int = 7
    fault: str | None = None
    """``paper_out`` or ``offline``."""
    printed: list[Printed] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    requests: list[bytes] = field(default_factory=list)
    url: str = ""

    # -- documents -----------------------------------------------------------------

    def answer(self, body: bytes) -> tuple[bool, str, dict[str, str]]:
        self.requests.append(body)
        try:
            root = ET.fromstring(body)
        except ET.ParseError as exc:
            raise Refused(f"not well-formed: {exc}", "PARSER_ERROR") from exc
        if root.tag != f"{SOAP}Envelope":
            raise Refused(f"root is {root.tag}, not a SOAP Envelope", "PARSER_ERROR")
        soap_body = root.find(f"{SOAP}Body")
        if soap_body is None or len(soap_body) != 1:
            raise Refused("the Body must hold exactly one document", "PARSER_ERROR")
        document = soap_body[0]
        if self.fault == "paper_out" and document.tag != "printerCommand":
            raise Refused("paper end", "EPTR_REC_EMPTY")
        if document.tag == "printerFiscalReceipt":
            return True, "", self._receipt(document)
        if document.tag == "printerFiscalReport":
            return True, "", self._report(document)
        if document.tag == "printerCommand":
            return True, "", self._command(document)
        raise Refused(f"unknown document {document.tag}", "PARSER_ERROR")

    def _money(self, element: ET.Element, name: str) -> int:
        value = element.get(name, "")
        if not AMOUNT.match(value):
            raise Refused(f"{element.tag} {name}={value!r} is not an amount like 12,50")
        whole, cents = value.split(",")
        return int(whole) * 100 + int(cents)

    def _department(self, element: ET.Element) -> int:
        department = int(element.get("department", "0"))
        if department not in self.departments:
            raise Refused(f"department {department} is not programmed on this RT")
        return self.departments[department]

    def _receipt(self, document: ET.Element) -> dict[str, str]:
        steps = list(document)
        reference = None
        if steps and steps[0].tag == "printRecMessage" and steps[0].get("messageType") == "4":
            reference = REFUND.match(steps.pop(0).get("message", ""))
            if reference is None:
                raise Refused("a type-4 message before a receipt must be REFUND zzzz nnnn "
                              "DDMMYYYY SERIAL")
        if not steps or steps[0].tag != "beginFiscalReceipt" or steps[-1].tag != \
                "endFiscalReceipt":
            raise Refused("a receipt goes beginFiscalReceipt ... endFiscalReceipt")
        line_tag = "printRecRefund" if reference else "printRecItem"
        total, vat, payments, paid, phase = 0, {}, [], 0, "items"
        last: tuple[int, int] | None = None  # (rate, amount) of the last item
        for step in steps[1:-1]:
            if step.tag == line_tag and phase == "items":
                description = step.get("description", "")
                if not description or len(description) > 38:
                    raise Refused(f"description of {len(description)} characters (1 to 38)")
                qty = int(step.get("quantity", "0"))
                if qty < 1:
                    raise Refused("quantity must be positive")
                rate, amount = self._department(step), qty * self._money(step, "unitPrice")
                total += amount
                vat[rate] = vat.get(rate, 0) + amount
                last = (rate, amount)
            elif step.tag == "printRecItemAdjustment" and phase == "items" and not reference:
                if last is None or step.get("adjustmentType") != "0":
                    raise Refused("an item discount (adjustmentType 0) follows its item")
                rate, amount = self._department(step), self._money(step, "amount")
                if rate != last[0] or amount > last[1]:
                    raise Refused("a discount beyond its item, or in another department")
                total -= amount
                vat[rate] -= amount
                last = (rate, last[1] - amount)
            elif step.tag == "printRecSubtotal" and phase == "items":
                phase = "payments"
            elif step.tag == "printRecTotal" and phase == "payments":
                kind = int(step.get("paymentType", "-1"))
                if kind not in range(7):
                    raise Refused(f"paymentType {kind} is not 0-6")
                amount = self._money(step, "payment")
                if kind != 0 and paid + amount > total:
                    raise Refused("only cash may pay more than is due (the change)")
                paid += amount
                payments.append((kind, amount))
            else:
                raise Refused(f"{step.tag} where it may not be ({phase})")
        if total <= 0:
            raise Refused("a receipt with nothing to pay")
        if paid < total:
            raise Refused(f"payments {paid} do not cover the total {total}")
        if reference:
            self._check_refunded(reference, total)
        number = 1 + sum(1 for p in self.printed if p.closure == self.closure)
        now = datetime.now(ROME)
        self.printed.append(Printed("refund" if reference else "sale", self.closure, number,
                                    now.strftime("%d%m%Y"), total, vat, payments))
        return {"elementList": "lastCommand,printerStatus,fiscalReceiptNumber,"
                "fiscalReceiptAmount,fiscalReceiptDate,fiscalReceiptTime,zRepNumber",
                "lastCommand": "74", "printerStatus": "20110",
                "fiscalReceiptNumber": str(number),
                "fiscalReceiptAmount": f"{total // 100},{total % 100:02d}",
                "fiscalReceiptDate": f"{now.day}/{now.month}/{now.year}",
                "fiscalReceiptTime": now.strftime("%H:%M"), "zRepNumber": str(self.closure)}

    def _check_refunded(self, reference: re.Match[str], total: int) -> None:
        closure, number, day, serial = reference.groups()
        original = next((p for p in self.printed if p.kind == "sale" and p.closure ==
                         int(closure) and p.number == int(number) and p.day == day), None)
        if serial != self.serial or original is None:
            raise Refused(f"no document {closure}-{number} of {day} on RT {serial}")
        refunded = sum(p.amount_cents for p in self.printed if p.kind == "refund")
        if total > original.amount_cents - refunded:
            raise Refused("refunding more than the document sold")

    def _report(self, document: ET.Element) -> dict[str, str]:
        if [step.tag for step in document] != ["printZReport"]:
            raise Refused("a fiscal report here is one printZReport")
        day = sum(p.amount_cents * (-1 if p.kind == "refund" else 1) for p in self.printed
                  if p.closure == self.closure)
        closure, self.closure = self.closure, self.closure + 1
        return {"elementList": "lastCommand,printerStatus,zRepNumber,dailyAmount",
                "lastCommand": "74", "printerStatus": "00110", "zRepNumber": str(closure),
                "dailyAmount": f"{day // 100},{day % 100:02d}"}

    def _command(self, document: ET.Element) -> dict[str, str]:
        command = document[0] if len(document) == 1 else None
        if command is not None and command.tag == "queryPrinterStatus":
            paper = "3" if self.fault == "paper_out" else "0"
            return {"elementList": "lastCommand,printerStatus,rtType,mainStatus,subStatus,"
                    "dailyOpen,noWorkingPeriod,fileToSend,oldFileToSend,fileRejected,"
                    "trainingMode", "lastCommand": "74", "printerStatus": f"{paper}0110",
                    "rtType": "I", "mainStatus": "02", "subStatus": "08", "dailyOpen": "1",
                    "noWorkingPeriod": "0", "fileToSend": "2", "oldFileToSend": "0",
                    "fileRejected": "0", "trainingMode": "0"}
        if command is not None and command.tag == "directIO" and \
                command.get("command") == "3217":
            return {"elementList": "lastCommand,printerStatus,responseData",
                    "lastCommand": "74", "printerStatus": "00110", "responseData": self.serial}
        raise Refused("unknown printer command", "PARSER_ERROR")


def _response(success: bool, code: str, info: dict[str, str]) -> bytes:
    added = "".join(f"<{name}>{value}</{name}>" for name, value in info.items())
    return ('<?xml version="1.0" encoding="utf-8"?>\n<soapenv:Envelope xmlns:soapenv='
            '"http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
            f'<response success="{"true" if success else "false"}" code="{code}" '
            f'status="{2 if success else 0}"><addInfo>{added}</addInfo></response>'
            "</soapenv:Body></soapenv:Envelope>").encode()


@contextmanager
def fake_rt(**options: object) -> Iterator[FakeRT]:
    """A fake RT listening on a free local port; ``rt.url`` is its address."""
    rt = FakeRT(**options)  # type: ignore[arg-type]

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if rt.fault == "offline":
                self.close_connection = True
                return  # as a switched-off printer: no answer at all
            if parts.path != "/cgi-bin/fpmate.cgi" or "devid" not in query or \
                    "timeout" not in query:
                self.send_error(404)
                return
            try:
                success, code, info = rt.answer(body)
            except Refused as refusal:
                rt.refusals.append(str(refusal))
                success, code, info = False, refusal.code, {}
            payload = _response(success, code, info)
            self.send_response(200)
            self.send_header("Content-Type", "text/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    rt.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield rt
    finally:
        server.shutdown()
        server.server_close()
