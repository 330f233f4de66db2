"""Appending to the event log in commit order.

Events are queued on the session while a command runs and written by a
``before_commit`` hook that takes their sequence numbers from one counter row.
The row lock is held only from there to the commit, so numbers are handed out
in commit order: a follower reading ``seq > last`` can never miss an event
that commits late with a lower number (which a plain autoincrement allows on
PostgreSQL).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, event, or_, select, true, update
from sqlalchemy.orm import Session

from core.events.models import Event
from core.orders.models import NumberSequence

_PENDING = "omnitill_pending_events"


def emit(
    session: Session, type_: str, *, store: str | None = None, subject: str = "",
    **payload: Any,
) -> None:
    """Record that something happened; written when the command commits."""
    session.info.setdefault(_PENDING, []).append(
        {"type": type_, "store_code": store, "subject": subject, "payload": payload}
    )


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    pending: list[dict[str, Any]] = session.info.pop(_PENDING, [])
    if not pending:
        return
    last = session.scalar(
        update(NumberSequence)
        .where(NumberSequence.name == "events")
        .values(value=NumberSequence.value + len(pending))
        .returning(NumberSequence.value)
    )
    assert last is not None, "the events counter row is created by migration 0002"
    first = last - len(pending) + 1
    session.add_all(Event(seq=first + i, **item) for i, item in enumerate(pending))
    session.flush()


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


def events_after(
    session: Session, *, after: int, store: str | None, types: list[str] | None, limit: int = 200,
    visible: ColumnElement[bool] | None = None,
) -> list[Event]:
    """``visible``: the caller's slice of the log (:func:`core.events.access.visible_to`)."""
    stmt = select(Event).where(Event.seq > after, visible if visible is not None else true())
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
