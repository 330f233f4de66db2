"""Engines and sessions.

Two engines point at the same database: a *reader* for queries and a *writer*
for commands. On SQLite the writer opens every transaction with
``BEGIN IMMEDIATE`` so that concurrent commands queue on the write lock (with a
busy timeout) instead of failing half-way with "database is locked" when a
read lock cannot be upgraded, and in front of that lock this process's writers
queue first come, first served (:mod:`core.write_queue`), because SQLite's own
busy handler grants the lock to whoever retries at the right moment. On
PostgreSQL both are plain READ COMMITTED engines: correctness comes from
conditional updates and row locks, never from a lock in this process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, MetaData, Result, create_engine, event, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from core.write_queue import WriteQueue

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every table of the core."""

    metadata = MetaData(naming_convention=NAMING)


AFTER_WRITE = "omnitill_after_write"
"""``Session.info`` key: callables run with the writer engine once the command has
committed and given its connection back (:mod:`core.events` numbers its events
there)."""

SQLITE_BUSY_TIMEOUT_MS = 30_000

log = logging.getLogger("omnitill.core")


def owner_only_sqlite_file(url: str) -> None:
    """The SQLite file holds PIN and token hashes and customers' personal data:
    create it readable by its owner only (SQLite gives its -wal and -shm files
    the database file's mode), and close one an older version left at 0644."""
    database = make_url(url).database
    if not url.startswith("sqlite") or not database or database == ":memory:" \
            or database.startswith("file:"):
        return
    path = Path(database)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):  # another process made it first
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if each.exists() and stat.S_IMODE(each.stat().st_mode) & 0o077:
                each.chmod(0o600)
        except PermissionError:  # not ours to change (a file another user owns)
            log.warning("cannot make %s readable by its owner only", each)


def _make_engine(url: str, *, immediate: bool) -> Engine:
    # hide_parameters: a failed statement's message (and so any log of it) must
    # not carry its parameters: customers' names, emails, phones.
    if url.startswith("sqlite"):
        owner_only_sqlite_file(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Take transaction control away from the sqlite3 module so that
            # the "begin" hook below decides how each transaction starts.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql(begin)

        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True,
                         hide_parameters=True)


class Database:
    """The database of one core process: a reader and a writer engine."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.writer_engine = _make_engine(url, immediate=True)
        self.reader_engine = (
            _make_engine(url, immediate=False) if self.is_sqlite else self.writer_engine
        )
        self._writer = sessionmaker(self.writer_engine, expire_on_commit=False)
        self._reader = sessionmaker(self.reader_engine, expire_on_commit=False)
        self.write_queue: WriteQueue | None = WriteQueue() if self.is_sqlite else None
        """SQLite only: this process's writers take turns in arrival order."""
        self.session_info: dict[str, Any] = {}
        """Copied into each command's ``Session.info``: settings a domain service reads
        deep in a call chain (the low-stock threshold) without every caller passing them."""

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One command, one transaction: committed whole or rolled back whole."""
        with self.write_queue or nullcontext():
            with self._writer() as session:
                session.info.update(self.session_info)
                with session.begin():
                    yield session
                after = session.info.pop(AFTER_WRITE, [])
            for hook in after:  # committed, and the connection is back in the pool
                hook(self.writer_engine)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work; never commits. Closing (not rolling back)
        leaves loaded objects readable after the block."""
        with self._reader() as session:
            yield session

    def dispose(self) -> None:
        self.writer_engine.dispose()
        if self.reader_engine is not self.writer_engine:
            self.reader_engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Scripts and tests that open a database for a moment close its pools even
        when they fail, so a failed step cannot leave PostgreSQL connections open."""
        self.dispose()


def rows_changed(result: Result[Any]) -> int:
    """How many rows a conditional UPDATE or DELETE touched: the outcome of the
    compare-and-set that keeps stock and balances right under concurrency."""
    return cast(CursorResult[Any], result).rowcount
