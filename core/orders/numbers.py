"""Human order numbers (``MI01-000123``, ``W-000045``), one series per prefix.

On PostgreSQL each prefix has a SEQUENCE of its own (``order_number_mi01``):
``nextval`` never waits for another transaction, so orders of a store no
longer queue behind each other's row lock on a shared counter for their whole
transaction (13 of 13.5 busy backends waited there at peak). The price is
gaps: a number taken by an order that then fails (out of stock, a bad basket)
is not given out again. That is acceptable because the order number is a
commercial reference; the fiscal document number is the cash register's (RT)
business, and an offline sale keeps the number printed on its receipt.

On SQLite one writer runs at a time anyway, so the counter row in
``number_sequences`` stays inside the order's transaction and the series has
no gaps. Returns and transfers keep that counter on both databases: they are
rare, and their numbers are taken in the same transaction without hurry.
"""

from __future__ import annotations

import re

from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from core.orders.models import INCREMENT, NumberSequence


def next_value(session: Session, name: str) -> int:
    """Increment a counter (row-locked until commit, so numbers never repeat)."""
    for _ in range(3):
        value = session.scalar(INCREMENT, {"counter": name, "by": 1})
        if value is not None:
            return int(value)
        try:
            with session.begin_nested():
                session.add(NumberSequence(name=name, value=1))
            return 1
        except IntegrityError:
            continue  # another transaction created it first; take the next one
    raise RuntimeError(f"could not allocate a number from {name}")


def sequence_name(prefix: str) -> str:
    """The PostgreSQL sequence of one prefix: ``MI01`` -> ``order_number_mi01``."""
    return "order_number_" + re.sub(r"[^a-z0-9]", "_", prefix.lower())


_NEXTVAL = text("SELECT CASE WHEN to_regclass(:name) IS NOT NULL THEN nextval(:name) END")
"""One round trip; ``CASE`` keeps ``nextval`` from running on a missing sequence
(which would abort the order's transaction)."""


def _create_sequence(session: Session, prefix: str, name: str) -> None:
    """Create a prefix's sequence in a short transaction of its own (DDL inside the
    order's transaction would lock the catalog until it commits), continuing the
    counter this prefix had before sequences existed."""
    bind = session.get_bind()
    engine = create_engine(bind.engine.url, poolclass=NullPool, hide_parameters=True)
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})
            if conn.scalar(text("SELECT to_regclass(:name)"), {"name": name}) is None:
                before = conn.scalar(select(NumberSequence.value).where(
                    NumberSequence.name == "order:" + prefix)) or 0
                conn.execute(text(f'CREATE SEQUENCE "{name}" AS bigint START WITH '
                                  f"{int(before) + 1}"))
    finally:
        engine.dispose()


def next_order_value(session: Session, prefix: str) -> int:
    if session.get_bind().dialect.name != "postgresql":
        return next_value(session, "order:" + prefix)
    name = sequence_name(prefix)
    for _ in range(2):
        value = session.scalar(_NEXTVAL, {"name": name})
        if value is not None:
            return int(value)
        _create_sequence(session, prefix, name)
        # Reading pg_class takes a lock, which makes this backend take in the catalog
        # change the other connection committed; to_regclass alone would keep its
        # cached "no such relation" for the rest of the transaction.
        session.execute(text("SELECT 1 FROM pg_class WHERE relname = :name"), {"name": name})
    raise RuntimeError(f"could not create the order number sequence {name}")


def next_number(session: Session, prefix: str) -> str:
    return f"{prefix}-{next_order_value(session, prefix):06d}"
