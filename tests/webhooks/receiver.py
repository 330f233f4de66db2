"""A real HTTP receiver for webhook tests: a threading HTTP server on a free port
that records every POST and answers what the test tells it to."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support import wait_for


def verified(secret: str, body: bytes, header: str) -> bool:
    """The README's five-line check, verbatim (its body is what a receiver writes)."""
    t, v1 = (part.split("=", 1)[1] for part in header.split(","))
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(mac, v1) and abs(time.time() - int(t)) < 300


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    status: int
    """What the receiver answered."""

    @property
    def event(self) -> dict[str, Any]:
        event: dict[str, Any] = json.loads(self.body)
        return event


@dataclass
class Receiver:
    url: str
    answer: Callable[[int], int] = lambda n: 200
    """The status to answer to the n-th POST (1, 2, ...)."""
    posts: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ids(self, status: int | None = None) -> list[str]:
        """The event ids received (only those answered ``status``, if given)."""
        with self.lock:
            return [p.event["id"] for p in self.posts if status in (None, p.status)]

    def events_of(self, type_: str) -> list[dict[str, Any]]:
        with self.lock:
            return [p.event for p in self.posts if p.event["type"] == type_]


@contextmanager
def receiving(answer: Callable[[int], int] = lambda n: 200) -> Iterator[Receiver]:
    receiver = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver would
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with receiver.lock:
                status = receiver.answer(len(receiver.posts) + 1)
                receiver.posts.append(Received(dict(self.headers.items()), body, status))
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        request_queue_size = 128  # the default 5 drops concurrent connects (1 s retries)
        daemon_threads = True

    server = Server(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    receiver.answer = answer
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def wait_until(check: Callable[[], bool], what: str, seconds: float = 30) -> None:
    """:func:`tests.support.wait_for` (the machine is loaded: a generous deadline)."""
    wait_for(check, what, seconds, step=0.05)
