"""The till's own SQLite file: the catalog it can sell from, and the outbox of sales
made while the core was out of reach.

Plain ``sqlite3`` (the till never imports SQLAlchemy). Every write is one
transaction with ``synchronous=FULL``: when :meth:`LocalStore.enqueue` returns,
the sale survives a power cut or a killed process, which is why the sale screen
calls it *before* the receipt prints or the drawer opens.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shared.schemas.catalog import ProductOut
from shared.schemas.orders import OrderCreate

Builder = Callable[[str], OrderCreate]
"""Builds a sale's order body once its offline number is known."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS products (
    sku TEXT PRIMARY KEY, gtin TEXT, name TEXT NOT NULL, active INTEGER NOT NULL,
    data TEXT NOT NULL, synced TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS products_gtin ON products (gtin);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    idempotency_key TEXT NOT NULL UNIQUE,
    offline_number TEXT NOT NULL,
    body TEXT NOT NULL,
    staff_token TEXT NOT NULL,
    total_cents INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    order_number TEXT,
    problem TEXT,
    done_at TEXT);
CREATE INDEX IF NOT EXISTS outbox_status ON outbox (status, seq);
"""

ADDED_COLUMNS = {"approver_token": "TEXT", "handled_by": "TEXT", "note": "TEXT",
                 "conflict": "TEXT", "conflict_seen": "INTEGER NOT NULL DEFAULT 0"}
"""Outbox columns later than the first till files: added to a file that lacks them."""

REVIEW = "refused"
"""The status of a sale the core refused: it waits for a supervisor (the review
list), never retried on its own."""


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One sale waiting for (or done with) its replay."""

    seq: int
    id: str
    idempotency_key: str
    offline_number: str
    body: OrderCreate
    staff_token: str
    total_cents: int
    created_at: str
    status: str
    order_number: str | None
    problem: str | None
    approver_token: str | None = None
    """A supervisor's sign-in sent with the sale: approved at the sale, or taking it
    on from the review list."""
    handled_by: str | None = None
    note: str | None = None
    conflict: str | None = None
    """What the core noted when it took the sale: stock another channel had sold."""

    @property
    def reason(self) -> str:
        """What the core said when it refused the sale, for a person."""
        if not self.problem:
            return ""
        try:
            return str(json.loads(self.problem).get("detail") or "")
        except (ValueError, AttributeError):
            return self.problem


def _now() -> str:
    return datetime.now(UTC).isoformat()


class LocalStore:
    """One SQLite file per till (``<data_dir>/till.db``)."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "till.db"
        # One connection, used from the app's event loop and the odd thread; the
        # lock keeps a transaction whole.
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._lock = threading.RLock()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)
        have = {row[1] for row in self._db.execute("PRAGMA table_info(outbox)")}
        for column, kind in ADDED_COLUMNS.items():
            if column not in have:
                self._db.execute(f"ALTER TABLE outbox ADD COLUMN {column} {kind}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # -- plain statements, for the till's other tables (see ``approvals``) -------------

    def script(self, sql: str) -> None:
        with self._lock:
            self._db.executescript(sql)

    def execute(self, sql: str, args: tuple[object, ...] = ()) -> None:
        with self._transaction() as db:
            db.execute(sql, args)

    def rows(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return list(self._db.execute(sql, args).fetchall())

    # -- meta -------------------------------------------------------------------------

    def get(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, value: str) -> None:
        with self._transaction() as db:
            db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO "
                       "UPDATE SET value = excluded.value", (key, value))

    # -- catalog ----------------------------------------------------------------------

    def save_products(self, products: Iterable[ProductOut], *, sync: str) -> int:
        """One page of the catalog, in one transaction; ``sync`` marks the rows of
        this refresh so :meth:`drop_products_not_in` can forget retired ones."""
        rows = [(p.sku, p.gtin, p.name, int(p.active), p.model_dump_json(), sync)
                for p in products]
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO products (sku, gtin, name, active, data, synced) VALUES "
                "(?, ?, ?, ?, ?, ?) ON CONFLICT (sku) DO UPDATE SET gtin = excluded.gtin, "
                "name = excluded.name, active = excluded.active, data = excluded.data, "
                "synced = excluded.synced", rows)
        return len(rows)

    def drop_products_not_in(self, sync: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM products WHERE synced != ?", (sync,))

    def drop_product(self, sku: str) -> None:
        """A product the core no longer knows: never sold from this copy again."""
        with self._transaction() as db:
            db.execute("DELETE FROM products WHERE sku = ?", (sku,))

    def product_count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM products").fetchone()[0])

    def product(self, code: str) -> ProductOut | None:
        """By SKU or barcode, as a scanner or the cashier types it."""
        with self._lock:
            row = self._db.execute(
                "SELECT data FROM products WHERE active = 1 AND (sku = ? OR gtin = ?) "
                "LIMIT 1", (code.strip().upper(), code.strip())).fetchone()
        return ProductOut.model_validate_json(row[0]) if row else None

    def search(self, words: str, limit: int = 20) -> list[ProductOut]:
        pattern = "%" + words.strip().replace("%", "").replace("_", "") + "%"
        with self._lock:
            rows = self._db.execute(
                "SELECT data FROM products WHERE active = 1 AND name LIKE ? ORDER BY name "
                "LIMIT ?", (pattern, limit)).fetchall()
        return [ProductOut.model_validate_json(row[0]) for row in rows]

    # -- outbox -----------------------------------------------------------------------

    def next_number(self, till: str) -> str:
        """The number the next offline receipt will carry (``<till>-<seq>``)."""
        with self._lock:
            row = self._db.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()
        return f"{till}-{int(row[0]) + 1}"

    def enqueue(self, *, till: str, key: str, staff_token: str, build: Builder,
                approver_token: str | None = None) -> OutboxEntry:
        """Write one sale to the outbox, numbered in the same transaction; durable
        when this returns. ``build(offline_number)`` gives the body to replay."""
        with self._transaction() as db:
            seq = int(db.execute("SELECT coalesce(max(seq), 0) + 1 FROM outbox").fetchone()[0])
            number = f"{till}-{seq}"
            body = build(number)
            entry_id, created = uuid.uuid4().hex, _now()
            total = sum(p.amount_cents for p in body.payments)
            db.execute(
                "INSERT INTO outbox (seq, id, idempotency_key, offline_number, body, "
                "staff_token, total_cents, created_at, approver_token) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (seq, entry_id, key, number, body.model_dump_json(exclude_none=True),
                 staff_token, total, created, approver_token))
        return OutboxEntry(seq, entry_id, key, number, body, staff_token, total, created,
                           "pending", None, None, approver_token)

    def pending(self, limit: int = 50) -> list[OutboxEntry]:
        """Oldest first: sales reach the core in the order they were made."""
        return self._entries("WHERE status = 'pending' ORDER BY seq LIMIT ?", (limit,))

    def entries(self, status: str | None = None, limit: int = 200) -> list[OutboxEntry]:
        if status is None:
            return self._entries("ORDER BY seq DESC LIMIT ?", (limit,))
        return self._entries("WHERE status = ? ORDER BY seq DESC LIMIT ?", (status, limit))

    def _entries(self, where: str, args: tuple[object, ...]) -> list[OutboxEntry]:
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, id, idempotency_key, offline_number, body, staff_token, "
                "total_cents, created_at, status, order_number, problem, approver_token, "
                f"handled_by, note, conflict FROM outbox {where}", args).fetchall()
        return [OutboxEntry(r[0], r[1], r[2], r[3], OrderCreate.model_validate_json(r[4]),
                            *r[5:]) for r in rows]

    def count(self, status: str = "pending") -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM outbox WHERE status = ?",
                                        (status,)).fetchone()[0])

    def card_total_since(self, since: str) -> int:
        """Card taken offline since ``since`` (ISO time): the per-day cap."""
        total = 0
        for entry in self._entries("WHERE created_at >= ? ORDER BY seq", (since,)):
            total += sum(p.amount_cents for p in entry.body.payments if p.tender == "card")
        return total

    def mark_sent(self, entry_id: str, order_number: str) -> None:
        with self._transaction() as db:
            db.execute("UPDATE outbox SET status = 'sent', order_number = ?, done_at = ?, "
                       "attempts = attempts + 1 WHERE id = ?", (order_number, _now(), entry_id))

    def mark_refused(self, entry_id: str, problem: dict[str, object]) -> None:
        """The core said no (and will say no again): kept for a supervisor, not retried
        until they ask (:meth:`retry`)."""
        with self._transaction() as db:
            db.execute("UPDATE outbox SET status = 'refused', problem = ?, done_at = ?, "
                       "attempts = attempts + 1 WHERE id = ?",
                       (json.dumps(problem), _now(), entry_id))

    def note_conflict(self, order_number: str, text: str) -> bool:
        """The core took this replayed sale of stock it no longer counted."""
        with self._transaction() as db:
            changed = db.execute(
                "UPDATE outbox SET conflict = coalesce(conflict || '; ', '') || ? "
                "WHERE order_number = ? AND status = 'sent'", (text, order_number)).rowcount
        return bool(changed)

    def conflicts(self) -> list[OutboxEntry]:
        """Replayed sales with a stock conflict a supervisor has not seen yet."""
        return self._entries("WHERE conflict IS NOT NULL AND conflict_seen = 0 ORDER BY seq",
                             ())

    def conflict_seen(self, entry_id: str) -> None:
        with self._transaction() as db:
            db.execute("UPDATE outbox SET conflict_seen = 1 WHERE id = ?", (entry_id,))

    def failed_attempt(self, entry_id: str) -> int:
        """The core failed on this sale (a 500): how many times it has now."""
        with self._transaction() as db:
            row = db.execute("UPDATE outbox SET attempts = attempts + 1 WHERE id = ? "
                             "RETURNING attempts", (entry_id,)).fetchone()
        return int(row[0]) if row else 0

    def retry(self, entry_id: str, approver_token: str | None = None) -> bool:
        """Back in the queue, the supervisor's sign-in going with it (they take the
        sale on); False when it was no longer waiting for review."""
        with self._transaction() as db:
            changed = db.execute(
                "UPDATE outbox SET status = 'pending', attempts = 0, approver_token = "
                "coalesce(?, approver_token) WHERE id = ? AND status = 'refused'",
                (approver_token, entry_id)).rowcount
        return bool(changed)

    def mark_handled(self, entry_id: str, *, by: str = "", note: str = "") -> bool:
        """Written off by a supervisor (``by``): it will never reach the core."""
        with self._transaction() as db:
            changed = db.execute(
                "UPDATE outbox SET status = 'handled', handled_by = ?, note = ?, done_at = ? "
                "WHERE id = ? AND status = 'refused'", (by, note, _now(), entry_id)).rowcount
        return bool(changed)
