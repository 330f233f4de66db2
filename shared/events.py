"""Following the core's event stream (Server-Sent Events) with reconnects.

The stream is resumable: each event carries its sequence number as the SSE
id, and a reconnect sends ``Last-Event-ID`` so nothing is missed or repeated
across a network blip or a core restart.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator

import httpx
from httpx_sse import ServerSentEvent, aconnect_sse, connect_sse

from shared.client import AsyncCommerceClient, CommerceClient
from shared.schemas.orders import EventOut

__all__ = ["afollow_events", "follow_events"]


def _request(client: CommerceClient | AsyncCommerceClient, store: str | None,
             types: str | None, last: int | None) -> dict[str, object]:
    """Arguments of one (re)connection: resume after the last event seen."""
    headers = client._request_headers_for_stream()
    if last is not None:
        headers["Last-Event-ID"] = str(last)
    params = {"store": store, "types": types, "after": None if last is None else str(last)}
    return {"headers": headers, "params": {k: v for k, v in params.items() if v is not None},
            "timeout": None}


def _event(sse: ServerSentEvent) -> EventOut | None:
    return EventOut.model_validate(json.loads(sse.data)) if sse.data and sse.id else None


def follow_events(
    client: CommerceClient, *, store: str | None = None, types: str | None = None,
    after: int | None = None, retry_seconds: float = 1.0, max_reconnects: int | None = None,
) -> Iterator[EventOut]:
    """Yield events forever (blocking), reconnecting from the last one seen."""
    last = after
    reconnects = 0
    while True:
        try:
            with connect_sse(client.http, "GET", "/v1/events",
                             **_request(client, store, types, last)) as source:
                for sse in source.iter_sse():
                    if event := _event(sse):
                        last = event.seq
                        yield event
        except httpx.HTTPError:
            pass
        reconnects += 1
        if max_reconnects is not None and reconnects > max_reconnects:
            return
        time.sleep(retry_seconds)


async def afollow_events(
    client: AsyncCommerceClient, *, store: str | None = None, types: str | None = None,
    after: int | None = None, retry_seconds: float = 1.0, max_reconnects: int | None = None,
) -> AsyncIterator[EventOut]:
    """The same for the apps' async workers."""
    last = after
    reconnects = 0
    while True:
        try:
            async with aconnect_sse(client.http, "GET", "/v1/events",
                                    **_request(client, store, types, last)) as source:
                async for sse in source.aiter_sse():
                    if event := _event(sse):
                        last = event.seq
                        yield event
        except httpx.HTTPError:
            pass
        reconnects += 1
        if max_reconnects is not None and reconnects > max_reconnects:
            return
        await asyncio.sleep(retry_seconds)
