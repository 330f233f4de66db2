"""The event log over HTTP: a Server-Sent Events stream and a polling list.

The stream reads the database log (not a process-local queue), so it works
the same with many workers: every worker sees every committed event. A stream
first catches up from the log (after ``Last-Event-ID``) up to where the
process's :class:`~core.events.hub.EventHub` took it on, then receives what
the hub reads, which polls the log once for every stream of the process.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from sse_starlette import EventSourceResponse, ServerSentEvent

from core.deps import DbDep, DeviceDep
from core.events import service
from core.events.access import may_see, visible_to
from core.events.hub import EventHub, Published, event_out, frame
from core.events.models import Event
from core.problems import InvalidInput
from shared.schemas.orders import EventOut

router = APIRouter(prefix="/v1/events", tags=["events"])

TypesQuery = Annotated[str | None, Query(
    max_length=400, description="Comma-separated types; a trailing dot is a prefix "
    "(`order.` = every order event).")]


def _types(types: str | None) -> list[str] | None:
    return [t.strip() for t in types.split(",") if t.strip()] if types else None


CATCH_UP_PAGE = 200


def _wanted(store: str | None, types: list[str] | None) -> Callable[[Published], bool]:
    """The stream's own filters (``store``, ``types``) as :func:`service.events_after`
    applies them in SQL."""
    exact = {t for t in types or () if not t.endswith(".")}
    prefixes = tuple(t for t in types or () if t.endswith("."))

    def wanted(event: Published) -> bool:
        if store and event.store_code not in (store, None):
            return False
        return not types or event.type in exact or event.type.startswith(prefixes)

    return wanted


@router.get("/recent", response_model=list[EventOut], summary="Events after a sequence number")
def recent(db: DbDep, caller: DeviceDep, after: Annotated[int, Query(ge=0, le=2**62)] = 0,
           store: Annotated[str | None, Query(max_length=8)] = None, types: TypesQuery = None,
           limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[EventOut]:
    service.number_pending(db.writer_engine)
    with db.read() as session:
        rows = service.events_after(session, after=after, store=store, types=_types(types),
                                    limit=limit, visible=visible_to(caller))
        return [event_out(e) for e in rows]


@router.get("", summary="Follow events live (Server-Sent Events, resumable)",
            response_class=EventSourceResponse,
            responses={200: {"content": {"text/event-stream": {}}}})
async def stream(
    request: Request, db: DbDep, caller: DeviceDep,
    store: Annotated[str | None, Query(max_length=8)] = None, types: TypesQuery = None,
    after: Annotated[int | None, Query(
        ge=0, le=2**62, description="Start after this sequence number; default: from now on.",
    )] = None,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> EventSourceResponse:
    if last_event_id is not None:
        if not (last_event_id.isascii() and last_event_id.isdigit()) or len(last_event_id) > 18:
            raise InvalidInput("Last-Event-ID must be an event sequence number.")
        after = int(last_event_id)
    wanted = _types(types)
    visible = visible_to(caller)
    live = _wanted(store, wanted)
    sees = may_see(caller)
    hub: EventHub = request.app.state.events

    def read_batch(position: int, upto: int) -> list[Event]:
        service.number_pending(db.writer_engine)
        with db.read() as session:
            return service.events_after(session, after=position, store=store, types=wanted,
                                        visible=visible, upto=upto, limit=CATCH_UP_PAGE)

    async def events() -> AsyncIterator[ServerSentEvent | bytes]:
        yield ServerSentEvent(comment="following", retry=2000)
        follower, joined_at = await hub.join(lambda e: sees(e) and live(e))
        try:
            last = joined_at if after is None else after
            while last < joined_at:  # catch up from the log to where the hub took over
                batch = await asyncio.to_thread(read_batch, last, joined_at)
                for event in batch:
                    last = event.seq
                    yield frame(event)
                if len(batch) < CATCH_UP_PAGE:
                    break
            while not (follower.overflowed and follower.queue.empty()):
                item = await follower.queue.get()
                if item.seq > last:  # a Last-Event-ID ahead of this process's hub
                    last = item.seq
                    yield item.frame
            # Too slow to keep up: the client comes back from the last event received.
            # A comment, not an event: clients must not take it for one of the log.
            yield ServerSentEvent(comment="fell behind: reconnect with Last-Event-ID",
                                  retry=1000)
        finally:
            hub.leave(follower)

    return EventSourceResponse(events(), ping=15)
