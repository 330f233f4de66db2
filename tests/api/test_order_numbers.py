"""Order numbers: unrelated orders never wait for each other's number.

The number used to come from a counter row updated at the start of the order's
transaction and locked until it committed, so on PostgreSQL every order of a
store queued behind the one before it for its whole transaction.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from core.db import Database
from core.orders.models import NumberSequence
from core.orders.numbers import next_number
from tests.conftest import Seeded


@pytest.fixture
def db(seeded: Seeded) -> Iterator[Database]:
    database = Database(seeded.url)
    yield database
    database.dispose()


def _postgres_only(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("SQLite runs one writer at a time: a second order waits by design")


def test_a_number_is_taken_while_another_order_is_still_open(db: Database) -> None:
    _postgres_only(db)
    with db.write() as first:
        held = next_number(first, "MI01")
        with db.write() as second:
            second.execute(text("SET LOCAL lock_timeout = '2s'"))
            taken = next_number(second, "MI01")
    assert taken != held
    assert taken.startswith("MI01-") and held.startswith("MI01-")


def test_a_new_series_continues_the_counter_it_replaces(db: Database) -> None:
    """A database numbered by the old counter goes on from its last number."""
    with db.write() as session:
        session.add(NumberSequence(name="order:ZZ01", value=41))
    with db.write() as session:
        assert next_number(session, "ZZ01") == "ZZ01-000042"
    with db.write() as session:
        assert next_number(session, "ZZ01") == "ZZ01-000043"


def test_sqlite_numbers_have_no_gaps_after_a_failed_order(db: Database) -> None:
    if not db.is_sqlite:
        pytest.skip("PostgreSQL numbers skip what a failed order took (see core.orders.numbers)")
    with db.write() as session:
        before = next_number(session, "MI01")
    with pytest.raises(RuntimeError), db.write() as session:
        next_number(session, "MI01")
        raise RuntimeError("the order failed")
    with db.write() as session:
        after = next_number(session, "MI01")
    assert int(after.rsplit("-", 1)[1]) == int(before.rsplit("-", 1)[1]) + 1
