"""The event log over HTTP: a Server-Sent Events stream and a polling list.

The stream reads the database log (not a process-local queue), so it works
the same with many workers: every worker sees every committed event.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from sse_starlette import EventSourceResponse, ServerSentEvent

from core.deps import DbDep, DeviceDep, SettingsDep
from core.events import service
from core.events.access import visible_to
from core.events.models import Event
from core.problems import InvalidInput
from shared.schemas.orders import EventOut

router = APIRouter(prefix="/v1/events", tags=["events"])

TypesQuery = Annotated[str | None, Query(
    max_length=400, description="Comma-separated types; a trailing dot is a prefix "
    "(`order.` = every order event).")]


def _types(types: str | None) -> list[str] | None:
    return [t.strip() for t in types.split(",") if t.strip()] if types else None


def event_out(event: Event) -> EventOut:
    return EventOut(seq=event.seq, type=event.type, store=event.store_code,
                    subject=event.subject, payload=event.payload, created_at=event.created_at)


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
    request: Request, db: DbDep, settings: SettingsDep, caller: DeviceDep,
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

    def read_batch(position: int) -> list[Event]:
        service.number_pending(db.writer_engine)
        with db.read() as session:
            return service.events_after(session, after=position, store=store, types=wanted,
                                        visible=visible)

    def read_last() -> int:
        with db.read() as session:
            return service.last_seq(session)

    position = after if after is not None else await asyncio.to_thread(read_last)

    async def events() -> AsyncIterator[ServerSentEvent]:
        nonlocal position
        yield ServerSentEvent(comment="following", retry=2000)
        while not await request.is_disconnected():
            batch = await asyncio.to_thread(read_batch, position)
            for event in batch:
                position = event.seq
                yield ServerSentEvent(
                    id=str(event.seq), event=event.type,
                    data=json.dumps(event_out(event).model_dump(mode="json")),
                )
            if not batch:
                await asyncio.sleep(settings.event_poll_seconds)

    return EventSourceResponse(events(), ping=15)
