"""One app in a process of its own, for :mod:`bench.apps`: its start-up time, its
scans through Textual's Pilot against a live core, and its peak RSS.

A process per measurement, so start-up includes the interpreter and the
imports (what a cashier waits for), the peak RSS is the app's alone, and no
bench code shares its event loop. Only the standard library is imported at
the top: the bare Textual app must not pay for the till's imports.

    python -m bench.app_child  (a JSON job on stdin, a JSON answer on stdout)
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot

PATIENCE = 30.0
"""Seconds a scan may take before the bench calls it a hang."""


async def _until(ready: Callable[[], bool], what: str) -> None:
    """Poll every half millisecond: the app runs on this same loop, so a finer
    sleep only steals its time."""
    deadline = time.monotonic() + PATIENCE
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {PATIENCE} s for {what}")
        await asyncio.sleep(0.0005)


def _scan(app: App[Any], code: str) -> None:
    """The keys of a barcode scanner: the code and Enter, queued at once."""
    from textual import events

    for key in code:
        app.post_message(events.Key(key, key))
    app.post_message(events.Key("enter", None))


def _peak_rss() -> int:
    from bench.memory import own_peak_rss

    return own_peak_rss()


async def _bare(job: dict[str, Any]) -> dict[str, Any]:
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("ready")

    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        ready = time.time()
    return {"ready_s": ready - job["began"], "peak_rss": _peak_rss()}


async def _settled(app: App[Any], pilot: Pilot[Any]) -> None:
    from tests.pos.pilot import settle

    await settle(app, pilot)


async def _till(job: dict[str, Any]) -> dict[str, Any]:
    from textual.widgets import DataTable

    from pos.app import make_pos
    from pos.screens.login import LoginScreen
    from pos.screens.sell import SellScreen
    from pos.settings import PosSettings
    from tests.pos.pilot import sign_in

    app = make_pos(PosSettings(core_url=job["base"], device_token=job["token"]))
    out: dict[str, Any] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(lambda: isinstance(app.screen, LoginScreen), "the sign-in screen")
        await _settled(app, pilot)
        out["ready_s"] = time.time() - job["began"]
        if job.get("startup_only"):
            out["peak_rss"] = _peak_rss()
            return out
        await sign_in(app, pilot, job["pin"])
        screen = app.screen
        if not isinstance(screen, SellScreen):
            raise RuntimeError(f"signed in to {type(screen).__name__}, not the sale screen")
        table = screen.query_one("#lines", DataTable)

        def shows(sku: str, qty: int) -> bool:
            try:
                return str(table.get_row(sku)[2]) == str(qty)
            except Exception:  # noqa: BLE001 - the row is not there yet
                return False

        async def scan(gtin: str, sku: str, qty: int) -> float:
            began = time.perf_counter()
            _scan(app, gtin)
            await _until(lambda: shows(sku, qty), f"{sku} x{qty} on the till's lines")
            return (time.perf_counter() - began) * 1000

        items: list[list[str]] = job["items"]
        first_gtin, first_sku = items[0]
        await scan(first_gtin, first_sku, 1)  # the sale's first line makes the basket
        qty = 1
        small = []
        for _ in range(job["repeat"]):
            qty += 1
            small.append(await scan(first_gtin, first_sku, qty))
        new_lines = [await scan(gtin, sku, 1) for gtin, sku in items[1:job["lines"]]]
        large = []
        for _ in range(job["repeat"]):
            qty += 1
            large.append(await scan(first_gtin, first_sku, qty))
        out.update(small=small, new_lines=new_lines, large=large, lines=table.row_count,
                   peak_rss=_peak_rss())
    return out


async def _kiosk(job: dict[str, Any]) -> dict[str, Any]:
    from textual.widgets import Static

    from kiosk.app import make_kiosk
    from kiosk.screens.attract import AttractScreen
    from kiosk.screens.product import ProductScreen
    from kiosk.settings import KioskSettings

    app = make_kiosk(KioskSettings(core_url=job["base"], device_token=job["token"],
                                   language="en"))
    out: dict[str, Any] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(lambda: isinstance(app.screen, AttractScreen), "the attract screen")
        await _settled(app, pilot)
        out["ready_s"] = time.time() - job["began"]
        if job.get("startup_only"):
            out["peak_rss"] = _peak_rss()
            return out
        home = app.screen

        def shown(sku: str) -> bool:
            screen = app.screen
            if not (isinstance(screen, ProductScreen) and screen.sku == sku
                    and screen.availability is not None):
                return False
            stock = screen.query("#stock")
            return bool(stock and str(stock.first(Static).render()))

        scans = []
        items: list[list[str]] = job["items"]
        for n in range(job["repeat"] + 1):
            gtin, sku = items[n % len(items)]
            began = time.perf_counter()
            _scan(app, gtin)
            await _until(partial(shown, sku), f"the product screen of {sku}")
            took = (time.perf_counter() - began) * 1000
            if n:  # the first warms the connection and the screen's code up
                scans.append(took)
            # The screen finishes drawing (its sizes and colours) before the
            # shopper goes back: leaving in the middle is not what is timed here.
            await _settled(app, pilot)
            app.pop_screen()
            await _until(lambda: app.screen is home, "the kiosk back on its first screen")
            await _settled(app, pilot)
        out.update(scans=scans, peak_rss=_peak_rss())
    return out


def main() -> None:
    job = json.loads(sys.stdin.readline())
    run = {"bare": _bare, "till": _till, "kiosk": _kiosk}[job["app"]]
    answer = asyncio.run(run(job))
    print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
