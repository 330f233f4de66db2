"""Event numbers follow commit order without a chain-wide lock held to commit.

On PostgreSQL the counter row was locked from the moment a command wrote its
events until it committed, so every order of the chain queued there.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select, text

from core.db import Database
from core.events.models import Event
from core.events.service import _write_pending, emit, events_after, number_pending
from tests.conftest import Seeded


@pytest.fixture
def db(seeded: Seeded) -> Iterator[Database]:
    database = Database(seeded.url)
    yield database
    database.dispose()


def _last(db: Database) -> int:
    number_pending(db.writer_engine)
    with db.read() as session:
        return max(session.scalars(select(Event.seq)), default=0)


def test_a_command_that_wrote_its_events_does_not_hold_up_another(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("SQLite runs one writer at a time: the second command waits by design")
    start = _last(db)
    with db.write() as first:
        emit(first, "test.first", subject="first")
        _write_pending(first)  # what its commit does first: its events are written
        with db.write() as second:
            second.execute(text("SET LOCAL lock_timeout = '2s'"))
            emit(second, "test.second", subject="second")
    number_pending(db.writer_engine)
    with db.read() as session:
        seen = [e.subject for e in events_after(session, after=start, store=None,
                                                 types=["test."])]
    assert seen == ["second", "first"]  # in the order they committed


def test_numbers_are_positive_contiguous_and_in_write_order(db: Database) -> None:
    start = _last(db)
    for batch in range(3):
        with db.write() as session:
            for i in range(4):
                emit(session, "test.batch", subject=f"{batch}-{i}")
    with db.read() as session:
        rows = events_after(session, after=start, store=None, types=["test."])
    assert [e.seq for e in rows] == list(range(start + 1, start + 13))
    assert [e.subject for e in rows] == [f"{b}-{i}" for b in range(3) for i in range(4)]
