"""A real till process for end-to-end tests: ``python -m tests.e2e.till_driver``.

It runs the real :class:`pos.app.PosApp` (made by ``make_pos``, talking HTTP to the
core, printing to a ``file:`` printer, keeping its outbox in ``--data-dir``)
headless under Textual's ``run_test``, and takes commands from its stdin, one a
line, answering each with one JSON line on stdout. The test can SIGKILL it at
any moment: whatever the till had made durable is all that survives, as with a
till whose power is cut.

Commands: ``synced`` (wait for the catalog copy), ``type TEXT`` (type it and
press Enter), ``press KEY ...``, ``pending N`` (wait until N sales wait),
``state``. ``--slow-orders S`` delays each answer to ``POST /v1/orders`` by S
seconds, a slow link, so a test can kill the till in the middle of a replay.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from pos.app import PosApp, make_pos
from pos.settings import PosSettings
from tests.pos.pilot import settle, wait_until


class SlowOrders(httpx.AsyncBaseTransport):
    """The network: every order's answer comes ``delay`` seconds late."""

    def __init__(self, delay: float) -> None:
        self.inner, self.delay = httpx.AsyncHTTPTransport(), delay

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method == "POST" and request.url.path == "/v1/orders":
            await asyncio.sleep(self.delay)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def state(app: PosApp) -> dict[str, Any]:
    offline = app.offline
    assert offline is not None
    screen = app.screen
    cart = getattr(screen, "cart", None)
    return {
        "screen": type(screen).__name__, "offline": offline.active,
        "synced": offline.synced, "pending": offline.pending, "review": offline.review,
        "lines": [line.sku for line in cart.lines] if cart is not None else [],
        "outbox": [e.offline_number for e in offline.store.entries()],
    }


async def serve(app: PosApp) -> None:
    loop = asyncio.get_running_loop()
    async with app.run_test(size=(120, 36)) as pilot:
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                return
            command, _, rest = line.strip().partition(" ")
            reply: dict[str, Any] = {"ok": True}
            try:
                if command == "synced":
                    await wait_until(app, pilot, lambda: app.offline is not None
                                     and app.offline.synced and bool(app.offline.till),
                                     what="the catalog copy", seconds=60)
                elif command == "type":
                    await pilot.press(*rest, "enter")
                    await settle(app, pilot)
                elif command == "press":
                    await pilot.press(*rest.split())
                    await settle(app, pilot)
                elif command == "pending":
                    wanted = int(rest)
                    await wait_until(app, pilot, lambda: app.offline is not None
                                     and app.offline.pending == wanted,  # noqa: B023
                                     what=f"{rest} sales waiting", seconds=60)
                elif command != "state":
                    reply = {"ok": False, "error": f"unknown command {command!r}"}
            except AssertionError as error:
                reply = {"ok": False, "error": str(error)}
            reply |= state(app)
            sys.stdout.write(json.dumps(reply) + "\n")
            sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--core", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--printer", default="none")
    parser.add_argument("--slow-orders", type=float, default=0.0)
    args = parser.parse_args()
    settings = PosSettings(core_url=args.core, device_token=args.token,
                           data_dir=args.data_dir, printer=args.printer,
                           offline_probe_seconds=0.2)
    transport = SlowOrders(args.slow_orders) if args.slow_orders else None
    started = time.monotonic()
    app = make_pos(settings, transport=transport)
    sys.stdout.write(json.dumps({"ok": True, "started": time.monotonic() - started}) + "\n")
    sys.stdout.flush()
    asyncio.run(serve(app))


if __name__ == "__main__":
    main()
