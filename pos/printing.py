"""The till's receipt printer, said once: print a document, open the drawer.

Every screen that prints (sale, return, pickup, till report) or takes cash in or
out goes through these two functions, so a printer fault reads the same
everywhere and never undoes what the core has already recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from escpos.escpos import Escpos

from shared.receipt import print_lines

__all__ = ["PrinterOwner", "kick_drawer", "print_document"]


class PrinterOwner(Protocol):
    """What these helpers need of the app: its printer factory."""

    printer_factory: Callable[[], Escpos | None]


def print_document(app: PrinterOwner, lines: list[str],
                   write: Callable[[Escpos], None] | None = None) -> tuple[bool, str]:
    """Print ``lines`` (or run ``write`` on the printer for a richer document).

    Returns ``(printed, what to tell the cashier)``; a missing or failing printer
    is reported, never raised: the document is already on screen and in the core.
    """
    try:
        printer = app.printer_factory()
        if printer is None:
            return False, "No printer configured (receipt on screen)."
        if write is not None:
            write(printer)
        else:
            print_lines(printer, lines)
    except Exception as exc:  # noqa: BLE001 - any printer fault; what it records is safe
        return False, f"Printer not answering ({exc.__class__.__name__}); F8 reprints."
    return True, "Receipt printed."


def kick_drawer(app: PrinterOwner) -> str | None:
    """Open the cash drawer through the printer's kick (pin 2) whenever cash moves.

    Returns a sentence for the cashier when the drawer did not open, else None.
    """
    try:
        printer = app.printer_factory()
        if printer is not None:
            printer.cashdraw(2)
    except Exception as exc:  # noqa: BLE001 - a stuck drawer never blocks the sale
        return (f"The drawer did not open ({exc.__class__.__name__}); "
                "open it with the key.")
    return None
