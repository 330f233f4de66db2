"""``GET /v1/health/ready``: readiness a load balancer can trust.

``/v1/health`` only reads, so it said ok while a read-only or full database
refused every sale. Readiness makes a real write (an update that changes
nothing, rolled back) and answers 503 problem+json when it fails, so the
balancer takes this core out of rotation.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext

from fastapi import APIRouter
from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError

from core import __version__
from core.deps import DbDep
from core.orders.models import NumberSequence
from core.problems import Unavailable
from shared.schemas.common import Health

log = logging.getLogger("omnitill.core")

router = APIRouter(prefix="/v1/health", tags=["health"])


@router.get("/ready", response_model=Health,
            summary="Ready to take orders: the database accepts writes (503 if not)")
def ready(db: DbDep) -> Health:
    """Open to everyone (load balancers have no device token)."""
    try:
        # In the SQLite writers' queue like any write: BEGIN IMMEDIATE takes the write
        # lock, and a probe must not cut in ahead of orders that wait their turn.
        with db.write_queue or nullcontext(), db.writer_engine.connect() as connection:
            connection.execute(update(NumberSequence).where(NumberSequence.name == "events")
                               .values(value=NumberSequence.value))
            connection.rollback()  # never committed
    except SQLAlchemyError as exc:
        log.error("readiness: the database refuses writes: %s", type(exc).__name__)
        raise Unavailable("The database does not accept writes; this core cannot take "
                          "orders now.", code="not_ready") from exc
    return Health(status="ok", database="ok", version=__version__)
