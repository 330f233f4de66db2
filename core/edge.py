"""What is refused before any route runs: NUL bytes and forged page cursors.

A NUL byte is legal in a Python string and in SQLite but PostgreSQL refuses it
in text, so one slipped into a path id, a query parameter or a JSON string used
to surface as a 500 from deep inside a query. No field of ours has a use for
it, so it is refused here once, for every route, with a 422 that says so.

Page cursors are opaque to clients but were decoded and trusted as they came:
``{"o": 2**63}`` overflowed the database's integer, ``{"k": [null, null]}``
compared names to nothing. Every ``cursor`` parameter must have one of the two
shapes the core hands out (:func:`check_cursor`), with values in range.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.problems import PROBLEM_JSON

MAX_OFFSET = 100_000
"""A search result deeper than this is not browsed page by page."""
MAX_KEY = 200
"""Longer than any product name or SKU."""
MAX_ID = 2**63 - 1
"""The largest id a 64-bit column holds."""
MAX_BODY = 1_000_000
"""Requests of ours are small; a larger body is refused before it is read whole."""
MAX_IMPORT_BODY = 32_000_000
"""An ERP file (``/v1/imports/``): about 150,000 catalog rows; a larger one goes
through ``omnitill import`` at the server."""


class CursorInvalid(ValueError):
    """A ``cursor`` that the core did not hand out."""


def check_cursor(cursor: str) -> dict[str, Any]:
    """The decoded cursor when it has the shape the core hands out: ``{"o": n}``
    (a search offset, 0..MAX_OFFSET), ``{"a": id}`` (audit keyset, a 64-bit id) or
    ``{"k": [name, sku]}`` (browse keyset, two short strings); raises
    :class:`CursorInvalid` otherwise."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise CursorInvalid(cursor) from exc
    if not isinstance(data, dict) or len(data) != 1:
        raise CursorInvalid(cursor)
    if "o" in data:
        offset = data["o"]
        if type(offset) is not int or not 0 <= offset <= MAX_OFFSET:
            raise CursorInvalid(cursor)
        return data
    if "a" in data:
        last_id = data["a"]
        if type(last_id) is not int or not 1 <= last_id <= MAX_ID:
            raise CursorInvalid(cursor)
        return data
    keys = data.get("k")
    if (not isinstance(keys, list) or len(keys) != 2
            or not all(isinstance(k, str) and 0 < len(k) <= MAX_KEY and "\x00" not in k
                       for k in keys)):
        raise CursorInvalid(cursor)
    return data


def _has_nul(raw: bytes) -> bool:
    return b"\x00" in raw or b"%00" in raw


def _json_has_nul(body: bytes) -> bool:
    r"""A NUL inside any JSON string: raw, or escaped as ``\u0000``."""
    if b"\x00" in body:
        return True
    lowered = body.lower()
    return b"\\u0000" in lowered and "\x00" in _strings(lowered)


def _strings(body: bytes) -> str:
    """Every string of a JSON document, joined (for the NUL check only)."""
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                found.append(k)
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(data)
    return "".join(found)


def _problem(detail: str, code: str, path: str, status: int = 422) -> tuple[int, bytes]:
    body = {"type": "about:blank", "title": "Invalid input", "status": status,
            "detail": detail, "code": code, "instance": path}
    return status, json.dumps(body).encode()


class EdgeChecks:
    """ASGI middleware: the checks above, before routing; the body is read once
    (bounded) and handed on unchanged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        raw_path: bytes = scope.get("raw_path") or path.encode("utf-8", "surrogateescape")
        query: bytes = scope.get("query_string", b"")
        refusal = self._refuse_target(path, raw_path, query)
        if refusal is None and any(b"\x00" in value for _, value in scope.get("headers", [])):
            refusal = _problem("A header holds a NUL character, which no value may contain.",
                               "nul_byte", path)
        if refusal is not None:
            await self._send(send, *refusal)
            return
        if scope.get("method") not in ("POST", "PUT", "PATCH", "DELETE"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        limit = MAX_IMPORT_BODY if path.startswith("/v1/imports/") else MAX_BODY
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._send(send, *_problem("The request body is too large.",
                                                 "body_too_large", path, 413))
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if _json_has_nul(body):
            await self._send(send, *_problem(
                "A text field holds a NUL character, which no text may contain.", "nul_byte",
                path))
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    def _refuse_target(path: str, raw_path: bytes, query: bytes) -> tuple[int, bytes] | None:
        if "\x00" in path or _has_nul(raw_path):
            return _problem("The address holds a NUL character, which no id may contain.",
                            "nul_byte", path)
        if b"\x00" in unquote_to_bytes(query):
            return _problem("A query parameter holds a NUL character, which no value may "
                            "contain.", "nul_byte", path)
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            if name == "cursor" and value:
                try:
                    check_cursor(value)
                except CursorInvalid:
                    return _problem("The page cursor is not valid; start again from the "
                                    "first page.", "invalid_cursor", path)
        return None

    @staticmethod
    async def _send(send: Send, status: int, body: bytes) -> None:
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", PROBLEM_JSON.encode()),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
