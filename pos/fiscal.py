"""The till's fiscal printer (an Italian RT), said once: the documento commerciale
of a sale, issued once and reported to the core.

With ``OMNITILL_FISCAL_PRINTER`` set, every completed sale is printed on the RT
(the law wants each sale recorded there, whatever receipt the customer chooses),
in a thread so the screen keeps taking keys. What the RT answers (its document
and closure numbers) goes to the core, so a refund can name the original
document. A sale made offline is printed on the RT too (the RT works without the core); its
numbers are kept and sent once the core answers and has the sale. A sale is
never printed on the RT twice: a second attempt (F8) is only
made when the first did not print, and once printed a reprint is a courtesy copy
on the ESC/POS printer. A fault (out of paper, not answering) is said to the
cashier; the sale itself is already safe in the core.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any
from weakref import WeakKeyDictionary

from pos.fiscal_journal import FiscalJournal
from pos.messages import Problem
from shared.client import Api
from shared.errors import CommerceError, NotFound, Unavailable
from shared.fiscal import (
    FiscalError,
    FiscalPrinter,
    FiscalReceipt,
    refund_from_return,
    sale_from_order,
)
from shared.schemas.orders import OrderOut
from shared.schemas.returns import ReturnOut

__all__ = ["FISCAL_RETRY_HINT", "check_fiscal_printer", "close_fiscal_day", "fiscal_number",
           "issue_refund_document", "issue_sale_document", "printed_on_rt", "send_pending"]

FISCAL_RETRY_HINT = "F8 tries the fiscal printer again."

_journals: WeakKeyDictionary[Any, FiscalJournal] = WeakKeyDictionary()
_locks: WeakKeyDictionary[Any, threading.Lock] = WeakKeyDictionary()


def _lock(app: Any) -> threading.Lock:
    return _locks.setdefault(app, threading.Lock())


def _journal(app: Any) -> FiscalJournal:
    """This till's journal, in its own SQLite file when it has one."""
    journal = _journals.get(app)
    if journal is None:
        offline = getattr(app, "offline", None)
        journal = _journals[app] = FiscalJournal(getattr(offline, "store", None))
    return journal


def printed_on_rt(app: Any, order: OrderOut) -> bool:
    """The RT has printed this sale (the core says so, or this till saw it)."""
    return order.fiscal_document is not None or _journal(app).issued(order.number) is not None


def fiscal_number(closure: int, document: int) -> str:
    """How an RT document is read out: ``0007-0042`` (closure, then document)."""
    return f"{closure:04d}-{document:04d}"


async def issue_sale_document(app: Any, order: OrderOut, saved: str
                              ) -> tuple[OrderOut, str | None]:
    """Print ``order`` on the RT unless it already was; returns the order (with its
    fiscal document once the core has it) and a sentence for the cashier, or None
    when the till has no fiscal printer. ``saved`` starts a fault notice, as for
    the receipt printer."""
    printer: FiscalPrinter | None = app.fiscal_printer
    if printer is None:
        return order, None
    journal = _journal(app)
    sent = await send_pending(app)
    if order.number in sent:  # printed before, told to the core just now
        order = sent[order.number]
    if order.fiscal_document is not None:
        document = order.fiscal_document
        number = fiscal_number(document.closure_number, document.document_number)
        return order, f"Fiscal receipt {number} was printed already."
    receipt = journal.issued(order.number)
    said = "was printed already."
    if receipt is None:
        lock = _lock(app)

        def run() -> FiscalReceipt:
            with lock:  # one document at a time on this till's RT
                return printer.print_sale(sale_from_order(order, printer.departments))

        try:
            receipt = await asyncio.to_thread(run)
        except FiscalError as error:
            sentence = f"{error} {FISCAL_RETRY_HINT}"
            app.post_message(Problem(f"{saved.format(order.number)} {sentence}"))
            return order, sentence
        journal.printed(order.number, receipt)
        said = "printed."
    number = fiscal_number(receipt.closure_number, receipt.document_number)
    recorded = await _report(app, order.number, receipt)
    if recorded is None:
        return order, (f"Fiscal receipt {number} {said[:-1]}; the store system records it "
                       "when it answers.")
    return recorded, f"Fiscal receipt {number} {said}"


async def _report(app: Any, number: str, receipt: FiscalReceipt) -> OrderOut | None:
    """Tell the core what the RT printed; the order as recorded, or None when the
    core cannot take it now (out of reach, or an offline sale not replayed yet):
    it is then kept and sent again before the next document this till prints."""
    journal = _journal(app)
    offline = getattr(app, "offline", None)
    if offline is not None and offline.active:  # selling offline: no call to wait on
        return None
    try:
        order: OrderOut = await app.client.call(Api.fiscal_document(number,
                                                                    receipt.as_document()))
    except (Unavailable, NotFound):
        return None
    except CommerceError as error:
        journal.reported(number)
        app.post_message(Problem(
            f"Fiscal receipt {fiscal_number(receipt.closure_number, receipt.document_number)}"
            f" printed, but the store system refused it: {app.explain(error)}"))
        return None
    journal.reported(number)
    return order


async def send_pending(app: Any) -> dict[str, OrderOut]:
    """The RT documents the core has not recorded yet (this run's or, from the
    till's file, an earlier run's), sent again in order; the orders it recorded."""
    sent: dict[str, OrderOut] = {}
    for number, receipt in _journal(app).unreported():
        if (order := await _report(app, number, receipt)) is not None:
            sent[number] = order
    return sent


async def issue_refund_document(app: Any, ret: ReturnOut) -> str | None:
    """Print a refunded return as a reso on the RT, naming the original sale's RT
    document; a sentence for the cashier, or None without a fiscal printer. A
    return the RT cannot take (no receipt, a web order, a sale the RT never
    printed) is said so: its refund needs a credit note from the back office."""
    printer: FiscalPrinter | None = app.fiscal_printer
    if printer is None or not ret.refunds:
        return None
    if ret.order_number is None:
        return "No fiscal reso for a return without a receipt: issue a credit note."
    try:
        original = await app.client.call(Api.order(ret.order_number))
        refund = refund_from_return(ret, original, printer.departments)
    except CommerceError as error:
        return f"No fiscal reso: {app.explain(error)}"
    except FiscalError as error:
        return str(error)
    lock = _lock(app)

    def run() -> FiscalReceipt:
        with lock:
            return printer.print_refund(refund)

    try:
        receipt = await asyncio.to_thread(run)
    except FiscalError as error:
        app.post_message(Problem(f"The refund {ret.number} is saved. {error}"))
        return str(error)
    number = fiscal_number(receipt.closure_number, receipt.document_number)
    reference = refund.original
    return (f"Fiscal reso {number} printed (sale "
            f"{fiscal_number(reference.closure_number, reference.document_number)}).")


async def close_fiscal_day(app: Any) -> str | None:
    """The RT's daily closure (Z report) when the till closes; a sentence for the
    cashier, or None without a fiscal printer."""
    printer: FiscalPrinter | None = app.fiscal_printer
    if printer is None:
        return None
    lock = _lock(app)

    def run() -> str:
        with lock:
            report = printer.daily_closure()
        total = "" if report.daily_amount_cents is None \
            else f", day's total {app.money(report.daily_amount_cents)}"
        return f"Fiscal closure {report.closure_number:04d} printed{total}."

    try:
        return await asyncio.to_thread(run)
    except FiscalError as error:
        app.post_message(Problem(f"Fiscal closure not done: {error} Close it from the "
                                 "fiscal printer's keypad before the end of the day."))
        return f"Fiscal closure not done: {error}"


async def check_fiscal_printer(app: Any) -> str | None:
    """Ask the RT its status when the till starts, so a problem is known before the
    first customer: offline or out of paper, in training mode (its documents are
    not fiscal), files the tax authority rejected. A sentence, or None when all is
    well (or there is no RT); a problem is also raised as a notice."""
    printer: FiscalPrinter | None = app.fiscal_printer
    if printer is None:
        return None
    try:
        state = await asyncio.to_thread(printer.status)
    except FiscalError as error:
        problem: str | None = str(error)
    else:
        problem = state.problem
        if problem is None and state.training:
            problem = "The fiscal printer is in training mode: its receipts are not fiscal."
        if problem is None and state.files_rejected:
            problem = (f"The fiscal printer has {state.files_rejected} file(s) the tax "
                       "authority rejected: call its technician.")
    if problem:
        app.post_message(Problem(problem))
    return problem
