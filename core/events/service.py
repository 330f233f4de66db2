"""Appending to the event log in commit order.

Events are queued on the session while a command runs and written when it
commits. A follower reads ``seq > last``, so an event must never become
visible with a number lower than one already seen: numbers follow commit
order.

On SQLite (one writer at a time) a ``before_commit`` hook takes the numbers
from the counter row just before the commit.

On PostgreSQL that counter row, locked from the hook until the commit, was
where every order of the chain queued at peak (6-7 of ~8 busy backends). So
events are written with a temporary negative ``seq`` (from the
``events_unnumbered`` sequence: no lock) and numbered *after* they commit, by
:func:`number_pending`, in one short transaction under an advisory lock: it
numbers every committed event still waiting, in the order they were written.
Each run numbers only committed rows and runs after the one before it has
committed, so numbers still follow commit order, and many commands' events
are numbered in one go. Readers run it before they read (an event is numbered
at the latest when someone looks), and so does each command that wrote events,
after its commit, so the log stays current without readers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

from sqlalchemy import ColumnElement, Engine, Table, event, insert, or_, select, text, true, update
from sqlalchemy.orm import Session

from core.db import AFTER_WRITE
from core.events.models import Event
from core.orders.models import INCREMENT, NumberSequence
from core.timeutil import utcnow

_PENDING = "omnitill_pending_events"


def emit(
    session: Session, type_: str, *, store: str | None = None, subject: str = "",
    **payload: Any,
) -> None:
    """Record that something happened; written when the command commits."""
    session.info.setdefault(_PENDING, []).append(
        {"type": type_, "store_code": store, "subject": subject, "payload": payload}
    )


_listeners: list[Callable[[], None]] = []


def on_committed(listener: Callable[[], None]) -> Callable[[], None]:
    """Call ``listener`` (from the writing thread) after each command of this process
    that wrote events has committed, so the event hub reads them now rather than at
    its next poll; returns the function that stops it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


def _tell_listeners(_engine: Engine) -> None:
    for listener in list(_listeners):
        listener()


_UNNUMBERED = text("SELECT -nextval('events_unnumbered') FROM generate_series(1, :n)")
_NUMBERING_LOCK = 7_170_017
"""The advisory lock key that makes runs of :func:`number_pending` take turns."""


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    pending: list[dict[str, Any]] = session.info.pop(_PENDING, [])
    if not pending:
        return
    hooks = session.info.setdefault(AFTER_WRITE, [])
    if session.get_bind().dialect.name == "postgresql":
        temporary = list(session.scalars(_UNNUMBERED, {"n": len(pending)}))
        _insert(session, temporary, pending)
        if _number_if_free not in hooks:
            hooks.append(_number_if_free)
        if _tell_listeners not in hooks:
            hooks.append(_tell_listeners)  # after numbering
        return
    last = session.scalar(INCREMENT, {"counter": "events", "by": len(pending)})
    assert last is not None, "the events counter row is created by migration 0002"
    first = last - len(pending) + 1
    _insert(session, range(first, last + 1), pending)
    if _tell_listeners not in hooks:
        hooks.append(_tell_listeners)


_INSERT = insert(cast(Table, Event.__table__))


def _insert(session: Session, numbers: Iterable[int], pending: list[dict[str, Any]]) -> None:
    """One INSERT on the table for all of a command's events: they are never read
    back in its transaction, so the ORM's unit of work would only add its cost."""
    now = utcnow()
    session.execute(_INSERT, [{"seq": seq, "created_at": now, **item}
                              for seq, item in zip(numbers, pending, strict=True)])


def _number_if_free(engine: Engine) -> None:
    number_pending(engine, wait=False)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


def number_pending(engine: Engine, *, wait: bool = True) -> int:
    """PostgreSQL: number the committed events still waiting, in the order they
    were written, continuing the counter; returns how many. A no-op on SQLite.

    ``wait=False`` (after a command): when another run is busy, leave ours to the
    next run instead of queueing behind it; every reader numbers before it reads,
    so an event is numbered by the time anyone looks. Waiting here made 7-12
    finished commands queue at 32 clients."""
    if engine.dialect.name != "postgresql":
        return 0
    with engine.begin() as conn:
        if not wait:
            if not conn.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"),
                               {"key": _NUMBERING_LOCK}):
                return 0
        else:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _NUMBERING_LOCK})
        # Taken after the lock: this statement sees every event committed before it.
        waiting = list(conn.scalars(select(Event.seq).where(Event.seq < 0)
                                    .order_by(Event.seq.desc())))
        if not waiting:
            return 0
        last = conn.scalar(update(NumberSequence).where(NumberSequence.name == "events")
                           .values(value=NumberSequence.value + len(waiting))
                           .returning(NumberSequence.value))
        assert last is not None, "the events counter row is created by migration 0002"
        first = last - len(waiting) + 1
        conn.execute(text(
            "UPDATE events SET seq = v.new FROM (SELECT unnest(CAST(:old AS bigint[])) AS old, "
            "unnest(CAST(:new AS bigint[])) AS new) AS v WHERE events.seq = v.old"),
            {"old": waiting, "new": list(range(first, last + 1))})
    return len(waiting)


def events_after(
    session: Session, *, after: int, store: str | None, types: list[str] | None, limit: int = 200,
    visible: ColumnElement[bool] | None = None, upto: int | None = None,
) -> list[Event]:
    """``visible``: the caller's slice of the log (:func:`core.events.access.visible_to`);
    ``upto``: the last number to read (a stream catching up to where the hub took over)."""
    stmt = select(Event).where(Event.seq > after, visible if visible is not None else true())
    if upto is not None:
        stmt = stmt.where(Event.seq <= upto)
    if store:
        stmt = stmt.where((Event.store_code == store) | (Event.store_code.is_(None)))
    if types:
        prefixes = [t for t in types if t.endswith(".")]
        exact = [t for t in types if not t.endswith(".")]
        clauses: list[ColumnElement[bool]] = [Event.type.in_(exact)] if exact else []
        clauses += [Event.type.startswith(p) for p in prefixes]
        stmt = stmt.where(or_(*clauses))
    return list(session.scalars(stmt.order_by(Event.seq).limit(limit)))


def last_seq(session: Session) -> int:
    value = session.scalar(select(NumberSequence.value).where(NumberSequence.name == "events"))
    return int(value or 0)
