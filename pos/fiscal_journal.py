"""The RT documents this till printed that the core has not recorded yet, kept in
the till's own SQLite file (``till.db``, beside the offline outbox).

An RT prints without the core, so a sale made while the core is down (or just
before the till is closed or killed) has document numbers only this till knows.
Kept in memory they died with the process: the core never learnt them, so a
refund of that sale could not name its original document, and the same sale
could be printed on the RT a second time. A row is written as soon as the RT
answers and deleted once the core has recorded it. A till without a data folder
(tests, a till that never sells offline) keeps them in memory as before.
"""

from __future__ import annotations

from datetime import datetime

from pos.offline.store import LocalStore
from shared.fiscal import FiscalReceipt

__all__ = ["FiscalJournal"]

TABLE = """
CREATE TABLE IF NOT EXISTS fiscal_unreported (
    seq INTEGER PRIMARY KEY,
    order_number TEXT NOT NULL UNIQUE,
    document_number INTEGER NOT NULL,
    closure_number INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL,
    printed_at TEXT NOT NULL,
    serial TEXT NOT NULL);
"""


class FiscalJournal:
    """Which sales this till printed on the RT, and which of them the core still
    has to be told about (oldest first)."""

    def __init__(self, store: LocalStore | None) -> None:
        self._store = store
        self._issued: dict[str, FiscalReceipt] = {}
        self._unreported: dict[str, FiscalReceipt] = {}
        if store is None:
            return
        store.script(TABLE)
        for number, document, closure, amount, printed_at, serial in store.rows(
                "SELECT order_number, document_number, closure_number, amount_cents, "
                "printed_at, serial FROM fiscal_unreported ORDER BY seq"):
            receipt = FiscalReceipt(document_number=document, closure_number=closure,
                                    amount_cents=amount, serial=serial,
                                    printed_at=datetime.fromisoformat(printed_at))
            self._issued[number] = self._unreported[number] = receipt

    def issued(self, order_number: str) -> FiscalReceipt | None:
        return self._issued.get(order_number)

    def printed(self, order_number: str, receipt: FiscalReceipt) -> None:
        """The RT printed it: kept until the core has it (written before anything
        else is tried, so a crash right after printing loses nothing)."""
        self._issued[order_number] = self._unreported[order_number] = receipt
        if self._store is not None:
            self._store.execute(
                "INSERT OR REPLACE INTO fiscal_unreported (order_number, document_number, "
                "closure_number, amount_cents, printed_at, serial) VALUES (?, ?, ?, ?, ?, ?)",
                (order_number, receipt.document_number, receipt.closure_number,
                 receipt.amount_cents, receipt.printed_at.isoformat(), receipt.serial))

    def unreported(self) -> list[tuple[str, FiscalReceipt]]:
        return list(self._unreported.items())

    def reported(self, order_number: str) -> None:
        """The core recorded it (or refused it for good): nothing left to send."""
        self._unreported.pop(order_number, None)
        if self._store is not None:
            self._store.execute("DELETE FROM fiscal_unreported WHERE order_number = ?",
                                (order_number,))
