"""Human order numbers (``MI01-000123``, ``W-000045``) from per-prefix counters."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.orders.models import NumberSequence


def next_value(session: Session, name: str) -> int:
    """Increment a counter (row-locked until commit, so numbers never repeat)."""
    for _ in range(3):
        value = session.scalar(
            update(NumberSequence).where(NumberSequence.name == name)
            .values(value=NumberSequence.value + 1).returning(NumberSequence.value)
        )
        if value is not None:
            return int(value)
        try:
            with session.begin_nested():
                session.add(NumberSequence(name=name, value=1))
            return 1
        except IntegrityError:
            continue  # another transaction created it first; take the next one
    raise RuntimeError(f"could not allocate a number from {name}")


def next_number(session: Session, prefix: str) -> str:
    return f"{prefix}-{next_value(session, 'order:' + prefix):06d}"
