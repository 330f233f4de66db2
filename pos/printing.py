"""The till's receipt printer, said once: print a document, open the drawer.

Every screen that prints (sale, return, pickup, till report) or takes cash in or
out goes through these two functions, so a printer fault reads the same
everywhere and never undoes what the core has already recorded.

The printer is slow and may not answer (a network printer waits seconds before
giving up), so each job runs in a thread while the screen keeps taking keys;
jobs for one till run one after another, never two connections at once. What
the cashier is told comes from the printer itself (:func:`shared.printers.run_job`):
out of paper, cover open, a dropped connection, or printed.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol
from weakref import WeakKeyDictionary

from escpos.escpos import Escpos

from shared.client import Api, AsyncCommerceClient
from shared.errors import CommerceError
from shared.printers import JobOutcome, close_quietly, connect, run_job
from shared.receipt import ReturnItem, print_lines
from shared.schemas.returns import ReturnOut

__all__ = ["NO_PRINTER", "REPRINT_HINT", "PrinterOwner", "copy_time", "kick_drawer",
           "print_document", "return_items"]

REPRINT_HINT = "F8 reprints."
NO_PRINTER = "No printer configured (receipt on screen)."

_jobs: WeakKeyDictionary[Any, threading.Lock] = WeakKeyDictionary()
_printed: WeakKeyDictionary[Any, set[str]] = WeakKeyDictionary()


class PrinterOwner(Protocol):
    """What these helpers need of the app: its printer factory."""

    printer_factory: Callable[[], Escpos | None]


def _lock(app: PrinterOwner) -> threading.Lock:
    return _jobs.setdefault(app, threading.Lock())


def copy_time(app: PrinterOwner, document: str) -> datetime | None:
    """When ``document`` (an order or return number) already came out of this
    till's printer, even in part, printing it again makes a copy: now, to print
    on it as COPIA. None the first time."""
    return datetime.now(UTC) if document in _printed.get(app, set()) else None


async def print_document(app: PrinterOwner, lines: list[str],
                         write: Callable[[Escpos], None] | None = None, *,
                         document: str | None = None, what: str = "receipt"
                         ) -> tuple[bool, str]:
    """Print ``lines`` (or run ``write`` on the printer for a richer document).

    Returns ``(printed, what to tell the cashier)``; a missing or failing printer
    is reported, never raised: the document is already on screen and in the core.
    ``document`` names it so that printing it again is marked as a copy; ``what``
    is what the cashier calls it ("receipt", "report").
    """
    job = write or (lambda printer: print_lines(printer, lines))

    def told(outcome: JobOutcome) -> str | None:
        if outcome.reached_paper and document:
            _printed.setdefault(app, set()).add(document)
        if outcome.printed or outcome.message == NO_PRINTER:
            return None
        return f"{outcome.message} {REPRINT_HINT}"

    outcome = await _in_thread(app, lambda printer: run_job(printer, job, what=what), told)
    return outcome.printed, told(outcome) or outcome.message


async def kick_drawer(app: PrinterOwner) -> str | None:
    """Open the cash drawer through the printer's kick (pin 2) whenever cash moves.

    Returns a sentence for the cashier when the drawer did not open, else None.
    """
    def kick(printer: Escpos) -> JobOutcome:
        try:
            connect(printer)
            printer.cashdraw(2)
        except Exception as exc:  # noqa: BLE001 - a stuck drawer never blocks the sale
            return JobOutcome(False, False, "", cause=exc.__class__.__name__)
        finally:
            close_quietly(printer)
        return JobOutcome(True, False, "")

    def told(outcome: JobOutcome) -> str | None:
        if outcome.printed or outcome.message == NO_PRINTER:
            return None
        return f"The drawer did not open ({outcome.cause}); open it with the key."

    return told(await _in_thread(app, kick, told))


async def return_items(client: AsyncCommerceClient, ret: ReturnOut) -> dict[str, ReturnItem]:
    """Name and VAT rate of each SKU on a return, for its receipt: from the original
    order (its lines say what was sold, at what rate), else from the catalog. One
    the core cannot tell prints as its SKU: a receipt never waits on a lookup."""
    items: dict[str, ReturnItem] = {}
    try:
        if ret.order_number:
            order = await client.call(Api.order(ret.order_number))
            items = {line.sku: ReturnItem(line.name, line.vat_rate_bp) for line in order.lines}
        for sku in {line.sku for line in ret.lines} - set(items):
            product = await client.call(Api.product(sku))
            items[sku] = ReturnItem(product.name, product.vat_rate_bp)
    except CommerceError:
        pass
    return items


async def _in_thread(app: PrinterOwner, job: Callable[[Escpos], JobOutcome],
                     told: Callable[[JobOutcome], str | None]) -> JobOutcome:
    """Run ``job`` on a fresh printer in a thread, one job at a time per till.

    If the screen that asked goes away meanwhile (its worker is cancelled), the job
    still finishes on the printer, and what ``told`` makes of a fault still reaches
    the cashier.
    """
    def run() -> JobOutcome:
        with _lock(app):
            try:
                printer = app.printer_factory()
            except Exception as exc:  # noqa: BLE001 - a broken configuration or device
                cause = exc.__class__.__name__
                return JobOutcome(False, False, f"Printer not answering ({cause}); nothing "
                                  "was printed.", cause=cause)
            if printer is None:
                return JobOutcome(False, False, NO_PRINTER)
            return job(printer)

    task = asyncio.ensure_future(asyncio.to_thread(run))
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        task.add_done_callback(lambda done: _tell_late(app, done, told))
        raise


def _tell_late(app: PrinterOwner, done: asyncio.Future[JobOutcome],
               told: Callable[[JobOutcome], str | None]) -> None:
    """A job whose screen stopped waiting: its fault still reaches the cashier."""
    if done.cancelled() or done.exception() is not None:
        return
    sentence = told(done.result())
    post = getattr(app, "post_message", None)
    if sentence and post is not None:
        from pos.messages import Problem

        post(Problem(sentence))
