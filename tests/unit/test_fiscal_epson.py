"""Issue 13, item 7 (b): the Epson RT driver (Fiscal ePOS-Print XML over HTTP)
against a fake RT that checks each request as the documentation describes it
and answers as the specification says (``tests/support_fiscal.py``)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest

from shared.fiscal import (
    EpsonFiscalPrinter,
    FiscalConfigError,
    FiscalError,
    fiscal_printer_from_config,
    refund_from_return,
    sale_from_order,
)
from shared.fiscal.epson import build_sale
from shared.schemas.orders import OrderOut
from tests.e2e.server import free_port
from tests.support_fiscal import FakeRT, fake_rt
from tests.unit.receipt_samples import refunded_return, sale, split_sale


@pytest.fixture
def rt() -> Iterator[FakeRT]:
    with fake_rt() as fake:
        yield fake


def _printer(rt: FakeRT) -> EpsonFiscalPrinter:
    return EpsonFiscalPrinter(rt.url, timeout=3)


def _sold(rt: FakeRT, order: OrderOut | None = None) -> OrderOut:
    """A sale printed on the RT, with the document it got (as the core records it)."""
    order = order or sale()
    receipt = _printer(rt).print_sale(sale_from_order(order))
    return order.model_copy(update={"fiscal_document": receipt.as_document()})


def test_a_sale_is_a_documento_commerciale_with_its_vat_and_payment(rt: FakeRT) -> None:
    order = sale()
    receipt = _printer(rt).print_sale(sale_from_order(order))
    assert rt.refusals == []
    assert (receipt.document_number, receipt.closure_number) == (1, 7)
    assert receipt.amount_cents == order.total_cents == rt.printed[0].amount_cents
    assert receipt.serial == "99MEY012345"
    assert rt.printed[0].vat_by_rate == {t.rate_bp: t.gross_cents for t in order.tax_breakdown}
    assert rt.printed[0].payments == [(0, 10_000)]  # cash as tendered: the RT prints the change
    body = ET.fromstring(rt.requests[-1])[0][0]
    assert [e.tag for e in body][:2] == ["beginFiscalReceipt", "printRecItem"]
    descriptions = [e.get("description", "") for e in body if e.tag == "printRecItem"]
    assert all(len(d) <= 38 and d.isascii() for d in descriptions)
    assert descriptions[0] == "Caffe' macinato - perche' piu' forte -"  # cut at a word


def test_a_split_tender_pays_card_then_cash(rt: FakeRT) -> None:
    order = split_sale()
    _printer(rt).print_sale(sale_from_order(order))
    assert rt.refusals == []
    assert rt.printed[0].payments == [(2, 5000), (0, 5000)]


def test_a_refund_names_the_original_document_and_is_a_reso(rt: FakeRT) -> None:
    original = _sold(rt)
    ret, _ = refunded_return()
    receipt = _printer(rt).print_refund(refund_from_return(ret, original))
    assert rt.refusals == []
    message = ET.fromstring(rt.requests[-1])[0][0][0]
    assert message.tag == "printRecMessage" and message.get("messageType") == "4"
    assert message.get("message", "").startswith("REFUND 0007 0001 ")
    assert message.get("message", "").endswith(" 99MEY012345")
    assert rt.printed[-1].kind == "refund" and rt.printed[-1].amount_cents == ret.refund_cents
    assert receipt.document_number == 2
    with pytest.raises(FiscalError) as twice:  # the RT knows what it has refunded
        _printer(rt).print_refund(refund_from_return(ret, original))
    assert "no fiscal document was printed" in str(twice.value)


def test_a_sale_without_an_rt_document_cannot_be_refunded_on_the_rt(rt: FakeRT) -> None:
    ret, _ = refunded_return()
    with pytest.raises(FiscalError) as refused:
        refund_from_return(ret, sale())
    assert refused.value.code == "no_original" and "credit note" in str(refused.value)
    forged = _sold(rt).model_copy(update={"fiscal_document": _sold(rt).fiscal_document
                                          .model_copy(update={"document_number": 99})})
    with pytest.raises(FiscalError):
        _printer(rt).print_refund(refund_from_return(ret, forged))
    assert "no document 0007-0099" in rt.refusals[-1]


def test_the_daily_closure_prints_the_z_report_and_starts_a_new_day(rt: FakeRT) -> None:
    printer = _printer(rt)
    original = _sold(rt)
    ret, _ = refunded_return()
    printer.print_refund(refund_from_return(ret, original))
    report = printer.daily_closure()
    assert report.closure_number == 7
    assert report.daily_amount_cents == original.total_cents - ret.refund_cents
    assert printer.print_sale(sale_from_order(sale())).closure_number == 8


def test_status_says_what_the_rt_says(rt: FakeRT) -> None:
    status = _printer(rt).status()
    assert status.online and status.day_open and status.files_to_send == 2
    assert status.problem is None
    rt.fault = "paper_out"
    status = _printer(rt).status()
    assert not status.online and status.problem and "offline" in status.problem


def test_paper_out_is_a_notice_for_the_cashier_and_nothing_is_recorded(rt: FakeRT) -> None:
    printer = _printer(rt)
    printer.serial_number()
    rt.fault = "paper_out"
    with pytest.raises(FiscalError) as fault:
        printer.print_sale(sale_from_order(sale()))
    assert fault.value.code == "EPTR_REC_EMPTY"
    assert str(fault.value) == ("The fiscal printer is out of paper; no fiscal document was "
                                "printed.")
    assert rt.printed == []


def test_a_printer_that_does_not_answer_is_said_so(rt: FakeRT) -> None:
    rt.fault = "offline"
    with pytest.raises(FiscalError) as fault:
        _printer(rt).print_sale(sale_from_order(sale()))
    assert fault.value.code == "not_answering"
    with pytest.raises(FiscalError) as nobody:
        EpsonFiscalPrinter(f"http://127.0.0.1:{free_port()}", timeout=1).status()
    assert nobody.value.code == "not_answering"


def test_a_vat_rate_without_a_department_is_refused_before_printing() -> None:
    order = sale()
    odd = order.model_copy(update={"lines": [order.lines[0].model_copy(
        update={"vat_rate_bp": 700})]})
    with pytest.raises(FiscalError) as refused:
        sale_from_order(odd)
    assert refused.value.code == "no_department" and "7%" in str(refused.value)


def test_the_fake_refuses_what_an_rt_would(rt: FakeRT) -> None:
    """The fake is only worth its checks: a card paying more than is due, a
    department the RT lacks and broken XML are each refused."""
    printer = _printer(rt)
    order = sale()
    card = order.model_copy(update={"payments": [order.payments[0].model_copy(
        update={"tender": "card", "tendered_cents": None, "amount_cents": 10_000})]})
    for bad in (sale_from_order(card),
                sale_from_order(order, {2200: 9, 1000: 2})):
        with pytest.raises(FiscalError):
            printer.print_sale(bad)
    assert "only cash" in rt.refusals[0] and "department 9" in rt.refusals[1]
    assert build_sale(sale_from_order(order)).startswith(b"<?xml")


def test_the_setting_builds_the_printer() -> None:
    assert fiscal_printer_from_config("") is None
    printer = fiscal_printer_from_config("epson:http://10.0.0.5,departments=2200:1/1000:3,"
                                         "timeout=5")
    assert isinstance(printer, EpsonFiscalPrinter)
    assert printer.departments == {2200: 1, 1000: 3} and printer.timeout == 5
    given = fiscal_printer_from_config("http://10.0.0.5,serial=99mey012345")
    assert given is not None and given.serial_number() == "99MEY012345"  # no query
    for bad in ("10.0.0.5", "http://10.0.0.5,departments=22", "http://h,colour=red",
                "http://h,serial=9 9"):
        with pytest.raises(FiscalConfigError):
            fiscal_printer_from_config(bad)
